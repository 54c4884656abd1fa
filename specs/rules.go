package specs

import (
	"net/http"
	"slices"
)

// ObservedProbe is the probe a rule's owner case calls (without parameters) to report every
// exchange of the run in which one of its clauses, a cross-cutting rule, was seen broken. The
// engine provides it; it only makes sense in a final case, after every other case ran.
const ObservedProbe = "observed"

// Rules are a pack's cross-cutting rules: requirements on every response of the run, which the
// engine checks on every exchange of every case, whichever case made the request. Each names
// the clause it enforces. A rule seen broken in a case that does not list its clause is recorded
// against that clause (an observation) and does not fail that case; the clause's owner case
// (OwnerCases) reports it with every exchange it was seen in. A case that lists the clause
// fails on the check directly.
type Rules struct {
	// Signature is the clause of the response signature (the platform's VerifyResponse).
	Signature string `yaml:"signature"`
	// Contract is the clause of a response's conformance to the contract: a documented status,
	// the documented headers not listed in Headers, and a body of the documented schema.
	Contract string `yaml:"contract"`
	// Masked is the clause of the masks a case's `masked` assertions check.
	Masked string `yaml:"masked"`
	// Headers maps response header names to the clause requiring them: a contract problem about
	// one of these headers counts against its clause, not against Contract.
	Headers map[string]string `yaml:"headers"`
	// ErrorBody is the clause of the error body. A refusal whose error code cannot be read (no
	// error body) leaves a case's code expectation not judged, blamed on this clause, instead of
	// failing the case: the harness cannot tell which refusal it was.
	ErrorBody string `yaml:"errorBody"`
	// Refusals map error codes to the clause a channel breaks when it answers them to a request
	// the harness built and signed correctly (SIGNATURE_INVALID to a valid signature): the case
	// is then not judged, blamed on that clause, instead of failed.
	Refusals map[string]string `yaml:"refusals"`
}

// Clauses returns every clause the rules name, sorted, each once.
func (r Rules) Clauses() []string {
	var out []string
	for _, c := range []string{r.Signature, r.Contract, r.Masked} {
		if c != "" {
			out = append(out, c)
		}
	}
	for _, c := range r.Headers {
		if c != "" {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// RuleClauses returns every clause checked on every response, sorted, each once: the rules'
// and the response size limit's. Each needs an owner case.
func (m *Manifest) RuleClauses() []string {
	out := m.Rules.Clauses()
	if m.ResponseLimit != nil && m.ResponseLimit.Clause != "" && !slices.Contains(out, m.ResponseLimit.Clause) {
		out = append(out, m.ResponseLimit.Clause)
		slices.Sort(out)
	}
	return out
}

// HeaderClause returns the clause of the rule on response header name (any case), if any.
func (r Rules) HeaderClause(name string) (string, bool) {
	want := http.CanonicalHeaderKey(name)
	for h, c := range r.Headers {
		if http.CanonicalHeaderKey(h) == want {
			return c, true
		}
	}
	return "", false
}

// OwnerCases maps each rule clause to the IDs of its owner cases: the final cases that list the
// clause and call the observed probe. Lint requires exactly one per rule clause.
func (p *Pack) OwnerCases() map[string][]string {
	out := map[string][]string{}
	for _, clause := range p.Manifest.RuleClauses() {
		for i := range p.Cases {
			if ownsClause(&p.Cases[i], clause) {
				out[clause] = append(out[clause], p.Cases[i].ID)
			}
		}
	}
	return out
}

// ownsClause reports whether c is an owner case of clause.
func ownsClause(c *Case, clause string) bool {
	return c.Final && slices.Contains(c.Clauses, clause) && callsObserved(c)
}

// callsObserved reports whether a step of c calls the observed probe.
func callsObserved(c *Case) bool {
	return slices.ContainsFunc(c.Steps, func(s Step) bool { return s.Probe != nil && s.Probe.Name == ObservedProbe })
}

// rules checks the manifest's rules: every clause is in the catalogue, and every rule clause has
// exactly one owner case (a final case listing it that calls the observed probe), so that a
// breach seen anywhere in a run is reported, once, by a case of that clause.
func (li *linter) rules() {
	r := li.m.Rules
	for _, f := range []struct{ field, clause string }{
		{"rules.signature", r.Signature}, {"rules.contract", r.Contract}, {"rules.masked", r.Masked},
	} {
		li.ruleClause(f.field, f.clause)
	}
	li.ruleClause("rules.errorBody", r.ErrorBody)
	for code, clause := range r.Refusals {
		li.ruleClause("rules.refusals."+code, clause)
		if clause == "" {
			li.merr("rules.refusals."+code, "refusal %s names no clause", code)
		}
	}
	for name, clause := range r.Headers {
		field := "rules.headers." + name
		if http.CanonicalHeaderKey(name) == "" {
			li.merr(field, "empty header name")
		}
		li.ruleClause(field, clause)
		if clause == "" {
			li.merr(field, "header rule %s names no clause", name)
		}
	}
	owners := li.ownerCases()
	for _, clause := range li.m.RuleClauses() {
		switch ids := owners[clause]; len(ids) {
		case 0:
			li.merr("rules", "rule clause %s has no owner case (a final case listing %s with a step `probe: {name: %s}`): "+
				"a breach seen in another case's exchange would be reported by no case", clause, clause, ObservedProbe)
		case 1:
		default:
			li.merr("rules", "rule clause %s has %d owner cases (%v); exactly one reports it", clause, len(ids), ids)
		}
	}
}

// ruleClause checks that a rule's clause, when set, is in the catalogue.
func (li *linter) ruleClause(field, clause string) {
	if clause != "" && li.clauses[clause] == nil {
		li.merr(field, "unknown clause %q", clause)
	}
}

// ownerCases is OwnerCases over the cases being linted.
func (li *linter) ownerCases() map[string][]string {
	out := map[string][]string{}
	for _, clause := range li.m.RuleClauses() {
		for _, cs := range li.l.cases {
			if ownsClause(cs.c, clause) {
				out[clause] = append(out[clause], cs.c.ID)
			}
		}
	}
	return out
}

// observedStep checks a step calling the observed probe: it reads the whole run, so its case
// must be final, and it reports rule clauses, so its case must list at least one.
func (cl *caseLinter) observedStep(f string) {
	if !cl.c.Final {
		cl.errf(f, "probe %s reads every exchange of the run: the case must be final", ObservedProbe)
	}
	rules := cl.li.m.RuleClauses()
	if !slices.ContainsFunc(cl.c.Clauses, func(id string) bool { return slices.Contains(rules, id) }) {
		cl.errf(f, "probe %s reports rule clauses, but none of the case's clauses is a rule of pack.yaml (rule clauses: %v)",
			ObservedProbe, rules)
	}
}
