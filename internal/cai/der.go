package cai

import (
	"bytes"
	"encoding/asn1"
	"fmt"
	"math/big"
)

// derSignature is the ASN.1 form SEQUENCE{r INTEGER, s INTEGER} of SM2 signatures.
type derSignature struct {
	R, S *big.Int
}

// ParseDERSignature decodes a DER SM2 signature strictly: one SEQUENCE of two positive
// INTEGERs, nothing after it, and the canonical DER encoding (re-encoding gives the same bytes).
func ParseDERSignature(sig []byte) (r, s *big.Int, ok bool) {
	var v derSignature
	rest, err := asn1.Unmarshal(sig, &v)
	if err != nil || len(rest) != 0 || v.R == nil || v.S == nil || v.R.Sign() <= 0 || v.S.Sign() <= 0 {
		return nil, nil, false
	}
	again, err := asn1.Marshal(v)
	if err != nil || !bytes.Equal(again, sig) {
		return nil, nil, false
	}
	return v.R, v.S, true
}

// RawSignature converts a DER signature to the 64-byte r||s form (32 bytes each, big endian).
// The standard forbids that form on the wire; the harness sends it to check a channel refuses it.
func RawSignature(der []byte) ([]byte, error) {
	r, s, ok := ParseDERSignature(der)
	if !ok {
		return nil, fmt.Errorf("raw signature: %w", ErrNotDER)
	}
	out := make([]byte, 64)
	r.FillBytes(out[:32])
	s.FillBytes(out[32:])
	return out, nil
}

// DERFromRaw converts a 64-byte r||s signature to DER.
func DERFromRaw(raw []byte) ([]byte, error) {
	if len(raw) != 64 {
		return nil, fmt.Errorf("raw signature: want 64 bytes, got %d: %w", len(raw), ErrMalformed)
	}
	v := derSignature{R: new(big.Int).SetBytes(raw[:32]), S: new(big.Int).SetBytes(raw[32:])}
	der, err := asn1.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("raw signature: %w", err)
	}
	return der, nil
}
