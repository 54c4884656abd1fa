package selfcert

import (
	"context"
	"fmt"
	"io"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
	"github.com/chanconf/chanconf/suites/runner"
)

// RunOptions configure one run of a pack against a fresh embedded reference channel.
type RunOptions struct {
	// Pack is the loaded pack (required).
	Pack *specs.Pack
	// Faults are the reference channel's fault switches (none: a conformant channel).
	Faults []string
	// Variants are the reference channel's variant switches: behaviour the standard allows.
	Variants []string
	// Focus is a regular expression on case IDs (runner.Options.Focus); empty runs every case.
	Focus string
	// Concurrency is the runner's worker-pool size (default runner.DefaultConcurrency).
	Concurrency int
	// Seed orders the cases and makes the personas reproducible (0: picked by the runner).
	Seed int64
	// RunID names the run in the channel's logs and the personas' salt (default "selfcert").
	RunID string
	// Keys is the test key material (default keys.Load()).
	Keys *keys.Set
	// Log receives the reference channel's diagnostics; nil discards them.
	Log io.Writer
}

// RunReference starts a reference channel with opts.Faults, runs the pack's selected cases
// against it as `chanconf run` does without --target (the essc platform and target, the generic
// and platform probes, the engine, the runner) and returns the judged report. The channel is
// closed before it returns. It drives ginkgo: never call it concurrently with another run.
func RunReference(ctx context.Context, opts RunOptions) (*reports.Report, error) {
	if opts.Pack == nil {
		return nil, fmt.Errorf("selfcert: RunOptions.Pack is nil")
	}
	t, err := essc.Open(ctx, essc.TargetOptions{Faults: opts.Faults, Variants: opts.Variants, Keys: opts.Keys, Log: opts.Log})
	if err != nil {
		return nil, fmt.Errorf("starting the reference channel with faults %v, variants %v: %w", opts.Faults, opts.Variants, err)
	}
	defer t.Close()
	runID := opts.RunID
	if runID == "" {
		runID = "selfcert"
	}
	seed := runner.ResolveSeed(opts.Seed, nil)
	exec, err := engine.New(engine.Options{
		Pack:     opts.Pack,
		Platform: t.Platform,
		BaseURL:  t.BaseURL,
		TLS:      t.TLS,
		Profiles: t.Declaration.Profiles,
		RunID:    runID,
		Seed:     seed,
		Probes:   cmdutil.Probes(t.Platform),
	})
	if err != nil {
		return nil, fmt.Errorf("preparing the engine: %w", err)
	}
	defer exec.CloseIdleConnections()
	return runner.Run(ctx, runner.Options{
		Pack:        opts.Pack,
		Runner:      exec,
		Concurrency: opts.Concurrency,
		Focus:       opts.Focus,
		Seed:        seed,
		Target: reports.Target{
			BaseURL:   t.BaseURL.String(),
			ChannelNo: t.Declaration.ChannelNo,
			Name:      t.Declaration.Name,
			Profiles:  t.Declaration.Profiles,
			Reference: true,
			Faults:    opts.Faults,
			Variants:  opts.Variants,
		},
	})
}

// LoadPack loads the CAI v1 pack compiled into chanconf with the CLI's loader options.
func LoadPack() (*specs.Pack, error) {
	return cmdutil.LoadPack(cmdutil.PackSource{FS: esscv1.FS, Root: esscv1.Root})
}
