package engine

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"unicode/utf8"

	"github.com/chanconf/chanconf/suites/contract"
)

// evaluate applies an assertion operator to the values an assertion found (JSONPath nodes,
// header values, the body text). exists and absent look at whether anything was found; every
// other operator must hold for each value found, and fails when nothing was found. Comparisons
// are JSON-type-strict: the number 200 never equals the string "200". An error means the
// assertion itself is unusable (a pack bug), not that the channel failed it.
func (r *caseRun) evaluate(op string, operand any, values []any) (bool, error) {
	switch op {
	case "exists":
		want, err := flag(op, operand)
		return (len(values) > 0) == want, err
	case "absent":
		want, err := flag(op, operand)
		return (len(values) == 0) == want, err
	}
	if len(values) == 0 {
		return false, nil
	}
	for _, v := range values {
		ok, err := r.apply(op, operand, v)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// flag reads the operand of exists/absent: none or true means the assertion as named, false
// its opposite.
func flag(op string, operand any) (bool, error) {
	switch x := operand.(type) {
	case nil:
		return true, nil
	case bool:
		return x, nil
	}
	return false, fmt.Errorf("%w: %s takes true or false, got %s", errPackBug, op, jsonText(operand))
}

func (r *caseRun) apply(op string, operand, v any) (bool, error) {
	switch op {
	case "equals":
		return jsonEqual(v, operand), nil
	case "notEquals":
		return !jsonEqual(v, operand), nil
	case "matches", "notMatches":
		pattern, ok := operand.(string)
		if !ok {
			return false, fmt.Errorf("%w: %s takes a regular expression string, got %s", errPackBug, op, jsonText(operand))
		}
		re, err := r.e.caches.regexp(pattern)
		if err != nil {
			return false, fmt.Errorf("%w: %s: %w", errPackBug, op, err)
		}
		s, isStr := v.(string)
		return isStr && re.MatchString(s) == (op == "matches"), nil
	case "type":
		if operand == nil { // `type: null` in YAML is the null value
			operand = "null"
		}
		want, ok := operand.(string)
		if !ok || !validTypeName(want) {
			return false, fmt.Errorf("%w: type takes one of string, number, integer, boolean, object, array, null; got %s", errPackBug, jsonText(operand))
		}
		return hasType(v, want), nil
	case "lt", "le", "gt", "ge":
		return compareNumbers(op, operand, v)
	case "contains":
		return contains(v, operand), nil
	case "notContains":
		return !contains(v, operand), nil
	case "len":
		return hasLength(v, operand)
	}
	return false, fmt.Errorf("%w: unknown operator %q", errPackBug, op)
}

// validTypeName reports whether name is a type the `type` operator knows.
func validTypeName(name string) bool {
	switch name {
	case "string", "number", "integer", "boolean", "object", "array", "null":
		return true
	}
	return false
}

func hasType(v any, want string) bool {
	if want == "integer" {
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		rat, ok := new(big.Rat).SetString(string(n))
		return ok && rat.IsInt()
	}
	return contract.JSONType(v) == want
}

// rat parses a JSON number exactly.
func rat(v any) (*big.Rat, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return nil, false
	}
	return new(big.Rat).SetString(string(n))
}

func compareNumbers(op string, operand, v any) (bool, error) {
	want, ok := rat(operand)
	if !ok {
		return false, fmt.Errorf("%w: %s takes a number, got %s", errPackBug, op, jsonText(operand))
	}
	got, ok := rat(v)
	if !ok {
		return false, nil
	}
	c := got.Cmp(want)
	switch op {
	case "lt":
		return c < 0, nil
	case "le":
		return c <= 0, nil
	case "gt":
		return c > 0, nil
	}
	return c >= 0, nil
}

// contains: a substring of a string, an element of an array, a key of an object.
func contains(v, operand any) bool {
	switch x := v.(type) {
	case string:
		s, ok := operand.(string)
		return ok && strings.Contains(x, s)
	case []any:
		for _, item := range x {
			if jsonEqual(item, operand) {
				return true
			}
		}
	case map[string]any:
		s, ok := operand.(string)
		if ok {
			_, has := x[s]
			return has
		}
	}
	return false
}

func hasLength(v, operand any) (bool, error) {
	want, ok := rat(operand)
	if !ok || !want.IsInt() {
		return false, fmt.Errorf("%w: len takes an integer, got %s", errPackBug, jsonText(operand))
	}
	var n int
	switch x := v.(type) {
	case string:
		n = utf8.RuneCountInString(x)
	case []any:
		n = len(x)
	case map[string]any:
		n = len(x)
	default:
		return false, nil
	}
	return want.Cmp(new(big.Rat).SetInt64(int64(n))) == 0, nil
}

// jsonEqual compares decoded JSON values by type and value; numbers compare exactly (1.0 == 1).
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case nil:
		return b == nil
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case json.Number:
		ra, okA := rat(x)
		rb, okB := rat(b)
		return okA && okB && ra.Cmp(rb) == 0
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, has := y[k]
			if !has || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

// jsonText renders a value as JSON so that its type shows: "200" (a string) versus 200.
func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// textValue types a text (a template's output, a header value, the body) for comparison with
// operand: numeric operators and number operands read it as a number, boolean operands as a
// boolean, `type` as JSON; otherwise it stays a string.
func textValue(s, op string, operand any) any {
	_, numericOperand := operand.(json.Number)
	_, boolOperand := operand.(bool)
	switch {
	case op == "lt" || op == "le" || op == "gt" || op == "ge" || (numericOperand && op != "len"):
		if v, err := contract.DecodeJSON([]byte(strings.TrimSpace(s))); err == nil {
			if n, ok := v.(json.Number); ok {
				return n
			}
		}
	case boolOperand && (op == "equals" || op == "notEquals"):
		switch strings.TrimSpace(s) {
		case "true":
			return true
		case "false":
			return false
		}
	case op == "type":
		if v, err := contract.DecodeJSON([]byte(s)); err == nil {
			return v
		}
	}
	return s
}
