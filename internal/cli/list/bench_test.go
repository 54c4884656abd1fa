package list

import (
	"context"
	"testing"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// BenchmarkListPerCase lists packs of 1 000, 10 000 and 100 000 copies of the health case and
// reports the time per case: equal figures mean list is linear in the cases (issue 11 finding 9:
// a 100 000-case pack took more than 300 s when ginkgo previewed the tree).
//
//	go test ./internal/cli/list -run '^$' -bench PerCase -benchtime 1x
func BenchmarkListPerCase(b *testing.B) {
	clitest.BenchPerCase(b, func(ctx context.Context, dir string) error {
		ios, _, _, _ := iostreams.Test()
		return Run(ctx, &Options{IO: ios, PackDir: dir, Format: "table"})
	})
}
