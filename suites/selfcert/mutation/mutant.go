package mutation

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"go/ast"
	"sort"
	"strings"
)

// The mutation operators.
const (
	// OpBoundary swaps < with <= and > with >=.
	OpBoundary = "relational-boundary"
	// OpNegate negates the condition of an if.
	OpNegate = "negate-condition"
	// OpRemoveCheck makes an `if cond { ... return ... }` check never fire.
	OpRemoveCheck = "remove-early-return"
	// OpRemoveTerm removes one term of an && or || chain in an if condition.
	OpRemoveTerm = "remove-condition-term"
	// OpConstant replaces a number by +1, -1, x2 or /2 (a numeric constant by x2 or /2).
	OpConstant = "numeric-constant"
	// OpSwapChecks swaps two consecutive `if ... { return ... }` checks.
	OpSwapChecks = "swap-checks"
	// OpDeleteStore deletes an assignment, an increment, a map delete or a store call.
	OpDeleteStore = "delete-store"
	// OpLooseEquality turns a == b into a prefix or case-insensitive comparison.
	OpLooseEquality = "loose-equality"
)

// Operators lists every operator, in report order.
func Operators() []string {
	return []string{OpBoundary, OpNegate, OpRemoveCheck, OpRemoveTerm, OpConstant, OpSwapChecks, OpDeleteStore, OpLooseEquality}
}

// edit replaces the bytes [start, end) of a file with text.
type edit struct {
	start, end int
	text       string
}

// Mutant is one small change of the reference channel's source.
type Mutant struct {
	// ID is stable across runs and unrelated edits: a hash of the file, the function, the
	// operator, the original and mutated text and the occurrence of that tuple in the function
	// (never the line, which moves whenever code above it changes).
	ID string `json:"id"`
	// File is the slash path relative to the module root; Line is where the change starts.
	File string `json:"file"`
	Line int    `json:"line"`
	// Func is the function holding the change (Recv.name for methods).
	Func string `json:"func"`
	// Operator is one of Operators.
	Operator string `json:"operator"`
	// Original and Mutated are the changed source text before and after (whitespace folded).
	Original string `json:"original"`
	Mutated  string `json:"mutated"`

	edits []edit
	fn    *ast.FuncDecl
	file  *srcFile
}

// Key is the file, function, operator and texts that IDs and the equivalents file rest on.
func (m *Mutant) key() string {
	return strings.Join([]string{m.File, m.Func, m.Operator, m.Original, m.Mutated}, "\x00")
}

// Location is file:line.
func (m *Mutant) Location() string { return fmt.Sprintf("%s:%d", m.File, m.Line) }

// Discover parses the packages dirs (relative to the module root) and returns every mutant,
// sorted by file, line and ID.
func Discover(root string, dirs []string) ([]*Mutant, error) {
	var out []*Mutant
	for _, dir := range dirs {
		p, err := loadPackage(root, dir)
		if err != nil {
			return nil, err
		}
		out = append(out, discoverPackage(p)...)
	}
	assignIDs(out)
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.ID < b.ID
	})
	return out, nil
}

// discoverPackage returns the mutants of the live, unexcluded functions of p.
func discoverPackage(p *pkgSource) []*Mutant {
	live := liveFuncs(p)
	var out []*Mutant
	for _, f := range p.files {
		if f.switches {
			continue
		}
		for _, d := range f.file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil || !live[fd] || mentionsSwitchName(funcName(fd)) || hasLabels(fd.Body) {
				continue
			}
			w := &walker{f: f, fn: fd, name: funcName(fd), skip: excludedSpans(fd.Body), consts: p.consts}
			w.walk()
			out = append(out, w.out...)
		}
	}
	return out
}

// assignIDs gives each mutant its stable ID.
func assignIDs(ms []*Mutant) {
	seen := map[string]int{}
	for _, m := range ms {
		k := m.key()
		n := seen[k]
		seen[k]++
		sum := sha256.Sum256([]byte(fmt.Sprintf("%s\x00%d", k, n)))
		m.ID = "m-" + hex.EncodeToString(sum[:5])
	}
}

// fold folds runs of white space into one space and shortens long text, for reports.
func fold(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 160 {
		s = string(r[:157]) + "..."
	}
	return s
}
