package specs_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/specs"
)

// update rewrites the golden files: go test ./specs -update.
//
//codecheck:allow mutable-global the -update flag must be registered before the testing package parses flags
var update = flag.Bool("update", false, "rewrite golden files")

// standIn is a template function that only has to exist: lint never executes templates.
func standIn(...any) string { return "" }

// strictParams returns a probe validator that accepts a mapping with only the given keys, the
// way real probes decode their parameters strictly.
func strictParams(keys ...string) func(*yaml.Node) error {
	return func(with *yaml.Node) error {
		if with.Kind == 0 {
			return nil
		}
		if with.Kind != yaml.MappingNode {
			return errors.New("parameters must be a mapping")
		}
		for i := 0; i < len(with.Content); i += 2 {
			if k := with.Content[i].Value; !slices.Contains(keys, k) {
				return fmt.Errorf("unknown parameter %q", k)
			}
		}
		return nil
	}
}

// testOptions are the functions, probes and platforms the test packs may use.
func testOptions(root string) specs.LoadOptions {
	return specs.LoadOptions{
		Root:      root,
		Funcs:     template.FuncMap{"realNameToken": standIn, "secondsUntil": standIn},
		Probes:    map[string]func(*yaml.Node) error{"tls-versions": strictParams("min")},
		Platforms: []string{"essc", "test"},
	}
}

func TestLoadGood(t *testing.T) {
	p, err := specs.LoadDir("testdata/good", testOptions(""))
	if err != nil {
		t.Fatalf("LoadDir(testdata/good): %v", err)
	}
	if p.Root != "testdata/good" {
		t.Errorf("Root = %q, want testdata/good (LoadDir defaults it to the directory)", p.Root)
	}
	var ids []string
	for _, c := range p.Cases {
		ids = append(ids, c.ID)
	}
	if want := []string{"FUN-SES-001", "FUN-GQL-001", "SEC-MSG-001", "SEC-TLS-001"}; !slices.Equal(ids, want) {
		t.Errorf("case IDs = %v, want %v (file order, then document order)", ids, want)
	}
	if len(p.OpenAPI) == 0 || len(p.GraphQL) == 0 {
		t.Errorf("contract bytes not kept: OpenAPI %d bytes, GraphQL %d bytes", len(p.OpenAPI), len(p.GraphQL))
	}
	c := p.Cases[0]
	if want := (specs.Pos{File: "cases/functional/sessions.yaml", Line: 2, Col: 5}); c.Pos != want {
		t.Errorf("case Pos = %+v, want %+v", c.Pos, want)
	}
	if got := c.Steps[2].Pos; got.Line != 37 || got.File != "cases/functional/sessions.yaml" {
		t.Errorf("step Pos = %+v, want line 37 of cases/functional/sessions.yaml", got)
	}
	if got := c.Steps[1].Expect.JSON[2]; got.Op != "equals" || got.Value.Kind != specs.KindNumber || got.Pos.Line != 29 {
		t.Errorf("json[2] = %+v (value %+v), want equals number at line 29", got, got.Value)
	}
	if got := c.Steps[1].Capture[0]; got.Var != "session.alice" || !got.Secret || got.Pos.Line != 34 {
		t.Errorf("capture[0] = %+v, want session.alice, secret, line 34", got)
	}
	if got := p.Cases[2].Steps[2].Sign; got == nil || got.Offset.Std().Seconds() != -301 {
		t.Errorf("sign = %+v, want offset -301s", got)
	}
}

// TestDigest recomputes the pack digest the way sha256sum would list the files.
func TestDigest(t *testing.T) {
	fsys := fstest.MapFS{}
	root := "testdata/good"
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		rel, _ := filepath.Rel(root, path)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for name, f := range fsys {
		sum := sha256.Sum256(f.Data)
		lines = append(lines, hex.EncodeToString(sum[:])+"  "+name+"\n")
	}
	slices.SortFunc(lines, func(a, b string) int { return strings.Compare(a[66:], b[66:]) })
	sum := sha256.Sum256([]byte(strings.Join(lines, "")))
	want := hex.EncodeToString(sum[:])

	p, err := specs.LoadDir(root, testOptions(""))
	if err != nil {
		t.Fatal(err)
	}
	if p.SHA256 != want {
		t.Errorf("LoadDir SHA256 = %s, want %s", p.SHA256, want)
	}
	if len(p.Files) != len(fsys) || p.Files[0].Path != "cases/functional/sessions.yaml" {
		t.Errorf("Files = %+v, want %d files sorted by path", p.Files, len(fsys))
	}

	// Go files and hidden files are not part of a pack, so a directory hashes like its embed.FS.
	fsys["embed.go"] = &fstest.MapFile{Data: []byte("package x")}
	fsys[".swp"] = &fstest.MapFile{Data: []byte("editor")}
	p2, err := specs.Load(fsys, testOptions("mapfs"))
	if err != nil {
		t.Fatal(err)
	}
	if p2.SHA256 != want {
		t.Errorf("with embed.go and .swp: SHA256 = %s, want %s", p2.SHA256, want)
	}
	fsys["pack.yaml"].Data = append(slices.Clone(fsys["pack.yaml"].Data), "# changed\n"...)
	p3, err := specs.Load(fsys, testOptions("mapfs"))
	if err != nil {
		t.Fatal(err)
	}
	if p3.SHA256 == want {
		t.Error("changing pack.yaml did not change the pack digest")
	}
}

func TestLoadBrokenGolden(t *testing.T) {
	_, err := specs.LoadDir("testdata/broken", testOptions(""))
	var errs specs.Errors
	if !errors.As(err, &errs) {
		t.Fatalf("LoadDir(testdata/broken) = %v, want specs.Errors", err)
	}
	got := errs.Error() + "\n"
	golden := "testdata/broken.golden"
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./specs -run TestLoadBrokenGolden -update)", err)
	}
	if got != string(want) {
		t.Errorf("errors differ from %s (-update rewrites it):\n%s", golden, lineDiff(string(want), got))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for _, l := range w {
		if !slices.Contains(g, l) {
			b.WriteString("- " + l + "\n")
		}
	}
	for _, l := range g {
		if !slices.Contains(w, l) {
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
