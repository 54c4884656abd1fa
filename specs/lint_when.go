package specs

import (
	"slices"
	"strconv"
	"strings"
	"text/template"
)

// clauseProfiles checks a clause's profiles: each one of the manifest's, at most once.
func (li *linter) clauseProfiles(cl *Clause, field string) {
	for i, p := range cl.Profiles {
		if !slices.Contains(li.m.Profiles, p) || slices.Index(cl.Profiles, p) != i {
			li.merr(field+".profiles["+strconv.Itoa(i)+"]", "clause %s: profile %q is not one of %s or is repeated",
				cl.ID, p, strings.Join(li.m.Profiles, ", "))
		}
	}
}

// whenRoots is the data a case's `when` template may read: the declaration only, since the
// condition is decided before anything is sent.
func whenRoots() []string { return []string{"d"} }

// when checks a case's condition: an expression over .d with text/template's built-in
// functions only, and the reason shown when the case is not applicable.
func (cl *caseLinter) when() {
	w := cl.c.When
	if w == nil {
		return
	}
	if !strings.Contains(w.Expr, "{{") {
		cl.errf("when.expr", "missing expr (a template over .d rendering true or false, e.g. '{{ .d.level2 }}')")
	}
	if strings.TrimSpace(w.Reason) == "" {
		cl.errf("when.reason", "missing reason (why the case does not apply when the condition is false)")
	}
	builtinsOnly := newTemplateParser(template.FuncMap{})
	builtinsOnly.check(w.Expr, &tplScope{roots: whenRoots()}, func(err error) { cl.err("when.expr", err) })
}
