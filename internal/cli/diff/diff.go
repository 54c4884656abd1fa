// Package diff is `chanconf diff`: what changed between two runs of the same channel
// (regressions, fixes, new and removed cases, the verdict), so that CI can fail on a
// regression even when a run is NONCONFORMANT anyway.
package diff

import (
	"github.com/spf13/cobra"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
)

// Options are the inputs of `chanconf diff`.
type Options struct {
	IO *iostreams.IOStreams
	// Old and New are report.json files (or bundles, whose report.json is read).
	Old, New string
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "diff REPORT_A REPORT_B",
		Short: "Compare two reports: regressions, fixes, new and removed cases, verdict change",
		Long: `Diff compares two report.json files (or bundle.zip files) of the same channel, A the older.
It lists regressions (PASS in A, FAIL or ERROR in B), fixes, other state changes, cases only in
B or only in A, and the verdict change. Exit 1 when there is any regression, else 0; exit 2 when
a report cannot be read.`,
		Example: `  chanconf diff chanconf-out/20250601T083000Z/report.json chanconf-out/20250602T083000Z/report.json`,
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	return cmd
}

// Run reads both reports, prints the differences to Out and fails (exit 1) on a regression.
func Run(opts *Options) error {
	a, err := bundle.ReadReport(opts.Old)
	if err != nil {
		return &cmdutil.UsageError{Err: err}
	}
	b, err := bundle.ReadReport(opts.New)
	if err != nil {
		return &cmdutil.UsageError{Err: err}
	}
	d := reports.Compare(a, b)
	if err := reports.WriteDiff(opts.IO.Out, d); err != nil {
		return err
	}
	if d.HasRegression() {
		return &cmdutil.VerdictError{Verdict: b.Verdict, Code: cmdutil.ExitNonconformant}
	}
	return nil
}
