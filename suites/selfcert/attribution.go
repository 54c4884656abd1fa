package selfcert

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// Attribution: each fault run covers the whole pack (but for the cases that sleep, unless they
// trace to the fault), so that besides the kill it shows which cases the fault fails. A fault
// breaks its clauses; a case failing for it should be a case of one of them. The attribution
// precision of a fault is the share of its FAIL cases that name one of its clauses.

// Precision thresholds: the target of issue 9 (MinOverallPrecision overall, MinPerFaultPrecision
// per fault), and the floor TestAttribution holds (FloorOverallPrecision, and the per-fault
// target for every fault but KnownImprecise). The floor is the target now that it is reached.
const (
	MinOverallPrecision   = 0.95
	MinPerFaultPrecision  = 0.5
	FloorOverallPrecision = MinOverallPrecision
)

// KnownImprecise are the faults whose precision is under MinPerFaultPrecision today, each with
// why: the cases that fail for them name their own clauses although the fault's clause is what
// broke. Each is work left, not a tolerance: the entry goes when its cause is fixed.
func KnownImprecise() map[string]string {
	return map[string]string{}
}

// FailedCase is a FAIL case of a fault run, with what it names.
type FailedCase struct {
	ID      string
	Clauses []string
	CWE     string
}

// Named reports whether the case names one of clauses.
func (c FailedCase) Named(clauses []string) bool {
	return slices.ContainsFunc(c.Clauses, func(id string) bool { return slices.Contains(clauses, id) })
}

// Precision returns how many FAIL cases of the fault run name one of the fault's clauses, and
// how many FAIL cases there were.
func (fr FaultResult) Precision() (named, failed int) {
	for _, c := range fr.AllFailing {
		if c.Named(fr.Fault.Clauses) {
			named++
		}
	}
	return named, len(fr.AllFailing)
}

// Misattributed returns the FAIL cases that name none of the fault's clauses.
func (fr FaultResult) Misattributed() []FailedCase {
	var out []FailedCase
	for _, c := range fr.AllFailing {
		if !c.Named(fr.Fault.Clauses) {
			out = append(out, c)
		}
	}
	return out
}

// Precision returns the overall attribution precision: FAIL cases naming one of their fault's
// clauses over all FAIL cases of every fault run.
func (r *Result) Precision() (named, failed int) {
	for _, f := range r.Faults {
		n, t := f.Precision()
		named += n
		failed += t
	}
	return named, failed
}

// PrecisionProblems lists every fault but KnownImprecise whose precision is under
// MinPerFaultPrecision, and the overall precision when under FloorOverallPrecision.
func (r *Result) PrecisionProblems() []string {
	var out []string
	known := KnownImprecise()
	for _, f := range r.Faults {
		if _, ok := known[f.Fault.Name]; ok {
			continue
		}
		if n, t := f.Precision(); t > 0 && ratio(n, t) < MinPerFaultPrecision {
			out = append(out, fmt.Sprintf("fault %s: attribution precision %d/%d (%.2f) under %.2f; failing for it: %s",
				f.Fault.Name, n, t, ratio(n, t), MinPerFaultPrecision, misattributedList(f)))
		}
	}
	if n, t := r.Precision(); t > 0 && ratio(n, t) < FloorOverallPrecision {
		out = append(out, fmt.Sprintf("overall attribution precision %d/%d (%.3f) under the floor %.2f", n, t, ratio(n, t), FloorOverallPrecision))
	}
	return out
}

func ratio(n, t int) float64 {
	if t == 0 {
		return 1
	}
	return float64(n) / float64(t)
}

func misattributedList(f FaultResult) string {
	var parts []string
	for _, c := range f.Misattributed() {
		parts = append(parts, c.ID+" ("+strings.Join(c.Clauses, ",")+")")
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, " ")
}

// WriteAttributionTable writes, per fault, its FAIL cases, how many name its clauses, the
// precision and the cases that do not, then the overall precision.
func (r *Result) WriteAttributionTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FAULT\tCLAUSES\tFAIL\tNAMED\tPRECISION\tFAILING WITHOUT NAMING THE FAULT'S CLAUSES")
	for _, f := range r.Faults {
		n, t := f.Precision()
		prec := "-"
		if t > 0 {
			prec = fmt.Sprintf("%.2f", ratio(n, t))
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\n", f.Fault.Name, strings.Join(f.Fault.Clauses, ","), t, n, prec, misattributedList(f))
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the attribution table: %w", err)
	}
	n, t := r.Precision()
	met := "met"
	if len(r.PrecisionProblems()) > 0 || ratio(n, t) < MinOverallPrecision || len(KnownImprecise()) > 0 {
		met = "not met"
	}
	if _, err := fmt.Fprintf(w, "attribution precision: %d/%d FAIL cases name a clause of their fault (%.3f; target >= %.2f overall and >= %.2f per fault: %s)\n",
		n, t, ratio(n, t), MinOverallPrecision, MinPerFaultPrecision, met); err != nil {
		return fmt.Errorf("writing the attribution table: %w", err)
	}
	return nil
}

// faultRunCases are the cases a fault run executes: every case of the pack but those that
// sleep (a wait or waitUntil step: QR codes and grants left to expire), unless they trace to the
// fault. The sleeping cases would make each of the many fault runs last their sleep; they are
// run, and must pass, in the clean and determinism runs.
func faultRunCases(p *specs.Pack, tracing []string) []string {
	var out []string
	for i := range p.Cases {
		c := &p.Cases[i]
		if sleeps(c) && !slices.Contains(tracing, c.ID) {
			continue
		}
		out = append(out, c.ID)
	}
	return out
}

// sleeps reports whether a step of c waits.
func sleeps(c *specs.Case) bool {
	return slices.ContainsFunc(c.Steps, func(s specs.Step) bool { return s.WaitUntil != "" || time.Duration(s.Wait) > 0 })
}

// failedCases are the FAIL cases of a report.
func failedCases(rep *reports.Report) []FailedCase {
	var out []FailedCase
	for _, c := range rep.Cases {
		if c.State == reports.Fail {
			out = append(out, FailedCase{ID: c.ID, Clauses: c.Clauses, CWE: c.CWE})
		}
	}
	return out
}
