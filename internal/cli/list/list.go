// Package list is `chanconf list`: the catalogue of a spec pack's cases (ID, clauses, level,
// labels, title), filtered the way `run` would filter them, so a user can see what a run will
// execute and CI can keep a catalogue file in step with the pack.
package list

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"
	"text/tabwriter"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/runner"
	"github.com/spf13/cobra"
)

// formats are the values of --format.
func formats() []string { return []string{"table", "yaml", "json"} }

// Options are the inputs of `chanconf list`.
type Options struct {
	IO *iostreams.IOStreams
	// PackFS is the embedded pack and PackRoot its display name, used without --pack.
	PackFS   fs.FS
	PackRoot string

	// PackDir (--pack) lists another pack directory.
	PackDir string
	// LabelFilter, Focus and Profile select cases exactly as `run` does.
	LabelFilter, Focus, Profile string
	// Format is table (aligned columns), yaml (the catalogue file's form) or json.
	Format string
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, PackFS: f.PackFS, PackRoot: f.PackRoot}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the cases of the spec pack (ID, clauses, level, labels, title)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !slices.Contains(formats(), opts.Format) {
				return cmdutil.Usagef("--format must be one of %s, got %q", strings.Join(formats(), ", "), opts.Format)
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.PackDir, "pack", "", "list the pack in `DIR` instead of the embedded one")
	fl.StringVar(&opts.LabelFilter, "label-filter", "", "select cases by label (as run does)")
	fl.StringVar(&opts.Focus, "focus", "", "select cases whose ID matches this regular expression")
	fl.StringVar(&opts.Profile, "profile", "", "list only the cases of this profile")
	fl.StringVar(&opts.Format, "format", "table", "output format: table, yaml or json")
	return cmd
}

// entry is one case of the catalogue. Its YAML form is the catalogue file's
// (specs/essc/v1/catalog.yaml): field names and order are part of that format.
type entry struct {
	ID      string   `yaml:"id" json:"id"`
	Title   string   `yaml:"title" json:"title"`
	Clauses []string `yaml:"clauses,flow" json:"clauses"`
	Level   string   `yaml:"level" json:"level"`
	Suite   string   `yaml:"suite" json:"suite"`
	Area    string   `yaml:"area" json:"area"`
	Labels  []string `yaml:"labels,flow" json:"labels"`
	Profile string   `yaml:"profile" json:"profile"`
}

// Run loads the pack, selects the cases and prints them to Out. Cancelling ctx (Ctrl-C,
// SIGTERM) stops it between files and cases, exit 3.
func Run(ctx context.Context, opts *Options) error {
	pack, err := cmdutil.LoadPackContext(ctx, cmdutil.PackSource{FS: opts.PackFS, Root: opts.PackRoot, Dir: opts.PackDir})
	if err != nil {
		if stop := cmdutil.StoppedBy(opts.IO.ErrOut, err); stop != nil {
			return stop
		}
		return cmdutil.PackError(opts.IO.ErrOut, err)
	}
	cases, err := runner.PreviewContext(ctx, runner.Options{Pack: pack, LabelFilter: opts.LabelFilter, Focus: opts.Focus, Profile: opts.Profile})
	if stop := cmdutil.StoppedBy(opts.IO.ErrOut, err); stop != nil {
		return stop
	}
	if err != nil {
		return &cmdutil.UsageError{Err: err}
	}
	entries := catalogEntries(cases)
	switch opts.Format {
	case "yaml":
		return writeYAML(opts.IO.Out, entries)
	case "json":
		return writeJSON(opts.IO.Out, entries)
	}
	return writeTable(opts.IO.Out, entries)
}

// catalogEntries turns cases into catalogue entries, keeping their order; lists are never nil so that
// both encodings write [] rather than null.
func catalogEntries(cases []*specs.Case) []entry {
	out := make([]entry, 0, len(cases))
	for _, c := range cases {
		out = append(out, entry{
			ID: c.ID, Title: c.Title, Clauses: nonNil(c.Clauses), Level: string(c.Level),
			Suite: string(c.Suite), Area: c.Area, Labels: nonNil(c.Labels), Profile: c.Profile,
		})
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return slices.Clone(s)
}

func writeTable(w io.Writer, entries []entry) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tCLAUSES\tLEVEL\tLABELS\tTITLE")
	for _, e := range entries {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", e.ID, strings.Join(e.Clauses, ","), e.Level, orDash(strings.Join(e.Labels, ",")), e.Title)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write the case list: %w", err)
	}
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func writeYAML(w io.Writer, entries []entry) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(entries); err != nil {
		return fmt.Errorf("write the case list: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("write the case list: %w", err)
	}
	return nil
}

func writeJSON(w io.Writer, entries []entry) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(entries); err != nil {
		return fmt.Errorf("write the case list: %w", err)
	}
	return nil
}
