package engine

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"go.yaml.in/yaml/v3"
)

// fakeProbe sends n concurrent requests through Do and reports one check on their statuses.
type fakeProbe struct {
	n    int
	fail error
	seen int // exchanges visible through env.Exchanges before sending
}

func (*fakeProbe) Validate(*yaml.Node) error { return nil }

func (p *fakeProbe) Run(ctx context.Context, env ProbeEnv, _ *yaml.Node) (ProbeResult, error) {
	if p.fail != nil {
		return ProbeResult{}, p.fail
	}
	p.seen = len(env.Exchanges())
	var wg sync.WaitGroup
	var mu sync.Mutex
	statuses := map[int]int{}
	for range p.n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.BaseURL.String()+"/things/t-1", nil)
			resp, err := env.Do(ctx, req, nil, SignOptions{})
			mu.Lock()
			defer mu.Unlock()
			if err == nil && env.Case.VerifyResponse(resp.Nonce, resp.Status, resp.Header, resp.Body) == nil {
				statuses[resp.Status]++
			}
		}()
	}
	wg.Wait()
	outcome := reports.Passed
	if statuses[200] != p.n {
		outcome = reports.Failed
	}
	return ProbeResult{Checks: []reports.Check{{Name: "probe", Outcome: outcome, Expected: "all 200", Actual: "some"}}}, nil
}

func TestProbeStep(t *testing.T) {
	s := newStub(t)
	good := &fakeProbe{n: 8}
	e := newExec(t, s, func(o *Options) {
		o.Probes = map[string]Probe{"burst": good, "broken": &fakeProbe{fail: errors.New("cannot connect")}}
	})
	c := oneCase("PRB-1",
		specs.Step{Name: "first", Call: call("getHealth")},
		specs.Step{Name: "burst", Probe: &specs.ProbeCall{Name: "burst"}})
	o := run(t, e, c)
	if o.State != reports.Pass {
		t.Fatalf("%s: %s\n%s", o.State, o.Message, dump(o))
	}
	if good.seen != 1 {
		t.Errorf("the probe saw %d earlier exchanges, want 1", good.seen)
	}
	if len(o.Evidence) != 9 || !strings.HasPrefix(o.Evidence[1], "PRB-1#2.") {
		t.Errorf("evidence %v", o.Evidence)
	}
	probe := checksNamed(o, "probe")
	if len(probe) != 1 || probe[0].Step != 2 || probe[0].StepName != "burst" {
		t.Errorf("probe checks %+v", probe)
	}
	for _, x := range e.Exchanges()[1:] {
		if x.Request.Headers == nil || !strings.Contains(headerValue(x.Request.Headers, HeaderCaseID), "PRB-1") {
			t.Errorf("probe exchange %s lacks the case header", x.ID)
		}
	}
	o = run(t, e, oneCase("PRB-2", specs.Step{Name: "broken", Probe: &specs.ProbeCall{Name: "broken"}}))
	if o.State != reports.Error || !strings.Contains(o.Message, "probe broken: cannot connect") {
		t.Errorf("%s: %s", o.State, o.Message)
	}
}

func headerValue(hs []reports.Header, name string) string {
	for _, h := range hs {
		if strings.EqualFold(h.Name, name) {
			return h.Value
		}
	}
	return ""
}

func TestConcurrentCases(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	var wg sync.WaitGroup
	errs := make(chan string, 32)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := "CONC-" + string(rune('A'+i))
			c := oneCase(id,
				specs.Step{Name: "create", As: "alice", Call: &specs.Call{Operation: "createThing", Body: val(t, `{name: "{{ token \"alice\" }}"}`), Headers: bearer()},
					Capture: []specs.Capture{{Var: "id", Path: "$.id"}}},
				specs.Step{Name: "read", Call: &specs.Call{Operation: "getThing", PathParams: map[string]string{"thingId": "{{ .v.id }}"}},
					Expect: specs.Expect{Status: []int{200}}})
			if o := e.Run(context.Background(), c); o.State != reports.Pass {
				errs <- o.Message
			}
		}()
	}
	wg.Wait()
	close(errs)
	for m := range errs {
		t.Error(m)
	}
	if n := len(e.Exchanges()); n != 32 {
		t.Errorf("%d exchanges, want 32", n)
	}
}

// failingProbe reports one failed check, as a run-wide scan that found a breach elsewhere.
type failingProbe struct{}

func (failingProbe) Validate(*yaml.Node) error { return nil }

func (failingProbe) Run(context.Context, ProbeEnv, *yaml.Node) (ProbeResult, error) {
	return ProbeResult{Checks: []reports.Check{{Name: "scan", Outcome: reports.Failed, Expected: "none", Actual: "one"}}}, nil
}

// TestProbeStepClauses: a probe step naming clauses none of which is the case's is not judged
// when it fails (SKIP blamed on those clauses, never PASS); naming one of the case's, or none,
// it fails the case.
func TestProbeStepClauses(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s, func(o *Options) { o.Probes = map[string]Probe{"scan": failingProbe{}} })
	for _, tc := range []struct {
		name    string
		clauses []string
		want    reports.State
	}{
		{"another clause", []string{"T-9.9"}, reports.Skip},
		{"the case's clause", []string{"T-9.9", "T-1.1"}, reports.Fail},
		{"no clause", nil, reports.Fail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := run(t, e, oneCase("PRB-C", specs.Step{Name: "scan", Clauses: tc.clauses, Probe: &specs.ProbeCall{Name: "scan"}}))
			if o.State != tc.want || o.NotApplicable {
				t.Fatalf("%s (not applicable %v): %s", o.State, o.NotApplicable, o.Message)
			}
			c := checksNamed(o, "scan")
			if tc.want == reports.Skip && (!strings.HasPrefix(o.Message, "not judged:") || len(c) != 1 ||
				c[0].Outcome != reports.NotChecked || c[0].Clause != "T-9.9") {
				t.Errorf("%s; checks %+v", o.Message, c)
			}
		})
	}
}

// cutProbe reads the oversized answer of /big and judges its own (passing) check on it.
type cutProbe struct{ cut string }

func (*cutProbe) Validate(*yaml.Node) error { return nil }

func (p *cutProbe) Run(ctx context.Context, env ProbeEnv, _ *yaml.Node) (ProbeResult, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, env.BaseURL.String()+"/big", nil)
	resp, err := env.Do(ctx, req, nil, SignOptions{Mode: "none"})
	if err != nil {
		return ProbeResult{}, err
	}
	p.cut = resp.Cut
	return ProbeResult{Checks: []reports.Check{{Name: "probe", Outcome: reports.Passed, Expected: "x", Actual: "x"}}}, nil
}

// TestProbeAnswerPastLimit: a probe's answer past the standard's response limit fails only a
// case of the limit's clause; any other case ends not judged (SKIP, never PASS), blamed on it,
// with the breach observed for the clause's owner and the response marked cut for the probe.
func TestProbeAnswerPastLimit(t *testing.T) {
	s := newStub(t)
	p := &cutProbe{}
	e := newExec(t, s, func(o *Options) {
		o.MaxBodyBytes = 100
		o.Pack.Manifest.ResponseLimit = &specs.ResponseLimit{BodyBytes: 100, Clause: "T-11.7"}
		o.Probes = map[string]Probe{"cut": p}
	})
	o := run(t, e, oneCase("CUT-1", specs.Step{Name: "cut", Probe: &specs.ProbeCall{Name: "cut"}}))
	c := checksNamed(o, "response size")
	if o.State != reports.Skip || !strings.Contains(o.Message, "not judged") || !strings.Contains(o.Message, "T-11.7") ||
		len(c) != 1 || c[0].Outcome != reports.Observed || c[0].Clause != "T-11.7" || p.cut != "T-11.7" {
		t.Fatalf("a cut probe answer in a case of another clause: %s %q %+v cut %q", o.State, o.Message, c, p.cut)
	}
	owner := oneCase("CUT-2", specs.Step{Name: "cut", Probe: &specs.ProbeCall{Name: "cut"}})
	owner.Clauses = []string{"T-11.7"}
	o = run(t, e, owner)
	if c = checksNamed(o, "response size"); o.State != reports.Fail || len(c) != 1 || c[0].Outcome != reports.Failed || p.cut != "" {
		t.Fatalf("a cut probe answer in a case of the limit's clause: %s %q %+v cut %q", o.State, o.Message, c, p.cut)
	}
}
