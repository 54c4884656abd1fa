package cli

import (
	"bufio"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cli/clitest"
)

// buildChanconf builds the chanconf binary into a temporary directory.
func buildChanconf(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to build chanconf: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "chanconf")
	out, err := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, "github.com/chanconf/chanconf/cmd/chanconf").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// exitCode runs a finished command's error back into its exit status.
func exitCode(t *testing.T, err error) int {
	t.Helper()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &exit):
		return exit.ExitCode()
	}
	t.Fatalf("run chanconf: %v", err)
	return -1
}

// serveReference starts `chanconf serve-reference` and returns once it says it is serving.
func serveReference(t *testing.T, bin, addr, declOut string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve-reference", "--addr", addr, "--declaration-out", declOut)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	ready := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if strings.Contains(sc.Text(), "serving until interrupted") {
				ready <- nil
				_, _ = io.Copy(io.Discard, stderr)
				return
			}
		}
		ready <- errors.New("serve-reference ended before serving")
	}()
	select {
	case err := <-ready:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve-reference did not start within 30s")
	}
	return cmd
}

// TestBinaryServeReferenceAndRun is the README's "test your own channel" walk-through with the
// built binary: serve the reference channel in one process, certify it from another, then stop
// it and see the same run become INCOMPLETE.
func TestBinaryServeReferenceAndRun(t *testing.T) {
	bin := buildChanconf(t)
	addr := clitest.ClosedAddr(t)
	decl := filepath.Join(t.TempDir(), "reference.yaml")
	server := serveReference(t, bin, addr, decl)
	if info, err := os.Stat(decl); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("declaration not written with mode 0600: %v %v", info, err)
	}
	pack := clitest.MiniPack(t)
	run := func() (int, string) {
		cmd := exec.CommandContext(t.Context(), bin, "run", "--target", "https://"+addr+"/cai/v1", "--declaration", decl,
			"--pack", pack, "--out", t.TempDir())
		var stderr strings.Builder
		cmd.Stderr = &stderr
		return exitCode(t, cmd.Run()), stderr.String()
	}
	if code, stderr := run(); code != 0 {
		t.Fatalf("run against serve-reference: exit %d, want 0\n%s", code, stderr)
	}
	if err := server.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	if code := exitCode(t, server.Wait()); code != 0 {
		t.Errorf("serve-reference exited %d after SIGINT, want 0", code)
	}
	if code, stderr := run(); code != 3 {
		t.Fatalf("run against the stopped channel: exit %d, want 3\n%s", code, stderr)
	}
}
