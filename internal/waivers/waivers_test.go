package waivers

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
)

const good = `- id: SEC-HDR-004
  reason: CDN strips Cache-Control
  approver: Zhang Wei
  expires: 2025-09-30
- id: FUN-SES-002
  reason: fix in 2.3
  approver: Li Na
  expires: 2025-01-31
- id: FUN-QR-001
  reason: passes anyway
  approver: Li Na
  expires: 2030-01-01
- id: FUN-XYZ-999
  reason: case removed
  approver: Li Na
  expires: 2030-01-01
`

func report() *reports.Report {
	r := &reports.Report{Target: reports.Target{Profiles: []string{"rest"}}, Cases: reports.Cases{
		{ID: "SEC-HDR-004", Level: "MUST", Profile: "any", State: reports.Fail, Message: "no Cache-Control"},
		{ID: "FUN-SES-002", Level: "MUST", Profile: "rest", State: reports.Fail, Message: "device not bound"},
		{ID: "FUN-QR-001", Level: "MUST", Profile: "rest", State: reports.Pass},
	}}
	reports.Judge(r)
	return r
}

func TestApply(t *testing.T) {
	f, err := Parse("w.yaml", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		now         time.Time
		wantStates  string
		wantVerdict reports.Verdict
		wantWarn    []string
	}{
		{"both live", time.Date(2025, 1, 31, 23, 59, 0, 0, time.UTC), "WAIVED,WAIVED,PASS", reports.Conformant,
			[]string{"FUN-QR-001 not used: the case is PASS", "FUN-XYZ-999 matches no case"}},
		{"one expired", time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), "WAIVED,FAIL,PASS", reports.Nonconformant,
			[]string{"w.yaml:5: waiver for FUN-SES-002 expired on 2025-01-31 and is ignored"}},
		{"all expired", time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC), "FAIL,FAIL,PASS", reports.Nonconformant,
			[]string{"SEC-HDR-004 expired", "FUN-QR-001 expired", "FUN-XYZ-999 expired"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := report()
			warnings := f.Apply(r, tt.now)
			var states []string
			for _, c := range r.Cases {
				states = append(states, c.State.String())
			}
			if got := strings.Join(states, ","); got != tt.wantStates {
				t.Errorf("states %s, want %s", got, tt.wantStates)
			}
			if r.Verdict != tt.wantVerdict || r.Filters.Waivers != "w.yaml" {
				t.Errorf("verdict %s, filters %+v", r.Verdict, r.Filters)
			}
			text := strings.Join(warnings, "\n")
			for _, w := range tt.wantWarn {
				if !strings.Contains(text, w) {
					t.Errorf("warnings lack %q:\n%s", w, text)
				}
			}
			if r.Cases[0].State == reports.Waived && !strings.HasPrefix(r.Cases[0].Message, "waived by Zhang Wei until 2025-09-30: CDN strips Cache-Control\nno Cache-Control") {
				t.Errorf("waived message %q", r.Cases[0].Message)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"not a list", "id: X-1\n", []string{"must be a list"}},
		{"unknown key", "- {id: SEC-A-1, reason: r, approver: a, expires: 2025-01-01, until: x}\n", []string{"w.yaml", "line 1: field until not found"}},
		{"missing fields", "- id: SEC-A-1\n", []string{"reason is required", "approver is required", `expires must be a date YYYY-MM-DD, got ""`}},
		{"bad id and date", "- {id: nope, reason: r, approver: a, expires: 31/01/2025}\n", []string{"id must be a case ID", "got \"31/01/2025\""}},
		{"twice", "- {id: SEC-A-1, reason: r, approver: a, expires: 2025-01-01}\n- {id: SEC-A-1, reason: r, approver: a, expires: 2025-01-01}\n",
			[]string{"w.yaml:2: case SEC-A-1 is already waived on line 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("w.yaml", []byte(tt.yaml))
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
		})
	}
	f, err := Parse("empty.yaml", nil)
	if err != nil || len(f.Waivers) != 0 {
		t.Errorf("an empty file: %v %v", f, err)
	}
}

func TestLoad(t *testing.T) {
	path := filepath.Join(t.TempDir(), "w.yaml")
	if err := os.WriteFile(path, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil || len(f.Waivers) != 4 || f.Waivers[1].Line != 5 || f.Path != path {
		t.Fatalf("loaded %+v, %v", f, err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("loaded a missing file")
	}
}
