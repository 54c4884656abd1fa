package runner

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
)

// Run executes the pack's cases selected by opts against the target and returns the report,
// judged (reports.Judge). ginkgo's own console output is discarded; progress goes to
// opts.Events. Bad filters are *UsageError and nothing runs. When ctx is cancelled the pool
// stops, unfinished cases become ERROR "interrupted", and Run returns the (interrupted) report
// together with an error wrapping ctx.Err().
func Run(ctx context.Context, opts Options) (*reports.Report, error) {
	t, err := BuildTree(opts)
	if err != nil {
		return nil, err
	}
	restore := silenceGinkgo()
	defer restore()
	return t.Execute(ctx, ignoreFail{}, silentReporterConfig())
}

// Preview returns the cases that a run with opts would execute, in pack order, without
// executing anything (for `chanconf list`). opts.Runner is not needed. It selects the way the
// tree does (focus, profile, declared profiles, then the label filter over each case's labels,
// which is how ginkgo applies a label filter to specs without container labels) without
// registering ginkgo specs: ginkgo's spec generation scans every sibling for every spec, so a
// pack of 100 000 cases took minutes to preview (issue 11 finding 9). ctx is checked between
// cases (PreviewContext); a cancelled preview returns an error wrapping its cause.
func Preview(opts Options) ([]*specs.Case, error) {
	return PreviewContext(context.Background(), opts)
}

// PreviewContext is Preview, stopping when ctx is cancelled.
func PreviewContext(ctx context.Context, opts Options) ([]*specs.Case, error) {
	n, err := normalize(opts, false)
	if err != nil {
		return nil, err
	}
	filter, err := types.ParseLabelFilter(n.LabelFilter)
	if err != nil {
		return nil, &UsageError{Field: "label-filter", Err: plain(err)}
	}
	seen := make(map[string]bool, len(n.Pack.Cases))
	var out []*specs.Case
	for i := range n.Pack.Cases {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, specs.Interrupted("selecting the cases", ctx)
		}
		c := &n.Pack.Cases[i]
		labels, err := caseLabels(c)
		if err != nil {
			return nil, err
		}
		text := c.ID + ": " + c.Title
		if seen[text] {
			return nil, fmt.Errorf("%s: case %s: duplicate case ID", source(c), c.ID)
		}
		seen[text] = true
		if n.skipReason(c) == "" && filter(labels) {
			out = append(out, c)
		}
	}
	return out, nil
}

// silentReporterConfig is the reporter configuration Run uses: succinct, colourless, no skips,
// no report files. Its output is discarded in any case.
func silentReporterConfig() types.ReporterConfig {
	return types.ReporterConfig{NoColor: true, Succinct: true, SilenceSkips: true}
}

// SuiteConfig is the ginkgo suite configuration of the tree's run: the label filter, the seed
// with all specs randomised, and a suite timeout long enough that only the per-case timeouts and
// the caller's context bound the run. Focus and profile are applied by the tree, not by ginkgo.
func (t *Tree) SuiteConfig() types.SuiteConfig {
	sc := types.NewDefaultSuiteConfig()
	sc.LabelFilter = t.n.LabelFilter
	sc.RandomSeed = t.n.Seed
	sc.RandomizeAllSpecs = true
	sc.Timeout = suiteTimeout
	return sc
}

// Execute previews the tree, starts the worker pool on the selected cases, runs the specs with
// ginkgo.RunSpecs(gt, ..., rc) and returns the judged report. ginkgo prints with rc to the
// process's stdout unless the caller silenced it (Run does). See Run for interruption.
func (t *Tree) Execute(ctx context.Context, gt ginkgo.GinkgoTestingT, rc types.ReporterConfig) (*reports.Report, error) {
	if t.executed {
		return nil, errors.New("runner: a Tree can be executed only once; build a new one")
	}
	t.executed = true
	started := t.n.Now()
	order := t.preview(rc)
	poolCtx, stop := context.WithCancel(ctx)
	defer stop()
	p := startPool(poolCtx, t.n, order)
	ginkgo.RunSpecs(gt, t.description, t.SuiteConfig(), rc)
	stop() // ginkgo judged every spec it will; anything unfinished was cut short
	p.wait()
	rep := t.report(started)
	err := ctx.Err()
	if err == nil && rep.Interrupted {
		err = context.Canceled // ginkgo was interrupted (SIGINT) or gave up on a spec
	}
	if err != nil {
		return rep, fmt.Errorf("run of pack %s interrupted: %w", t.n.Pack.Manifest.Name, err)
	}
	return rep, nil
}

// preview asks ginkgo which specs the label filter and seed select and marks the cases that
// will execute; it returns them in ginkgo's execution order.
func (t *Tree) preview(rc types.ReporterConfig) []*slot {
	rep := ginkgo.PreviewSpecs(t.description, t.SuiteConfig(), rc)
	var order []*slot
	for _, sr := range rep.SpecReports {
		s, ok := t.byText[sr.LeafNodeText]
		if !ok || sr.LeafNodeType != types.NodeTypeIt {
			continue
		}
		switch {
		case sr.State != types.SpecStatePassed:
			if s.skip == "" {
				s.skip = fmt.Sprintf("filtered out: not selected by --label-filter %q", t.n.LabelFilter)
			}
		case s.skip == "":
			s.selected = true
			order = append(order, s)
		}
	}
	return order
}

// silenceGinkgo points ginkgo's console writer at io.Discard until the returned function is
// called. The default reporter is created inside RunSpecs from formatter.ColorableStdOut (the
// process's stdout captured at init), so this is the only way to keep it quiet in-process.
func silenceGinkgo() (restore func()) {
	saved := formatter.ColorableStdOut
	formatter.ColorableStdOut = io.Discard
	return func() { formatter.ColorableStdOut = saved }
}

// ignoreFail is the GinkgoTestingT of Run: the report, not ginkgo's suite result, decides the
// verdict, so a failed suite needs no recording.
type ignoreFail struct{}

// Fail implements ginkgo.GinkgoTestingT.
func (ignoreFail) Fail() {}
