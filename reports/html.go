package reports

import (
	_ "embed" // for the HTML template
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed templates/report.html.tmpl
var htmlTemplate string

// WriteHTML writes r as one self-contained HTML page (inline CSS, no scripts, no external
// assets): the verdict and the run's identity, tables by area and by clause, the failures first
// with their failed checks and exchanges, then every case grouped by area. Everything is
// rendered as escaped text by html/template; bodies and headers are shown exactly as the
// engine recorded them (already redacted).
func WriteHTML(w io.Writer, r *Report) error {
	tmpl, err := template.New("report").Funcs(template.FuncMap{
		"stateClass": func(s State) string { return strings.ToLower(s.String()) },
		"join":       strings.Join,
		"time":       formatTime,
		"checkLine":  checkLine,
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
	ByClause     []tally
	Problems     []htmlProblem
	Areas        []htmlArea
}

// htmlProblem is a non-passing case with what explains it.
type htmlProblem struct {
	Case
	Failed    []Check
	Exchanges []Exchange
}

// htmlArea is one suite/area and its cases.
type htmlArea struct {
	Name  string
	Cases []Case
}

// displayStates is the order states appear in tables; the first four are the "failures first"
// section of the HTML page.
func displayStates() []State { return []State{Fail, Error, Warn, Waived, Skip, Pass} }

func newHTMLView(r *Report) htmlView {
	c := canonical(r)
	v := htmlView{Report: c, VerdictClass: strings.ToLower(c.Verdict.String()), States: displayStates(),
		ByArea: tallyBy(c.Cases, areaKey), ByClause: tallyBy(c.Cases, clauseKeys)}
	byID := exchangesByID(r.Exchanges)
	for _, s := range displayStates()[:4] {
		for _, k := range c.Cases.WithState(s) {
			v.Problems = append(v.Problems, htmlProblem{Case: k, Failed: failedChecks(k),
				Exchanges: failedExchanges(k, byID)})
		}
	}
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
