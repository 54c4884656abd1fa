package cai

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

// TokenHeader is the JOSE-like header of real-name and face tokens; the field order is the
// order the JSON is written in ({"alg":...,"typ":...}).
type TokenHeader struct {
	Alg string `json:"alg"`
	Typ string `json:"typ"`
}

// Claims is the payload of real-name and face tokens. PII is set on real-name tokens only.
type Claims struct {
	Iss string `json:"iss"`
	Sub string `json:"sub"`
	Aud string `json:"aud"`
	Iat int64  `json:"iat"`
	Exp int64  `json:"exp"`
	Jti string `json:"jti"`
	PII string `json:"pii,omitempty"`
}

// b64url returns the token and QR encoding: base64url without padding, strict.
func b64url() *base64.Encoding { return base64.RawURLEncoding.Strict() }

// TokenSigningInput returns B64URL(header) "." B64URL(claims), the bytes a token signature covers.
func TokenSigningInput(h TokenHeader, c Claims) (string, error) {
	hj, err := json.Marshal(h)
	if err != nil {
		return "", fmt.Errorf("token header: %w", err)
	}
	cj, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("token claims: %w", err)
	}
	return b64url().EncodeToString(hj) + "." + b64url().EncodeToString(cj), nil
}

// AssembleToken joins header, claims and an arbitrary signature (possibly empty or not SM2) into
// the compact form. The harness uses it to build deliberately bad tokens (alg "none", HS256).
func AssembleToken(h TokenHeader, c Claims, sig []byte) (string, error) {
	in, err := TokenSigningInput(h, c)
	if err != nil {
		return "", err
	}
	return in + "." + b64url().EncodeToString(sig), nil
}

// EncodeToken signs h and c with the verifier's key (default signer ID) and returns the compact
// token B64URL(header).B64URL(claims).B64URL(DER signature).
func EncodeToken(priv *sm2.PrivateKey, h TokenHeader, c Claims) (string, error) {
	in, err := TokenSigningInput(h, c)
	if err != nil {
		return "", err
	}
	sig, err := SignDER(priv, DefaultSignerID, []byte(in))
	if err != nil {
		return "", fmt.Errorf("token: %w", err)
	}
	return in + "." + b64url().EncodeToString(sig), nil
}

// ParseToken splits and decodes a compact token without verifying anything but its syntax.
// Malformed tokens fail with an *Error of code TOKEN_INVALID wrapping ErrMalformed.
func ParseToken(tok string) (h TokenHeader, c Claims, signingInput []byte, sig []byte, err error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return h, c, nil, nil, codeErr(CodeTokenInvalid, "token: %w: %d parts, want 3", ErrMalformed, len(parts))
	}
	if err := decodeJSONPart(parts[0], &h, true); err != nil {
		return h, c, nil, nil, codeErr(CodeTokenInvalid, "token header: %w", err)
	}
	if err := decodeJSONPart(parts[1], &c, false); err != nil {
		return h, c, nil, nil, codeErr(CodeTokenInvalid, "token claims: %w", err)
	}
	sig, err = b64url().DecodeString(parts[2])
	if err != nil {
		return h, c, nil, nil, codeErr(CodeTokenInvalid, "token signature: %w: %v", ErrMalformed, err)
	}
	return h, c, []byte(parts[0] + "." + parts[1]), sig, nil
}

// decodeJSONPart decodes one base64url JSON part; strict rejects unknown fields.
func decodeJSONPart(part string, v any, strict bool) error {
	raw, err := b64url().DecodeString(part)
	if err != nil {
		return fmt.Errorf("%w: not base64url: %v", ErrMalformed, err)
	}
	return decodeOneJSON(raw, v, strict)
}

// decodeOneJSON decodes raw as exactly one JSON value into v (anything but white space after it
// is malformed); strict also rejects unknown fields. Token parts and QR payloads share it so
// that both sides read them alike.
func decodeOneJSON(raw []byte, v any, strict bool) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if strict {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: data after the JSON value", ErrMalformed)
	}
	return nil
}

// VerifyToken parses tok, requires alg SM2SM3 and verifies the signature with the verifier
// public key and the default signer ID (CAI-3.1). It does not check typ, audience or times:
// see CheckTyp and CheckClaims. Failures are *Error with code TOKEN_INVALID.
func VerifyToken(pub *ecdsa.PublicKey, tok string) (TokenHeader, Claims, error) {
	h, c, in, sig, err := ParseToken(tok)
	if err != nil {
		return h, c, err
	}
	if h.Alg != AlgSM2SM3 {
		return h, c, codeErr(CodeTokenInvalid, "token: %w: alg %q, want %q", ErrAlg, h.Alg, AlgSM2SM3)
	}
	if err := VerifyDER(pub, DefaultSignerID, in, sig); err != nil {
		return h, c, codeErr(CodeTokenInvalid, "token signature: %w", err)
	}
	return h, c, nil
}

// CheckTyp requires the header typ to be want (CAI-3.1): a face token is no real-name token.
func CheckTyp(h TokenHeader, want string) error {
	if h.Typ != want {
		return codeErr(CodeTokenInvalid, "token: %w: typ %q, want %q", ErrTyp, h.Typ, want)
	}
	return nil
}

// jtiPattern is the accepted jti: 16 to 64 printable characters without spaces.
var jtiPattern = regexp.MustCompile(`^[!-~]{16,64}$`)

// subPattern is a subject: 64 lowercase hex characters.
var subPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// ClaimOptions switch single checks of CheckClaimsWith off; the zero value runs them all. Each
// one breaks exactly one rule, which is what the reference channel's fault switches need
// (token-audience-ignored, token-expired-accepted, token-future-accepted) without a second copy
// of the checks.
type ClaimOptions struct {
	// SkipAudience accepts a token addressed to another channel (breaks CAI-3.2).
	SkipAudience bool
	// SkipExpiry accepts a token after its exp (breaks CAI-3.3).
	SkipExpiry bool
	// SkipNotYetValid accepts an iat far in the future (breaks CAI-3.3).
	SkipNotYetValid bool
}

// CheckClaims applies CAI-3.2 and CAI-3.3 in the standard's order for a token of type typ
// addressed to channelNo at time now: audience, expiry, not-yet-valid, lifetime. It also
// requires the claims every token has (iss, sub, jti, pii on real-name tokens). Failures are
// *Error with the code the standard prescribes.
func CheckClaims(c Claims, typ, channelNo string, now time.Time) error {
	return CheckClaimsWith(c, typ, channelNo, now, ClaimOptions{})
}

// CheckClaimsWith is CheckClaims with the checks opts switches off left out.
func CheckClaimsWith(c Claims, typ, channelNo string, now time.Time, opts ClaimOptions) error {
	if err := checkClaimSyntax(c, typ); err != nil {
		return err
	}
	if c.Aud != channelNo && !opts.SkipAudience {
		return codeErr(CodeTokenAudience, "token aud %q is not channel %q", c.Aud, channelNo)
	}
	unix := now.Unix()
	if c.Exp <= unix && !opts.SkipExpiry {
		return codeErr(CodeTokenExpired, "token expired at %d, now %d", c.Exp, unix)
	}
	if c.Iat > unix+MaxFutureIatSeconds && !opts.SkipNotYetValid {
		return codeErr(CodeTokenNotYetValid, "token iat %d is more than %d s after now %d", c.Iat, MaxFutureIatSeconds, unix)
	}
	limit := int64(MaxRealNameLifetimeSeconds)
	if typ == TypFace {
		limit = MaxFaceLifetimeSeconds
	}
	if c.Exp-c.Iat > limit {
		return codeErr(CodeTokenInvalid, "token lifetime %d s exceeds %d s", c.Exp-c.Iat, limit)
	}
	return nil
}

// checkClaimSyntax requires the claims a token of typ must carry.
func checkClaimSyntax(c Claims, typ string) error {
	switch {
	case c.Iss == "":
		return codeErr(CodeTokenInvalid, "token: %w: no iss", ErrMalformed)
	case !subPattern.MatchString(c.Sub):
		return codeErr(CodeTokenInvalid, "token: %w: sub is not 64 lowercase hex characters", ErrMalformed)
	case !jtiPattern.MatchString(c.Jti):
		return codeErr(CodeTokenInvalid, "token: %w: jti must be 16-64 printable characters", ErrMalformed)
	case typ == TypRealName && c.PII == "":
		return codeErr(CodeTokenInvalid, "token: %w: real-name token without pii", ErrMalformed)
	}
	return nil
}
