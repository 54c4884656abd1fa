//go:build linux

package runner

import (
	"bytes"
	"context"
	"io"
	"os"
	"syscall"
	"testing"

	"github.com/chanconf/chanconf/reports"
)

// captureFDs redirects the process's file descriptors 1 and 2 (what ginkgo's reporter holds,
// whatever os.Stdout is) to pipes while f runs and returns what was written to them.
func captureFDs(t *testing.T, f func()) (stdout, stderr string) {
	t.Helper()
	outs := make([]string, 2)
	restores := make([]func(), 2)
	dones := make([]chan struct{}, 2)
	for i, fd := range []int{1, 2} {
		saved, err := syscall.Dup(fd)
		if err != nil {
			t.Fatal(err)
		}
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Dup3(int(w.Fd()), fd, 0); err != nil {
			t.Fatal(err)
		}
		dones[i] = make(chan struct{})
		go func() {
			defer close(dones[i])
			var b bytes.Buffer
			_, _ = io.Copy(&b, r)
			outs[i] = b.String()
		}()
		restores[i] = func() {
			_ = syscall.Dup3(saved, fd, 0)
			_ = syscall.Close(saved)
			_ = w.Close()
		}
	}
	func() {
		defer func() {
			for _, r := range restores {
				r()
			}
		}()
		f()
	}()
	for _, d := range dones {
		<-d
	}
	return outs[0], outs[1]
}

// noisyOptions is a run whose ginkgo output would be long: failures, errors, warnings, skips.
func noisyOptions() Options {
	opts := baseOptions(testPack(tcase("N-1"), tcase("N-2"), tcase("N-3", should), tcase("N-4"), tcase("N-5", graphql)),
		newFake(fixedOutcomes(map[string]reports.State{"N-1": reports.Fail, "N-2": reports.Error, "N-3": reports.Warn, "N-4": reports.Skip})))
	opts.Target.Profiles = []string{"rest"}
	return opts
}

func TestRunWritesNothingToTheConsole(t *testing.T) {
	var rep *reports.Report
	var err error
	stdout, stderr := captureFDs(t, func() { rep, err = Run(context.Background(), noisyOptions()) })
	if err != nil {
		t.Fatal(err)
	}
	if stdout != "" || stderr != "" {
		t.Errorf("Run wrote to the console:\nstdout: %q\nstderr: %q", stdout, stderr)
	}
	if rep.Summary.Fail != 1 || rep.Summary.Error != 1 || rep.Summary.Warn != 1 || rep.Summary.Skip != 2 {
		t.Errorf("summary %+v", rep.Summary)
	}
}

// TestCaptureSeesGinkgo shows the capture works: the same run without silencing prints
// ginkgo's report to stdout.
func TestCaptureSeesGinkgo(t *testing.T) {
	tree, err := BuildTree(noisyOptions())
	if err != nil {
		t.Fatal(err)
	}
	stdout, _ := captureFDs(t, func() {
		_, err = tree.Execute(context.Background(), &recordingT{}, silentReporterConfig())
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains([]byte(stdout), []byte("N-1")) {
		t.Errorf("unsilenced ginkgo output not captured: %q", stdout)
	}
}
