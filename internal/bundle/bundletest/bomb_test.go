package bundletest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"testing"
)

// TestFilledInflatesToItsSize checks the chunked deflate stream against its promise: n zeros
// and their CRC, for sizes around the chunk boundaries.
func TestFilledInflatesToItsSize(t *testing.T) {
	for _, n := range []int64{0, 1, chunk - 1, chunk, chunk + 1, 5*chunk + 7} {
		comp, crc, err := filled(bytes.Repeat([]byte("{x"), 40000), 'a', n)
		if err != nil {
			t.Fatal(err)
		}
		h := crc32.NewIEEE()
		got, err := io.Copy(h, flate.NewReader(bytes.NewReader(comp)))
		if err != nil || got != n+80000 || h.Sum32() != crc {
			t.Errorf("zeros(%d) inflates to %d bytes (%v), crc %x want %x", n, got, err, h.Sum32(), crc)
		}
	}
}

func TestWriteZip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bomb.zip")
	size, err := WriteZip(path, []Entry{{Name: "a", Real: 3 * chunk}, {Name: "b", Real: 10, Declared: 5}, {Name: "c", Content: []byte("hi")}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || int64(len(data)) != size {
		t.Fatalf("size %d, file %d (%v)", size, len(data), err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), size)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []struct {
		declared uint64
		readErr  bool
	}{{3 * chunk, false}, {5, true}, {2, false}} {
		zf := zr.File[i]
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(io.Discard, rc)
		if zf.UncompressedSize64 != want.declared || (err != nil) != want.readErr {
			t.Errorf("%s: declared %d, read error %v", zf.Name, zf.UncompressedSize64, err)
		}
	}
}
