package esscv1_test

import (
	"bytes"
	"crypto/cipher"
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/sm4"
	"github.com/getkin/kin-openapi/openapi3"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/internal/cai"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// The inputs of the test vectors of STANDARD.md appendix B. The document prints them too; the
// test checks that it prints exactly these.
const (
	vecChannelNo   = "1000000001"
	vecMethod      = "POST"
	vecPath        = "/cai/v1/platform/events"
	vecTimestamp   = "1772352000000"
	vecNonce       = "n-4f1c2b7a9e0d3c58"
	vecRequestBody = `{"eventId":"evt-2026030108000001","type":"CHANNEL_SUSPENDED","occurredAt":"2026-03-01T08:00:00Z","data":{}}`

	vecResponseStatus    = 200
	vecResponseTimestamp = "1772352000123"
	vecResponseBody      = `{"eventId":"evt-2026030108000001","status":"APPLIED"}`

	vecIDNo        = "11010519491231002X"
	vecName        = "张三"
	vecPhone       = "13812345678"
	vecBankAccount = "6222021234567890123"
	vecDataKeyHex  = "00112233445566778899aabbccddeeff"
	vecPIINonceHex = "000102030405060708090a0b"
	vecJTI         = "rn-0123456789abcdef"
	vecIat         = 1772352000
	vecExp         = 1772352300
	vecCardID      = "c_7Hq2LmX9pQ4sT1vW"
)

// vectorBlock matches one published vector: an HTML comment naming it, then a fenced block whose
// content (without the final newline) is the value.
var vectorBlock = regexp.MustCompile("(?s)<!-- vector: ([a-z0-9-]+) -->\n```[a-z]*\n(.*?)\n```")

// parseVectors returns the named vector blocks of a document and the names given more than once.
func parseVectors(doc string) (map[string]string, []string) {
	got := map[string]string{}
	var dups []string
	for _, m := range vectorBlock.FindAllStringSubmatch(doc, -1) {
		if _, dup := got[m[1]]; dup {
			dups = append(dups, m[1])
		}
		got[m[1]] = m[2]
	}
	return got, dups
}

// pemBody strips the TEST-ONLY comment line of a committed PEM file.
func pemBody(t *testing.T, pemFile []byte) string {
	t.Helper()
	i := bytes.Index(pemFile, []byte("-----BEGIN"))
	if i < 0 {
		t.Fatalf("no PEM block in %q", pemFile)
	}
	return strings.TrimSpace(string(pemFile[i:]))
}

// computeVectors recomputes every vector of appendix B with internal/cai and the committed test
// keys. It fails the test when a computed value does not verify with cai (a vector that does not
// verify is worse than none).
func computeVectors(t *testing.T) map[string]string {
	t.Helper()
	set, err := keys.Load()
	if err != nil {
		t.Fatalf("load test keys: %v", err)
	}
	v := map[string]string{
		"sm3-abc":              cai.SM3Hex([]byte("abc")),
		"sm3-empty":            cai.SM3Hex(nil),
		"platform-private-key": pemBody(t, set.PEM.PlatformKey),
		"platform-public-key":  pemBody(t, set.PEM.PlatformPub),
		"verifier-public-key":  pemBody(t, set.PEM.VerifierPub),
		"channel-public-key":   pemBody(t, set.PEM.ChannelPub),
		"request-body":         vecRequestBody,
		"request-body-sm3":     cai.SM3Hex([]byte(vecRequestBody)),
		"response-body":        vecResponseBody,
		"response-body-sm3":    cai.SM3Hex([]byte(vecResponseBody)),
	}

	canonReq := cai.CanonicalRequest(vecMethod, vecPath, vecTimestamp, vecNonce, vecChannelNo, []byte(vecRequestBody))
	v["canonical-request"] = string(canonReq)
	v["request-signature"] = signVector(t, set.Platform, cai.PlatformSignerID, canonReq)

	canonResp := cai.CanonicalResponse(vecResponseStatus, vecResponseTimestamp, vecNonce, []byte(vecResponseBody))
	v["canonical-response"] = string(canonResp)
	v["response-signature"] = signVector(t, set.Channel, vecChannelNo, canonResp)

	tokenVectors(t, set, v)
	v["masked-card"] = maskedCard(t)
	return v
}

// signVector signs deterministically and checks that the signature verifies with the signer ID
// and fails with any other (Z_A depends on it).
func signVector(t *testing.T, priv *sm2.PrivateKey, signerID string, msg []byte) string {
	t.Helper()
	sig, err := cai.SignDeterministic(priv, signerID, msg)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
	if err := cai.Verify(&priv.PublicKey, signerID, msg, sig); err != nil {
		t.Fatalf("vector signature does not verify: %v", err)
	}
	if err := cai.Verify(&priv.PublicKey, cai.DefaultSignerID, msg, sig); err == nil {
		t.Fatalf("vector signature verifies with the default signer ID too")
	}
	return sig
}

// tokenVectors computes the real-name token vector: the sealed pii with a fixed GCM nonce
// (internal/cai seals with a random one, so the seal is done here with SM4-GCM and opened
// with cai.OpenPII), the header and payload JSON, the signing input and the compact token.
func tokenVectors(t *testing.T, set *keys.Set, v map[string]string) {
	t.Helper()
	dataKey, _ := hex.DecodeString(vecDataKeyHex)
	nonce, _ := hex.DecodeString(vecPIINonceHex)
	pii := cai.PII{IDNo: vecIDNo, Name: vecName, Phone: vecPhone}
	plain, err := json.Marshal(pii)
	if err != nil {
		t.Fatalf("pii json: %v", err)
	}
	block, err := sm4.NewCipher(dataKey)
	if err != nil {
		t.Fatalf("sm4: %v", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		t.Fatalf("gcm: %v", err)
	}
	sealed := base64.StdEncoding.EncodeToString(aead.Seal(bytes.Clone(nonce), nonce, plain, []byte(vecJTI)))
	opened, err := cai.OpenPII(dataKey, vecJTI, sealed)
	if err != nil || opened != pii {
		t.Fatalf("cai.OpenPII of the vector: %+v, %v", opened, err)
	}

	h := cai.TokenHeader{Alg: cai.AlgSM2SM3, Typ: cai.TypRealName}
	c := cai.Claims{Iss: cai.VerifierIssuer, Sub: cai.Subject(vecIDNo), Aud: vecChannelNo,
		Iat: vecIat, Exp: vecExp, Jti: vecJTI, PII: sealed}
	hj, _ := json.Marshal(h)
	cj, _ := json.Marshal(c)
	input, err := cai.TokenSigningInput(h, c)
	if err != nil {
		t.Fatalf("signing input: %v", err)
	}
	sigB64, err := cai.SignDeterministic(set.Verifier, cai.DefaultSignerID, []byte(input))
	if err != nil {
		t.Fatalf("sign token: %v", err)
	}
	der, _ := base64.StdEncoding.DecodeString(sigB64)
	token := input + "." + base64.RawURLEncoding.EncodeToString(der)
	if _, _, err := cai.VerifyToken(&set.Verifier.PublicKey, token); err != nil {
		t.Fatalf("vector token does not verify: %v", err)
	}
	if err := cai.CheckClaims(c, cai.TypRealName, vecChannelNo, time.Unix(vecIat+1, 0)); err != nil {
		t.Fatalf("vector token claims refused: %v", err)
	}

	v["subject"] = cai.Subject(vecIDNo)
	v["data-key"] = vecDataKeyHex
	v["pii-nonce"] = vecPIINonceHex
	v["pii-plaintext"] = string(plain)
	v["pii"] = sealed
	v["token-header"] = string(hj)
	v["token-payload"] = string(cj)
	v["token-signing-input"] = input
	v["real-name-token"] = token
}

// maskedCard is the card of the vector persona as getCard returns it, masked with internal/cai;
// it must also satisfy the contract's Card schema.
func maskedCard(t *testing.T) string {
	t.Helper()
	card := struct {
		CardID            string `json:"cardId"`
		Status            string `json:"status"`
		Level             int    `json:"level"`
		Region            string `json:"region"`
		IDNoMasked        string `json:"idNoMasked"`
		NameMasked        string `json:"nameMasked"`
		PhoneMasked       string `json:"phoneMasked"`
		BankAccountMasked string `json:"bankAccountMasked"`
		IssuedAt          string `json:"issuedAt"`
	}{vecCardID, "ISSUED", 2, "110000", cai.MaskIDNo(vecIDNo), cai.MaskName(vecName),
		cai.MaskPhone(vecPhone), cai.MaskBankAccount(vecBankAccount), "2026-03-01T08:00:00Z"}
	out, err := json.MarshalIndent(card, "", "  ")
	if err != nil {
		t.Fatalf("card json: %v", err)
	}
	doc := loadContract(t)
	var value any
	if err := json.Unmarshal(out, &value); err != nil {
		t.Fatalf("card json: %v", err)
	}
	if err := doc.Components.Schemas["Card"].Value.VisitJSON(value, openapi3.VisitAsResponse()); err != nil {
		t.Fatalf("masked card vector does not satisfy the Card schema: %v", err)
	}
	return string(out)
}

func TestVectorsMatchStandard(t *testing.T) {
	text, err := esscv1.FS.ReadFile("STANDARD.md")
	if err != nil {
		t.Fatalf("read STANDARD.md: %v", err)
	}
	published, dups := parseVectors(string(text))
	if len(dups) > 0 {
		t.Errorf("vectors named more than once in STANDARD.md: %v", dups)
	}
	computed := computeVectors(t)
	var names []string
	for name := range computed {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			got, ok := published[name]
			switch {
			case !ok:
				t.Errorf("STANDARD.md lacks vector %q; it is:\n%s", name, computed[name])
			case got != computed[name]:
				t.Errorf("STANDARD.md vector %q is\n%s\nbut internal/cai computes\n%s", name, got, computed[name])
			}
		})
	}
	for name := range published {
		if _, ok := computed[name]; !ok {
			t.Errorf("STANDARD.md vector %q is not checked by this test", name)
		}
	}
}

// TestVectorParsing shows that the parser finds vectors, keeps their exact bytes and reports a
// duplicate, so that a vector cannot silently escape the comparison.
func TestVectorParsing(t *testing.T) {
	doc := "text\n<!-- vector: a-1 -->\n```text\nline1\nline2\n```\n\n<!-- vector: b -->\n```\n x \n```\n"
	got, dups := parseVectors(doc)
	if len(got) != 2 || got["a-1"] != "line1\nline2" || got["b"] != " x " || len(dups) != 0 {
		t.Fatalf("parsed %q, duplicates %v", got, dups)
	}
	if _, dups := parseVectors(doc + doc); len(dups) != 2 {
		t.Fatalf("duplicates in a doubled document: %v, want 2", dups)
	}
}

// TestVectorSignatureIsBoundToKey checks the property the request vector illustrates: the
// published signature does not verify over a changed canonical request or with another key.
func TestVectorSignatureIsBoundToKey(t *testing.T) {
	set, err := keys.Load()
	if err != nil {
		t.Fatalf("load test keys: %v", err)
	}
	canon := cai.CanonicalRequest(vecMethod, vecPath, vecTimestamp, vecNonce, vecChannelNo, []byte(vecRequestBody))
	sig := signVector(t, set.Platform, cai.PlatformSignerID, canon)
	tests := []struct {
		name string
		pub  *ecdsa.PublicKey
		msg  []byte
	}{
		{"other body", &set.Platform.PublicKey,
			cai.CanonicalRequest(vecMethod, vecPath, vecTimestamp, vecNonce, vecChannelNo, []byte(vecRequestBody+" "))},
		{"path without base path", &set.Platform.PublicKey,
			cai.CanonicalRequest(vecMethod, "/platform/events", vecTimestamp, vecNonce, vecChannelNo, []byte(vecRequestBody))},
		{"attacker key", &set.Attacker.PublicKey, canon},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := cai.Verify(tt.pub, cai.PlatformSignerID, tt.msg, sig); err == nil {
				t.Fatal("signature verified")
			}
		})
	}
}

// hex64 finds SM3 digests written anywhere in the text (worked examples outside Appendix B too).
var hex64 = regexp.MustCompile(`\b[0-9a-f]{64}\b`)

// maskRow is a row of the mask examples table of section 9.
var maskRow = regexp.MustCompile("(?m)^\\| (ID number|name|phone|bank account) \\| `([^`]+)` \\| `([^`]+)` \\|$")

// unknownDigests returns the 64-hex strings of text that are not digests of a vector.
func unknownDigests(text string, vectors map[string]string) []string {
	known := map[string]bool{}
	for _, name := range []string{"sm3-abc", "sm3-empty", "request-body-sm3", "response-body-sm3", "subject"} {
		known[vectors[name]] = true
	}
	var unknown []string
	for _, d := range hex64.FindAllString(text, -1) {
		if !known[d] {
			unknown = append(unknown, d)
		}
	}
	return unknown
}

// badMaskRows returns the rows of the section 9 examples whose mask differs from internal/cai's.
func badMaskRows(text string) (rows int, bad []string) {
	masks := map[string]func(string) string{
		"ID number": cai.MaskIDNo, "name": cai.MaskName, "phone": cai.MaskPhone, "bank account": cai.MaskBankAccount,
	}
	for _, m := range maskRow.FindAllStringSubmatch(text, -1) {
		rows++
		if got := masks[m[1]](m[2]); got != m[3] {
			bad = append(bad, m[1]+" "+m[2]+": document says "+m[3]+", internal/cai masks "+got)
		}
	}
	return rows, bad
}

// TestWorkedExamplesMatchCode guards the examples in the body of STANDARD.md that are not vector
// blocks: every SM3 digest written anywhere must be one of the vectors', and every mask example
// must be what internal/cai produces. Each guard is shown to fire on a doctored text.
func TestWorkedExamplesMatchCode(t *testing.T) {
	text, err := esscv1.FS.ReadFile("STANDARD.md")
	if err != nil {
		t.Fatalf("read STANDARD.md: %v", err)
	}
	vectors := computeVectors(t)
	if got := unknownDigests(string(text), vectors); len(got) != 0 {
		t.Errorf("STANDARD.md writes digests no vector computes: %v", got)
	}
	rows, bad := badMaskRows(string(text))
	if rows < 5 {
		t.Errorf("found %d mask example rows in section 9, want at least 5", rows)
	}
	for _, b := range bad {
		t.Error(b)
	}

	doctored := strings.Replace(string(text), vectors["request-body-sm3"], strings.Repeat("0", 64), 1)
	if got := unknownDigests(doctored, vectors); len(got) != 1 {
		t.Errorf("a doctored digest was not caught: %v", got)
	}
	doctored = strings.Replace(string(text), "`138****5678` |", "`1381***5678` |", 1)
	if _, bad := badMaskRows(doctored); len(bad) != 1 {
		t.Errorf("a doctored mask was not caught: %v", bad)
	}
}
