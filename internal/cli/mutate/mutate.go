// Package mutate is `chanconf selfcert mutate`: the mutation campaign of the reference
// channel (suites/selfcert/mutation), which measures how many small, unchosen mistakes in a
// channel the spec pack notices. It builds from source, so it needs a chanconf checkout and the
// Go toolchain.
package mutate

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/selfcert/mutation"
	"github.com/spf13/cobra"
)

// module is the module path the source folder must hold.
const module = "github.com/chanconf/chanconf"

// Options are the inputs of `chanconf selfcert mutate`: dependencies first, then flag values.
type Options struct {
	IO *iostreams.IOStreams
	// Now is the clock (the campaign's date and the default output folder).
	Now func() time.Time

	// Source (--source) is the chanconf checkout whose reference channel is mutated.
	Source string
	// GoCmd (--go) is the go command that builds the mutants.
	GoCmd string
	// Jobs (--jobs) bounds the pack runs at a time.
	Jobs int
	// Sample (--sample) runs only that many mutants, spread over operators and files; 0 runs all.
	Sample int
	// Timeout (--timeout) bounds one pack run.
	Timeout time.Duration
	// Seed (--seed) is the seed of every pack run.
	Seed int64
	// OutDir (--out) receives mutation.json and mutation.md.
	OutDir string
	// Equivalents (--equivalents) is the reviewed file (default in the source tree).
	Equivalents string
	// MinScore (--min-score) fails the command (exit 1) when the score is lower, in percent.
	MinScore float64
	// IDs (--mutant) runs only these mutants.
	IDs []string
	// List (--list) prints the mutants without building or running anything.
	List bool
}

const help = `Generate mutants of the reference channel (fixtures/refchannel and its GraphQL executor)
from its Go source, build them all into one chanconf binary behind a switch (go build -overlay:
the checkout is never modified), run the whole embedded pack against each mutant and write
mutation.json and mutation.md (score, killed, survivors with file:line, operator, original and
mutated text, timeouts).

It needs the chanconf source checkout (--source, default the current folder) and the Go toolchain
(--go, default "go" on PATH) at run time; without them it stops with exit 2 before anything runs.

A mutant is killed when its run is not CONFORMANT (NONCONFORMANT, INCOMPLETE, or a crash); the
score is killed / (killed + survived). Timeouts, errors, mutants that did not compile and the
reviewed equivalents (suites/selfcert/mutation/equivalent.yaml) are counted apart. Unmutated
control runs are interleaved; a control that is not CONFORMANT makes the campaign unstable
(exit 3). Exit 1 when the score is below --min-score.`

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "mutate",
		Short: "Measure the pack's detection power against generated mutants of the reference channel",
		Long:  help,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Jobs < 1 || opts.Sample < 0 || opts.Timeout <= 0 || opts.MinScore < 0 || opts.MinScore > 100 {
				return cmdutil.Usagef("--jobs must be >= 1, --sample >= 0, --timeout > 0 and --min-score within 0..100")
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Source, "source", ".", "the chanconf source checkout to mutate (`DIR` holding go.mod)")
	fl.StringVar(&opts.GoCmd, "go", "go", "the go `command` that builds the mutants")
	fl.IntVar(&opts.Jobs, "jobs", 2, "pack runs at a time")
	fl.IntVar(&opts.Sample, "sample", 0, "run only `N` mutants, spread over operators and files (0: all)")
	fl.DurationVar(&opts.Timeout, "timeout", 3*time.Minute, "bound on one pack run (a run over it is a timeout)")
	fl.Int64Var(&opts.Seed, "seed", 1, "seed of every pack run")
	fl.StringVar(&opts.OutDir, "out", "", "write mutation.json and mutation.md into `DIR` (default mutation-out/<UTC timestamp>/)")
	fl.StringVar(&opts.Equivalents, "equivalents", "", "the reviewed scope and equivalents `FILE` (default <source>/"+mutation.EquivalentsFile+")")
	fl.Float64Var(&opts.MinScore, "min-score", 0, "exit 1 when the score (percent) is below this")
	fl.StringArrayVar(&opts.IDs, "mutant", nil, "run only the mutant with this `ID` (repeatable; replays a kill or checks an equivalent)")
	fl.BoolVar(&opts.List, "list", false, "only list the mutants (id, file:line, operator, original, mutated)")
	return cmd
}

// Run runs the campaign (or lists the mutants) and writes its files.
func Run(ctx context.Context, opts *Options) error {
	tc, err := toolchain(opts)
	if err != nil {
		return err
	}
	eqPath := opts.Equivalents
	if eqPath == "" {
		eqPath = filepath.Join(tc.Root, filepath.FromSlash(mutation.EquivalentsFile))
	}
	reviewed, err := mutation.LoadReviewed(eqPath)
	if err != nil {
		return &cmdutil.UsageError{Err: err}
	}
	if opts.List {
		return list(opts.IO.Out, tc, reviewed)
	}
	out := opts.OutDir
	if out == "" {
		out = filepath.Join("mutation-out", opts.Now().UTC().Format("20060102T150405Z"))
	}
	work, err := os.MkdirTemp("", "chanconf-mutate-")
	if err != nil {
		return fmt.Errorf("create a temporary folder: %w", err)
	}
	defer os.RemoveAll(work)
	logf := func(format string, args ...any) { fmt.Fprintf(opts.IO.ErrOut, format+"\n", args...) }
	c, err := mutation.Run(ctx, mutation.Options{
		Toolchain: tc, Reviewed: reviewed, Sample: opts.Sample, Must: mutation.NonceReplayCheck, IDs: opts.IDs, WorkDir: work,
		Run: mutation.RunOptions{Jobs: opts.Jobs, Timeout: opts.Timeout, Seed: opts.Seed, Progress: progress(opts.IO.ErrOut)},
		Now: opts.Now, Log: logf,
	})
	if err != nil {
		return err
	}
	if err := write(out, c); err != nil {
		return err
	}
	return conclude(opts, c, out)
}

// toolchain checks the source folder and the go command before anything else.
func toolchain(opts *Options) (mutation.Toolchain, error) {
	root, err := filepath.Abs(opts.Source)
	if err != nil {
		return mutation.Toolchain{}, cmdutil.Usagef("--source %q: %v", opts.Source, err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !strings.Contains(string(mod), "module "+module+"\n") {
		return mutation.Toolchain{}, cmdutil.Usagef("--source %s is not the chanconf source checkout (no go.mod of %s): selfcert mutate builds the reference channel from source", root, module)
	}
	if _, err := exec.LookPath(opts.GoCmd); err != nil {
		return mutation.Toolchain{}, cmdutil.Usagef("selfcert mutate needs the Go toolchain at run time to build the mutants: %v (install Go or pass --go)", err)
	}
	return mutation.Toolchain{Go: opts.GoCmd, Root: root, Module: module}, nil
}

// list prints every mutant in scope, one per line.
func list(w io.Writer, tc mutation.Toolchain, r *mutation.Reviewed) error {
	all, err := mutation.Discover(tc.Root, mutation.DefaultDirs())
	if err != nil {
		return err
	}
	ms, equivalent, _ := r.Apply(all)
	var b strings.Builder
	for _, m := range ms {
		eq := ""
		if _, ok := equivalent[m.ID]; ok {
			eq = "\tequivalent"
		}
		fmt.Fprintf(&b, "%s\t%s\t%s\t%s\t%s\t%s%s\n", m.ID, m.Location(), m.Func, m.Operator, m.Original, m.Mutated, eq)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write the mutant list: %w", err)
	}
	return nil
}

// progress prints one line per finished run to w.
func progress(w io.Writer) func(int, int, mutation.Outcome) {
	return func(done, total int, o mutation.Outcome) {
		if o.Number == 0 {
			fmt.Fprintf(w, "[%d/%d] control run of the unmutated code: %s (%.0f s)\n", done, total, o.Verdict, o.Seconds)
			return
		}
		fmt.Fprintf(w, "[%d/%d] mutant %d: %s (%s, %.0f s)\n", done, total, o.Number, o.Status, o.Verdict, o.Seconds)
	}
}

// write writes mutation.json and mutation.md into dir.
func write(dir string, c *mutation.Campaign) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	if err := cmdutil.WriteFileAtomic(filepath.Join(dir, "mutation.json"), 0o644, func(w io.Writer) error { return mutation.WriteJSON(w, c) }); err != nil {
		return err
	}
	return cmdutil.WriteFileAtomic(filepath.Join(dir, "mutation.md"), 0o644, func(w io.Writer) error { return mutation.WriteTable(w, c) })
}

// conclude prints the table and the score line and turns an unstable campaign or a low score
// into its exit code.
func conclude(opts *Options, c *mutation.Campaign, out string) error {
	if err := mutation.WriteTable(opts.IO.Out, c); err != nil {
		return err
	}
	s := c.Summary
	fmt.Fprintf(opts.IO.ErrOut, "score %.1f %% (%d killed, %d survived, %d timeouts); wrote %s and %s\n",
		100*s.Score, s.Killed, s.Survived, s.Timeout, filepath.Join(out, "mutation.json"), filepath.Join(out, "mutation.md"))
	if c.Unstable {
		fmt.Fprintln(opts.IO.ErrOut, "unstable: a control run of the unmutated code was not CONFORMANT")
		return &cmdutil.VerdictError{Verdict: reports.Incomplete, Code: cmdutil.ExitIncomplete}
	}
	if 100*s.Score < opts.MinScore {
		fmt.Fprintf(opts.IO.ErrOut, "score %.1f %% is below --min-score %.1f\n", 100*s.Score, opts.MinScore)
		return &cmdutil.VerdictError{Verdict: reports.Nonconformant, Code: cmdutil.ExitNonconformant}
	}
	return nil
}
