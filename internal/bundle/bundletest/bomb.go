// Package bundletest makes hostile bundles for tests: zip bombs whose entries inflate to
// gigabytes from a few megabytes, with an honest or a lying zip directory. It is imported by
// tests only (internal/bundle, internal/cli/diff, internal/cli/verify) and by nothing shipped.
package bundletest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"os"
)

// Entry is one file of a bomb: Prefix then Real bytes of Fill (zero by default), announced in
// the zip directory as Declared bytes (Declared 0: the real size, an honest directory).
// Content, when set, is the whole file instead (a small file such as manifest.json).
type Entry struct {
	Name     string
	Prefix   []byte
	Fill     byte
	Real     int64
	Declared int64
	Content  []byte
}

// chunk is the unit a bomb's zeros are compressed in; the compressed form of every chunk
// after the first is the same, so a gigabyte costs one chunk's compression.
const chunk = 1 << 20

// WriteZip writes a zip of entries to path and returns its size on disk.
func WriteZip(path string, entries []Entry) (int64, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		if err := addEntry(zw, e); err != nil {
			return 0, fmt.Errorf("bomb entry %s: %w", e.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int64(buf.Len()), os.WriteFile(path, buf.Bytes(), 0o644)
}

// addEntry writes one entry raw: its deflated content and the sizes and CRC given.
func addEntry(zw *zip.Writer, e Entry) error {
	var comp []byte
	var crc uint32
	var err error
	size := e.Real
	if e.Content != nil {
		size = int64(len(e.Content))
		comp, err = deflate(e.Content)
		crc = crc32.ChecksumIEEE(e.Content)
	} else {
		comp, crc, err = filled(e.Prefix, e.Fill, e.Real)
		size = int64(len(e.Prefix)) + e.Real
	}
	if err != nil {
		return err
	}
	declared := e.Declared
	if declared == 0 {
		declared = size
	}
	h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate, CRC32: crc,
		CompressedSize64: uint64(len(comp)), UncompressedSize64: uint64(declared)}
	w, err := zw.CreateRaw(h)
	if err != nil {
		return err
	}
	_, err = w.Write(comp)
	return err
}

// deflate compresses data whole.
func deflate(data []byte) ([]byte, error) {
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := fw.Write(data); err != nil {
		return nil, err
	}
	if err := fw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// filled returns a deflate stream of prefix then n fill bytes, and its CRC-32, built from
// byte-aligned flushed chunks: the prefix, the first chunk, the repeated steady-state chunk,
// the tail and the end.
func filled(prefix []byte, fill byte, n int64) ([]byte, uint32, error) {
	zero := bytes.Repeat([]byte{fill}, chunk)
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		return nil, 0, err
	}
	if _, err := fw.Write(prefix); err != nil {
		return nil, 0, err
	}
	block := func(size int64) ([]byte, error) {
		if _, err := fw.Write(zero[:size]); err != nil {
			return nil, err
		}
		if err := fw.Flush(); err != nil {
			return nil, err
		}
		b := bytes.Clone(buf.Bytes())
		buf.Reset()
		return b, nil
	}
	var out bytes.Buffer
	var steady []byte
	crc := crc32.ChecksumIEEE(prefix)
	for left := n; left > 0; {
		size := min(left, chunk)
		if steady == nil || size < chunk {
			b, err := block(size)
			if err != nil {
				return nil, 0, err
			}
			if out.Len() > 0 && size == chunk {
				steady = b
			}
			out.Write(b)
		} else {
			out.Write(steady)
		}
		crc = crc32.Update(crc, crc32.IEEETable, zero[:size])
		left -= size
	}
	if err := fw.Close(); err != nil {
		return nil, 0, err
	}
	out.Write(buf.Bytes())
	return out.Bytes(), crc, nil
}
