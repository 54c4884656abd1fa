package run

import (
	"archive/zip"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cmdutil"
)

// The post-write scan refuses a run whose outputs hold a secret it met, naming the file and
// never the value (issue 11 finding 11: tested by planting one).
func TestScanOutputsFindsPlantedSecret(t *testing.T) {
	const secret = "s3ss10n-PLANTED-9QhZk2Lr7mXw4TbV1yPc"
	const secret2 = "key/PLANTED+<9QhZk2Lr7mXw4TbV1yPc>=="
	dir := t.TempDir()
	clean := filepath.Join(dir, "report.json")
	write(t, clean, `{"message":"[REDACTED]"}`)
	tests := []struct {
		name, file, content, want string
	}{
		{"verbatim", "evidence.har", `{"text":"` + secret + `"}`, "evidence.har"},
		{"query escaped", "report.html", "<a href='?t=" + url.QueryEscape(secret2) + "'>", "report.html"},
		{"json escaped", "report.json", `{"a":"` + strings.NewReplacer("<", `\u003c`, ">", `\u003e`).Replace(secret2) + `"}`, "report.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), tt.file)
			write(t, p, tt.content)
			err := scanOutputs([]string{clean, p}, []string{"short", secret, secret2})
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), secret) {
				t.Fatalf("got %v, want an error naming %s without the value", err, tt.want)
			}
			if code := cmdutil.Classify(err); code != cmdutil.ExitInternal {
				t.Errorf("exit %d, want %d", code, cmdutil.ExitInternal)
			}
		})
	}
	bundle := filepath.Join(dir, "bundle.zip")
	f, err := os.Create(bundle)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	w, _ := zw.Create("evidence.har")
	_, _ = w.Write([]byte("x" + secret + "x"))
	_ = zw.Close()
	_ = f.Close()
	if err := scanOutputs([]string{bundle}, []string{secret}); err == nil || !strings.Contains(err.Error(), "bundle.zip:evidence.har") {
		t.Errorf("bundle entry: got %v", err)
	}
	if err := scanOutputs([]string{clean, bundle}, []string{"another-secret-value"}); err != nil {
		t.Errorf("clean outputs: %v", err)
	}
}

func write(t *testing.T, p, s string) {
	t.Helper()
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
}

// A clean run of the token-heavy cases (SEC-ABU-001 alone created 21 sessions left in clear on
// a27e0d8) writes no session token, key or data key in clear in any output, bundle included:
// the post-write scan passes (no exit 4) and the outputs hold no unredacted token member.
func TestCleanRunLeavesNoSecret(t *testing.T) {
	opts, _, _ := testOptions(t)
	opts.PackDir = "" // the embedded pack, against the embedded reference channel
	opts.Focus = `^(FUN-SES-001|FUN-GQL-001|SEC-ABU-001|SEC-HDR-001)$`
	opts.Quiet, opts.Bundle = true, true
	err := Run(t.Context(), opts)
	if code := cmdutil.Classify(err); code != cmdutil.ExitPartial {
		t.Fatalf("exit %d (%v), want %d", code, err, cmdutil.ExitPartial)
	}
	har, err := os.ReadFile(filepath.Join(opts.OutDir, "evidence.har"))
	if err != nil || strings.Count(string(har), `"sessionToken`) < 20 {
		t.Fatalf("the run should have created over 20 sessions (err %v)", err)
	}
	clear := regexp.MustCompile(`(sessionToken|realNameToken|faceToken)\\?"\s*:\s*\\?"[^\[\\"]`)
	for _, leak := range []string{`"sessionToken":"abc"`, `{\"faceToken\": \"abc`} {
		if !clear.MatchString(leak) {
			t.Fatalf("the leak pattern misses %s", leak)
		}
	}
	if clear.MatchString(`"sessionToken":"[REDACTED]"`) {
		t.Fatal("the leak pattern matches a redacted token")
	}
	for _, name := range []string{"evidence.har", "report.json", "report.html", "junit.xml", "findings.sarif"} {
		data, err := os.ReadFile(filepath.Join(opts.OutDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if m := clear.Find(data); m != nil {
			t.Errorf("%s holds a token in clear: %.40s...", name, m)
		}
	}
}
