package cai

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"fmt"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm3"
)

// SM3Hex returns the lowercase hex SM3 digest of b, the form the standard writes digests in.
func SM3Hex(b []byte) string {
	sum := sm3.Sum(b)
	return hex.EncodeToString(sum[:])
}

// SignDER signs msg with SM2-SM3, Z_A computed from signerID, and returns the DER signature.
// The nonce is hedged random, so two signatures of one message differ.
func SignDER(priv *sm2.PrivateKey, signerID string, msg []byte) ([]byte, error) {
	if priv == nil {
		return nil, fmt.Errorf("sm2 sign: no private key")
	}
	sig, err := sm2.SignASN1(rand.Reader, priv, msg, sm2.NewSM2SignerOption(true, []byte(signerID)))
	if err != nil {
		return nil, fmt.Errorf("sm2 sign: %w", err)
	}
	return sig, nil
}

// Sign signs msg like SignDER and returns the signature in the transport form of the standard:
// standard base64 with padding of the DER bytes.
func Sign(priv *sm2.PrivateKey, signerID string, msg []byte) (string, error) {
	sig, err := SignDER(priv, signerID, msg)
	if err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// SignDeterministic signs like Sign but derives the nonce from key and message (RFC 6979 with
// HMAC-SM3), so the same input always gives the same signature: for published test vectors.
func SignDeterministic(priv *sm2.PrivateKey, signerID string, msg []byte) (string, error) {
	if priv == nil {
		return "", fmt.Errorf("sm2 sign: no private key")
	}
	sig, err := sm2.SignDeterministic(priv, msg, sm2.NewSM2SignerOption(true, []byte(signerID)))
	if err != nil {
		return "", fmt.Errorf("sm2 sign: %w", err)
	}
	return base64.StdEncoding.EncodeToString(sig), nil
}

// VerifyDER checks a DER SM2-SM3 signature of msg made with signerID. Raw r||s and any other
// non-DER encoding fail with ErrNotDER; a DER signature that does not verify fails with
// ErrBadSignature.
func VerifyDER(pub *ecdsa.PublicKey, signerID string, msg, sig []byte) error {
	if pub == nil {
		return fmt.Errorf("sm2 verify: no public key")
	}
	if !isDERSignature(sig) {
		return fmt.Errorf("%w (%d bytes)", ErrNotDER, len(sig))
	}
	if !sm2.VerifyASN1WithSM2(pub, []byte(signerID), msg, sig) {
		return ErrBadSignature
	}
	return nil
}

// Verify checks a signature in transport form (standard base64 with padding of DER) over msg
// with pub and signerID. Errors wrap ErrNotBase64, ErrNotDER or ErrBadSignature.
func Verify(pub *ecdsa.PublicKey, signerID string, msg []byte, sigB64 string) error {
	sig, err := base64.StdEncoding.Strict().DecodeString(sigB64)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrNotBase64, err)
	}
	return VerifyDER(pub, signerID, msg, sig)
}

// isDERSignature reports whether sig is exactly one DER SEQUENCE of two positive INTEGERs.
func isDERSignature(sig []byte) bool {
	_, _, ok := ParseDERSignature(sig)
	return ok
}
