package reports

import (
	"sort"
	"strings"
)

// Cases is a list of case results with the queries every writer and command needs, so that
// counting FAILs is written once (ginkgo's SpecReports.WithState / CountWithState habit).
type Cases []Case

// WithState returns the cases whose state is one of states, in their original order. The
// result is a new slice; the receiver is not changed.
func (cs Cases) WithState(states ...State) Cases {
	var out Cases
	for _, c := range cs {
		for _, s := range states {
			if c.State == s {
				out = append(out, c)
				break
			}
		}
	}
	return out
}

// Count returns how many cases are in state s.
func (cs Cases) Count(s State) int {
	n := 0
	for _, c := range cs {
		if c.State == s {
			n++
		}
	}
	return n
}

// Sorted returns a copy sorted by case ID (stable for equal IDs). Writers emit cases in this
// order so that two runs with different seeds, hence different execution orders, give
// comparable files.
func (cs Cases) Sorted() Cases {
	out := append(Cases(nil), cs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Summarize counts cases per state. Total counts every case, including any left in the Invalid
// state (never judged), so that Total minus the named states shows what nobody judged.
func Summarize(cases []Case) Summary {
	s := Summary{Total: len(cases)}
	for _, c := range cases {
		s.count(c.State)
	}
	return s
}

// Of returns the count of one state (0 for Invalid, which Summary does not name).
func (s Summary) Of(st State) int {
	if n := s.field(st); n != nil {
		return *n
	}
	return 0
}

// count adds one case in state st (nothing for Invalid, which only Total counts).
func (s *Summary) count(st State) {
	if n := s.field(st); n != nil {
		*n++
	}
}

// field is the counter of state st, or nil for Invalid: the one place that maps states to
// Summary's fields.
func (s *Summary) field(st State) *int {
	switch st {
	case Pass:
		return &s.Pass
	case Fail:
		return &s.Fail
	case Warn:
		return &s.Warn
	case Skip:
		return &s.Skip
	case Error:
		return &s.Error
	case Waived:
		return &s.Waived
	}
	return nil
}

// tally is one row of a per-area or per-clause table: a key and its counts.
type tally struct {
	Key string
	Summary
}

// tallyBy groups cases by the keys keysOf returns (a case may count under several keys, as
// under each of its clauses) and returns the rows sorted by key.
func tallyBy(cases []Case, keysOf func(Case) []string) []tally {
	rows := map[string]*Summary{}
	for _, c := range cases {
		for _, k := range keysOf(c) {
			if rows[k] == nil {
				rows[k] = &Summary{}
			}
			rows[k].Total++
			rows[k].count(c.State)
		}
	}
	out := make([]tally, 0, len(rows))
	for k, s := range rows {
		out = append(out, tally{Key: k, Summary: *s})
	}
	sort.Slice(out, func(i, j int) bool { return naturalLess(out[i].Key, out[j].Key) })
	return out
}

// naturalLess orders strings with their digit runs compared as numbers, so that clause
// CAI-3.1 comes before CAI-11.4 and CAI-4.2 before CAI-4.10. Strings equal that way ("x7",
// "x07") fall back to byte order, so that the order is total and sorting deterministic.
func naturalLess(a, b string) bool {
	if naturalBefore(a, b) || naturalBefore(b, a) {
		return naturalBefore(a, b)
	}
	return a < b
}

func naturalBefore(a, b string) bool {
	for a != "" && b != "" {
		da, db := digitRun(a), digitRun(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	return len(a) < len(b)
}

// digitRun returns the length of the run of ASCII digits at the start of s.
func digitRun(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}

// areaKey names a case's group "suite/area", the unit of every per-area table.
func areaKey(c Case) []string { return []string{orNone(c.Suite) + "/" + orNone(c.Area)} }

// clauseKeys returns the case's clauses (or "none"), for per-clause tables.
func clauseKeys(c Case) []string {
	if len(c.Clauses) == 0 {
		return []string{"none"}
	}
	return c.Clauses
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// failedChecks returns the checks of c that failed, in order: the "expected vs actual" every
// writer shows for a failure.
func failedChecks(c Case) []Check {
	var out []Check
	for _, ch := range c.Checks {
		if ch.Outcome == Failed {
			out = append(out, ch)
		}
	}
	return out
}

// firstLine returns the first line of a message, for one-line listings.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimRight(s[:i], "\r")
	}
	return s
}

// clauseList renders clause IDs as "CAI-4.1, CAI-4.3".
func clauseList(c Case) string { return strings.Join(c.Clauses, ", ") }
