package bundle

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
)

// Reading limits. A bundle comes from whoever sends it for certification, so it is read as
// hostile input: the zip directory is checked against these limits before any content is
// inflated, and the limits are enforced again while reading, since a directory can lie.
// Only the small files (manifest, signature, tool, pack manifest) and report.json are ever
// held in memory; every other file is hashed as a stream. The figures leave a real run far
// inside them (the embedded pack's 123 cases make a 0.3 MB bundle, a 0.9 MB report.json and
// a 3.8 MB evidence.har) while keeping `verify` and `diff` under 512 MB of memory.
const (
	// maxZipBytes bounds the bundle file itself (compressed), which is read into memory.
	maxZipBytes = 64 << 20
	// maxEntries bounds the number of files in a bundle (a chanconf bundle has 10).
	maxEntries = 64
	// maxEntryBytes bounds one file, uncompressed (hashed as a stream, never held).
	maxEntryBytes = 512 << 20
	// maxTotalBytes bounds all files together, uncompressed: the time verify may spend hashing.
	maxTotalBytes = 1 << 30
	// maxReportBytes bounds report.json, which verify and diff decode in memory (decoding takes
	// about four times its size); a report of the embedded pack takes 7.6 KB per case.
	maxReportBytes = 64 << 20
	// maxPackManifestBytes bounds pack-manifest.json, decoded in memory (about 80 bytes a case).
	maxPackManifestBytes = 32 << 20
	// maxSmallBytes bounds manifest.json, manifest.sig, tool.json and declaration.yaml.
	maxSmallBytes = 1 << 20
	// maxJSONDepth bounds the nesting of the JSON files read (a report nests 6 levels deep).
	maxJSONDepth = 64
)

// limitFor is the most a file of that name may hold, uncompressed.
func limitFor(name string) int64 {
	switch name {
	case FileReport:
		return maxReportBytes
	case FilePackManifest:
		return maxPackManifestBytes
	case FileManifest, FileSignature, FileTool, FileDeclaration:
		return maxSmallBytes
	}
	return maxEntryBytes
}

// checkDirectory refuses a zip whose directory announces more files or bytes than a bundle may
// hold, before anything is inflated: a zip bomb is refused from its directory.
func checkDirectory(zr *zip.Reader) error {
	if n := len(zr.File); n > maxEntries {
		return fmt.Errorf("%d files, more than the %d a bundle may hold: refused", n, maxEntries)
	}
	seen := map[string]bool{}
	var total uint64
	for _, zf := range zr.File {
		if seen[zf.Name] || zf.FileInfo().IsDir() {
			return fmt.Errorf("zip entry %q is repeated or a directory", zf.Name)
		}
		seen[zf.Name] = true
		if size, limit := zf.UncompressedSize64, limitFor(zf.Name); size > uint64(limit) {
			return fmt.Errorf("zip entry %s: %s uncompressed, more than the %s it may hold: refused (a zip bomb?)",
				zf.Name, humanBytes(size), humanBytes(uint64(limit)))
		}
		total += zf.UncompressedSize64
	}
	if total > maxTotalBytes {
		return fmt.Errorf("%s uncompressed in all, more than the %s a bundle may hold: refused (a zip bomb?)",
			humanBytes(total), humanBytes(maxTotalBytes))
	}
	return nil
}

// entryReader reads one zip entry, never past the size its directory entry declares.
type entryReader struct {
	rc   io.ReadCloser
	size uint64
}

// Read reads from the entry. archive/zip itself refuses content longer than the declared
// size (ErrFormat); the error is reworded so the reader learns which file lied.
func (r *entryReader) Read(p []byte) (int, error) {
	n, err := r.rc.Read(p)
	if errors.Is(err, zip.ErrFormat) {
		return n, fmt.Errorf("damaged, or longer than the %s its zip directory entry declares: %w", humanBytes(r.size), err)
	}
	return n, err
}

// Close closes the entry.
func (r *entryReader) Close() error { return r.rc.Close() }

// readLimited reads all of rd, refusing more than limit bytes.
func readLimited(rd io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(rd, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("more than the %s it may hold: refused", humanBytes(uint64(limit)))
	}
	return data, nil
}

// depthReader passes JSON through, failing once arrays and objects nest deeper than max: a
// decoder given a deeply nested document spends memory on every level before it can refuse.
type depthReader struct {
	rd       io.Reader
	max      int
	depth    int
	offset   int64
	inString bool
	escaped  bool
}

// Read reads and scans the next bytes.
func (d *depthReader) Read(p []byte) (int, error) {
	n, err := d.rd.Read(p)
	for i, c := range p[:n] {
		switch {
		case d.escaped:
			d.escaped = false
		case d.inString && c == '\\':
			d.escaped = true
		case c == '"':
			d.inString = !d.inString
		case d.inString:
		case c == '[' || c == '{':
			if d.depth++; d.depth > d.max {
				return i, fmt.Errorf("JSON nested more than %d levels deep at byte %d: refused", d.max, d.offset+int64(i))
			}
		case c == ']' || c == '}':
			d.depth--
		}
	}
	d.offset += int64(n)
	return n, err
}

// humanBytes prints a size the way the limits are written: "64 MiB", "1.0 GiB", "512 B".
func humanBytes(n uint64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
