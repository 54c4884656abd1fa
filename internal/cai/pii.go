package cai

import (
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"github.com/emmansun/gmsm/sm4"
)

// PII is the personal data a real-name token carries sealed under the channel's data key.
type PII struct {
	IDNo  string `json:"idNo"`
	Name  string `json:"name"`
	Phone string `json:"phone"`
}

// GCM sizes fixed by the standard.
const (
	gcmNonceSize = 12
	gcmTagSize   = 16
)

// newGCM returns SM4-GCM under dataKey (16 bytes).
func newGCM(dataKey []byte) (cipher.AEAD, error) {
	block, err := sm4.NewCipher(dataKey)
	if err != nil {
		return nil, fmt.Errorf("sm4 data key: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, fmt.Errorf("sm4-gcm: %w", err)
	}
	return aead, nil
}

// SealPII encrypts pii as JSON with SM4-GCM under dataKey with aad (the token's jti) as
// additional data, and returns base64(nonce || ciphertext || tag) with a fresh random nonce.
func SealPII(dataKey []byte, aad string, pii PII) (string, error) {
	aead, err := newGCM(dataKey)
	if err != nil {
		return "", err
	}
	plain, err := json.Marshal(pii)
	if err != nil {
		return "", fmt.Errorf("seal pii: %w", err)
	}
	nonce := make([]byte, gcmNonceSize)
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("seal pii: nonce: %w", err)
	}
	sealed := aead.Seal(nonce, nonce, plain, []byte(aad))
	return base64.StdEncoding.EncodeToString(sealed), nil
}

// OpenPII reverses SealPII. Any change to nonce, ciphertext, tag, aad or key fails with an
// *Error of code TOKEN_DECRYPT_FAILED wrapping ErrDecrypt; nothing is returned unauthenticated.
func OpenPII(dataKey []byte, aad string, sealed string) (PII, error) {
	aead, err := newGCM(dataKey)
	if err != nil {
		return PII{}, &Error{Code: CodeTokenDecryptFailed, Err: err}
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(sealed)
	if err != nil {
		return PII{}, codeErr(CodeTokenDecryptFailed, "pii: %w: %v", ErrNotBase64, err)
	}
	if len(raw) < gcmNonceSize+gcmTagSize {
		return PII{}, codeErr(CodeTokenDecryptFailed, "pii: %w: %d bytes is shorter than nonce and tag", ErrDecrypt, len(raw))
	}
	plain, err := aead.Open(nil, raw[:gcmNonceSize], raw[gcmNonceSize:], []byte(aad))
	if err != nil {
		return PII{}, codeErr(CodeTokenDecryptFailed, "pii: %w", ErrDecrypt)
	}
	var p PII
	if err := json.Unmarshal(plain, &p); err != nil {
		return PII{}, codeErr(CodeTokenDecryptFailed, "pii: %w: plaintext is not the PII JSON", ErrMalformed)
	}
	return p, nil
}

// Subject is the opaque subject of a citizen in tokens: lowercase hex SM3 of "CAI-SUB|" + idNo.
// It lets a face token name a citizen without carrying the ID number.
func Subject(idNo string) string {
	return SM3Hex([]byte("CAI-SUB|" + idNo))
}
