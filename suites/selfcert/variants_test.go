package selfcert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/reports"
)

// variantList and variantOut, set only in a child process TestSelfCertification starts, name the
// variants TestSelfCertificationVariantsPart runs there and the file it writes the results to.
//
//codecheck:allow mutable-global the flag must be registered before the testing package parses flags
var variantList = flag.String("selfcert.variants", "", "internal: comma-separated variants this (child) process runs")

//codecheck:allow mutable-global the flag must be registered before the testing package parses flags
var variantOut = flag.String("selfcert.variants-out", "", "internal: the JSON file this (child) process writes its variant results to")

// variantProcesses is how many child processes share the variant runs. Each run is a whole
// pack (about 6 s, mostly waiting for expiries), so a few processes in parallel keep the
// self-certification short; more (8 were tried) load a 2-core machine so much that steps of the
// QR cases take longer than a code's lifetime.
const variantProcesses = 4

// variantConcurrency is the worker-pool size of each variant run: lower than the clean run's, so
// that four processes together keep the per-step latency of the timing cases (QR lifetimes of
// 3 s) well inside their windows on a loaded machine.
const variantConcurrency = 8

// TestSelfCertificationVariantsPart runs the variants named by -selfcert.variants and writes
// their results to -selfcert.variants-out; it is skipped unless TestSelfCertification started
// this process for it.
func TestSelfCertificationVariantsPart(t *testing.T) {
	if *variantOut == "" {
		t.Skip("runs in a child process TestSelfCertification starts")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	var names []string
	if *variantList != "" {
		names = strings.Split(*variantList, ",")
	}
	var progress bytes.Buffer
	res, err := CheckVariants(ctx, VariantOptions{Variants: names, Concurrency: variantConcurrency, Progress: &progress})
	t.Logf("progress:\n%s", progress.String())
	if res == nil && err != nil {
		t.Fatalf("variant runs: %v", err)
	}
	data, merr := json.Marshal(res)
	if merr != nil {
		t.Fatal(merr)
	}
	if werr := os.WriteFile(*variantOut, data, 0o600); werr != nil {
		t.Fatal(werr)
	}
	// A variant that is not CONFORMANT is judged by the parent, which prints the table.
}

// variantParts are the child processes running the variant runs.
type variantParts struct {
	children []*childPart
	outs     []string
}

// startVariantParts splits the variant catalogue over variantProcesses child processes.
func startVariantParts(ctx context.Context, dir string) (*variantParts, error) {
	groups := make([][]string, variantProcesses)
	for i, v := range refchannel.Variants() {
		groups[i%variantProcesses] = append(groups[i%variantProcesses], v.Name)
	}
	vp := &variantParts{}
	for i, g := range groups {
		if len(g) == 0 {
			continue
		}
		out := filepath.Join(dir, fmt.Sprintf("variants-%d.json", i))
		c := &childPart{}
		c.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSelfCertificationVariantsPart$", "-test.v",
			"-test.count=1", "-test.timeout=6m", "-selfcert.variants="+strings.Join(g, ","), "-selfcert.variants-out="+out)
		c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
		c.cmd.WaitDelay = 5 * time.Second
		if err := c.cmd.Start(); err != nil {
			return vp, fmt.Errorf("starting %s: %w", os.Args[0], err)
		}
		vp.children = append(vp.children, c)
		vp.outs = append(vp.outs, out)
	}
	return vp, nil
}

// wait waits for every child and returns the merged results in catalogue order, with the
// children's output for the log.
func (vp *variantParts) wait() ([]VariantResult, string, error) {
	var logs strings.Builder
	var errs []error
	byName := map[string]VariantResult{}
	for i, c := range vp.children {
		err := c.cmd.Wait()
		logs.WriteString(c.out.String())
		if err != nil {
			errs = append(errs, fmt.Errorf("variant process %d: %w", i, err))
		}
		data, rerr := os.ReadFile(vp.outs[i])
		if rerr != nil {
			errs = append(errs, fmt.Errorf("variant process %d wrote no results: %w", i, rerr))
			continue
		}
		var rs []VariantResult
		if jerr := json.Unmarshal(data, &rs); jerr != nil {
			errs = append(errs, fmt.Errorf("variant process %d results: %w", i, jerr))
		}
		for _, r := range rs {
			byName[r.Name] = r
		}
	}
	var out []VariantResult
	for _, v := range refchannel.Variants() {
		r, ok := byName[v.Name]
		if !ok {
			r = VariantResult{Name: v.Name, Clauses: v.Clauses, Err: "not run"}
		}
		out = append(out, r)
	}
	return out, logs.String(), errors.Join(errs...)
}

// checkVariantParts waits for the variant processes, logs the variant table and fails the test
// for every variant that is not CONFORMANT.
func checkVariantParts(t *testing.T, vp *variantParts) {
	t.Helper()
	results, logs, err := vp.wait()
	if err != nil {
		t.Errorf("variant runs: %v\n%s", err, logs)
	}
	var table bytes.Buffer
	if werr := WriteVariantTable(&table, results); werr != nil {
		t.Errorf("WriteVariantTable: %v", werr)
	}
	t.Logf("variant table (no false failures: every variant must be CONFORMANT):\n%s", table.String())
	for _, r := range results {
		if !r.Conformant() {
			t.Errorf("variant %s is not CONFORMANT: %s", r.Name, r.summary())
		}
	}
}

func TestJudgeVariant(t *testing.T) {
	rep := &reports.Report{Verdict: reports.Incomplete, Cases: []reports.Case{
		{ID: "A", State: reports.Pass},
		{ID: "B", State: reports.Skip, Message: "not applicable: level2 is false"},
		{ID: "C", State: reports.Skip},
		{ID: "D", State: reports.Fail, Message: "step 1: status expected 200, got 400\nmore"},
		{ID: "E", State: reports.Error, Message: "timeout"},
	}}
	vr := VariantResult{Name: "v"}
	judgeVariant(&vr, rep)
	want := []string{"C SKIP: ", "D FAIL: step 1: status expected 200, got 400", "E ERROR: timeout"}
	if strings.Join(vr.FalseFailures, "|") != strings.Join(want, "|") || vr.Skipped != 1 || vr.Cases != 5 || vr.Conformant() {
		t.Errorf("judged %+v, want false failures %q", vr, want)
	}
	ok := VariantResult{Name: "w"}
	judgeVariant(&ok, &reports.Report{Verdict: reports.Conformant, Cases: []reports.Case{{ID: "A", State: reports.Pass}}})
	if !ok.Conformant() {
		t.Errorf("a CONFORMANT run without false failures judged %+v", ok)
	}
}

func TestWriteVariantTable(t *testing.T) {
	results := []VariantResult{
		{Name: "tls13-only", Clauses: []string{"CAI-1.1"}, Verdict: reports.Conformant, Cases: 120, Skipped: 1},
		{Name: "level2-off", Clauses: []string{"CAI-5.2"}, Verdict: reports.Nonconformant, FalseFailures: []string{"FUN-CRD-002 FAIL: x"}},
	}
	var b bytes.Buffer
	if err := WriteVariantTable(&b, results); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"VARIANT", "FALSE FAILURES", "tls13-only", "CONFORMANT", "level2-off", "NONCONFORMANT",
		"FUN-CRD-002 FAIL: x", "variants CONFORMANT: 1/2"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestSelectVariants(t *testing.T) {
	all, err := selectVariants(nil)
	if err != nil || len(all) != len(refchannel.Variants()) {
		t.Fatalf("selectVariants(nil) = %d, %v", len(all), err)
	}
	if _, err := selectVariants([]string{"tls13-only", "typo"}); err == nil || !strings.Contains(err.Error(), "typo") {
		t.Errorf("selectVariants accepted an unknown variant: %v", err)
	}
}
