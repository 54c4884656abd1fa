package run

import (
	"io"
	"path/filepath"
	"time"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/certify"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/runner"
)

// writeReports writes every report into dir, each through a temporary file and a rename, and
// returns their paths.
func writeReports(dir string, rep *reports.Report) ([]string, error) {
	var paths []string
	for _, rf := range bundle.ReportFiles() {
		p := filepath.Join(dir, rf.Name)
		err := cmdutil.WriteFileAtomic(p, 0o644, func(w io.Writer) error { return rf.Write(w, rep) })
		if err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// console is how a run talks: progress and a line per case that did not pass on ErrOut, the
// end of the run (summary, verdict, report paths, certifiable decision) on Out, as text, as a
// short --quiet list, or as one JSON object (--format json).
type console struct {
	out    io.Writer
	quiet  bool
	format string
	// progress writes on ErrOut; result writes the text summary on Out.
	progress, result *reports.Console
}

// newConsole sets the console up for the streams: colour only on a terminal that allows it
// (each stream decided on its own), a redrawn progress line only when both streams are
// terminals.
func newConsole(opts *Options) *console {
	p := reports.NewConsole(opts.IO.ErrOut, reports.ColorScheme{Enabled: opts.IO.ColorEnabled()})
	p.Live = opts.IO.LiveProgress() && !opts.Quiet
	p.Verbose = opts.Verbose
	r := reports.NewConsole(opts.IO.Out, reports.ColorScheme{Enabled: opts.IO.OutColorEnabled() && opts.Format != formatJSON})
	return &console{out: opts.IO.Out, quiet: opts.Quiet, format: opts.Format, progress: p, result: r}
}

// events are the runner callbacks that feed the console; elapsed time counts from now.
func (c *console) events(now func() time.Time) runner.Events {
	start := now()
	progress := func(p runner.Progress) {
		c.progress.Progress(p.Done, p.Total, p.Failed, now().Sub(start))
	}
	return runner.Events{
		CaseStarted: func(_ reports.Case, p runner.Progress) { progress(p) },
		CaseFinished: func(k reports.Case, p runner.Progress) {
			if !c.quiet {
				c.progress.CaseFinished(k)
			}
			progress(p)
		},
	}
}

// summary prints the end of the run on Out and returns the first console write error. The
// certifiable decision is printed when it matters to the user (a bundle was written, or the
// run was waived or merged) and is always in the JSON summary.
func (c *console) summary(rep *reports.Report, paths []string, code cmdutil.ExitCode, showCertifiable bool) error {
	c.progress.Finish()
	if err := c.progress.Err(); err != nil {
		return err
	}
	switch {
	case c.format == formatJSON:
		return writeJSONSummary(c.out, rep, paths, code)
	case c.quiet:
		if err := writeQuiet(c.out, rep, paths); err != nil {
			return err
		}
	default:
		c.result.Summary(rep, paths)
		if err := c.result.Err(); err != nil {
			return err
		}
	}
	if showCertifiable && rep.Eligibility != nil {
		return certify.Write(c.out, *rep.Eligibility)
	}
	return nil
}
