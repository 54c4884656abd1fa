// Package certify decides whether a run can back a certificate. `chanconf run` records the
// decision in report.json and `chanconf verify` recomputes it from a signed bundle, both with
// Evaluate, so that the vendor's run and the ministry's check can never disagree on the rules.
//
// A CONFORMANT verdict is necessary, not sufficient: the run must also be of an approved pack
// and tool, complete (no filter), single (not a merged re-run), unwaived, and not made against
// the reference channel with fault switches on.
package certify

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// CaseRef is what eligibility needs to know of one case of the pack: its ID, level and profile.
type CaseRef struct {
	ID      string `json:"id"`
	Level   string `json:"level"`
	Profile string `json:"profile"`
}

// CaseRefs lists the cases of p, in pack order.
func CaseRefs(p *specs.Pack) []CaseRef {
	out := make([]CaseRef, 0, len(p.Cases))
	for _, c := range p.Cases {
		out = append(out, CaseRef{ID: c.ID, Level: string(c.Level), Profile: c.Profile})
	}
	return out
}

// Input is what Evaluate judges.
type Input struct {
	// Report is the run's report (its Eligibility field is ignored).
	Report *reports.Report
	// Cases is the catalogue of the pack the report names; every MUST case of the declared
	// profiles must be in the report and PASS.
	Cases []CaseRef
	// Policy says which packs and tool versions are approved.
	Policy Policy
	// Evidence is what the run left to back a certificate: only a signed bundle can.
	Evidence Evidence
}

// Evidence is what backs a run: a certificate rests on a bundle signed by a key the ministry
// registered, so a run without one, or with an unsigned one, is never certifiable, whatever
// its verdict. `run` and `verify` both say so with the same words.
type Evidence int

// The kinds of evidence a run can leave.
const (
	// NoBundle (the zero value): the run wrote no bundle.zip.
	NoBundle Evidence = iota
	// UnsignedBundle: bundle.zip without manifest.sig (--bundle without --sign-key).
	UnsignedBundle
	// SignedBundle: bundle.zip with manifest.sig (verify checks the signature itself).
	SignedBundle
)

// Reasons for evidence that cannot back a certificate.
const (
	ReasonNoBundle = "no bundle was written: a certificate rests on a signed bundle (run with --certify --sign-key FILE)"
	ReasonUnsigned = "the bundle is not signed: a certificate rests on a bundle signed with --sign-key FILE (make a key pair with 'chanconf keygen')"
)

// Evaluate decides whether the run can back a certificate and lists every reason it cannot,
// in a fixed order (pack and tool, verdict, run shape, cases), so that the same report always
// gives the same text.
func Evaluate(in Input) reports.Eligibility {
	r := in.Report
	var reasons []string
	add := func(format string, args ...any) { reasons = append(reasons, fmt.Sprintf(format, args...)) }
	if !in.Policy.approvesPack(r.Pack) {
		add("pack %s %s (sha256 %s) is not approved by the policy (%s)", r.Pack.Name, r.Pack.Version, r.Pack.SHA256, in.Policy.describe())
	}
	if !in.Policy.approvesTool(r.Tool.Version) {
		add("chanconf version %q is not approved by the policy (approved: %s)", r.Tool.Version, strings.Join(in.Policy.ToolVersions, ", "))
	}
	if r.Verdict != reports.Conformant {
		add("the verdict is %s, not CONFORMANT", r.Verdict)
	}
	if r.Interrupted {
		add("the run was interrupted")
	}
	switch in.Evidence {
	case NoBundle:
		add(ReasonNoBundle)
	case UnsignedBundle:
		add(ReasonUnsigned)
	}
	reasons = append(reasons, shapeReasons(r)...)
	reasons = append(reasons, caseReasons(r, in.Cases)...)
	return reports.Eligibility{Certifiable: len(reasons) == 0, Reasons: nonNil(reasons)}
}

// Write prints a decision the way both `run` and `verify` show it: "certifiable: yes", or
// "certifiable: no" and one "  - reason" line per reason.
func Write(w io.Writer, e reports.Eligibility) error {
	var b strings.Builder
	if e.Certifiable {
		b.WriteString("certifiable: yes\n")
	} else {
		b.WriteString("certifiable: no\n")
		for _, r := range e.Reasons {
			fmt.Fprintf(&b, "  - %s\n", r)
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write the certification decision: %w", err)
	}
	return nil
}

// shapeReasons are the ways a run can be other than one complete, unwaived run of a real
// channel.
func shapeReasons(r *reports.Report) []string {
	var out []string
	f := r.Filters
	for _, kv := range [][2]string{{"--label-filter", f.LabelFilter}, {"--focus", f.Focus}, {"--profile", f.Profile}} {
		if kv[1] != "" {
			out = append(out, fmt.Sprintf("a filter was applied (%s %q): a certificate needs the full pack", kv[0], kv[1]))
		}
	}
	waived := ids(r.Cases.WithState(reports.Waived))
	switch {
	case f.Waivers != "" && len(waived) > 0:
		out = append(out, fmt.Sprintf("waivers were applied (%s): %s", f.Waivers, strings.Join(waived, ", ")))
	case f.Waivers != "":
		out = append(out, fmt.Sprintf("waivers were applied (%s)", f.Waivers))
	case len(waived) > 0:
		out = append(out, "cases were waived: "+strings.Join(waived, ", "))
	}
	var retried []string
	for _, c := range r.Cases {
		if len(c.Attempts) > 0 {
			retried = append(retried, c.ID)
		}
	}
	slices.Sort(retried)
	switch {
	case f.RerunOf != "":
		out = append(out, fmt.Sprintf("the report merges a re-run of %s: a certificate needs one run", f.RerunOf))
	case len(retried) > 0:
		out = append(out, "the report merges several attempts of "+strings.Join(retried, ", "))
	}
	if r.Target.Reference && len(r.Target.Faults) > 0 {
		out = append(out, "the target is the reference channel with fault switches on: "+strings.Join(r.Target.Faults, ", "))
	}
	if len(r.Target.Profiles) == 0 {
		out = append(out, "the report names no declared profile")
	}
	return out
}

// caseReasons checks the report's cases against the pack's: every MUST case of a declared
// profile present and PASS, and no case the pack does not have.
func caseReasons(r *reports.Report, catalogue []CaseRef) []string {
	got := map[string]reports.Case{}
	for _, c := range r.Cases {
		got[c.ID] = c
	}
	inPack := map[string]bool{}
	var missing, notPassed []string
	for _, ref := range catalogue {
		inPack[ref.ID] = true
		if ref.Level != reports.LevelMust || !declared(r.Target.Profiles, ref.Profile) {
			continue
		}
		c, ok := got[ref.ID]
		switch {
		case !ok:
			missing = append(missing, ref.ID)
		case c.State == reports.Skip && c.NotApplicable:
			// The case's rule does not apply to this channel (a declared option it does not
			// use): the verdict counts it as met, and so does the certificate.
		case c.State != reports.Pass:
			notPassed = append(notPassed, fmt.Sprintf("%s (%s)", ref.ID, c.State))
		}
	}
	var extra []string
	for _, c := range r.Cases {
		if !inPack[c.ID] {
			extra = append(extra, c.ID)
		}
	}
	var out []string
	if len(catalogue) == 0 {
		out = append(out, "the pack's case catalogue is not available")
	}
	for _, l := range []struct {
		what string
		ids  []string
	}{
		{"MUST cases of the declared profiles missing from the report", missing},
		{"MUST cases of the declared profiles that did not pass", notPassed},
		{"cases in the report that the pack does not have", extra},
	} {
		if len(l.ids) > 0 {
			slices.Sort(l.ids)
			out = append(out, fmt.Sprintf("%d %s: %s", len(l.ids), l.what, listed(l.ids)))
		}
	}
	return out
}

// maxListed bounds the case IDs one reason names; report.json has every case.
const maxListed = 20

// listed joins ids, naming at most maxListed of them.
func listed(ids []string) string {
	if len(ids) <= maxListed {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more (see report.json)", strings.Join(ids[:maxListed], ", "), len(ids)-maxListed)
}

// declared reports whether a case of profile p applies to a channel declaring profiles.
func declared(profiles []string, p string) bool {
	return p == "" || p == specs.AnyProfile || slices.Contains(profiles, p)
}

func ids(cs reports.Cases) []string {
	var out []string
	for _, c := range cs.Sorted() {
		out = append(out, c.ID)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
