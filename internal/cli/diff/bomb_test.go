package diff

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/bundle/bundletest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// TestDiffRefusesHostileReports is issue 11 finding 3 for diff: a 6 MB zip bomb (8.4 GB of
// memory before) and a report nested 100 000 levels deep are refused with a usage error
// naming the file and the limit, after reading at most the limit.
func TestDiffRefusesHostileReports(t *testing.T) {
	dir := t.TempDir()
	bomb := filepath.Join(dir, "bomb.zip")
	var entries []bundletest.Entry
	for _, name := range []string{bundle.FileReport, bundle.FileHAR, bundle.FileHTML, bundle.FileJUnit, bundle.FileSARIF, bundle.FileManifest} {
		entries = append(entries, bundletest.Entry{Name: name, Real: 1 << 30})
	}
	if _, err := bundletest.WriteZip(bomb, entries); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(dir, "deep.json")
	for path, data := range map[string]string{
		deep: `{"cases":` + strings.Repeat("[", 100000),
	} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	old := writeReport(t, "a.json", "A=PASS")
	tests := []struct{ path, want string }{
		{bomb, bomb + ": damaged bundle: zip entry report.json: 1.0 GiB uncompressed, more than the 64 MiB it may hold: refused (a zip bomb?)"},
		{deep, deep + ": read report.json: JSON nested more than 64 levels deep"},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.path), func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			err := Run(&Options{IO: ios, Old: old, New: tt.path})
			if code := cmdutil.Classify(err); code != cmdutil.ExitUsage || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("exit %d, error %v\nwant %q", code, err, tt.want)
			}
		})
	}
}
