package bundle

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/bundle/bundletest"
)

// FuzzRead feeds arbitrary bytes to the bundle reader and verifier: they never panic, every
// problem names a file, and reading stays within the limits whatever the zip directory says.
// The seeds (here and in testdata/fuzz) are a signed bundle, one with a lying directory and a
// small zip bomb; plain `go test` runs them.
//
//	go test ./internal/bundle -run '^$' -fuzz FuzzRead -fuzztime 60s
func FuzzRead(f *testing.F) {
	key, pub := testKey(f, AlgEd25519)
	signed, _ := build(f, sampleInput(f), key)
	f.Add(signed)
	liar := f.TempDir() + "/liar.zip"
	bomb := f.TempDir() + "/bomb.zip"
	for path, entries := range map[string][]bundletest.Entry{
		liar: {{Name: FileManifest, Real: 1 << 20, Declared: 10}, {Name: FileReport, Prefix: []byte(`{"a":"`), Fill: 'a', Real: 1 << 20, Declared: 100}},
		bomb: {{Name: FileHAR, Real: 600 << 20}, {Name: FileReport, Real: 100 << 20}},
	} {
		if _, err := bundletest.WriteZip(path, entries); err != nil {
			f.Fatal(err)
		}
		data, err := readTestFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		defer notHung(t, time.Now())
		b, err := Read(data)
		if err != nil {
			return
		}
		for _, p := range b.Verify(pub) {
			if p.File == "" || p.Message == "" {
				t.Fatalf("a problem without its file or message: %+v", p)
			}
		}
		_, _ = b.Report()
		for _, file := range b.Files {
			if file.Size() > limitFor(file.Name) {
				t.Fatalf("%s: Read accepted %d bytes, more than its limit", file.Name, file.Size())
			}
			rc, err := file.Open()
			if err != nil {
				continue
			}
			if n, _ := io.Copy(io.Discard, rc); n > file.Size() {
				t.Fatalf("%s: read %d bytes past the %d its directory declares", file.Name, n, file.Size())
			}
			rc.Close()
		}
		if bytes.Equal(data, signed) && len(b.Verify(pub)) != 0 {
			t.Fatal("the signed seed does not verify")
		}
	})
}

// notHung fails an input that took more than 10 s (a hang, or work without bound): fuzzing
// would otherwise only stall on it.
func notHung(t *testing.T, start time.Time) {
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("the input took %v: a hang, or work without bound", d)
	}
}
