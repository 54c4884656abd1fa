package engine

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"text/template"

	"github.com/chanconf/chanconf/specs"
)

// data is the template data of a step: .p personas, .v captures, .d declaration, .run the run
// ID, and for steps with `as:` .persona and .session.
func (r *caseRun) data(as string) map[string]any {
	personas := r.env.Personas()
	d := map[string]any{
		"p":   personas,
		"v":   r.vars,
		"d":   r.e.opts.Platform.Declared(),
		"run": r.e.opts.RunID,
	}
	if as != "" {
		d["persona"] = personas[as]
		session, _ := r.vars["session."+as].(string)
		d["session"] = session
	}
	return d
}

// render executes one template string. Strings without an action are returned as they are, so
// the common case costs nothing. A missing map key is an error, not "<no value>".
func (r *caseRun) render(src string, data map[string]any) (string, error) {
	if !strings.Contains(src, "{{") {
		return src, nil
	}
	t, err := template.New("step").Option("missingkey=error").Funcs(r.funcs).Parse(src)
	if err != nil {
		return "", fmt.Errorf("template %q: %w", src, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, data); err != nil {
		return "", fmt.Errorf("template %q: %w", src, err)
	}
	return b.String(), nil
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
	if err := r.writeValue(&b, v, data); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (r *caseRun) writeValue(b *bytes.Buffer, v *specs.Value, data map[string]any) error {
	if v == nil {
		b.WriteString("null")
		return nil
	}
	switch v.Kind {
	case specs.KindString:
		s, err := r.render(v.Str, data)
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
			if err := r.writeValue(b, kv.Value, data); err != nil {
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
			if err := r.writeValue(b, item, data); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	default:
		b.WriteString("null")
	}
	return nil
}

// operand returns an assertion operand as a JSON-typed Go value (strings rendered): json.Number
// for numbers, so that 200 and "200" stay different.
func (r *caseRun) operand(v *specs.Value, data map[string]any) (any, error) {
	if v == nil {
		return nil, nil
	}
	raw, err := r.renderValue(v, data)
	if err != nil {
		return nil, err
	}
	return decodeJSON(raw)
}

// decodeJSON decodes one JSON value keeping numbers as json.Number.
func decodeJSON(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, fmt.Errorf("data after the JSON value")
	}
	return v, nil
}
