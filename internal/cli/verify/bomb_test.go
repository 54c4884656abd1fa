package verify

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/bundle/bundletest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// TestVerifyRefusesZipBomb is issue 11 finding 3 for verify: a 6 MB zip whose six files
// inflate to a gigabyte each (9.6 GB of memory before) is refused from its zip directory (not
// certifiable, exit 1, the file and the limit named), before any content is inflated.
func TestVerifyRefusesZipBomb(t *testing.T) {
	f := newFixture(t)
	bomb := filepath.Join(t.TempDir(), "bomb.zip")
	var entries []bundletest.Entry
	for _, name := range []string{bundle.FileReport, bundle.FileHAR, bundle.FileHTML, bundle.FileJUnit, bundle.FileSARIF, bundle.FileManifest} {
		entries = append(entries, bundletest.Entry{Name: name, Real: 1 << 30})
	}
	if _, err := bundletest.WriteZip(bomb, entries); err != nil {
		t.Fatal(err)
	}
	ios, _, out, _ := iostreams.Test()
	err := Run(&Options{IO: ios, Bundle: bomb, PubKey: f.pubPath})
	want := "zip entry report.json: 1.0 GiB uncompressed, more than the 64 MiB it may hold: refused (a zip bomb?)"
	if code := cmdutil.Classify(err); code != cmdutil.ExitNonconformant || !strings.Contains(out.String(), "certifiable: no") ||
		!strings.Contains(out.String(), want) {
		t.Errorf("exit %d, output:\n%s\nwant %q", code, out, want)
	}
}
