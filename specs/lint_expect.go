package specs

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// jsonTypes returns the operands of the type operator.
func jsonTypes() []string {
	return []string{"string", "number", "integer", "boolean", "object", "array", "null"}
}

// expect checks a step's expectations; vars include the step's own captures.
func (cl *caseLinter) expect(f string, s *Step, vars map[string]bool) {
	e := &s.Expect
	if s.Probe != nil && !emptyExpect(e) {
		cl.errf(f, "a probe step has no expect (the probe reports its own checks)")
	}
	for _, code := range e.Status {
		if code < 100 || code > 599 {
			cl.errf(f+".status", "status %d is not an HTTP status code", code)
		}
	}
	for i := range e.Headers {
		h := &e.Headers[i]
		hf := f + ".headers[" + strconv.Itoa(i) + "]"
		if strings.TrimSpace(h.Name) == "" {
			cl.errf(hf+".name", "missing header name")
		}
		cl.operand(hf, h.Op, h.Value, vars)
	}
	for i := range e.JSON {
		cl.jsonAssert(f+".json["+strconv.Itoa(i)+"]", &e.JSON[i], vars)
	}
	for i := range e.Body {
		a := &e.Body[i]
		bf := f + ".body[" + strconv.Itoa(i) + "]"
		if a.Path != "" || a.Expr != "" {
			cl.errf(bf, "a body assertion tests the raw body text: no path or expr (use json)")
		}
		cl.operand(bf, a.Op, a.Value, vars)
	}
	for i := range e.Masked {
		cl.masked(f+".masked["+strconv.Itoa(i)+"]", &e.Masked[i])
	}
	if e.SameAs != "" {
		cl.earlierStep(f+".sameAs", e.SameAs)
	}
}

// emptyExpect reports whether nothing is asserted (Contract and Signature aside).
func emptyExpect(e *Expect) bool {
	return len(e.Status) == 0 && e.Code == "" && len(e.Headers) == 0 && len(e.JSON) == 0 &&
		len(e.Body) == 0 && len(e.Masked) == 0 && e.SameAs == ""
}

// jsonAssert checks a JSON assertion: exactly one of path and expr, then its operand.
func (cl *caseLinter) jsonAssert(f string, a *Assert, vars map[string]bool) {
	if (a.Path == "") == (a.Expr == "") {
		cl.errf(f, "want exactly one of path and expr")
	}
	cl.jsonPath(f+".path", a.Path)
	cl.template(f+".expr", a.Expr, vars)
	cl.operand(f, a.Op, a.Value, vars)
}

// masked checks a mask assertion.
func (cl *caseLinter) masked(f string, m *MaskAssert) {
	if m.Path == "" {
		cl.errf(f+".path", "missing path")
	}
	cl.jsonPath(f+".path", m.Path)
	if !slices.Contains(MaskKinds(), m.Kind) {
		cl.errf(f+".kind", "unknown masked kind %q (want one of %s)", m.Kind, strings.Join(MaskKinds(), ", "))
	}
	if m.Of == "" {
		cl.errf(f+".of", "missing of (the persona whose datum is masked)")
	} else {
		cl.persona(f+".of", m.Of)
	}
}

// operand checks that an operator's operand has the type the operator needs, and parses its
// templates and regular expressions.
func (cl *caseLinter) operand(f, op string, v *Value, vars map[string]bool) {
	if op == "" || v == nil {
		return // the missing operator is reported by the decoder
	}
	f = join(f, op)
	template := v.Kind == KindString && strings.Contains(v.Str, "{{")
	switch op {
	case "exists", "absent":
		if v.Kind != KindBool {
			cl.errf(f, "%s takes true or false", op)
		}
	case "matches", "notMatches":
		cl.pattern(f, v, template)
	case "type":
		if v.Kind != KindString || !slices.Contains(jsonTypes(), v.Str) {
			cl.errf(f, "type takes one of %s", strings.Join(jsonTypes(), ", "))
		}
	case "lt", "le", "gt", "ge", "len":
		cl.number(f, op, v, template)
	}
	cl.value(f, v, vars)
}

// number checks the operand of lt, le, gt, ge (a number) and len (a non-negative integer); a
// template is checked at run time, after rendering.
func (cl *caseLinter) number(f, op string, v *Value, template bool) {
	switch {
	case template:
	case v.Kind != KindNumber:
		cl.errf(f, "%s takes a number (or a template producing one)", op)
	case op == "len":
		if _, err := strconv.ParseUint(v.Str, 10, 31); err != nil {
			cl.errf(f, "len takes a non-negative integer, got %s", v.Str)
		}
	}
}

// pattern checks the operand of matches and notMatches: a string that compiles (templates are
// compiled at run time, after rendering).
func (cl *caseLinter) pattern(f string, v *Value, template bool) {
	if v.Kind != KindString {
		cl.errf(f, "matches takes a regular expression string")
		return
	}
	if template {
		return
	}
	if _, err := regexp.Compile(v.Str); err != nil {
		cl.errf(f, "bad regular expression: %v", err)
	}
}
