package selfcert

import (
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// Defaults of Options.
const (
	// DefaultConcurrency is the pool size of the clean run and the fault runs; the determinism
	// run uses 1, so that the two runs differ as much as possible in interleaving.
	DefaultConcurrency = 32
	// DefaultSeed and DefaultRepeatSeed are the seeds of the clean and the determinism run.
	DefaultSeed       int64 = 20260301
	DefaultRepeatSeed int64 = 20260302
)

// Options configure Check. The zero value checks the embedded pack against every fault.
type Options struct {
	// Pack is the pack to certify; nil loads the embedded CAI v1 pack (LoadPack).
	Pack *specs.Pack
	// Faults names the fault switches to check; nil means every fault of refchannel.Faults().
	// An empty non-nil slice checks none.
	Faults []string
	// SkipClean skips the clean run (and with it the determinism run, which compares against
	// it); SkipDeterminism skips only the second full run.
	SkipClean, SkipDeterminism bool
	// Concurrency of the clean run and the fault runs (default DefaultConcurrency).
	Concurrency int
	// Seed of the clean and fault runs, RepeatSeed of the determinism run (defaults
	// DefaultSeed and DefaultRepeatSeed).
	Seed, RepeatSeed int64
	// Keys is the test key material (default keys.Load(), loaded once).
	Keys *keys.Set
	// Attribution runs each fault against every case of the pack but the sleeping ones
	// (faultRunCases) instead of only the cases tracing to it, so that the attribution precision
	// can be measured (and is required: PrecisionProblems); about ten times the work.
	Attribution bool
	// Progress receives one line per finished run ("fault NAME: killed by ..."); nil discards.
	Progress io.Writer
}

// Result is what Check found. Every field is filled for the parts that ran.
type Result struct {
	// Clean is the report of the whole pack against the conformant channel.
	Clean *reports.Report
	// Repeat is the report of the determinism run.
	Repeat *reports.Report
	// Differences lists the cases whose state differs between Clean and Repeat.
	Differences []Difference
	// Faults has one entry per checked fault, in catalogue order.
	Faults []FaultResult
	// Durations of the three parts.
	CleanDuration, FaultsDuration, RepeatDuration time.Duration
}

// Difference is a case whose state changed between two runs of the same pack.
type Difference struct {
	CaseID        string
	First, Second reports.State
}

// FaultResult is the outcome of one fault run.
type FaultResult struct {
	Fault refchannel.Fault
	// Cases are the IDs of the cases tracing to one of the fault's clauses (the focus).
	Cases []string
	// Verdict is the focused run's verdict.
	Verdict reports.Verdict
	// Failing are the focused cases that FAILed; Errored those that ERRORed (diagnostics).
	Failing, Errored []string
	// Ran are the cases the fault run executed (faultRunCases); AllFailing every one of them
	// that FAILed, focused or not, for the attribution precision.
	Ran        []string
	AllFailing []FailedCase
	// Report is the fault run's report without its exchanges (for the SARIF and console
	// checks of the tests).
	Report *reports.Report
	// Killed is true when the verdict is NONCONFORMANT and at least one focused case failed.
	Killed bool
	// Err is a problem running the fault (the channel did not start, the run broke).
	Err      error
	Duration time.Duration
}

// KillRate returns how many of the checked faults were killed and how many were checked.
func (r *Result) KillRate() (killed, total int) {
	for _, f := range r.Faults {
		if f.Killed {
			killed++
		}
	}
	return killed, len(r.Faults)
}

// Check runs the self-certification (see the package documentation) and returns the result and,
// when anything is wrong, an error listing every problem (errors.Join). An error that stops
// Check from judging at all (the pack does not load, ctx ends) returns a nil Result.
func Check(ctx context.Context, opts Options) (*Result, error) {
	faults, err := selectFaults(opts.Faults)
	if err != nil {
		return nil, err
	}
	if err := fillDefaults(&opts); err != nil {
		return nil, err
	}
	res := &Result{}
	var problems []error
	if !opts.SkipClean {
		problems = append(problems, runClean(ctx, opts, res)...)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("self-certification interrupted: %w", err)
	}
	problems = append(problems, runFaults(ctx, opts, faults, res)...)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("self-certification interrupted: %w", err)
	}
	if !opts.SkipClean && !opts.SkipDeterminism {
		problems = append(problems, runRepeat(ctx, opts, res)...)
	}
	return res, errors.Join(problems...)
}

// fillDefaults applies the defaults and loads what is missing.
func fillDefaults(opts *Options) error {
	if opts.Concurrency <= 0 {
		opts.Concurrency = DefaultConcurrency
	}
	if opts.Seed == 0 {
		opts.Seed = DefaultSeed
	}
	if opts.RepeatSeed == 0 {
		opts.RepeatSeed = DefaultRepeatSeed
	}
	if opts.Keys == nil {
		ks, err := keys.Load()
		if err != nil {
			return fmt.Errorf("selfcert: %w", err)
		}
		opts.Keys = ks
	}
	if opts.Pack == nil {
		p, err := LoadPack()
		if err != nil {
			return fmt.Errorf("selfcert: loading the embedded pack: %w", err)
		}
		opts.Pack = p
	}
	return nil
}

// selectFaults returns the catalogue entries named by names (all for nil), refusing unknown names.
func selectFaults(names []string) ([]refchannel.Fault, error) {
	all := refchannel.Faults()
	if names == nil {
		return all, nil
	}
	var out []refchannel.Fault
	var unknown []string
	for _, n := range names {
		i := slices.IndexFunc(all, func(f refchannel.Fault) bool { return f.Name == n })
		if i < 0 {
			unknown = append(unknown, n)
			continue
		}
		out = append(out, all[i])
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("selfcert: unknown faults %s", strings.Join(unknown, ", "))
	}
	return out, nil
}

// runClean runs the whole pack against the conformant channel; every case must pass.
func runClean(ctx context.Context, opts Options, res *Result) []error {
	start := time.Now()
	rep, err := RunReference(ctx, RunOptions{Pack: opts.Pack, Concurrency: opts.Concurrency, Seed: opts.Seed,
		RunID: "selfcert-clean", Keys: opts.Keys})
	res.CleanDuration = time.Since(start)
	res.Clean = rep
	if err != nil {
		return []error{fmt.Errorf("clean run: %w", err)}
	}
	progress(opts.Progress, "clean run: %s, %d cases in %s", rep.Verdict, len(rep.Cases), res.CleanDuration.Round(time.Millisecond))
	return cleanProblems("clean run", rep)
}

// cleanProblems names every case of a run against the conformant channel that did not pass.
func cleanProblems(run string, rep *reports.Report) []error {
	var out []error
	for _, c := range rep.Cases {
		switch c.State {
		case reports.Fail, reports.Warn, reports.Error, reports.Invalid:
			out = append(out, fmt.Errorf("%s: %s is %s against the conformant channel: %s", run, c.ID, c.State, c.Message))
		}
	}
	if rep.Verdict != reports.Conformant {
		out = append(out, fmt.Errorf("%s: verdict %s, want CONFORMANT (%s)", run, rep.Verdict, strings.Join(rep.Reasons, "; ")))
	}
	return out
}

// runRepeat runs the whole pack again with another seed and concurrency 1 and compares states.
func runRepeat(ctx context.Context, opts Options, res *Result) []error {
	if res.Clean == nil {
		return nil
	}
	start := time.Now()
	rep, err := RunReference(ctx, RunOptions{Pack: opts.Pack, Concurrency: 1, Seed: opts.RepeatSeed,
		RunID: "selfcert-repeat", Keys: opts.Keys})
	res.RepeatDuration = time.Since(start)
	res.Repeat = rep
	if err != nil {
		return []error{fmt.Errorf("determinism run: %w", err)}
	}
	res.Differences = compareStates(res.Clean, rep)
	progress(opts.Progress, "determinism run: %s, %d differences in %s", rep.Verdict, len(res.Differences), res.RepeatDuration.Round(time.Millisecond))
	var out []error
	for _, d := range res.Differences {
		out = append(out, fmt.Errorf("determinism: %s is %s with seed %d and concurrency %d but %s with seed %d and concurrency 1",
			d.CaseID, d.First, opts.Seed, opts.Concurrency, d.Second, opts.RepeatSeed))
	}
	return out
}

// compareStates lists the cases whose state differs between a and b (a case missing from one
// report counts as Invalid there), in a's order then b's extra cases.
func compareStates(a, b *reports.Report) []Difference {
	second := map[string]reports.State{}
	for _, c := range b.Cases {
		second[c.ID] = c.State
	}
	var out []Difference
	seen := map[string]bool{}
	for _, c := range a.Cases {
		seen[c.ID] = true
		if s := second[c.ID]; s != c.State {
			out = append(out, Difference{CaseID: c.ID, First: c.State, Second: s})
		}
	}
	for _, c := range b.Cases {
		if !seen[c.ID] {
			out = append(out, Difference{CaseID: c.ID, First: reports.Invalid, Second: c.State})
		}
	}
	return out
}

// runFaults runs each fault against the cases tracing to its clauses.
func runFaults(ctx context.Context, opts Options, faults []refchannel.Fault, res *Result) []error {
	start := time.Now()
	defer func() { res.FaultsDuration = time.Since(start) }()
	var out []error
	for _, f := range faults {
		if ctx.Err() != nil {
			return out
		}
		fr := runFault(ctx, opts, f)
		res.Faults = append(res.Faults, fr)
		progress(opts.Progress, "fault %s: %s", f.Name, fr.summary())
		if !fr.Killed {
			out = append(out, fmt.Errorf("fault %s (%s, %s) not killed: %s", f.Name, strings.Join(f.Clauses, ", "), f.Description, fr.summary()))
		}
	}
	return out
}

// runFault runs one fault.
func runFault(ctx context.Context, opts Options, f refchannel.Fault) FaultResult {
	fr := FaultResult{Fault: f, Cases: CasesTracing(opts.Pack, f.Clauses)}
	if len(fr.Cases) == 0 {
		fr.Err = fmt.Errorf("no case of the pack traces to %s", strings.Join(f.Clauses, ", "))
		return fr
	}
	start := time.Now()
	fr.Ran = fr.Cases
	if opts.Attribution {
		fr.Ran = faultRunCases(opts.Pack, fr.Cases)
	}
	rep, err := RunReference(ctx, RunOptions{Pack: opts.Pack, Faults: []string{f.Name}, Focus: FocusPattern(fr.Ran),
		Concurrency: opts.Concurrency, Seed: opts.Seed, RunID: "selfcert-" + f.Name, Keys: opts.Keys})
	fr.Duration = time.Since(start)
	if err != nil {
		fr.Err = err
		return fr
	}
	judgeFault(&fr, rep)
	return fr
}

// judgeFault fills the verdict, the failing and errored focused cases and whether the fault
// was killed.
func judgeFault(fr *FaultResult, rep *reports.Report) {
	fr.Verdict = rep.Verdict
	focused := map[string]bool{}
	for _, id := range fr.Cases {
		focused[id] = true
	}
	for _, c := range rep.Cases {
		if !focused[c.ID] {
			continue
		}
		switch c.State {
		case reports.Fail:
			fr.Failing = append(fr.Failing, c.ID)
		case reports.Error:
			fr.Errored = append(fr.Errored, c.ID)
		}
	}
	fr.Killed = rep.Verdict == reports.Nonconformant && len(fr.Failing) > 0
	fr.AllFailing = failedCases(rep)
	lean := *rep
	lean.Exchanges = nil
	fr.Report = &lean
}

// summary is one line about a fault result.
func (fr FaultResult) summary() string {
	switch {
	case fr.Err != nil:
		return "error: " + fr.Err.Error()
	case fr.Killed:
		return fmt.Sprintf("killed by %s", strings.Join(fr.Failing, ", "))
	}
	s := fmt.Sprintf("verdict %s, no case tracing to the fault failed (tracing: %s)", fr.Verdict, strings.Join(fr.Cases, ", "))
	if len(fr.Errored) > 0 {
		s += "; errored: " + strings.Join(fr.Errored, ", ")
	}
	return s
}

// CasesTracing returns the IDs of the pack's cases that trace to at least one of clauses, in
// pack order.
func CasesTracing(p *specs.Pack, clauses []string) []string {
	var out []string
	for _, c := range p.Cases {
		if slices.ContainsFunc(c.Clauses, func(id string) bool { return slices.Contains(clauses, id) }) {
			out = append(out, c.ID)
		}
	}
	return out
}

// FocusPattern is the runner focus that selects exactly the given case IDs.
func FocusPattern(ids []string) string {
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = regexp.QuoteMeta(id)
	}
	return "^(" + strings.Join(quoted, "|") + ")$"
}

// progress writes one line to w when w is set; a write error is ignored (progress is talk).
func progress(w io.Writer, format string, args ...any) {
	if w != nil {
		_, _ = fmt.Fprintf(w, format+"\n", args...)
	}
}
