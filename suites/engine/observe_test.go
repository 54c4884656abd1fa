package engine

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// rulesPack is the test pack with cross-cutting rules: X-Request-Id (required on createThing's
// 201) under T-11.9, the response signature under T-2.6, the contract under T-10.11 and masks
// under T-9.2, each with a final owner case.
func rulesPack(t *testing.T) *specs.Pack {
	p := testPack(t)
	p.Manifest.Rules = specs.Rules{Signature: "T-2.6", Contract: "T-10.11", Masked: "T-9.2",
		Headers: map[string]string{"X-Request-Id": "T-11.9"}}
	for _, clause := range []string{"T-2.6", "T-10.11", "T-9.2", "T-11.9"} {
		p.Cases = append(p.Cases, *ownerCase("OWN-"+clause, clause))
	}
	return p
}

// ownerCase is the final case reporting clause.
func ownerCase(id, clause string) *specs.Case {
	return &specs.Case{ID: id, Title: id, Level: specs.MUST, Profile: "any", Final: true, Clauses: []string{clause},
		Steps: []specs.Step{{Name: "the run", Probe: &specs.ProbeCall{Name: specs.ObservedProbe}}}}
}

// createDropping creates a thing on a channel leaving out X-Request-Id (and, with broken, the
// response signature).
func createDropping(t *testing.T, broken bool) specs.Step {
	h := bearer()
	h["X-Drop-Id"] = "1"
	if broken {
		h["X-Break-Sig"] = "1"
	}
	return specs.Step{Name: "create", Call: &specs.Call{Operation: "createThing", Body: val(t, "{name: n}"), Headers: h},
		Expect: specs.Expect{Status: []int{201}}}
}

func TestRuleSeenInAnotherCaseIsObserved(t *testing.T) {
	s := newStub(t)
	p := rulesPack(t)
	e := newExec(t, s, func(o *Options) { o.Pack = p })
	observer := oneCase("OBS-1", createDropping(t, true),
		specs.Step{Name: "next step still runs", Call: &specs.Call{Operation: "getThing", PathParams: map[string]string{"thingId": "t-1"}},
			Expect: specs.Expect{Status: []int{200}}})
	o := run(t, e, observer)
	if o.State != reports.Pass || len(o.Evidence) != 2 {
		t.Fatalf("the observing case is %s with %d exchanges, want PASS with 2 (a broken rule of another clause neither fails it nor stops it): %s",
			o.State, len(o.Evidence), dump(o))
	}
	for _, want := range []struct{ name, clause string }{{"contract", "T-11.9"}, {"signature", "T-2.6"}} {
		i := slices.IndexFunc(o.Checks, func(c reports.Check) bool {
			return c.Name == want.name && c.Clause == want.clause && c.Outcome == reports.Observed
		})
		if i < 0 {
			t.Errorf("no observed %s check under %s: %s", want.name, want.clause, dump(o))
		}
	}
	contract := slices.IndexFunc(o.Checks, func(c reports.Check) bool { return c.Name == "contract" && c.Clause == "T-10.11" })
	if contract < 0 || o.Checks[contract].Outcome != reports.Passed {
		t.Errorf("the contract check without the header problem should pass under T-10.11: %s", dump(o))
	}

	// A case listing the rule's clause fails on the same check directly.
	own := oneCase("OWN-DIRECT", createDropping(t, false))
	own.Clauses = []string{"T-11.9"}
	if o := run(t, e, own); o.State != reports.Fail || !strings.Contains(o.Message, "X-Request-Id is missing") {
		t.Fatalf("a case of the rule's clause: %s %q, want FAIL naming the header", o.State, o.Message)
	}

	obs := e.Observations()
	clauses := make([]string, len(obs))
	for i, ob := range obs {
		clauses[i] = ob.Clause
	}
	if !slices.Equal(clauses, []string{"T-11.9", "T-2.6"}) {
		t.Fatalf("observations for %v, want [T-11.9 T-2.6]: %+v", clauses, obs)
	}
	hdr := obs[0]
	if hdr.Count != 2 || !slices.Equal(hdr.ExchangeIDs, []string{"OBS-1#1.1", "OWN-DIRECT#1.1"}) || hdr.Owner != "OWN-T-11.9" ||
		!strings.Contains(hdr.Example, "X-Request-Id is missing") || !slices.Equal(hdr.Checks, []string{"contract"}) {
		t.Errorf("header observation %+v, want 2 exchanges (the observer's and the direct failure), owner OWN-T-11.9", hdr)
	}
	if sig := obs[1]; sig.Count != 1 || sig.Owner != "OWN-T-2.6" {
		t.Errorf("signature observation %+v, want 1 exchange reported by OWN-T-2.6", sig)
	}
	for _, leak := range []string{leakedSecret, sessionSecret} {
		if strings.Contains(fmt.Sprint(obs), leak) {
			t.Errorf("an observation carries the secret %q", leak)
		}
	}
}

func TestOwnerCaseReportsTheRun(t *testing.T) {
	s := newStub(t)
	p := rulesPack(t)
	e := newExec(t, s, func(o *Options) { o.Pack = p })
	clean := oneCase("CLEAN-1", specs.Step{Name: "read", Call: &specs.Call{Operation: "getThing", PathParams: map[string]string{"thingId": "t-1"}}})
	if o := run(t, e, clean); o.State != reports.Pass {
		t.Fatalf("clean case: %s", dump(o))
	}
	if o := run(t, e, ownerCase("OWN-T-11.9", "T-11.9")); o.State != reports.Pass {
		t.Fatalf("owner after a clean run is %s, want PASS: %s", o.State, o.Message)
	}
	for range 3 {
		run(t, e, oneCase("OBS-2", createDropping(t, false)))
	}
	o := run(t, e, ownerCase("OWN-T-11.9", "T-11.9"))
	if o.State != reports.Fail || len(o.Checks) != 1 {
		t.Fatalf("owner after 3 breaches is %s, want FAIL with one check: %s", o.State, dump(o))
	}
	c := o.Checks[0]
	if c.Clause != "T-11.9" || !strings.Contains(c.Actual, "broken in 3 of 4 exchanges checked") ||
		!strings.Contains(c.Actual, "OBS-2#1.1: required response header X-Request-Id is missing") {
		t.Errorf("owner check %+v, want the count, the checked total and one example", c)
	}

	// Nothing checked: the owner cannot judge its rule, so it is never PASS.
	fresh := newExec(t, s, func(o *Options) { o.Pack = p })
	if o := run(t, fresh, ownerCase("OWN-T-11.9", "T-11.9")); o.State != reports.Skip || !strings.Contains(o.Message, "no exchange") {
		t.Errorf("owner of an empty run is %s %q, want SKIP (not judged)", o.State, o.Message)
	}
}

func TestRuleChecksOfAssertions(t *testing.T) {
	s := newStub(t)
	p := rulesPack(t)
	e := newExec(t, s, func(o *Options) { o.Pack = p })
	get := func(id string, ex specs.Expect) *specs.Case {
		return oneCase("AS-1", specs.Step{Name: "get", Call: &specs.Call{Operation: "getThing",
			PathParams: map[string]string{"thingId": id}}, Expect: ex})
	}
	tests := []struct {
		name   string
		c      *specs.Case
		want   reports.State
		check  string
		clause string
	}{
		{"a wrong mask is the mask rule's", get("t-1", specs.Expect{Masked: []specs.MaskAssert{{Path: "$.idNoMasked", Kind: "idNo", Of: "bob"}}}),
			reports.Pass, "masked", "T-9.2"},
		{"an undocumented status is the contract rule's", get("accepted", specs.Expect{}), reports.Pass, "contract", "T-10.11"},
		{"a header assertion on a rule header is the rule's", get("missing", specs.Expect{Headers: []specs.HeaderAssert{{Name: "x-request-id", Op: "exists"}}}),
			reports.Pass, "header", "T-11.9"},
		{"an absent assertion is the case's own", get("t-1", specs.Expect{Headers: []specs.HeaderAssert{{Name: "X-Request-Id", Op: "absent"}}}),
			reports.Fail, "header", ""},
		{"the case's own expectations still fail it", get("accepted", specs.Expect{Status: []int{200}}), reports.Fail, "status", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run(t, e, tt.c)
			if o.State != tt.want {
				t.Fatalf("%s, want %s: %s", o.State, tt.want, dump(o))
			}
			i := slices.IndexFunc(o.Checks, func(c reports.Check) bool { return c.Name == tt.check && c.Outcome != reports.Passed })
			if i < 0 || o.Checks[i].Clause != tt.clause {
				t.Fatalf("no unpassed %s check with clause %q: %s", tt.check, tt.clause, dump(o))
			}
		})
	}
}

func TestBrokenRuleKeepsTheFirstExchanges(t *testing.T) {
	br := &brokenRule{examples: map[string]string{}, checks: map[string]bool{}}
	n := reports.MaxObservedExchanges + 15
	for i := n - 1; i >= 0; i-- { // the latest first: what is kept must not depend on the order
		br.count++
		br.keep(fmt.Sprintf("C-%03d#1.1", i), fmt.Sprintf("what %d", i))
	}
	o := br.observation("T-1", "OWN")
	if o.Count != n || len(o.ExchangeIDs) != reports.MaxObservedExchanges || o.ExchangeIDs[0] != "C-000#1.1" ||
		o.ExchangeIDs[len(o.ExchangeIDs)-1] != fmt.Sprintf("C-%03d#1.1", reports.MaxObservedExchanges-1) || o.Example != "what 0" ||
		len(br.examples) != reports.MaxObservedExchanges {
		t.Errorf("observation %+v (examples kept %d), want the %d smallest IDs of %d and the first example",
			o, len(br.examples), reports.MaxObservedExchanges, n)
	}
}
