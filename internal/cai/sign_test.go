package cai

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"testing"

	"github.com/emmansun/gmsm/sm2"
)

func mustKey(t testing.TB) *sm2.PrivateKey {
	t.Helper()
	k, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestSM3Hex(t *testing.T) {
	tests := []struct{ in, want string }{
		{"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
		{"", "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"},
	}
	for _, tt := range tests {
		if got := SM3Hex([]byte(tt.in)); got != tt.want {
			t.Errorf("SM3Hex(%q) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestSignVerify(t *testing.T) {
	key, other := mustKey(t), mustKey(t)
	msg := []byte("POST\n/cai/v1/sessions\n1700000000000\nnonce-0123456789abcdef\n1000000001\n" + SM3Hex(nil))
	good, err := Sign(key, PlatformSignerID, msg)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := base64.StdEncoding.DecodeString(good)
	raw, err := RawSignature(der)
	if err != nil {
		t.Fatal(err)
	}
	flipped := append([]byte(nil), der...)
	flipped[len(flipped)-1] ^= 0x01
	tampered := append(append([]byte(nil), msg...), 'x')

	tests := []struct {
		name    string
		pubKey  *sm2.PrivateKey
		id      string
		msg     []byte
		sig     string
		wantErr error
	}{
		{"valid", key, PlatformSignerID, msg, good, nil},
		{"wrong signer ID", key, DefaultSignerID, msg, good, ErrBadSignature},
		{"wrong key", other, PlatformSignerID, msg, good, ErrBadSignature},
		{"tampered message", key, PlatformSignerID, tampered, good, ErrBadSignature},
		{"flipped signature bit", key, PlatformSignerID, msg, base64.StdEncoding.EncodeToString(flipped), ErrBadSignature},
		{"raw r||s", key, PlatformSignerID, msg, base64.StdEncoding.EncodeToString(raw), ErrNotDER},
		{"base64url", key, PlatformSignerID, msg, urlFormSignature(t, key, msg), ErrNotBase64},
		{"empty", key, PlatformSignerID, msg, "", ErrNotDER},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Verify(&tt.pubKey.PublicKey, tt.id, tt.msg, tt.sig)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Verify error = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestSignDeterministic(t *testing.T) {
	key := mustKey(t)
	a, err := SignDeterministic(key, DefaultSignerID, []byte("vector"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := SignDeterministic(key, DefaultSignerID, []byte("vector"))
	c, _ := SignDeterministic(key, DefaultSignerID, []byte("vector2"))
	if a != b || a == c {
		t.Fatalf("deterministic signatures: same input %v, different input %v", a == b, a != c)
	}
	if err := Verify(&key.PublicKey, DefaultSignerID, []byte("vector"), a); err != nil {
		t.Fatal(err)
	}
}

func TestRawDERRoundTrip(t *testing.T) {
	key := mustKey(t)
	der, err := SignDER(key, "id", []byte("m"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := RawSignature(der)
	if err != nil || len(raw) != 64 {
		t.Fatalf("RawSignature: %d bytes, %v", len(raw), err)
	}
	back, err := DERFromRaw(raw)
	if err != nil || string(back) != string(der) {
		t.Fatalf("DERFromRaw did not give back the DER signature: %v", err)
	}
	if _, err := DERFromRaw(raw[:63]); !errors.Is(err, ErrMalformed) {
		t.Fatalf("DERFromRaw(63 bytes) error = %v", err)
	}
	if _, _, ok := ParseDERSignature(append(der, 0)); ok {
		t.Fatal("trailing byte accepted as DER")
	}
}

func TestCanonical(t *testing.T) {
	req := string(CanonicalRequest("post", "/cai/v1/cards?x=1", "1700000000000", "abcdefghijklmnop", "1000000001", []byte("abc")))
	wantReq := "POST\n/cai/v1/cards?x=1\n1700000000000\nabcdefghijklmnop\n1000000001\n66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
	if req != wantReq {
		t.Errorf("CanonicalRequest =\n%s\nwant\n%s", req, wantReq)
	}
	resp := string(CanonicalResponse(201, "1700000000001", "", nil))
	wantResp := "201\n1700000000001\n\n1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
	if resp != wantResp {
		t.Errorf("CanonicalResponse =\n%s\nwant\n%s", resp, wantResp)
	}
}

// urlFormSignature signs msg until the base64url form of the signature is not also valid
// standard base64 (about one signature in twenty encodes the same in both alphabets, which would
// make the case accept what it means to refuse), and returns that form.
func urlFormSignature(t *testing.T, key *sm2.PrivateKey, msg []byte) string {
	t.Helper()
	for range 64 {
		sig, err := Sign(key, PlatformSignerID, msg)
		if err != nil {
			t.Fatal(err)
		}
		der, _ := base64.StdEncoding.DecodeString(sig)
		url := base64.RawURLEncoding.EncodeToString(der)
		if _, err := base64.StdEncoding.Strict().DecodeString(url); err != nil {
			return url
		}
	}
	t.Fatal("64 signatures in a row encode the same in base64url and base64")
	return ""
}
