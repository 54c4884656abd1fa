package cmdutil

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
	"github.com/chanconf/chanconf/suites/probes"
)

// PackSource says which spec pack a command reads: a directory given on the command line, or
// the pack compiled into chanconf. Commands take it from their Options so tests can hand them a
// pack of their own.
type PackSource struct {
	// FS holds the embedded pack at its root and Root is its display name in messages.
	FS   fs.FS
	Root string
	// Dir, when set, is a pack directory on disk that replaces FS (--pack DIR, lint DIR).
	Dir string
	// AllowCoverageGaps loads a pack whose only problems are coverage gaps (catalog diff of an
	// older pack); a run never sets it.
	AllowCoverageGaps bool
}

// LoadPack loads and lints the pack with everything this build of chanconf provides (template
// functions, probes, platforms), so that a pack naming something the harness lacks is refused
// before anything runs. A pack with problems returns specs.Errors (see PackError).
func LoadPack(src PackSource) (*specs.Pack, error) {
	return LoadPackContext(context.Background(), src)
}

// LoadPackContext is LoadPack, interrupted when ctx is cancelled (Ctrl-C, SIGTERM): it returns
// an error wrapping the cause (see Interrupted) rather than go on loading a large pack.
func LoadPackContext(ctx context.Context, src PackSource) (*specs.Pack, error) {
	opts := PackLoadOptions()
	opts.AllowCoverageGaps = src.AllowCoverageGaps
	opts.Context = ctx
	if src.Dir != "" {
		return specs.LoadDir(src.Dir, opts)
	}
	if src.FS == nil {
		return nil, errors.New("no spec pack: neither a directory nor an embedded pack was given")
	}
	opts.Root = src.Root
	return specs.Load(src.FS, opts)
}

// StoppedBy returns, when err says the work was interrupted (its context cancelled: Ctrl-C,
// SIGTERM), the error a command returns for it, exit 3 (incomplete), after writing the reason
// to w; otherwise nil.
func StoppedBy(w io.Writer, err error) error {
	if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
		return nil
	}
	if _, werr := fmt.Fprintf(w, "chanconf: %v\n", err); werr != nil {
		return fmt.Errorf("write: %w", werr)
	}
	return &VerdictError{Verdict: reports.Incomplete, Code: ExitIncomplete}
}

// PackLoadOptions are the loader options of this build: the engine's template functions plus
// the e-SSC platform's, the generic and e-SSC probes' parameter validators, and the known
// platforms. Lint needs no declaration, so the platform's stand-ins come from a zero Platform
// (its TemplateFuncs and probe validators do not look at the declaration).
func PackLoadOptions() specs.LoadOptions {
	var lintOnly essc.Platform
	funcs := engine.TemplateFuncs()
	maps.Copy(funcs, lintOnly.TemplateFuncs())
	validators := map[string]func(*yaml.Node) error{}
	for name, p := range Probes(&lintOnly) {
		validators[name] = p.Validate
	}
	return specs.LoadOptions{Funcs: funcs, Probes: validators, Platforms: []string{essc.Name}}
}

// Probes returns every probe a case may call against platform p: the generic transport probes
// and the platform's own, which win on a name clash.
func Probes(p engine.Platform) map[string]engine.Probe {
	all := probes.Default()
	maps.Copy(all, p.Probes())
	return all
}

// PackError turns a failed LoadPack into the error a command returns: every problem of a
// malformed pack is written to w, one `file:line:col: case ID: field: message` per line in the
// loader's order (file, line, column), and the returned UsageError only counts them, so the
// problems are not printed twice. Any other load failure (missing directory) is a UsageError
// too: the pack is the user's input.
func PackError(w io.Writer, err error) error {
	var problems specs.Errors
	if !errors.As(err, &problems) {
		return &UsageError{Err: fmt.Errorf("spec pack: %w", err)}
	}
	for _, p := range problems {
		if _, werr := fmt.Fprintln(w, p.Error()); werr != nil {
			return fmt.Errorf("write pack problems: %w", werr)
		}
	}
	return &UsageError{Err: &PackProblemsError{Problems: problems}}
}

// PackProblemsError says that a pack has problems which were already listed; it keeps them for
// callers that want to inspect them with errors.As.
type PackProblemsError struct{ Problems specs.Errors }

// Error counts the problems.
func (e *PackProblemsError) Error() string {
	if len(e.Problems) == 1 {
		return "the spec pack has 1 problem (listed above)"
	}
	return fmt.Sprintf("the spec pack has %d problems (listed above)", len(e.Problems))
}

// Unwrap exposes the problems to errors.Is and errors.As.
func (e *PackProblemsError) Unwrap() error { return e.Problems }
