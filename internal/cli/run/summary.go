package run

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
)

// The values of --format.
const (
	formatText = "text"
	formatJSON = "json"
)

// notPassed lists the cases that did not pass and count against the run (FAIL, ERROR, WARN,
// never judged), in the order the summary prints them: by state, then by ID.
func notPassed(rep *reports.Report) []reports.Case {
	var out []reports.Case
	for _, s := range []reports.State{reports.Fail, reports.Error, reports.Warn, reports.Invalid} {
		out = append(out, rep.Cases.WithState(s).Sorted()...)
	}
	return out
}

// writeQuiet prints the --quiet end of a run: the verdict, one "STATE ID (clauses)" line per
// case that did not pass, and the report paths, each on its own line so a script can grep them.
func writeQuiet(w io.Writer, rep *reports.Report, paths []string) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "verdict: %s\n", rep.Verdict)
	for _, k := range notPassed(rep) {
		fmt.Fprintf(&b, "%s %s (%s)\n", k.State, k.ID, strings.Join(k.Clauses, ", "))
	}
	for _, p := range paths {
		fmt.Fprintf(&b, "report: %s\n", p)
	}
	if _, err := b.WriteTo(w); err != nil {
		return fmt.Errorf("write console output: %w", err)
	}
	return nil
}

// jsonSummary is the one object `run --format json` prints on stdout: what a CI script needs
// without parsing report.json. Its field names are stable.
type jsonSummary struct {
	Verdict string `json:"verdict"`
	// ExitCode is the process's exit status (see `chanconf help exit-codes`).
	ExitCode int             `json:"exitCode"`
	Summary  reports.Summary `json:"counts"`
	// Failing lists the cases that did not pass (FAIL, ERROR, WARN, never judged).
	Failing []jsonCase `json:"failing"`
	// Reasons are the verdict's reasons.
	Reasons []string `json:"reasons"`
	// Reports maps each report's file name to its path.
	Reports map[string]string `json:"reports"`
	// Certifiable is the decision of internal/certify, the one `verify` makes.
	Certifiable bool     `json:"certifiable"`
	NotCertBy   []string `json:"certifiableReasons"`
}

// jsonCase is one case that did not pass.
type jsonCase struct {
	ID      string   `json:"id"`
	State   string   `json:"state"`
	Clauses []string `json:"clauses"`
	Message string   `json:"message"`
	Rerun   string   `json:"rerun,omitempty"`
}

// writeJSONSummary prints jsonSummary as one indented object and a newline.
func writeJSONSummary(w io.Writer, rep *reports.Report, paths []string, code cmdutil.ExitCode) error {
	s := jsonSummary{
		Verdict: rep.Verdict.String(), ExitCode: int(code), Summary: rep.Summary,
		Failing: []jsonCase{}, Reasons: append([]string{}, rep.Reasons...), Reports: map[string]string{},
		NotCertBy: []string{},
	}
	for _, k := range notPassed(rep) {
		s.Failing = append(s.Failing, jsonCase{ID: k.ID, State: k.State.String(), Clauses: append([]string{}, k.Clauses...),
			Message: firstLine(k.Message), Rerun: k.Rerun})
	}
	for _, p := range paths {
		s.Reports[filepath.Base(p)] = p
	}
	if e := rep.Eligibility; e != nil {
		s.Certifiable, s.NotCertBy = e.Certifiable, append(s.NotCertBy, e.Reasons...)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(s); err != nil {
		return fmt.Errorf("write the JSON summary: %w", err)
	}
	return nil
}

// firstLine is the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
