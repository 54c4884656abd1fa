package reports

import (
	"fmt"
	"slices"
	"testing"
)

func ids(cs Cases) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func TestCasesQueries(t *testing.T) {
	cs := Cases{{ID: "c", State: Fail}, {ID: "a", State: Pass}, {ID: "b", State: Fail}, {ID: "d", State: Error}, {ID: "e"}}
	tests := []struct {
		name   string
		states []State
		want   []string
	}{
		{"one state keeps order", []State{Fail}, []string{"c", "b"}},
		{"two states", []State{Error, Pass}, []string{"a", "d"}},
		{"invalid", []State{Invalid}, []string{"e"}},
		{"none", []State{Waived}, nil},
		{"no states", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cs.WithState(tt.states...)
			if !slices.Equal(ids(got), tt.want) {
				t.Errorf("WithState(%v) = %v, want %v", tt.states, ids(got), tt.want)
			}
			n := 0
			for _, s := range tt.states {
				n += cs.Count(s)
			}
			if n != len(tt.want) {
				t.Errorf("Count = %d, want %d", n, len(tt.want))
			}
		})
	}
	if got := ids(cs.Sorted()); !slices.Equal(got, []string{"a", "b", "c", "d", "e"}) {
		t.Errorf("Sorted = %v", got)
	}
	if cs[0].ID != "c" {
		t.Error("Sorted changed its receiver")
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		name  string
		cases []Case
		want  Summary
	}{
		{"empty", nil, Summary{}},
		{"every state", []Case{{State: Pass}, {State: Pass}, {State: Fail}, {State: Warn}, {State: Skip}, {State: Error},
			{State: Waived}, {State: Invalid}},
			Summary{Total: 8, Pass: 2, Fail: 1, Warn: 1, Skip: 1, Error: 1, Waived: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Summarize(tt.cases)
			if got != tt.want {
				t.Errorf("Summarize = %+v, want %+v", got, tt.want)
			}
			for _, s := range []State{Pass, Fail, Warn, Skip, Error, Waived} {
				if got.Of(s) != Cases(tt.cases).Count(s) {
					t.Errorf("Of(%s) = %d, Count = %d", s, got.Of(s), Cases(tt.cases).Count(s))
				}
			}
		})
	}
}

func TestTallyBy(t *testing.T) {
	cs := []Case{{Suite: "security", Area: "tokens", Clauses: []string{"CAI-3.1", "CAI-3.2"}, State: Fail},
		{Suite: "functional", Area: "sessions", Clauses: []string{"CAI-3.1"}, State: Pass}, {State: Skip}}
	got := fmt.Sprint(tallyBy(cs, areaKey))
	want := "[{functional/sessions {1 1 0 0 0 0 0}} {none/none {1 0 0 0 1 0 0}} {security/tokens {1 0 1 0 0 0 0}}]"
	if got != want {
		t.Errorf("by area = %s\nwant %s", got, want)
	}
	got = fmt.Sprint(tallyBy(cs, clauseKeys))
	want = "[{CAI-3.1 {2 1 1 0 0 0 0}} {CAI-3.2 {1 0 1 0 0 0 0}} {none {1 0 0 0 1 0 0}}]"
	if got != want {
		t.Errorf("by clause = %s\nwant %s", got, want)
	}
}

func ExampleCases_WithState() {
	cs := Cases{{ID: "FUN-SES-002", State: Fail}, {ID: "FUN-SES-001", State: Pass}, {ID: "SEC-TOK-001", State: Fail}}
	for _, c := range cs.WithState(Fail).Sorted() {
		fmt.Println(c.ID)
	}
	fmt.Println(cs.Count(Pass), "passed")
	// Output:
	// FUN-SES-002
	// SEC-TOK-001
	// 1 passed
}

func ExampleJudge() {
	r := &Report{
		Target: Target{Profiles: []string{"rest"}},
		Cases: Cases{
			{ID: "FUN-SES-001", Level: "MUST", Profile: "rest", State: Pass, Clauses: []string{"CAI-4.1"}},
			{ID: "FUN-SES-002", Level: "MUST", Profile: "rest", State: Fail, Clauses: []string{"CAI-4.2"}},
			{ID: "FUN-GQL-001", Level: "MUST", Profile: "graphql", State: Skip, Clauses: []string{"CAI-12.1"}},
		},
	}
	Judge(r)
	fmt.Println(r.Verdict)
	fmt.Println(r.Reasons)
	// Output:
	// NONCONFORMANT
	// [FUN-SES-002 (CAI-4.2) failed]
}

func TestNaturalLess(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"CAI-3.1", "CAI-11.4", true},
		{"CAI-11.4", "CAI-3.1", false},
		{"CAI-4.2", "CAI-4.10", true},
		{"CAI-4.10", "CAI-4.2", false},
		{"CAI-4.2", "CAI-4.2", false},
		{"CAI-4", "CAI-4.1", true},
		{"a", "b", true},
		{"b", "a", false},
		{"x007", "x7a", true},
		{"x07", "x7", true},
		{"x7", "x07", false},
		{"functional/qr", "functional/sessions", true},
	}
	for _, tt := range tests {
		if got := naturalLess(tt.a, tt.b); got != tt.want {
			t.Errorf("naturalLess(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}
