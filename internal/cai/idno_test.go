package cai

import (
	"os"
	"regexp"
	"testing"
)

func TestIDNo(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"11010519491231002X", true},
		{"110105194912310021", false},
		{"11010519491231002x", false},
		{"11010519491231002", false},
		{"11010519491231002XX", false},
		{"A1010519491231002X", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := ValidIDNo(tt.id); got != tt.want {
			t.Errorf("ValidIDNo(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
	if c := CheckChar("11010519491231002"); c != 'X' {
		t.Errorf("CheckChar = %q, want X", c)
	}
	if c := CheckChar("1101051949123100"); c != 0 {
		t.Errorf("CheckChar(16 digits) = %q, want 0", c)
	}
}

func TestMasks(t *testing.T) {
	tests := []struct {
		name string
		fn   func(string) string
		in   string
		want string
	}{
		{"idNo", MaskIDNo, "110105194912311234", "110***********1234"},
		{"idNo X", MaskIDNo, "11010519491231002X", "110***********002X"},
		{"phone", MaskPhone, "13812345678", "138****5678"},
		{"name two", MaskName, "张三", "张*"},
		{"name compound", MaskName, "欧阳娜娜", "欧***"},
		{"name three", MaskName, "欧阳娜", "欧**"},
		{"name one", MaskName, "张", "张"},
		{"name empty", MaskName, "", ""},
		{"bank 16", MaskBankAccount, "6222021234567890", "622202******7890"},
		{"bank 19", MaskBankAccount, "6222021234567890123", "622202*********0123"},
		{"too short", MaskPhone, "1234", "****"},
	}
	for _, tt := range tests {
		if got := tt.fn(tt.in); got != tt.want {
			t.Errorf("%s: mask(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestCodesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Codes() {
		if seen[c] || c == "" {
			t.Errorf("code %q repeated or empty", c)
		}
		seen[c] = true
	}
	std, err := os.ReadFile("../../specs/essc/v1/STANDARD.md")
	if err != nil {
		t.Fatal(err)
	}
	// The standard's table of error codes: rows "| `CODE` | status | clauses |".
	table := map[string]bool{}
	for _, m := range regexp.MustCompile("(?m)^\\| `([A-Z][A-Z_]*)` \\| [0-9]{3}").FindAllStringSubmatch(string(std), -1) {
		table[m[1]] = true
		if !seen[m[1]] {
			t.Errorf("STANDARD.md's error-code table has %s, which Codes() lacks", m[1])
		}
	}
	for c := range seen {
		if !table[c] {
			t.Errorf("Codes() has %s, which STANDARD.md's error-code table lacks", c)
		}
	}
}

func TestChannelNoAndRegionSyntax(t *testing.T) {
	tests := []struct {
		name      string
		s         string
		channelNo bool
		region    bool
	}{
		{"channel number", "1000000001", true, false},
		{"region", "110000", false, true},
		{"empty", "", false, false},
		{"letter", "11000A", false, false},
		{"full-width digits", "１１００００", false, false},
		{"eleven digits", "10000000011", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ValidChannelNo(tt.s); got != tt.channelNo {
				t.Errorf("ValidChannelNo(%q) = %v", tt.s, got)
			}
			if got := ValidRegion(tt.s); got != tt.region {
				t.Errorf("ValidRegion(%q) = %v", tt.s, got)
			}
		})
	}
}
