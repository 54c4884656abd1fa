package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
)

// reportNames are the files every finished run writes.
func reportNames() []string {
	return []string{"report.json", "junit.xml", "report.html", "evidence.har", "findings.sarif"}
}

// result is what one in-process chanconf invocation produced.
type result struct {
	code        cmdutil.ExitCode
	out, errOut string
}

// chanconf runs cli.Main in process with test streams (no terminal) and an empty environment.
func chanconf(t *testing.T, ctx context.Context, args ...string) result {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	return runMain(ctx, ios, out, errOut, args...)
}

func runMain(ctx context.Context, ios *iostreams.IOStreams, out, errOut *bytes.Buffer, args ...string) result {
	code := Main(ctx, args, ios, func(string) string { return "" })
	return result{code: code, out: out.String(), errOut: errOut.String()}
}

// readReport reads and decodes report.json of a run.
func readReport(t testing.TB, dir string) *reports.Report {
	t.Helper()
	f, err := os.Open(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := reports.ReadJSON(f)
	if err != nil {
		t.Fatalf("report.json: %v", err)
	}
	return rep
}

// checkReportFiles fails unless every report file was written into dir and report.json
// satisfies the published schema.
func checkReportFiles(t *testing.T, dir string) {
	t.Helper()
	for _, name := range reportNames() {
		if info, err := os.Stat(filepath.Join(dir, name)); err != nil || info.Size() == 0 {
			t.Errorf("%s not written: %v", name, err)
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := validateReport(data); err != nil {
		t.Errorf("report.json does not match reports/schema/report.schema.json: %v", err)
	}
	var sarif struct {
		Version string `json:"version"`
	}
	if raw, err := os.ReadFile(filepath.Join(dir, "findings.sarif")); err != nil || json.Unmarshal(raw, &sarif) != nil || sarif.Version != "2.1.0" {
		t.Errorf("findings.sarif is not a SARIF 2.1.0 log: %v", err)
	}
}

// validateReport validates a report.json document against reports.SchemaJSON.
func validateReport(data []byte) error {
	schemaDoc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reports.SchemaJSON()))
	if err != nil {
		return err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("report.schema.json", schemaDoc); err != nil {
		return err
	}
	sch, err := c.Compile("report.schema.json")
	if err != nil {
		return err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(doc)
}

func TestValidateReportRejectsABrokenReport(t *testing.T) {
	if err := validateReport([]byte(`{"schemaVersion":"1.0"}`)); err == nil {
		t.Fatal("a report without its required fields validated")
	}
}

// TestEndToEndCleanReference is the README's first command: the embedded pack against the
// embedded, conformant reference channel.
func TestEndToEndCleanReference(t *testing.T) {
	out := t.TempDir()
	res := chanconf(t, t.Context(), "run", "--out", out)
	if res.code != cmdutil.ExitConformant {
		t.Fatalf("exit %d, want 0\n%s", res.code, res.errOut)
	}
	checkReportFiles(t, out)
	rep := readReport(t, out)
	if rep.Verdict != reports.Conformant || !rep.Target.Reference || rep.Summary.Pass == 0 {
		t.Errorf("verdict %s, reference %v, summary %+v", rep.Verdict, rep.Target.Reference, rep.Summary)
	}
	if !strings.Contains(res.out, "verdict: CONFORMANT") {
		t.Errorf("stdout lacks the verdict:\n%s", res.out)
	}
}

// TestEndToEndFault starts the reference channel with one fault: the run must fail the case of
// the broken clause, name that clause and give the command that re-runs it.
func TestEndToEndFault(t *testing.T) {
	const fault = "cache-control-missing"
	clauses := faultClauses(t, fault)
	pack, out := clitest.MiniPack(t), t.TempDir()
	res := chanconf(t, t.Context(), "run", "--pack", pack, "--out", out, "--reference-fault", fault)
	if res.code != cmdutil.ExitNonconformant {
		t.Fatalf("exit %d, want 1\n%s", res.code, res.errOut)
	}
	checkReportFiles(t, out)
	line := regexp.MustCompile(`(?m)^SEC-HDR-901\tFAIL\t.*$`).FindString(res.errOut)
	if !containsAny(line, clauses) {
		t.Errorf("failure line %q names none of the fault's clauses %v\n%s", line, clauses, res.errOut)
	}
	rerun := "rerun: chanconf run --focus '^SEC-HDR-901$' --pack " + pack + " --reference-fault " + fault
	if !strings.Contains(res.out, rerun) {
		t.Errorf("stdout lacks %q:\n%s", rerun, res.out)
	}
	rep := readReport(t, out)
	if k := findCase(t, rep, "SEC-HDR-901"); k.State != reports.Fail || !containsAny(k.Message, clauses) {
		t.Errorf("SEC-HDR-901 is %s %q, want FAIL naming %v", k.State, k.Message, clauses)
	}
	if !slices.Equal(rep.Target.Faults, []string{fault}) {
		t.Errorf("report target faults %v", rep.Target.Faults)
	}
}

func faultClauses(t *testing.T, name string) []string {
	t.Helper()
	for _, f := range refchannel.Faults() {
		if f.Name == name {
			return f.Clauses
		}
	}
	t.Fatalf("no fault %q", name)
	return nil
}

func containsAny(s string, subs []string) bool {
	return slices.ContainsFunc(subs, func(sub string) bool { return s != "" && strings.Contains(s, sub) })
}

func findCase(t *testing.T, rep *reports.Report, id string) reports.Case {
	t.Helper()
	for _, k := range rep.Cases {
		if k.ID == id {
			return k
		}
	}
	t.Fatalf("report has no case %s", id)
	return reports.Case{}
}

// TestEndToEndTargetDown points a valid declaration at a closed port: the environment broke,
// so every case is ERROR (none FAIL) and the verdict INCOMPLETE.
func TestEndToEndTargetDown(t *testing.T) {
	_, decl := clitest.Reference(t, refchannel.Options{})
	target := "https://" + clitest.ClosedAddr(t) + "/cai/v1"
	out := t.TempDir()
	res := chanconf(t, t.Context(), "run", "--pack", clitest.MiniPack(t), "--out", out, "--target", target, "--declaration", decl)
	if res.code != cmdutil.ExitIncomplete {
		t.Fatalf("exit %d, want 3\n%s", res.code, res.errOut)
	}
	checkReportFiles(t, out)
	rep := readReport(t, out)
	if rep.Verdict != reports.Incomplete || rep.Summary.Fail != 0 || rep.Summary.Error != len(clitest.MiniCases()) {
		t.Errorf("verdict %s, summary %+v: want INCOMPLETE with every case ERROR", rep.Verdict, rep.Summary)
	}
	for _, k := range rep.Cases {
		if k.State != reports.Error || !strings.Contains(k.Message, "unreachable") {
			t.Errorf("%s: %s %q, want ERROR saying the target is unreachable", k.ID, k.State, k.Message)
		}
	}
}

// TestEndToEndMalformedPack: a broken pack is refused before anything runs, with every problem
// placed at file:line:col.
func TestEndToEndMalformedPack(t *testing.T) {
	out := filepath.Join(t.TempDir(), "out")
	res := chanconf(t, t.Context(), "run", "--pack", clitest.BrokenPack(t), "--out", out)
	if res.code != cmdutil.ExitUsage {
		t.Fatalf("exit %d, want 2\n%s", res.code, res.errOut)
	}
	for _, want := range []string{
		`cases/broken\.yaml:4:\d+: FUN-BRK-901: clauses\[1\]: unknown clause "CAI-99\.9"`,
		`cases/broken\.yaml:14:\d+: FUN-BRK-901: steps\[0\]\.expect\.bogus: unknown field`,
		`pack\.yaml:\d+:\d+: contracts: `,
	} {
		if !regexp.MustCompile(`(?m)^\S+/` + want).MatchString(res.errOut) {
			t.Errorf("console lacks a line matching %s:\n%s", want, res.errOut)
		}
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a refused run created its output folder")
	}
}

// TestEndToEndUsage: whatever the user got wrong on the command line exits 2 and says what.
func TestEndToEndUsage(t *testing.T) {
	_, decl := clitest.Reference(t, refchannel.Options{})
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"run", "--no-such-flag"}, "unknown flag: --no-such-flag"},
		{"unknown command", []string{"certify"}, `unknown command "certify"`},
		{"target without declaration", []string{"run", "--target", "https://127.0.0.1:1/cai/v1"}, "--target and --declaration go together"},
		{"unknown fault", []string{"run", "--reference-fault", "no-such-fault"}, `unknown fault "no-such-fault"; known faults: bola-403,`},
		{"fault with target", []string{"run", "--target", "https://127.0.0.1:1/cai/v1", "--declaration", decl, "--reference-fault", "hsts-missing"}, "only to the embedded reference channel"},
		{"bad label filter", []string{"run", "--pack", clitest.MiniPack(t), "--label-filter", "health &&"}, "label-filter"},
		{"bad focus", []string{"run", "--pack", clitest.MiniPack(t), "--focus", "("}, "focus"},
		{"bad declaration", []string{"run", "--pack", clitest.MiniPack(t), "--target", "https://127.0.0.1:1/cai/v1", "--declaration", writeFile(t, "channelNo: \"12\"\n")}, "channelNo"},
		{"lint two dirs", []string{"lint", "a", "b"}, "accepts at most 1 arg"},
		{"list bad format", []string{"list", "--format", "xml"}, "--format must be one of table, yaml, json"},
		// Regression: a parent command without a run function printed its help and exited 0.
		{"unknown catalog subcommand", []string{"catalog", "merge"}, `unknown command "merge" for "chanconf catalog"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := tt.args
			if args[0] == "run" {
				// A refused run must not leave a folder behind; give it a temporary one anyway.
				args = append(slices.Clone(args), "--out", t.TempDir())
			}
			res := chanconf(t, t.Context(), args...)
			if res.code != cmdutil.ExitUsage {
				t.Fatalf("exit %d, want 2\n%s", res.code, res.errOut)
			}
			if !strings.Contains(res.errOut, tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, res.errOut)
			}
		})
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "file.yaml")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestEndToEndInterrupted: a run whose context is cancelled (Ctrl-C) still writes its report,
// marked interrupted, and exits 3.
func TestEndToEndInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	timer := time.AfterFunc(300*time.Millisecond, cancel)
	defer timer.Stop()
	out := t.TempDir()
	res := chanconf(t, ctx, "run", "--pack", clitest.MiniPack(t), "--out", out, "--reference-latency", "3s")
	if res.code != cmdutil.ExitIncomplete {
		t.Fatalf("exit %d, want 3\n%s", res.code, res.errOut)
	}
	checkReportFiles(t, out)
	rep := readReport(t, out)
	if !rep.Interrupted || rep.Verdict != reports.Incomplete {
		t.Errorf("report interrupted=%v verdict %s, want an interrupted INCOMPLETE report", rep.Interrupted, rep.Verdict)
	}
}
