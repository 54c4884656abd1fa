package hostile

import "testing"

// BenchmarkPeakHeap reports the peak heap of the whole process (harness, proxy, reference
// channel) while a run faces each behaviour: go test -bench PeakHeap -benchtime 1x ./suites/hostile/
func BenchmarkPeakHeap(b *testing.B) {
	for _, sc := range scenarios() {
		b.Run(sc.behaviour, func(b *testing.B) {
			var peak uint64
			for range b.N {
				o := runThrough(b, sc.behaviour, sc.focus)
				peak = max(peak, o.peakHeap)
			}
			b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		})
	}
}
