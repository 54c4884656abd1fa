package mutation

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// The sample that runs in go test: small enough to stay near a minute on two cores (one
// build for the whole sample, runs six at a time: a pack run mostly waits), large enough to
// cover every operator.
const (
	testSample    = 16
	testJobs      = 6
	testMinKilled = 6
)

// TestSampleCampaign runs a fixed, deterministic sample of mutants through the real engine:
// generation, one schemata build through -overlay, a pack run per mutant and the controls. It
// asserts real kills: the removed nonce-replay check (CAI-2.4) must be killed by a failing
// case, at least testMinKilled of the sample must be killed, and every control run of the
// unmutated code must be CONFORMANT. It needs the Go toolchain (go test has it).
func TestSampleCampaign(t *testing.T) {
	if testing.Short() {
		t.Skip("builds chanconf and runs the pack once per sampled mutant")
	}
	goCmd := filepath.Join(runtime.GOROOT(), "bin", "go")
	if _, err := exec.LookPath(goCmd); err != nil {
		goCmd = "go"
	}
	r, err := LoadReviewed(filepath.Join("..", "..", "..", filepath.FromSlash(EquivalentsFile)))
	if err != nil {
		t.Fatal(err)
	}
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	c, err := Run(ctx, Options{
		Toolchain: Toolchain{Go: goCmd, Root: root, Module: "github.com/chanconf/chanconf"},
		Reviewed:  r, Sample: testSample, Must: NonceReplayCheck, WorkDir: t.TempDir(),
		Run: RunOptions{Jobs: testJobs, Timeout: 2 * time.Minute, Seed: 1},
		Now: time.Now, Log: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	if err := WriteTable(&table, c); err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", table.String())
	if c.Unstable {
		t.Errorf("a control run of the unmutated code was not CONFORMANT: %+v", c.Controls)
	}
	nonce := false
	for _, m := range c.Mutants {
		if m.Func == "service.useNonce" && m.Operator == OpRemoveCheck {
			nonce = m.Status == StatusKilled && len(m.KilledBy) > 0
			t.Logf("nonce-replay check removed: %s %s by %v", m.Status, m.Verdict, m.KilledBy)
		}
	}
	if !nonce {
		t.Errorf("the mutant removing the nonce-replay check (CAI-2.4) was not killed by a failing case")
	}
	if c.Summary.Killed < testMinKilled {
		t.Errorf("%d of %d sampled mutants killed, want at least %d", c.Summary.Killed, c.Summary.Total, testMinKilled)
	}
	if n := c.Summary.Total - c.Summary.Equivalent; n != testSample {
		t.Errorf("%d mutants judged in the campaign, want the sample of %d", n, testSample)
	}
}
