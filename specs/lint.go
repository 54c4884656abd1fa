package specs

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/theory/jsonpath"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// Patterns the linter enforces.
var (
	caseIDPattern = regexp.MustCompile(`^(FUN|SEC)-[A-Z0-9]+-[0-9]{3}$`)
	owaspPattern  = regexp.MustCompile(`^API([1-9]|10):2023$`)
	cwePattern    = regexp.MustCompile(`^CWE-[0-9]+$`)
	identPattern  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	varPattern    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$`)
)

// linter checks a decoded pack; every check records its problems and goes on.
type linter struct {
	l       *loader
	c       *collector
	m       *Manifest
	mpos    map[string]Pos
	ct      *contracts
	clauses map[string]*Clause
	tpl     *templateParser
	gql     *rules.Rules
	// seen holds the first case of each ID, for the duplicate-ID check.
	seen map[string]*caseSource
}

// newLinter prepares a linter for the loader's decoded pack.
func newLinter(l *loader, ct *contracts) *linter {
	return &linter{
		l:       l,
		c:       l.c,
		m:       &l.pack.Manifest,
		mpos:    l.manifest.pos,
		ct:      ct,
		clauses: map[string]*Clause{},
		tpl:     newTemplateParser(l.opts.Funcs),
		gql:     rules.NewDefaultRules(),
		seen:    map[string]*caseSource{},
	}
}

// begin checks the manifest and indexes the clause catalogue, before any case is linted.
func (li *linter) begin() {
	li.manifest()
	li.clauseCatalogue()
}

// cases lints newly decoded cases, then drops their position tables.
func (li *linter) cases(batch []*caseSource) {
	for _, cs := range batch {
		if li.l.interrupted() {
			return
		}
		li.duplicate(cs)
		newCaseLinter(li, cs).run()
		cs.pos = nil
	}
}

// end checks what needs every case: the rules' owner cases and clause coverage.
func (li *linter) end() {
	li.rules()
	li.coverage()
}

// merr records a manifest problem at field (or at the manifest root when field has no node).
func (li *linter) merr(field, format string, args ...any) {
	pos, ok := li.mpos[field]
	if !ok {
		pos = li.mpos[""]
	}
	li.c.addf(pos, "", field, format, args...)
}

// manifest checks pack.yaml's required fields and the references it makes.
func (li *linter) manifest() {
	m := li.m
	for _, f := range []struct{ name, value string }{
		{"name", m.Name}, {"version", m.Version}, {"title", m.Title}, {"platform", m.Platform},
	} {
		if strings.TrimSpace(f.value) == "" {
			li.merr(f.name, "missing %s", f.name)
		}
	}
	if m.Platform != "" && len(li.l.opts.Platforms) > 0 && !slices.Contains(li.l.opts.Platforms, m.Platform) {
		li.merr("platform", "unknown platform %q (known: %s)", m.Platform, strings.Join(li.l.opts.Platforms, ", "))
	}
	li.contractFields()
	if len(m.Profiles) == 0 {
		li.merr("profiles", "missing profiles (the profiles a channel may declare, e.g. rest, graphql)")
	}
	for i, p := range m.Profiles {
		if p == "" || p == AnyProfile || slices.Index(m.Profiles, p) != i {
			li.merr("profiles["+strconv.Itoa(i)+"]", "profile %q is empty, reserved or repeated", p)
		}
	}
	if len(m.Cases) == 0 {
		li.merr("cases", "missing cases (glob patterns of the case files)")
	}
	li.unsigned()
	for name, text := range m.SessionHeaders {
		li.tpl.check(text, &tplScope{roots: sessionRoots()}, func(err error) {
			li.merr("sessionHeaders."+name, "%v", err)
		})
	}
}

// contractFields checks the contracts block and the error-code path.
func (li *linter) contractFields() {
	m := li.m
	if m.Contracts.OpenAPI == "" && m.Contracts.GraphQL == "" {
		li.merr("contracts", "missing contracts (name an openapi or a graphql contract file)")
	}
	if m.Contracts.GraphQL != "" && !strings.HasPrefix(m.Contracts.GraphQLPath, "/") {
		li.merr("contracts.graphqlPath", "graphqlPath %q must be a path starting with / (GraphQL operations are posted there)", m.Contracts.GraphQLPath)
	}
	if l := m.ResponseLimit; l != nil && (l.BodyBytes <= 0 || l.Clause == "") {
		li.merr("responseLimit", "responseLimit needs bodyBytes > 0 and the clause a bigger response breaks")
	}
	switch {
	case m.ErrorCode == "" && m.Contracts.OpenAPI != "":
		li.merr("errorCode", "missing errorCode (the JSONPath of the error code in REST error bodies)")
	case m.ErrorCode != "":
		if _, err := jsonpath.Parse(m.ErrorCode); err != nil {
			li.merr("errorCode", "bad JSONPath %q: %v", m.ErrorCode, err)
		}
	}
}

// unsigned checks that every unsigned operation exists in the OpenAPI contract.
func (li *linter) unsigned() {
	if li.ct.ops == nil {
		return
	}
	for i, op := range li.m.Unsigned {
		if li.ct.ops[op] == nil {
			li.merr("unsigned["+strconv.Itoa(i)+"]", "unknown operationId %q", op)
		}
	}
}

// clauseCatalogue checks each clause and indexes them by ID.
func (li *linter) clauseCatalogue() {
	if len(li.m.Clauses) == 0 {
		li.merr("clauses", "missing clauses (the clause catalogue of the standard)")
	}
	for i := range li.m.Clauses {
		cl := &li.m.Clauses[i]
		field := "clauses[" + strconv.Itoa(i) + "]"
		if cl.ID == "" {
			li.merr(field, "clause without id")
		} else if prev, dup := li.clauses[cl.ID]; dup {
			li.merr(field, "duplicate clause %s (first at line %d)", cl.ID, prev.Pos.Line)
		} else {
			li.clauses[cl.ID] = cl
		}
		if cl.Title == "" {
			li.merr(field, "clause %s has no title", cl.ID)
		}
		if !validLevel(cl.Level) {
			li.merr(field+".level", "level %q is not MUST or SHOULD", cl.Level)
		}
		if !validSuite(cl.Suite) {
			li.merr(field+".suite", "suite %q is not functional or security", cl.Suite)
		}
		li.clauseProfiles(cl, field)
	}
}

// duplicate reports a case ID used twice, at both positions.
func (li *linter) duplicate(cs *caseSource) {
	id := cs.c.ID
	if id == "" {
		return
	}
	first, dup := li.seen[id]
	if !dup {
		li.seen[id] = cs
		return
	}
	at := func(p Pos) string { return fmt.Sprintf("%s:%d:%d", displayPath(li.c.root, p.File), p.Line, p.Col) }
	li.c.addf(cs.idPos, id, "id", "duplicate case ID (also at %s)", at(first.idPos))
	li.c.addf(first.idPos, id, "id", "duplicate case ID (also at %s)", at(cs.idPos))
}

// coverage reports every MUST clause that, on one of the profiles it applies to, no case of its
// own suite traces and runs: a case of that profile or of any profile. A certificate covers
// exactly the declared profiles, so a clause tested over REST only would be certified untested
// for a GraphQL-only channel.
func (li *linter) coverage() {
	covered := map[string]map[string]bool{} // clause -> profiles with a case
	for _, cs := range li.l.cases {
		for _, id := range cs.c.Clauses {
			cl := li.clauses[id]
			if cl == nil || cl.Suite != cs.c.Suite {
				continue
			}
			if covered[id] == nil {
				covered[id] = map[string]bool{}
			}
			covered[id][cs.c.Profile] = true
		}
	}
	for i := range li.m.Clauses {
		cl := &li.m.Clauses[i]
		if cl.Level != MUST || cl.ID == "" || li.clauses[cl.ID] != cl {
			continue
		}
		field := "clauses[" + strconv.Itoa(i) + "]"
		if len(covered[cl.ID]) == 0 {
			li.c.add(cl.Pos, "", field, &CoverageError{Clause: cl.ID, Level: cl.Level, Suite: cl.Suite})
			continue
		}
		for _, p := range cl.AppliesTo(li.m.Profiles) {
			if !covered[cl.ID][p] && !covered[cl.ID][AnyProfile] {
				li.c.add(cl.Pos, "", field, &CoverageError{Clause: cl.ID, Level: cl.Level, Suite: cl.Suite, Profile: p})
			}
		}
	}
}

// CoverageError says that a MUST clause of the catalogue is traced by no case of its suite, or
// by none that runs on one of the profiles the clause applies to (Profile): the pack cannot
// certify that clause (on that profile). Callers single it out with errors.As (a pack under
// construction may accept these while refusing every other problem).
type CoverageError struct {
	Clause  string
	Level   Level
	Suite   Suite
	Profile string // "" when no case traces the clause at all
}

// Error reads like "CAI-4.2 (MUST, functional) has no case" or "... has no case on profile
// graphql (a case of profile graphql or any)".
func (e *CoverageError) Error() string {
	if e.Profile != "" {
		return fmt.Sprintf("%s (%s, %s) has no case on profile %s (a case of profile %s or %s)",
			e.Clause, e.Level, e.Suite, e.Profile, e.Profile, AnyProfile)
	}
	return fmt.Sprintf("%s (%s, %s) has no case", e.Clause, e.Level, e.Suite)
}

// validLevel reports whether l is MUST or SHOULD.
func validLevel(l Level) bool { return l == MUST || l == SHOULD }

// validSuite reports whether s is functional or security.
func validSuite(s Suite) bool { return s == Functional || s == Security }
