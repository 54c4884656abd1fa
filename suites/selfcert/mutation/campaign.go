package mutation

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// Options configure a campaign.
type Options struct {
	// Toolchain builds the mutants.
	Toolchain Toolchain
	// Dirs are the mutated packages (default DefaultDirs).
	Dirs []string
	// Reviewed is the reviewed scope and equivalents (nil: none).
	Reviewed *Reviewed
	// Sample, when > 0, runs only that many mutants (Sample's spread); Must are always among them.
	Sample int
	Must   func([]*Mutant) []*Mutant
	// IDs, when set, runs only these mutants, equivalents included, instead of a sample (an
	// unknown ID is an error).
	IDs []string
	// WorkDir holds the generated source, the binary and the run folders.
	WorkDir string
	// Run configures the runs (Binary and WorkDir are filled in).
	Run RunOptions
	// Now is the clock of the campaign's date.
	Now func() time.Time
	// Log receives progress lines; nil discards them.
	Log func(format string, args ...any)
}

// Campaign is the result of a campaign, the content of mutation.json.
type Campaign struct {
	Schema       string    `json:"schema"`
	Date         time.Time `json:"date"`
	Commit       string    `json:"commit"`
	Dirs         []string  `json:"dirs"`
	Jobs         int       `json:"jobs"`
	Timeout      string    `json:"timeout"`
	Seed         int64     `json:"seed"`
	Sample       int       `json:"sample"`
	Generated    int       `json:"generated"`
	BuildSeconds float64   `json:"buildSeconds"`
	RunSeconds   float64   `json:"runSeconds"`
	Summary      Summary   `json:"summary"`
	// Unstable is set when a control run of the unmutated code was not CONFORMANT: kills
	// near it may be the machine's doing.
	Unstable bool      `json:"unstable"`
	Controls []Outcome `json:"controls"`
	// StaleEquivalents are reviewed IDs that match no mutant any more.
	StaleEquivalents []string `json:"staleEquivalents,omitempty"`
	Mutants          []Result `json:"mutants"`
}

// Result is one mutant with its outcome.
type Result struct {
	*Mutant
	Outcome
	// Reason is the reviewed reason of an equivalent mutant, or the compiler's message.
	Reason string `json:"reason,omitempty"`
}

// Summary counts the statuses; Score is killed / (killed + survived).
type Summary struct {
	Total      int     `json:"total"`
	Killed     int     `json:"killed"`
	Survived   int     `json:"survived"`
	Timeout    int     `json:"timeout"`
	Error      int     `json:"error"`
	Equivalent int     `json:"equivalent"`
	Uncompiled int     `json:"uncompiled"`
	Score      float64 `json:"score"`
}

// Run discovers, builds and runs the mutants and returns the campaign.
func Run(ctx context.Context, opts Options) (*Campaign, error) {
	logf := opts.Log
	if logf == nil {
		logf = func(string, ...any) {}
	}
	dirs := opts.Dirs
	if len(dirs) == 0 {
		dirs = DefaultDirs()
	}
	all, err := Discover(opts.Toolchain.Root, dirs)
	if err != nil {
		return nil, err
	}
	ms, equivalent, stale := opts.Reviewed.Apply(all)
	c := &Campaign{Schema: "chanconf-mutation/1", Date: opts.Now().UTC(), Commit: commitOf(opts.Toolchain), Dirs: dirs,
		Sample: opts.Sample, Generated: len(ms), StaleEquivalents: stale}
	if ms, err = selectMutants(ms, equivalent, opts); err != nil {
		return nil, err
	}
	if len(opts.IDs) > 0 {
		equivalent = nil // asked for by ID: run even a reviewed equivalent, to check it
	}
	var runnable []*Mutant
	for _, m := range ms {
		if reason, ok := equivalent[m.ID]; ok {
			c.Mutants = append(c.Mutants, Result{Mutant: m, Outcome: Outcome{Status: StatusEquivalent}, Reason: reason})
			continue
		}
		runnable = append(runnable, m)
	}
	logf("%d mutants generated, %d in scope, %d selected, %d to run (the others are reviewed equivalents); building them into one binary",
		len(all), c.Generated, len(ms), len(runnable))
	if err := os.MkdirAll(opts.WorkDir, 0o755); err != nil {
		return nil, fmt.Errorf("create the work folder: %w", err)
	}
	start := time.Now()
	binary, built, dropped, err := Build(ctx, opts.Toolchain, opts.WorkDir, runnable)
	if err != nil {
		return nil, err
	}
	c.BuildSeconds = time.Since(start).Seconds()
	logf("built %d mutants in %.0f s (%d did not compile); running the pack against each", len(built), c.BuildSeconds, len(dropped))
	for _, d := range dropped {
		c.Mutants = append(c.Mutants, Result{Mutant: d.Mutant, Outcome: Outcome{Status: StatusUncompiled}, Reason: d.Message})
	}
	ro := opts.Run
	ro.Binary, ro.WorkDir = binary, filepath.Join(opts.WorkDir, "runs")
	ro = withDefaults(ro)
	c.Jobs, c.Timeout, c.Seed = ro.Jobs, ro.Timeout.String(), ro.Seed
	start = time.Now()
	outcomes, controls, err := RunAll(ctx, ro, len(built))
	c.Controls = controls
	if err != nil {
		return c, err
	}
	c.RunSeconds = time.Since(start).Seconds()
	for i, m := range built {
		c.Mutants = append(c.Mutants, Result{Mutant: m, Outcome: outcomes[i]})
	}
	for _, o := range controls {
		c.Unstable = c.Unstable || o.Verdict != "CONFORMANT"
	}
	c.finish()
	return c, nil
}

// selectMutants picks the mutants of the campaign: those named by opts.IDs, or a sample
// drawn from the mutants still to judge, with every reviewed equivalent recorded (not run)
// whatever the sample.
func selectMutants(ms []*Mutant, equivalent map[string]string, opts Options) ([]*Mutant, error) {
	if len(opts.IDs) > 0 {
		return only(ms, opts.IDs)
	}
	var must []*Mutant
	if opts.Must != nil {
		must = opts.Must(ms)
	}
	var pool, eq []*Mutant
	for _, m := range ms {
		if _, ok := equivalent[m.ID]; ok {
			eq = append(eq, m)
		} else {
			pool = append(pool, m)
		}
	}
	return append(eq, Sample(pool, opts.Sample, must...)...), nil
}

// only keeps the mutants named by ids.
func only(ms []*Mutant, ids []string) ([]*Mutant, error) {
	byID := map[string]*Mutant{}
	for _, m := range ms {
		byID[m.ID] = m
	}
	var out []*Mutant
	for _, id := range ids {
		m, ok := byID[id]
		if !ok {
			return nil, fmt.Errorf("no mutant %s in scope (see --list)", id)
		}
		out = append(out, m)
	}
	return out, nil
}

// finish sorts the mutants and counts the summary.
func (c *Campaign) finish() {
	sort.SliceStable(c.Mutants, func(i, j int) bool {
		a, b := c.Mutants[i], c.Mutants[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.ID < b.ID
	})
	s := Summary{Total: len(c.Mutants)}
	for _, r := range c.Mutants {
		switch r.Status {
		case StatusKilled:
			s.Killed++
		case StatusSurvived:
			s.Survived++
		case StatusTimeout:
			s.Timeout++
		case StatusError:
			s.Error++
		case StatusEquivalent:
			s.Equivalent++
		case StatusUncompiled:
			s.Uncompiled++
		}
	}
	if s.Killed+s.Survived > 0 {
		s.Score = float64(s.Killed) / float64(s.Killed+s.Survived)
	}
	c.Summary = s
}
