package reports

import (
	"encoding/json"
	"fmt"
)

// State is a case's result. The zero value is Invalid so that a case nobody judged cannot pass
// by accident; in report.json states are the upper-case strings below.
type State int

// The states of a case.
const (
	Invalid State = iota
	Pass          // every check passed
	Fail          // a MUST case's check failed: the channel broke a rule
	Warn          // a SHOULD case's check failed
	Skip          // not run (profile not declared, filtered), with the reason in Message
	Error         // the environment broke (unreachable, TLS trust, bad declaration): not the channel's fault
	Waived        // a FAIL turned into WAIVED by a waiver (never certifiable)
)

// stateNames returns the names of the states, indexed by State.
func stateNames() []string {
	return []string{"INVALID", "PASS", "FAIL", "WARN", "SKIP", "ERROR", "WAIVED"}
}

// String returns the upper-case name used in every report.
func (s State) String() string {
	names := stateNames()
	if s < 0 || int(s) >= len(names) {
		return fmt.Sprintf("State(%d)", int(s))
	}
	return names[s]
}

// ParseState is the inverse of String.
func ParseState(name string) (State, error) {
	for i, n := range stateNames() {
		if n == name && i != 0 {
			return State(i), nil
		}
	}
	return Invalid, fmt.Errorf("unknown case state %q", name)
}

// MarshalJSON writes the state as its name.
func (s State) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads a state name.
func (s *State) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	v, err := ParseState(name)
	*s = v
	return err
}

// Verdict is the run's outcome.
type Verdict int

// The verdicts of a run.
const (
	// Incomplete is the zero value: a run is not conformant until shown to be.
	Incomplete    Verdict = iota // something errored, or a filter left a MUST case out
	Conformant                   // every MUST case of the declared profiles passed
	Nonconformant                // a MUST case failed
)

// verdictNames returns the names of the verdicts, indexed by Verdict.
func verdictNames() []string { return []string{"INCOMPLETE", "CONFORMANT", "NONCONFORMANT"} }

// String returns the upper-case name used in every report.
func (v Verdict) String() string {
	names := verdictNames()
	if v < 0 || int(v) >= len(names) {
		return fmt.Sprintf("Verdict(%d)", int(v))
	}
	return names[v]
}

// ParseVerdict is the inverse of String.
func ParseVerdict(name string) (Verdict, error) {
	for i, n := range verdictNames() {
		if n == name {
			return Verdict(i), nil
		}
	}
	return Incomplete, fmt.Errorf("unknown verdict %q", name)
}

// MarshalJSON writes the verdict as its name.
func (v Verdict) MarshalJSON() ([]byte, error) { return json.Marshal(v.String()) }

// UnmarshalJSON reads a verdict name.
func (v *Verdict) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	p, err := ParseVerdict(name)
	*v = p
	return err
}

// Outcome is the result of one check.
type Outcome string

// The outcomes of a check. NotChecked is recorded, with a reason, whenever a check could not be
// made (a HEAD request, a 3xx, a response the contract gives no schema for), never silently.
// Observed is a failed check of a cross-cutting rule whose clause the case does not list: the
// breach is recorded against that clause (Report.Observations) and reported by the case owning
// it, and does not fail the case that happened to see it.
const (
	Passed     Outcome = "passed"
	Failed     Outcome = "failed"
	NotChecked Outcome = "not-checked"
	Observed   Outcome = "observed"
)
