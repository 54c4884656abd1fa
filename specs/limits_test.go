package specs_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"github.com/chanconf/chanconf/specs"
)

// laughs is a billion-laughs YAML prelude: anchors of nine aliases each, 9^8 strings when
// expanded from *h.
func laughs() string {
	var b strings.Builder
	b.WriteString(`    x-a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	prev := "a"
	for _, name := range strings.Split("bcdefgh", "") {
		b.WriteString("    x-" + name + ": &" + name + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n")
		prev = name
	}
	return b.String()
}

// TestPackBombs: hostile packs are refused quickly, with the file (and case, field) named: a
// billion-laughs case (as a templated body, a list of labels, a whole step), a case file over
// 16 MiB, a pack over 256 MiB in all.
func TestPackBombs(t *testing.T) {
	bomb := func(field, value string) string {
		c := strings.Replace(healthCase, "    steps:\n", laughs()+"    steps:\n", 1)
		return strings.Replace(c, "        call: {operation: getHealth}\n", "        call: {operation: getHealth}\n        "+field+": "+value+"\n", 1)
	}
	tests := []struct {
		name string
		fsys fstest.MapFS
		want string
	}{
		{"aliases in a body", miniPack(strings.Replace(bomb("x", "1"), "call: {operation: getHealth}", "call: {operation: getHealth, body: *h}", 1)),
			"FUN-HEALTH-001: steps[0].call.body[0][0][1][4][4][8][1][5]: more than 100000 YAML values in one case (aliases of aliases?): refused"},
		{"aliases as labels", miniPack(strings.Replace(healthCase, "    steps:\n", laughs()+"    labels: *h\n    steps:\n", 1)),
			"FUN-HEALTH-001: labels[0]: want a string, got a list"},
		{"a case file over 16 MiB", miniPack(healthCase + "#" + strings.Repeat("x", specs.MaxPackFileBytes)),
			"cases/health.yaml: read: 16777516 bytes, more than the 16777216 a pack file may be (split it)"},
		{"a pack over 256 MiB", nil, "read pack: more than the 268435456 bytes a pack may hold in all (at data/big)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			fsys := fs.FS(tt.fsys)
			if tt.fsys == nil {
				fsys = overPack(t)
			}
			_, err := specs.Load(fsys, specs.LoadOptions{Funcs: template.FuncMap{"stamp": standIn}})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: %.2000v\nwant %q", err, tt.want)
			}
			t.Logf("refused in %v: %.300v", time.Since(start), err)
		})
	}
}

// overPack is the mini pack on disk with a sparse 300 MiB file beside it (no disk used).
func overPack(t *testing.T) fs.FS {
	dir := t.TempDir()
	for name, f := range miniPack(healthCase) {
		writeFile(t, filepath.Join(dir, name), f.Data)
	}
	big := filepath.Join(dir, "data", "big")
	writeFile(t, big, nil)
	if err := os.Truncate(big, 300<<20); err != nil {
		t.Fatal(err)
	}
	return os.DirFS(dir)
}

// writeFile writes data to path, making its directory.
func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
