package contract

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
)

// SecretExtension is the OpenAPI extension that marks a schema whose values are secrets
// (`x-secret: true` on a property or on a schema a property refers to).
const SecretExtension = "x-secret"

// SecretDirective is the GraphQL directive that marks a field, argument or input field whose
// values are secrets (`@secret`).
const SecretDirective = "secret"

// SecretMembers returns the names of the JSON members the contract marks secret, sorted: every
// property, at any depth of any component, request or response schema, whose schema carries
// x-secret: true.
func (o *OpenAPI) SecretMembers() []string {
	names := map[string]bool{}
	seen := map[*openapi3.Schema]bool{}
	var walk func(*openapi3.SchemaRef)
	walk = func(ref *openapi3.SchemaRef) {
		if ref == nil || ref.Value == nil || seen[ref.Value] {
			return
		}
		s := ref.Value
		seen[s] = true
		for name, p := range s.Properties {
			if p != nil && p.Value != nil && isSecret(p.Value.Extensions) {
				names[name] = true
			}
			walk(p)
		}
		walk(s.Items)
		if s.AdditionalProperties.Schema != nil {
			walk(s.AdditionalProperties.Schema)
		}
		for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
			for _, sub := range group {
				walk(sub)
			}
		}
	}
	for _, ref := range o.doc.Components.Schemas {
		walk(ref)
	}
	for _, item := range o.doc.Paths.Map() {
		for _, op := range item.Operations() {
			if op.RequestBody != nil && op.RequestBody.Value != nil {
				for _, mt := range op.RequestBody.Value.Content {
					walk(mt.Schema)
				}
			}
			for _, r := range op.Responses.Map() {
				if r.Value != nil {
					for _, mt := range r.Value.Content {
						walk(mt.Schema)
					}
				}
			}
		}
	}
	return sortedKeys(names)
}

func isSecret(ext map[string]any) bool {
	v, ok := ext[SecretExtension].(bool)
	return ok && v
}

// SecretMembers returns the names of the fields, arguments and input fields the schema marks
// @secret, sorted: in a response or in variables they are JSON members of that name.
func (g *GraphQL) SecretMembers() []string {
	names := map[string]bool{}
	for _, def := range g.schema.Types {
		for _, f := range def.Fields {
			if f.Directives.ForName(SecretDirective) != nil {
				names[f.Name] = true
			}
			for _, a := range f.Arguments {
				if a.Directives.ForName(SecretDirective) != nil {
					names[a.Name] = true
				}
			}
		}
	}
	return sortedKeys(names)
}

// SecretValues returns every string value found under a member named in names, anywhere in
// the JSON text raw: directly, or inside an object or array such a member holds. It reads the
// token stream, so that a duplicated member yields each of its values (a decoded map keeps
// only one), and it stops quietly where raw stops being JSON, returning what it found before.
// Input nested deeper than MaxJSONDepth yields nothing (the decoder never builds it).
func SecretValues(raw []byte, names map[string]bool) []string {
	if len(names) == 0 || len(raw) == 0 {
		return nil
	}
	out := textualSecrets(raw, names)
	if checkDepth(raw) != nil {
		return out
	}
	return tokenSecrets(raw, names, out)
}

// textualSecrets finds `"name":"value` for each secret member name in raw as text, up to the
// closing quote or the end of raw: a body cut off in the middle of a token (a reset, a timeout)
// or a page that is not JSON still has the part of the secret it holds redacted.
func textualSecrets(raw []byte, names map[string]bool) []string {
	var out []string
	for name := range names {
		key := []byte(`"` + name + `"`)
		for rest := raw; ; {
			i := bytes.Index(rest, key)
			if i < 0 {
				break
			}
			rest = rest[i+len(key):]
			v := bytes.TrimLeft(rest, " \t\r\n")
			if len(v) == 0 || v[0] != ':' {
				continue
			}
			v = bytes.TrimLeft(v[1:], " \t\r\n")
			if len(v) == 0 || v[0] != '"' {
				continue
			}
			v = v[1:]
			end := 0
			for end < len(v) && v[end] != '"' {
				if v[end] == '\\' {
					end++
				}
				end++
			}
			if val := string(v[:min(end, len(v))]); val != "" && !slices.Contains(out, val) {
				out = append(out, val)
			}
		}
	}
	return out
}

// tokenSecrets walks raw's JSON tokens (see SecretValues), adding to out.
func tokenSecrets(raw []byte, names map[string]bool, out []string) []string {
	dec := json.NewDecoder(bytes.NewReader(raw))
	var (
		// stack holds, per open container, whether it is an object expecting a key next and
		// whether everything in it is secret.
		stack     []frame
		nextValue bool // the value about to come belongs to a secret member
	)
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		inSecret := nextValue || (len(stack) > 0 && stack[len(stack)-1].secret)
		top := len(stack) - 1
		if top >= 0 && stack[top].object && stack[top].wantKey {
			if key, ok := tok.(string); ok {
				stack[top].wantKey = false
				nextValue = names[key] || stack[top].secret
				continue
			}
		}
		nextValue = false
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				stack = append(stack, frame{object: t == '{', wantKey: t == '{', secret: inSecret})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if inSecret && !slices.Contains(out, t) {
				out = append(out, t)
			}
		}
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].wantKey = true
		}
	}
}

// frame is an open JSON container during SecretValues.
type frame struct {
	object, wantKey, secret bool
}
