package list

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// TestListStopsWhenInterrupted is issue 11 finding 9 for list: Run with its context cancelled
// while it loads a 20 000-case pack stops with exit 3 and lists nothing.
func TestListStopsWhenInterrupted(t *testing.T) {
	dir := clitest.BigPack(t, 20000)
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	time.AfterFunc(100*time.Millisecond, func() { cancel(errors.New("interrupt signal received")) })
	ios, _, out, errOut := iostreams.Test()
	done := make(chan error, 1)
	go func() { done <- Run(ctx, &Options{IO: ios, PackDir: dir, Format: "table"}) }()
	var err error
	select {
	case err = <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("list did not stop after its context was cancelled")
	}
	if code := cmdutil.Classify(err); code != cmdutil.ExitIncomplete || out.Len() != 0 ||
		!strings.Contains(errOut.String(), "interrupted (interrupt signal received)") {
		t.Errorf("exit %d (%v)\nstdout %.300s\nstderr %s", code, err, out, errOut)
	}
}

// TestListLargePack: a 3 000-case pack lists every case (the ginkgo preview this replaced grew
// with the square of the cases in one container).
func TestListLargePack(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	if err := Run(t.Context(), &Options{IO: ios, PackDir: clitest.BigPack(t, 3000), Format: "table", LabelFilter: "big"}); err != nil {
		t.Fatal(err)
	}
	if lines := strings.Count(out.String(), "\n"); lines != 3001 {
		t.Errorf("%d lines, want a header and 3000 cases", lines)
	}
}
