package contract

import (
	"slices"

	"github.com/vektah/gqlparser/v2/ast"
)

// collected is one response key of an object: every field selected under it, and whether the
// key must be present (false when it only comes from a fragment whose type condition cannot be
// decided because the response did not include __typename).
type collected struct {
	key      string
	fields   []*ast.Field
	required bool
}

// object checks an object value: each selected key present and valid, no key not selected.
func (w *walker) object(p string, def *ast.Definition, sets []ast.SelectionSet, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		w.add(p, "expected an object of type %s, got %s", def.Name, JSONType(v))
		return
	}
	concrete := def
	if def.IsAbstractType() {
		concrete = w.concreteType(p, def, obj)
	}
	c := collector{w: w, abstract: def, concrete: concrete, index: map[string]int{}}
	for _, set := range sets {
		c.collect(set, true, 0)
	}
	for _, f := range c.out {
		val, present := obj[f.key]
		if !present {
			if f.required {
				w.add(p+"."+f.key, "selected field %s is missing", f.fields[0].Name)
			}
			continue
		}
		w.field(p+"."+f.key, def, concrete, f, val)
	}
	for _, k := range sortedKeys(obj) {
		if _, known := c.index[k]; !known {
			w.add(p+"."+k, "field was not selected by the operation (unknown or unselected fields are not allowed)")
		}
	}
}

// field checks the value of one response key.
func (w *walker) field(p string, def, concrete *ast.Definition, f collected, v any) {
	first := f.fields[0]
	if first.Name == "__typename" {
		name, ok := v.(string)
		switch {
		case !ok:
			w.add(p, "__typename must be a string, got %s", describe(v))
		case concrete != nil && name != concrete.Name && !def.IsAbstractType():
			w.add(p, "__typename %q is not %s", name, concrete.Name)
		}
		return
	}
	if first.Definition == nil || first.Definition.Type == nil {
		w.add(p, "field %s has no definition in the schema (was the document validated?)", first.Name)
		return
	}
	var sets []ast.SelectionSet
	for _, fl := range f.fields {
		if len(fl.SelectionSet) > 0 {
			sets = append(sets, fl.SelectionSet)
		}
	}
	w.value(p, first.Definition.Type, sets, v)
}

// concreteType picks the concrete object type of an abstract-typed value from its __typename;
// nil when __typename was not returned or names no possible type (reported).
func (w *walker) concreteType(p string, def *ast.Definition, obj map[string]any) *ast.Definition {
	name, ok := obj["__typename"].(string)
	if !ok {
		return nil
	}
	t := w.schema.Types[name]
	if t == nil || !w.possible(def, t) {
		w.add(p+".__typename", "%q is not a possible type of %s", name, def.Name)
		return nil
	}
	return t
}

// possible reports whether the object type t is one of the abstract type def's possible types.
func (w *walker) possible(def, t *ast.Definition) bool {
	return slices.ContainsFunc(w.schema.GetPossibleTypes(def), func(d *ast.Definition) bool { return d.Name == t.Name })
}

// collector implements the GraphQL CollectFields algorithm for one object value.
type collector struct {
	w        *walker
	abstract *ast.Definition // the field's declared type
	concrete *ast.Definition // the value's object type; nil when it cannot be known
	out      []collected
	index    map[string]int
}

// maxFragmentDepth bounds fragment spreads within spreads; validated documents have no cycles,
// this only keeps an unvalidated one from recursing forever.
const maxFragmentDepth = 64

func (c *collector) collect(set ast.SelectionSet, required bool, depth int) {
	if depth > maxFragmentDepth {
		return
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if c.w.included(s.Directives) {
				c.addField(s, required)
			}
		case *ast.InlineFragment:
			if c.w.included(s.Directives) {
				if applies, definite := c.applies(s.TypeCondition); applies {
					c.collect(s.SelectionSet, required && definite, depth+1)
				}
			}
		case *ast.FragmentSpread:
			if s.Definition != nil && c.w.included(s.Directives) {
				if applies, definite := c.applies(s.Definition.TypeCondition); applies {
					c.collect(s.Definition.SelectionSet, required && definite, depth+1)
				}
			}
		}
	}
}

func (c *collector) addField(f *ast.Field, required bool) {
	key := f.Alias
	if key == "" {
		key = f.Name
	}
	if i, ok := c.index[key]; ok {
		c.out[i].fields = append(c.out[i].fields, f)
		c.out[i].required = c.out[i].required || required
		return
	}
	c.index[key] = len(c.out)
	c.out = append(c.out, collected{key: key, fields: []*ast.Field{f}, required: required})
}

// applies reports whether a fragment with type condition cond applies to the value, and
// whether that is certain (it is not when the concrete type of an abstract value is unknown).
func (c *collector) applies(cond string) (applies, definite bool) {
	if cond == "" || cond == c.abstract.Name {
		return true, true
	}
	if c.concrete == nil {
		return true, false
	}
	if cond == c.concrete.Name {
		return true, true
	}
	if t := c.w.schema.Types[cond]; t != nil && t.IsAbstractType() {
		return c.w.possible(t, c.concrete), true
	}
	return false, true
}

// included evaluates @skip and @include with the request's variables.
func (w *walker) included(dirs ast.DirectiveList) bool {
	if d := dirs.ForName("skip"); d != nil && w.directiveIf(d) {
		return false
	}
	if d := dirs.ForName("include"); d != nil && !w.directiveIf(d) {
		return false
	}
	return true
}

func (w *walker) directiveIf(d *ast.Directive) bool {
	arg := d.Arguments.ForName("if")
	if arg == nil || arg.Value == nil {
		return false
	}
	v, err := arg.Value.Value(w.vars)
	if err != nil {
		return false
	}
	b, _ := v.(bool)
	return b
}
