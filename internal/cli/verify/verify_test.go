package verify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/certify"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/internal/waivers"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
	"github.com/chanconf/chanconf/suites/runner"
)

// fixture is a mini pack on disk and a signing key pair.
type fixture struct {
	packDir string
	pack    *specs.Pack
	key     *bundle.SigningKey
	pubPath string
	dir     string
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	packDir := clitest.MiniPack(t)
	p, err := cmdutil.LoadPack(cmdutil.PackSource{Dir: packDir})
	if err != nil {
		t.Fatal(err)
	}
	privPEM, pubPEM, err := bundle.GenerateKey(bundle.AlgSM2SM3)
	if err != nil {
		t.Fatal(err)
	}
	key, err := bundle.ParseSigningKeyPEM(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	pubPath := filepath.Join(dir, "pub.pem")
	if err := os.WriteFile(pubPath, pubPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	return &fixture{packDir: packDir, pack: p, key: key, pubPath: pubPath, dir: dir}
}

// run runs the mini pack against a reference channel with faults, selecting focus.
func (f *fixture) run(t *testing.T, focus string, faults ...string) bundle.Input {
	t.Helper()
	ctx := context.Background()
	tgt, err := essc.Open(ctx, essc.TargetOptions{Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	exec, err := engine.New(engine.Options{Pack: f.pack, Platform: tgt.Platform, BaseURL: tgt.BaseURL, TLS: tgt.TLS,
		Profiles: tgt.Declaration.Profiles, RunID: "verify-test", Seed: 3, Probes: cmdutil.Probes(tgt.Platform)})
	if err != nil {
		t.Fatal(err)
	}
	defer exec.CloseIdleConnections()
	d := tgt.Declaration
	tool := reports.Tool{Name: "chanconf", Version: "v1.0.0", Revision: "r", GoVersion: "go"}
	rep, err := runner.Run(ctx, runner.Options{Pack: f.pack, Runner: exec, Seed: 3, Tool: tool, Focus: focus,
		Target: reports.Target{BaseURL: tgt.BaseURL.String(), ChannelNo: d.ChannelNo, Name: d.Name, Profiles: d.Profiles,
			Reference: tgt.Reference, Faults: tgt.Faults}})
	if err != nil {
		t.Fatal(err)
	}
	bt := bundle.ToolFromBuild()
	bt.Version, bt.Revision, bt.GoVersion = tool.Version, tool.Revision, tool.GoVersion
	return bundle.Input{Report: rep, Declaration: d, Pack: f.pack, Tool: bt}
}

// writeUnsigned writes the unsigned bundle of in (`run --bundle` without a key), with the
// eligibility run records for it, and returns its path.
func (f *fixture) writeUnsigned(t *testing.T, name string, in bundle.Input) string {
	t.Helper()
	e := certify.Evaluate(certify.Input{Report: in.Report, Cases: certify.CaseRefs(f.pack),
		Policy: certify.DefaultPolicy(in.Report.Pack), Evidence: certify.UnsignedBundle})
	in.Report.Eligibility = &e
	if e.Certifiable || !slices.Contains(e.Reasons, certify.ReasonUnsigned) {
		t.Fatalf("run's decision for an unsigned bundle: %+v", e)
	}
	data, err := bundle.Build(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, name+".zip")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// write writes the bundle of in, with eligibility as run would record it, and returns its path.
func (f *fixture) write(t *testing.T, name string, in bundle.Input) string {
	t.Helper()
	e := certify.Evaluate(certify.Input{Report: in.Report, Cases: certify.CaseRefs(f.pack),
		Policy: certify.DefaultPolicy(in.Report.Pack), Evidence: certify.SignedBundle})
	in.Report.Eligibility = &e
	data, err := bundle.Build(in, f.key)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(f.dir, name+".zip")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// policy approves the mini pack.
func (f *fixture) policy(t *testing.T) string {
	t.Helper()
	path := filepath.Join(f.dir, "policy.yaml")
	text := fmt.Sprintf("approvedPacks:\n  - {name: %s, version: %s, sha256: %s}\n", f.pack.Manifest.Name, f.pack.Manifest.Version, f.pack.SHA256)
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func verify(t *testing.T, opts Options) (string, cmdutil.ExitCode) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	opts.IO = ios
	if opts.PackFS == nil {
		opts.PackFS, opts.PackRoot = esscv1.FS, esscv1.Root
	}
	err := Run(&opts)
	return out.String() + errOut.String(), cmdutil.Classify(err)
}

func TestRunVerify(t *testing.T) {
	f := newFixture(t)
	clean := f.write(t, "clean", f.run(t, ""))
	filtered := f.write(t, "filtered", f.run(t, "HLT"))
	faulty := f.run(t, "", "cache-control-missing")
	faultyPath := f.write(t, "faulty", faulty)

	waived := f.run(t, "", "cache-control-missing")
	wf, err := waivers.Parse("waivers.yaml", []byte("- {id: SEC-HDR-901, reason: CDN, approver: Li Na, expires: 2099-12-31}\n"))
	if err != nil {
		t.Fatal(err)
	}
	wf.Apply(waived.Report, time.Now())
	waivedPath := f.write(t, "waived", waived)

	again := f.run(t, "^SEC-HDR-901$")
	merged, err := reports.Merge(faulty.Report, again.Report, "faulty/report.json")
	if err != nil {
		t.Fatal(err)
	}
	rerun := again
	rerun.Report = merged
	rerunPath := f.write(t, "rerun", rerun)

	unsigned := f.writeUnsigned(t, "unsigned", f.run(t, ""))
	policy := f.policy(t)
	tests := []struct {
		name     string
		opts     Options
		wantCode cmdutil.ExitCode
		want     []string
	}{
		// Issue 12 finding 8: run said "certifiable: yes" for this bundle. Both now say no, alike.
		{"unsigned", Options{Bundle: unsigned, Policy: policy}, 1, []string{"certifiable: no\n  - " + certify.ReasonUnsigned + "\n"}},
		{"certifiable with a policy", Options{Bundle: clean, Policy: policy}, 0,
			[]string{"certifiable: yes", "note: the case catalogue was taken from the bundle's pack-manifest.json"}},
		{"certifiable with the pack", Options{Bundle: clean, Policy: policy, PackDir: f.packDir}, 0, []string{"certifiable: yes", "verdict:     CONFORMANT"}},
		{"pack not approved by default", Options{Bundle: clean}, 1, []string{"certifiable: no", "pack chanconf-e2e 0.0.1", "is not approved by the policy"}},
		{"filtered", Options{Bundle: filtered, Policy: policy}, 1, []string{"certifiable: no", `a filter was applied (--focus "HLT")`}},
		{"waived", Options{Bundle: waivedPath, Policy: policy}, 1, []string{"certifiable: no", "waivers were applied (waivers.yaml): SEC-HDR-901"}},
		{"re-run", Options{Bundle: rerunPath, Policy: policy}, 1, []string{"certifiable: no", "merges a re-run of faulty/report.json"}},
		{"faulty reference channel", Options{Bundle: faultyPath, Policy: policy}, 1,
			[]string{"certifiable: no", "reference channel with fault switches on: cache-control-missing", "SEC-HDR-901 (FAIL)"}},
		{"pack given is another", Options{Bundle: clean, Policy: policy, PackDir: clitest.BrokenPack(t)}, 2, []string{"unknown clause"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.PubKey = f.pubPath
			out, code := verify(t, tt.opts)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s", code, tt.wantCode, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	// The run recorded the same decision in report.json as verify makes (same function).
	if e := waived.Report.Eligibility; e == nil || e.Certifiable || !strings.Contains(strings.Join(e.Reasons, "\n"), "waivers were applied") {
		t.Errorf("recorded eligibility %+v", e)
	}
}

func TestRunVerifyRefuses(t *testing.T) {
	f := newFixture(t)
	clean := f.write(t, "clean", f.run(t, ""))
	data, err := os.ReadFile(clean)
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	_, otherPub, err := bundle.GenerateKey(bundle.AlgEd25519)
	if err != nil {
		t.Fatal(err)
	}
	otherPubPath := filepath.Join(f.dir, "other.pem")
	notZip := filepath.Join(f.dir, "not.zip")
	badPolicy := filepath.Join(f.dir, "bad-policy.yaml")
	for path, content := range map[string][]byte{otherPubPath: otherPub, notZip: []byte("not a zip"), badPolicy: []byte("approvedPacks: []\n")} {
		if err := os.WriteFile(path, content, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// A tampered copy: report.json with a changed byte, the rest as signed.
	var files []bundle.File
	for _, bf := range b.Files {
		d, err := bf.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if bf.Name == bundle.FileReport {
			d[len(d)/2] ^= 1
		}
		files = append(files, bundle.File{Name: bf.Name, Data: d})
	}
	flipped := filepath.Join(f.dir, "flipped.zip")
	flip := append([]byte{}, data...)
	flip[len(flip)/3] ^= 0x10
	if err := os.WriteFile(flipped, flip, 0o644); err != nil {
		t.Fatal(err)
	}
	tampered := filepath.Join(f.dir, "tampered.zip")
	if err := writeZip(tampered, files); err != nil {
		t.Fatal(err)
	}
	policy := f.policy(t)
	tests := []struct {
		name     string
		opts     Options
		wantCode cmdutil.ExitCode
		want     string
	}{
		{"tampered", Options{Bundle: tampered, PubKey: f.pubPath, Policy: policy}, 1, "report.json: content changed"},
		{"another signer", Options{Bundle: clean, PubKey: otherPubPath, Policy: policy}, 1, "not by the given public key"},
		// Issue 12 finding 9: a damaged bundle is not certifiable (1), not unreadable input (2).
		{"not a zip", Options{Bundle: notZip, PubKey: f.pubPath}, 1, "not a readable zip"},
		{"a byte flipped", Options{Bundle: flipped, PubKey: f.pubPath, Policy: policy}, 1, "damaged bundle"},
		{"missing bundle", Options{Bundle: filepath.Join(f.dir, "none.zip"), PubKey: f.pubPath}, 2, ""},
		{"unreadable key", Options{Bundle: clean, PubKey: notZip}, 2, ""},
		{"bad policy", Options{Bundle: clean, PubKey: f.pubPath, Policy: badPolicy}, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			tt.opts.IO, tt.opts.PackFS, tt.opts.PackRoot = ios, esscv1.FS, esscv1.Root
			err := Run(&tt.opts)
			if cmdutil.Classify(err) != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d\n%s", cmdutil.Classify(err), err, tt.wantCode, out)
			}
			text := out.String()
			if err != nil {
				text += err.Error()
			}
			if !strings.Contains(text, tt.want) {
				t.Errorf("output lacks %q:\n%s", tt.want, text)
			}
		})
	}
}

func TestNewCmdVerify(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"ok", []string{"b.zip", "--pubkey", "k.pem", "--policy", "p.yaml"}, ""},
		{"no pubkey", []string{"b.zip"}, "--pubkey FILE is required"},
		{"no bundle", []string{"--pubkey", "k.pem"}, "accepts 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := clitest.ParseArgs(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Bundle != "b.zip" || got.PubKey != "k.pem" || got.Policy != "p.yaml" {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}
