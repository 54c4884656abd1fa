package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/template"

	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/contract"
)

// data is the template data of a step: .p personas, .v captures, .d declaration, .run the run
// ID, and for steps with `as:` .persona and .session.
func (r *caseRun) data(as string) map[string]any {
	d := map[string]any{
		"p":   r.personas,
		"v":   r.vars,
		"d":   r.e.declared,
		"run": r.e.opts.RunID,
	}
	if as != "" {
		d["persona"] = r.personas[as]
		session, _ := r.vars["session."+as].(string)
		d["session"] = session
	}
	return d
}

// newTemplate is the template every render starts from: a missing map key is an error, not
// "<no value>".
func newTemplate() *template.Template {
	return template.New("step").Option("missingkey=error")
}

// render executes one template string. Strings without an action are returned as they are, so
// the common case costs nothing; the others are parsed once per run (caches.tree) and executed
// with the case's functions.
func (r *caseRun) render(src string, data map[string]any) (string, error) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	t, err := r.template(src)
	if err == nil {
		err = r.e.caches.bounds(src, t)
	}
	if err != nil {
		return "", fmt.Errorf("template %q: %w", src, err)
	}
	b := boundedWriter{budget: &r.budget}
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("template %q: %w", src, err)
	}
	return b.String(), nil
}

// template returns src ready to execute with the case's functions: the run's shared parse tree
// on a template of the case's set (which holds the functions), or, when src cannot be shared
// (it defines templates, or the shared parser does not know a function it calls), src parsed
// with the case's functions as a one-off.
func (r *caseRun) template(src string) (*template.Template, error) {
	if tree := r.e.caches.tree(src, r.e.parseFuncs); tree != nil {
		t := r.tmpl.New("step")
		// A parse tree is read-only once parsed, so every case may execute the same one; Tree is
		// exported for exactly this kind of reuse.
		t.Tree = tree
		return t, nil
	}
	return newTemplate().Funcs(r.funcs).Parse(src)
}

// renderMap renders every value of a map of templates.
func (r *caseRun) renderMap(m map[string]string, data map[string]any) (map[string]string, error) {
	if len(m) == 0 {
		return nil, nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		s, err := r.render(v, data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k, err)
		}
		out[k] = s
	}
	return out, nil
}

// renderValue turns a typed pack value into JSON text, rendering its strings as templates and
// keeping the JSON type of every other scalar and the key order of maps.
func (r *caseRun) renderValue(v *specs.Value, data map[string]any) ([]byte, error) {
	var b bytes.Buffer
	render := func(s string) (string, error) { return r.render(s, data) }
	if err := writeValue(&b, v, render); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// writeValue writes v as JSON, passing each string through render.
func writeValue(b *bytes.Buffer, v *specs.Value, render func(string) (string, error)) error {
	if v == nil {
		b.WriteString("null")
		return nil
	}
	switch v.Kind {
	case specs.KindString:
		s, err := render(v.Str)
		if err != nil {
			return err
		}
		enc, _ := json.Marshal(s)
		b.Write(enc)
	case specs.KindNumber, specs.KindBool:
		b.WriteString(v.Str)
	case specs.KindMap:
		b.WriteByte('{')
		for i, kv := range v.Map {
			if i > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(kv.Key)
			b.Write(key)
			b.WriteByte(':')
			if err := writeValue(b, kv.Value, render); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case specs.KindList:
		b.WriteByte('[')
		for i, item := range v.List {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeValue(b, item, render); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		b.WriteString("null")
	}
	return nil
}

// templated reports whether any string of v is a template.
func templated(v *specs.Value) bool {
	switch {
	case v == nil:
		return false
	case v.Kind == specs.KindString:
		return strings.Contains(v.Str, "{{")
	}
	for _, kv := range v.Map {
		if templated(kv.Value) {
			return true
		}
	}
	return slices.ContainsFunc(v.List, templated)
}

// operand returns an assertion operand as a JSON-typed Go value (strings rendered): json.Number
// for numbers, so that 200 and "200" stay different. An operand without templates is decoded
// once per run (caches.constant); callers only read the value.
func (r *caseRun) operand(v *specs.Value, data map[string]any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if !templated(v) {
		return r.e.caches.constant(v)
	}
	raw, err := r.renderValue(v, data)
	if err != nil {
		return nil, err
	}
	return contract.DecodeJSON(raw)
}
