package run

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
	"github.com/chanconf/chanconf/suites/runner"
)

// preflightTimeout bounds the reachability check when --request-timeout does not say otherwise.
const preflightTimeout = 10 * time.Second

// target is the channel of a run: the platform's target plus what the pre-flight found.
type target struct {
	*essc.Target
	// unreachable is why the channel could not be reached before the run (nil: reachable).
	unreachable error
}

// openTarget opens the channel under test (or starts the embedded reference channel) and checks
// that it answers TCP and TLS. An invalid declaration is the user's input (exit 2); an
// unreachable channel is not fatal: its cases become ERROR so that the report says why.
func openTarget(ctx context.Context, opts *Options) (*target, error) {
	t, err := essc.Open(ctx, essc.TargetOptions{
		URL:             opts.Target,
		DeclarationPath: opts.Declaration,
		Faults:          opts.ReferenceFaults,
		Latency:         opts.ReferenceLatency,
	})
	if err != nil {
		if opts.Target == "" {
			return nil, fmt.Errorf("start the embedded reference channel: %w", err)
		}
		return nil, declarationError(err)
	}
	timeout := preflightTimeout
	if opts.RequestTimeout > 0 {
		timeout = min(timeout, opts.RequestTimeout)
	}
	out := &target{Target: t}
	if err := preflight(ctx, t.BaseURL, t.TLS, timeout); err != nil {
		out.unreachable = err
		if !opts.Quiet {
			fmt.Fprintf(opts.IO.ErrOut, "warning: %v; every case that needs the channel will be ERROR\n", err)
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

// preflight dials the channel and completes a TLS handshake with the run's trust, so that a
// channel that is down or not trusted is reported once, clearly, instead of as many timeouts.
func preflight(ctx context.Context, base *url.URL, conf *tls.Config, timeout time.Duration) error {
	port := base.Port()
	if port == "" {
		port = "443"
	}
	addr := net.JoinHostPort(base.Hostname(), port)
	c := conf.Clone()
	c.ServerName = base.Hostname()
	d := &tls.Dialer{NetDialer: &net.Dialer{}, Config: c}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("target %s unreachable: %w", base.Redacted(), err)
	}
	if err := conn.Close(); err != nil {
		return fmt.Errorf("target %s: close the pre-flight connection: %w", base.Redacted(), err)
	}
	return nil
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
	}
}

// caseRunner is what executes the cases of a run, and how to release it.
type caseRunner struct {
	runner runner.CaseRunner
	close  func()
}

// newCaseRunner builds the engine executor for the target, or, when the pre-flight failed, a
// runner that makes every case ERROR with the reason without touching the network.
func newCaseRunner(_ context.Context, opts *Options, pack *specs.Pack, t *target, seed int64) (*caseRunner, error) {
	if t.unreachable != nil {
		return &caseRunner{runner: &unreachableRunner{reason: t.unreachable, now: opts.Now}, close: func() {}}, nil
	}
	exec, err := engine.New(engine.Options{
		Pack:           pack,
		Platform:       t.Platform,
		BaseURL:        t.BaseURL,
		TLS:            t.TLS,
		Profiles:       t.Declaration.Profiles,
		RunID:          fmt.Sprintf("chanconf-%s-%d", opts.Now().UTC().Format(outDirLayout), seed),
		Seed:           seed,
		RequestTimeout: opts.RequestTimeout,
		Probes:         cmdutil.Probes(t.Platform),
		Now:            opts.Now,
	})
	if err != nil {
		return nil, fmt.Errorf("prepare the engine: %w", err)
	}
	return &caseRunner{runner: exec, close: exec.CloseIdleConnections}, nil
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
		Name: "reachability", Outcome: reports.Failed,
		Expected: "a TCP connection and a TLS handshake with the declared trust",
		Actual:   u.reason.Error(),
		Detail:   "checked once before the run; no request of the case was sent",
	}
	return runner.Outcome{CaseID: c.ID, State: reports.Error, Message: u.reason.Error(), Checks: []reports.Check{check}, Started: u.now()}
}

// Exchanges returns none: nothing was sent.
func (u *unreachableRunner) Exchanges() []reports.Exchange { return nil }
