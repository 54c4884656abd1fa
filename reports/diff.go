package reports

import (
	"fmt"
	"io"
	"strings"
)

// Diff is what changed between two reports of the same channel (`chanconf diff A B`): the
// regressions a CI gate must stop on, the fixes, the cases that appeared or disappeared with a
// pack change, and the verdict change.
type Diff struct {
	// VerdictA and VerdictB are the verdicts of the old and the new report.
	VerdictA, VerdictB Verdict
	// PackA and PackB identify the packs, so that added and removed cases can be explained.
	PackA, PackB PackRef
	// Regressions are cases that passed in A and FAIL or ERROR in B.
	Regressions []CaseChange
	// Fixes are cases that did not pass in A (FAIL, ERROR, WARN, WAIVED) and PASS in B.
	Fixes []CaseChange
	// Changed are the other state changes (e.g. PASS -> SKIP, FAIL -> ERROR).
	Changed []CaseChange
	// Added are the cases only in B, Removed those only in A, each with its state there.
	Added, Removed []CaseChange
}

// CaseChange is one case's state in A and in B (Invalid where the case is absent).
type CaseChange struct {
	ID       string
	From, To State
}

// HasRegression reports whether a case that passed no longer does: the exit-1 condition of
// `chanconf diff`.
func (d *Diff) HasRegression() bool { return len(d.Regressions) > 0 }

// Compare computes the differences from report a (old) to report b (new). Cases are matched by
// ID; every list is sorted by ID.
func Compare(a, b *Report) *Diff {
	d := &Diff{VerdictA: a.Verdict, VerdictB: b.Verdict, PackA: a.Pack, PackB: b.Pack}
	inB := map[string]Case{}
	for _, c := range b.Cases {
		inB[c.ID] = c
	}
	inA := map[string]bool{}
	for _, ca := range a.Cases.Sorted() {
		inA[ca.ID] = true
		cb, ok := inB[ca.ID]
		if !ok {
			d.Removed = append(d.Removed, CaseChange{ID: ca.ID, From: ca.State})
			continue
		}
		d.classify(CaseChange{ID: ca.ID, From: ca.State, To: cb.State})
	}
	for _, cb := range b.Cases.Sorted() {
		if !inA[cb.ID] {
			d.Added = append(d.Added, CaseChange{ID: cb.ID, To: cb.State})
		}
	}
	return d
}

// classify files a change of a case present in both reports.
func (d *Diff) classify(ch CaseChange) {
	switch {
	case ch.From == ch.To:
	case ch.From == Pass && (ch.To == Fail || ch.To == Error):
		d.Regressions = append(d.Regressions, ch)
	case ch.To == Pass && (ch.From == Fail || ch.From == Error || ch.From == Warn || ch.From == Waived):
		d.Fixes = append(d.Fixes, ch)
	default:
		d.Changed = append(d.Changed, ch)
	}
}

// WriteDiff prints d for people: the verdict line, then each non-empty section with one case
// per line ("  FUN-SES-002  PASS -> FAIL"), then a one-line count.
func WriteDiff(w io.Writer, d *Diff) error {
	var b strings.Builder
	verdict := d.VerdictA.String()
	if d.VerdictA != d.VerdictB {
		verdict += " -> " + d.VerdictB.String()
	} else {
		verdict += " (unchanged)"
	}
	fmt.Fprintf(&b, "verdict: %s\n", verdict)
	if d.PackA != d.PackB {
		fmt.Fprintf(&b, "pack: %s %s (%s) -> %s %s (%s)\n", d.PackA.Name, d.PackA.Version, short(d.PackA.SHA256),
			d.PackB.Name, d.PackB.Version, short(d.PackB.SHA256))
	}
	sections := []struct {
		title   string
		changes []CaseChange
	}{
		{"regressions", d.Regressions}, {"fixes", d.Fixes}, {"other changes", d.Changed},
		{"new cases", d.Added}, {"removed cases", d.Removed},
	}
	for _, s := range sections {
		if len(s.changes) == 0 {
			continue
		}
		fmt.Fprintf(&b, "%s (%d):\n", s.title, len(s.changes))
		for _, c := range s.changes {
			fmt.Fprintf(&b, "  %s  %s -> %s\n", c.ID, stateOrAbsent(c.From), stateOrAbsent(c.To))
		}
	}
	fmt.Fprintf(&b, "%d regressions, %d fixes, %d other changes, %d new, %d removed\n",
		len(d.Regressions), len(d.Fixes), len(d.Changed), len(d.Added), len(d.Removed))
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write the diff: %w", err)
	}
	return nil
}

// stateOrAbsent names a state, or "(absent)" for a case missing from one report.
func stateOrAbsent(s State) string {
	if s == Invalid {
		return "(absent)"
	}
	return s.String()
}

// short is the first 12 characters of a digest, enough to tell two packs apart in a line.
func short(digest string) string {
	if len(digest) > 12 {
		return digest[:12]
	}
	return digest
}
