package runner

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// fakeRunner is a CaseRunner whose behaviour per case is a function, instrumented to show the
// order, overlap and concurrency of executions.
type fakeRunner struct {
	// behave decides a case's outcome; nil passes every case.
	behave func(ctx context.Context, c *specs.Case) Outcome

	mu          sync.Mutex
	cond        *sync.Cond
	started     []string
	inFlight    int
	maxInFlight int
	// serialOverlap lists violations: a serial case running with another case, or a case
	// starting while a serial case ran, or a serial case starting before every parallel one
	// finished.
	serialOverlap []string
	serialRunning bool
	parallelLeft  int
}

func newFake(behave func(ctx context.Context, c *specs.Case) Outcome) *fakeRunner {
	f := &fakeRunner{behave: behave}
	f.cond = sync.NewCond(&f.mu)
	return f
}

// expectParallel tells the fake how many non-serial cases will run, for the ordering check.
func (f *fakeRunner) expectParallel(n int) { f.parallelLeft = n }

func (f *fakeRunner) Run(ctx context.Context, c *specs.Case) Outcome {
	f.enter(c)
	defer f.leave(c)
	if f.behave == nil {
		return Outcome{CaseID: c.ID, State: reports.Pass, Checks: []reports.Check{{Name: "status", Step: 1, Outcome: reports.Passed}}, Evidence: []string{c.ID + "-1"}}
	}
	return f.behave(ctx, c)
}

func (f *fakeRunner) enter(c *specs.Case) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.started = append(f.started, c.ID)
	if f.serialRunning {
		f.serialOverlap = append(f.serialOverlap, c.ID+" started while a serial case ran")
	}
	if c.Serial {
		if f.inFlight > 0 {
			f.serialOverlap = append(f.serialOverlap, fmt.Sprintf("serial %s started with %d cases running", c.ID, f.inFlight))
		}
		if f.parallelLeft > 0 {
			f.serialOverlap = append(f.serialOverlap, fmt.Sprintf("serial %s started before %d parallel cases finished", c.ID, f.parallelLeft))
		}
		f.serialRunning = true
	}
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	f.cond.Broadcast()
}

func (f *fakeRunner) leave(c *specs.Case) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inFlight--
	if c.Serial {
		f.serialRunning = false
	} else {
		f.parallelLeft--
	}
	f.cond.Broadcast()
}

func (f *fakeRunner) Exchanges() []reports.Exchange {
	return []reports.Exchange{{ID: "x-1", CaseID: "fake"}}
}

func (f *fakeRunner) startedIDs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.started...)
}

// tcase builds a case; mods adjust it.
func tcase(id string, mods ...func(*specs.Case)) specs.Case {
	c := specs.Case{ID: id, Title: "title of " + id, Clauses: []string{"CAI-1.1"}, Level: specs.MUST,
		Suite: specs.Functional, Area: "sessions", Profile: "rest", Labels: []string{"smoke"},
		Pos: specs.Pos{File: "cases/functional/sessions.yaml", Line: 10}}
	for _, m := range mods {
		m(&c)
	}
	return c
}

func should(c *specs.Case)  { c.Level = specs.SHOULD }
func serial(c *specs.Case)  { c.Serial = true }
func graphql(c *specs.Case) { c.Profile = "graphql" }
func security(c *specs.Case) {
	c.Suite, c.Area, c.Clauses = specs.Security, "signatures", []string{"CAI-2.2"}
}
func labels(ls ...string) func(*specs.Case) { return func(c *specs.Case) { c.Labels = ls } }
func line(n int) func(*specs.Case)          { return func(c *specs.Case) { c.Pos.Line = n } }

// testPack is a pack holding cases.
func testPack(cases ...specs.Case) *specs.Pack {
	return &specs.Pack{
		Root:     "testdata",
		Manifest: specs.Manifest{Name: "test-pack", Version: "1.2.3", Profiles: []string{"rest", "graphql"}},
		Cases:    cases,
		SHA256:   "abc123",
	}
}

// numbered returns n cases ID-00 .. ID-(n-1) with distinct lines.
func numbered(prefix string, n int, mods ...func(*specs.Case)) []specs.Case {
	out := make([]specs.Case, n)
	for i := range out {
		out[i] = tcase(fmt.Sprintf("%s-%03d", prefix, i), append([]func(*specs.Case){line(100 + i)}, mods...)...)
	}
	return out
}

// fixedNow is a clock for reproducible reports.
func fixedNow() time.Time { return time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC) }

// baseOptions are Options for pack and runner with a fixed seed and clock.
func baseOptions(p *specs.Pack, r CaseRunner) Options {
	return Options{Pack: p, Runner: r, Seed: 42, Now: fixedNow,
		Target: reports.Target{BaseURL: "https://127.0.0.1:1", ChannelNo: "C1", Profiles: []string{"rest", "graphql"}},
		Tool:   reports.Tool{Name: "chanconf", Version: "test"}}
}

// mustRun runs and fails the test on an error, bounding the run so a hang fails instead of
// blocking the test binary.
func mustRun(t *testing.T, opts Options) *reports.Report {
	t.Helper()
	rep, err := runBounded(t, context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return rep
}

// runBounded runs Run in the background and fails the test if it has not returned in 20 s.
func runBounded(t *testing.T, ctx context.Context, opts Options) (*reports.Report, error) {
	t.Helper()
	type result struct {
		rep *reports.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		rep, err := Run(ctx, opts)
		done <- result{rep, err}
	}()
	select {
	case r := <-done:
		return r.rep, r.err
	case <-time.After(20 * time.Second):
		t.Fatal("Run did not return within 20s")
		return nil, nil
	}
}

// states maps case ID to state in rep.
func states(rep *reports.Report) map[string]reports.State {
	out := map[string]reports.State{}
	for _, c := range rep.Cases {
		out[c.ID] = c.State
	}
	return out
}

// caseByID returns the report case with id.
func caseByID(t *testing.T, rep *reports.Report, id string) reports.Case {
	t.Helper()
	for _, c := range rep.Cases {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("case %s not in report", id)
	return reports.Case{}
}
