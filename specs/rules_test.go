package specs_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/specs"
)

// ownerCaseYAML is a final case owning clause T-1.1 through the observed probe.
const ownerCaseYAML = `
  - id: FUN-RUL-001
    title: No response of the run breaks the rule
    clauses: [T-1.1]
    level: MUST
    suite: functional
    profile: any
    final: true
    steps:
      - name: the run
        probe: {name: observed}
`

func TestRuleOwners(t *testing.T) {
	health := strings.Replace(healthCase, "{{ stamp .run }}", "x", 1)
	rules := "rules:\n  contract: T-1.1\n  headers: {Strict-Transport-Security: T-1.1}\n"
	tests := []struct {
		name   string
		rules  string
		cases  string
		want   []string // substrings, one per problem
		owners map[string][]string
	}{
		{"no rules, no owner needed", "", health, nil, map[string][]string{}},
		{"an owner", rules, health + ownerCaseYAML, nil, map[string][]string{"T-1.1": {"FUN-RUL-001"}}},
		{"no owner", rules, health, []string{"rule clause T-1.1 has no owner case"}, nil},
		{"two owners", rules, health + ownerCaseYAML + strings.Replace(ownerCaseYAML, "FUN-RUL-001", "FUN-RUL-002", 1),
			[]string{"rule clause T-1.1 has 2 owner cases ([FUN-RUL-001 FUN-RUL-002])"}, nil},
		{"unknown rule clause", rules + "  signature: T-9.9\n", health + ownerCaseYAML,
			[]string{"rule clause T-9.9 has no owner case", `rules.signature: unknown clause "T-9.9"`}, nil},
		{"observed outside a final case", rules, health + strings.Replace(ownerCaseYAML, "final: true", "final: false", 1),
			[]string{"the case must be final", "rule clause T-1.1 has no owner case"}, nil},
		{"observed without a rule clause", "", health + ownerCaseYAML,
			[]string{"none of the case's clauses is a rule of pack.yaml"}, nil},
		{"observed takes no parameters", rules, health + strings.Replace(ownerCaseYAML, "{name: observed}", "{name: observed, with: {clause: T-1.1}}", 1),
			[]string{"probe observed takes no parameters"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := miniPack(tt.cases)
			fsys["pack.yaml"].Data = append(append([]byte{}, fsys["pack.yaml"].Data...), tt.rules...)
			p, err := specs.Load(fsys, specs.LoadOptions{})
			var errs specs.Errors
			if err != nil && !errors.As(err, &errs) {
				t.Fatalf("Load: %v", err)
			}
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(errs), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(errs[i].Error(), w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, errs[i], w)
				}
			}
			if tt.owners == nil {
				return
			}
			got := p.OwnerCases()
			if len(got) != len(tt.owners) {
				t.Fatalf("OwnerCases = %v, want %v", got, tt.owners)
			}
			for clause, ids := range tt.owners {
				if !slices.Equal(got[clause], ids) {
					t.Errorf("OwnerCases[%s] = %v, want %v", clause, got[clause], ids)
				}
			}
		})
	}
}

func TestRulesClausesAndHeaders(t *testing.T) {
	r := specs.Rules{Signature: "C-2", Contract: "C-1", Masked: "C-2",
		Headers: map[string]string{"strict-transport-security": "C-3", "Cache-Control": "C-1"}}
	if got := r.Clauses(); !slices.Equal(got, []string{"C-1", "C-2", "C-3"}) {
		t.Errorf("Clauses = %v, want [C-1 C-2 C-3]", got)
	}
	if c, ok := r.HeaderClause("Strict-Transport-Security"); !ok || c != "C-3" {
		t.Errorf("HeaderClause is not case-insensitive: %q %v", c, ok)
	}
	if _, ok := r.HeaderClause("Server"); ok {
		t.Error("HeaderClause found a rule for Server")
	}
}
