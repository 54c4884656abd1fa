package mutation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The statuses of a mutant.
const (
	StatusKilled     = "killed"
	StatusSurvived   = "survived"
	StatusTimeout    = "timeout"
	StatusError      = "error"
	StatusEquivalent = "equivalent"
	StatusUncompiled = "uncompiled"
)

// RunOptions configure the runs of a built schemata binary.
type RunOptions struct {
	// Binary is the schemata build of chanconf.
	Binary string
	// WorkDir receives one report folder per run (removed after reading).
	WorkDir string
	// Jobs bounds the runs at a time (default 2).
	Jobs int
	// Timeout bounds one run (default 3 minutes).
	Timeout time.Duration
	// Seed is passed to every run, so a kill can be replayed.
	Seed int64
	// ControlEvery puts an unmutated control run after every so many mutants (default 25).
	ControlEvery int
	// Progress, when set, is called after every run (from one goroutine at a time).
	Progress func(done, total int, o Outcome)
}

// Outcome is what one run of the binary gave.
type Outcome struct {
	// Number is the mutant's number in the binary (0: a control run of the original code).
	Number int `json:"-"`
	// Status is killed, survived, timeout or error.
	Status string `json:"status"`
	// Verdict is the run's verdict (CONFORMANT, NONCONFORMANT, INCOMPLETE), CRASH for a
	// panic that ended the process, TIMEOUT, or the exit code for anything else.
	Verdict string `json:"verdict"`
	// KilledBy are the cases that did not pass (FAIL, then ERROR).
	KilledBy []string `json:"killedBy,omitempty"`
	// Seconds is the run's wall time.
	Seconds float64 `json:"seconds"`
	// Detail is the end of stderr for an error or a crash.
	Detail string `json:"detail,omitempty"`
}

// runOne runs the binary once with mutant n selected.
func runOne(ctx context.Context, opts RunOptions, n int) Outcome {
	out := filepath.Join(opts.WorkDir, fmt.Sprintf("run-%d", n))
	defer os.RemoveAll(out)
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, opts.Binary, "run", "--quiet", "--no-color", "--out", out, "--seed", strconv.FormatInt(opts.Seed, 10))
	cmd.Env = childEnv(cmd.Environ(), n)
	cmd.WaitDelay = 5 * time.Second
	stderr := &tailBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = io.Discard, stderr
	start := time.Now()
	err := cmd.Run()
	o := Outcome{Number: n, Seconds: time.Since(start).Seconds()}
	var exit *exec.ExitError
	switch {
	case ctx.Err() != nil:
		o.Status, o.Verdict = StatusTimeout, "TIMEOUT"
	case err == nil:
		o.Status, o.Verdict = StatusSurvived, "CONFORMANT"
	case strings.Contains(stderr.String(), "\npanic: ") || strings.HasPrefix(stderr.String(), "panic: "):
		o.Status, o.Verdict, o.Detail = StatusKilled, "CRASH", stderr.String()
	case errors.As(err, &exit) && exit.ExitCode() == 4 && strings.Contains(stderr.String(), "start the embedded reference channel"):
		// The mutant keeps the channel from starting: a channel that never answers is
		// unreachable, which a real run reports INCOMPLETE, so no certificate.
		o.Status, o.Verdict, o.Detail = StatusKilled, "NO-START", stderr.String()
	case errors.As(err, &exit) && (exit.ExitCode() == 1 || exit.ExitCode() == 3):
		o.Status = StatusKilled
		o.Verdict, o.KilledBy = readReport(filepath.Join(out, "report.json"))
	default:
		o.Status, o.Verdict, o.Detail = StatusError, fmt.Sprint(err), stderr.String()
	}
	return o
}

// childEnv is the environment of a run: the mutant selected, and no CHANCONF_TARGET or
// CHANCONF_DECLARATION, so the run always tests the embedded (mutated) reference channel.
func childEnv(env []string, n int) []string {
	out := slices.DeleteFunc(slices.Clone(env), func(kv string) bool {
		return strings.HasPrefix(kv, "CHANCONF_")
	})
	return append(out, EnvMutant+"="+strconv.Itoa(n))
}

// readReport returns the verdict and the cases that did not pass, FAILs first.
func readReport(path string) (string, []string) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "unknown (no report.json)", nil
	}
	var r struct {
		Verdict string `json:"verdict"`
		Cases   []struct {
			ID    string `json:"id"`
			State string `json:"state"`
		} `json:"cases"`
	}
	if json.Unmarshal(data, &r) != nil {
		return "unknown (unreadable report.json)", nil
	}
	var fails, errs []string
	for _, c := range r.Cases {
		switch c.State {
		case "FAIL":
			fails = append(fails, c.ID)
		case "ERROR":
			errs = append(errs, c.ID)
		}
	}
	return r.Verdict, append(fails, errs...)
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

// Write implements io.Writer.
func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = t.buf[len(t.buf)-t.max:]
	}
	return len(p), nil
}

// String returns what was kept.
func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

// RunAll runs the baseline control, then the mutants numbered 1..n with a control after every
// ControlEvery mutants and one at the end, at most Jobs at a time. It returns the mutant
// outcomes (index i: mutant i+1) and the controls. A baseline that is not CONFORMANT stops
// everything: every mutant would look killed.
func RunAll(ctx context.Context, opts RunOptions, n int) ([]Outcome, []Outcome, error) {
	opts = withDefaults(opts)
	base := runOne(ctx, opts, 0)
	if base.Verdict != "CONFORMANT" {
		return nil, []Outcome{base}, fmt.Errorf("the unmutated schemata build is not CONFORMANT (%s, cases %v): mutants cannot be judged\n%s", base.Verdict, base.KilledBy, base.Detail)
	}
	jobs := schedule(n, opts.ControlEvery)
	results := make([]Outcome, len(jobs))
	var mu sync.Mutex
	done := 0
	sem := make(chan struct{}, opts.Jobs)
	var wg sync.WaitGroup
	for i, num := range jobs {
		if ctx.Err() != nil {
			break
		}
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			o := runOne(ctx, opts, num)
			mu.Lock()
			defer mu.Unlock()
			results[i] = o
			done++
			if opts.Progress != nil {
				opts.Progress(done, len(jobs), o)
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("mutation campaign interrupted: %w", err)
	}
	mutants := make([]Outcome, n)
	controls := []Outcome{base}
	for i, num := range jobs {
		if num == 0 {
			controls = append(controls, results[i])
		} else {
			mutants[num-1] = results[i]
		}
	}
	return mutants, controls, nil
}

// withDefaults fills the zero options.
func withDefaults(o RunOptions) RunOptions {
	if o.Jobs <= 0 {
		o.Jobs = 2
	}
	if o.Timeout <= 0 {
		o.Timeout = 3 * time.Minute
	}
	if o.ControlEvery <= 0 {
		o.ControlEvery = 25
	}
	return o
}

// schedule is the run order: mutants 1..n with a control (0) after every `every` mutants and
// one at the end.
func schedule(n, every int) []int {
	var out []int
	for i := 1; i <= n; i++ {
		out = append(out, i)
		if i%every == 0 && i != n {
			out = append(out, 0)
		}
	}
	return append(out, 0)
}
