package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/chanconf/chanconf/reports"
)

// maxFileSize bounds one file read from a bundle, so that a hostile zip cannot exhaust memory.
const maxFileSize = 1 << 30

// Build renders the contents of in and writes the zip with writeZip; key signs the manifest (nil
// leaves the bundle unsigned). The modification time of every entry is the report's
// FinishedAt.
func Build(in Input, key *SigningKey) ([]byte, error) {
	files, err := contents(in)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := writeZip(&buf, files, key, in.Report.FinishedAt); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeZip writes files, then manifest.json listing them, then manifest.sig when key is set, as
// a deterministic zip: entries in that order, each deflated, all with the modification time
// mod (UTC, two-second MS-DOS precision; before 1980 becomes 1980-01-01), no extra fields.
func writeZip(w io.Writer, files []File, key *SigningKey, mod time.Time) error {
	all, err := withManifest(files, key)
	if err != nil {
		return err
	}
	date, clock := msDosTime(mod)
	zw := zip.NewWriter(w)
	for _, f := range all {
		fw, err := zw.CreateHeader(canonicalHeader(f.Name, date, clock))
		if err != nil {
			return fmt.Errorf("bundle: add %s: %w", f.Name, err)
		}
		if _, err := fw.Write(f.Data); err != nil {
			return fmt.Errorf("bundle: write %s: %w", f.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("bundle: finish the zip: %w", err)
	}
	return nil
}

// withManifest appends manifest.json and, with a key, manifest.sig to files.
func withManifest(files []File, key *SigningKey) ([]File, error) {
	m := Manifest{Format: ManifestFormat, Files: []ManifestEntry{}}
	seen := map[string]bool{}
	for _, f := range files {
		if seen[f.Name] || f.Name == FileManifest || f.Name == FileSignature {
			return nil, fmt.Errorf("bundle: file %s given twice or reserved", f.Name)
		}
		seen[f.Name] = true
		m.Files = append(m.Files, ManifestEntry{Name: f.Name, Size: len(f.Data), SHA256: digest(f.Data)})
	}
	mdata, err := marshal(m)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", FileManifest, err)
	}
	out := append(append([]File{}, files...), File{Name: FileManifest, Data: mdata})
	if key == nil {
		return out, nil
	}
	sig, err := signManifest(key, mdata)
	if err != nil {
		return nil, err
	}
	return append(out, File{Name: FileSignature, Data: sig}), nil
}

// signManifest returns manifest.sig for the manifest bytes.
func signManifest(key *SigningKey, manifest []byte) ([]byte, error) {
	pub, err := key.Public()
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	sig, err := key.sign(manifest)
	if err != nil {
		return nil, fmt.Errorf("bundle: sign %s: %w", FileManifest, err)
	}
	s := Signature{Algorithm: key.Algorithm(), PublicKey: string(pub.PEM()), Fingerprint: pub.Fingerprint(), Signature: sig}
	if s.Algorithm == AlgSM2SM3 {
		s.SignerID = SignerID
	}
	data, err := marshal(s)
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", FileSignature, err)
	}
	return data, nil
}

// digest is the lowercase hex SHA-256 of data.
func digest(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// msDosTime converts t (taken in UTC) to the MS-DOS date and time of a zip header.
func msDosTime(t time.Time) (date, clock uint16) {
	t = t.UTC()
	if t.Year() < 1980 {
		t = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	date = uint16(t.Day() + int(t.Month())<<5 + (t.Year()-1980)<<9)
	clock = uint16(t.Second()/2 + t.Minute()<<5 + t.Hour()<<11)
	return date, clock
}

// Bundle is a bundle read back: its files in zip order.
type Bundle struct {
	Files []File
	// raw is the zip the bundle was read from (nil for one assembled in memory), which Verify
	// checks is in canonical form.
	raw []byte
}

// ReadFile reads a bundle from a path; see Read.
func ReadFile(path string) (*Bundle, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bundle: %w", err)
	}
	b, err := Read(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}

// ReadReport reads a report.json, or the report.json inside a bundle (a path ending in .zip),
// so that every command taking a report (diff, run --rerun-failed) accepts the evidence a
// vendor keeps as well as the loose file. The bundle is not verified: comparing or re-running
// needs no signature.
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
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("report: %w", err)
	}
	r, err := reports.ReadJSON(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Read parses a bundle zip. A damaged zip (bad CRC, truncated), a directory or a repeated
// name is an error wrapping ErrDamaged: such a bundle cannot be certifiable.
func Read(data []byte) (*Bundle, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a readable zip: %w", ErrDamaged, err)
	}
	b := &Bundle{raw: data}
	seen := map[string]bool{}
	for _, zf := range zr.File {
		if seen[zf.Name] || zf.FileInfo().IsDir() {
			return nil, fmt.Errorf("%w: zip entry %q is repeated or a directory", ErrDamaged, zf.Name)
		}
		seen[zf.Name] = true
		if zf.UncompressedSize64 > maxFileSize {
			return nil, fmt.Errorf("%w: zip entry %s is larger than %d bytes", ErrDamaged, zf.Name, maxFileSize)
		}
		content, err := readEntry(zf)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrDamaged, err)
		}
		b.Files = append(b.Files, File{Name: zf.Name, Data: content})
	}
	return b, nil
}

// readEntry reads one zip entry whole; the zip reader checks its CRC at the end.
func readEntry(zf *zip.File) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("zip entry %s: %w", zf.Name, err)
	}
	data, err := io.ReadAll(io.LimitReader(rc, maxFileSize+1))
	if cerr := rc.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("zip entry %s: %w", zf.Name, err)
	}
	return data, nil
}

// File returns the content of the file called name.
func (b *Bundle) File(name string) ([]byte, bool) {
	for _, f := range b.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}
