// Package bundle is chanconf's certification evidence: one deterministic zip holding a run's
// reports, the redacted declaration, the pack's and the tool's identity, a manifest with the
// SHA-256 of every file, and the manifest's signature. `chanconf run --bundle` writes it and
// `chanconf verify` checks it, for the vendor and the ministry alike.
//
// Deterministic means the same inputs give a byte-identical zip: fixed file order, one fixed
// modification time (the run's end), no extra fields, and deterministic signatures (RFC 6979
// nonces for SM2; Ed25519 is deterministic by design).
package bundle

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"runtime/debug"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/certify"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// Names of the files in a bundle.
const (
	FileReport       = "report.json"
	FileJUnit        = "junit.xml"
	FileHTML         = "report.html"
	FileHAR          = "evidence.har"
	FileSARIF        = "findings.sarif"
	FileDeclaration  = "declaration.yaml"
	FilePackManifest = "pack-manifest.json"
	FileTool         = "tool.json"
	FileManifest     = "manifest.json"
	FileSignature    = "manifest.sig"
)

// ManifestFormat identifies the layout of manifest.json (and so of the bundle).
const ManifestFormat = "chanconf-bundle/1"

// Input is what a bundle is made of.
type Input struct {
	// Report is the judged report, with its exchanges (for evidence.har) and eligibility.
	Report *reports.Report
	// Declaration is the channel's declaration; the bundle holds it redacted (no data key).
	Declaration *cai.Declaration
	// Pack is the pack the run used; its identity and file digests go into pack-manifest.json.
	Pack *specs.Pack
	// Tool identifies the chanconf build (see ToolFromBuild).
	Tool Tool
}

// Tool is tool.json: the chanconf build that produced the bundle.
type Tool struct {
	Name      string `json:"name"`
	Module    string `json:"module"`
	Version   string `json:"version"`
	Revision  string `json:"revision"`
	Modified  bool   `json:"modified"`
	GoVersion string `json:"goVersion"`
}

// ToolFromBuild reads the running binary's build information (module version, VCS revision
// and dirty flag, Go version), then the version and revision a release build stamped (see
// stamp.go), which win; fields it cannot learn are "unknown".
func ToolFromBuild() (t Tool) {
	t = Tool{Name: "chanconf", Module: "unknown", Version: "unknown", Revision: "unknown", GoVersion: "unknown"}
	defer applyStamp(&t)
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return t
	}
	t.GoVersion = bi.GoVersion
	if bi.Main.Path != "" {
		t.Module = bi.Main.Path
	}
	if bi.Main.Version != "" {
		t.Version = bi.Main.Version
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			t.Revision = s.Value
		case "vcs.modified":
			t.Modified = s.Value == "true"
		}
	}
	return t
}

// PackManifest is pack-manifest.json: the pack's identity, the SHA-256 of each of its files,
// and its case catalogue (ID, level, profile) so that a verifier without the pack can still
// check every MUST case is in the report.
type PackManifest struct {
	Name    string             `json:"name"`
	Version string             `json:"version"`
	SHA256  string             `json:"sha256"`
	Files   []specs.FileDigest `json:"files"`
	Cases   []certify.CaseRef  `json:"cases"`
}

// Manifest is manifest.json: every other file of the bundle (manifest.sig excepted) with its
// size and SHA-256, in bundle order. manifest.sig signs exactly its bytes.
type Manifest struct {
	Format string          `json:"format"`
	Files  []ManifestEntry `json:"files"`
}

// ManifestEntry is one file of the manifest.
type ManifestEntry struct {
	Name   string `json:"name"`
	Size   int    `json:"size"`
	SHA256 string `json:"sha256"`
}

// Signature is manifest.sig: the algorithm, the signer's public key and its fingerprint (so a
// reader sees who signed), and the signature of manifest.json in standard base64.
type Signature struct {
	Algorithm string `json:"algorithm"`
	// SignerID is the SM2 signer ID (SignerID); empty for Ed25519.
	SignerID    string `json:"signerId,omitempty"`
	PublicKey   string `json:"publicKey"`
	Fingerprint string `json:"fingerprint"`
	Signature   string `json:"signature"`
}

// ReportFile is one report of a run: its file name, the same in the output folder and in a
// bundle, and the writer that renders it.
type ReportFile struct {
	Name  string
	Write func(io.Writer, *reports.Report) error
}

// ReportFiles lists the reports of a run in the order `run` prints their paths and a bundle
// holds them: the one list both write from, so the folder and the bundle cannot differ.
func ReportFiles() []ReportFile {
	return []ReportFile{
		{FileReport, reports.WriteJSON}, {FileJUnit, reports.WriteJUnit}, {FileHTML, reports.WriteHTML},
		{FileHAR, reports.WriteHAR}, {FileSARIF, reports.WriteSARIF},
	}
}

// contents renders the bundle's files, without manifest and signature, in bundle order.
func contents(in Input) ([]File, error) {
	if in.Report == nil || in.Declaration == nil || in.Pack == nil {
		return nil, fmt.Errorf("bundle: report, declaration and pack are required")
	}
	var files []File
	for _, rf := range ReportFiles() {
		var buf bytes.Buffer
		if err := rf.Write(&buf, in.Report); err != nil {
			return nil, fmt.Errorf("bundle %s: %w", rf.Name, err)
		}
		files = append(files, File{Name: rf.Name, Data: buf.Bytes()})
	}
	red := in.Declaration.Redacted()
	decl, err := red.Encode()
	if err != nil {
		return nil, fmt.Errorf("bundle %s: %w", FileDeclaration, err)
	}
	files = append(files, File{Name: FileDeclaration, Data: decl})
	pm := PackManifest{Name: in.Pack.Manifest.Name, Version: in.Pack.Manifest.Version, SHA256: in.Pack.SHA256,
		Files: append([]specs.FileDigest{}, in.Pack.Files...), Cases: certify.CaseRefs(in.Pack)}
	for _, j := range []struct {
		name string
		v    any
	}{{FilePackManifest, pm}, {FileTool, in.Tool}} {
		data, err := marshal(j.v)
		if err != nil {
			return nil, fmt.Errorf("bundle %s: %w", j.name, err)
		}
		files = append(files, File{Name: j.name, Data: data})
	}
	return files, nil
}

// marshal is the one JSON form of the bundle's own files: indented, no HTML escaping, a final
// newline. verify re-encodes manifest.sig with it to refuse any non-canonical edit.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeStrict decodes JSON refusing unknown fields and trailing data.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("data after the JSON value")
	}
	return nil
}
