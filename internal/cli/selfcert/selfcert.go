// Package selfcert is `chanconf selfcert`: the commands that measure the spec pack itself
// rather than a channel. Its one subcommand today is `selfcert mutate`.
package selfcert

import (
	"github.com/chanconf/chanconf/internal/cli/mutate"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/spf13/cobra"
)

// NewCmd builds the command group.
func NewCmd(f *cmdutil.Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "selfcert",
		Short: "Measure the spec pack's detection power against the reference channel",
		Args:  cobra.NoArgs,
	}
	cmd.AddCommand(mutate.NewCmd(f, nil))
	return cmd
}
