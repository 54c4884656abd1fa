package runner

import (
	"errors"
	"flag"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/onsi/ginkgo/v2/types"
)

// Defaults applied by Run when the corresponding option is zero.
const (
	// DefaultConcurrency is the worker-pool size for non-serial cases.
	DefaultConcurrency = 16
	// DefaultCaseTimeout bounds a case that declares no timeout of its own.
	DefaultCaseTimeout = 60 * time.Second
	// defaultAbandonAfter is how long a worker waits, after a case's context is done, for a
	// CaseRunner that ignores its context before giving up on it.
	defaultAbandonAfter = 2 * time.Second
	// suiteTimeout replaces ginkgo's one-hour suite default: every case is bounded by its own
	// timeout, and the caller's context bounds the run.
	suiteTimeout = 24 * time.Hour
)

// Options configures one run of a pack. The zero value of every field but Pack and Runner is a
// usable default.
type Options struct {
	// Pack is the loaded pack; its cases are the catalogue the report lists.
	Pack *specs.Pack
	// Runner executes cases (the engine executor).
	Runner CaseRunner
	// Concurrency is the worker-pool size for non-serial cases (default 16). Serial cases
	// always run one at a time after the others.
	Concurrency int
	// LabelFilter selects cases with ginkgo's label-filter syntax over the case ID, its clause
	// IDs, level, suite, area, profile, "serial" and the case's own labels. It is validated
	// before anything runs; a bad one is a *UsageError.
	LabelFilter string
	// Focus is a regular expression matched against case IDs (unanchored: "SES" selects every
	// case whose ID contains SES; "^FUN-SES-001$" exactly one). A bad one is a *UsageError.
	Focus string
	// Profile runs only cases of this profile (and profile-independent ones); "" runs every
	// declared profile. It must be one of the pack's profiles.
	Profile string
	// Seed orders the specs; 0 picks one from Now (see ResolveSeed). The seed used is recorded.
	Seed int64
	// CaseTimeout, when set, bounds every case instead of its own timeout; otherwise a case's
	// own timeout applies, or DefaultCaseTimeout.
	CaseTimeout time.Duration
	// Target and Tool are copied into the report. Target.Profiles are the declared profiles:
	// cases of other profiles are SKIPped without running (all run when it is empty).
	Target reports.Target
	Tool   reports.Tool
	// Now is the clock for StartedAt/FinishedAt and a random seed (default time.Now).
	Now func() time.Time
	// Events, when set, are told about progress (for the console).
	Events Events
	// RerunCommand returns the command that re-runs only one case, recorded per case.
	RerunCommand func(caseID string) string

	// abandonAfter overrides defaultAbandonAfter (tests).
	abandonAfter time.Duration
}

// Events are optional progress callbacks. They are called one at a time (never concurrently),
// from the worker pool, so a console can print without locking.
type Events struct {
	// CaseStarted is called when a case starts executing (State is Invalid then).
	CaseStarted func(c reports.Case, p Progress)
	// CaseFinished is called when a case has an outcome.
	CaseFinished func(c reports.Case, p Progress)
}

// Progress counts the cases of a run that are selected to execute.
type Progress struct {
	// Done is how many have an outcome, Total how many will execute, Failed how many of the
	// done ones are FAIL or ERROR.
	Done, Total, Failed int
}

// UsageError is a bad option value (a filter, a regular expression, a profile): the user's
// input is wrong and nothing ran. The CLI maps it to exit code 2.
type UsageError struct {
	// Field is the option's flag name, e.g. "label-filter".
	Field string
	Err   error
}

// Error names the flag and the problem.
func (e *UsageError) Error() string { return fmt.Sprintf("invalid --%s: %v", e.Field, e.Err) }

// Unwrap returns the underlying parse error.
func (e *UsageError) Unwrap() error { return e.Err }

// ResolveSeed returns seed, or when it is 0 a seed taken from now (as ginkgo does), so that the
// CLI can give the same seed to the engine (personas) and the runner (order).
func ResolveSeed(seed int64, now func() time.Time) int64 {
	if seed != 0 {
		return seed
	}
	if now == nil {
		now = time.Now
	}
	if s := now().Unix(); s != 0 {
		return s
	}
	return 1
}

// normalized is Options checked, with defaults applied and filters compiled.
type normalized struct {
	Options
	focus *regexp.Regexp
}

// normalize validates opts and applies the defaults. Problems with user input are *UsageError;
// a missing Pack or Runner is a programming error.
func normalize(opts Options, needRunner bool) (*normalized, error) {
	if opts.Pack == nil {
		return nil, errors.New("runner: Options.Pack is nil")
	}
	if needRunner && opts.Runner == nil {
		return nil, errors.New("runner: Options.Runner is nil")
	}
	n := &normalized{Options: opts}
	if n.Now == nil {
		n.Now = time.Now
	}
	if n.Concurrency < 0 {
		return nil, &UsageError{Field: "concurrency", Err: fmt.Errorf("%d is negative", n.Concurrency)}
	}
	if n.Concurrency == 0 {
		n.Concurrency = DefaultConcurrency
	}
	if n.CaseTimeout < 0 {
		return nil, &UsageError{Field: "case-timeout", Err: fmt.Errorf("%s is negative", n.CaseTimeout)}
	}
	if n.abandonAfter <= 0 {
		n.abandonAfter = defaultAbandonAfter
	}
	n.Seed = ResolveSeed(n.Seed, n.Now)
	if _, err := types.ParseLabelFilter(n.LabelFilter); err != nil {
		return nil, &UsageError{Field: "label-filter", Err: plain(err)}
	}
	if n.Focus != "" {
		re, err := regexp.Compile(n.Focus)
		if err != nil {
			return nil, &UsageError{Field: "focus", Err: err}
		}
		n.focus = re
	}
	if n.Profile != "" && !slices.Contains(n.Pack.Manifest.Profiles, n.Profile) {
		return nil, &UsageError{Field: "profile", Err: fmt.Errorf("%q is not a profile of pack %s (profiles: %v)",
			n.Profile, n.Pack.Manifest.Name, n.Pack.Manifest.Profiles)}
	}
	if err := vetTestFlags(flag.CommandLine); err != nil {
		return nil, err
	}
	return n, nil
}

// vetTestFlags refuses the `go test` flags with which ginkgo's RunSpecs exits the process
// (-count other than 1, -parallel), so the caller gets an error instead.
func vetTestFlags(fs *flag.FlagSet) error {
	var err error
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "count", "test.count":
			if f.Value.String() != "1" {
				err = fmt.Errorf("runner: ginkgo cannot run with -%s=%s (it would exit the process); use -count=1", f.Name, f.Value)
			}
		case "parallel", "test.parallel":
			err = fmt.Errorf("runner: ginkgo cannot run with -%s (it would exit the process)", f.Name)
		}
	})
	return err
}

// timeoutFor is the hard bound of one execution of c.
func (n *normalized) timeoutFor(c *specs.Case) time.Duration {
	switch {
	case n.CaseTimeout > 0:
		return n.CaseTimeout
	case c.Timeout > 0:
		return time.Duration(c.Timeout)
	}
	return DefaultCaseTimeout
}
