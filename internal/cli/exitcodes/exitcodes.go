// Package exitcodes is the help topic `chanconf help exit-codes`: what each exit status means,
// printed from cmdutil.ExitCodeDoc so the help, the constants and the README cannot drift
// (a test compares the three).
package exitcodes

import (
	"fmt"
	"io"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd builds the help topic: a command with no run function, which cobra lists under
// "Additional help topics" and shows with `chanconf help exit-codes`.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "exit-codes",
		Short: "What chanconf's exit codes mean (for CI)",
	}
	cmd.SetHelpFunc(func(c *cobra.Command, _ []string) {
		if err := write(f.IOStreams.Out); err != nil {
			fmt.Fprintf(f.IOStreams.ErrOut, "chanconf: %v\n", err)
		}
	})
	return cmd
}

// write prints the exit-code table: one line per code, "  N  meaning".
func write(w io.Writer) error {
	if _, err := fmt.Fprintln(w, "chanconf exit codes:"); err != nil {
		return fmt.Errorf("write exit codes: %w", err)
	}
	for _, e := range cmdutil.ExitCodeDoc() {
		if _, err := fmt.Fprintf(w, "  %d  %s\n", e.Code, e.Meaning); err != nil {
			return fmt.Errorf("write exit codes: %w", err)
		}
	}
	return nil
}
