// Package lint is `chanconf lint [DIR]`: it loads a spec pack the way `run` does and lists
// every problem at once, so a pack author fixes them in one pass and CI refuses a broken pack
// before it reaches a run.
package lint

import (
	"context"
	"fmt"
	"io/fs"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/spf13/cobra"
)

// Options are the inputs of `chanconf lint`.
type Options struct {
	IO *iostreams.IOStreams
	// PackFS is the embedded pack and PackRoot its display name, linted when Dir is empty.
	PackFS   fs.FS
	PackRoot string

	// Dir is the pack directory argument.
	Dir string
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, PackFS: f.PackFS, PackRoot: f.PackRoot}
	return &cobra.Command{
		Use:   "lint [DIR]",
		Short: "Check a spec pack (the embedded one without DIR) and list every problem",
		Long: `Lint loads the spec pack in DIR, or the embedded pack, exactly as run does and prints every
problem, one per line as file:line:col: case ID: field: message, sorted by file and line.
It exits 2 when there is any problem, 0 otherwise.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
}

// Run lints the pack: problems go to Out (they are the command's output), then the error that
// exits 2; a clean pack prints its size and digest.
//
// Cancelling ctx (Ctrl-C, SIGTERM) stops loading between files and cases, exit 3.
func Run(ctx context.Context, opts *Options) error {
	pack, err := cmdutil.LoadPackContext(ctx, cmdutil.PackSource{FS: opts.PackFS, Root: opts.PackRoot, Dir: opts.Dir})
	if err != nil {
		if stop := cmdutil.StoppedBy(opts.IO.ErrOut, err); stop != nil {
			return stop
		}
		return cmdutil.PackError(opts.IO.Out, err)
	}
	_, err = fmt.Fprintf(opts.IO.Out, "pack OK: %d cases, %d clauses, sha256 %s\n",
		len(pack.Cases), len(pack.Manifest.Clauses), pack.SHA256)
	return err
}
