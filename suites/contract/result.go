package contract

import (
	"fmt"
	"strings"

	"github.com/chanconf/chanconf/reports"
)

// Result is the outcome of checking one response against a contract. Outcome is Passed, Failed
// (with every Problem found, not just the first) or NotChecked (with Reason), so that a report
// can show what was and was not verified.
type Result struct {
	Outcome reports.Outcome
	// Problems are the contract violations found; non-empty exactly when Outcome is Failed.
	Problems []Problem
	// Reason explains a NotChecked outcome, or qualifies a Passed one (e.g. "no body documented").
	Reason string
}

// Problem is one contract violation, located in the response.
type Problem struct {
	// Path locates the problem: a JSON pointer into the body for OpenAPI ("/items/0/status"),
	// a normalised JSONPath for GraphQL ("$.data.me.name"), or "" for the exchange as a whole
	// (status, headers).
	Path string
	// Message says what is wrong, without echoing body values where the library allows.
	Message string
	// Header names the response header the problem is about (a required header missing, a
	// value off its schema, an undocumented Content-Type), "" for status and body problems, so
	// that a caller can attribute header problems to the rule requiring the header.
	Header string
}

// String renders the problem as "path: message" (or just the message when it has no path).
func (p Problem) String() string {
	if p.Path == "" {
		return p.Message
	}
	return p.Path + ": " + p.Message
}

// Summary renders the result in one line for a check's Actual field: the problems joined by
// "; ", or the reason.
func (r Result) Summary() string {
	if len(r.Problems) == 0 {
		return r.Reason
	}
	parts := make([]string, len(r.Problems))
	for i, p := range r.Problems {
		parts[i] = p.String()
	}
	return strings.Join(parts, "; ")
}

// passed, failed and notChecked build Results.
func passed(reason string) Result { return Result{Outcome: reports.Passed, Reason: reason} }

func notChecked(format string, args ...any) Result {
	return Result{Outcome: reports.NotChecked, Reason: fmt.Sprintf(format, args...)}
}

// finish turns collected problems into a Result: Failed when there are any, else passed(reason).
func finish(problems []Problem, reason string) Result {
	if len(problems) > 0 {
		return Result{Outcome: reports.Failed, Problems: problems}
	}
	return passed(reason)
}

// ValidationError is a request that does not satisfy the contract; it lists every problem.
type ValidationError struct {
	// Operation is the matched operationId, or "" when no operation matched.
	Operation string
	Problems  []Problem
	// Err is the underlying library error, for errors.As.
	Err error
}

// Error lists every problem on one line, naming the operation when one matched.
func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	prefix := "request does not satisfy the contract"
	if e.Operation != "" {
		prefix += " of operation " + e.Operation
	}
	return prefix + ": " + strings.Join(parts, "; ")
}

// Unwrap returns the library error.
func (e *ValidationError) Unwrap() error { return e.Err }
