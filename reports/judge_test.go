package reports

import (
	"slices"
	"strings"
	"testing"
)

func mk(id, level, profile string, s State, msg string) Case {
	return Case{ID: id, Level: level, Profile: profile, State: s, Message: msg, Clauses: []string{"CAI-" + id}}
}

func TestJudge(t *testing.T) {
	pass := mk("A", "MUST", "rest", Pass, "")
	tests := []struct {
		name        string
		cases       Cases
		filters     Filters
		interrupted bool
		want        Verdict
		reasons     []string // each must appear in Reasons, in this order
		notReasons  []string // none may appear
	}{
		{name: "all MUST pass", cases: Cases{pass, mk("B", "MUST", "any", Pass, "")}, want: Conformant},
		{name: "MUST fail", cases: Cases{pass, mk("B", "MUST", "rest", Fail, "boom")}, want: Nonconformant,
			reasons: []string{"B (CAI-B) failed"}},
		{name: "MUST fail wins over error, both listed",
			cases: Cases{mk("B", "MUST", "rest", Fail, ""), mk("C", "SHOULD", "rest", Error, "refused\nmore")},
			want:  Nonconformant, reasons: []string{"B (CAI-B) failed", "C (CAI-C) errored: refused"}},
		{name: "MUST fail wins over filter", cases: Cases{mk("B", "MUST", "rest", Fail, "")},
			filters: Filters{Focus: "B"}, want: Nonconformant},
		{name: "error makes incomplete", cases: Cases{pass, mk("C", "MUST", "rest", Error, "refused")}, want: Incomplete,
			reasons: []string{"C (CAI-C) errored: refused"}},
		{name: "SHOULD error also incomplete", cases: Cases{pass, mk("C", "SHOULD", "rest", Error, "")}, want: Incomplete,
			reasons: []string{"C (CAI-C) errored: -"}},
		{name: "interrupted", cases: Cases{pass}, interrupted: true, want: Incomplete,
			reasons: []string{"the run was interrupted before every case ran"}},
		{name: "focus filter", cases: Cases{pass, mk("B", "MUST", "rest", Skip, "filtered")}, filters: Filters{Focus: "A"},
			want: Incomplete, reasons: []string{`filter --focus "A" applied: 1 MUST cases not run; a filtered run cannot certify`},
			notReasons: []string{"B (CAI-B) was skipped"}},
		{name: "label filter with nothing left out still cannot certify", cases: Cases{pass},
			filters: Filters{LabelFilter: "smoke"}, want: Incomplete,
			reasons: []string{`filter --label-filter "smoke" applied: 0 MUST cases not run`}},
		{name: "two filters", cases: Cases{pass}, filters: Filters{Profile: "rest", Focus: "A"}, want: Incomplete,
			reasons: []string{`filters --focus "A", --profile "rest" applied`}},
		{name: "profile filter", cases: Cases{pass}, filters: Filters{Profile: "rest"}, want: Incomplete},
		{name: "waivers and rerun are not filters", cases: Cases{pass}, filters: Filters{Waivers: "w.yaml", RerunOf: "old.json"},
			want: Conformant},
		{name: "undeclared profile skip does not count", cases: Cases{pass, mk("G", "MUST", "graphql", Skip, "profile")},
			want: Conformant},
		{name: "declared profile skip makes incomplete", cases: Cases{pass, mk("B", "MUST", "rest", Skip, "needs level2")},
			want: Incomplete, reasons: []string{"B (CAI-B) was skipped: needs level2"}},
		{name: "skip of profile any counts", cases: Cases{pass, mk("B", "MUST", "any", Skip, "x")}, want: Incomplete},
		{name: "not-applicable skip does not count", cases: Cases{pass, notApplicable(mk("B", "MUST", "any", Skip, "not applicable: level2: false"))},
			want: Conformant, notReasons: []string{"B (CAI-B) was skipped"}},
		{name: "SHOULD warn and skip do not matter",
			cases: Cases{pass, mk("W", "SHOULD", "rest", Warn, ""), mk("S", "SHOULD", "rest", Skip, "")}, want: Conformant,
			reasons: []string{"1 SHOULD cases did not pass (no effect on the verdict): W"}},
		{name: "waived does not fail but is listed",
			cases:   Cases{pass, mk("B", "MUST", "rest", Waived, ""), mk("C", "MUST", "rest", Waived, "")},
			filters: Filters{Waivers: "w.yaml"}, want: Conformant, reasons: []string{"2 failures waived by w.yaml: B, C"}},
		{name: "unjudged case", cases: Cases{pass, mk("B", "MUST", "rest", Invalid, "")}, want: Incomplete,
			reasons: []string{"B (CAI-B) was never judged"}},
		{name: "MUST case judged WARN is odd", cases: Cases{pass, mk("B", "MUST", "rest", Warn, "")}, want: Incomplete,
			reasons: []string{"B (CAI-B) is a MUST case but was judged WARN"}},
		{name: "no cases", want: Incomplete, reasons: []string{"no MUST case passed"}},
		{name: "only undeclared MUST cases", cases: Cases{mk("G", "MUST", "graphql", Skip, "")}, want: Incomplete},
		{name: "reasons sorted by ID", cases: Cases{mk("Z", "MUST", "rest", Fail, ""), mk("B", "MUST", "rest", Fail, "")},
			want: Nonconformant, reasons: []string{"B (CAI-B) failed", "Z (CAI-Z) failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Report{Cases: tt.cases, Filters: tt.filters, Interrupted: tt.interrupted,
				Target: Target{Profiles: []string{"rest"}}}
			Judge(r)
			if r.Verdict != tt.want {
				t.Errorf("verdict = %s, want %s (reasons %q)", r.Verdict, tt.want, r.Reasons)
			}
			if r.Summary != Summarize(tt.cases) {
				t.Errorf("summary = %+v, want %+v", r.Summary, Summarize(tt.cases))
			}
			if err := reasonsInOrder(r.Reasons, tt.reasons); err != "" {
				t.Error(err)
			}
			for _, no := range tt.notReasons {
				if slices.ContainsFunc(r.Reasons, func(s string) bool { return strings.Contains(s, no) }) {
					t.Errorf("reasons %q contain %q", r.Reasons, no)
				}
			}
			if tt.want != Conformant && len(r.Reasons) == 0 {
				t.Errorf("a %s verdict must give reasons", r.Verdict)
			}
		})
	}
}

// reasonsInOrder returns "" when every want is a prefix of some reason, in order.
func reasonsInOrder(got, want []string) string {
	i := 0
	for _, g := range got {
		if i < len(want) && strings.HasPrefix(g, want[i]) {
			i++
		}
	}
	if i < len(want) {
		return "reasons " + strings.Join(got, " | ") + " lack (in order) " + strings.Join(want[i:], " | ")
	}
	return ""
}

func TestReasonsInOrderRejects(t *testing.T) {
	if reasonsInOrder([]string{"b", "a"}, []string{"a", "b"}) == "" {
		t.Error("out-of-order reasons accepted")
	}
	if reasonsInOrder([]string{"a"}, []string{"x"}) == "" {
		t.Error("missing reason accepted")
	}
}

func TestJudgeSample(t *testing.T) {
	r := sampleReport()
	if r.Verdict != Nonconformant {
		t.Fatalf("sample verdict = %s", r.Verdict)
	}
	want := []string{"FUN-SES-002 (CAI-4.2) failed", "SEC-TOK-001 (CAI-3.1) failed",
		"FUN-CRD-001 (CAI-5.1) errored: connect: connection refused",
		"1 failures waived by waivers.yaml: SEC-GQL-002",
		"1 SHOULD cases did not pass (no effect on the verdict): SEC-HDR-003"}
	if !slices.Equal(r.Reasons, want) {
		t.Errorf("reasons:\n got %q\nwant %q", r.Reasons, want)
	}
}

// notApplicable marks c as skipped because its rule does not apply to the channel.
func notApplicable(c Case) Case {
	c.NotApplicable = true
	return c
}
