package catalog

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/specs"
)

// packDiff is how the case catalogue changed from one pack to another.
type packDiff struct {
	// Added are the cases only in the new pack, Removed those only in the old, by ID.
	Added, Removed []*specs.Case
	// Changed are the cases in both whose definitions differ.
	Changed []caseChange
	// Unchanged counts the cases identical in both.
	Unchanged int
}

// caseChange names a changed case and the fields that differ (YAML names: title, clauses, steps...).
type caseChange struct {
	ID     string
	Fields []string
}

// compare matches the cases of a and b by ID. A case is changed when any field of its
// definition differs; positions in the files (a case moved to another line) and YAML comments
// do not count.
func compare(a, b *specs.Pack) *packDiff {
	d := &packDiff{}
	old := map[string]*specs.Case{}
	for i := range a.Cases {
		old[a.Cases[i].ID] = &a.Cases[i]
	}
	seen := map[string]bool{}
	for i := range b.Cases {
		nc := &b.Cases[i]
		seen[nc.ID] = true
		oc, ok := old[nc.ID]
		if !ok {
			d.Added = append(d.Added, nc)
			continue
		}
		if fields := changedFields(oc, nc); len(fields) > 0 {
			d.Changed = append(d.Changed, caseChange{ID: nc.ID, Fields: fields})
		} else {
			d.Unchanged++
		}
	}
	for i := range a.Cases {
		if !seen[a.Cases[i].ID] {
			d.Removed = append(d.Removed, &a.Cases[i])
		}
	}
	byID := func(x, y *specs.Case) int { return strings.Compare(x.ID, y.ID) }
	slices.SortFunc(d.Added, byID)
	slices.SortFunc(d.Removed, byID)
	slices.SortFunc(d.Changed, func(x, y caseChange) int { return strings.Compare(x.ID, y.ID) })
	return d
}

// changedFields lists the YAML names of the top-level fields of a case that differ.
func changedFields(a, b *specs.Case) []string {
	va, vb := reflect.ValueOf(*a), reflect.ValueOf(*b)
	t := va.Type()
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "-" || name == "" {
			continue
		}
		if dump(va.Field(i)) != dump(vb.Field(i)) {
			out = append(out, name)
		}
	}
	return out
}

// dump writes v as text, leaving out source positions (specs.Pos, yaml.Node lines and
// columns) and YAML comments and styles, so that only meaning is compared.
func dump(v reflect.Value) string {
	var b strings.Builder
	write(&b, v)
	return b.String()
}

func write(b *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		write(b, v.Elem())
	case reflect.Struct:
		writeStruct(b, v)
	case reflect.Slice, reflect.Array:
		b.WriteByte('[')
		for i := range v.Len() {
			write(b, v.Index(i))
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(x, y reflect.Value) int { return strings.Compare(fmt.Sprint(x), fmt.Sprint(y)) })
		b.WriteByte('{')
		for _, k := range keys {
			fmt.Fprintf(b, "%q:", fmt.Sprint(k))
			write(b, v.MapIndex(k))
			b.WriteByte(',')
		}
		b.WriteByte('}')
	default:
		fmt.Fprintf(b, "%#v", v.Interface())
	}
}

func writeStruct(b *strings.Builder, v reflect.Value) {
	t := v.Type()
	posType := reflect.TypeFor[specs.Pos]()
	if t == posType {
		return
	}
	b.WriteByte('{')
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() || f.Type == posType || (t == reflect.TypeFor[yaml.Node]() && ignoredNodeField(f.Name)) {
			continue
		}
		b.WriteString(f.Name + ":")
		write(b, v.Field(i))
		b.WriteByte(',')
	}
	b.WriteByte('}')
}

// ignoredNodeField names the yaml.Node fields that carry layout, not meaning.
func ignoredNodeField(name string) bool {
	switch name {
	case "Line", "Column", "Style", "HeadComment", "LineComment", "FootComment":
		return true
	}
	return false
}
