package catalog

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/chanconf/chanconf/specs"
)

// clauseDiff is how the clause catalogue (pack.yaml's clauses) changed: a new version of the
// standard adds clauses (CAI-11.6 in 1.0.1) or changes their level, suite or profiles.
type clauseDiff struct {
	Added, Removed []specs.Clause
	Changed        []caseChange // the clause ID and the fields that differ
}

// empty reports whether nothing changed.
func (d *clauseDiff) empty() bool {
	return len(d.Added) == 0 && len(d.Removed) == 0 && len(d.Changed) == 0
}

// compareClauses matches the clauses of a and b by ID, in b's order (removed ones in a's).
func compareClauses(a, b *specs.Pack) *clauseDiff {
	d := &clauseDiff{}
	old := map[string]specs.Clause{}
	for _, c := range a.Manifest.Clauses {
		old[c.ID] = c
	}
	seen := map[string]bool{}
	for _, nc := range b.Manifest.Clauses {
		seen[nc.ID] = true
		oc, ok := old[nc.ID]
		if !ok {
			d.Added = append(d.Added, nc)
			continue
		}
		if fields := clauseFields(oc, nc); len(fields) > 0 {
			d.Changed = append(d.Changed, caseChange{ID: nc.ID, Fields: fields})
		}
	}
	for _, oc := range a.Manifest.Clauses {
		if !seen[oc.ID] {
			d.Removed = append(d.Removed, oc)
		}
	}
	return d
}

// clauseFields lists the YAML names of the fields of a clause that differ.
func clauseFields(a, b specs.Clause) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	t := va.Type()
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "-" && name != "" && dump(va.Field(i)) != dump(vb.Field(i)) {
			out = append(out, name)
		}
	}
	return out
}

// writeClauses prints the clause changes, nothing when there are none.
func writeClauses(s *strings.Builder, d *clauseDiff) {
	if d.empty() {
		return
	}
	list := func(title string, cs []specs.Clause) {
		if len(cs) == 0 {
			return
		}
		fmt.Fprintf(s, "clauses %s (%d):\n", title, len(cs))
		for _, c := range cs {
			fmt.Fprintf(s, "  %s  %s  %s  %s\n", c.ID, c.Level, c.Suite, c.Title)
		}
	}
	list("added", d.Added)
	list("removed", d.Removed)
	if len(d.Changed) > 0 {
		fmt.Fprintf(s, "clauses changed (%d):\n", len(d.Changed))
		for _, c := range d.Changed {
			fmt.Fprintf(s, "  %s  %s\n", c.ID, strings.Join(c.Fields, ", "))
		}
	}
}
