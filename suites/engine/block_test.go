package engine

import (
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

func TestBlockedStepsAreNotJudged(t *testing.T) {
	s := newStub(t)
	p := rulesPack(t)
	p.Manifest.Rules.ErrorBody = "T-10.1"
	p.Manifest.Rules.Refusals = map[string]string{"NOT_FOUND": "T-2.2"}
	e := newExec(t, s, func(o *Options) { o.Pack = p })
	get := func(id string, ex specs.Expect) specs.Step {
		return specs.Step{Name: "get", Call: &specs.Call{Operation: "getThing", PathParams: map[string]string{"thingId": id}}, Expect: ex}
	}
	plain := specs.Step{Name: "plain", Raw: &specs.RawCall{Method: "GET", Path: "/plain"},
		Expect: specs.Expect{Status: []int{400}, Code: "BAD_JSON"}}
	tests := []struct {
		name    string
		clauses []string
		step    specs.Step
		want    reports.State
		msg     string
		goOn    int // 1 when the next step runs
	}{
		{"a correctly signed request refused by a refusal rule", nil, get("missing", specs.Expect{Status: []int{200}}),
			reports.Skip, "a correctly signed request was refused 404 NOT_FOUND [T-2.2]", 0},
		{"the refusal rule's own case fails", []string{"T-2.2"}, get("missing", specs.Expect{Status: []int{200}}),
			reports.Fail, "status expected 200, got 404", 0},
		{"a tampered request is the case's own", nil, func() specs.Step {
			st := get("missing", specs.Expect{Status: []int{200}})
			st.Sign = &specs.SignSpec{Mode: "corrupt"}
			st.Call.Invalid = true
			return st
		}(), reports.Fail, "status expected 200, got 404", 0},
		{"a refusal without error body", nil, plain, reports.Skip, "the refusal 400 carries no readable error code [T-10.1]", 0},
		{"a wrong status of a refusal without error body is the case's own", nil, func() specs.Step {
			st := plain
			st.Expect.Status = []int{404}
			return st
		}(), reports.Fail, "status expected 404, got 400", 0},
		{"a step relying on another clause", nil, func() specs.Step {
			st := get("accepted", specs.Expect{Status: []int{200}})
			st.Clauses = []string{"T-10.4"}
			return st
		}(), reports.Skip, "the step relies on T-10.4", 1},
		{"a step relying on the case's own clause", []string{"T-10.4"}, func() specs.Step {
			st := get("accepted", specs.Expect{Status: []int{200}})
			st.Clauses = []string{"T-10.4"}
			return st
		}(), reports.Fail, "status expected 200, got 202", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := oneCase("BLK-1", tt.step, specs.Step{Name: "never", Call: call("getHealth")})
			if tt.clauses != nil {
				c.Clauses = tt.clauses
			}
			o := run(t, e, c)
			if o.State != tt.want || !strings.Contains(o.Message, tt.msg) {
				t.Fatalf("%s %q, want %s containing %q: %s", o.State, o.Message, tt.want, tt.msg, dump(o))
			}
			if o.NotApplicable {
				t.Error("a case not judged is marked not applicable: it would keep a run CONFORMANT")
			}
			if want := 1 + tt.goOn; len(o.Evidence) != want {
				t.Errorf("%d exchanges, want %d (the next step runs only after a provoking step): %v", len(o.Evidence), want, o.Evidence)
			}
			for _, ch := range o.Checks {
				if tt.want == reports.Skip && ch.Outcome == reports.NotChecked && ch.Name != "signature" && ch.Name != "contract" &&
					!strings.HasPrefix(ch.Detail, "not judged") {
					t.Errorf("a blocked check does not say why: %+v", ch)
				}
			}
		})
	}
}
