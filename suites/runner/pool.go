package runner

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// future is the outcome of one case, resolved once by the pool and awaited by its It.
type future struct {
	once        sync.Once
	done        chan struct{}
	out         Outcome
	interrupted bool
}

func newFuture() *future { return &future{done: make(chan struct{})} }

// resolve records the outcome; only the first call counts.
func (f *future) resolve(o Outcome, interrupted bool) {
	f.once.Do(func() {
		f.out, f.interrupted = o, interrupted
		close(f.done)
	})
}

// wait blocks until the outcome is known or ctx is done; ok is false in the latter case.
func (f *future) wait(ctx context.Context) (o Outcome, interrupted, ok bool) {
	select {
	case <-f.done:
		return f.out, f.interrupted, true
	case <-ctx.Done():
		return Outcome{}, false, false
	}
}

// result returns the outcome if it is known.
func (f *future) result() (o Outcome, interrupted, ok bool) {
	select {
	case <-f.done:
		return f.out, f.interrupted, true
	default:
		return Outcome{}, false, false
	}
}

// pool executes the selected cases: the non-serial ones Concurrency at a time in the order
// given, then the serial ones one at a time. When its context is cancelled it stops starting
// cases and resolves every remaining future as interrupted.
type pool struct {
	n        *normalized
	finished sync.WaitGroup

	mu       sync.Mutex // serialises Events and guards progress
	progress Progress
}

// startPool starts executing order (the preview order) in the background.
func startPool(ctx context.Context, n *normalized, order []*slot) *pool {
	p := &pool{n: n, progress: Progress{Total: len(order)}}
	var parallel, serial, final []*slot
	for _, s := range order {
		switch {
		case s.c.Final:
			final = append(final, s)
		case s.c.Serial:
			serial = append(serial, s)
		default:
			parallel = append(parallel, s)
		}
	}
	p.finished.Add(1)
	go func() {
		defer p.finished.Done()
		p.runAll(ctx, parallel, n.Concurrency)
		p.runAll(ctx, serial, 1)
		p.runAll(ctx, final, 1)
		for _, s := range order {
			s.fut.resolve(interruptedOutcome(s.c, "the run was interrupted before the case started", nil), true)
		}
	}()
	return p
}

// wait returns when the pool has stopped (it abandons runners that ignore their context).
func (p *pool) wait() { p.finished.Wait() }

// runAll executes slots with at most workers at a time and returns when all have finished or
// ctx is done and the started ones have stopped.
func (p *pool) runAll(ctx context.Context, slots []*slot, workers int) {
	if len(slots) == 0 {
		return
	}
	jobs := make(chan *slot)
	var wg sync.WaitGroup
	for range min(workers, len(slots)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range jobs {
				p.execute(ctx, s)
			}
		}()
	}
feed:
	for _, s := range slots {
		select {
		case jobs <- s:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
}

// execute runs one case and resolves its future.
func (p *pool) execute(ctx context.Context, s *slot) {
	if ctx.Err() != nil {
		return // resolved as interrupted by startPool's goroutine
	}
	p.notify(s, nil)
	o, interrupted := p.runCase(ctx, s)
	s.fut.resolve(o, interrupted)
	p.notify(s, &o)
}

// runCase executes s under its hard timeout. A runner that ignores its context is abandoned
// abandonAfter the deadline, and its case becomes ERROR.
func (p *pool) runCase(ctx context.Context, s *slot) (Outcome, bool) {
	timeout := p.n.timeoutFor(s.c)
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	started, clock := p.n.Now(), time.Now()
	res := make(chan Outcome, 1)
	go func() { res <- p.n.Runner.Run(cctx, s.c) }()
	select {
	case o := <-res:
		return settle(ctx, s.c, o, started, time.Since(clock))
	case <-cctx.Done():
	}
	grace := time.NewTimer(p.n.abandonAfter)
	defer grace.Stop()
	select {
	case o := <-res:
		return settle(ctx, s.c, o, started, time.Since(clock))
	case <-grace.C:
	}
	if ctx.Err() != nil {
		return interruptedOutcome(s.c, fmt.Sprintf("the run was interrupted and the case did not stop within %s", p.n.abandonAfter), nil), true
	}
	o := Outcome{CaseID: s.c.ID, State: reports.Error, Started: started, Duration: time.Since(clock),
		Message: fmt.Sprintf("the case exceeded its timeout of %s and did not stop within %s", timeout, p.n.abandonAfter)}
	return o, false
}

// settle normalises a runner's outcome: an outcome received after the run was interrupted is
// ERROR (its steps were cut short), an unjudged one is ERROR, and a SHOULD case's FAIL is WARN.
func settle(ctx context.Context, c *specs.Case, o Outcome, started time.Time, took time.Duration) (Outcome, bool) {
	if o.CaseID == "" {
		o.CaseID = c.ID
	}
	if o.Started.IsZero() {
		o.Started = started
	}
	if o.Duration <= 0 {
		o.Duration = took
	}
	if ctx.Err() != nil {
		return interruptedOutcome(c, "the run was interrupted while the case ran", &o), true
	}
	switch {
	case o.State == reports.Invalid:
		o.State = reports.Error
		o.Message = joinMessage("the runner returned no state", o.Message)
	case o.State == reports.Fail && c.Level == specs.SHOULD:
		o.State = reports.Warn
	}
	return o, false
}

// interruptedOutcome is the ERROR outcome of a case the interruption stopped; partial keeps the
// checks and evidence of what ran.
func interruptedOutcome(c *specs.Case, why string, partial *Outcome) Outcome {
	o := Outcome{CaseID: c.ID, State: reports.Error, Message: "interrupted: " + why}
	if partial != nil {
		o.Checks, o.Evidence, o.Started, o.Duration = partial.Checks, partial.Evidence, partial.Started, partial.Duration
		if partial.Message != "" {
			o.Message += " (" + partial.State.String() + ": " + partial.Message + ")"
		}
	}
	return o
}

func joinMessage(head, tail string) string {
	if tail == "" {
		return head
	}
	return head + ": " + tail
}

// notify tells Events that s started (o == nil) or finished, one call at a time.
func (p *pool) notify(s *slot, o *Outcome) {
	ev := p.n.Events
	if ev.CaseStarted == nil && ev.CaseFinished == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if o == nil {
		if ev.CaseStarted != nil {
			ev.CaseStarted(p.n.caseReport(s.c, nil), p.progress)
		}
		return
	}
	p.progress.Done++
	if o.State == reports.Fail || o.State == reports.Error {
		p.progress.Failed++
	}
	if ev.CaseFinished != nil {
		ev.CaseFinished(p.n.caseReport(s.c, o), p.progress)
	}
}
