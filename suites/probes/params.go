package probes

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// decodeParams decodes a step's `with:` into out (a pointer to a struct with yaml tags), strictly:
// an unknown or repeated key, at any depth, is an error naming its line and the known keys. An
// absent, null or empty `with:` leaves out unchanged (the defaults).
func decodeParams(probe string, with *yaml.Node, out any) error {
	if with == nil || with.Kind == 0 || (with.Kind == yaml.ScalarNode && with.Tag == "!!null") {
		return nil
	}
	if with.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: probe %s: parameters must be a mapping", with.Line, probe)
	}
	if err := checkKeys(with, reflect.TypeOf(out).Elem()); err != nil {
		return fmt.Errorf("probe %s: %w", probe, err)
	}
	if err := with.Decode(out); err != nil {
		return fmt.Errorf("probe %s: %w", probe, err)
	}
	return nil
}

// checkKeys walks n along type t and refuses mapping keys t does not declare, and repeated
// keys. Type mismatches are left to yaml's decoder, which names them with their lines.
func checkKeys(n *yaml.Node, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		known := structKeys(t)
		slices.Sort(known)
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			field, ok := fieldFor(t, k.Value)
			switch {
			case !ok:
				return fmt.Errorf("line %d: unknown parameter %q (known: %s)", k.Line, k.Value, strings.Join(known, ", "))
			case seen[k.Value]:
				return fmt.Errorf("line %d: parameter %q given twice", k.Line, k.Value)
			}
			seen[k.Value] = true
			if err := checkKeys(n.Content[i+1], field); err != nil {
				return err
			}
		}
	case n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice:
		for _, item := range n.Content {
			if err := checkKeys(item, t.Elem()); err != nil {
				return err
			}
		}
	}
	return nil
}

// structKeys lists the yaml keys of struct type t, including those of inline fields.
func structKeys(t reflect.Type) []string {
	var keys []string
	for i := range t.NumField() {
		name, opts, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		switch {
		case opts == "inline" && t.Field(i).Type.Kind() == reflect.Struct:
			keys = append(keys, structKeys(t.Field(i).Type)...)
		case name != "" && name != "-":
			keys = append(keys, name)
		}
	}
	return keys
}

// fieldFor returns the type of the field of struct t (or of its inline fields) tagged key.
func fieldFor(t reflect.Type, key string) (reflect.Type, bool) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if opts == "inline" && f.Type.Kind() == reflect.Struct {
			if ft, ok := fieldFor(f.Type, key); ok {
				return ft, true
			}
			continue
		}
		if name == key && name != "" && name != "-" {
			return f.Type, true
		}
	}
	return nil, false
}

// timeoutParam is the per-attempt timeout every network probe accepts.
type timeoutParam struct {
	// Timeout bounds each connection attempt (default 10s, at most 60s).
	Timeout time.Duration `yaml:"timeout"`
}

// resolve applies the default and checks the range.
func (p *timeoutParam) resolve(probe string) error {
	switch {
	case p.Timeout == 0:
		p.Timeout = defaultTimeout
	case p.Timeout < 0 || p.Timeout > maxTimeout:
		return fmt.Errorf("probe %s: timeout %s must be between 0 and %s", probe, p.Timeout, maxTimeout)
	}
	return nil
}

// timeoutOnly decodes and checks the parameters of a probe that takes only a timeout.
func timeoutOnly(probe string, with *yaml.Node) (time.Duration, error) {
	var p timeoutParam
	if err := decodeParams(probe, with, &p); err != nil {
		return 0, err
	}
	if err := p.resolve(probe); err != nil {
		return 0, err
	}
	return p.Timeout, nil
}
