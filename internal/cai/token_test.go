package cai

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func sampleClaims(now time.Time) Claims {
	return Claims{Iss: VerifierIssuer, Sub: Subject("11010519491231002X"), Aud: "1000000001",
		Iat: now.Unix(), Exp: now.Unix() + 240, Jti: "jti-0123456789abcdef", PII: "c2VhbGVk"}
}

func TestTokenRoundTrip(t *testing.T) {
	key := mustKey(t)
	now := time.Unix(1_700_000_000, 0)
	c := sampleClaims(now)
	tok, err := EncodeToken(key, TokenHeader{Alg: AlgSM2SM3, Typ: TypRealName}, c)
	if err != nil {
		t.Fatal(err)
	}
	h, got, err := VerifyToken(&key.PublicKey, tok)
	if err != nil {
		t.Fatal(err)
	}
	if h.Typ != TypRealName || got != c {
		t.Fatalf("VerifyToken = %+v %+v", h, got)
	}
	hdr := strings.Split(tok, ".")[0]
	if hdr != b64url().EncodeToString([]byte(`{"alg":"SM2SM3","typ":"CAI-RN"}`)) {
		t.Fatalf("header part %s is not the standard's JSON in key order", hdr)
	}
	if err := CheckTyp(h, TypRealName); err != nil {
		t.Fatal(err)
	}
	if err := CheckTyp(h, TypFace); !errors.Is(err, ErrTyp) {
		t.Fatalf("CheckTyp(face) = %v", err)
	}
}

func TestVerifyTokenFailures(t *testing.T) {
	key, other := mustKey(t), mustKey(t)
	now := time.Unix(1_700_000_000, 0)
	h := TokenHeader{Alg: AlgSM2SM3, Typ: TypFace}
	good, _ := EncodeToken(key, h, sampleClaims(now))
	wrongKey, _ := EncodeToken(other, h, sampleClaims(now))
	none, _ := AssembleToken(TokenHeader{Alg: "none", Typ: TypFace}, sampleClaims(now), nil)
	parts := strings.Split(good, ".")
	c2 := sampleClaims(now)
	c2.Aud = "2000000002"
	swapped, _ := TokenSigningInput(h, c2)
	tests := []struct {
		name string
		tok  string
		want error
	}{
		{"two parts", parts[0] + "." + parts[1], ErrMalformed},
		{"padding", good + "=", ErrMalformed},
		{"bad header json", "e30x." + parts[1] + "." + parts[2], ErrMalformed},
		{"data after the claims object", parts[0] + "." + b64url().EncodeToString(append(mustB64URL(t, parts[1]), '}')) + "." + parts[2], ErrMalformed},
		{"alg none", none, ErrAlg},
		{"wrong key", wrongKey, ErrBadSignature},
		{"claims swapped", swapped + "." + parts[2], ErrBadSignature},
		{"signature not DER", parts[0] + "." + parts[1] + ".AAAA", ErrNotDER},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := VerifyToken(&key.PublicKey, tt.tok)
			if !errors.Is(err, tt.want) || CodeOf(err) != CodeTokenInvalid {
				t.Fatalf("VerifyToken error = %v (code %q), want %v / %s", err, CodeOf(err), tt.want, CodeTokenInvalid)
			}
		})
	}
}

// mustB64URL decodes a token or QR part.
func mustB64URL(t *testing.T, part string) []byte {
	t.Helper()
	b, err := b64url().DecodeString(part)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheckClaims(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	mod := func(f func(*Claims)) Claims {
		c := sampleClaims(now)
		f(&c)
		return c
	}
	tests := []struct {
		name string
		c    Claims
		typ  string
		want string
	}{
		{"valid real-name", sampleClaims(now), TypRealName, ""},
		{"valid face", mod(func(c *Claims) { c.PII = ""; c.Exp = c.Iat + 90 }), TypFace, ""},
		{"audience", mod(func(c *Claims) { c.Aud = "2000000002" }), TypRealName, CodeTokenAudience},
		{"expired", mod(func(c *Claims) { c.Iat -= 600; c.Exp = now.Unix() - 1 }), TypRealName, CodeTokenExpired},
		{"future iat", mod(func(c *Claims) { c.Iat += 61; c.Exp = c.Iat + 100 }), TypRealName, CodeTokenNotYetValid},
		{"iat 60 s ahead ok", mod(func(c *Claims) { c.Iat += 60; c.Exp = c.Iat + 100 }), TypRealName, ""},
		{"lifetime real-name", mod(func(c *Claims) { c.Exp = c.Iat + 301 }), TypRealName, CodeTokenInvalid},
		{"lifetime face", mod(func(c *Claims) { c.Exp = c.Iat + 121 }), TypFace, CodeTokenInvalid},
		{"no pii", mod(func(c *Claims) { c.PII = "" }), TypRealName, CodeTokenInvalid},
		{"short jti", mod(func(c *Claims) { c.Jti = "short" }), TypRealName, CodeTokenInvalid},
		{"bad sub", mod(func(c *Claims) { c.Sub = "X" }), TypRealName, CodeTokenInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckClaims(tt.c, tt.typ, "1000000001", now)
			if got := CodeOf(err); got != tt.want || (tt.want == "") != (err == nil) {
				t.Fatalf("CheckClaims = %v (code %q), want code %q", err, got, tt.want)
			}
		})
	}
}

// TestCheckClaimsWith: each option switches off exactly its own check; the others still apply.
func TestCheckClaimsWith(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	wrongAud := sampleClaims(now)
	wrongAud.Aud = "2000000002"
	expired := sampleClaims(now)
	expired.Iat, expired.Exp = now.Unix()-600, now.Unix()-400
	future := sampleClaims(now)
	future.Iat, future.Exp = now.Unix()+120, now.Unix()+200
	tests := []struct {
		name string
		c    Claims
		opts ClaimOptions
		want string
	}{
		{"audience skipped", wrongAud, ClaimOptions{SkipAudience: true}, ""},
		{"audience still checked when expiry is skipped", wrongAud, ClaimOptions{SkipExpiry: true}, CodeTokenAudience},
		{"expiry skipped", expired, ClaimOptions{SkipExpiry: true}, ""},
		{"expiry still checked when iat is skipped", expired, ClaimOptions{SkipNotYetValid: true}, CodeTokenExpired},
		{"future iat skipped", future, ClaimOptions{SkipNotYetValid: true}, ""},
		{"future iat still checked when audience is skipped", future, ClaimOptions{SkipAudience: true}, CodeTokenNotYetValid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckClaimsWith(tt.c, TypRealName, "1000000001", now, tt.opts)
			if got := CodeOf(err); got != tt.want || (tt.want == "") != (err == nil) {
				t.Fatalf("CheckClaimsWith = %v (code %q), want code %q", err, got, tt.want)
			}
		})
	}
}

func TestQR(t *testing.T) {
	key, other := mustKey(t), mustKey(t)
	p := QRPayload{V: 1, Ch: "1000000001", Cid: "card-1", Qid: "qid-1", Iat: 1_700_000_000_000, Exp: 1_700_000_005_000}
	code, err := EncodeQR(key, "1000000001", p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifyQR(&key.PublicKey, "1000000001", code)
	if err != nil || got != p {
		t.Fatalf("VerifyQR = %+v, %v", got, err)
	}
	raw, _ := QRPayloadJSON(code)
	if string(raw) != `{"v":1,"ch":"1000000001","cid":"card-1","qid":"qid-1","iat":1700000000000,"exp":1700000005000}` {
		t.Fatalf("payload JSON %s not in the standard's key order", raw)
	}
	otherSigned, _ := EncodeQR(other, "1000000001", p)
	extra := QRPrefix + b64url().EncodeToString([]byte(`{"v":1,"ch":"1","cid":"c","qid":"q","iat":1,"exp":2,"idNo":"x"}`)) + ".AAAA"
	parts := strings.Split(code, ".")
	tests := []struct {
		name string
		code string
		id   string
		want error
	}{
		{"wrong signer ID", code, DefaultSignerID, ErrBadSignature},
		{"wrong key", otherSigned, "1000000001", ErrBadSignature},
		{"no prefix", strings.TrimPrefix(code, QRPrefix), "1000000001", ErrMalformed},
		{"extra field", extra, "1000000001", ErrMalformed},
		// A closing bracket after the object used to pass json.Decoder.More unnoticed.
		{"data after the payload object", QRPrefix + b64url().EncodeToString([]byte(`{"v":1,"ch":"1","cid":"c","qid":"q","iat":1,"exp":2}]`)) + ".AAAA", "1000000001", ErrMalformed},
		{"payload swapped", QRPrefix + b64url().EncodeToString([]byte(`{"v":1,"ch":"1000000001","cid":"card-2","qid":"qid-1","iat":1700000000000,"exp":1700000005000}`)) + "." + parts[2], "1000000001", ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := VerifyQR(&key.PublicKey, tt.id, tt.code)
			if !errors.Is(err, tt.want) || CodeOf(err) != CodeQRInvalid {
				t.Fatalf("VerifyQR error = %v, want %v / %s", err, tt.want, CodeQRInvalid)
			}
		})
	}
}
