package mutation

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"
)

// EquivalentsFile is the reviewed file, relative to the module root.
const EquivalentsFile = "suites/selfcert/mutation/equivalent.yaml"

// Reviewed is the reviewed file: functions left out of scope and equivalent mutants, each
// with its reason. Neither counts in the score.
type Reviewed struct {
	// OutOfScope are functions that build or tear down the fixture rather than answer the
	// pack (no mutant is generated in them).
	OutOfScope []ScopeEntry `yaml:"outOfScope"`
	// Equivalent are mutants that cannot change what the channel does, by ID; the other
	// fields are there for the reviewer and are checked against the mutant.
	Equivalent []Equivalent `yaml:"equivalent"`
}

// ScopeEntry names one function left out, with why.
type ScopeEntry struct {
	File   string `yaml:"file"`
	Func   string `yaml:"func"`
	Reason string `yaml:"reason"`
}

// Equivalent is one reviewed equivalent mutant.
type Equivalent struct {
	ID       string `yaml:"id"`
	File     string `yaml:"file"`
	Func     string `yaml:"func"`
	Operator string `yaml:"operator"`
	Original string `yaml:"original"`
	Mutated  string `yaml:"mutated"`
	Reason   string `yaml:"reason"`
}

// LoadReviewed reads and checks the reviewed file: unknown keys, and entries without a reason,
// are errors naming the line.
func LoadReviewed(path string) (*Reviewed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read the reviewed equivalents: %w", err)
	}
	var r Reviewed
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var errs []error
	for i, s := range r.OutOfScope {
		if s.File == "" || s.Func == "" || strings.TrimSpace(s.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s: outOfScope[%d]: file, func and reason are required", path, i))
		}
	}
	for i, e := range r.Equivalent {
		if e.ID == "" || strings.TrimSpace(e.Reason) == "" {
			errs = append(errs, fmt.Errorf("%s: equivalent[%d]: id and reason are required", path, i))
		}
	}
	return &r, errors.Join(errs...)
}

// inScope reports whether mutant m lies in a function the file keeps in scope.
func (r *Reviewed) inScope(m *Mutant) bool {
	if r == nil {
		return true
	}
	for _, s := range r.OutOfScope {
		if s.File == m.File && s.Func == m.Func {
			return false
		}
	}
	return true
}

// equivalent returns the reviewed entry of m, or nil.
func (r *Reviewed) equivalent(m *Mutant) *Equivalent {
	if r == nil {
		return nil
	}
	for i := range r.Equivalent {
		if r.Equivalent[i].ID == m.ID {
			return &r.Equivalent[i]
		}
	}
	return nil
}

// Apply removes the out-of-scope mutants and returns the kept ones with the equivalents
// marked, plus the reviewed IDs that match no mutant any more (stale entries to review).
func (r *Reviewed) Apply(ms []*Mutant) (kept []*Mutant, equivalent map[string]string, stale []string) {
	equivalent = map[string]string{}
	ids := map[string]bool{}
	for _, m := range ms {
		if !r.inScope(m) {
			continue
		}
		kept = append(kept, m)
		ids[m.ID] = true
		if e := r.equivalent(m); e != nil {
			equivalent[m.ID] = e.Reason
		}
	}
	if r != nil {
		for _, e := range r.Equivalent {
			if !ids[e.ID] {
				stale = append(stale, e.ID)
			}
		}
	}
	return kept, equivalent, stale
}
