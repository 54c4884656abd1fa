package run

import (
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/chanconf/chanconf/internal/bundle"
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

// console is the talk of a run on ErrOut: progress, a line per case that did not pass, the
// summary; with --quiet only the verdict and the report paths.
type console struct {
	w     io.Writer
	quiet bool
	rep   *reports.Console
}

// newConsole sets the console up for the streams: colour only on a terminal that allows it, a
// redrawn progress line only when both streams are terminals.
func newConsole(opts *Options) *console {
	c := reports.NewConsole(opts.IO.ErrOut, reports.ColorScheme{Enabled: opts.IO.ColorEnabled()})
	c.Live = opts.IO.LiveProgress() && !opts.Quiet
	c.Verbose = opts.Verbose
	return &console{w: opts.IO.ErrOut, quiet: opts.Quiet, rep: c}
}

// events are the runner callbacks that feed the console; elapsed time counts from now.
func (c *console) events(now func() time.Time) runner.Events {
	start := now()
	progress := func(p runner.Progress) {
		c.rep.Progress(p.Done, p.Total, p.Failed, now().Sub(start))
	}
	return runner.Events{
		CaseStarted: func(_ reports.Case, p runner.Progress) { progress(p) },
		CaseFinished: func(k reports.Case, p runner.Progress) {
			if !c.quiet {
				c.rep.CaseFinished(k)
			}
			progress(p)
		},
	}
}

// summary prints the end of the run and returns the first console write error.
func (c *console) summary(rep *reports.Report, paths []string) error {
	if !c.quiet {
		c.rep.Summary(rep, paths)
		return c.rep.Err()
	}
	if err := c.rep.Err(); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(c.w, "verdict: %s\n", rep.Verdict); err != nil {
		return fmt.Errorf("write console output: %w", err)
	}
	for _, p := range paths {
		if _, err := fmt.Fprintf(c.w, "report: %s\n", p); err != nil {
			return fmt.Errorf("write console output: %w", err)
		}
	}
	return nil
}
