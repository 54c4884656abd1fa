package run

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/certify"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
)

// signingKey writes a fresh SM2 key pair into a temporary directory.
func signingKey(t *testing.T) (privPath string, pub *bundle.PublicKey) {
	t.Helper()
	privPEM, pubPEM, err := bundle.GenerateKey(bundle.AlgSM2SM3)
	if err != nil {
		t.Fatal(err)
	}
	privPath = filepath.Join(t.TempDir(), "signing.key.pem")
	if err := os.WriteFile(privPath, privPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	pub, err = bundle.ParsePublicKeyPEM(pubPEM)
	if err != nil {
		t.Fatal(err)
	}
	return privPath, pub
}

func TestValidateCertify(t *testing.T) {
	key, _ := signingKey(t)
	tests := []struct {
		name   string
		change func(*Options)
		want   string
	}{
		{"certify with a key", func(o *Options) { o.Certify, o.SignKey = true, key }, ""},
		{"certify without a key", func(o *Options) { o.Certify = true }, "--certify needs --sign-key FILE"},
		{"certify filtered", func(o *Options) { o.Certify, o.SignKey, o.Focus, o.LabelFilter = true, key, "SES", "smoke" },
			"remove --label-filter, --focus"},
		{"certify a broken reference channel", func(o *Options) {
			o.Certify, o.SignKey, o.ReferenceFaults = true, key, []string{"hsts-missing"}
		}, "remove --reference-fault"},
		{"certify waived", func(o *Options) { o.Certify, o.SignKey, o.Waivers = true, key, "w.yaml" }, "remove --waivers"},
		{"certify a re-run", func(o *Options) { o.Certify, o.SignKey, o.RerunFailed = true, key, "r.json" }, "remove --rerun-failed"},
		{"re-run with a focus", func(o *Options) { o.RerunFailed, o.Focus = "r.json", "X" }, "--rerun-failed selects the cases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, _, _ := testOptions(t)
			tt.change(opts)
			err := validate(opts)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || cmdutil.Classify(err) != cmdutil.ExitUsage):
				t.Fatalf("error %v, want a usage error containing %q", err, tt.want)
			}
		})
	}
}

// runMini runs the mini pack with change applied and returns the report read back, the
// console (stdout, then stderr, then the error) and the exit code.
func runMini(t *testing.T, change func(*Options)) (*reports.Report, string, string, cmdutil.ExitCode) {
	t.Helper()
	opts, stdout, stderr := testOptions(t)
	change(opts)
	err := Run(t.Context(), opts)
	code := cmdutil.Classify(err)
	console := stdout.String() + stderr.String() + errText(err)
	data, rerr := os.ReadFile(filepath.Join(opts.OutDir, "report.json"))
	if rerr != nil {
		return nil, opts.OutDir, console, code
	}
	rep, rerr := reports.ReadJSON(strings.NewReader(string(data)))
	if rerr != nil {
		t.Fatal(rerr)
	}
	return rep, opts.OutDir, console, code
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestRunCertify(t *testing.T) {
	key, pub := signingKey(t)
	rep, out, errOut, code := runMini(t, func(o *Options) { o.Certify, o.SignKey, o.Seed = true, key, 4 })
	if code != cmdutil.ExitConformant {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	b, err := bundle.ReadFile(filepath.Join(out, bundleFile))
	if err != nil {
		t.Fatal(err)
	}
	if ps := b.Verify(pub); len(ps) != 0 {
		t.Fatalf("the run's bundle does not verify: %v", ps)
	}
	inBundle, err := b.Report()
	if err != nil {
		t.Fatal(err)
	}
	onDisk, _ := os.ReadFile(filepath.Join(out, "report.json"))
	if got, _ := b.ReadAll(bundle.FileReport); string(got) != string(onDisk) {
		t.Error("the bundle's report.json differs from the one written beside it")
	}
	// The mini pack is not the embedded (approved) pack: the same decision in run and bundle.
	e := rep.Eligibility
	if e == nil || e.Certifiable || !strings.Contains(strings.Join(e.Reasons, "\n"), "is not approved by the policy") ||
		inBundle.Eligibility == nil || len(inBundle.Eligibility.Reasons) != len(e.Reasons) {
		t.Errorf("eligibility %+v", e)
	}
	if !strings.Contains(errOut, "certifiable: no\n  - pack chanconf-e2e 0.0.1") || !strings.Contains(errOut, "bundle.zip") {
		t.Errorf("console:\n%s", errOut)
	}
}

func TestRunBundleUnsignedAndBadKey(t *testing.T) {
	_, out, errOut, code := runMini(t, func(o *Options) { o.Bundle = true })
	if code != cmdutil.ExitConformant {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	b, err := bundle.ReadFile(filepath.Join(out, bundleFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, signed := b.Lookup(bundle.FileSignature); signed {
		t.Error("--bundle without --sign-key signed the bundle")
	}
	// Issue 12 finding 8: run said "certifiable: yes" here, verify "no". Now both say no, why.
	if !strings.Contains(errOut, "certifiable: no\n") || !strings.Contains(errOut, certify.ReasonUnsigned) {
		t.Errorf("an unsigned bundle is not certifiable, and run must say why:\n%s", errOut)
	}
	bad := filepath.Join(t.TempDir(), "bad.pem")
	if err := os.WriteFile(bad, []byte("not a key"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, out, errOut, code = runMini(t, func(o *Options) { o.SignKey = bad })
	if code != cmdutil.ExitUsage || !strings.Contains(errOut, "--sign-key") {
		t.Errorf("a bad key: exit %d\n%s", code, errOut)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Errorf("a refused run wrote %v", entries)
	}
}

func TestRunWaivers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "waivers.yaml")
	text := "- {id: SEC-HDR-901, reason: CDN strips it, approver: Li Na, expires: 2099-12-31}\n" +
		"- {id: FUN-HLT-901, reason: old, approver: Li Na, expires: 2001-01-01}\n"
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, _, errOut, code := runMini(t, func(o *Options) {
		o.Waivers, o.ReferenceFaults = path, []string{"cache-control-missing"}
	})
	if code != cmdutil.ExitNonconformant {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	states := map[string]reports.State{}
	for _, c := range rep.Cases {
		states[c.ID] = c.State
	}
	if states["SEC-HDR-901"] != reports.Waived || states["FUN-HLT-901"] != reports.Fail || rep.Filters.Waivers != path {
		t.Errorf("states %v, filters %+v", states, rep.Filters)
	}
	for _, want := range []string{"warning: " + path + ":2: waiver for FUN-HLT-901 expired on 2001-01-01 and is ignored",
		"waivers were applied (" + path + "): SEC-HDR-901"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("console lacks %q:\n%s", want, errOut)
		}
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte("- {id: nope}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, _, errOut, code := runMini(t, func(o *Options) { o.Waivers = bad }); code != cmdutil.ExitUsage || !strings.Contains(errOut, "reason is required") {
		t.Errorf("a bad waiver file: exit %d\n%s", code, errOut)
	}
}

func TestRunRerunFailed(t *testing.T) {
	_, firstOut, errOut, code := runMini(t, func(o *Options) { o.ReferenceFaults, o.Bundle = []string{"cache-control-missing"}, true })
	if code != cmdutil.ExitNonconformant {
		t.Fatalf("first run: exit %d\n%s", code, errOut)
	}
	first := filepath.Join(firstOut, "report.json")
	rep, _, errOut, code := runMini(t, func(o *Options) { o.RerunFailed = first })
	if code != cmdutil.ExitConformant {
		t.Fatalf("re-run: exit %d\n%s", code, errOut)
	}
	if rep.Filters.RerunOf != first || rep.Filters.Focus != "" {
		t.Errorf("filters %+v", rep.Filters)
	}
	retried := 0
	for _, c := range rep.Cases {
		if len(c.Attempts) == 1 && c.Attempts[0].State == reports.Fail && c.State == reports.Pass {
			retried++
		}
	}
	if retried != rep.Summary.Total || retried == 0 {
		t.Errorf("%d of %d cases carry the earlier FAIL attempt", retried, rep.Summary.Total)
	}
	if !strings.Contains(errOut, "certifiable: no") || !strings.Contains(errOut, "merges a re-run of "+first) {
		t.Errorf("console:\n%s", errOut)
	}
	// The bundle of the first run holds the same report: it can be re-run as well.
	zipped := filepath.Join(firstOut, bundleFile)
	if rep, _, errOut, code := runMini(t, func(o *Options) { o.RerunFailed = zipped }); code != cmdutil.ExitConformant || rep.Filters.RerunOf != zipped {
		t.Errorf("re-run of a bundle: exit %d\n%s", code, errOut)
	}
	clean := filepath.Join(t.TempDir(), "report.json")
	data, _ := os.ReadFile(first)
	passed := strings.ReplaceAll(string(data), `"state": "FAIL"`, `"state": "PASS"`)
	if err := os.WriteFile(clean, []byte(passed), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(t.TempDir(), "report.json")
	if err := os.WriteFile(other, []byte(strings.Replace(string(data), `"channelNo": "1000000001"`, `"channelNo": "2000000002"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, arg, want string }{
		{"nothing failed", clean, "nothing to re-run"},
		{"missing report", filepath.Join(t.TempDir(), "none.json"), "no such file"},
		// Regression: another channel's report was refused only after the whole re-run.
		{"another channel's report", other, "is a report of channel 2000000002, not of this channel 1000000001"},
	}
	for _, tt := range tests {
		_, outDir, errOut, code := runMini(t, func(o *Options) { o.RerunFailed = tt.arg })
		if code != cmdutil.ExitUsage || !strings.Contains(errOut, "--rerun-failed") || !strings.Contains(errOut, tt.want) {
			t.Errorf("%s: exit %d\n%s", tt.name, code, errOut)
		}
		if entries, _ := os.ReadDir(outDir); len(entries) != 0 {
			t.Errorf("%s: a refused re-run wrote %v", tt.name, entries)
		}
	}
}
