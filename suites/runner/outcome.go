package runner

import (
	"context"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/engine"
)

// CaseRunner executes one case and keeps the run's exchanges; *engine.Executor implements it.
// The runner depends on this narrow interface, not on the engine, so its tests use fakes.
type CaseRunner interface {
	// Run executes c and returns its outcome. It must return soon after ctx is done; a runner
	// that does not is abandoned after a grace period and its case becomes ERROR.
	Run(ctx context.Context, c *specs.Case) Outcome
	// Exchanges returns every exchange recorded so far, redacted.
	Exchanges() []reports.Exchange
}

// ObservationSource is implemented by a CaseRunner that checks the pack's cross-cutting rules
// (the engine): the rules it saw broken, one per clause, go into the report. Optional, so that
// fakes and the runner of an unreachable target need not implement it.
type ObservationSource interface {
	Observations() []reports.Observation
}

// Outcome is what executing one case produced (the engine's CaseOutcome).
type Outcome = engine.CaseOutcome

// The engine's executor is the production CaseRunner.
var (
	_ CaseRunner        = (*engine.Executor)(nil)
	_ ObservationSource = (*engine.Executor)(nil)
)
