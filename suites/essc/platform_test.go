package essc

import (
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/personas"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/suites/engine"
)

func TestDeclared(t *testing.T) {
	p, _ := testPlatform(t)
	d := p.Declared()
	other, _ := d["otherChannelNo"].(string)
	if other == p.decl.ChannelNo || len(other) != 10 || strings.Trim(other, "0123456789") != "" {
		t.Errorf("otherChannelNo %q", other)
	}
	un, _ := d["unsupportedRegion"].(string)
	if slices.Contains(p.decl.Regions, un) || !slices.Contains(personas.Regions(), un) {
		t.Errorf("unsupportedRegion %q", un)
	}
	if d["channelNo"] != "1000000001" || d["qrLifetimeSeconds"] != 5 || d["level2"] != true {
		t.Errorf("declared %v", d)
	}
	for _, v := range d {
		if s, ok := v.(string); ok && strings.Contains(s, p.decl.Sandbox.DataKey) {
			t.Errorf("declared data leaks the data key")
		}
	}
	if OtherChannelNo("9000000001") == "9000000001" {
		t.Error("OtherChannelNo returned its input")
	}
}

func TestPersonasAndMask(t *testing.T) {
	p, _ := testPlatform(t)
	c := testCase(t, p)
	ps := c.Personas()
	alice := ps["alice"]
	if alice["region"] != "110000" || alice["region2"] != "310000" || !cai.ValidIDNo(alice["idNo"]) ||
		alice["subject"] != cai.Subject(alice["idNo"]) || cai.ValidIDNo(alice["badIdNo"]) {
		t.Fatalf("alice %v", alice)
	}
	for _, f := range []string{"idNo", "name", "phone", "bankAccount", "region", "device", "subject", "sex", "birth", "region2"} {
		if alice[f] == "" {
			t.Errorf("field %s empty", f)
		}
	}
	if ps["bob"]["idNo"] == alice["idNo"] {
		t.Fatal("alice and bob share an ID number")
	}
	again := testCase(t, p).Personas()
	if again["alice"]["idNo"] != alice["idNo"] {
		t.Fatal("same run, case and seed gave another persona")
	}
	other, _ := p.NewCase(engine.CaseInfo{RunID: "run-2", CaseID: "TEST-001", Personas: []string{"alice"}, Seed: 1})
	if other.Personas()["alice"]["idNo"] == alice["idNo"] {
		t.Fatal("another run ID gave the same persona")
	}
	tests := []struct{ kind, want string }{
		{"idNo", cai.MaskIDNo(alice["idNo"])},
		{"name", cai.MaskName(alice["name"])},
		{"phone", cai.MaskPhone(alice["phone"])},
		{"bankAccount", cai.MaskBankAccount(alice["bankAccount"])},
	}
	for _, tt := range tests {
		if got, err := c.Mask(tt.kind, "alice"); err != nil || got != tt.want {
			t.Errorf("Mask(%s) = %q, %v; want %q", tt.kind, got, err, tt.want)
		}
	}
	if _, err := c.Mask("email", "alice"); err == nil {
		t.Error("unknown mask kind accepted")
	}
	if _, err := c.Mask("idNo", "carol"); err == nil {
		t.Error("unknown persona accepted")
	}
	if _, err := p.NewCase(engine.CaseInfo{CaseID: "X", Personas: []string{"a", "a"}}); err == nil {
		t.Error("duplicate persona accepted")
	}
	if n := len(p.KnownPersonas()); n != 3 {
		t.Errorf("%d known personas, want 3 distinct", n)
	}
}

func TestSecrets(t *testing.T) {
	p, ks := testPlatform(t)
	s := p.Secrets()
	for _, want := range []string{"00112233445566778899aabbccddeeff", "ABEiM0RVZneImaq7zN3u/w=="} {
		if !slices.Contains(s, want) {
			t.Errorf("secrets lack %q", want)
		}
	}
	pemText := string(ks.PEM.PlatformKey)
	covered := false
	for _, sec := range s {
		if len(sec) > 40 && strings.Contains(pemText, sec) {
			covered = true
		}
	}
	if !covered {
		t.Error("platform private key not among the secrets")
	}
	if h := p.SensitiveHeaders(); !slices.Contains(h, "Authorization") || !slices.Contains(h, cai.HeaderSignature) {
		t.Errorf("sensitive headers %v", h)
	}
}

func TestQRClaim(t *testing.T) {
	_, ks := testPlatform(t)
	code, err := cai.EncodeQR(ks.Channel, "1000000001", cai.QRPayload{V: 1, Ch: "1000000001", Cid: "c1", Qid: "q1", Iat: 1750000000000, Exp: 1750000005000})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		field string
		want  any
	}{
		{"exp", int64(1750000005000)},
		{"iat", int64(1750000000000)},
		{"v", int64(1)},
		{"cid", "c1"},
		{"ch", "1000000001"},
	}
	for _, tt := range tests {
		if got, err := QRClaim(code, tt.field); err != nil || got != tt.want {
			t.Errorf("QRClaim(%s) = %#v, %v; want %#v", tt.field, got, err, tt.want)
		}
	}
	for _, bad := range [][2]string{{code, "idNo"}, {"not a code", "exp"}, {"CAIQR1.!!!.x", "exp"}} {
		if _, err := QRClaim(bad[0], bad[1]); err == nil {
			t.Errorf("QRClaim(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

func TestQRVerifyAndFields(t *testing.T) {
	p, ks := testPlatform(t)
	payload := cai.QRPayload{V: 1, Ch: "1000000001", Cid: "c1", Qid: "q1", Iat: 1750000000000, Exp: 1750000005000}
	good, err := cai.EncodeQR(ks.Channel, "1000000001", payload)
	if err != nil {
		t.Fatal(err)
	}
	defaultID, err := cai.EncodeQR(ks.Channel, cai.DefaultSignerID, payload)
	if err != nil {
		t.Fatal(err)
	}
	otherKey, err := cai.EncodeQR(ks.Attacker, "1000000001", payload)
	if err != nil {
		t.Fatal(err)
	}
	extra, err := cai.EncodeQRJSON(ks.Channel, "1000000001", []byte(`{"v":1,"ch":"1000000001","cid":"c1","qid":"q1","iat":1750000000000,"exp":1750000005000,"idNo":"x"}`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, code, want string
	}{
		{"channel key and channel number", good, "valid"},
		// The signature is CAI-6.3's; the extra member is CAI-6.6's, judged by QRFields.
		{"extra payload member, signed correctly", extra, "valid"},
		{"default signer ID", defaultID, "invalid: signed with the default signer ID instead of the channel number"},
		{"another key", otherKey, "invalid: "},
		{"not a code", "hello", "invalid: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.QRVerify(tt.code)
			if got != tt.want && !(tt.want == "invalid: " && strings.HasPrefix(got, tt.want)) {
				t.Errorf("QRVerify = %q, want %q", got, tt.want)
			}
		})
	}
	if f, err := QRFields(good); err != nil || f != "ch,cid,exp,iat,qid,v" {
		t.Errorf("QRFields = %q, %v", f, err)
	}
	if f, err := QRFields(extra); err != nil || f != "ch,cid,exp,iat,idNo,qid,v" {
		t.Errorf("QRFields of a payload with an extra member = %q, %v", f, err)
	}
	if _, err := QRFields("hello"); err == nil {
		t.Error("QRFields accepted a non-code")
	}
}
