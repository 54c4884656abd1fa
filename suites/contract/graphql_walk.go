package contract

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"

	"github.com/vektah/gqlparser/v2/ast"
)

// walker walks one GraphQL response alongside the operation it answers and collects problems.
type walker struct {
	schema   *ast.Schema
	vars     map[string]any
	problems []Problem
}

func (w *walker) add(path, format string, args ...any) {
	w.problems = append(w.problems, Problem{Path: path, Message: fmt.Sprintf(format, args...)})
}

// response checks the top level: an object with only data, errors and extensions, at least one
// of data and errors, a well-formed errors list, and data matching the operation (op nil: no
// data at all).
func (w *walker) response(op *ast.OperationDefinition, resp any) {
	top, ok := resp.(map[string]any)
	if !ok {
		w.add("$", "a GraphQL response must be a JSON object, got %s", JSONType(resp))
		return
	}
	for _, k := range sortedKeys(top) {
		if k != "data" && k != "errors" && k != "extensions" {
			w.add("$."+k, "unexpected top-level key (only data, errors and extensions are allowed)")
		}
	}
	data, hasData := top["data"]
	errs, hasErrors := top["errors"]
	if !hasData && !hasErrors {
		w.add("$", "a GraphQL response must have data or errors")
	}
	if hasErrors {
		w.errorList(errs)
	}
	if ext, ok := top["extensions"]; ok {
		if _, isObj := ext.(map[string]any); !isObj {
			w.add("$.extensions", "must be an object, got %s", JSONType(ext))
		}
	}
	if !hasData {
		return
	}
	if op == nil {
		if data != nil {
			w.add("$.data", "data returned for a document that does not validate against the schema")
		}
		return
	}
	if data == nil {
		if !hasErrors {
			w.add("$.data", "data is null but there are no errors")
		}
		return
	}
	root := w.rootType(op)
	if root == nil {
		w.add("$.data", "the schema has no root type for %s operations", op.Operation)
		return
	}
	w.object("$.data", root, []ast.SelectionSet{op.SelectionSet}, data)
}

func (w *walker) rootType(op *ast.OperationDefinition) *ast.Definition {
	switch op.Operation {
	case ast.Mutation:
		return w.schema.Mutation
	case ast.Subscription:
		return w.schema.Subscription
	}
	return w.schema.Query
}

// errorList checks the errors entry: a non-empty list of objects with a string message and
// optional locations, path and extensions of the right shapes.
func (w *walker) errorList(v any) {
	list, ok := v.([]any)
	if !ok || len(list) == 0 {
		w.add("$.errors", "errors must be a non-empty list, got %s", describe(v))
		return
	}
	for i, item := range list {
		p := fmt.Sprintf("$.errors[%d]", i)
		e, ok := item.(map[string]any)
		if !ok {
			w.add(p, "an error must be an object, got %s", JSONType(item))
			continue
		}
		if _, ok := e["message"].(string); !ok {
			w.add(p+".message", "an error must have a string message, got %s", describe(e["message"]))
		}
		if locs, ok := e["locations"]; ok {
			w.locations(p+".locations", locs)
		}
		if path, ok := e["path"]; ok {
			w.errorPath(p+".path", path)
		}
		if ext, ok := e["extensions"]; ok {
			if _, isObj := ext.(map[string]any); !isObj {
				w.add(p+".extensions", "must be an object, got %s", JSONType(ext))
			}
		}
	}
}

func (w *walker) locations(p string, v any) {
	list, ok := v.([]any)
	if !ok {
		w.add(p, "locations must be a list, got %s", JSONType(v))
		return
	}
	for i, item := range list {
		lp := fmt.Sprintf("%s[%d]", p, i)
		loc, ok := item.(map[string]any)
		if !ok {
			w.add(lp, "a location must be an object, got %s", JSONType(item))
			continue
		}
		for _, k := range []string{"line", "column"} {
			if n, ok := intValue(loc[k]); !ok || n < 1 {
				w.add(lp+"."+k, "must be a positive integer, got %s", describe(loc[k]))
			}
		}
	}
}

func (w *walker) errorPath(p string, v any) {
	list, ok := v.([]any)
	if !ok {
		w.add(p, "path must be a list, got %s", JSONType(v))
		return
	}
	for i, seg := range list {
		if _, isStr := seg.(string); isStr {
			continue
		}
		if _, isInt := intValue(seg); !isInt {
			w.add(fmt.Sprintf("%s[%d]", p, i), "a path segment must be a string or an integer, got %s", describe(seg))
		}
	}
}

// value checks v at path p against the field type t; sets are the selection sets of every field
// merged under this response key (for composite types).
func (w *walker) value(p string, t *ast.Type, sets []ast.SelectionSet, v any) {
	if v == nil {
		if t.NonNull {
			w.add(p, "null in non-null position %s", t.String())
		}
		return
	}
	if t.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			w.add(p, "expected a list %s, got %s", t.String(), JSONType(v))
			return
		}
		for i, item := range list {
			w.value(fmt.Sprintf("%s[%d]", p, i), t.Elem, sets, item)
		}
		return
	}
	def := w.schema.Types[t.NamedType]
	if def == nil {
		w.add(p, "type %s is not in the schema", t.NamedType)
		return
	}
	switch def.Kind {
	case ast.Scalar:
		w.scalar(p, def.Name, v)
	case ast.Enum:
		s, ok := v.(string)
		if !ok || def.EnumValues.ForName(s) == nil {
			w.add(p, "%s is not a value of enum %s", describe(v), def.Name)
		}
	default:
		w.object(p, def, sets, v)
	}
}

// scalar checks the built-in scalars; custom scalars accept any JSON value.
func (w *walker) scalar(p, name string, v any) {
	ok := true
	switch name {
	case "Int":
		n, isInt := intValue(v)
		ok = isInt && n >= math.MinInt32 && n <= math.MaxInt32
	case "Float":
		_, ok = v.(json.Number)
	case "String", "ID":
		_, ok = v.(string)
	case "Boolean":
		_, ok = v.(bool)
	}
	if !ok {
		w.add(p, "%s is not a valid %s", describe(v), name)
	}
}

// intValue reports whether v is a JSON integer (no fraction, no exponent) that fits in int64.
func intValue(v any) (int64, bool) {
	num, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(string(num), 10, 64)
	return n, err == nil
}

// describe renders a scalar value with its type for messages; composite values by type only.
func describe(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(x)
	case json.Number:
		return "number " + string(x)
	case bool:
		return "boolean " + strconv.FormatBool(x)
	}
	return JSONType(v)
}
