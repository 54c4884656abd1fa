package specs

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder decodes YAML nodes into the pack model strictly: every key must be a known field, every
// scalar must have the field's type, and each problem is recorded (not returned) so that decoding
// goes on and the author sees every problem at once. It also records the position of every node
// under its field path, for the linter's messages.
type decoder struct {
	file string
	c    *collector
	pos  map[string]Pos
	info map[reflect.Type]*structInfo // per-Load cache of struct field tables
	// nodes counts the nodes decoded, aliases followed included (MaxDecodeNodes).
	nodes int
}

// nodeDecoder is implemented by model types that need more than field-by-field decoding
// (typed values, durations, operator keys, status lists).
type nodeDecoder interface {
	decodeNode(d *decoder, n *yaml.Node, field string)
}

// structInfo is the YAML field table of one struct type.
type structInfo struct {
	fields map[string]int // yaml key -> field index
	keys   []string       // yaml keys in declaration order, for messages
	pos    int            // index of the Pos field, or -1
}

// newDecoder returns a decoder for one file sharing the collector and the struct cache.
func newDecoder(file string, c *collector, info map[reflect.Type]*structInfo) *decoder {
	return &decoder{file: file, c: c, pos: map[string]Pos{}, info: info}
}

// at is the position of n in the decoder's file.
func (d *decoder) at(n *yaml.Node) Pos {
	return Pos{File: d.file, Line: n.Line, Col: n.Column}
}

// errorf records a problem at node n for field.
func (d *decoder) errorf(n *yaml.Node, field, format string, args ...any) {
	d.c.addf(d.at(n), "", field, format, args...)
}

// decode decodes n into v (addressable) and records n's position under field.
func (d *decoder) decode(n *yaml.Node, v reflect.Value, field string) {
	n = resolveAlias(n)
	if d.nodes++; d.nodes > MaxDecodeNodes {
		if d.nodes == MaxDecodeNodes+1 {
			d.errorf(n, field, "more than %d YAML values in one case (aliases of aliases?): refused", MaxDecodeNodes)
		}
		return
	}
	d.pos[field] = d.at(n)
	if nd, ok := v.Addr().Interface().(nodeDecoder); ok {
		nd.decodeNode(d, n, field)
		return
	}
	switch {
	case v.Type() == reflect.TypeFor[yaml.Node]():
		v.Set(reflect.ValueOf(*n))
	case v.Kind() == reflect.Pointer:
		d.decodePointer(n, v, field)
	case v.Kind() == reflect.Struct:
		d.decodeStruct(n, v, field, nil)
	case v.Kind() == reflect.Slice:
		d.decodeSlice(n, v, field)
	case v.Kind() == reflect.Map:
		d.decodeMap(n, v, field)
	default:
		d.decodeScalar(n, v, field)
	}
}

// decodePointer allocates the pointee unless n is null; types with their own decoder (Value)
// are always allocated, so that `body: null` is a JSON null rather than "no body".
func (d *decoder) decodePointer(n *yaml.Node, v reflect.Value, field string) {
	elem := reflect.New(v.Type().Elem())
	_, custom := elem.Interface().(nodeDecoder)
	if isNull(n) && !custom {
		return
	}
	d.decode(n, elem.Elem(), field)
	v.Set(elem)
}

// extraKeys lets a type decode some keys itself (operators, status) inside the generic struct
// decoding; handle reports whether it took the key.
type extraKeys struct {
	names  []string
	handle func(key string, val *yaml.Node, field string) bool
}

// decodeStruct decodes a mapping into a struct field by field, rejecting unknown and duplicate
// keys, and fills the struct's Pos field with the mapping's position.
func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, field string, extra *extraKeys) {
	si := d.structInfo(v.Type())
	if si.pos >= 0 {
		v.Field(si.pos).Set(reflect.ValueOf(d.at(n)))
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, field, "want a mapping, got %s", describe(n))
		return
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		key := k.Value
		f := join(field, key)
		if seen[key] {
			d.errorf(k, f, "duplicate key %q", key)
			continue
		}
		seen[key] = true
		if extra != nil && extra.handle(key, val, f) {
			continue
		}
		idx, ok := si.fields[key]
		if !ok {
			d.pos[f] = d.at(k)
			d.errorf(k, f, "unknown field %q (want one of %s)", key, strings.Join(knownKeys(si, extra), ", "))
			continue
		}
		d.decode(val, v.Field(idx), f)
	}
}

// knownKeys lists the keys a mapping may have, for unknown-field messages.
func knownKeys(si *structInfo, extra *extraKeys) []string {
	if extra == nil {
		return si.keys
	}
	return append(append([]string{}, si.keys...), extra.names...)
}

// decodeSlice decodes a sequence element by element.
func (d *decoder) decodeSlice(n *yaml.Node, v reflect.Value, field string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.SequenceNode {
		d.errorf(n, field, "want a list, got %s", describe(n))
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		d.decode(item, s.Index(i), field+"["+strconv.Itoa(i)+"]")
	}
	v.Set(s)
}

// decodeMap decodes a mapping with string keys into a Go map, rejecting duplicate keys.
func (d *decoder) decodeMap(n *yaml.Node, v reflect.Value, field string) {
	if isNull(n) {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, field, "want a mapping, got %s", describe(n))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := resolveAlias(n.Content[i]), n.Content[i+1]
		f := join(field, k.Value)
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, field, "want a string key, got %s", describe(k))
			continue
		}
		key := reflect.ValueOf(k.Value)
		if m.MapIndex(key).IsValid() {
			d.errorf(k, f, "duplicate key %q", k.Value)
			continue
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(val, elem, f)
		m.SetMapIndex(key, elem)
	}
	v.Set(m)
}

// decodeScalar decodes strings, booleans and integers, checking the YAML tag so that `repeat:
// "3"` or `serial: yes-please` are refused rather than guessed.
func (d *decoder) decodeScalar(n *yaml.Node, v reflect.Value, field string) {
	if n.Kind != yaml.ScalarNode {
		d.errorf(n, field, "want %s %s, got %s", article(kindWord(v.Kind())), kindWord(v.Kind()), describe(n))
		return
	}
	tag := n.ShortTag()
	switch v.Kind() {
	case reflect.String:
		if tag != "!!null" {
			v.SetString(n.Value)
		}
		return
	case reflect.Bool:
		if b, err := strconv.ParseBool(n.Value); err == nil && tag == "!!bool" {
			v.SetBool(b)
			return
		}
	case reflect.Int, reflect.Int64:
		var i int64
		if tag == "!!int" && n.Decode(&i) == nil {
			v.SetInt(i)
			return
		}
	default:
		d.errorf(n, field, "internal error: no YAML decoding for Go type %s", v.Type())
		return
	}
	d.errorf(n, field, "want %s %s, got %s", article(kindWord(v.Kind())), kindWord(v.Kind()), describe(n))
}

// structInfo returns (and caches) the field table of a struct type.
func (d *decoder) structInfo(t reflect.Type) *structInfo {
	if si, ok := d.info[t]; ok {
		return si
	}
	si := &structInfo{fields: map[string]int{}, pos: -1}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Name == "Pos" && f.Type == reflect.TypeFor[Pos]() {
			si.pos = i
		}
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" || !f.IsExported() {
			continue
		}
		si.fields[name] = i
		si.keys = append(si.keys, name)
	}
	d.info[t] = si
	return si
}

// resolveAlias follows YAML aliases (*anchor) to the anchored node.
func resolveAlias(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// isNull reports whether n is an explicit or implicit YAML null.
func isNull(n *yaml.Node) bool {
	return n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null")
}

// describe names what a node is, for "want X, got Y" messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return fmt.Sprintf("%s %q", strings.TrimPrefix(n.ShortTag(), "!!"), n.Value)
	default:
		return "nothing"
	}
}

// kindWord names a Go kind the way a pack author thinks of it.
func kindWord(k reflect.Kind) string {
	switch k {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean (true or false)"
	case reflect.Int, reflect.Int64:
		return "integer"
	default:
		return k.String()
	}
}

// article returns "a" or "an" for word.
func article(word string) string {
	if strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// join appends a key to a field path.
func join(field, key string) string {
	if field == "" {
		return key
	}
	return field + "." + key
}
