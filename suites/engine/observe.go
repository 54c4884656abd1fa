package engine

import (
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// Attribution of cross-cutting rules. The pack's rules (specs.Rules) are checked on every
// exchange of every case: response headers, the response signature, the contract and masks. A
// rule check is a check with a Clause. When it fails in a case that lists its clause, it fails
// that case like any other check; in any other case it is Observed: it does not fail the case
// that happened to see it, and is recorded in the run's rule book against its clause. The
// clause's owner case, a final case calling the observed probe, then reports every exchange of
// the run in which the rule was seen broken, once, under its own clause, CWE and OWASP category.

// ruleBook is what the run has seen of each rule clause: how many exchanges were checked, and
// in which the rule was seen broken. It is shared by every case of the run.
type ruleBook struct {
	mu      sync.Mutex
	checked map[string]int
	broken  map[string]*brokenRule
}

// brokenRule is one clause's breaches: the count, the first exchange IDs (sorted, bounded) with
// what was wrong in each, and the kinds of check that saw them.
type brokenRule struct {
	count    int
	ids      []string
	examples map[string]string
	checks   map[string]bool
}

func newRuleBook() *ruleBook {
	return &ruleBook{checked: map[string]int{}, broken: map[string]*brokenRule{}}
}

// ruleHit is one rule check of one exchange of a case (every attempt of a repeated step
// included), kept until the case ends; its check is then redacted and it joins the book.
type ruleHit struct {
	clause, exchange string
	check            reports.Check
	broken           bool
}

// add records a case's rule checks, already redacted: each (clause, exchange) counts once, as
// broken when any check of that clause failed on it.
func (b *ruleBook) add(hits []ruleHit) {
	type key struct{ clause, exchange string }
	seen := map[key]int{}
	var order []key
	for i, h := range hits {
		k := key{h.clause, h.exchange}
		j, ok := seen[k]
		switch {
		case !ok:
			seen[k] = i
			order = append(order, k)
		case h.broken && !hits[j].broken:
			seen[k] = i
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, k := range order {
		h := hits[seen[k]]
		b.checked[h.clause]++
		if !h.broken {
			continue
		}
		br := b.broken[h.clause]
		if br == nil {
			br = &brokenRule{examples: map[string]string{}, checks: map[string]bool{}}
			b.broken[h.clause] = br
		}
		br.count++
		br.checks[h.check.Name] = true
		br.keep(h.exchange, breachText(h.check))
	}
}

// keep adds an exchange to the bounded list of the smallest IDs, so that the list and the
// example are the same whatever order the cases finished in.
func (br *brokenRule) keep(id, what string) {
	i, found := slices.BinarySearch(br.ids, id)
	if found {
		return
	}
	if len(br.ids) == reports.MaxObservedExchanges && i == len(br.ids) {
		return
	}
	br.ids = slices.Insert(br.ids, i, id)
	br.examples[id] = what
	if len(br.ids) > reports.MaxObservedExchanges {
		drop := br.ids[len(br.ids)-1]
		br.ids = br.ids[:len(br.ids)-1]
		delete(br.examples, drop)
	}
}

// breachText is what a failed rule check says was wrong.
func breachText(c reports.Check) string {
	switch {
	case c.Actual != "" && c.Detail != "":
		return c.Actual + " (" + c.Detail + ")"
	case c.Actual != "":
		return c.Actual
	}
	return c.Detail
}

// status returns how many exchanges were checked for clause and, when it was seen broken, the
// observation.
func (b *ruleBook) status(clause, owner string) (checked int, obs reports.Observation, broken bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	br := b.broken[clause]
	if br == nil {
		return b.checked[clause], reports.Observation{}, false
	}
	return b.checked[clause], br.observation(clause, owner), true
}

func (br *brokenRule) observation(clause, owner string) reports.Observation {
	o := reports.Observation{Clause: clause, Count: br.count, ExchangeIDs: slices.Clone(br.ids), Owner: owner,
		Checks: slices.Sorted(maps.Keys(br.checks))}
	if len(br.ids) > 0 {
		o.Example = br.examples[br.ids[0]]
	}
	return o
}

// observations returns every clause seen broken, sorted by clause.
func (b *ruleBook) observations(owners map[string]string) []reports.Observation {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := make([]reports.Observation, 0, len(b.broken))
	for _, clause := range slices.Sorted(maps.Keys(b.broken)) {
		out = append(out, b.broken[clause].observation(clause, owners[clause]))
	}
	return out
}

// Observations returns every cross-cutting rule seen broken so far, one per clause, sorted by
// clause, each naming its owner case. The runner puts them in the report.
func (e *Executor) Observations() []reports.Observation { return e.book.observations(e.owners) }

// ruleOwners maps each rule clause to its owner case (lint makes it exactly one).
func ruleOwners(p *specs.Pack) map[string]string {
	out := map[string]string{}
	for clause, ids := range p.OwnerCases() {
		if len(ids) > 0 {
			out[clause] = ids[0]
		}
	}
	return out
}

// headerRule returns the clause of the rule on response header name.
func (e *Executor) headerRule(name string) string {
	c, _ := e.opts.Pack.Manifest.Rules.HeaderClause(http.CanonicalHeaderKey(name))
	return c
}

// noteChecked records that clause was checked on the judged exchange without being seen broken
// there (the book counts each exchange once, broken when any check of the clause failed).
func (j *judge) noteChecked(clause string) {
	j.r.hits = append(j.r.hits, ruleHit{clause: clause, exchange: j.xid})
}

// runObserved is the observed probe: for each of the case's clauses that is a rule, one check
// that fails when the rule was seen broken in any exchange of the run. A rule no exchange was
// checked for cannot be judged: the case is then SKIP with the reason (a filtered run), never
// PASS.
func (r *caseRun) runObserved(i int, step *specs.Step) bool {
	rules := r.e.opts.Pack.Manifest.RuleClauses()
	ok := true
	for _, clause := range r.c.Clauses {
		if !slices.Contains(rules, clause) {
			continue
		}
		checked, obs, broken := r.e.book.status(clause, r.c.ID)
		expected := "no response of the run breaks " + clause
		c := reports.Check{Name: "observed", Step: i + 1, StepName: step.Name, Expected: expected, Clause: clause}
		switch {
		case broken:
			c.Outcome = reports.Failed
			c.Actual = fmt.Sprintf("broken in %d of %d exchanges checked, e.g. %s: %s", obs.Count, checked, obs.ExchangeIDs[0], obs.Example)
			c.Detail = "exchanges: " + strings.Join(obs.ExchangeIDs, ", ")
			if obs.Count > len(obs.ExchangeIDs) {
				c.Detail += fmt.Sprintf(" and %d more", obs.Count-len(obs.ExchangeIDs))
			}
		case checked == 0:
			c.Outcome = reports.NotChecked
			c.Detail = "no exchange of this run was checked for " + clause
			ok = false
			if r.blocked == "" {
				r.blocked = fmt.Sprintf("not judged: %s: no exchange of this run was checked for %s (a filtered run, or every case that would have exchanged was not judged)",
					stepLabel(i, step), clause)
			}
		default:
			c.Outcome = reports.Passed
			c.Actual = fmt.Sprintf("kept in all %d exchanges checked", checked)
		}
		r.checks = append(r.checks, c)
	}
	return ok
}
