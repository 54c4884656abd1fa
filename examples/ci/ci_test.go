package ci

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// declarationFile is where the templates find the declaration: the GitHub workflow writes
// channel.yaml, GitLab's file variable is given the same name here.
const declarationFile = "channel.yaml"

// TestTemplatesRun is issue 12 finding 4: the CI templates cannot drift. Each file is parsed,
// its chanconf command lines are run (through cli.Main, as the binary would run them) against
// the embedded reference channel with the sandbox variables pointing at it, each must exit 0
// (the gate of a conformant channel), and every report the file uploads must exist.
func TestTemplatesRun(t *testing.T) {
	srv, decl := clitest.Reference(t, refchannel.Options{})
	data, err := os.ReadFile(decl)
	if err != nil {
		t.Fatal(err)
	}
	templates := map[string]func(string) (*Template, error){"github-actions.yml": LoadGitHub, "gitlab-ci.yml": LoadGitLab}
	vars := map[string]string{"SANDBOX_URL": srv.URL, "CHANNEL_DECLARATION": declarationFile}
	lookup := func(name string) (string, bool) { v, ok := vars[name]; return v, ok }
	work := t.TempDir()
	if err := os.WriteFile(filepath.Join(work, declarationFile), data, 0o600); err != nil {
		t.Fatal(err)
	}
	ran := map[string]bool{} // identical command lines run once: the pack takes seconds
	here, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for name, load := range templates {
		tpl, err := load(filepath.Join(here, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(tpl.Commands) == 0 || len(tpl.Uploads) == 0 || !tpl.Gated {
			t.Fatalf("%s: commands %q, uploads %q, gated %v: want a chanconf run, its reports uploaded, and its exit code gating the job",
				name, tpl.Commands, tpl.Uploads, tpl.Gated)
		}
		for _, line := range tpl.Commands {
			args, err := SplitWords(line, lookup)
			if err != nil || args[0] != "chanconf" {
				t.Fatalf("%s: %q: %v", name, line, err)
			}
			key := strings.Join(args, "\x00")
			if ran[key] {
				continue
			}
			ran[key] = true
			runIn(t, work, name, args[1:])
		}
		checkUploads(t, work, name, tpl.Uploads)
	}
}

// runIn runs chanconf with args in dir and fails unless it exits 0.
func runIn(t *testing.T, dir, name string, args []string) {
	t.Helper()
	t.Chdir(dir)
	ios, _, out, errOut := iostreams.Test()
	code := cli.Main(t.Context(), args, ios, func(string) string { return "" })
	if code != cmdutil.ExitConformant {
		t.Fatalf("%s: chanconf %s: exit %d against the conformant reference channel\n%s%s", name, strings.Join(args, " "), code, out, errOut)
	}
	if !strings.Contains(out.String(), "verdict: CONFORMANT") {
		t.Errorf("%s: stdout lacks the verdict:\n%s", name, out)
	}
}

// checkUploads fails unless every uploaded path exists, and the uploads cover the JUnit and
// SARIF reports (directly or through their folder).
func checkUploads(t *testing.T, dir, name string, uploads []string) {
	t.Helper()
	for _, u := range uploads {
		if _, err := os.Stat(filepath.Join(dir, u)); err != nil {
			t.Errorf("%s uploads %s, which the run did not write: %v", name, u, err)
		}
	}
	for _, report := range []string{"chanconf-reports/junit.xml", "chanconf-reports/findings.sarif"} {
		if !slices.ContainsFunc(uploads, func(u string) bool { return u == report || strings.HasPrefix(report, u) }) {
			t.Errorf("%s does not upload %s (uploads %q)", name, report, uploads)
		}
	}
}

// TestSplitWords: the shell-word splitter the test relies on, and what it refuses.
func TestSplitWords(t *testing.T) {
	lookup := func(name string) (string, bool) {
		return map[string]string{"A": "x y", "B": "b"}[name], name == "A" || name == "B"
	}
	tests := []struct {
		line    string
		want    []string
		wantErr bool
	}{
		{`chanconf run --target "$A" --out reports`, []string{"chanconf", "run", "--target", "x y", "--out", "reports"}, false},
		{`chanconf run '$A' ${B}c "${B}"`, []string{"chanconf", "run", "$A", "bc", "b"}, false},
		{`chanconf run || true`, nil, true},
		{`chanconf run; rm -rf reports`, nil, true},
		{`chanconf run --target "$UNSET"`, nil, true},
		{`chanconf run "unterminated`, nil, true},
	}
	for _, tt := range tests {
		got, err := SplitWords(tt.line, lookup)
		if (err != nil) != tt.wantErr || !slices.Equal(got, tt.want) {
			t.Errorf("SplitWords(%q) = %q, %v; want %q (error %v)", tt.line, got, err, tt.want, tt.wantErr)
		}
	}
}
