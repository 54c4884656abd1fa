package cai

import (
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/emmansun/gmsm/sm2"
)

// QRPrefix starts every CAI v1 QR code.
const QRPrefix = "CAIQR1."

// QRPayload is the signed content of a QR code (CAI-6.*); the field order is the JSON order.
// Iat and Exp are unix milliseconds.
type QRPayload struct {
	V   int    `json:"v"`
	Ch  string `json:"ch"`
	Cid string `json:"cid"`
	Qid string `json:"qid"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
}

// EncodeQR signs p with the channel key (signer ID = channelNo) and returns
// "CAIQR1." B64URL(payload) "." B64URL(DER signature).
func EncodeQR(priv *sm2.PrivateKey, channelNo string, p QRPayload) (string, error) {
	pj, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("qr payload: %w", err)
	}
	in := QRPrefix + b64url().EncodeToString(pj)
	sig, err := SignDER(priv, channelNo, []byte(in))
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	return in + "." + b64url().EncodeToString(sig), nil
}

// QRPayloadJSON returns the raw JSON payload of a QR code without checking its fields, so a
// scanner can look at everything a channel put there (CAI-6.6).
func QRPayloadJSON(code string) ([]byte, error) {
	rest, ok := strings.CutPrefix(code, QRPrefix)
	if !ok {
		return nil, codeErr(CodeQRInvalid, "qr: %w: no %q prefix", ErrMalformed, QRPrefix)
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 2 {
		return nil, codeErr(CodeQRInvalid, "qr: %w: %d parts after the prefix, want 2", ErrMalformed, len(parts))
	}
	raw, err := b64url().DecodeString(parts[0])
	if err != nil {
		return nil, codeErr(CodeQRInvalid, "qr payload: %w: not base64url: %v", ErrMalformed, err)
	}
	return raw, nil
}

// ParseQR decodes a QR code without verifying its signature. The payload must be a JSON object
// with exactly the fields of QRPayload (CAI-6.6). Failures are *Error with code QR_INVALID.
func ParseQR(code string) (QRPayload, []byte, []byte, error) {
	var p QRPayload
	raw, err := QRPayloadJSON(code)
	if err != nil {
		return p, nil, nil, err
	}
	if err := decodeStrictJSON(raw, &p); err != nil {
		return p, nil, nil, codeErr(CodeQRInvalid, "qr payload: %w", err)
	}
	last := strings.LastIndexByte(code, '.')
	sig, err := b64url().DecodeString(code[last+1:])
	if err != nil {
		return p, nil, nil, codeErr(CodeQRInvalid, "qr signature: %w: %v", ErrMalformed, err)
	}
	return p, []byte(code[:last]), sig, nil
}

// VerifyQR parses code and verifies its signature with the channel public key and signer ID
// channelNo (CAI-6.3). It checks neither channel number nor times.
func VerifyQR(pub *ecdsa.PublicKey, channelNo, code string) (QRPayload, error) {
	p, in, sig, err := ParseQR(code)
	if err != nil {
		return p, err
	}
	if err := VerifyDER(pub, channelNo, in, sig); err != nil {
		return p, codeErr(CodeQRInvalid, "qr signature: %w", err)
	}
	return p, nil
}

// decodeStrictJSON decodes one JSON object rejecting unknown fields and trailing data.
func decodeStrictJSON(raw []byte, v any) error {
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: data after the JSON object", ErrMalformed)
	}
	return nil
}
