package specs

import (
	"math"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// jsonNumber matches a number literal JSON accepts as is; other YAML numbers (0x1F, 1_000, +5)
// are rewritten to this form so that the engine can emit Value.Str verbatim.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)

// decodeNode builds a typed Value from any YAML node: strings stay strings (templates), numbers,
// booleans and null keep their JSON type, mappings keep their key order.
func (v *Value) decodeNode(d *decoder, n *yaml.Node, field string) {
	v.Pos = d.at(n)
	switch n.Kind {
	case yaml.MappingNode:
		v.decodeMap(d, n, field)
	case yaml.SequenceNode:
		v.Kind = KindList
		v.List = make([]*Value, len(n.Content))
		for i, item := range n.Content {
			v.List[i] = &Value{}
			d.decode(item, reflect.ValueOf(v.List[i]).Elem(), field+"["+strconv.Itoa(i)+"]")
		}
	case yaml.ScalarNode:
		v.decodeScalar(d, n, field)
	default:
		v.Kind = KindNull
	}
}

// decodeMap fills a map Value in document order, refusing duplicate and non-string keys.
func (v *Value) decodeMap(d *decoder, n *yaml.Node, field string) {
	v.Kind = KindMap
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := resolveAlias(n.Content[i])
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
			d.errorf(k, field, "want a string key, got %s", describe(k))
			continue
		}
		f := join(field, k.Value)
		if seen[k.Value] {
			d.errorf(k, f, "duplicate key %q", k.Value)
			continue
		}
		seen[k.Value] = true
		item := &Value{}
		d.decode(n.Content[i+1], reflect.ValueOf(item).Elem(), f)
		v.Map = append(v.Map, KeyValue{Key: k.Value, Value: item})
	}
}

// decodeScalar types a scalar by its resolved YAML tag: `200` is a number, `"200"` a string.
func (v *Value) decodeScalar(d *decoder, n *yaml.Node, field string) {
	switch n.ShortTag() {
	case "!!null":
		v.Kind = KindNull
	case "!!bool":
		var b bool
		if n.Decode(&b) != nil {
			d.errorf(n, field, "want a boolean, got %s", describe(n))
		}
		v.Kind, v.Str = KindBool, strconv.FormatBool(b)
	case "!!int", "!!float":
		v.Kind = KindNumber
		v.Str = numberLiteral(d, n, field)
	case "!!str", "!!timestamp", "!!binary":
		v.Kind, v.Str = KindString, n.Value
	default:
		d.errorf(n, field, "unsupported YAML tag %s", n.Tag)
		v.Kind, v.Str = KindString, n.Value
	}
}

// numberLiteral returns a JSON number literal for a YAML int or float node.
func numberLiteral(d *decoder, n *yaml.Node, field string) string {
	if jsonNumber.MatchString(n.Value) {
		return n.Value
	}
	if n.ShortTag() == "!!int" {
		var i int64
		if err := n.Decode(&i); err == nil {
			return strconv.FormatInt(i, 10)
		}
	}
	var f float64
	if err := n.Decode(&f); err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		d.errorf(n, field, "number %s has no JSON form", n.Value)
		return "0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// decodeNode parses a Go duration string ("3s", "-301s", "250ms").
func (du *Duration) decodeNode(d *decoder, n *yaml.Node, field string) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		d.errorf(n, field, "want a duration string such as \"30s\", got %s", describe(n))
		return
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil {
		d.errorf(n, field, "bad duration: %v", err)
		return
	}
	*du = Duration(v)
}

// Std returns the duration as a time.Duration.
func (du Duration) Std() time.Duration { return time.Duration(du) }

// decodeNode decodes an Expect; status accepts one code or a list of codes.
func (e *Expect) decodeNode(d *decoder, n *yaml.Node, field string) {
	d.decodeStruct(n, reflect.ValueOf(e).Elem(), field, &extraKeys{
		names: []string{"status"},
		handle: func(key string, val *yaml.Node, f string) bool {
			if key != "status" {
				return false
			}
			e.Status = decodeStatus(d, resolveAlias(val), f)
			d.pos[f] = d.at(val)
			return true
		},
	})
}

// decodeStatus accepts `status: 200` and `status: [200, 201]`.
func decodeStatus(d *decoder, n *yaml.Node, field string) []int {
	var items []*yaml.Node
	switch n.Kind {
	case yaml.ScalarNode:
		items = []*yaml.Node{n}
	case yaml.SequenceNode:
		items = n.Content
	default:
		d.errorf(n, field, "want a status code or a list of status codes, got %s", describe(n))
		return nil
	}
	codes := make([]int, 0, len(items))
	for i, item := range items {
		f := field
		if n.Kind == yaml.SequenceNode {
			f += "[" + strconv.Itoa(i) + "]"
		}
		var code int
		item = resolveAlias(item)
		if item.Kind != yaml.ScalarNode || item.ShortTag() != "!!int" || item.Decode(&code) != nil {
			d.errorf(item, f, "want an integer status code, got %s", describe(item))
			continue
		}
		codes = append(codes, code)
	}
	return codes
}

// operatorKeys decodes the operator key of an assertion into op and value, and reports a
// mapping with no operator or more than one.
type operatorKeys struct {
	d     *decoder
	op    *string
	value **Value
	seen  []string
}

// handle takes key when it is an operator.
func (o *operatorKeys) handle(key string, val *yaml.Node, f string) bool {
	if !slices.Contains(Operators(), key) {
		return false
	}
	o.seen = append(o.seen, key)
	if len(o.seen) == 1 {
		*o.op = key
		*o.value = &Value{}
		o.d.decode(val, reflect.ValueOf(*o.value).Elem(), f)
	}
	return true
}

// check reports a missing or extra operator on the assertion mapping n.
func (o *operatorKeys) check(n *yaml.Node, field string) {
	if n.Kind != yaml.MappingNode {
		return
	}
	switch len(o.seen) {
	case 1:
	case 0:
		o.d.errorf(n, field, "no operator (want exactly one of %s)", strings.Join(Operators(), ", "))
	default:
		o.d.errorf(n, field, "%d operators (%s); want exactly one", len(o.seen), strings.Join(o.seen, ", "))
	}
}

// decodeNode decodes an Assert: its fields plus exactly one operator key.
func (a *Assert) decodeNode(d *decoder, n *yaml.Node, field string) {
	ops := &operatorKeys{d: d, op: &a.Op, value: &a.Value}
	d.decodeStruct(n, reflect.ValueOf(a).Elem(), field, &extraKeys{names: Operators(), handle: ops.handle})
	ops.check(n, field)
}

// decodeNode decodes a HeaderAssert: the header name plus exactly one operator key.
func (h *HeaderAssert) decodeNode(d *decoder, n *yaml.Node, field string) {
	ops := &operatorKeys{d: d, op: &h.Op, value: &h.Value}
	d.decodeStruct(n, reflect.ValueOf(h).Elem(), field, &extraKeys{names: Operators(), handle: ops.handle})
	ops.check(n, field)
}
