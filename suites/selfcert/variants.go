package selfcert

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// VariantOptions configure CheckVariants: the proof of no false failures. Every variant of the
// reference channel is behaviour the standard allows, so the whole pack against a channel with
// that variant on must be CONFORMANT (exit 0) with no case failing, erroring or skipped without
// a reason.
type VariantOptions struct {
	// Pack is the pack to check; nil loads the embedded CAI v1 pack.
	Pack *specs.Pack
	// Variants names the variants to check; nil means every variant of refchannel.Variants().
	Variants []string
	// Concurrency of each run (default DefaultConcurrency); Seed of each run (default DefaultSeed).
	Concurrency int
	Seed        int64
	// Keys is the test key material (default keys.Load(), loaded once).
	Keys *keys.Set
	// Progress receives one line per finished variant run; nil discards.
	Progress io.Writer
}

// VariantResult is the outcome of the whole pack against one variant. It is plain data (JSON),
// so that a variant run in another process can hand it back.
type VariantResult struct {
	Name    string   `json:"name"`
	Clauses []string `json:"clauses"`
	// Verdict is the run's verdict; CONFORMANT is what `chanconf run` exits 0 for.
	Verdict reports.Verdict `json:"verdict"`
	// FalseFailures are the cases that neither passed nor were skipped with a reason, each as
	// "ID STATE: message".
	FalseFailures []string `json:"falseFailures"`
	// Cases is how many cases ran; Skipped how many of them were skipped with a reason.
	Cases   int `json:"cases"`
	Skipped int `json:"skipped"`
	// Err is a problem running the variant (the channel did not start, the run broke).
	Err      string        `json:"err,omitempty"`
	Duration time.Duration `json:"duration"`
}

// Conformant reports whether the variant passed the proof: CONFORMANT and no false failure.
func (v VariantResult) Conformant() bool {
	return v.Err == "" && v.Verdict == reports.Conformant && len(v.FalseFailures) == 0
}

// CheckVariants runs the whole pack against the reference channel with each variant on, one
// variant at a time, and returns a result per variant (in the order asked) and an error naming
// every variant that was not CONFORMANT. It drives ginkgo: never call it concurrently with
// another run in the same process.
func CheckVariants(ctx context.Context, opts VariantOptions) ([]VariantResult, error) {
	variants, err := selectVariants(opts.Variants)
	if err != nil {
		return nil, err
	}
	if err := fillVariantDefaults(&opts); err != nil {
		return nil, err
	}
	var out []VariantResult
	var problems []error
	for _, v := range variants {
		if err := ctx.Err(); err != nil {
			return out, fmt.Errorf("variant runs interrupted: %w", err)
		}
		vr := runVariant(ctx, opts, v)
		out = append(out, vr)
		progress(opts.Progress, "variant %s: %s", v.Name, vr.summary())
		if !vr.Conformant() {
			problems = append(problems, fmt.Errorf("variant %s (%s; allowed by %q) is not CONFORMANT: %s",
				v.Name, strings.Join(v.Clauses, ", "), v.Allowance, vr.summary()))
		}
	}
	return out, errors.Join(problems...)
}

// fillVariantDefaults applies the defaults and loads what is missing.
func fillVariantDefaults(opts *VariantOptions) error {
	o := Options{Pack: opts.Pack, Concurrency: opts.Concurrency, Seed: opts.Seed, Keys: opts.Keys}
	if err := fillDefaults(&o); err != nil {
		return err
	}
	opts.Pack, opts.Concurrency, opts.Seed, opts.Keys = o.Pack, o.Concurrency, o.Seed, o.Keys
	return nil
}

// selectVariants returns the catalogue entries named by names (all for nil), refusing unknown
// names.
func selectVariants(names []string) ([]refchannel.Variant, error) {
	all := refchannel.Variants()
	if names == nil {
		return all, nil
	}
	var out []refchannel.Variant
	var unknown []string
	for _, n := range names {
		i := slices.IndexFunc(all, func(v refchannel.Variant) bool { return v.Name == n })
		if i < 0 {
			unknown = append(unknown, n)
			continue
		}
		out = append(out, all[i])
	}
	if len(unknown) > 0 {
		return nil, fmt.Errorf("selfcert: unknown variants %s", strings.Join(unknown, ", "))
	}
	return out, nil
}

// runVariant runs the whole pack against one variant.
func runVariant(ctx context.Context, opts VariantOptions, v refchannel.Variant) VariantResult {
	vr := VariantResult{Name: v.Name, Clauses: v.Clauses}
	start := time.Now()
	rep, err := RunReference(ctx, RunOptions{Pack: opts.Pack, Variants: []string{v.Name},
		Concurrency: opts.Concurrency, Seed: opts.Seed, RunID: "selfcert-variant-" + v.Name, Keys: opts.Keys})
	vr.Duration = time.Since(start)
	if err != nil {
		vr.Err = err.Error()
		return vr
	}
	judgeVariant(&vr, rep)
	return vr
}

// judgeVariant fills the verdict and the false failures: every case that did not PASS and was
// not SKIPped with a reason.
func judgeVariant(vr *VariantResult, rep *reports.Report) {
	vr.Verdict = rep.Verdict
	vr.Cases = len(rep.Cases)
	for _, c := range rep.Cases {
		switch {
		case c.State == reports.Pass:
		case c.State == reports.Skip && strings.TrimSpace(c.Message) != "":
			vr.Skipped++
		default:
			vr.FalseFailures = append(vr.FalseFailures, fmt.Sprintf("%s %s: %s", c.ID, c.State, firstLine(c.Message)))
		}
	}
}

// firstLine is the first line of s.
func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// summary is one line about a variant result.
func (v VariantResult) summary() string {
	switch {
	case v.Err != "":
		return "error: " + v.Err
	case v.Conformant():
		return fmt.Sprintf("CONFORMANT, %d cases, %d skipped with a reason", v.Cases, v.Skipped)
	}
	s := fmt.Sprintf("verdict %s, %d false failures", v.Verdict, len(v.FalseFailures))
	if len(v.FalseFailures) > 0 {
		s += ": " + strings.Join(v.FalseFailures, "; ")
	}
	return s
}

// WriteVariantTable writes the variant table (variant, clauses, verdict, false-failure count,
// time, the false failures) and the count of conformant variants.
func WriteVariantTable(w io.Writer, results []VariantResult) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIANT\tCLAUSES\tVERDICT\tFALSE FAILURES\tSKIPPED\tTIME\tDETAIL")
	conformant := 0
	for _, v := range results {
		verdict := v.Verdict.String()
		if v.Err != "" {
			verdict = "ERROR"
		}
		detail := ""
		if v.Conformant() {
			conformant++
		} else {
			detail = v.summary()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\n", v.Name, strings.Join(v.Clauses, ","), verdict,
			len(v.FalseFailures), v.Skipped, v.Duration.Round(10*time.Millisecond), detail)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing the variant table: %w", err)
	}
	if _, err := fmt.Fprintf(w, "variants CONFORMANT: %d/%d\n", conformant, len(results)); err != nil {
		return fmt.Errorf("writing the variant table: %w", err)
	}
	return nil
}
