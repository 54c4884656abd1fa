package runner

import (
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// report builds the run's report from the outcomes, listing every case of the pack in pack
// order (cases that did not execute are SKIP with the reason), and judges it.
func (t *Tree) report(started time.Time) *reports.Report {
	n := t.n
	rep := &reports.Report{
		SchemaVersion: reports.SchemaVersion,
		Tool:          n.Tool,
		Pack:          reports.PackRef{Name: n.Pack.Manifest.Name, Version: n.Pack.Manifest.Version, SHA256: n.Pack.SHA256},
		Target:        n.Target,
		Filters:       reports.Filters{LabelFilter: n.LabelFilter, Focus: n.Focus, Profile: n.Profile},
		Seed:          n.Seed,
		Concurrency:   n.Concurrency,
		StartedAt:     started,
		Cases:         make(reports.Cases, 0, len(t.slots)),
	}
	for _, s := range t.slots {
		o, interrupted, ok := s.fut.result()
		switch {
		case ok:
			rep.Interrupted = rep.Interrupted || interrupted
		case s.selected:
			// Unreachable once the pool has stopped; kept so that no case can pass unjudged.
			o, rep.Interrupted = interruptedOutcome(s.c, "the case has no outcome", nil), true
		default:
			o = Outcome{CaseID: s.c.ID, State: reports.Skip, Message: s.skip}
		}
		rep.Cases = append(rep.Cases, n.caseReport(s.c, &o))
	}
	rep.Exchanges = n.Runner.Exchanges()
	if src, ok := n.Runner.(ObservationSource); ok {
		rep.Observations = src.Observations()
	}
	rep.FinishedAt = n.Now()
	reports.Judge(rep)
	return rep
}

// caseReport is the report entry of c with outcome o (nil: not known yet).
func (n *normalized) caseReport(c *specs.Case, o *Outcome) reports.Case {
	rc := reports.Case{
		ID:       c.ID,
		Title:    c.Title,
		Clauses:  append([]string{}, c.Clauses...),
		Level:    string(c.Level),
		Suite:    string(c.Suite),
		Area:     c.Area,
		Labels:   append([]string{}, c.Labels...),
		Profile:  c.Profile,
		OWASP:    c.OWASP,
		CWE:      c.CWE,
		Source:   source(c),
		Checks:   []reports.Check{},
		Evidence: []string{},
	}
	if n.RerunCommand != nil {
		rc.Rerun = n.RerunCommand(c.ID)
	}
	if o != nil {
		rc.State, rc.Message, rc.DurationMs = o.State, o.Message, o.Duration.Milliseconds()
		rc.NotApplicable = o.NotApplicable
		rc.Checks = append(rc.Checks, o.Checks...)
		rc.Evidence = append(rc.Evidence, o.Evidence...)
	}
	if len(rc.Checks) == 0 && rc.State != reports.Skip {
		// A case that ended before any check ran (interrupted, timed out, target unreachable)
		// still says so in its checks, so no verdict is left unexplained.
		rc.Checks = append(rc.Checks, reports.Check{Name: "execution", Outcome: reports.NotChecked,
			Detail: "no check ran: " + rc.Message})
	}
	return rc
}
