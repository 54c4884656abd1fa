package mutation

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// DefaultDirs are the packages mutated by default, relative to the module root: the reference
// channel and its GraphQL executor (see the package comment for why internal/cai is not).
func DefaultDirs() []string {
	return []string{"fixtures/refchannel", "fixtures/refchannel/gqlexec"}
}

// srcFile is one parsed source file of a mutated package.
type srcFile struct {
	rel  string // slash path relative to the module root
	abs  string
	src  []byte
	file *ast.File
	tf   *token.File
	// switches marks a file of the fault or variant switches: read for liveness, not mutated.
	switches bool
}

// text is the source of n.
func (f *srcFile) text(n ast.Node) string { return string(f.src[f.off(n.Pos()):f.off(n.End())]) }

// off is the byte offset of p in the file.
func (f *srcFile) off(p token.Pos) int { return f.tf.Offset(p) }

// line is the line of p.
func (f *srcFile) line(p token.Pos) int { return f.tf.Line(p) }

// pkgSource is one mutated package: its directory and non-test files.
type pkgSource struct {
	dir    string // slash, relative to the module root
	name   string // package name
	files  []*srcFile
	fset   *token.FileSet
	consts map[string]bool // package-level numeric constants that are not switches or enums
}

// loadPackage parses the non-test Go files of root/dir. Files named after the fault or variant
// switches (their catalogues and implementations) are read, because their default branches call
// the channel's helpers, but never mutated.
func loadPackage(root, dir string) (*pkgSource, error) {
	abs := filepath.Join(root, filepath.FromSlash(dir))
	entries, err := os.ReadDir(abs)
	if err != nil {
		return nil, fmt.Errorf("read package %s: %w", dir, err)
	}
	p := &pkgSource{dir: dir, fset: token.NewFileSet(), consts: map[string]bool{}}
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parseFile(p.fset, filepath.Join(abs, name), dir+"/"+name)
		if err != nil {
			return nil, err
		}
		f.switches = mentionsSwitchName(name)
		p.name = f.file.Name.Name
		p.files = append(p.files, f)
	}
	if len(p.files) == 0 {
		return nil, fmt.Errorf("package %s: no Go source files", dir)
	}
	for _, f := range p.files {
		collectConsts(f.file, p.consts)
	}
	return p, nil
}

// parseFile reads and parses one file.
func parseFile(fset *token.FileSet, abs, rel string) (*srcFile, error) {
	src, err := os.ReadFile(abs)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", rel, err)
	}
	af, err := parser.ParseFile(fset, abs, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", rel, err)
	}
	return &srcFile{rel: rel, abs: abs, src: src, file: af, tf: fset.File(af.Pos())}, nil
}

// collectConsts adds the package-level constants that look numeric: no string literal in the
// value, not an iota enumeration, not a switch. Their uses get the x2 and /2 mutants; a guess
// that is wrong (a constant that is not a number) fails to compile and is dropped.
func collectConsts(f *ast.File, into map[string]bool) {
	for _, d := range f.Decls {
		g, ok := d.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		if slices.ContainsFunc(g.Specs, func(s ast.Spec) bool { return mentions(s, func(id string) bool { return id == "iota" }) }) {
			continue
		}
		for _, s := range g.Specs {
			vs := s.(*ast.ValueSpec)
			if len(vs.Values) != len(vs.Names) || hasStringLit(vs) || mentionsSwitch(vs) {
				continue
			}
			for _, n := range vs.Names {
				into[n.Name] = true
			}
		}
	}
}

// hasStringLit reports whether n holds a string or character literal.
func hasStringLit(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if b, ok := n.(*ast.BasicLit); ok && (b.Kind == token.STRING || b.Kind == token.CHAR) {
			found = true
		}
		return !found
	})
	return found
}

// mentions reports whether an identifier inside n satisfies pred.
func mentions(n ast.Node, pred func(string) bool) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && pred(id.Name) {
			found = true
		}
		return !found
	})
	return found
}

// mentionsSwitchName reports whether a name belongs to the fault or variant switches
// (faults.has, faultNonceReplay, variants, ...): such code is the switches' own, and mutating
// it measures nothing.
func mentionsSwitchName(name string) bool {
	l := strings.ToLower(name)
	return strings.Contains(l, "fault") || strings.Contains(l, "variant")
}

// mentionsSwitch reports whether n refers to a fault or variant switch.
func mentionsSwitch(n ast.Node) bool { return mentions(n, mentionsSwitchName) }
