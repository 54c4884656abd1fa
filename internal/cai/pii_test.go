package cai

import (
	"encoding/base64"
	"errors"
	"testing"
)

func TestSealOpenPII(t *testing.T) {
	key := []byte("0123456789abcdef")
	other := []byte("fedcba9876543210")
	pii := PII{IDNo: "11010519491231002X", Name: "张三", Phone: "13812345678"}
	sealed, err := SealPII(key, "jti-0123456789abcdef", pii)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := base64.StdEncoding.DecodeString(sealed)
	flip := func(i int) string {
		b := append([]byte(nil), raw...)
		b[i] ^= 0x80
		return base64.StdEncoding.EncodeToString(b)
	}
	tests := []struct {
		name   string
		key    []byte
		aad    string
		sealed string
		want   error
	}{
		{"round trip", key, "jti-0123456789abcdef", sealed, nil},
		{"other key", other, "jti-0123456789abcdef", sealed, ErrDecrypt},
		{"other aad", key, "jti-0123456789abcdeX", sealed, ErrDecrypt},
		{"nonce flipped", key, "jti-0123456789abcdef", flip(0), ErrDecrypt},
		{"ciphertext flipped", key, "jti-0123456789abcdef", flip(12), ErrDecrypt},
		{"tag flipped", key, "jti-0123456789abcdef", flip(len(raw) - 1), ErrDecrypt},
		{"truncated", key, "jti-0123456789abcdef", base64.StdEncoding.EncodeToString(raw[:20]), ErrDecrypt},
		{"not base64", key, "jti-0123456789abcdef", "%%%", ErrNotBase64},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := OpenPII(tt.key, tt.aad, tt.sealed)
			if tt.want == nil {
				if err != nil || got != pii {
					t.Fatalf("OpenPII = %+v, %v", got, err)
				}
				return
			}
			if !errors.Is(err, tt.want) || CodeOf(err) != CodeTokenDecryptFailed {
				t.Fatalf("OpenPII error = %v (code %q), want %s", err, CodeOf(err), CodeTokenDecryptFailed)
			}
			if got != (PII{}) {
				t.Fatalf("OpenPII returned data on failure: %+v", got)
			}
		})
	}
	if _, err := SealPII([]byte("short"), "a", pii); err == nil {
		t.Fatal("SealPII accepted a 5-byte key")
	}
	if s2, _ := SealPII(key, "jti-0123456789abcdef", pii); s2 == sealed {
		t.Fatal("two seals of the same data are equal: nonce not random")
	}
}

func TestSubject(t *testing.T) {
	s := Subject("11010519491231002X")
	if len(s) != 64 || s != SM3Hex([]byte("CAI-SUB|11010519491231002X")) {
		t.Fatalf("Subject = %s", s)
	}
	if Subject("110105194912310029") == s {
		t.Fatal("different ID numbers give the same subject")
	}
}
