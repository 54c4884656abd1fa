package selfcert

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteTable writes the kill table (fault, clauses, outcome, failing cases) and the kill rate.
func (r *Result) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "FAULT\tCLAUSES\tKILLED\tTIME\tFAILING CASES")
	for _, f := range r.Faults {
		killed := "no"
		if f.Killed {
			killed = "yes"
		}
		detail := strings.Join(f.Failing, " ")
		if !f.Killed {
			detail = f.summary()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", f.Fault.Name, strings.Join(f.Fault.Clauses, ","), killed,
			f.Duration.Round(10*time.Millisecond), detail)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the kill table: %w", err)
	}
	killed, total := r.KillRate()
	rate := 100.0
	if total > 0 {
		rate = 100 * float64(killed) / float64(total)
	}
	_, err := fmt.Fprintf(w, "kill rate: %d/%d (%.1f %%)\n", killed, total, rate)
	if err != nil {
		return fmt.Errorf("writing the kill table: %w", err)
	}
	return nil
}
