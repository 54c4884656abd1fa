package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

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
