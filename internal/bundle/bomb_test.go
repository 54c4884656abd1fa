package bundle

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/bundle/bundletest"
)

// allocated returns the bytes f allocates on the heap: an upper bound of the heap it adds.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// maxTestAlloc is the most reading a hostile bundle may allocate in these tests: far below
// what would take the process near 512 MB.
const maxTestAlloc = 64 << 20

// TestZipBombRefusedFromItsDirectory is issue 11 finding 3: a 6 MB zip whose entries inflate to
// a gigabyte each made verify and diff take 9.6 GB and 8.4 GB. Such a zip is now refused from
// its directory, before anything is inflated, with an error naming the file and the limit.
func TestZipBombRefusedFromItsDirectory(t *testing.T) {
	many := make([]bundletest.Entry, 100)
	for i := range many {
		many[i] = bundletest.Entry{Name: strings.Repeat("x", i+1), Content: []byte("x")}
	}
	tests := []struct {
		name    string
		entries []bundletest.Entry
		want    string
	}{
		{"six files of a gigabyte", []bundletest.Entry{
			{Name: FileReport, Real: 1 << 30}, {Name: FileHAR, Real: 1 << 30}, {Name: FileHTML, Real: 1 << 30},
			{Name: FileJUnit, Real: 1 << 30}, {Name: FileSARIF, Real: 1 << 30}, {Name: FileManifest, Real: 1 << 30}},
			"zip entry report.json: 1.0 GiB uncompressed, more than the 64 MiB it may hold: refused (a zip bomb?)"},
		{"a gigabyte of evidence", []bundletest.Entry{{Name: FileHAR, Real: 1 << 30}},
			"zip entry evidence.har: 1.0 GiB uncompressed, more than the 512 MiB it may hold"},
		{"a large manifest", []bundletest.Entry{{Name: FileManifest, Real: 2 << 20}}, "zip entry manifest.json: 2 MiB uncompressed, more than the 1 MiB"},
		{"too much in all", []bundletest.Entry{{Name: FileHAR, Real: 400 << 20}, {Name: FileHTML, Real: 400 << 20}, {Name: FileJUnit, Real: 400 << 20}},
			"1.2 GiB uncompressed in all, more than the 1.0 GiB a bundle may hold"},
		{"too many files", many, "100 files, more than the 64 a bundle may hold"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bomb.zip")
			size, err := bundletest.WriteZip(path, tt.entries)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d bytes on disk", tt.name, size)
			var rerr, derr error
			alloc := allocated(func() {
				_, rerr = ReadFile(path)
				_, derr = ReadReport(path)
			})
			for _, err := range []error{rerr, derr} {
				if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), path) {
					t.Errorf("error %v, want %q naming the file", err, tt.want)
				}
			}
			if alloc > maxTestAlloc {
				t.Errorf("reading the bomb allocated %d MiB", alloc>>20)
			}
		})
	}
}

// TestLyingDirectory: entries that announce a small size and inflate to 256 MiB are cut at the
// announced size, with an error naming the file, whichever way they are read.
func TestLyingDirectory(t *testing.T) {
	key, pub := testKey(t, AlgEd25519)
	_, good := build(t, sampleInput(t), key)
	files := loadAll(t, good)
	var entries []bundletest.Entry
	for _, f := range files {
		e := bundletest.Entry{Name: f.Name, Content: f.Data}
		if f.Name == FileReport || f.Name == FileHAR {
			e = bundletest.Entry{Name: f.Name, Prefix: []byte(`{"schemaVersion":"`), Fill: 'a', Real: 256 << 20, Declared: int64(len(f.Data))}
		}
		entries = append(entries, e)
	}
	path := filepath.Join(t.TempDir(), "liar.zip")
	if _, err := bundletest.WriteZip(path, entries); err != nil {
		t.Fatal(err)
	}
	var problems string
	var rerr error
	alloc := allocated(func() {
		b, err := ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		problems = problemsText(b.Verify(pub))
		_, rerr = ReadReport(path)
	})
	for _, name := range []string{FileReport, FileHAR} {
		if want := name + ": damaged bundle: the content cannot be read: damaged, or longer than the"; !strings.Contains(problems, want) {
			t.Errorf("problems:\n%s\nwant %q", problems, want)
		}
	}
	if rerr == nil || !strings.Contains(rerr.Error(), "report.json: damaged, or longer than the") {
		t.Errorf("ReadReport: %v", rerr)
	}
	if alloc > maxTestAlloc {
		t.Errorf("reading the liar allocated %d MiB", alloc>>20)
	}
}

// TestSignatureBeforeContent: when manifest.sig does not hold, no other file is read, not even
// to hash it (here a file that would report itself damaged if it were).
func TestSignatureBeforeContent(t *testing.T) {
	key, _ := testKey(t, AlgEd25519)
	_, otherPub := testKey(t, AlgEd25519)
	_, good := build(t, sampleInput(t), key)
	var entries []bundletest.Entry
	for _, f := range loadAll(t, good) {
		e := bundletest.Entry{Name: f.Name, Content: f.Data}
		if f.Name == FileHAR {
			e = bundletest.Entry{Name: f.Name, Real: 256 << 20, Declared: int64(len(f.Data))}
		}
		entries = append(entries, e)
	}
	path := filepath.Join(t.TempDir(), "bundle.zip")
	if _, err := bundletest.WriteZip(path, entries); err != nil {
		t.Fatal(err)
	}
	b, err := ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	got := problemsText(b.Verify(otherPub))
	if !strings.Contains(got, "manifest.sig: signed by key") || strings.Contains(got, FileHAR) {
		t.Errorf("problems:\n%s\nwant the signature's problem only", got)
	}
}

// TestReportBounds: a loose report.json is read within the same limits as a bundled one:
// at most 64 MiB (here 1 MiB, to keep the test small) and 64 levels of nesting.
func TestReportBounds(t *testing.T) {
	deep := filepath.Join(t.TempDir(), "deep.json")
	writeFile(t, deep, []byte(`{"cases":`+strings.Repeat("[", 100000)))
	want := "deep.json: read report.json: JSON nested more than 64 levels deep at byte 72: refused"
	if _, err := ReadReport(deep); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
	big := `{"schemaVersion":"` + strings.Repeat("a", 1<<20) + `"}`
	want = "more than the 1 MiB a report may hold: refused"
	if _, err := readReport(strings.NewReader(big), 1<<20); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestLargeZipRefused: the bundle file itself is refused above 64 MiB before it is read.
func TestLargeZipRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "large.zip")
	writeFile(t, path, nil)
	if err := os.Truncate(path, maxZipBytes+1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	want := "large.zip: 64.0 MiB, more than the 64 MiB a bundle may be: refused"
	if _, err := ReadFile(path); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}
