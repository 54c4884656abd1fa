// Package catalog is `chanconf catalog`: operations on the case catalogue of spec packs.
// `catalog diff PACK_A PACK_B` lists the cases a new pack version adds, removes and changes,
// which is what a ministry reviews before approving the new pack's digest.
package catalog

import (
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/specs"
)

// embeddedArg is the argument naming the pack compiled into chanconf.
const embeddedArg = "embedded"

// Options are the inputs of `chanconf catalog diff`.
type Options struct {
	IO *iostreams.IOStreams
	// PackFS is the embedded pack and PackRoot its display name (for the argument "embedded").
	PackFS   fs.FS
	PackRoot string
	// Old and New are pack directories or "embedded".
	Old, New string
}

// NewCmd builds `catalog` with its `diff` subcommand; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "catalog",
		Short: "Work with the case catalogues of spec packs",
		Args:  cobra.NoArgs,
		// Runnable only to show its help: without a run function cobra answers an unknown
		// subcommand (`catalog merge`) with the help and exit 0 instead of a usage error.
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	opts := &Options{IO: f.IOStreams, PackFS: f.PackFS, PackRoot: f.PackRoot}
	diff := &cobra.Command{
		Use:   "diff PACK_A PACK_B",
		Short: "List the cases added, removed and changed from pack A to pack B",
		Long: `Catalog diff loads two spec packs (directories, or "embedded" for the pack compiled into
chanconf) and lists the cases only in B (added), only in A (removed), and in both with another
definition (changed, naming what changed: title, clauses, level, steps...).`,
		Example: `  chanconf catalog diff embedded ./specs/essc/v1
  chanconf catalog diff old-pack/ new-pack/`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Old, opts.New = args[0], args[1]
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmd.AddCommand(diff)
	return cmd
}

// Run loads both packs and prints the catalogue differences to Out.
func Run(opts *Options) error {
	a, err := opts.load(opts.Old)
	if err != nil {
		return err
	}
	b, err := opts.load(opts.New)
	if err != nil {
		return err
	}
	return writeDiff(opts.IO.Out, a, b, compare(a, b))
}

// load loads a pack argument: a directory, or "embedded".
func (o *Options) load(arg string) (*specs.Pack, error) {
	src := cmdutil.PackSource{Dir: arg}
	if arg == embeddedArg {
		src = cmdutil.PackSource{FS: o.PackFS, Root: o.PackRoot}
	}
	// A diff certifies nothing, so an older pack whose only problems are coverage gaps under
	// today's lint (1.0.0 has no GraphQL twins) can still be compared.
	src.AllowCoverageGaps = true
	p, err := cmdutil.LoadPack(src)
	if err != nil {
		return nil, cmdutil.PackError(o.IO.ErrOut, err)
	}
	return p, nil
}

// writeDiff prints the differences: a header naming both packs, then added, removed and changed
// cases, then the counts.
func writeDiff(w io.Writer, a, b *specs.Pack, d *packDiff) error {
	var s strings.Builder
	fmt.Fprintf(&s, "catalog: %s %s (%s, %s) -> %s %s (%s, %s)\n", a.Manifest.Name, a.Manifest.Version, a.Root, short(a.SHA256),
		b.Manifest.Name, b.Manifest.Version, b.Root, short(b.SHA256))
	section := func(title string, cases []*specs.Case, detail func(*specs.Case) string) {
		if len(cases) == 0 {
			return
		}
		fmt.Fprintf(&s, "%s (%d):\n", title, len(cases))
		for _, c := range cases {
			fmt.Fprintf(&s, "  %s  %s  %s\n", c.ID, c.Level, detail(c))
		}
	}
	title := func(c *specs.Case) string { return c.Title }
	section("added", d.Added, title)
	section("removed", d.Removed, title)
	if len(d.Changed) > 0 {
		fmt.Fprintf(&s, "changed (%d):\n", len(d.Changed))
		for _, c := range d.Changed {
			fmt.Fprintf(&s, "  %s  %s\n", c.ID, strings.Join(c.Fields, ", "))
		}
	}
	writeClauses(&s, compareClauses(a, b))
	fmt.Fprintf(&s, "%d added, %d removed, %d changed, %d unchanged\n", len(d.Added), len(d.Removed), len(d.Changed), d.Unchanged)
	if _, err := io.WriteString(w, s.String()); err != nil {
		return fmt.Errorf("write the catalog diff: %w", err)
	}
	return nil
}

func short(d string) string {
	if len(d) > 12 {
		return d[:12]
	}
	return d
}
