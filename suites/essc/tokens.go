package essc

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/chanconf/chanconf/fixtures/personas"
	"github.com/chanconf/chanconf/internal/cai"
)

// Default token lifetimes: comfortably inside the standard's limits (300 s and 120 s) so that a
// token stays valid through a slow case.
const (
	realNameLifetime = 240
	faceLifetime     = 90
	// expiredBy is how long before now an "expired" token expired: far outside any clock skew.
	expiredBy = 160
	// futureBy is how far after now a "future" token's iat lies: far beyond the 60 s allowed.
	futureBy = 600
)

// tokenOptions are the parsed options of realNameToken and faceToken. Each tamper option
// breaks exactly one rule of section 3, so that a case can expect exactly one error code.
type tokenOptions struct {
	id           string // memo name
	expired      bool   // exp in the past (TOKEN_EXPIRED)
	future       bool   // iat far in the future (TOKEN_NOT_YET_VALID)
	aud          string // audience other than the channel (TOKEN_AUDIENCE)
	alg          string // header alg other than SM2SM3 (TOKEN_INVALID)
	typ          string // header typ override (TOKEN_INVALID)
	wrongKey     bool   // signed by the attacker key (TOKEN_INVALID)
	tamperPII    bool   // a ciphertext byte flipped (TOKEN_DECRYPT_FAILED)
	tamperTag    bool   // a tag byte flipped (TOKEN_DECRYPT_FAILED)
	wrongDataKey bool   // pii sealed under another key (TOKEN_DECRYPT_FAILED)
	badIDNo      bool   // ID number with a wrong check character (ID_NUMBER_INVALID)
	lifetime     int64  // exp - iat in seconds; -1 means the default
	sub          string // persona whose subject the token carries (FACE_TOKEN_SUBJECT)
}

// tokenOptionNames lists the accepted options for error messages.
const tokenOptionNames = "id=NAME, expired, future, aud=VALUE, alg=none, alg=HS256, alg=VALUE, typ=VALUE, " +
	"wrong-key, tamper-pii, tamper-tag, wrong-data-key, bad-idno, lifetime=SECONDS, sub=PERSONA"

// parseTokenOptions parses the variadic options of a token function.
func parseTokenOptions(opts []string) (tokenOptions, error) {
	o := tokenOptions{lifetime: -1}
	flags := map[string]*bool{"expired": &o.expired, "future": &o.future, "wrong-key": &o.wrongKey,
		"tamper-pii": &o.tamperPII, "tamper-tag": &o.tamperTag, "wrong-data-key": &o.wrongDataKey,
		"bad-idno": &o.badIDNo}
	values := map[string]*string{"id": &o.id, "aud": &o.aud, "alg": &o.alg, "typ": &o.typ, "sub": &o.sub}
	for _, opt := range opts {
		key, val, hasVal := strings.Cut(opt, "=")
		if f, ok := flags[key]; ok && !hasVal {
			*f = true
			continue
		}
		if v, ok := values[key]; ok && hasVal && val != "" {
			*v = val
			continue
		}
		if key == "lifetime" && hasVal {
			n, err := strconv.ParseInt(val, 10, 64)
			if err != nil || n < 0 {
				return o, fmt.Errorf("token option %q: lifetime must be a number of seconds >= 0", opt)
			}
			o.lifetime = n
			continue
		}
		return o, fmt.Errorf("unknown token option %q (known: %s)", opt, tokenOptionNames)
	}
	if o.expired && o.future {
		return o, fmt.Errorf("token options expired and future exclude each other")
	}
	return o, nil
}

// token mints (or returns the memoised) token of type typ for persona.
func (c *caseEnv) token(typ, persona string, opts []string) (string, error) {
	fn := map[string]string{cai.TypRealName: "realNameToken", cai.TypFace: "faceToken"}[typ]
	o, err := parseTokenOptions(opts)
	if err != nil {
		return "", fmt.Errorf("%s: %w", fn, err)
	}
	memoKey := ""
	if o.id != "" {
		memoKey = fn + "|" + o.id
		if tok, ok := c.memoised(memoKey); ok {
			return tok, nil
		}
	}
	per, err := c.persona(persona)
	if err != nil {
		return "", fmt.Errorf("%s: %w", fn, err)
	}
	tok, err := c.mint(typ, per, o)
	if err != nil {
		return "", fmt.Errorf("%s %q: %w", fn, persona, err)
	}
	c.remember(memoKey, tok)
	return tok, nil
}

// mint builds one token of type typ for per with options o.
func (c *caseEnv) mint(typ string, per personas.Persona, o tokenOptions) (string, error) {
	if typ == cai.TypFace && (o.tamperPII || o.tamperTag || o.wrongDataKey) {
		return "", fmt.Errorf("face tokens carry no pii: tamper-pii, tamper-tag and wrong-data-key are for realNameToken")
	}
	claims, err := c.claims(typ, per, o)
	if err != nil {
		return "", err
	}
	if typ == cai.TypRealName {
		idNo := per.IDNo
		if o.badIDNo {
			idNo = personas.WithBadCheckChar(idNo)
		}
		if claims.PII, err = c.sealPII(claims.Jti, cai.PII{IDNo: idNo, Name: per.Name, Phone: per.Phone}, o); err != nil {
			return "", err
		}
	}
	h := cai.TokenHeader{Alg: cai.AlgSM2SM3, Typ: typ}
	if o.alg != "" {
		h.Alg = o.alg
	}
	if o.typ != "" {
		h.Typ = o.typ
	}
	return c.signToken(h, claims, o)
}

// claims returns the token claims for per: times, audience and subject per the options.
func (c *caseEnv) claims(typ string, per personas.Persona, o tokenOptions) (cai.Claims, error) {
	lifetime := int64(realNameLifetime)
	if typ == cai.TypFace {
		lifetime = faceLifetime
	}
	if o.lifetime >= 0 {
		lifetime = o.lifetime
	}
	now := c.p.now().Unix()
	iat := now
	switch {
	case o.expired:
		iat = now - expiredBy - lifetime
	case o.future:
		iat = now + futureBy
	}
	idNo := per.IDNo
	if o.badIDNo {
		idNo = personas.WithBadCheckChar(idNo)
	}
	sub := cai.Subject(idNo)
	if o.sub != "" {
		other, err := c.persona(o.sub)
		if err != nil {
			return cai.Claims{}, fmt.Errorf("sub=: %w", err)
		}
		sub = other.Subject
	}
	aud := c.p.decl.ChannelNo
	if o.aud != "" {
		aud = o.aud
	}
	jti, err := randomHex(16)
	if err != nil {
		return cai.Claims{}, err
	}
	return cai.Claims{Iss: cai.VerifierIssuer, Sub: sub, Aud: aud, Iat: iat, Exp: iat + lifetime, Jti: jti}, nil
}

// sealPII seals pii under the data key (or a wrong one) and applies the tamper options.
func (c *caseEnv) sealPII(jti string, pii cai.PII, o tokenOptions) (string, error) {
	key := c.p.dataKey
	if o.wrongDataKey {
		key = make([]byte, len(c.p.dataKey))
		for i, b := range c.p.dataKey {
			key[i] = b ^ 0xA5
		}
	}
	sealed, err := cai.SealPII(key, jti, pii)
	if err != nil {
		return "", err
	}
	if !o.tamperPII && !o.tamperTag {
		return sealed, nil
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", err
	}
	if o.tamperPII {
		raw[12] ^= 0x01 // first ciphertext byte, after the 12-byte nonce
	}
	if o.tamperTag {
		raw[len(raw)-1] ^= 0x01 // last byte of the 16-byte tag
	}
	return base64.StdEncoding.EncodeToString(raw), nil
}

// signToken signs the token as the options say: the verifier key, the attacker key, no
// signature (alg=none) or an HMAC keyed with the verifier's public key (alg=HS256, the classic
// algorithm-confusion attack).
func (c *caseEnv) signToken(h cai.TokenHeader, claims cai.Claims, o tokenOptions) (string, error) {
	switch strings.ToLower(h.Alg) {
	case "none":
		return cai.AssembleToken(h, claims, nil)
	case "hs256":
		in, err := cai.TokenSigningInput(h, claims)
		if err != nil {
			return "", err
		}
		mac := hmac.New(sha256.New, c.p.keys.PEM.VerifierPub)
		mac.Write([]byte(in))
		return cai.AssembleToken(h, claims, mac.Sum(nil))
	}
	key := c.p.keys.Verifier
	if o.wrongKey {
		key = c.p.keys.Attacker
	}
	in, err := cai.TokenSigningInput(h, claims)
	if err != nil {
		return "", err
	}
	sig, err := cai.SignDER(key, cai.DefaultSignerID, []byte(in))
	if err != nil {
		return "", err
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// randomHex returns n random bytes as hex.
func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random: %w", err)
	}
	return hex.EncodeToString(b), nil
}
