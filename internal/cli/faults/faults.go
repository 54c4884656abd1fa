// Package faults is `chanconf faults`: the fault switches of the reference channel with the
// clauses each breaks, so a pack author can check that the pack catches every one and a vendor
// can see what a failing channel looks like.
package faults

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/spf13/cobra"
)

// Options are the inputs of `chanconf faults`.
type Options struct {
	IO *iostreams.IOStreams
	// Faults returns the catalogue (refchannel.Faults in production).
	Faults func() []refchannel.Fault

	// Format is table or json.
	Format string
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Faults: refchannel.Faults}
	cmd := &cobra.Command{
		Use:   "faults",
		Short: "List the reference channel's fault switches with the clauses they break",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.Format != "table" && opts.Format != "json" {
				return cmdutil.Usagef("--format must be table or json, got %q", opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Format, "format", "table", "output format: table or json")
	return cmd
}

// entry is one fault in the JSON form: exactly the keys name, clauses and description.
type entry struct {
	Name        string   `json:"name"`
	Clauses     []string `json:"clauses"`
	Description string   `json:"description"`
}

// Run prints the catalogue to Out.
func Run(opts *Options) error {
	fs := opts.Faults()
	if opts.Format == "json" {
		return writeJSON(opts.IO.Out, fs)
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCLAUSES\tDESCRIPTION")
	for _, f := range fs {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Name, strings.Join(f.Clauses, ","), f.Description)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write the fault list: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, fs []refchannel.Fault) error {
	out := make([]entry, 0, len(fs))
	for _, f := range fs {
		clauses := f.Clauses
		if clauses == nil {
			clauses = []string{}
		}
		out = append(out, entry{Name: f.Name, Clauses: clauses, Description: f.Description})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write the fault list: %w", err)
	}
	return nil
}
