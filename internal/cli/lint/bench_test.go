package lint

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// BenchmarkLintPerCase lints packs of 1 000, 10 000 and 100 000 copies of the health
// case and reports the time per case: equal figures mean lint is linear in the cases (issue 11 finding 9 and
// issue 13: a 100 000-case pack must lint in under 30 s).
//
//	go test ./internal/cli/lint -run '^$' -bench PerCase -benchtime 1x
func BenchmarkLintPerCase(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n, "-cases"), func(b *testing.B) {
			dir := clitest.BigPack(b, n)
			var total time.Duration
			for b.Loop() {
				ios, _, _, _ := iostreams.Test()
				start := time.Now()
				if err := Run(b.Context(), &Options{IO: ios, Dir: dir}); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
			}
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			b.ReportMetric(float64(total.Microseconds())/float64(b.N*(n+3)), "µs/case")
			b.ReportMetric(float64(ms.HeapSys>>20), "MiB-heap-sys")
		})
	}
}
