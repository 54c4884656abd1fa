package clitest

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// BenchPerCase runs one command over packs of 1 000, 10 000 and 100 000 copies of the health
// case (BigPack) and reports the time per case and the heap: equal per-case figures mean the
// command is linear in the cases (issue 11 finding 9, issue 13). run gets the pack's folder.
func BenchPerCase(b *testing.B, run func(ctx context.Context, dir string) error) {
	for _, n := range []int{1000, 10000, 100000} {
		b.Run(fmt.Sprint(n, "-cases"), func(b *testing.B) {
			dir := BigPack(b, n)
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				if err := run(b.Context(), dir); err != nil {
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
