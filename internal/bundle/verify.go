package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// Problem is one thing wrong with a bundle, naming the file it is about.
type Problem struct {
	File    string
	Message string
}

// String prints "file: message".
func (p Problem) String() string { return p.File + ": " + p.Message }

// Verify checks the bundle's integrity with pub: the signature of manifest.json, the size and
// SHA-256 of every file it lists, that nothing else is in the zip, that the zip itself is in
// the canonical form chanconf writes (see checkCanonical), and that report.json,
// pack-manifest.json and tool.json agree with each other. It returns every problem found
// (none: the bundle is intact and signed by pub); a changed byte in any file yields a problem
// naming that file, a changed byte of the zip's metadata a problem naming the zip. Only the
// manifest and its signature are read before the signature holds; the other files are then
// hashed as streams.
func (b *Bundle) Verify(pub *PublicKey) []Problem {
	var out []Problem
	if b.raw != nil {
		if err := checkCanonical(b.raw); err != nil {
			out = append(out, Problem{"bundle.zip", err.Error()})
		}
	}
	mdata, err := b.ReadAll(FileManifest)
	switch {
	case errors.Is(err, errMissing):
		return append(out, Problem{FileManifest, "missing: this is not a chanconf bundle, or it was stripped"})
	case err != nil:
		return append(out, Problem{FileManifest, fmt.Sprintf("%v: %v", ErrDamaged, err)})
	}
	// Nothing large is read before the signature holds: without it the manifest's sizes and
	// digests are not worth hashing a file against.
	if ps := b.verifySignature(pub, mdata); len(ps) != 0 {
		return append(out, ps...)
	}
	var m Manifest
	if err := decodeStrict(mdata, &m); err != nil {
		return append(out, Problem{FileManifest, fmt.Sprintf("not a valid manifest: %v", err)})
	}
	if m.Format != ManifestFormat {
		out = append(out, Problem{FileManifest, fmt.Sprintf("format %q, this chanconf reads %q", m.Format, ManifestFormat)})
	}
	out = append(out, b.verifyFiles(m)...)
	return append(out, b.consistency()...)
}

// verifySignature checks manifest.sig: present, canonical, made by pub, over manifest.json.
func (b *Bundle) verifySignature(pub *PublicKey, manifest []byte) []Problem {
	sdata, err := b.ReadAll(FileSignature)
	if errors.Is(err, errMissing) {
		return []Problem{{FileSignature, "missing: the bundle is not signed (run with --sign-key)"}}
	}
	bad := func(format string, args ...any) []Problem {
		return []Problem{{FileSignature, fmt.Sprintf(format, args...)}}
	}
	if err != nil {
		return bad("%v", err)
	}
	var s Signature
	if err := decodeStrict(sdata, &s); err != nil {
		return bad("not a valid signature file: %v", err)
	}
	if canon, err := marshal(s); err != nil || !bytes.Equal(canon, sdata) {
		return bad("not in canonical form: the file was edited")
	}
	embedded, err := ParsePublicKeyPEM([]byte(s.PublicKey))
	switch {
	case err != nil:
		return bad("publicKey: %v", err)
	case s.Fingerprint != embedded.Fingerprint():
		return bad("fingerprint %s does not match its publicKey (%s)", s.Fingerprint, embedded.Fingerprint())
	case s.Fingerprint != pub.Fingerprint():
		return bad("signed by key %s, not by the given public key %s", s.Fingerprint, pub.Fingerprint())
	case s.Algorithm != pub.Algorithm():
		return bad("algorithm %q, but the key is %s", s.Algorithm, pub.Algorithm())
	case s.Algorithm == AlgSM2SM3 && s.SignerID != SignerID:
		return bad("signerId %q, bundles are signed with %q", s.SignerID, SignerID)
	case s.Algorithm == AlgEd25519 && s.SignerID != "":
		return bad("signerId %q given for an Ed25519 signature", s.SignerID)
	}
	if err := pub.verify(manifest, s.Signature); err != nil {
		return []Problem{{FileManifest, fmt.Sprintf("the signature in %s does not verify over it (%v): %s or %s was changed",
			FileSignature, err, FileManifest, FileSignature)}}
	}
	return nil
}

// verifyFiles compares every listed file with the manifest and refuses unlisted ones. A size
// that differs from the manifest's is found from the zip directory; the others are hashed as
// streams, so no file is held in memory.
func (b *Bundle) verifyFiles(m Manifest) []Problem {
	var out []Problem
	listed := map[string]bool{FileManifest: true, FileSignature: true}
	for _, e := range m.Files {
		if listed[e.Name] {
			out = append(out, Problem{e.Name, "listed twice (or a reserved name) in " + FileManifest})
			continue
		}
		listed[e.Name] = true
		f, ok := b.Lookup(e.Name)
		if !ok {
			out = append(out, Problem{e.Name, "listed in " + FileManifest + " but missing from the bundle"})
			continue
		}
		if f.Size() != int64(e.Size) {
			out = append(out, Problem{e.Name, fmt.Sprintf("content changed: %d bytes, %s says %d bytes", f.Size(), FileManifest, e.Size)})
			continue
		}
		sum, err := streamDigest(f)
		switch {
		case err != nil:
			out = append(out, Problem{e.Name, fmt.Sprintf("%v: the content cannot be read: %v", ErrDamaged, err)})
		case sum != e.SHA256:
			out = append(out, Problem{e.Name, fmt.Sprintf("content changed: SHA-256 %s (%d bytes), %s says %s (%d bytes)",
				sum, f.Size(), FileManifest, e.SHA256, e.Size)})
		}
	}
	for _, f := range b.Files {
		if !listed[f.Name] {
			out = append(out, Problem{f.Name, "not listed in " + FileManifest + ": added after signing"})
		}
	}
	return out
}

// streamDigest is the lowercase hex SHA-256 of f's content, read as a stream.
func streamDigest(f File) (string, error) {
	rc, err := f.Open()
	if err != nil {
		return "", err
	}
	defer rc.Close()
	h := sha256.New()
	if _, err := io.Copy(h, rc); err != nil { // bounded: reading past the declared size fails
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// consistency checks that the report, the pack manifest and the tool file describe the same
// run, and that the pack manifest's digest is the digest of its file list.
func (b *Bundle) consistency() []Problem {
	var out []Problem
	rep, err := b.Report()
	if err != nil {
		return []Problem{{FileReport, err.Error()}}
	}
	pm, err := b.PackManifest()
	if err != nil {
		out = append(out, Problem{FilePackManifest, err.Error()})
	} else {
		if sum := packDigest(pm.Files); sum != pm.SHA256 {
			out = append(out, Problem{FilePackManifest, fmt.Sprintf("sha256 %s is not the digest of its files (%s)", pm.SHA256, sum)})
		}
		if got := (reports.PackRef{Name: pm.Name, Version: pm.Version, SHA256: pm.SHA256}); got != rep.Pack {
			out = append(out, Problem{FilePackManifest, fmt.Sprintf("pack %s %s %s, but %s names %s %s %s",
				got.Name, got.Version, got.SHA256, FileReport, rep.Pack.Name, rep.Pack.Version, rep.Pack.SHA256)})
		}
	}
	tool, err := b.Tool()
	switch {
	case err != nil:
		out = append(out, Problem{FileTool, err.Error()})
	case tool.Version != rep.Tool.Version || tool.Revision != rep.Tool.Revision || tool.GoVersion != rep.Tool.GoVersion:
		out = append(out, Problem{FileTool, fmt.Sprintf("version %s revision %s (%s), but %s names %s revision %s (%s)",
			tool.Version, tool.Revision, tool.GoVersion, FileReport, rep.Tool.Version, rep.Tool.Revision, rep.Tool.GoVersion)})
	}
	if _, ok := b.Lookup(FileDeclaration); !ok {
		out = append(out, Problem{FileDeclaration, "missing"})
	}
	return out
}

// PackManifest decodes pack-manifest.json strictly.
func (b *Bundle) PackManifest() (*PackManifest, error) {
	var pm PackManifest
	return &pm, b.decode(FilePackManifest, &pm)
}

// Tool decodes tool.json strictly.
func (b *Bundle) Tool() (*Tool, error) {
	var t Tool
	return &t, b.decode(FileTool, &t)
}

func (b *Bundle) decode(name string, v any) error {
	data, err := b.ReadAll(name)
	if err != nil {
		return err
	}
	if err := decodeStrict(data, v); err != nil {
		return fmt.Errorf("not valid: %w", err)
	}
	return nil
}

// packDigest recomputes a pack's digest from its file list the way specs.Digest does:
// SHA-256 over the lines "<sha256>  <path>\n" (the list is taken in the order given, which
// for a pack is sorted by path).
func packDigest(files []specs.FileDigest) string {
	h := sha256.New()
	for _, f := range files {
		fmt.Fprintf(h, "%s  %s\n", f.SHA256, f.Path)
	}
	return hex.EncodeToString(h.Sum(nil))
}
