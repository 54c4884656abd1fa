// Package cli is chanconf's command tree: the root command and Main, the one place where a
// command's error becomes an exit code.
package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cli/catalog"
	"github.com/chanconf/chanconf/internal/cli/diff"
	"github.com/chanconf/chanconf/internal/cli/doctor"
	"github.com/chanconf/chanconf/internal/cli/exitcodes"
	"github.com/chanconf/chanconf/internal/cli/faults"
	"github.com/chanconf/chanconf/internal/cli/keygen"
	"github.com/chanconf/chanconf/internal/cli/lint"
	"github.com/chanconf/chanconf/internal/cli/list"
	"github.com/chanconf/chanconf/internal/cli/run"
	"github.com/chanconf/chanconf/internal/cli/selfcert"
	"github.com/chanconf/chanconf/internal/cli/servereference"
	"github.com/chanconf/chanconf/internal/cli/variants"
	"github.com/chanconf/chanconf/internal/cli/verify"
	"github.com/chanconf/chanconf/internal/cli/version"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
	"github.com/spf13/cobra"
)

// Main runs chanconf with args (without the program name) and returns the exit code. main.go
// only creates the signal-aware ctx, calls Main and exits; cancelling ctx (Ctrl-C) stops a run
// cleanly, with its report written.
func Main(ctx context.Context, args []string, ios *iostreams.IOStreams, getenv func(string) string) cmdutil.ExitCode {
	f := NewFactory(ios, getenv)
	root := NewRootCmd(f)
	root.SetArgs(args)
	started := false
	root.PersistentPreRun = func(*cobra.Command, []string) { started = true }
	err := root.ExecuteContext(ctx)
	var usage *cmdutil.UsageError
	if err != nil && !started && !errors.As(err, &usage) {
		// cobra refused the command line (unknown command, wrong argument count) before any
		// command ran: that is the user's input, not a bug.
		err = &cmdutil.UsageError{Err: err}
	}
	code := cmdutil.Classify(err)
	var verdict *cmdutil.VerdictError
	if err != nil && !errors.As(err, &verdict) {
		fmt.Fprintf(ios.ErrOut, "chanconf: %v\n", err)
	}
	return code
}

// NewFactory builds the production Factory: real clock, the given environment, the build
// information bundles record too (bundle.ToolFromBuild, so version, report and tool.json
// agree), the embedded pack.
func NewFactory(ios *iostreams.IOStreams, getenv func(string) string) *cmdutil.Factory {
	build := bundle.ToolFromBuild()
	return &cmdutil.Factory{
		IOStreams: ios, Now: time.Now, Getenv: getenv,
		Version: build.Version, Revision: build.Revision, GoVersion: build.GoVersion,
		PackFS: esscv1.FS, PackRoot: esscv1.Root,
	}
}

// NewRootCmd builds the command tree.
func NewRootCmd(f *cmdutil.Factory) *cobra.Command {
	root := &cobra.Command{
		Use:           "chanconf",
		Short:         "Conformance harness for e-SSC channels (functional and security access tests)",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetOut(f.IOStreams.Out)
	root.SetErr(f.IOStreams.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return &cmdutil.UsageError{Err: err} })
	root.AddCommand(
		run.NewCmd(f, nil),
		list.NewCmd(f, nil),
		lint.NewCmd(f, nil),
		faults.NewCmd(f, nil),
		variants.NewCmd(f, nil),
		servereference.NewCmd(f, nil),
		version.NewCmd(f, nil),
		exitcodes.NewCmd(f),
		keygen.NewCmd(f, nil),
		verify.NewCmd(f, nil),
		doctor.NewCmd(f, nil),
		diff.NewCmd(f, nil),
		catalog.NewCmd(f, nil),
		selfcert.NewCmd(f),
	)
	return root
}
