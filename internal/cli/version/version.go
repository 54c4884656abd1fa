// Package version is `chanconf version`: which build of the harness this is, so a report or a
// bug can be traced to the code that produced it.
package version

import (
	"fmt"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/spf13/cobra"
)

// Options are the inputs of `chanconf version`.
type Options struct {
	IO                           *iostreams.IOStreams
	Version, Revision, GoVersion string
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Version: f.Version, Revision: f.Revision, GoVersion: f.GoVersion}
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, VCS revision and Go version of this build",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
}

// Run prints the build information to Out.
func Run(opts *Options) error {
	_, err := fmt.Fprintf(opts.IO.Out, "chanconf %s (revision %s, %s)\n", opts.Version, opts.Revision, opts.GoVersion)
	return err
}
