package bundle

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/chanconf/chanconf/reports"
)

// errMissing is the error of a file the bundle does not hold.
var errMissing = errors.New("missing")

// Bundle is a bundle read back: its files in zip order. The content of a file read from a zip
// stays compressed until a check asks for it (see File.Open).
type Bundle struct {
	Files []File
	// raw is the zip the bundle was read from (nil for one assembled in memory), which Verify
	// checks is in canonical form.
	raw []byte
}

// File is one file of a bundle: Data for a file made in memory, or a zip entry of a bundle
// read back, inflated only when opened.
type File struct {
	Name string
	Data []byte

	entry *zip.File
}

// Size is the file's size: the uncompressed size its zip directory entry declares for a file
// read back (checked against the limits by Read, and again while reading).
func (f File) Size() int64 {
	if f.entry != nil {
		return int64(f.entry.UncompressedSize64)
	}
	return int64(len(f.Data))
}

// Open returns the file's content as a stream. For a zip entry, reading fails when the content
// is longer than its declared size or does not match its CRC.
func (f File) Open() (io.ReadCloser, error) {
	if f.entry == nil {
		return io.NopCloser(bytes.NewReader(f.Data)), nil
	}
	rc, err := f.entry.Open()
	if err != nil {
		return nil, err
	}
	return &entryReader{rc: rc, size: f.entry.UncompressedSize64}, nil
}

// ReadAll returns the file's content, refusing more than a file of its name may hold (a
// report.json 64 MiB, manifest.json 1 MiB, ...).
func (f File) ReadAll() ([]byte, error) {
	limit := limitFor(f.Name)
	if f.Size() > limit {
		return nil, fmt.Errorf("%s, more than the %s it may hold: refused", humanBytes(uint64(f.Size())), humanBytes(uint64(limit)))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readLimited(rc, limit)
}

// ReadFile reads a bundle from a path; see Read. The file itself may be at most 64 MiB.
func ReadFile(path string) (*Bundle, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > maxZipBytes {
		return nil, fmt.Errorf("%w: %s: %s, more than the %s a bundle may be: refused", ErrDamaged, path,
			humanBytes(uint64(st.Size())), humanBytes(maxZipBytes))
	}
	data, err := readLimited(f, maxZipBytes)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", path, err)
	}
	b, err := Read(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// Read parses a bundle zip's directory. A zip that is not readable, holds a directory or a
// repeated name, or announces more files or bytes than a bundle may hold is refused here with
// an error wrapping ErrDamaged (such a bundle cannot be certifiable), before any content is
// inflated; damaged content (a bad CRC, content longer than announced) is found when a file
// is read, and Verify names it.
func Read(data []byte) (*Bundle, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable zip: %w", ErrDamaged, err)
	}
	if err := checkDirectory(zr); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
	}
	b := &Bundle{raw: data}
	for _, zf := range zr.File {
		b.Files = append(b.Files, File{Name: zf.Name, entry: zf})
	}
	return b, nil
}

// Lookup returns the file called name.
func (b *Bundle) Lookup(name string) (File, bool) {
	for _, f := range b.Files {
		if f.Name == name {
			return f, true
		}
	}
	return File{}, false
}

// ReadAll returns the content of the file called name (see File.ReadAll); a file the bundle
// does not hold is the error "missing".
func (b *Bundle) ReadAll(name string) ([]byte, error) {
	f, ok := b.Lookup(name)
	if !ok {
		return nil, errMissing
	}
	return f.ReadAll()
}

// Report decodes report.json strictly, as a stream bounded in size and nesting.
func (b *Bundle) Report() (*reports.Report, error) {
	f, ok := b.Lookup(FileReport)
	if !ok {
		return nil, errMissing
	}
	if f.Size() > maxReportBytes {
		return nil, fmt.Errorf("%s, more than the %s a report may hold: refused", humanBytes(uint64(f.Size())), humanBytes(maxReportBytes))
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return readReport(rc, maxReportBytes)
}

// readReport decodes a report from rd, refusing more than limit bytes or maxJSONDepth levels.
func readReport(rd io.Reader, limit int64) (*reports.Report, error) {
	lim := &io.LimitedReader{R: rd, N: limit + 1}
	r, err := reports.ReadJSON(&depthReader{rd: lim, max: maxJSONDepth})
	if lim.N <= 0 {
		return nil, fmt.Errorf("more than the %s a report may hold: refused", humanBytes(uint64(limit)))
	}
	return r, err
}

// ReadReport reads a report.json, or the report.json inside a bundle (a path ending in .zip),
// so that every command taking a report (diff, run --rerun-failed) accepts the evidence a
// vendor keeps as well as the loose file. The bundle is not verified: comparing or re-running
// needs no signature. Either is read within the bundle's limits (64 MiB, 64 levels of JSON).
func ReadReport(path string) (*reports.Report, error) {
	if strings.HasSuffix(strings.ToLower(path), ".zip") {
		b, err := ReadFile(path)
		if err != nil {
			return nil, err
		}
		r, err := b.Report()
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", path, FileReport, err)
		}
		return r, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	defer f.Close()
	r, err := readReport(f, maxReportBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}
