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
	return EncodeQRJSON(priv, channelNo, pj)
}

// EncodeQRJSON is EncodeQR over payload JSON as given, for codes whose payload is deliberately
// not a QRPayload (the reference channel's qr-personal-data fault adds the ID number).
func EncodeQRJSON(priv *sm2.PrivateKey, signerID string, payload []byte) (string, error) {
	in := QRPrefix + b64url().EncodeToString(payload)
	sig, err := SignDER(priv, signerID, []byte(in))
	if err != nil {
		return "", fmt.Errorf("qr: %w", err)
	}
	return in + "." + b64url().EncodeToString(sig), nil
}

// SplitQR splits a code into its raw payload JSON, the bytes its signature covers and the DER
// signature, checking the syntax only (prefix, two base64url parts). Failures are *Error with
// code QR_INVALID.
func SplitQR(code string) (payload, signingInput, sig []byte, err error) {
	rest, ok := strings.CutPrefix(code, QRPrefix)
	if !ok {
		return nil, nil, nil, codeErr(CodeQRInvalid, "qr: %w: no %q prefix", ErrMalformed, QRPrefix)
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 2 {
		return nil, nil, nil, codeErr(CodeQRInvalid, "qr: %w: %d parts after the prefix, want 2", ErrMalformed, len(parts))
	}
	if payload, err = b64url().DecodeString(parts[0]); err != nil {
		return nil, nil, nil, codeErr(CodeQRInvalid, "qr payload: %w: not base64url: %v", ErrMalformed, err)
	}
	if sig, err = b64url().DecodeString(parts[1]); err != nil {
		return nil, nil, nil, codeErr(CodeQRInvalid, "qr signature: %w: %v", ErrMalformed, err)
	}
	return payload, []byte(QRPrefix + parts[0]), sig, nil
}

// QRPayloadJSON returns the raw JSON payload of a QR code without checking its fields, so a
// scanner can look at everything a channel put there (CAI-6.6).
func QRPayloadJSON(code string) ([]byte, error) {
	payload, _, _, err := SplitQR(code)
	return payload, err
}

// ParseQR decodes a QR code without verifying its signature. The payload must be one JSON object
// with exactly the fields of QRPayload (CAI-6.6). Failures are *Error with code QR_INVALID.
func ParseQR(code string) (QRPayload, []byte, []byte, error) {
	var p QRPayload
	raw, in, sig, err := SplitQR(code)
	if err != nil {
		return p, nil, nil, err
	}
	if err := decodeOneJSON(raw, &p, true); err != nil {
		return p, nil, nil, codeErr(CodeQRInvalid, "qr payload: %w", err)
	}
	return p, in, sig, nil
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
