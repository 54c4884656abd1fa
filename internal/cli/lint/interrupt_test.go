package lint

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// TestLintStopsWhenInterrupted is issue 11 finding 9: lint kept loading a 100 000-case pack for
// 40 s after SIGTERM. Run with a context cancelled before, or while, it loads a 20 000-case
// pack stops with exit 3 and says it was interrupted, without printing "pack OK".
func TestLintStopsWhenInterrupted(t *testing.T) {
	dir := clitest.BigPack(t, 20000)
	for _, after := range []time.Duration{0, 100 * time.Millisecond} {
		t.Run(fmt.Sprint("cancelled after ", after), func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			time.AfterFunc(after, func() { cancel(errors.New("terminated signal received")) })
			ios, _, out, errOut := iostreams.Test()
			done := make(chan error, 1)
			go func() { done <- Run(ctx, &Options{IO: ios, Dir: dir}) }()
			var err error
			select {
			case err = <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("lint did not stop after its context was cancelled")
			}
			if code := cmdutil.Classify(err); code != cmdutil.ExitIncomplete || strings.Contains(out.String(), "pack OK") ||
				!strings.Contains(errOut.String(), "loading the pack interrupted (terminated signal received)") {
				t.Errorf("exit %d (%v)\nstdout %.300s\nstderr %s", code, err, out, errOut)
			}
		})
	}
}
