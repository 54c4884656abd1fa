package codecheck

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
)

// srcFile is one parsed Go file, named by its slash path relative to the module root (the
// path the rules scope on and the findings print).
type srcFile struct {
	path  string
	fset  *token.FileSet
	ast   *ast.File
	lines int
}

// test reports whether the file is a _test.go file.
func (f *srcFile) test() bool { return strings.HasSuffix(f.path, "_test.go") }

// line returns the line of pos.
func (f *srcFile) line(pos token.Pos) int { return f.fset.Position(pos).Line }

// parseSource parses one file with its comments (doc comments and allow comments matter).
func parseSource(rel string, src []byte) (*srcFile, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, rel, src, parser.ParseComments)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", rel, err)
	}
	lines := strings.Count(string(src), "\n")
	if len(src) > 0 && src[len(src)-1] != '\n' {
		lines++
	}
	return &srcFile{path: rel, fset: fset, ast: file, lines: lines}, nil
}

// errNoModule means no go.mod was found above the starting directory.
var errNoModule = errors.New("no go.mod above the directory")

// moduleRoot climbs from dir to the nearest directory holding go.mod.
func moduleRoot(dir string) (string, error) {
	start := dir
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s: %w", start, errNoModule)
		}
		dir = parent
	}
}

// skipDir reports whether the walk leaves a directory out, as the go tool does: testdata,
// hidden and underscore directories, vendor, and nested modules.
func skipDir(root, p string, d fs.DirEntry) bool {
	if p == root {
		return false
	}
	name := d.Name()
	if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
		return true
	}
	_, err := os.Stat(filepath.Join(p, "go.mod"))
	return err == nil
}

// loadModule parses every non-generated .go file under root, sorted by path.
func loadModule(root string) ([]*srcFile, error) {
	var files []*srcFile
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if skipDir(root, p, d) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return fmt.Errorf("relative path of %s: %w", p, err)
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return fmt.Errorf("read %s: %w", rel, err)
		}
		f, err := parseSource(filepath.ToSlash(rel), src)
		if err != nil {
			return err
		}
		if !ast.IsGenerated(f.ast) {
			files = append(files, f)
		}
		return nil
	})
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files, err
}

// pkgKey identifies a package among files: its directory and package clause name (an external
// _test package is a package of its own).
func pkgKey(f *srcFile) string { return path.Dir(f.path) + "\x00" + f.ast.Name.Name }
