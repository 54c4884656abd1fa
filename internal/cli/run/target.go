package run

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/doctor"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
	"github.com/chanconf/chanconf/suites/runner"
)

// target is the channel of a run: the platform's target plus what the pre-flight found.
type target struct {
	*essc.Target
	// unreachable is why the channel could not be reached before the run (nil: reachable).
	unreachable error
}

// openTarget opens the channel under test (or starts the embedded reference channel) and makes
// the pre-flight checks of `chanconf doctor`. An invalid declaration is the user's input (exit 2); an
// unreachable channel is not fatal: its cases become ERROR so that the report says why.
func openTarget(ctx context.Context, opts *Options) (*target, error) {
	t, err := essc.Open(ctx, essc.TargetOptions{
		URL:             opts.Target,
		DeclarationPath: opts.Declaration,
		Faults:          opts.ReferenceFaults,
		Variants:        opts.ReferenceVariants,
		Latency:         opts.ReferenceLatency,
	})
	if err != nil {
		if opts.Target == "" {
			return nil, fmt.Errorf("start the embedded reference channel: %w", err)
		}
		return nil, declarationError(err)
	}
	// Each pre-flight check is bounded like doctor's, or by --request-timeout when shorter.
	timeout := doctor.DefaultTimeout
	if opts.RequestTimeout > 0 {
		timeout = min(timeout, opts.RequestTimeout)
	}
	out := &target{Target: t}
	unreachable, warnings := preflight(ctx, t, opts.Now, timeout)
	if !opts.Quiet {
		for _, w := range warnings {
			fmt.Fprintf(opts.IO.ErrOut, "warning: %s\n", w)
		}
	}
	if unreachable != nil {
		out.unreachable = unreachable
		if !opts.Quiet {
			fmt.Fprintf(opts.IO.ErrOut, "warning: %v; every case that needs the channel will be ERROR\n", unreachable)
		}
	}
	return out, nil
}

// declarationError makes a failure to open a candidate channel a usage error: the URL and the
// declaration are what the user gave. A declaration with several problems lists each on its own
// line, with file, line and field.
func declarationError(err error) error {
	var de *cai.DeclarationError
	if errors.As(err, &de) {
		return &cmdutil.UsageError{Err: fmt.Errorf("invalid declaration:\n%w", err)}
	}
	return &cmdutil.UsageError{Err: fmt.Errorf("target: %w", err)}
}

// preflight makes the checks of `chanconf doctor` (internal/doctor) against the opened target,
// so that a channel that is down or out of sync is reported once, clearly, instead of as many
// timeouts or refusals. Environment problems (DNS, TCP, a handshake that never completes,
// clock skew) are returned as one error, which makes every case ERROR. A problem that is the
// channel's own answer comes back as a warning only: behaviour the pack judges itself (health,
// the signed no-op request) and a TLS handshake refused for a clause the pack checks (a
// certificate not valid for the host, TLS 1.2 refused), because those cases must FAIL, never
// ERROR.
func preflight(ctx context.Context, t *essc.Target, now func() time.Time, timeout time.Duration) (unreachable error, warnings []string) {
	r := doctor.Probe(ctx, doctor.Target{BaseURL: t.BaseURL, Declaration: t.Declaration, TLS: t.TLS, Platform: t.Platform},
		doctor.Config{Now: now, Timeout: timeout})
	var found []string
	for _, c := range r.Checks {
		switch {
		case c.Status != doctor.Problem:
		case c.Environment:
			found = append(found, fmt.Sprintf("%s: %s (fix: %s)", c.Name, c.Detail, c.Hint))
		case len(c.Clauses) > 0:
			warnings = append(warnings, fmt.Sprintf("pre-flight %s: %s (%s); the cases of %s judge it",
				c.Name, c.Detail, c.Hint, strings.Join(c.Clauses, ", ")))
		default:
			warnings = append(warnings, fmt.Sprintf("pre-flight %s: %s (%s)", c.Name, c.Detail, c.Hint))
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("target %s: pre-flight: %w", t.BaseURL.Redacted(), err), warnings
	}
	if len(found) == 0 {
		return nil, warnings
	}
	state := "not testable"
	if first := r.EnvironmentProblems()[0].Name; first == doctor.CheckDNS || first == doctor.CheckTCP {
		state = "unreachable"
	}
	return fmt.Errorf("target %s %s: %s", t.BaseURL.Redacted(), state, strings.Join(found, "; ")), warnings
}

// reportTarget is the channel as the report shows it (no secrets).
func (t *target) reportTarget() reports.Target {
	d := t.Declaration
	return reports.Target{
		BaseURL:   t.BaseURL.String(),
		ChannelNo: d.ChannelNo,
		Name:      d.Name,
		Profiles:  d.Profiles,
		Reference: t.Reference,
		Faults:    t.Faults,
		Variants:  t.Variants,
	}
}

// caseRunner is what executes the cases of a run, and how to release it.
type caseRunner struct {
	runner runner.CaseRunner
	close  func()
	// secrets returns every secret value met in the run, for the scan of the outputs.
	secrets func() []string
}

// newCaseRunner builds the engine executor for the target, or, when the pre-flight failed, a
// runner that makes every case ERROR with the reason without touching the network.
func newCaseRunner(opts *Options, pack *specs.Pack, t *target, seed int64, runID string) (*caseRunner, error) {
	if t.unreachable != nil {
		return &caseRunner{runner: &unreachableRunner{reason: t.unreachable, now: opts.Now}, close: func() {},
			secrets: t.Platform.Secrets}, nil
	}
	exec, err := engine.New(engine.Options{
		Pack:           pack,
		Platform:       t.Platform,
		BaseURL:        t.BaseURL,
		TLS:            t.TLS,
		Profiles:       t.Declaration.Profiles,
		RunID:          "chanconf-" + runID,
		Seed:           seed,
		RequestTimeout: opts.RequestTimeout,
		Probes:         cmdutil.Probes(t.Platform),
		Now:            opts.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("prepare the engine: %w", err)
	}
	return &caseRunner{runner: exec, close: exec.CloseIdleConnections, secrets: exec.SeenSecrets}, nil
}

// unreachableRunner judges every case ERROR because the channel could not be reached: the
// environment broke, not the channel's conformance.
type unreachableRunner struct {
	reason error
	now    func() time.Time
}

var _ runner.CaseRunner = (*unreachableRunner)(nil)

// Run returns ERROR with the pre-flight's reason, recorded as the one check that ran.
func (u *unreachableRunner) Run(_ context.Context, c *specs.Case) runner.Outcome {
	check := reports.Check{
		Name: "pre-flight", Outcome: reports.Failed,
		Expected: "the pre-flight checks of 'chanconf doctor' pass (DNS, TCP, TLS handshake, clock skew)",
		Actual:   u.reason.Error(),
		Detail:   "checked once before the run; no request of the case was sent",
	}
	return runner.Outcome{CaseID: c.ID, State: reports.Error, Message: u.reason.Error(), Checks: []reports.Check{check}, Started: u.now()}
}

// Exchanges returns none: nothing was sent.
func (u *unreachableRunner) Exchanges() []reports.Exchange { return nil }
