package specs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"go.yaml.in/yaml/v3"
)

// ManifestFile is the name of a pack's manifest at the root of the pack.
const ManifestFile = "pack.yaml"

// ErrNoMatch is wrapped by the problem of a case glob that matches no file: a typo that would
// silently drop cases, or a directory of a pack under construction still empty (callers tell the
// two apart with errors.Is, as they do coverage problems with CoverageError).
var ErrNoMatch = errors.New("matches no file")

// LoadOptions says what the loader may assume about the world outside the pack, so that it can
// refuse a case that names a function, probe or platform nothing provides.
type LoadOptions struct {
	// Root is the display name of the pack in messages and in Pack.Root ("embedded:essc/v1" or
	// a directory); every error's file name is shown under it.
	Root string
	// Funcs are every template function a case may use (the engine's and the platform's); the
	// values may be stand-ins, only the names matter. With nil Funcs, function names are not
	// checked (templates are still parsed).
	Funcs template.FuncMap
	// Probes maps every known probe name to its strict parameter validation (unknown keys are
	// errors). With nil Probes, probe names and parameters are not checked.
	Probes map[string]func(with *yaml.Node) error
	// Platforms are the known platform names; when set, the manifest's platform must be one.
	Platforms []string
	// AllowCoverageGaps returns the pack even when its only problems are coverage gaps
	// (CoverageError): for reading an older pack (catalog diff), never for running one.
	AllowCoverageGaps bool
	// Context, when set, interrupts loading: it is checked between files and between cases, so
	// that a large pack stops loading promptly on Ctrl-C or SIGTERM; Load then returns an error
	// wrapping the context's cause (not Errors).
	Context context.Context
}

// LoadDir loads and lints the pack in directory dir (see Load). Root defaults to dir.
func LoadDir(dir string, opts LoadOptions) (*Pack, error) {
	if opts.Root == "" {
		opts.Root = filepath.ToSlash(dir)
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("load pack: %w", err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("load pack %s: not a directory", dir)
	}
	return Load(os.DirFS(dir), opts)
}

// Load reads the pack at the root of fsys: pack.yaml, its contract files and every case file
// its globs match, decoding strictly with the position of every node, then lints the whole pack
// (contracts, case IDs, clauses and coverage, operations, GraphQL documents, templates, JSONPaths,
// regular expressions, probes, personas). It returns Errors listing every problem when anything
// is wrong, and no pack: a pack with problems must never run.
func Load(fsys fs.FS, opts LoadOptions) (*Pack, error) {
	return load(fsys, opts, MaxCases)
}

// load is Load with the case limit as a parameter, for its test.
func load(fsys fs.FS, opts LoadOptions, maxCases int) (*Pack, error) {
	l := &loader{
		fsys:     fsys,
		opts:     opts,
		c:        &collector{root: opts.Root},
		info:     map[reflect.Type]*structInfo{},
		pack:     &Pack{Root: opts.Root},
		maxCases: maxCases,
	}
	l.load()
	if l.stop != nil {
		return nil, l.stop
	}
	if len(l.c.errs) > 0 && !(opts.AllowCoverageGaps && onlyCoverageGaps(l.c.errs)) {
		l.c.errs.sort()
		return nil, l.c.errs
	}
	return l.pack, nil
}

// onlyCoverageGaps reports whether every problem is a CoverageError.
func onlyCoverageGaps(errs Errors) bool {
	for _, e := range errs {
		var cov *CoverageError
		if !errors.As(e, &cov) {
			return false
		}
	}
	return true
}

// loader holds the state of one Load.
type loader struct {
	fsys fs.FS
	opts LoadOptions
	c    *collector
	info map[reflect.Type]*structInfo
	pack *Pack
	// manifest holds the positions of pack.yaml's nodes by field path.
	manifest *decoder
	// cases keeps, per case, the positions of its nodes by field path relative to the case.
	cases []*caseSource
	// maxCases is MaxCases; tooMany is set once the pack has more (the rest are not decoded).
	maxCases int
	tooMany  bool
	// stop is why loading was interrupted (LoadOptions.Context), nil while it goes on.
	stop error
}

// caseSource is a decoded case with the positions of its nodes (dropped once the case is
// linted) and the position of its ID (kept for the duplicate-ID check).
type caseSource struct {
	c     *Case
	pos   map[string]Pos
	idPos Pos
}

// load runs every stage; each stage records its problems and the next ones go on with what
// could be decoded.
func (l *loader) load() {
	var err error
	l.pack.Files, l.pack.SHA256, err = Digest(l.fsys)
	if err != nil {
		l.c.add(Pos{}, "", "", err)
	}
	root, ok := l.readYAML(ManifestFile)
	if !ok {
		return
	}
	l.manifest = newDecoder(ManifestFile, l.c, l.info)
	l.manifest.decode(root, reflect.ValueOf(&l.pack.Manifest).Elem(), "")
	li := newLinter(l, l.loadContracts())
	li.begin()
	for _, file := range l.caseFiles() {
		if l.interrupted() {
			return
		}
		first := len(l.cases)
		l.loadCaseFile(file)
		// Each file's cases are linted as soon as they are decoded, and their node positions
		// dropped: a 100 000-case pack does not hold every case's position table at once.
		li.cases(l.cases[first:])
	}
	l.pack.Cases = make([]Case, len(l.cases))
	for i, cs := range l.cases {
		l.pack.Cases[i] = *cs.c
		cs.c = &l.pack.Cases[i]
	}
	li.end()
}

// Interrupted is the error of work stopped because ctx was cancelled: it wraps ctx.Err() (so
// errors.Is(err, context.Canceled) holds) and says the cause, such as the signal received.
func Interrupted(what string, ctx context.Context) error {
	err, cause := ctx.Err(), context.Cause(ctx)
	if cause == nil || cause == err {
		return fmt.Errorf("%s interrupted: %w", what, err)
	}
	return fmt.Errorf("%s interrupted (%v): %w", what, cause, err)
}

// interrupted reports whether LoadOptions.Context is done, recording why the first time.
func (l *loader) interrupted() bool {
	if l.stop == nil && l.opts.Context != nil && l.opts.Context.Err() != nil {
		l.stop = Interrupted("loading the pack", l.opts.Context)
	}
	return l.stop != nil
}

// readYAML reads and parses one YAML file, returning the document's root node.
func (l *loader) readYAML(name string) (*yaml.Node, bool) {
	data, err := readPackFile(l.fsys, name)
	if err != nil {
		l.c.add(Pos{File: name}, "", "", fmt.Errorf("read: %w", err))
		return nil, false
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			err = errors.New("empty file")
		}
		l.c.add(Pos{File: name}, "", "", fmt.Errorf("parse YAML: %w", err))
		return nil, false
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		l.c.add(Pos{File: name, Line: extra.Line, Col: extra.Column}, "", "",
			errors.New("more than one YAML document; a pack file holds exactly one"))
	case !errors.Is(err, io.EOF):
		l.c.add(Pos{File: name}, "", "", fmt.Errorf("parse YAML: %w", err))
	}
	if len(doc.Content) == 0 {
		l.c.add(Pos{File: name}, "", "", errors.New("empty file"))
		return nil, false
	}
	return doc.Content[0], true
}

// caseFiles expands the manifest's case globs: in pattern order, sorted within a pattern, each
// file once. A pattern that is malformed or matches nothing is a problem.
func (l *loader) caseFiles() []string {
	var files []string
	for i, pattern := range l.pack.Manifest.Cases {
		field := "cases[" + strconv.Itoa(i) + "]"
		matches, err := fs.Glob(l.fsys, pattern)
		switch {
		case err != nil:
			l.c.add(l.manifest.pos[field], "", field, fmt.Errorf("bad glob %q: %w", pattern, err))
		case len(matches) == 0:
			l.c.add(l.manifest.pos[field], "", field, fmt.Errorf("glob %q: %w", pattern, ErrNoMatch))
		}
		for _, m := range matches {
			if !slices.Contains(files, m) {
				files = append(files, m)
			}
		}
	}
	return files
}

// loadCaseFile decodes one case file: a mapping with a single key, cases, holding a list.
func (l *loader) loadCaseFile(file string) {
	root, ok := l.readYAML(file)
	if !ok {
		return
	}
	top := newDecoder(file, l.c, l.info)
	if root.Kind != yaml.MappingNode {
		top.errorf(root, "", "want a mapping with the key cases, got %s", describe(root))
		return
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], resolveAlias(root.Content[i+1])
		switch {
		case k.Value != "cases":
			top.errorf(k, k.Value, "unknown field %q (want cases)", k.Value)
		case v.Kind != yaml.SequenceNode:
			top.errorf(v, "cases", "want a list of cases, got %s", describe(v))
		default:
			for _, item := range v.Content {
				if l.interrupted() {
					return
				}
				l.loadCase(file, item)
			}
		}
	}
}

// loadCase decodes one case with its own position table and stamps the case ID on the problems
// found while decoding it.
func (l *loader) loadCase(file string, n *yaml.Node) {
	if len(l.cases) >= l.maxCases {
		if !l.tooMany {
			l.c.add(Pos{File: file, Line: n.Line, Col: n.Column}, "", "", fmt.Errorf("more than the %d cases a pack may hold", l.maxCases))
			l.tooMany = true
		}
		return
	}
	d := newDecoder(file, l.c, l.info)
	first := len(l.c.errs)
	c := &Case{}
	d.decode(n, reflect.ValueOf(c).Elem(), "")
	for _, e := range l.c.errs[first:] {
		e.CaseID = c.ID
	}
	l.cases = append(l.cases, &caseSource{c: c, pos: d.pos, idPos: d.pos["id"]})
}

// Digest lists every file of the pack at the root of fsys with its SHA-256, sorted by path, and
// computes the pack digest: SHA-256 over the lines "<sha256>  <path>\n" of that list (the format
// of sha256sum), the identity the ministry approves. Go source files and names starting with "."
// or "_" are not part of a pack (embed leaves the latter out too), so a pack directory and its
// embedded copy have the same digest. Load computes it too (Pack.Files, Pack.SHA256); Digest
// alone serves packs that do not load.
func Digest(fsys fs.FS) ([]FileDigest, string, error) {
	var files []FileDigest
	var errs []error
	var total int64
	err := fs.WalkDir(fsys, ".", func(p string, de fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, fmt.Errorf("read pack: %w", err))
			return nil
		}
		name := de.Name()
		if p != "." && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
			if de.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !de.Type().IsRegular() || path.Ext(name) == ".go" {
			return nil
		}
		if info, err := de.Info(); err == nil {
			if total += info.Size(); total > MaxPackBytes {
				return fmt.Errorf("more than the %d bytes a pack may hold in all (at %s)", MaxPackBytes, p)
			}
		}
		sum, err := fileSHA256(fsys, p)
		if err != nil {
			errs = append(errs, err)
			return nil
		}
		files = append(files, FileDigest{Path: p, SHA256: sum})
		return nil
	})
	if err != nil {
		errs = append(errs, fmt.Errorf("read pack: %w", err))
	}
	slices.SortFunc(files, func(a, b FileDigest) int { return strings.Compare(a.Path, b.Path) })
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s  %s\n", f.SHA256, f.Path)
	}
	return files, hex.EncodeToString(h.Sum(nil)), errors.Join(errs...)
}

// fileSHA256 is the lowercase hex SHA-256 of one file.
func fileSHA256(fsys fs.FS, name string) (string, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", fmt.Errorf("read pack: %w", err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read pack: %s: %w", name, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
