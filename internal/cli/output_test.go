package cli

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/suites/essc"
)

// faultRun runs the mini pack against a channel with a fault, so the console has FAIL lines,
// a summary table and a verdict, all of which are coloured on a terminal.
func faultRun(t *testing.T, terminal bool) result {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	ios.SetTerminal(terminal, terminal)
	res := runMain(t.Context(), ios, out, errOut, "run", "--pack", clitest.MiniPack(t), "--out", t.TempDir(),
		"--reference-fault", "cache-control-missing")
	if res.code != cmdutil.ExitNonconformant {
		t.Fatalf("exit %d, want 1\n%s", res.code, res.errOut)
	}
	return res
}

// TestNoANSIOutsideTerminal: piped output (CI logs, files) carries no escape sequences and no
// redrawn progress line; the same run on a terminal does, which shows the check can fail.
func TestNoANSIOutsideTerminal(t *testing.T) {
	piped := faultRun(t, false)
	for name, s := range map[string]string{"stdout": piped.out, "stderr": piped.errOut} {
		if strings.Contains(s, "\x1b[") || strings.Contains(s, "\r") {
			t.Errorf("non-terminal %s has escape sequences or carriage returns:\n%q", name, s)
		}
	}
	if !strings.Contains(piped.errOut, "SEC-HDR-901\tFAIL\t") {
		t.Errorf("non-terminal stderr lacks the stable ID<TAB>STATE<TAB>message line:\n%s", piped.errOut)
	}
	tty := faultRun(t, true)
	if !strings.Contains(tty.errOut, "\x1b[") || !strings.Contains(tty.out, "\x1b[") {
		t.Errorf("terminal output has no colour, so the check above proves nothing:\n%q\n%q", tty.out, tty.errOut)
	}
}

// secretForms returns every text form of the run's secrets that must never be written: the
// declaration's data key (hex in both cases, base64) and the platform's own secrets (keys).
func secretForms(t *testing.T, declPath string) []string {
	t.Helper()
	key := clitest.DataKey()
	forms := []string{
		hex.EncodeToString(key), strings.ToUpper(hex.EncodeToString(key)),
		base64.StdEncoding.EncodeToString(key), base64.RawStdEncoding.EncodeToString(key),
		base64.RawURLEncoding.EncodeToString(key),
	}
	target, err := essc.Open(t.Context(), essc.TargetOptions{URL: "https://127.0.0.1:1/cai/v1", DeclarationPath: declPath})
	if err != nil {
		t.Fatalf("open the declaration: %v", err)
	}
	defer target.Close()
	return append(forms, target.Platform.Secrets()...)
}

// leaks returns "where: secret" for every secret form found in the texts.
func leaks(texts map[string][]byte, secrets []string) []string {
	var found []string
	for where, text := range texts {
		for _, s := range secrets {
			if s != "" && bytes.Contains(text, []byte(s)) {
				found = append(found, where+": "+s)
			}
		}
	}
	return found
}

// TestSecretsNeverWritten plants a known data key in the declaration of a channel, runs a case
// that seals personal data with it, and greps the console and every report file for it (and
// for the harness's private keys).
func TestSecretsNeverWritten(t *testing.T) {
	srv, decl := clitest.Reference(t, refchannel.Options{})
	out := t.TempDir()
	res := chanconf(t, t.Context(), "run", "--pack", clitest.MiniPack(t), "--out", out, "--target", srv.URL,
		"--declaration", decl, "--verbose")
	if res.code != cmdutil.ExitConformant {
		t.Fatalf("exit %d, want 0\n%s", res.code, res.errOut)
	}
	texts := map[string][]byte{"stdout": []byte(res.out), "stderr": []byte(res.errOut)}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		texts[p] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(texts) != 2+len(reportNames()) {
		t.Fatalf("scanned %d outputs, want the console and %d report files", len(texts), len(reportNames()))
	}
	secrets := secretForms(t, decl)
	if found := leaks(texts, secrets); len(found) > 0 {
		t.Errorf("secrets written:\n%s", strings.Join(found, "\n"))
	}
	// The scan finds a planted secret, so its silence above means something.
	declText, err := os.ReadFile(decl)
	if err != nil {
		t.Fatal(err)
	}
	if found := leaks(map[string][]byte{"declaration": declText}, secrets); len(found) == 0 {
		t.Error("the scan does not find the data key in the declaration that holds it")
	}
}
