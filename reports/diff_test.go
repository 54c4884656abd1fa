package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

// miniReport is a judged report with one MUST case per "ID=STATE" pair.
func miniReport(pairs ...string) *Report {
	r := &Report{SchemaVersion: SchemaVersion, Pack: PackRef{Name: "p", Version: "1", SHA256: strings.Repeat("a", 64)},
		Target: Target{Profiles: []string{"rest"}}}
	for _, p := range pairs {
		id, state, _ := strings.Cut(p, "=")
		s, err := ParseState(state)
		if err != nil {
			panic(err)
		}
		r.Cases = append(r.Cases, Case{ID: id, Level: LevelMust, Profile: "rest", State: s, Message: "m-" + p})
	}
	Judge(r)
	return r
}

func changes(cs []CaseChange) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s:%s>%s", c.ID, stateOrAbsent(c.From), stateOrAbsent(c.To)))
	}
	return strings.Join(parts, ",")
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name                                        string
		a, b                                        *Report
		regressions, fixes, changed, added, removed string
		wantRegression                              bool
		wantVerdictA, wantVerdictB                  Verdict
	}{
		{name: "identical", a: miniReport("A=PASS", "B=PASS"), b: miniReport("A=PASS", "B=PASS"),
			wantVerdictA: Conformant, wantVerdictB: Conformant},
		{name: "pass to fail and error are regressions", a: miniReport("A=PASS", "B=PASS", "C=PASS"),
			b: miniReport("A=FAIL", "B=ERROR", "C=PASS"), regressions: "A:PASS>FAIL,B:PASS>ERROR", wantRegression: true,
			wantVerdictA: Conformant, wantVerdictB: Nonconformant},
		{name: "fixes", a: miniReport("A=FAIL", "B=ERROR", "C=WAIVED"), b: miniReport("A=PASS", "B=PASS", "C=PASS"),
			fixes: "A:FAIL>PASS,B:ERROR>PASS,C:WAIVED>PASS", wantVerdictA: Nonconformant, wantVerdictB: Conformant},
		{name: "other changes are not regressions", a: miniReport("A=PASS", "B=FAIL"), b: miniReport("A=SKIP", "B=ERROR"),
			changed: "A:PASS>SKIP,B:FAIL>ERROR", wantVerdictA: Nonconformant, wantVerdictB: Incomplete},
		{name: "new and removed cases", a: miniReport("A=PASS", "OLD=FAIL"), b: miniReport("A=PASS", "NEW=PASS"),
			added: "NEW:(absent)>PASS", removed: "OLD:FAIL>(absent)", wantVerdictA: Nonconformant, wantVerdictB: Conformant},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Compare(tt.a, tt.b)
			for _, got := range []struct{ what, got, want string }{
				{"regressions", changes(d.Regressions), tt.regressions}, {"fixes", changes(d.Fixes), tt.fixes},
				{"changed", changes(d.Changed), tt.changed}, {"added", changes(d.Added), tt.added},
				{"removed", changes(d.Removed), tt.removed},
			} {
				if got.got != got.want {
					t.Errorf("%s %q, want %q", got.what, got.got, got.want)
				}
			}
			if d.HasRegression() != tt.wantRegression {
				t.Errorf("HasRegression %v", d.HasRegression())
			}
			if d.VerdictA != tt.wantVerdictA || d.VerdictB != tt.wantVerdictB {
				t.Errorf("verdicts %s -> %s", d.VerdictA, d.VerdictB)
			}
		})
	}
}

func TestWriteDiff(t *testing.T) {
	b := miniReport("A=FAIL", "NEW=PASS")
	b.Pack.SHA256 = strings.Repeat("b", 64)
	var out bytes.Buffer
	if err := WriteDiff(&out, Compare(miniReport("A=PASS", "OLD=PASS"), b)); err != nil {
		t.Fatal(err)
	}
	want := `verdict: CONFORMANT -> NONCONFORMANT
pack: p 1 (aaaaaaaaaaaa) -> p 1 (bbbbbbbbbbbb)
regressions (1):
  A  PASS -> FAIL
new cases (1):
  NEW  (absent) -> PASS
removed cases (1):
  OLD  PASS -> (absent)
1 regressions, 0 fixes, 0 other changes, 1 new, 1 removed
`
	if out.String() != want {
		t.Errorf("got\n%s\nwant\n%s", out.String(), want)
	}
	out.Reset()
	if err := WriteDiff(&out, Compare(miniReport("A=PASS"), miniReport("A=PASS"))); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "verdict: CONFORMANT (unchanged)\n0 regressions") {
		t.Errorf("unchanged diff printed %q", out.String())
	}
}
