package lint

import (
	"context"
	"testing"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// BenchmarkLintPerCase lints packs of 1 000, 10 000 and 100 000 copies of the health case and
// reports the time per case: equal figures mean lint is linear in the cases (issue 11 finding 9
// and issue 13: a 100 000-case pack must lint in under 30 s).
//
//	go test ./internal/cli/lint -run '^$' -bench PerCase -benchtime 1x
func BenchmarkLintPerCase(b *testing.B) {
	clitest.BenchPerCase(b, func(ctx context.Context, dir string) error {
		ios, _, _, _ := iostreams.Test()
		return Run(ctx, &Options{IO: ios, Dir: dir})
	})
}
