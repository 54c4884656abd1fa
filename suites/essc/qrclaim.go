package essc

import (
	"bytes"
	"encoding/json"
	"fmt"

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
