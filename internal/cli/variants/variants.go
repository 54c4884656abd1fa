// Package variants is `chanconf variants`: the variant switches of the reference channel, each a
// behaviour the standard allows that the reference channel does not show by default, with the
// sentence of STANDARD.md that allows it. A vendor whose channel differs from the reference
// channel in one of these ways can see that the harness is shown to accept it (the
// self-certification requires CONFORMANT for every variant).
package variants

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

// Options are the inputs of `chanconf variants`.
type Options struct {
	IO *iostreams.IOStreams
	// Variants returns the catalogue (refchannel.Variants in production).
	Variants func() []refchannel.Variant

	// Format is table or json.
	Format string
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Variants: refchannel.Variants}
	cmd := &cobra.Command{
		Use:   "variants",
		Short: "List the reference channel's variant switches: behaviour the standard allows, with the sentence allowing it",
		Example: `  chanconf variants
  chanconf run --reference-variant tls13-only`,
		Args: cobra.NoArgs,
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

// entry is one variant in the JSON form: exactly the keys name, clauses, description and
// allowedBy (the sentence of STANDARD.md).
type entry struct {
	Name        string   `json:"name"`
	Clauses     []string `json:"clauses"`
	Description string   `json:"description"`
	AllowedBy   string   `json:"allowedBy"`
}

// Run prints the catalogue to Out.
func Run(opts *Options) error {
	vs := opts.Variants()
	if opts.Format == "json" {
		return writeJSON(opts.IO.Out, vs)
	}
	tw := tabwriter.NewWriter(opts.IO.Out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tCLAUSES\tDESCRIPTION\tALLOWED BY (STANDARD.md)")
	for _, v := range vs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%q\n", v.Name, strings.Join(v.Clauses, ","), v.Description, v.Allowance)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write the variant list: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, vs []refchannel.Variant) error {
	out := make([]entry, 0, len(vs))
	for _, v := range vs {
		clauses := v.Clauses
		if clauses == nil {
			clauses = []string{}
		}
		out = append(out, entry{Name: v.Name, Clauses: clauses, Description: v.Description, AllowedBy: v.Allowance})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write the variant list: %w", err)
	}
	return nil
}
