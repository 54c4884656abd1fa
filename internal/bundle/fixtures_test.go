package bundle

import (
	"archive/zip"
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// sampleDataKey is the data key of the sample declaration: it must never reach a bundle.
const sampleDataKey = "00112233445566778899aabbccddeeff"

// testKey generates a signing key of alg and its public key.
func testKey(t testing.TB, alg string) (*SigningKey, *PublicKey) {
	t.Helper()
	privPEM, pubPEM, err := GenerateKey(alg)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseSigningKeyPEM(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	pub, err := ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	return k, pub
}

// miniPack loads the end-to-end test pack.
func miniPack(t testing.TB) *specs.Pack {
	t.Helper()
	p, err := cmdutil.LoadPack(cmdutil.PackSource{Dir: clitest.MiniPack(t)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// sampleDeclaration is the committed sample declaration.
func sampleDeclaration(t testing.TB) *cai.Declaration {
	t.Helper()
	d, err := cai.LoadDeclaration("../../fixtures/declaration.sample.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// sampleInput is a bundle input with a conformant report of the mini pack.
func sampleInput(t testing.TB) Input {
	t.Helper()
	p := miniPack(t)
	t0 := time.Date(2025, 6, 1, 8, 30, 0, 0, time.UTC)
	r := &reports.Report{
		SchemaVersion: reports.SchemaVersion,
		Tool:          reports.Tool{Name: "chanconf", Version: "v1.0.0", Revision: "abc", GoVersion: "go1.26.8"},
		Pack:          reports.PackRef{Name: p.Manifest.Name, Version: p.Manifest.Version, SHA256: p.SHA256},
		Target:        reports.Target{BaseURL: "https://127.0.0.1:8443/cai/v1", ChannelNo: "1000000001", Profiles: []string{"rest"}},
		Seed:          1, Concurrency: 4, StartedAt: t0, FinishedAt: t0.Add(3 * time.Second),
	}
	for _, c := range p.Cases {
		r.Cases = append(r.Cases, reports.Case{ID: c.ID, Title: c.Title, Level: string(c.Level), Profile: c.Profile,
			Suite: string(c.Suite), State: reports.Pass})
	}
	reports.Judge(r)
	tool := ToolFromBuild()
	tool.Version, tool.Revision, tool.GoVersion = r.Tool.Version, r.Tool.Revision, r.Tool.GoVersion
	return Input{Report: r, Declaration: sampleDeclaration(t), Pack: p, Tool: tool}
}

// build builds a bundle of in signed with key and reads it back.
func build(t testing.TB, in Input, key *SigningKey) ([]byte, *Bundle) {
	t.Helper()
	data, err := Build(in, key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Read(data)
	if err != nil {
		t.Fatal(err)
	}
	return data, b
}

// loadAll reads every file of b into memory.
func loadAll(t testing.TB, b *Bundle) []File {
	t.Helper()
	var out []File
	for _, f := range b.Files {
		data, err := f.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, File{Name: f.Name, Data: data})
	}
	return out
}

// rezip writes files as a plain zip (not through writeZip: the manifest is left as it is).
func rezip(t testing.TB, files []File) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(f.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// writeFile writes data to path.
func writeFile(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// readTestFile reads a file a test wrote.
func readTestFile(path string) ([]byte, error) { return os.ReadFile(path) }
