package cmdutil

import (
	"errors"
	"fmt"

	"github.com/chanconf/chanconf/reports"
)

// ExitCode is chanconf's process exit status. CI gates on it, so each value means one thing.
type ExitCode int

// The exit codes, also listed by `chanconf help exit-codes` and in the README (a test keeps the
// three in step).
const (
	// ExitConformant: the command succeeded; for run, every MUST case of the declared profiles passed.
	ExitConformant ExitCode = 0
	// ExitNonconformant: the channel broke a MUST rule (run), or verification/diff found a problem.
	ExitNonconformant ExitCode = 1
	// ExitUsage: bad flags, a malformed pack or an invalid declaration; nothing was judged.
	ExitUsage ExitCode = 2
	// ExitIncomplete: the run could not judge everything because of the environment (target
	// unreachable, clocks apart, interruption), or a filtered run met such a problem.
	ExitIncomplete ExitCode = 3
	// ExitInternal: a bug in chanconf.
	ExitInternal ExitCode = 4
	// ExitPartial: a filtered run (--label-filter, --focus, --profile) in which nothing failed
	// or errored. It is neither 0 (the pack was not run whole, so nothing is shown conformant)
	// nor 3 (the environment did not fail), so CI can gate a filtered job on it.
	ExitPartial ExitCode = 5
)

// ExitCodeDoc is the table of exit codes shown by `chanconf help exit-codes`.
func ExitCodeDoc() []struct {
	Code    ExitCode
	Meaning string
} {
	return []struct {
		Code    ExitCode
		Meaning string
	}{
		{ExitConformant, "conformant: every MUST case of the declared profiles passed (other commands: success)"},
		{ExitNonconformant, "nonconformant: at least one MUST case failed (verify: not certifiable; diff: a regression)"},
		{ExitUsage, "usage error: bad flags, malformed pack, invalid declaration or unreadable input"},
		{ExitIncomplete, "incomplete: environment errors (unreachable target, clock skew, interrupted)"},
		{ExitInternal, "internal error in chanconf"},
		{ExitPartial, "partial: a filtered run (--label-filter, --focus, --profile) in which nothing failed or errored"},
	}
}

// UsageError marks an error in what the user gave (flags, pack, declaration): exit 2.
type UsageError struct{ Err error }

// Error is the message of the user's mistake, printed as it is after "chanconf: ".
func (e *UsageError) Error() string { return e.Err.Error() }

// Unwrap exposes the cause to errors.Is and errors.As (a pack's problems, a declaration's).
func (e *UsageError) Unwrap() error { return e.Err }

// Usagef builds a UsageError from a format.
func Usagef(format string, args ...any) error {
	return &UsageError{Err: fmt.Errorf(format, args...)}
}

// VerdictError reports a finished run or check whose outcome is not success; it carries the exit
// code that outcome maps to. It is not a failure of chanconf itself.
type VerdictError struct {
	Verdict reports.Verdict
	Code    ExitCode
}

// Error names the verdict. Main never prints it: the command has already said what it found,
// and the exit code carries the rest.
func (e *VerdictError) Error() string { return "verdict: " + e.Verdict.String() }

// ExitFor maps a run's verdict to its exit code, without regard to filters (see ExitForReport).
func ExitFor(v reports.Verdict) ExitCode {
	switch v {
	case reports.Conformant:
		return ExitConformant
	case reports.Nonconformant:
		return ExitNonconformant
	default:
		return ExitIncomplete
	}
}

// ExitForReport maps a judged report to its exit code: the verdict's, except that an
// INCOMPLETE report whose only shortfall is its filter (a --label-filter, --focus or --profile
// was applied; no case failed, errored or went unjudged; not interrupted) is ExitPartial, so
// that CI tells a passing filtered job from a dead target.
func ExitForReport(r *reports.Report) ExitCode {
	if r.Verdict != reports.Incomplete || !Filtered(r.Filters) || r.Interrupted {
		return ExitFor(r.Verdict)
	}
	for _, c := range r.Cases {
		if c.State == reports.Fail || c.State == reports.Error || c.State == reports.Invalid {
			return ExitIncomplete
		}
	}
	return ExitPartial
}

// Filtered reports whether a selection flag (--label-filter, --focus, --profile) was applied.
func Filtered(f reports.Filters) bool {
	return f.LabelFilter != "" || f.Focus != "" || f.Profile != ""
}

// Classify turns an error returned by a command into the exit code, using errors.As only.
func Classify(err error) ExitCode {
	if err == nil {
		return ExitConformant
	}
	var verdict *VerdictError
	if errors.As(err, &verdict) {
		return verdict.Code
	}
	var usage *UsageError
	if errors.As(err, &usage) {
		return ExitUsage
	}
	return ExitInternal
}
