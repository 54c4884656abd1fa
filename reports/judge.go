package reports

import (
	"fmt"
	"slices"
	"strings"
)

// LevelMust is the Case.Level of the cases that decide the verdict.
const LevelMust = "MUST"

// Judge fills r.Verdict, r.Reasons and r.Summary from r's cases, filters and interruption, so
// that every command and writer states the same outcome for the same results.
//
// The rules, in order of precedence:
//   - NONCONFORMANT when any MUST case FAILed: the channel broke a rule, whatever else happened.
//   - INCOMPLETE when any case ERRORed or was never judged, the run was interrupted, a filter
//     (label filter, focus, profile) was applied, or a MUST case of a declared profile did not
//     run or pass: such a run cannot certify.
//   - CONFORMANT otherwise: every MUST case that was not skipped for an undeclared profile
//     passed (and at least one did).
//
// WAIVED cases do not fail the verdict (waivers exist so CI can pass) but are listed in a reason,
// as are SHOULD cases that warned. Reasons always list every cause found, not only the
// deciding one.
func Judge(r *Report) {
	r.Summary = Summarize(r.Cases)
	j := judgement{declared: r.Target.Profiles}
	for _, c := range r.Cases.Sorted() {
		j.consider(c)
	}
	j.interrupted = r.Interrupted
	r.Causes = GroupCauses(r.Cases)
	j.broken = append(causeReasons(r.Cases, r.Causes), j.broken...)
	r.Verdict, r.Reasons = j.verdict(r.Filters)
}

// causeReasons states each cause of ERROR once: a cause of one case as "ID (clauses)
// errored: message", a cause of several as "N cases errored (A, B and 7 more): cause (fix: ...)".
func causeReasons(cases Cases, causes []Cause) []string {
	var out []string
	for _, g := range causes {
		if g.Count == 1 {
			for _, c := range cases {
				if c.ID == g.Cases[0] && c.State == Error {
					out = append(out, caseWho(c)+" errored: "+orDash(firstLine(c.Message)))
					break
				}
			}
			continue
		}
		out = append(out, causeReason(g))
	}
	return out
}

// causeReason is the verdict's reason for a cause of several cases.
func causeReason(g Cause) string {
	reason := fmt.Sprintf("%d cases errored (%s): %s", g.Count, idList(g.Cases, 3), g.Key)
	if g.Fix != "" {
		reason += " (fix: " + g.Fix + ")"
	}
	return reason
}

// idList names at most n IDs, "A, B, C and 7 more".
func idList(ids []string, n int) string {
	if len(ids) <= n {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:n], ", "), len(ids)-n)
}

// judgement accumulates the causes found in a report's cases.
type judgement struct {
	declared    []string
	interrupted bool
	failed      []string // reasons: MUST cases that failed
	broken      []string // reasons: errored, unjudged or odd MUST cases
	notRun      []string // reasons: MUST cases of declared profiles that were skipped
	waived      []string // IDs
	warned      []string // IDs of SHOULD cases that did not pass
	mustPassed  int
}

func (j *judgement) consider(c Case) {
	who := caseWho(c)
	switch {
	case c.State == Error:
		// stated once per cause by causeReasons
	case c.State == Invalid:
		j.broken = append(j.broken, who+" was never judged")
	case c.State == Waived:
		j.waived = append(j.waived, c.ID)
	case c.Level != LevelMust:
		if c.State == Warn || c.State == Fail {
			j.warned = append(j.warned, c.ID)
		}
	case c.State == Pass:
		j.mustPassed++
	case c.State == Fail:
		j.failed = append(j.failed, who+" failed")
	case c.State == Skip:
		if j.profileDeclared(c.Profile) && !c.NotApplicable {
			j.notRun = append(j.notRun, who+" was skipped: "+orDash(firstLine(c.Message)))
		}
	default:
		j.broken = append(j.broken, fmt.Sprintf("%s is a MUST case but was judged %s", who, c.State))
	}
}

// profileDeclared reports whether a case of profile p should have run for this target.
func (j *judgement) profileDeclared(p string) bool {
	return p == "" || p == "any" || slices.Contains(j.declared, p)
}

func (j *judgement) verdict(f Filters) (Verdict, []string) {
	incomplete := j.incompleteCauses(f)
	reasons := append(append(append([]string(nil), j.failed...), incomplete...), j.notes(f)...)
	switch {
	case len(j.failed) > 0:
		return Nonconformant, reasons
	case len(incomplete) > 0:
		return Incomplete, reasons
	}
	return Conformant, reasons
}

// incompleteCauses are the reasons that keep a run without MUST failures from certifying.
func (j *judgement) incompleteCauses(f Filters) []string {
	causes := append([]string(nil), j.broken...)
	if j.interrupted {
		causes = append(causes, "the run was interrupted before every case ran")
	}
	if filtered := filterFlags(f); filtered != "" {
		causes = append(causes, fmt.Sprintf("%s applied: %d MUST cases not run; a filtered run cannot certify",
			filtered, len(j.notRun)))
	} else {
		causes = append(causes, j.notRun...)
	}
	if j.mustPassed == 0 && len(j.failed) == 0 {
		causes = append(causes, "no MUST case passed")
	}
	return causes
}

// notes are the reasons that explain without changing the verdict.
func (j *judgement) notes(f Filters) []string {
	var out []string
	if len(j.waived) > 0 {
		by := ""
		if f.Waivers != "" {
			by = " by " + f.Waivers
		}
		out = append(out, fmt.Sprintf("%d failures waived%s: %s", len(j.waived), by, strings.Join(j.waived, ", ")))
	}
	if len(j.warned) > 0 {
		out = append(out, fmt.Sprintf("%d SHOULD cases did not pass (no effect on the verdict): %s",
			len(j.warned), strings.Join(j.warned, ", ")))
	}
	return out
}

// filterFlags names the filters applied as the flags that set them, e.g.
// `filter --focus "SES"`, or "" when the run was not filtered.
func filterFlags(f Filters) string {
	var parts []string
	for _, kv := range [][2]string{{"--label-filter", f.LabelFilter}, {"--focus", f.Focus}, {"--profile", f.Profile}} {
		if kv[1] != "" {
			parts = append(parts, fmt.Sprintf("%s %q", kv[0], kv[1]))
		}
	}
	switch len(parts) {
	case 0:
		return ""
	case 1:
		return "filter " + parts[0]
	}
	return "filters " + strings.Join(parts, ", ")
}

// caseWho names a case with its clauses: "FUN-SES-002 (CAI-4.2)".
func caseWho(c Case) string {
	if len(c.Clauses) == 0 {
		return c.ID
	}
	return c.ID + " (" + clauseList(c) + ")"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
