package bundle

import (
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/smx509"
)

func names(b *Bundle) []string {
	var out []string
	for _, f := range b.Files {
		out = append(out, f.Name)
	}
	return out
}

func problemsText(ps []Problem) string {
	var lines []string
	for _, p := range ps {
		lines = append(lines, p.String())
	}
	return strings.Join(lines, "\n")
}

func TestBuildVerifies(t *testing.T) {
	in := sampleInput(t)
	for _, alg := range []string{AlgSM2SM3, AlgEd25519} {
		t.Run(alg, func(t *testing.T) {
			key, pub := testKey(t, alg)
			_, b := build(t, in, key)
			want := []string{FileReport, FileJUnit, FileHTML, FileHAR, FileSARIF, FileDeclaration, FilePackManifest, FileTool, FileManifest, FileSignature}
			if got := names(b); !slices.Equal(got, want) {
				t.Errorf("files %v, want %v", got, want)
			}
			if ps := b.Verify(pub); len(ps) != 0 {
				t.Fatalf("a fresh bundle does not verify:\n%s", problemsText(ps))
			}
			sig, _ := b.ReadAll(FileSignature)
			if !strings.Contains(string(sig), `"algorithm": "`+alg+`"`) || !strings.Contains(string(sig), pub.Fingerprint()) {
				t.Errorf("manifest.sig:\n%s", sig)
			}
		})
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	in := sampleInput(t)
	for _, alg := range []string{AlgSM2SM3, AlgEd25519} {
		key, _ := testKey(t, alg)
		a, _ := build(t, in, key)
		b, _ := build(t, in, key)
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two bundles of the same inputs differ", alg)
		}
	}
	// The same report finished a minute later gives another zip (the time is in the headers).
	key, _ := testKey(t, AlgSM2SM3)
	a, _ := build(t, in, key)
	in.Report.FinishedAt = in.Report.FinishedAt.Add(60e9)
	b, _ := build(t, in, key)
	if bytes.Equal(a, b) {
		t.Error("the modification time does not reach the zip")
	}
}

func TestZipHeaders(t *testing.T) {
	in := sampleInput(t)
	key, _ := testKey(t, AlgSM2SM3)
	data, _ := build(t, in, key)
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if len(f.Extra) != 0 {
			t.Errorf("%s has extra fields %x", f.Name, f.Extra)
		}
		if got := f.Modified.Format("2006-01-02 15:04:05"); got != "2025-06-01 08:30:02" {
			t.Errorf("%s modified %s, want the report's end 2025-06-01 08:30:02 (two-second precision)", f.Name, got)
		}
	}
}

// TestEveryChangedByteIsNamed changes one byte at the start, middle and end of every file of a
// bundle and expects verification to fail naming that file.
func TestEveryChangedByteIsNamed(t *testing.T) {
	for _, alg := range []string{AlgSM2SM3, AlgEd25519} {
		in := sampleInput(t)
		key, pub := testKey(t, alg)
		_, b := build(t, in, key)
		loaded := loadAll(t, b)
		for i, f := range loaded {
			for _, at := range []int{0, len(f.Data) / 2, len(f.Data) - 1} {
				t.Run(fmt.Sprintf("%s/%s@%d", alg, f.Name, at), func(t *testing.T) {
					files := slices.Clone(loaded)
					changed := slices.Clone(f.Data)
					changed[at] ^= 0x01
					files[i] = File{Name: f.Name, Data: changed}
					tampered, err := Read(rezip(t, files))
					if err != nil {
						t.Fatal(err)
					}
					ps := tampered.Verify(pub)
					if len(ps) == 0 {
						t.Fatalf("changing byte %d of %s went unnoticed", at, f.Name)
					}
					if !strings.Contains(problemsText(ps), f.Name) {
						t.Errorf("problems do not name %s:\n%s", f.Name, problemsText(ps))
					}
				})
			}
		}
	}
}

func TestVerifyProblems(t *testing.T) {
	in := sampleInput(t)
	key, pub := testKey(t, AlgSM2SM3)
	_, otherPub := testKey(t, AlgSM2SM3)
	_, edPub := testKey(t, AlgEd25519)
	_, signed := build(t, in, key)
	_, unsigned := build(t, in, nil)
	without := func(name string) *Bundle {
		var fs []File
		for _, f := range signed.Files {
			if f.Name != name {
				fs = append(fs, f)
			}
		}
		return &Bundle{Files: fs}
	}
	tests := []struct {
		name string
		b    *Bundle
		pub  *PublicKey
		want string
	}{
		{"intact", signed, pub, ""},
		{"unsigned", unsigned, pub, "manifest.sig: missing: the bundle is not signed"},
		{"another key", signed, otherPub, "not by the given public key"},
		{"another algorithm", signed, edPub, "not by the given public key"},
		{"file added", &Bundle{Files: append(slices.Clone(signed.Files), File{Name: "extra.txt", Data: []byte("x")})}, pub,
			"extra.txt: not listed in manifest.json"},
		{"file removed", without(FileHAR), pub, "evidence.har: listed in manifest.json but missing"},
		{"manifest removed", without(FileManifest), pub, "manifest.json: missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problemsText(tt.b.Verify(tt.pub))
			if tt.want == "" && got != "" || !strings.Contains(got, tt.want) {
				t.Errorf("problems:\n%s\nwant %q", got, tt.want)
			}
		})
	}
}

func TestConsistency(t *testing.T) {
	key, pub := testKey(t, AlgEd25519)
	tests := []struct {
		name   string
		change func(in *Input)
		want   string
	}{
		{"report of another pack", func(in *Input) { in.Report.Pack.SHA256 = strings.Repeat("0", 64) }, "pack-manifest.json: pack chanconf-e2e"},
		{"tool of another build", func(in *Input) { in.Tool.Revision = "other" }, "tool.json: version v1.0.0 revision other"},
		{"pack file list changed", func(in *Input) { in.Pack.Files[0].SHA256 = strings.Repeat("1", 64) }, "is not the digest of its files"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := sampleInput(t)
			tt.change(&in)
			_, b := build(t, in, key)
			if got := problemsText(b.Verify(pub)); !strings.Contains(got, tt.want) {
				t.Errorf("problems:\n%s\nwant %q", got, tt.want)
			}
		})
	}
}

func TestDeclarationIsRedacted(t *testing.T) {
	in := sampleInput(t)
	_, b := build(t, in, nil)
	decl, _ := b.ReadAll(FileDeclaration)
	if !strings.Contains(string(decl), `dataKey: "[REDACTED]"`) || !strings.Contains(string(decl), `channelNo: "1000000001"`) {
		t.Errorf("declaration.yaml:\n%s", decl)
	}
	for _, f := range loadAll(t, b) {
		if strings.Contains(strings.ToLower(string(f.Data)), sampleDataKey) {
			t.Errorf("%s holds the data key", f.Name)
		}
	}
	if in.Declaration.Sandbox.DataKey != sampleDataKey {
		t.Error("Build changed the caller's declaration")
	}
}

func TestKeys(t *testing.T) {
	for _, alg := range []string{AlgSM2SM3, AlgEd25519} {
		key, pub := testKey(t, alg)
		kpub, err := key.Public()
		if err != nil || kpub.Fingerprint() != pub.Fingerprint() || key.Algorithm() != alg || pub.Algorithm() != alg {
			t.Errorf("%s: public half %v (%v)", alg, kpub, err)
		}
		if !strings.HasPrefix(pub.Fingerprint(), "SHA256:") || len(pub.Fingerprint()) != 7+64 {
			t.Errorf("fingerprint %q", pub.Fingerprint())
		}
	}
	if _, _, err := GenerateKey("RSA"); err == nil {
		t.Error("generated an RSA key")
	}
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := smx509.MarshalPKCS8PrivateKey(p256)
	pubDER, _ := smx509.MarshalPKIXPublicKey(&p256.PublicKey)
	tests := []struct {
		name string
		pem  []byte
		priv bool
		want string
	}{
		{"P-256 private key", pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), true, "bundles are signed with SM2 or Ed25519"},
		{"P-256 public key", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), false, "not on the SM2 curve"},
		{"no PEM", []byte("hello"), true, "no PEM block"},
		{"public key given as private", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), true, `"PRIVATE KEY"`},
		{"garbage DER", pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1, 2}}), false, "public key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.priv {
				_, err = ParseSigningKeyPEM(tt.pem)
			} else {
				_, err = ParsePublicKeyPEM(tt.pem)
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}

func TestReadRefusesDamage(t *testing.T) {
	key, _ := testKey(t, AlgSM2SM3)
	data, _ := build(t, sampleInput(t), key)
	tests := []struct {
		name string
		data []byte
	}{
		{"not a zip", []byte("PK nonsense")},
		{"truncated", data[:len(data)/2]},
		{"repeated name", rezip(t, []File{{Name: "a", Data: []byte("1")}, {Name: "a", Data: []byte("2")}})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Read(tt.data); err == nil {
				t.Error("read a damaged bundle")
			}
		})
	}
}
