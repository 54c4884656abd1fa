package runner

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// gatedBehave makes every case wait until `bound` cases are in flight at once, or every case
// has started, so that a pool allowing fewer than bound would never release (the case timeout
// ends it) and one allowing more is caught by the fake's max-in-flight count.
func gatedBehave(f *fakeRunner, bound, total int) func(context.Context, *specs.Case) Outcome {
	return func(ctx context.Context, c *specs.Case) Outcome {
		stop := context.AfterFunc(ctx, func() {
			f.mu.Lock()
			defer f.mu.Unlock()
			f.cond.Broadcast()
		})
		defer stop()
		f.mu.Lock()
		for f.inFlight < bound && len(f.started) < total && ctx.Err() == nil {
			f.cond.Wait()
		}
		f.mu.Unlock()
		if ctx.Err() != nil {
			return Outcome{State: reports.Error, Message: "gate never opened"}
		}
		// Stay in flight a little: an over-admitting pool shows itself meanwhile. A correct pool
		// passes whatever the timing.
		time.Sleep(2 * time.Millisecond)
		return Outcome{State: reports.Pass}
	}
}

func TestConcurrencyBound(t *testing.T) {
	tests := []struct {
		name        string
		concurrency int
		cases       int
		wantMax     int
	}{
		{name: "one at a time", concurrency: 1, cases: 6, wantMax: 1},
		{name: "three", concurrency: 3, cases: 10, wantMax: 3},
		{name: "more workers than cases", concurrency: 16, cases: 5, wantMax: 5},
		{name: "default is 16", concurrency: 0, cases: 40, wantMax: DefaultConcurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(nil)
			fake.behave = gatedBehave(fake, tt.wantMax, tt.cases)
			opts := baseOptions(testPack(numbered("P", tt.cases)...), fake)
			opts.Concurrency, opts.CaseTimeout = tt.concurrency, 5*time.Second
			rep := mustRun(t, opts)
			if fake.maxInFlight != tt.wantMax {
				t.Errorf("max in flight %d, want %d", fake.maxInFlight, tt.wantMax)
			}
			if rep.Summary.Pass != tt.cases {
				t.Errorf("summary %+v, want %d PASS", rep.Summary, tt.cases)
			}
			if want := cmp.Or(tt.concurrency, DefaultConcurrency); rep.Concurrency != want {
				t.Errorf("report concurrency %d, want %d", rep.Concurrency, want)
			}
		})
	}
}

func TestSerialCasesRunAlone(t *testing.T) {
	tests := []struct {
		name     string
		parallel int
		serial   int
	}{
		{name: "serial after parallel", parallel: 12, serial: 3},
		{name: "only serial", parallel: 0, serial: 4},
		{name: "one serial among many", parallel: 30, serial: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Interleave the serial cases with the parallel ones in the pack.
			cases := numbered("P", tt.parallel)
			for i, c := range numbered("S", tt.serial, serial) {
				at := min(len(cases), i*3)
				cases = slices.Insert(cases, at, c)
			}
			fake := newFake(func(ctx context.Context, c *specs.Case) Outcome {
				time.Sleep(time.Millisecond) // give overlapping executions a chance to show
				return Outcome{State: reports.Pass}
			})
			fake.expectParallel(tt.parallel)
			opts := baseOptions(testPack(cases...), fake)
			opts.Concurrency = 8
			rep := mustRun(t, opts)
			if len(fake.serialOverlap) > 0 {
				t.Errorf("serial violations: %v", fake.serialOverlap)
			}
			started := fake.startedIDs()
			if len(started) != tt.parallel+tt.serial {
				t.Fatalf("executed %d cases, want %d", len(started), tt.parallel+tt.serial)
			}
			for i, id := range started {
				if isSerial := strings.HasPrefix(id, "S-"); isSerial != (i >= tt.parallel) {
					t.Errorf("execution %d is %s: serial cases must come after every parallel one: %v", i, id, started)
					break
				}
			}
			if rep.Summary.Pass != len(cases) {
				t.Errorf("summary %+v", rep.Summary)
			}
		})
	}
}

// TestSerialDetectorWorks shows that the fake's instrumentation catches overlap: without the
// pool's guarantee (here: calling the fake concurrently by hand) it reports violations.
func TestSerialDetectorWorks(t *testing.T) {
	fake := newFake(func(ctx context.Context, c *specs.Case) Outcome {
		<-ctx.Done()
		return Outcome{}
	})
	fake.expectParallel(1)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	p, s := tcase("P-1"), tcase("S-1", serial)
	for _, c := range []*specs.Case{&p, &s} {
		wg.Add(1)
		go func() { defer wg.Done(); fake.Run(ctx, c) }()
	}
	for {
		if len(fake.startedIDs()) == 2 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	wg.Wait()
	if len(fake.serialOverlap) == 0 {
		t.Fatal("overlapping serial and parallel executions were not detected")
	}
}

func TestDeterministicOrder(t *testing.T) {
	order := func(seed int64) []string {
		fake := newFake(nil)
		opts := baseOptions(testPack(numbered("C", 25)...), fake)
		opts.Seed, opts.Concurrency = seed, 1
		rep := mustRun(t, opts)
		if rep.Seed != seed {
			t.Errorf("report seed %d, want %d", rep.Seed, seed)
		}
		return fake.startedIDs()
	}
	a, b, c := order(7), order(7), order(8)
	if !slices.Equal(a, b) {
		t.Errorf("same seed, different orders:\n%v\n%v", a, b)
	}
	if slices.Equal(a, c) {
		t.Errorf("seeds 7 and 8 gave the same order %v", a)
	}
	if slices.IsSorted(a) {
		t.Errorf("order %v is the pack order: specs were not randomised", a)
	}
}

func TestRandomSeedIsRecorded(t *testing.T) {
	opts := baseOptions(testPack(tcase("A-1")), newFake(nil))
	opts.Seed = 0
	rep := mustRun(t, opts)
	if rep.Seed != fixedNow().Unix() {
		t.Errorf("seed %d, want one taken from the clock (%d)", rep.Seed, fixedNow().Unix())
	}
}

func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const n = 30
	var calls atomic.Int32
	fake := newFake(func(cctx context.Context, c *specs.Case) Outcome {
		if calls.Add(1) >= 5 {
			cancel() // Ctrl-C while cases are running
			<-cctx.Done()
			return Outcome{State: reports.Error, Message: cctx.Err().Error()}
		}
		return Outcome{State: reports.Pass}
	})
	opts := baseOptions(testPack(numbered("C", n)...), fake)
	opts.Concurrency = 2
	rep, err := runBounded(t, ctx, opts)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want one wrapping context.Canceled", err)
	}
	if rep == nil || !rep.Interrupted {
		t.Fatalf("report %v not marked interrupted", rep)
	}
	if rep.Verdict != reports.Incomplete {
		t.Errorf("verdict %s, want INCOMPLETE", rep.Verdict)
	}
	if len(fake.startedIDs()) == n {
		t.Errorf("every case ran: the pool did not stop")
	}
	interrupted := 0
	for _, c := range rep.Cases {
		switch {
		case c.State == reports.Error && strings.HasPrefix(c.Message, "interrupted: "):
			interrupted++
		case c.State == reports.Pass:
		default:
			t.Errorf("%s: %s %q, want PASS or ERROR interrupted", c.ID, c.State, c.Message)
		}
	}
	if interrupted == 0 || interrupted+rep.Summary.Pass != n {
		t.Errorf("%d interrupted + %d passed, want %d in all", interrupted, rep.Summary.Pass, n)
	}
}

func TestCaseTimeouts(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	deadlineWithin := func(lo, hi time.Duration) func(ctx context.Context, c *specs.Case) Outcome {
		return func(ctx context.Context, c *specs.Case) Outcome {
			d, ok := ctx.Deadline()
			if left := time.Until(d); !ok || left > hi || left < lo {
				return Outcome{State: reports.Fail, Message: fmt.Sprintf("deadline in %s", left)}
			}
			return Outcome{State: reports.Pass}
		}
	}
	tests := []struct {
		name        string
		caseTimeout time.Duration // the case's own
		optTimeout  time.Duration // Options.CaseTimeout
		behave      func(ctx context.Context, c *specs.Case) Outcome
		state       reports.State
		message     string
	}{
		{name: "runner honours the deadline", caseTimeout: 50 * time.Millisecond,
			behave: func(ctx context.Context, c *specs.Case) Outcome {
				<-ctx.Done()
				return Outcome{State: reports.Error, Message: "step 1: " + ctx.Err().Error()}
			},
			state: reports.Error, message: "step 1: context deadline exceeded"},
		{name: "runner ignores the deadline and is abandoned", caseTimeout: 50 * time.Millisecond,
			behave: func(ctx context.Context, c *specs.Case) Outcome {
				<-release
				return Outcome{State: reports.Pass}
			},
			state: reports.Error, message: "the case exceeded its timeout of 50ms and did not stop within 20ms"},
		{name: "case's own timeout applies", caseTimeout: 3 * time.Second,
			behave: deadlineWithin(time.Second, 3*time.Second), state: reports.Pass},
		{name: "default timeout without one", behave: deadlineWithin(50*time.Second, DefaultCaseTimeout), state: reports.Pass},
		{name: "option overrides the case", caseTimeout: time.Hour, optTimeout: 3 * time.Second,
			behave: deadlineWithin(time.Second, 3*time.Second), state: reports.Pass},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tcase("T-1", func(c *specs.Case) { c.Timeout = specs.Duration(tt.caseTimeout) })
			opts := baseOptions(testPack(c), newFake(tt.behave))
			opts.abandonAfter, opts.CaseTimeout = 20*time.Millisecond, tt.optTimeout
			rep := mustRun(t, opts)
			got := caseByID(t, rep, "T-1")
			if got.State != tt.state || got.Message != tt.message {
				t.Errorf("got %s %q, want %s %q", got.State, got.Message, tt.state, tt.message)
			}
		})
	}
}

func TestEvents(t *testing.T) {
	var (
		mu      sync.Mutex
		busy    bool
		overlap bool
		starts  []string
		last    Progress
	)
	enter := func() {
		mu.Lock()
		overlap = overlap || busy
		busy = true
		mu.Unlock()
		time.Sleep(100 * time.Microsecond)
		mu.Lock()
		busy = false
		mu.Unlock()
	}
	fake := newFake(func(ctx context.Context, c *specs.Case) Outcome {
		if c.ID == "E-003" {
			return Outcome{State: reports.Fail, Message: "boom"}
		}
		return Outcome{State: reports.Pass}
	})
	opts := baseOptions(testPack(append(numbered("E", 10), tcase("X-1", graphql))...), fake)
	opts.Target.Profiles = []string{"rest"}
	opts.Events = Events{
		CaseStarted: func(c reports.Case, p Progress) {
			enter()
			starts = append(starts, c.ID)
		},
		CaseFinished: func(c reports.Case, p Progress) {
			enter()
			if p.Done != last.Done+1 || c.State == reports.Invalid {
				t.Errorf("finished %s %s with progress %+v after %+v", c.ID, c.State, p, last)
			}
			last = p
		},
	}
	mustRun(t, opts)
	if overlap {
		t.Error("event callbacks ran concurrently")
	}
	if len(starts) != 10 || slices.Contains(starts, "X-1") {
		t.Errorf("started events %v, want the 10 executed cases", starts)
	}
	if last != (Progress{Done: 10, Total: 10, Failed: 1}) {
		t.Errorf("final progress %+v", last)
	}
}

func TestCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fake := newFake(nil)
	rep, err := runBounded(t, ctx, baseOptions(testPack(numbered("C", 5)...), fake))
	if !errors.Is(err, context.Canceled) || rep == nil || !rep.Interrupted {
		t.Fatalf("err %v, report %v: want an interrupted report and context.Canceled", err, rep)
	}
	if got := fake.startedIDs(); len(got) != 0 {
		t.Errorf("cases ran after cancellation: %v", got)
	}
	for _, c := range rep.Cases {
		if c.State != reports.Error || c.Message != "interrupted: the run was interrupted before the case started" {
			t.Errorf("%s: %s %q", c.ID, c.State, c.Message)
		}
	}
}

// TestFinalCasesRunLast: a final case (a run-wide scan) runs after every parallel and serial
// case, alone, whatever the seed; final implies serial even when the case does not say so.
func TestFinalCasesRunLast(t *testing.T) {
	for _, seed := range []int64{1, 2, 3} {
		cases := numbered("P", 10)
		cases = slices.Insert(cases, 0, tcase("F-001", func(c *specs.Case) { c.Final = true }))
		cases = slices.Insert(cases, 4, tcase("S-001", serial))
		cases = append(cases, tcase("S-002", serial))
		var mu sync.Mutex
		var order []string
		inFlight, overlapped := 0, false
		fake := newFake(func(ctx context.Context, c *specs.Case) Outcome {
			mu.Lock()
			order = append(order, c.ID)
			inFlight++
			if c.Final && inFlight > 1 {
				overlapped = true
			}
			mu.Unlock()
			time.Sleep(time.Millisecond)
			mu.Lock()
			inFlight--
			mu.Unlock()
			return Outcome{State: reports.Pass}
		})
		opts := baseOptions(testPack(cases...), fake)
		opts.Concurrency, opts.Seed = 8, seed
		mustRun(t, opts)
		if len(order) != len(cases) || order[len(order)-1] != "F-001" {
			t.Fatalf("seed %d: final case not last: %v", seed, order)
		}
		if prev := order[len(order)-3 : len(order)-1]; !strings.HasPrefix(prev[0], "S-") || !strings.HasPrefix(prev[1], "S-") {
			t.Errorf("seed %d: serial cases not just before the final one: %v", seed, order)
		}
		if overlapped {
			t.Errorf("seed %d: the final case ran alongside another", seed)
		}
	}
}
