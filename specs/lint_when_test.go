package specs_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"

	"github.com/chanconf/chanconf/specs"
)

// twoProfiles makes miniPack's manifest offer rest and graphql, with clauseProfiles (a YAML
// fragment such as ", profiles: [rest]" or "") on T-1.1, and the case of the given profile.
func twoProfiles(caseProfile, clauseProfiles string) fstest.MapFS {
	fsys := miniPack(strings.Replace(healthCase, "profile: any", "profile: "+caseProfile, 1))
	m := strings.Replace(string(fsys["pack.yaml"].Data), "profiles: [rest]", "profiles: [rest, graphql]", 1)
	m = strings.Replace(m, "suite: functional, title:", "suite: functional"+clauseProfiles+", title:", 1)
	fsys["pack.yaml"].Data = []byte(m)
	return fsys
}

// TestCoveragePerProfile: a MUST clause must be traced, on every profile it applies to, by a
// case of that profile or of any profile; clause profiles must be manifest profiles.
func TestCoveragePerProfile(t *testing.T) {
	tests := []struct {
		name, caseProfile, clauseProfiles string
		want                              []string
	}{
		{"any covers every profile", "any", "", nil},
		{"rest case, clause on both profiles", "rest", "",
			[]string{"T-1.1 (MUST, functional) has no case on profile graphql (a case of profile graphql or any)"}},
		{"rest case, clause on rest only", "rest", ", profiles: [rest]", nil},
		{"graphql case, clause on rest only", "graphql", ", profiles: [rest]",
			[]string{"T-1.1 (MUST, functional) has no case on profile rest"}},
		{"unknown clause profile", "any", ", profiles: [soap, rest, rest]",
			[]string{`clause T-1.1: profile "soap" is not one of rest, graphql`, `clause T-1.1: profile "rest" is not one of rest, graphql or is repeated`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := specs.Load(twoProfiles(tt.caseProfile, tt.clauseProfiles), specs.LoadOptions{Funcs: template.FuncMap{"stamp": standIn}})
			var errs specs.Errors
			if err != nil && !errors.As(err, &errs) {
				t.Fatalf("Load error %v is not specs.Errors", err)
			}
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(errs), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(errs[i].Error(), w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, errs[i], w)
				}
			}
			var cov *specs.CoverageError
			if len(tt.want) > 0 && strings.Contains(tt.want[0], "has no case") && (!errors.As(err, &cov) || cov.Profile == "") {
				t.Errorf("want a CoverageError naming the profile, got %v", err)
			}
		})
	}
}

// TestWhenLint: a case condition reads only the declaration with built-in functions and gives
// a reason.
func TestWhenLint(t *testing.T) {
	tests := []struct {
		name, when string
		want       []string
	}{
		{"valid", `{expr: "{{ not .d.level2 }}", reason: "needs level 2"}`, nil},
		{"reads a persona", `{expr: "{{ .p.alice.idNo }}", reason: "r"}`, []string{"when.expr: template reads .p; the data is .d"}},
		{"calls a case function", `{expr: "{{ stamp .d.level2 }}", reason: "r"}`, []string{`when.expr: bad template (line 1): function "stamp" not defined`}},
		{"no reason, no action", `{expr: "true"}`, []string{"when.reason: missing reason", "when.expr: missing expr"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := strings.Replace(healthCase, "    steps:\n", "    when: "+tt.when+"\n    steps:\n", 1)
			_, err := specs.Load(miniPack(c), specs.LoadOptions{Funcs: template.FuncMap{"stamp": standIn}})
			var errs specs.Errors
			if err != nil && !errors.As(err, &errs) {
				t.Fatalf("Load error %v is not specs.Errors", err)
			}
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(errs), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(errs[i].Error(), w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, errs[i], w)
				}
			}
		})
	}
}

// TestAllowCoverageGaps: an older pack whose only problems are coverage gaps loads for reading
// (catalog diff) when asked; any other problem still refuses it, and without the option the
// gap refuses it too.
func TestAllowCoverageGaps(t *testing.T) {
	opts := specs.LoadOptions{Funcs: template.FuncMap{"stamp": standIn}}
	if _, err := specs.Load(twoProfiles("rest", ""), opts); err == nil {
		t.Fatal("a coverage gap loaded without AllowCoverageGaps")
	}
	opts.AllowCoverageGaps = true
	if p, err := specs.Load(twoProfiles("rest", ""), opts); err != nil || p == nil {
		t.Fatalf("coverage gap only: pack %v, error %v", p, err)
	}
	broken := twoProfiles("rest", "")
	broken["cases/health.yaml"].Data = []byte(strings.Replace(string(broken["cases/health.yaml"].Data), "stamp", "stomp", 1))
	if _, err := specs.Load(broken, opts); err == nil {
		t.Error("a pack with an unknown function loaded because it also has a coverage gap")
	}
}
