package specs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// caseLinter checks one case; it tracks what earlier steps declared (names, captures) so that
// references can only point backwards.
type caseLinter struct {
	li       *linter
	cs       *caseSource
	c        *Case
	personas map[string]bool
	vars     map[string]bool // captured by the steps checked so far
	steps    map[string]bool // names of the steps checked so far
	roots    []string        // template data of the current step
}

// newCaseLinter prepares the checks of one case.
func newCaseLinter(li *linter, cs *caseSource) *caseLinter {
	return &caseLinter{li: li, cs: cs, c: cs.c, personas: map[string]bool{}, vars: map[string]bool{}, steps: map[string]bool{}}
}

// errf records a problem of the case at field, or at the nearest enclosing node that has a
// position (a missing key is reported at its parent).
func (cl *caseLinter) errf(field, format string, args ...any) {
	cl.err(field, fmt.Errorf(format, args...))
}

// err records a problem of the case at field.
func (cl *caseLinter) err(field string, err error) {
	cl.li.c.add(cl.posOf(field), cl.c.ID, field, err)
}

// posOf finds the position of field or of its nearest ancestor.
func (cl *caseLinter) posOf(field string) Pos {
	for {
		if p, ok := cl.cs.pos[field]; ok {
			return p
		}
		i := strings.LastIndexAny(field, ".[")
		if i < 0 {
			return cl.cs.pos[""]
		}
		field = field[:i]
	}
}

// run checks the case's header, personas and steps.
func (cl *caseLinter) run() {
	cl.identity()
	cl.clauses()
	cl.security()
	cl.personaNames()
	cl.when()
	if cl.c.Timeout < 0 {
		cl.errf("timeout", "negative timeout")
	}
	if len(cl.c.Steps) == 0 {
		cl.errf("steps", "missing steps")
	}
	for i := range cl.c.Steps {
		cl.step(i, &cl.c.Steps[i])
	}
}

// identity checks ID, title, suite, profile and labels.
func (cl *caseLinter) identity() {
	c := cl.c
	switch {
	case c.ID == "":
		cl.errf("id", "missing id")
	case !caseIDPattern.MatchString(c.ID):
		cl.errf("id", "case ID %q does not match %s", c.ID, caseIDPattern)
	}
	if strings.TrimSpace(c.Title) == "" {
		cl.errf("title", "missing title")
	}
	switch {
	case !validSuite(c.Suite):
		cl.errf("suite", "suite %q is not functional or security", c.Suite)
	case strings.HasPrefix(c.ID, "FUN-") && c.Suite != Functional:
		cl.errf("suite", "a FUN- case belongs to suite functional, not %s", c.Suite)
	case strings.HasPrefix(c.ID, "SEC-") && c.Suite != Security:
		cl.errf("suite", "a SEC- case belongs to suite security, not %s", c.Suite)
	}
	switch {
	case c.Profile == "":
		cl.errf("profile", "missing profile (one of %s or %s)", strings.Join(cl.li.m.Profiles, ", "), AnyProfile)
	case c.Profile != AnyProfile && !slices.Contains(cl.li.m.Profiles, c.Profile):
		cl.errf("profile", "unknown profile %q (want %s or %s)", c.Profile, strings.Join(cl.li.m.Profiles, ", "), AnyProfile)
	}
	for i, label := range c.Labels {
		if !validLabel(label) {
			cl.errf("labels["+strconv.Itoa(i)+"]", "label %q is not a filter term (empty, a space, one of &|!,()/ or a ':' at either end)", label)
		}
	}
}

// clauses checks the traced clauses and that the case is not stronger than them.
func (cl *caseLinter) clauses() {
	c := cl.c
	if len(c.Clauses) == 0 {
		cl.errf("clauses", "missing clauses (the clause IDs this case checks)")
	}
	strongest := Level("")
	for i, id := range c.Clauses {
		clause := cl.li.clauses[id]
		if clause == nil {
			cl.errf("clauses["+strconv.Itoa(i)+"]", "unknown clause %q", id)
			continue
		}
		if clause.Level == MUST || strongest == "" {
			strongest = clause.Level
		}
	}
	switch {
	case !validLevel(c.Level):
		cl.errf("level", "level %q is not MUST or SHOULD", c.Level)
	case c.Level == MUST && strongest == SHOULD:
		cl.errf("level", "level MUST is stronger than its clauses' strongest level SHOULD")
	}
}

// security checks the OWASP and CWE classification: required on security cases, well formed
// wherever given.
func (cl *caseLinter) security() {
	c := cl.c
	sec := c.Suite == Security
	switch {
	case c.OWASP == "" && sec:
		cl.errf("owasp", "security case without owasp (e.g. API1:2023)")
	case c.OWASP != "" && !owaspPattern.MatchString(c.OWASP):
		cl.errf("owasp", "owasp %q does not match %s", c.OWASP, owaspPattern)
	}
	switch {
	case c.CWE == "" && sec:
		cl.errf("cwe", "security case without cwe (e.g. CWE-639)")
	case c.CWE != "" && !cwePattern.MatchString(c.CWE):
		cl.errf("cwe", "cwe %q does not match %s", c.CWE, cwePattern)
	}
}

// personaNames checks that persona names are unique identifiers (they appear as .p.NAME).
func (cl *caseLinter) personaNames() {
	for i, p := range cl.c.Personas {
		field := "personas[" + strconv.Itoa(i) + "]"
		switch {
		case !identPattern.MatchString(p):
			cl.errf(field, "persona %q is not an identifier (it is used as .p.%s)", p, p)
		case cl.personas[p]:
			cl.errf(field, "persona %q declared twice", p)
		}
		cl.personas[p] = true
	}
}

// persona checks a reference to a persona.
func (cl *caseLinter) persona(field, name string) {
	if !cl.personas[name] {
		cl.errf(field, "persona %q is not declared in personas", name)
	}
}

// earlierStep checks a reference to an earlier step by name.
func (cl *caseLinter) earlierStep(field, name string) {
	if !cl.steps[name] {
		cl.errf(field, "%q names no earlier step of this case", name)
	}
}

// template checks a template string of this case: syntax, functions, and that .p and .v name
// declared personas and captured variables.
func (cl *caseLinter) template(field, text string, vars map[string]bool) {
	cl.li.tpl.check(text, &tplScope{roots: cl.roots, personas: cl.personas, vars: vars}, func(err error) {
		cl.err(field, err)
	})
}

// templates checks every template of a string map (headers, query, path parameters).
func (cl *caseLinter) templates(field string, m map[string]string) {
	for k, v := range m {
		cl.template(join(field, k), v, cl.vars)
	}
}

// value checks every string of a typed value as a template.
func (cl *caseLinter) value(field string, v *Value, vars map[string]bool) {
	if v == nil {
		return
	}
	switch v.Kind {
	case KindString:
		cl.template(field, v.Str, vars)
	case KindMap:
		for _, kv := range v.Map {
			cl.value(join(field, kv.Key), kv.Value, vars)
		}
	case KindList:
		for i, item := range v.List {
			cl.value(field+"["+strconv.Itoa(i)+"]", item, vars)
		}
	}
}

// validLabel follows ginkgo's label rules (labels become label-filter terms) and also refuses
// spaces, which ginkgo would trim silently.
func validLabel(label string) bool {
	return label != "" && !strings.ContainsAny(label, "&|!,()/ \t") &&
		!strings.HasPrefix(label, ":") && !strings.HasSuffix(label, ":")
}
