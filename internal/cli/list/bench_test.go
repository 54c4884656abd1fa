package list

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// BenchmarkListPerCase lists packs of 1 000, 10 000 and 100 000 copies of the health
// case and reports the time per case: equal figures mean list is linear in the cases
// (issue 11 finding 9: a 100 000-case pack took more than 300 s when ginkgo previewed
// the tree).
//
//	go test ./internal/cli/list -run '^$' -bench PerCase -benchtime 1x
func BenchmarkListPerCase(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n, "-cases"), func(b *testing.B) {
			dir := clitest.BigPack(b, n)
			var total time.Duration
			for b.Loop() {
				ios, _, _, _ := iostreams.Test()
				start := time.Now()
				if err := Run(b.Context(), &Options{IO: ios, PackDir: dir, Format: "table"}); err != nil {
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
