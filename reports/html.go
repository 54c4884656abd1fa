package reports

import (
	_ "embed" // for the HTML template
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
)

//go:embed templates/report.html.tmpl
var htmlTemplate string

// WriteHTML writes r as one self-contained HTML page for a reviewer (inline CSS, no scripts, no
// external assets). From the top: the verdict and the certifiable decision with their reasons
// and a link to every failing case, so that both fit the first screen; then the failures
// grouped by clause, each with its evidence collapsed in a <details>; the environment problems
// once per cause; a compact clause matrix that lists the cases only of clauses that did not
// pass; every case by area; and the run's identity. A print stylesheet keeps a long failure
// list to one line per failure. Everything is rendered as escaped text by html/template;
// bodies and headers are shown exactly as the engine recorded them (already redacted).
func WriteHTML(w io.Writer, r *Report) error {
	tmpl, err := template.New("report").Funcs(template.FuncMap{
		"stateClass": func(s State) string { return strings.ToLower(s.String()) },
		"join":       strings.Join,
		"time":       formatTime,
		"checkLine":  checkLine,
		"firstLine":  firstLine,
	}).Parse(htmlTemplate)
	if err != nil {
		return fmt.Errorf("parse HTML template: %w", err)
	}
	if err := tmpl.Execute(w, newHTMLView(r)); err != nil {
		return fmt.Errorf("write HTML report: %w", err)
	}
	return nil
}

// htmlView is what the template renders: the report plus the derived tables and groupings.
type htmlView struct {
	*Report
	VerdictClass string
	States       []State
	ByArea       []tally
	// Reasons are the verdict's reasons other than "ID failed", which the failure index shows.
	OtherReasons []string
	// Failures are the FAIL cases grouped by clause; Others the WARN, WAIVED and unjudged ones.
	Failures []htmlClauseGroup
	Others   []htmlClauseGroup
	// FailCount and OtherCount count the cases in Failures and Others.
	FailCount, OtherCount int
	Causes                []htmlCause
	// Matrix has a row for every clause; NotPassed counts those expanded.
	Matrix    []htmlClauseRow
	NotPassed int
	Areas     []htmlArea
	// CauseOf is the number (1-based) of the cause of each ERROR case, for links.
	CauseOf map[string]int
	// HasProblem is true for the cases shown in Failures or Others (they have a problem-ID
	// anchor); links to another case go to its row in the list of every case.
	HasProblem map[string]bool
}

// htmlProblem is a non-passing case with what explains it.
type htmlProblem struct {
	Case
	Failed    []Check
	Exchanges []Exchange
}

// htmlClauseGroup is the problems attributed to one clause (a case's first clause).
type htmlClauseGroup struct {
	Clause   string
	Problems []htmlProblem
}

// htmlCause is an ERROR cause with its number and the evidence of its first case.
type htmlCause struct {
	Cause
	N     int
	First htmlProblem
}

// htmlClauseRow is one row of the clause matrix; Cases lists the cases that did not pass.
type htmlClauseRow struct {
	tally
	Passed bool
	Cases  []Case
}

// htmlArea is one suite/area and its cases.
type htmlArea struct {
	Name  string
	Cases []Case
}

// displayStates is the order states appear in tables.
func displayStates() []State { return []State{Fail, Error, Warn, Waived, Skip, Pass} }

func newHTMLView(r *Report) htmlView {
	c := canonical(r)
	v := htmlView{Report: c, VerdictClass: strings.ToLower(c.Verdict.String()), States: displayStates(),
		ByArea: tallyBy(c.Cases, areaKey), CauseOf: map[string]int{}, HasProblem: map[string]bool{}}
	byID := exchangesByID(r.Exchanges)
	problem := func(k Case) htmlProblem {
		return htmlProblem{Case: k, Failed: failedChecks(k), Exchanges: failedExchanges(k, byID)}
	}
	v.Failures, v.FailCount = groupByClause(c.Cases.WithState(Fail), problem)
	v.Others, v.OtherCount = groupByClause(c.Cases.WithState(Warn, Waived, Invalid), problem)
	v.OtherReasons = otherReasons(c)
	for _, k := range c.Cases.WithState(Fail, Warn, Waived, Invalid) {
		v.HasProblem[k.ID] = true
	}
	causes := c.Causes
	if causes == nil {
		causes = GroupCauses(c.Cases)
	}
	for i, g := range causes {
		hc := htmlCause{Cause: g, N: i + 1}
		for _, k := range c.Cases {
			if k.ID == g.Cases[0] {
				hc.First = problem(k)
			}
		}
		for _, id := range g.Cases {
			v.CauseOf[id] = i + 1
		}
		v.Causes = append(v.Causes, hc)
	}
	v.Matrix, v.NotPassed = clauseMatrix(c.Cases)
	for _, t := range v.ByArea {
		a := htmlArea{Name: t.Key}
		for _, k := range c.Cases {
			if areaKey(k)[0] == t.Key {
				a.Cases = append(a.Cases, k)
			}
		}
		v.Areas = append(v.Areas, a)
	}
	return v
}

// groupByClause groups cases under their first clause (the one the case is about), clauses in
// natural order, and returns the groups and the number of cases.
func groupByClause(cases Cases, problem func(Case) htmlProblem) ([]htmlClauseGroup, int) {
	var out []htmlClauseGroup
	for _, t := range tallyBy(cases, func(k Case) []string { return clauseKeys(k)[:1] }) {
		g := htmlClauseGroup{Clause: t.Key}
		for _, k := range cases {
			if clauseKeys(k)[0] == t.Key {
				g.Problems = append(g.Problems, problem(k))
			}
		}
		out = append(out, g)
	}
	return out, len(cases)
}

// otherReasons drops from the verdict's reasons the "ID (clauses) failed" of each FAIL case:
// the failure index at the top of the page links every one of them instead.
func otherReasons(r *Report) []string {
	failed := map[string]bool{}
	for _, k := range r.Cases.WithState(Fail) {
		failed[caseWho(k)+" failed"] = true
	}
	var out []string
	for _, reason := range r.Reasons {
		if !failed[reason] {
			out = append(out, reason)
		}
	}
	return out
}

// clauseMatrix returns a row per clause and how many did not pass: a clause passed when none
// of its cases FAILed, ERRORed, WARNed, was WAIVED or was left unjudged.
func clauseMatrix(cases Cases) ([]htmlClauseRow, int) {
	var rows []htmlClauseRow
	notPassed := 0
	for _, t := range tallyBy(cases, clauseKeys) {
		row := htmlClauseRow{tally: t}
		for _, k := range cases {
			if k.State != Pass && k.State != Skip && slices.Contains(clauseKeys(k), t.Key) {
				row.Cases = append(row.Cases, k)
			}
		}
		row.Passed = len(row.Cases) == 0
		if !row.Passed {
			notPassed++
		}
		rows = append(rows, row)
	}
	return rows, notPassed
}

func exchangesByID(xs []Exchange) map[string]Exchange {
	m := make(map[string]Exchange, len(xs))
	for _, x := range xs {
		m[x.ID] = x
	}
	return m
}

// failedExchanges returns the exchanges of c's evidence that explain its failure: those of the
// steps with a failed check, and those that got no response. When no failed check names a step,
// every exchange of the case is shown.
func failedExchanges(c Case, byID map[string]Exchange) []Exchange {
	steps := map[int]bool{}
	for _, ch := range failedChecks(c) {
		if ch.Step > 0 {
			steps[ch.Step] = true
		}
	}
	var out []Exchange
	for _, id := range c.Evidence {
		x, ok := byID[id]
		if ok && (len(steps) == 0 || steps[x.Step] || x.Error != "") {
			out = append(out, x)
		}
	}
	return out
}
