package essc

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/personas"
	"github.com/chanconf/chanconf/internal/cai"
)

func TestScanPersonalData(t *testing.T) {
	per := personas.New(5, "detect").For("DET-001", "alice")
	known := []personas.Persona{per}
	qr := func(payload string) string {
		return cai.QRPrefix + base64.RawURLEncoding.EncodeToString([]byte(payload)) + ".AAAA"
	}
	const unknownID = "11010519491231002X"
	tests := []struct {
		name  string
		text  string
		kinds []string // kinds found, in order
	}{
		{"ID in JSON body", `{"idNoMasked":"` + unknownID + `"}`, []string{KindIDNo}},
		{"lower-case x", `{"id":"11010519491231002x"}`, []string{KindIDNo}},
		{"phone in header", "X-Debug: citizen 13912345678 logged in\n", []string{KindPhone}},
		{"phone +86", "tel:+8613912345678", []string{KindPhone}},
		{"bank account", `{"acct":"6222021234567890127"}`, nil},
		{"luhn bank account", `{"acct":"` + luhn("622202123456789012") + `"}`, []string{KindBankAccount}},
		{"known name in GraphQL error", `{"errors":[{"message":"card of ` + per.Name + ` not found"}]}`, []string{KindName}},
		{"known name JSON-escaped", `{"m":"` + escapeJSON(per.Name) + `"}`, []string{KindName}},
		{"known phone and account", per.Phone + " " + per.BankAccount, []string{KindPhone, KindBankAccount}},
		{"QR payload", `{"qrCode":"` + qr(`{"v":1,"ch":"1000000001","idNo":"`+per.IDNo+`"}`) + `"}`, []string{KindIDNo}},
		{"percent-encoded name", "Location: /x?n=" + percent(per.Name), []string{KindName}},
		// Masked and harmless values.
		{"masked", `{"idNoMasked":"110***********1234","phoneMasked":"138****5678","nameMasked":"张*","bank":"622202*********0123"}`, nil},
		{"persona masks", cai.MaskIDNo(per.IDNo) + cai.MaskName(per.Name) + cai.MaskPhone(per.Phone) + cai.MaskBankAccount(per.BankAccount), nil},
		{"timestamps", `{"ts":1750000000000,"iat":1750000000}`, nil},
		{"ID inside hex", "ab" + unknownID[:17] + "0f", nil},
		{"bad check char", `{"id":"110105194912310021"}`, nil},
		{"implausible birth date", `{"id":"` + withCheck("11010519491331002") + `"}`, nil},
		{"subject digest", per.Subject, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ScanPersonalData(tt.text, known)
			var kinds []string
			for _, f := range got {
				kinds = append(kinds, f.Kind)
				if strings.Contains(tt.text, f.Value) && !strings.Contains(f.Value, "*") {
					t.Errorf("finding shows the unmasked value %q", f.Value)
				}
			}
			if strings.Join(kinds, ",") != strings.Join(tt.kinds, ",") {
				t.Fatalf("found %v, want kinds %v", got, tt.kinds)
			}
		})
	}
}

func TestScanFindingWhere(t *testing.T) {
	text := `{"a":1,"qr":"` + cai.QRPrefix + base64.RawURLEncoding.EncodeToString([]byte(`{"phone":"13712345678"}`)) + `.AAAA"}`
	got := ScanPersonalData(text, nil)
	if len(got) != 1 || !strings.HasPrefix(got[0].Where, "QR code payload") || got[0].Value != "137****5678" {
		t.Fatalf("findings %v", got)
	}
}

func luhn(body string) string { return body + string(personas.LuhnDigit(body)) }

func withCheck(first17 string) string { return first17 + string(cai.CheckChar(first17)) }

func escapeJSON(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

func percent(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		b.WriteString("%")
		b.WriteByte("0123456789ABCDEF"[c>>4])
		b.WriteByte("0123456789ABCDEF"[c&0xF])
	}
	return b.String()
}

// TestScanManyPersonas bounds the cost of a run-wide scan: 2 000 personas over 1 000 bodies.
func TestScanManyPersonas(t *testing.T) {
	g := personas.New(9, "many")
	known := make([]personas.Persona, 2000)
	for i := range known {
		known[i] = g.For("C", fmt.Sprint(i))
	}
	det := NewDetector(known)
	body := strings.Repeat(`{"cardId":"c_7Hq2LmX9pQ4sT1vW","nameMasked":"张*","message":"卡片未找到"}`, 8)
	for range 1000 {
		if f := det.Scan(body); len(f) != 0 {
			t.Fatalf("findings in a clean body: %v", f)
		}
	}
	if f := det.Scan(body + known[1234].Name); len(f) != 1 || f[0].Kind != KindName {
		t.Fatalf("planted name: %v", f)
	}
}
