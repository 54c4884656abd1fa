package runner

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// BenchmarkRunFutures runs 200 cases that each take 20 ms with 16 workers and with 1, and
// reports wall time over the critical path (ceil(200/concurrency) × 20 ms): 1.0 would be a
// perfect pool, the excess is ginkgo's and the pool's overhead.
func BenchmarkRunFutures(b *testing.B) {
	const cases, latency = 200, 20 * time.Millisecond
	for _, concurrency := range []int{16, 1} {
		b.Run(fmt.Sprintf("concurrency=%d", concurrency), func(b *testing.B) {
			fake := newFake(func(ctx context.Context, c *specs.Case) Outcome {
				select {
				case <-time.After(latency):
					return Outcome{State: reports.Pass}
				case <-ctx.Done():
					return Outcome{State: reports.Error, Message: ctx.Err().Error()}
				}
			})
			opts := baseOptions(testPack(numbered("B", cases)...), fake)
			opts.Concurrency = concurrency
			critical := time.Duration((cases+concurrency-1)/concurrency) * latency
			var total time.Duration
			runs := 0
			for b.Loop() {
				runs++
				start := time.Now()
				rep, err := Run(context.Background(), opts)
				total += time.Since(start)
				if err != nil || rep.Summary.Pass != cases {
					b.Fatalf("run: %v %+v", err, rep.Summary)
				}
			}
			b.ReportMetric(float64(total)/float64(runs)/float64(critical), "wall/critical")
		})
	}
}
