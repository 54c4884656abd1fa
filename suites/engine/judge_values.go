package engine

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// header checks one response header (case-insensitive name; every value must satisfy the op).
func (j *judge) header(h *specs.HeaderAssert, data map[string]any) {
	expected := h.Name + " " + h.Op
	operand, err := j.r.operand(h.Value, data)
	if err != nil {
		j.packBug("header", expected, fmt.Errorf("%w: %w", errPackBug, err))
		return
	}
	if h.Value != nil {
		expected += " " + jsonText(operand)
	}
	raw := j.res.resp.header.Values(h.Name)
	values := make([]any, len(raw))
	for k, v := range raw {
		values[k] = textValue(v, h.Op, operand)
	}
	ok, err := j.r.evaluate(h.Op, textOperand(h.Op, operand), values)
	if err != nil {
		j.packBug("header", expected, err)
		return
	}
	actual := "absent"
	if len(raw) > 0 {
		actual = jsonText(strings.Join(raw, ", "))
	}
	outcome := reports.Failed
	if ok {
		outcome = reports.Passed
	}
	j.rule("header", j.headerAssertClause(h), outcome, expected, actual, "")
}

// headerAssertClause is the rule clause a header assertion enforces: the clause the pack's rules
// give the header (Strict-Transport-Security: the HSTS clause), so that a case asserting HSTS
// on its own answers does not fail its own clauses when HSTS is missing. An assertion that the
// header is absent requires the opposite of a rule on its presence: it is the case's own.
func (j *judge) headerAssertClause(h *specs.HeaderAssert) string {
	if h.Op == "absent" {
		return ""
	}
	return j.r.e.headerRule(h.Name)
}

// textOperand lets a number operand match text: `contains: 31536000` on a header value.
func textOperand(op string, operand any) any {
	if n, ok := operand.(json.Number); ok && (op == "contains" || op == "notContains" || op == "matches" || op == "notMatches") {
		return string(n)
	}
	return operand
}

// jsonPath checks the nodes a JSONPath selects in the JSON body.
func (j *judge) jsonPath(a *specs.Assert, data map[string]any) {
	expected := a.Path + " " + a.Op
	operand, err := j.r.operand(a.Value, data)
	if err != nil {
		j.packBug("json", expected, fmt.Errorf("%w: %w", errPackBug, err))
		return
	}
	if a.Value != nil {
		expected += " " + jsonText(operand)
	}
	path, err := j.r.e.caches.path(a.Path)
	if err != nil {
		j.packBug("json", expected, fmt.Errorf("%w: %w", errPackBug, err))
		return
	}
	doc, err := j.res.resp.JSON()
	if err != nil {
		j.verdict("json", false, expected, excerpt(j.res.resp.Raw), err.Error())
		return
	}
	values := []any(path.Select(doc))
	ok, err := j.r.evaluate(a.Op, operand, values)
	if err != nil {
		j.packBug("json", expected, err)
		return
	}
	j.verdict("json", ok, expected, nodesText(a.Path, values), "")
}

// nodesText renders what a JSONPath found: one value as JSON, several as a JSON array.
func nodesText(path string, values []any) string {
	switch len(values) {
	case 0:
		return "nothing at " + path
	case 1:
		return jsonText(values[0])
	}
	return jsonText(values)
}

// expr checks a template's output, rendered after this step's captures.
func (j *judge) expr(a *specs.Assert, data map[string]any) {
	expected := a.Expr + " " + a.Op
	operand, err := j.r.operand(a.Value, data)
	if err == nil && a.Value != nil {
		expected += " " + jsonText(operand)
	}
	var out string
	if err == nil {
		out, err = j.r.render(a.Expr, data)
	}
	if err != nil {
		j.packBug("json", expected, err)
		return
	}
	ok, err := j.r.evaluate(a.Op, textOperand(a.Op, operand), []any{textValue(out, a.Op, operand)})
	if err != nil {
		j.packBug("json", expected, err)
		return
	}
	j.verdict("json", ok, expected, jsonText(out), "")
}

// body checks the raw body text.
func (j *judge) body(a *specs.Assert, data map[string]any) {
	expected := "body " + a.Op
	operand, err := j.r.operand(a.Value, data)
	if err != nil {
		j.packBug("body", expected, fmt.Errorf("%w: %w", errPackBug, err))
		return
	}
	if a.Value != nil {
		expected += " " + jsonText(operand)
	}
	ok, err := j.r.evaluate(a.Op, textOperand(a.Op, operand), []any{textValue(string(j.res.resp.Raw), a.Op, operand)})
	if err != nil {
		j.packBug("body", expected, err)
		return
	}
	j.verdict("body", ok, expected, excerpt(j.res.resp.Raw), "")
}

// excerpt shows at most 256 bytes of a body in a check.
func excerpt(body []byte) string {
	const limit = 256
	if len(body) <= limit {
		return strconv.Quote(string(body))
	}
	return strconv.Quote(string(body[:limit])) + fmt.Sprintf(" ... (%d bytes)", len(body))
}

// masked checks that the one value at a path is the platform's mask of a persona's datum.
func (j *judge) masked(m *specs.MaskAssert) {
	expected := fmt.Sprintf("%s is the %s mask of %s", m.Path, m.Kind, m.Of)
	want, err := j.r.env.Mask(m.Kind, m.Of)
	if err != nil {
		j.packBug("masked", expected, fmt.Errorf("%w: mask %s of %s: %w", errPackBug, m.Kind, m.Of, err))
		return
	}
	expected += " " + strconv.Quote(want)
	path, err := j.r.e.caches.path(m.Path)
	if err != nil {
		j.packBug("masked", expected, fmt.Errorf("%w: %w", errPackBug, err))
		return
	}
	clause := j.r.e.opts.Pack.Manifest.Rules.Masked
	doc, err := j.res.resp.JSON()
	if err != nil {
		j.rule("masked", clause, reports.Failed, expected, excerpt(j.res.resp.Raw), err.Error())
		return
	}
	values := []any(path.Select(doc))
	outcome := reports.Failed
	if len(values) == 1 && jsonEqual(values[0], want) {
		outcome = reports.Passed
	}
	j.rule("masked", clause, outcome, expected, nodesText(m.Path, values), "")
}

// capture stores a value for later steps; secret captures and session.* variables join the
// values the redactor removes. Nothing to capture fails the step.
func (j *judge) capture(c *specs.Capture) {
	secret := c.Secret || strings.HasPrefix(c.Var, "session.")
	from := c.Path
	if c.Header != "" {
		from = "header " + c.Header
	}
	expected := fmt.Sprintf("a value at %s (into .v.%s)", from, c.Var)
	value, found := j.captureValue(c)
	if !found {
		j.verdict("capture", false, expected, "nothing at "+from, "")
		return
	}
	j.r.vars[c.Var] = value
	if secret {
		j.r.secrets = append(j.r.secrets, text(value))
	}
	j.verdict("capture", true, expected, "captured", "")
}

// captureValue reads a capture: the first node at its path, or its header.
func (j *judge) captureValue(c *specs.Capture) (any, bool) {
	if c.Header != "" {
		v := j.res.resp.header.Get(c.Header)
		return v, v != "" || len(j.res.resp.header.Values(c.Header)) > 0
	}
	path, err := j.r.e.caches.path(c.Path)
	if err != nil {
		return nil, false
	}
	doc, err := j.res.resp.JSON()
	if err != nil {
		return nil, false
	}
	nodes := path.Select(doc)
	if len(nodes) == 0 {
		return nil, false
	}
	return nodes[0], true
}
