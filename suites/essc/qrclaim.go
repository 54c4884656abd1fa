package essc

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/chanconf/chanconf/internal/cai"
)

// QRClaim returns one field of a QR code's payload without verifying the signature (the
// template function `qrClaim code "exp"`): int64 for v, iat and exp, the string otherwise. A
// code that is not a CAI v1 QR code, or lacks the field, is an error.
func QRClaim(code, field string) (any, error) {
	raw, err := cai.QRPayloadJSON(code)
	if err != nil {
		return nil, fmt.Errorf("qrClaim: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var payload map[string]any
	if err := dec.Decode(&payload); err != nil {
		return nil, fmt.Errorf("qrClaim: payload is not a JSON object: %w", err)
	}
	v, ok := payload[field]
	if !ok {
		return nil, fmt.Errorf("qrClaim: payload has no field %q", field)
	}
	switch field {
	case "v", "iat", "exp":
		n, ok := v.(json.Number)
		if !ok {
			return nil, fmt.Errorf("qrClaim: field %q is %T, not a number", field, v)
		}
		i, err := n.Int64()
		if err != nil {
			return nil, fmt.Errorf("qrClaim: field %q: %w", field, err)
		}
		return i, nil
	}
	switch t := v.(type) {
	case string:
		return t, nil
	case json.Number:
		return t.String(), nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("qrClaim: field %q: %w", field, err)
	}
	return string(b), nil
}

// QRVerify checks a QR code's signature with the declared channel key and the channel number
// as signer ID (CAI-6.3), for the template function `qrVerify code`. It returns "valid" or the
// reason it is not, as text, so a case can assert `equals: valid` and a failure shows why. It
// judges the signature only: which members the payload carries is CAI-6.6's (`qrFields`), so a
// code signed correctly over a payload with an extra member is "valid" here and fails there.
func (p *Platform) QRVerify(code string) string {
	_, in, sig, err := cai.SplitQR(code)
	if err != nil {
		return "invalid: " + err.Error()
	}
	if err := cai.VerifyDER(p.channelPub, p.decl.ChannelNo, in, sig); err != nil {
		if cai.VerifyDER(p.channelPub, cai.DefaultSignerID, in, sig) == nil {
			return "invalid: signed with the default signer ID instead of the channel number"
		}
		return "invalid: qr signature: " + err.Error()
	}
	return "valid"
}

// QRFields lists the member names of a QR code's payload, sorted and comma-joined (the
// template function `qrFields code`), so a case can require exactly the standard's fields and
// nothing personal (CAI-6.6).
func QRFields(code string) (string, error) {
	raw, err := cai.QRPayloadJSON(code)
	if err != nil {
		return "", fmt.Errorf("qrFields: %w", err)
	}
	var payload map[string]json.RawMessage
	if err := json.Unmarshal(raw, &payload); err != nil {
		return "", fmt.Errorf("qrFields: payload is not a JSON object: %w", err)
	}
	names := make([]string, 0, len(payload))
	for k := range payload {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ","), nil
}
