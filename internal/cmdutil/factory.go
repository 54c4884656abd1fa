// Package cmdutil holds what every chanconf subcommand shares: the Factory of dependencies,
// the exit codes and the error kinds that map to them, and the environment-variable registry.
package cmdutil

import (
	"io/fs"
	"time"

	"github.com/chanconf/chanconf/internal/iostreams"
)

// Factory carries what every subcommand needs from the outside world, so tests can replace each
// piece (the cli/cli pattern).
type Factory struct {
	IOStreams *iostreams.IOStreams
	// Now is the clock (reports, timestamps of output folders).
	Now func() time.Time
	// Getenv reads the environment; only the variables of Env() are ever read.
	Getenv func(string) string
	// Version and Revision identify this build (from runtime/debug.ReadBuildInfo).
	Version, Revision, GoVersion string
	// PackFS is the spec pack compiled into the binary (at its root) and PackRoot its display
	// name; commands use it when no pack directory is given.
	PackFS   fs.FS
	PackRoot string
}
