// Package reports is the report model of a conformance run and its writers (JSON, JUnit, HTML,
// HAR, SARIF, console). It knows nothing of ginkgo, HTTP clients or OpenAPI: the engine fills a
// Report, already redacted, and the writers only render it, deterministically.
package reports

import "time"

// SchemaVersion is the version of report.json's documented schema (reports/schema/report.schema.json).
//
// Stable: report.json 1.0 is read back by `diff`, `verify` and CI tooling, so the field names
// and JSON names below are frozen; a change to them must bump SchemaVersion and the schema.
// Changes made while 1.0 was being written: Case.Message is always written (no omitempty, the
// schema requires it, "" on a PASS), and Report.Cases has the named type Cases (same JSON, and
// []Case values are still assignable to it) so that its query helpers are at hand.
//
// 1.1 adds, without changing anything of 1.0: Report.Observations, Check.Clause and the check
// outcome "observed" (attribution of cross-cutting rules to their own clause). A 1.0 report
// reads as a 1.1 report without observations (ReadableSchemaVersions).
const SchemaVersion = "1.1"

// ReadableSchemaVersions are the report.json versions ReadJSON accepts: every version whose
// fields are a subset of SchemaVersion's.
func ReadableSchemaVersions() []string { return []string{"1.0", SchemaVersion} }

// Report is everything a run produced: what was tested with what, each case's result, and the
// exchanges behind them. Secrets never reach it: the engine redacts before filling it.
type Report struct {
	SchemaVersion string `json:"schemaVersion"`
	// Tool identifies the harness build, so a result can be traced to the code that judged it.
	Tool Tool `json:"tool"`
	// Pack identifies the exact specification bytes used; certification approves pack digests.
	Pack PackRef `json:"pack"`
	// Target is the channel under test.
	Target Target `json:"target"`
	// Filters records every filter applied; a filtered run can never be certified.
	Filters Filters `json:"filters"`
	// Seed orders the cases and makes the personas reproducible.
	Seed        int64     `json:"seed"`
	Concurrency int       `json:"concurrency"`
	StartedAt   time.Time `json:"startedAt"`
	FinishedAt  time.Time `json:"finishedAt"`
	// Interrupted is true when the run was stopped (Ctrl-C, suite timeout) before the end.
	Interrupted bool `json:"interrupted"`
	// Verdict is the run's outcome; Reasons says why in words (e.g. which MUST cases failed).
	Verdict Verdict  `json:"verdict"`
	Reasons []string `json:"reasons,omitempty"`
	Summary Summary  `json:"summary"`
	// Causes groups the ERROR cases by normalised cause (Judge fills it), so that one problem of
	// the environment is reported once with the number of cases it stopped. Absent when no case
	// errored.
	Causes []Cause `json:"causes,omitempty"`
	// Eligibility is whether the run can back a certificate (internal/certify decides; `run`
	// fills it, `verify` recomputes it). Absent in reports written before it was computed.
	Eligibility *Eligibility `json:"eligibility,omitempty"`
	Cases       Cases        `json:"cases"`
	// Observations are the cross-cutting rules (headers, response signature, contract, masks)
	// seen broken in the run, one per clause, sorted by clause: each lists the exchanges it was
	// seen in, whichever case made them, and names the case that reports it (Owner). The
	// observing cases are not failed for it; the owner case is.
	Observations []Observation `json:"observations,omitempty"`
	// Exchanges are the recorded HTTP exchanges (redacted), referenced by Case.Evidence.
	Exchanges []Exchange `json:"-"`
}

// Eligibility says whether a run can back a certificate, and every reason it cannot. A
// CONFORMANT verdict is necessary but not sufficient: a filtered, waived or re-run report, or
// one made with an unapproved pack, is never certifiable.
type Eligibility struct {
	Certifiable bool `json:"certifiable"`
	// Reasons lists every cause that keeps the run from certifying (empty when Certifiable).
	Reasons []string `json:"reasons"`
}

// Tool identifies the harness build.
type Tool struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Revision  string `json:"revision"`
	GoVersion string `json:"goVersion"`
}

// PackRef identifies a spec pack by name, version and digest.
type PackRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	SHA256  string `json:"sha256"`
}

// Target is the channel under test, as declared (no secrets).
type Target struct {
	BaseURL   string   `json:"baseURL"`
	ChannelNo string   `json:"channelNo"`
	Name      string   `json:"name,omitempty"`
	Profiles  []string `json:"profiles"`
	// Reference is true when the target is chanconf's embedded reference channel; Faults lists
	// the fault switches it was started with, Variants the variant switches (allowed behaviour).
	Reference bool     `json:"reference"`
	Faults    []string `json:"faults,omitempty"`
	Variants  []string `json:"variants,omitempty"`
}

// Filters are the selections applied to the pack.
type Filters struct {
	LabelFilter string `json:"labelFilter,omitempty"`
	Focus       string `json:"focus,omitempty"`
	Profile     string `json:"profile,omitempty"`
	// RerunOf names the report whose failed cases this run repeats (a merged report).
	RerunOf string `json:"rerunOf,omitempty"`
	// Waivers is the waiver file applied, if any.
	Waivers string `json:"waivers,omitempty"`
}

// Summary counts cases per state.
type Summary struct {
	Total  int `json:"total"`
	Pass   int `json:"PASS"`
	Fail   int `json:"FAIL"`
	Warn   int `json:"WARN"`
	Skip   int `json:"SKIP"`
	Error  int `json:"ERROR"`
	Waived int `json:"WAIVED"`
}

// Case is the result of one case.
type Case struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Clauses []string `json:"clauses"`
	Level   string   `json:"level"`
	Suite   string   `json:"suite"`
	Area    string   `json:"area"`
	Labels  []string `json:"labels"`
	Profile string   `json:"profile"`
	OWASP   string   `json:"owasp,omitempty"`
	CWE     string   `json:"cwe,omitempty"`
	// Source is the pack file and line of the case.
	Source     string `json:"source"`
	State      State  `json:"state"`
	DurationMs int64  `json:"durationMs"`
	// Message explains a non-PASS state: what was expected, what came back, which clause.
	Message string `json:"message"`
	// NotApplicable marks a SKIP because the case's rule does not apply to this channel (an
	// optional capability it did not declare, TLS 1.2 suites when it refuses TLS 1.2); such
	// a SKIP never makes the verdict INCOMPLETE.
	NotApplicable bool `json:"notApplicable,omitempty"`
	// Checks lists every check that actually ran, so a PASS is explainable.
	Checks []Check `json:"checks"`
	// Evidence lists the IDs of the exchanges of this case (see Exchanges / evidence.har).
	Evidence []string `json:"evidence"`
	// Rerun is the command that runs only this case.
	Rerun string `json:"rerun"`
	// Attempts holds earlier attempts of this case in a merged (re-run) report.
	Attempts []Attempt `json:"attempts,omitempty"`
}

// Attempt is an earlier result of a case kept in a merged report.
type Attempt struct {
	State   State  `json:"state"`
	Message string `json:"message,omitempty"`
	RunAt   string `json:"runAt"`
}

// Check is one check that ran on a case.
type Check struct {
	// Name is the kind of check: status, code, contract, signature, header, json, body,
	// masked, same-as, capture, probe, personal-data, request-contract.
	Name string `json:"name"`
	// Step is the step's index (1-based) and name.
	Step     int     `json:"step"`
	StepName string  `json:"stepName,omitempty"`
	Outcome  Outcome `json:"outcome"`
	Expected string  `json:"expected,omitempty"`
	Actual   string  `json:"actual,omitempty"`
	// Detail says why a check failed or could not be made.
	Detail string `json:"detail,omitempty"`
	// Clause is the clause the check enforces when it is a cross-cutting rule of the pack (a
	// response header, the response signature, the contract, a mask); empty for the case's own
	// expectations, which enforce the case's clauses. A failed rule check of a clause the case
	// does not list has Outcome Observed: it counts against the clause, not the case.
	Clause string `json:"clause,omitempty"`
}

// MaxObservedExchanges bounds Observation.Exchanges; Observation.Count has the full number.
const MaxObservedExchanges = 20

// Observation is one cross-cutting rule seen broken during a run: its clause, in how many
// exchanges, the first of them (by exchange ID, so that the list is the same whatever the
// interleaving) and one example. A rule is named once however many cases saw it.
type Observation struct {
	// Clause is the rule's clause (e.g. CAI-1.3).
	Clause string `json:"clause"`
	// Checks are the kinds of check that saw it (contract, signature, masked), sorted.
	Checks []string `json:"checks"`
	// Count is the number of exchanges in which the rule was seen broken.
	Count int `json:"count"`
	// ExchangeIDs are the IDs of at most MaxObservedExchanges of them, sorted.
	ExchangeIDs []string `json:"exchangeIds"`
	// Example is what was wrong in the first of Exchanges (redacted).
	Example string `json:"example"`
	// Owner is the case that reports the clause (the pack's rule case for it); empty when the
	// pack names none or the run did not include it.
	Owner string `json:"owner,omitempty"`
}

// Exchange is one recorded HTTP exchange (or probe action), redacted.
type Exchange struct {
	ID        string    `json:"id"`
	CaseID    string    `json:"caseId"`
	Step      int       `json:"step"`
	StartedAt time.Time `json:"startedAt"`
	// DurationMs is the time from sending the request to reading the whole response.
	DurationMs float64  `json:"durationMs"`
	Request    Request  `json:"request"`
	Response   Response `json:"response"`
	// Error is set when no response was received (connection refused, timeout, TLS failure).
	Error string `json:"error,omitempty"`
}

// Request is the recorded request.
type Request struct {
	Method      string   `json:"method"`
	URL         string   `json:"url"`
	HTTPVersion string   `json:"httpVersion"`
	Headers     []Header `json:"headers"`
	Body        string   `json:"body"`
}

// Response is the recorded response; Body is capped (Truncated tells).
type Response struct {
	Status      int      `json:"status"`
	StatusText  string   `json:"statusText"`
	HTTPVersion string   `json:"httpVersion"`
	Headers     []Header `json:"headers"`
	Body        string   `json:"body"`
	Truncated   bool     `json:"truncated"`
	// BodySize is the real size of a truncated body in bytes (-1: the channel kept sending
	// past the cap without saying how much); absent when the body is whole.
	BodySize int64 `json:"bodySize,omitempty"`
}

// Header is one header line.
type Header struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}
