package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/specs"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// benchLatency is the reference channel's added latency in BenchmarkFullRun: enough that the
// run is bound by waiting on the network, as against a real channel, not by the harness's CPU.
const benchLatency = 20 * time.Millisecond

// harCases counts the exchanges of each case in an evidence.har.
func harCases(t testing.TB, path string) (perCase map[string]int, total int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var har struct {
		Log struct {
			Entries []struct {
				CaseID string `json:"_caseId"`
			} `json:"entries"`
		} `json:"log"`
	}
	if err := json.Unmarshal(data, &har); err != nil {
		t.Fatalf("evidence.har: %v", err)
	}
	perCase = map[string]int{}
	for _, e := range har.Log.Entries {
		perCase[e.CaseID]++
	}
	return perCase, len(har.Log.Entries)
}

// criticalPath is the least time any schedule needs for the exchanges: the longest non-serial
// case's exchanges one after the other, plus every serial case's (they run alone), each
// exchange costing at least the channel's latency.
func criticalPath(pack *specs.Pack, perCase map[string]int, latency time.Duration) time.Duration {
	cost := map[string]time.Duration{}
	for id, n := range perCase {
		cost[id] = time.Duration(n) * latency
	}
	return schedulePath(pack, cost)
}

// schedulePath is the least time a schedule of the pack's cases needs when each case costs
// cost[ID]: the costliest non-serial case plus every serial case.
func schedulePath(pack *specs.Pack, cost map[string]time.Duration) time.Duration {
	var longest, serial time.Duration
	for _, c := range pack.Cases {
		d := cost[c.ID]
		switch {
		case c.Serial:
			serial += d
		case d > longest:
			longest = d
		}
	}
	return longest + serial
}

// caseDurations reads each case's duration from a report.json: its exchanges plus the waits
// the pack prescribes (QR expiry, grant expiry), which no concurrency can shorten.
func caseDurations(t testing.TB, dir string) map[string]time.Duration {
	t.Helper()
	rep := readReport(t, dir)
	out := map[string]time.Duration{}
	for _, k := range rep.Cases {
		out[k.ID] = time.Duration(k.DurationMs) * time.Millisecond
	}
	return out
}

func cpuTime(t testing.TB) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFullRun runs the embedded pack against the embedded reference channel with 20 ms of
// latency at the default concurrency and reports the wall time; the critical path of the run's
// exchanges (latency x exchanges of the longest parallel case plus the serial cases') and the
// ratio of the two (target <= 1.3); the same path computed from the cases' measured durations,
// which include the waits the pack prescribes (QR and grant expiry), and its ratio (how close
// the worker pool gets to the best schedule); and the process CPU time per exchange (harness
// and in-process reference channel together).
//
//	go test ./internal/cli -run '^$' -bench FullRun -benchtime 3x
func BenchmarkFullRun(b *testing.B) {
	pack, err := specs.Load(esscv1.FS, cmdutil.PackLoadOptions())
	if err != nil {
		b.Fatalf("the embedded pack does not load: %v", err)
	}
	var wall, critical, scheduled, cpu time.Duration
	var exchanges int
	for i := 0; b.Loop(); i++ {
		out := filepath.Join(b.TempDir(), "out")
		ios, _, _, errOut := iostreams.Test()
		cpu0, start := cpuTime(b), time.Now()
		code := Main(b.Context(), []string{"run", "--out", out, "--reference-latency", benchLatency.String(), "--quiet"}, ios, func(string) string { return "" })
		wall += time.Since(start)
		cpu += cpuTime(b) - cpu0
		// Only a CONFORMANT run measured the whole pack as the README describes it: failing
		// cases can end early and make the run look faster than it is.
		if code != cmdutil.ExitConformant {
			b.Fatalf("run %d: exit %d, want a CONFORMANT run\n%s", i, code, errOut)
		}
		perCase, n := harCases(b, filepath.Join(out, "evidence.har"))
		exchanges += n
		critical += criticalPath(pack, perCase, benchLatency)
		scheduled += schedulePath(pack, caseDurations(b, out))
	}
	b.ReportMetric(wall.Seconds()/float64(b.N), "wall-s/run")
	b.ReportMetric(critical.Seconds()/float64(b.N), "critical-s/run")
	b.ReportMetric(float64(wall)/float64(critical), "wall/critical")
	b.ReportMetric(scheduled.Seconds()/float64(b.N), "case-path-s/run")
	b.ReportMetric(float64(wall)/float64(scheduled), "wall/case-path")
	b.ReportMetric(float64(cpu.Microseconds())/float64(exchanges), "cpu-µs/exchange")
	b.ReportMetric(float64(exchanges)/float64(b.N), "exchanges/run")
}

// TestCriticalPath shows the critical-path arithmetic on a hand-made pack.
func TestCriticalPath(t *testing.T) {
	pack := &specs.Pack{Cases: []specs.Case{{ID: "A"}, {ID: "B"}, {ID: "S1", Serial: true}, {ID: "S2", Serial: true}}}
	perCase := map[string]int{"A": 5, "B": 3, "S1": 2, "S2": 4, "": 1}
	if got, want := criticalPath(pack, perCase, 10*time.Millisecond), 110*time.Millisecond; got != want {
		t.Fatalf("critical path %v, want %v (longest parallel case 5 + serial 2+4 exchanges)", got, want)
	}
}
