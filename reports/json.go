package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"time"
)

// TimeLayout is how every writer prints a time: RFC 3339 in UTC with milliseconds, so that
// report.json round-trips byte for byte and sorts as text.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// formatTime prints t in TimeLayout (UTC).
func formatTime(t time.Time) string { return t.UTC().Format(TimeLayout) }

// WriteJSON writes r as report.json: indented, keys in struct order, times in RFC 3339 UTC with
// milliseconds, cases sorted by ID, and empty lists written as [] (never null) so that the file
// matches reports/schema/report.schema.json. r is not modified.
func WriteJSON(w io.Writer, r *Report) error {
	compact, err := encodeReport(canonical(r))
	if err != nil {
		return fmt.Errorf("encode report.json: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, compact, "", "  "); err != nil {
		return fmt.Errorf("indent report.json: %w", err)
	}
	out.WriteByte('\n')
	if _, err := out.WriteTo(w); err != nil {
		return fmt.Errorf("write report.json: %w", err)
	}
	return nil
}

// ReadJSON reads a report.json strictly, for `diff` and `verify`: unknown fields, trailing data
// and another schema version are errors, since a report that does not say exactly what this
// version of chanconf means cannot be compared or verified.
func ReadJSON(rd io.Reader) (*Report, error) {
	dec := json.NewDecoder(rd)
	dec.DisallowUnknownFields()
	var r Report
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("read report.json: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read report.json: data after the report object")
	}
	if !slices.Contains(ReadableSchemaVersions(), r.SchemaVersion) {
		return nil, fmt.Errorf("read report.json: schema version %q, this chanconf reads %s",
			r.SchemaVersion, strings.Join(ReadableSchemaVersions(), ", "))
	}
	return &r, nil
}

// canonical returns a copy of r in the form every writer emits: schema version set, cases
// sorted by ID, profiles and faults sorted, nil lists made empty. The input is not modified.
func canonical(r *Report) *Report {
	c := *r
	c.SchemaVersion = SchemaVersion
	c.Target.Profiles = sortedStrings(r.Target.Profiles)
	c.Target.Faults = sortedStrings(r.Target.Faults)
	c.Target.Variants = sortedStrings(r.Target.Variants)
	c.Cases = make(Cases, 0, len(r.Cases))
	for _, k := range r.Cases.Sorted() {
		k.Clauses = nonNil(k.Clauses)
		k.Labels = nonNil(k.Labels)
		k.Evidence = nonNil(k.Evidence)
		if k.Checks == nil {
			k.Checks = []Check{}
		}
		c.Cases = append(c.Cases, k)
	}
	c.Observations = make([]Observation, 0, len(r.Observations))
	for _, o := range r.Observations {
		o.Checks, o.ExchangeIDs = nonNil(o.Checks), nonNil(o.ExchangeIDs)
		c.Observations = append(c.Observations, o)
	}
	slices.SortStableFunc(c.Observations, func(a, b Observation) int { return strings.Compare(a.Clause, b.Clause) })
	return &c
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func sortedStrings(s []string) []string {
	out := append([]string{}, s...)
	slices.Sort(out)
	return out
}

// encodeReport marshals the top-level report fields in struct order, honouring the json tags,
// and writes time.Time fields in TimeLayout; encoding/json would write RFC 3339 with
// nanoseconds in the local zone. Reflection keeps this in step with the struct without a
// hand-copied mirror type.
func encodeReport(r *Report) ([]byte, error) {
	v := reflect.ValueOf(*r)
	t := v.Type()
	var buf bytes.Buffer
	buf.WriteByte('{')
	for i := range t.NumField() {
		name, omitEmpty := jsonTag(t.Field(i))
		fv := v.Field(i)
		if name == "-" || (omitEmpty && isEmptyValue(fv)) {
			continue
		}
		val := fv.Interface()
		if tm, ok := val.(time.Time); ok {
			val = formatTime(tm)
		}
		b, err := marshalNoEscape(val)
		if err != nil {
			return nil, fmt.Errorf("field %s: %w", name, err)
		}
		if buf.Len() > 1 {
			buf.WriteByte(',')
		}
		key, _ := marshalNoEscape(name)
		buf.Write(key)
		buf.WriteByte(':')
		buf.Write(b)
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// jsonTag returns a field's JSON name and whether it is omitempty.
func jsonTag(f reflect.StructField) (string, bool) {
	tag := f.Tag.Get("json")
	name, opts, _ := strings.Cut(tag, ",")
	if name == "" {
		name = f.Name
	}
	return name, strings.Contains(","+opts+",", ",omitempty,")
}

// isEmptyValue is encoding/json's notion of empty for omitempty.
func isEmptyValue(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Slice, reflect.Map, reflect.String, reflect.Array:
		return v.Len() == 0
	}
	return v.IsZero()
}

// marshalNoEscape is json.Marshal without HTML escaping, so that bodies and messages with
// <, > and & stay readable in report.json.
func marshalNoEscape(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
