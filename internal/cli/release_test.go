package cli

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cli/clitest"
)

// TestReleaseBuildIsStamped is issue 12 finding 4: a build said "(devel)", which the SARIF
// validator warns about and no policy can approve. scripts/release.sh (what `make release`
// runs) stamps the version and revision; `chanconf version` and the SARIF tool.driver.version
// of a run then name them.
func TestReleaseBuildIsStamped(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no POSIX shell to run scripts/release.sh")
	}
	bin := filepath.Join(t.TempDir(), "chanconf")
	build := exec.CommandContext(t.Context(), "sh", "../../scripts/release.sh", bin)
	build.Env = append(build.Environ(), "VERSION=v9.9.9-test")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("scripts/release.sh: %v\n%s", err, out)
	}
	out, err := exec.CommandContext(t.Context(), bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "chanconf v9.9.9-test (revision ") {
		t.Fatalf("chanconf version: %q (%v)", out, err)
	}
	if _, err := exec.LookPath("git"); err == nil && strings.Contains(string(out), "revision unknown") {
		t.Errorf("a release build in a git checkout names no revision: %s", out)
	}
	dir := t.TempDir()
	run := exec.CommandContext(t.Context(), bin, "run", "--pack", clitest.MiniPack(t), "--focus", "^FUN-HLT-901$", "--out", dir, "--quiet")
	if err := run.Run(); exitCode(t, err) != 5 {
		t.Fatalf("a filtered run that passed: exit %d, want 5", exitCode(t, err))
	}
	data, err := os.ReadFile(filepath.Join(dir, "findings.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Version string `json:"version"`
				} `json:"driver"`
			} `json:"tool"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &sarif); err != nil || len(sarif.Runs) != 1 || sarif.Runs[0].Tool.Driver.Version != "v9.9.9-test" {
		t.Errorf("findings.sarif tool.driver: %+v (%v), want version v9.9.9-test", sarif.Runs, err)
	}
}
