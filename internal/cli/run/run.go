// Package run is `chanconf run`: it runs the unified specification (a spec pack) against a
// channel, or against the embedded reference channel, and writes the certification reports.
package run

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/runner"
	"github.com/spf13/cobra"
)

// outDirLayout is the timestamp that starts a run ID (and so the default report folder).
const outDirLayout = "20060102T150405Z"

// Options are the inputs of `chanconf run`: dependencies first, then flag values.
type Options struct {
	IO *iostreams.IOStreams
	// Now is the clock (report times, the default output folder, the seed when none is given).
	Now func() time.Time
	// PackFS is the embedded pack and PackRoot its display name, used without --pack.
	PackFS   fs.FS
	PackRoot string
	// Tool identifies this build in every report.
	Tool reports.Tool

	// Target (--target) is the channel's base URL and Declaration (--declaration) its declaration
	// file; both or neither (then the embedded reference channel is tested).
	Target, Declaration string
	// PackDir (--pack) loads the pack from a directory instead of the embedded one.
	PackDir string
	// OutDir (--out) receives the reports; default chanconf-out/<run ID>/ (see newRunID). An
	// --out holding files is refused unless Force (--force), which removes an earlier run's
	// reports first.
	OutDir string
	Force  bool
	// Format (--format) is how the end of the run is printed on Out: "text" (the summary; also
	// "") or "json" (one object for scripts, see jsonSummary).
	Format string
	// LabelFilter, Focus and Profile select cases (see runner.Options); a filtered run is never
	// CONFORMANT.
	LabelFilter, Focus, Profile string
	// Concurrency (--concurrency) is the worker-pool size for non-serial cases.
	Concurrency int
	// Seed (--seed) orders cases and generates personas; 0 picks one.
	Seed int64
	// RequestTimeout bounds one exchange, CaseTimeout one case (0: the defaults).
	RequestTimeout, CaseTimeout time.Duration
	// ReferenceFaults (--reference-fault) and ReferenceLatency start the embedded reference
	// channel broken or slow; refused with --target.
	ReferenceFaults  []string
	ReferenceLatency time.Duration
	// ReferenceVariants (--reference-variant) start the embedded reference channel with
	// behaviour the standard allows but it does not show by default; refused with --target.
	ReferenceVariants []string
	// NoColor, Quiet and Verbose shape the console: Quiet prints only the verdict, the cases that
	// did not pass with their clauses and the report paths, Verbose a line for every case.
	NoColor, Quiet, Verbose bool

	// Bundle (--bundle) also writes bundle.zip, the certification evidence (internal/bundle).
	Bundle bool
	// Certify (--certify) is a certifying run: the full pack, unfiltered, against an unbroken
	// channel, with a signed bundle; it needs SignKey.
	Certify bool
	// SignKey (--sign-key) is the PEM private key (SM2 or Ed25519) that signs the bundle.
	SignKey string
	// RerunFailed (--rerun-failed) is a report.json (or a bundle.zip holding one) whose cases
	// that did not pass are run again; the report written merges both attempts (never certifiable).
	RerunFailed string
	// Waivers (--waivers) is a waiver file turning matching FAILs into WAIVED (never
	// certifiable).
	Waivers string
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{
		IO: f.IOStreams, Now: f.Now, PackFS: f.PackFS, PackRoot: f.PackRoot,
		Tool: reports.Tool{Name: "chanconf", Version: f.Version, Revision: f.Revision, GoVersion: f.GoVersion},
	}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Run the unified specification against a channel and write the certification reports",
		Long: `Run loads the spec pack (the embedded CAI v1 pack unless --pack is given), runs every
selected case against the channel named by --target and --declaration (without them: the
embedded reference channel, started on 127.0.0.1 over TLS), and writes report.json, junit.xml,
report.html, evidence.har and findings.sarif into --out. The exit code is the verdict
(see 'chanconf help exit-codes'). The checks of 'chanconf doctor' run first: an environment
problem makes every case ERROR; a channel breaking a rule there (a TLS certificate not valid
for its host, say) is only a warning, and the pack's cases FAIL it. --certify makes a certifying run (the full pack, unmodified)
and writes bundle.zip signed with --sign-key, for 'chanconf verify'.`,
		Example: `  chanconf run
  chanconf run --target https://sandbox.example.com/cai/v1 --declaration channel.yaml
  chanconf run --focus '^FUN-SES-001$' --reference-fault cache-control-missing
  chanconf run --certify --sign-key signing.key.pem --target https://sandbox.example.com/cai/v1 --declaration channel.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmdutil.TargetFromEnv(cmd, f.Getenv, &opts.Target, &opts.Declaration)
			if err := validate(opts); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Target, "target", "", "base URL of the channel to test (needs --declaration; env "+cmdutil.EnvTarget+")")
	fl.StringVar(&opts.Declaration, "declaration", "", "the channel's declaration file (needs --target; env "+cmdutil.EnvDeclaration+")")
	fl.StringVar(&opts.PackDir, "pack", "", "load the spec pack from `DIR` instead of the embedded one")
	fl.StringVar(&opts.OutDir, "out", "", "write the reports into `DIR` (default chanconf-out/<UTC timestamp>-<random>/); it must be empty or new")
	fl.BoolVar(&opts.Force, "force", false, "with --out: remove the reports of an earlier run from DIR first (refused if DIR holds anything else)")
	fl.StringVar(&opts.Format, "format", formatText, "how the end of the run is printed on stdout: text or json (one summary object for scripts)")
	fl.StringVar(&opts.LabelFilter, "label-filter", "", "select cases by label (ginkgo label-filter syntax over IDs, clauses, level, suite, area, profile, serial, labels)")
	fl.StringVar(&opts.Focus, "focus", "", "select cases whose ID matches this regular expression")
	fl.StringVar(&opts.Profile, "profile", "", "run only the cases of this profile (rest or graphql)")
	fl.IntVar(&opts.Concurrency, "concurrency", runner.DefaultConcurrency, "how many cases run at once")
	fl.Int64Var(&opts.Seed, "seed", 0, "seed for case order and personas (0: chosen and recorded)")
	fl.DurationVar(&opts.RequestTimeout, "request-timeout", 0, "bound on one HTTP exchange (default "+engine.DefaultRequestTimeout.String()+")")
	fl.DurationVar(&opts.CaseTimeout, "case-timeout", 0, "bound on every case instead of its own timeout")
	fl.StringArrayVar(&opts.ReferenceFaults, "reference-fault", nil, "start the reference channel with this fault `NAME` (repeatable; see 'chanconf faults')")
	fl.StringArrayVar(&opts.ReferenceVariants, "reference-variant", nil, "start the reference channel with this allowed variant `NAME` (repeatable; see 'chanconf variants')")
	fl.DurationVar(&opts.ReferenceLatency, "reference-latency", 0, "latency the reference channel adds to every response")
	fl.BoolVar(&opts.NoColor, "no-color", false, "never colour the console")
	fl.BoolVarP(&opts.Quiet, "quiet", "q", false, "print only the verdict, the cases that did not pass with their clauses, and the report paths")
	fl.BoolVarP(&opts.Verbose, "verbose", "v", false, "print a line for every case, passes included")
	fl.BoolVar(&opts.Bundle, "bundle", false, "also write bundle.zip: reports, redacted declaration, pack and tool identity, signed manifest")
	fl.BoolVar(&opts.Certify, "certify", false, "certifying run: full pack, no filters, waivers or reference faults; writes a signed bundle (needs --sign-key)")
	fl.StringVar(&opts.SignKey, "sign-key", "", "sign the bundle with the PEM private key in `FILE` (SM2 or Ed25519; see 'chanconf keygen')")
	fl.StringVar(&opts.RerunFailed, "rerun-failed", "", "run again only the cases that did not pass in `REPORT` (a report.json or bundle.zip) and write a merged report")
	fl.StringVar(&opts.Waivers, "waivers", "", "apply the waivers in `FILE` (YAML list of id, reason, approver, expires): matching FAILs become WAIVED")
	return cmd
}

// validate refuses flag combinations that cannot mean anything, before anything starts.
func validate(opts *Options) error {
	switch {
	case (opts.Target == "") != (opts.Declaration == ""):
		return cmdutil.Usagef("--target and --declaration go together: give both to test a channel, or neither to test the embedded reference channel")
	case opts.Target != "" && len(opts.ReferenceFaults) > 0:
		return cmdutil.Usagef("--reference-fault applies only to the embedded reference channel, not to --target")
	case opts.Target != "" && len(opts.ReferenceVariants) > 0:
		return cmdutil.Usagef("--reference-variant applies only to the embedded reference channel, not to --target")
	case opts.Target != "" && opts.ReferenceLatency != 0:
		return cmdutil.Usagef("--reference-latency applies only to the embedded reference channel, not to --target")
	case opts.Concurrency < 1:
		return cmdutil.Usagef("--concurrency must be at least 1, got %d", opts.Concurrency)
	case opts.Quiet && opts.Verbose:
		return cmdutil.Usagef("--quiet and --verbose exclude each other")
	case opts.Format != "" && opts.Format != formatText && opts.Format != formatJSON:
		return cmdutil.Usagef("--format must be %s or %s, got %q", formatText, formatJSON, opts.Format)
	case opts.Force && opts.OutDir == "":
		return cmdutil.Usagef("--force applies to --out DIR only: the default folder is always new")
	case opts.RequestTimeout < 0 || opts.CaseTimeout < 0 || opts.ReferenceLatency < 0:
		return cmdutil.Usagef("timeouts and latency must not be negative")
	}
	if err := validateCertify(opts); err != nil {
		return err
	}
	if err := cmdutil.CheckFaults(opts.ReferenceFaults); err != nil {
		return err
	}
	return cmdutil.CheckVariants(opts.ReferenceVariants)
}

// Run runs the pack and writes the reports. Its error carries the exit code: a
// *cmdutil.VerdictError for a finished (or interrupted) run that is not CONFORMANT, a
// *cmdutil.UsageError for bad input, anything else is a bug.
func Run(ctx context.Context, opts *Options) error {
	if err := validate(opts); err != nil {
		return err
	}
	opts.IO.SetNoColor(opts.NoColor)
	pack, err := cmdutil.LoadPack(cmdutil.PackSource{FS: opts.PackFS, Root: opts.PackRoot, Dir: opts.PackDir})
	if err != nil {
		return cmdutil.PackError(opts.IO.ErrOut, err)
	}
	x, err := loadExtras(opts)
	if err != nil {
		return err
	}
	seed := runner.ResolveSeed(opts.Seed, opts.Now)
	selection := runner.Options{Pack: pack, LabelFilter: opts.LabelFilter, Focus: opts.Focus, Profile: opts.Profile, Seed: seed}
	if x.base != nil {
		if selection.Focus, err = rerunFocus(x.base, pack, opts.RerunFailed); err != nil {
			return err
		}
	}
	if err := checkSelection(selection); err != nil {
		return err
	}
	runID, err := newRunID(opts.Now())
	if err != nil {
		return err
	}
	t, err := openTarget(ctx, opts)
	if err != nil {
		return err
	}
	defer t.Close()
	if err := x.checkBaseChannel(opts.RerunFailed, t.Declaration.ChannelNo); err != nil {
		return err
	}
	outDir, err := prepareOutDir(opts, runID)
	if err != nil {
		return err
	}
	return execute(ctx, opts, pack, t, selection, runOut{id: runID, dir: outDir}, x)
}

// runOut names one run: its ID and the folder its reports go to.
type runOut struct{ id, dir string }

// checkSelection refuses a bad filter, and a filter that selects no case, as usage errors
// naming it: a typo in --label-filter must not look like a run that found nothing wrong.
func checkSelection(sel runner.Options) error {
	selected, err := runner.Preview(sel)
	if err != nil {
		return runnerError(err)
	}
	if len(selected) > 0 {
		return nil
	}
	var given []string
	for _, kv := range [][2]string{{"--label-filter", sel.LabelFilter}, {"--focus", sel.Focus}, {"--profile", sel.Profile}} {
		if kv[1] != "" {
			given = append(given, kv[0]+" "+shellQuote(kv[1]))
		}
	}
	if len(given) == 0 {
		return cmdutil.Usagef("the pack %s has no case to run", sel.Pack.Manifest.Name)
	}
	return cmdutil.Usagef("%s matched no case of pack %s %s (%d cases; see 'chanconf list' with the same flags)",
		strings.Join(given, " with "), sel.Pack.Manifest.Name, sel.Pack.Manifest.Version, len(sel.Pack.Cases))
}

// execute runs the selected cases against the open target, writes the reports and reports the
// verdict.
func execute(ctx context.Context, opts *Options, pack *specs.Pack, t *target, sel runner.Options, out runOut, x *extras) error {
	caseRunner, err := newCaseRunner(opts, pack, t, sel.Seed, out.id)
	if err != nil {
		return err
	}
	defer caseRunner.close()
	con := newConsole(opts)
	ro := sel
	ro.Runner = caseRunner.runner
	ro.Concurrency = opts.Concurrency
	ro.CaseTimeout = opts.CaseTimeout
	ro.Target = t.reportTarget()
	ro.Tool = opts.Tool
	ro.Now = opts.Now
	ro.Events = con.events(opts.Now)
	ro.RerunCommand = rerunCommand(opts)
	rep, runErr := runner.Run(ctx, ro)
	if rep == nil {
		return runnerError(runErr)
	}
	rep, err = x.finish(opts.IO.ErrOut, opts, pack, rep)
	if err != nil {
		return err
	}
	paths, err := writeReports(out.dir, rep)
	if err != nil {
		return err
	}
	if opts.wantsBundle() {
		p, err := x.writeBundle(out.dir, opts, rep, t.Declaration, pack)
		if err != nil {
			return err
		}
		paths = append(paths, p)
	}
	if err := scanOutputs(paths, caseRunner.secrets()); err != nil {
		return err
	}
	code := cmdutil.ExitForReport(rep)
	if err := con.summary(rep, paths, code, opts.wantsBundle() || x.base != nil || x.waivers != nil); err != nil {
		return err
	}
	if runErr != nil && !errors.Is(runErr, context.Canceled) && !errors.Is(runErr, context.DeadlineExceeded) {
		return fmt.Errorf("run: %w (the report was written)", runErr)
	}
	if code == cmdutil.ExitConformant {
		return nil
	}
	return &cmdutil.VerdictError{Verdict: rep.Verdict, Code: code}
}

// runnerError classifies an error of the runner: a bad filter is the user's input (exit 2).
func runnerError(err error) error {
	var usage *runner.UsageError
	if errors.As(err, &usage) {
		return &cmdutil.UsageError{Err: err}
	}
	return fmt.Errorf("run: %w", err)
}
