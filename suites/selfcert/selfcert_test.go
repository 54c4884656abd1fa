package selfcert

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// part, set only in the child process TestSelfCertification starts, names the part of the
// self-certification TestSelfCertificationPart runs there.
//
//codecheck:allow mutable-global the flag must be registered before the testing package parses flags
var part = flag.String("selfcert.part", "", "internal: the part of the self-certification this (child) process runs")

// partCleanAndDeterminism is the part of the child process: the clean run and the determinism
// run.
const partCleanAndDeterminism = "clean-and-determinism"

// TestSelfCertification is the self-certification of the embedded CAI v1 pack: the whole pack
// passes the conformant reference channel, every fault switch is killed by a case tracing to its
// clauses, and a second run with another seed and concurrency 1 gives every case the same state.
//
// Nearly all of Check's time is spent asleep in the few cases that wait for a QR code or a
// grant to expire, and its runs cannot overlap in one process (ginkgo's suite is process-wide).
// So the clean and determinism runs (Check without faults) go to a child process of this test
// binary while this process runs the fault runs (Check without the clean run): the same checks,
// in about the time of the longer half instead of the sum.
func TestSelfCertification(t *testing.T) {
	if testing.Short() {
		t.Skip("self-certification runs the whole pack twice and every fault once")
	}
	// 7 minutes: on a 2-core machine shared with other builds the variant runs (a whole pack
	// per variant) were measured at up to 3.5 minutes (load average 40); under lighter load about 1.5.
	ctx, cancel := context.WithTimeout(context.Background(), 7*time.Minute)
	defer cancel()
	start := time.Now()
	child, err := startPart(ctx, partCleanAndDeterminism)
	if err != nil {
		t.Fatalf("starting the clean and determinism runs: %v", err)
	}
	variants, err := startVariantParts(ctx, t.TempDir())
	if err != nil {
		t.Fatalf("starting the variant runs: %v", err)
	}
	var progress bytes.Buffer
	res, err := Check(ctx, Options{SkipClean: true, Progress: &progress})
	t.Logf("progress:\n%s", progress.String())
	if res != nil {
		var table bytes.Buffer
		if werr := res.WriteTable(&table); werr != nil {
			t.Errorf("WriteTable: %v", werr)
		}
		t.Logf("kill table:\n%s", table.String())
		t.Logf("fault runs: %s", res.FaultsDuration.Round(time.Millisecond))
	}
	if err != nil {
		t.Errorf("self-certification failed:\n%v", err)
	} else if killed, total := res.KillRate(); killed != total || total != len(refchannel.Faults()) {
		t.Errorf("kill rate %d/%d of %d faults, want 100 %%", killed, total, len(refchannel.Faults()))
	}
	out, err := child.wait()
	t.Logf("clean and determinism runs (child process):\n%s", out)
	if err != nil {
		t.Errorf("the clean or the determinism run failed: %v", err)
	}
	checkVariantParts(t, variants)
	t.Logf("total %s", time.Since(start).Round(time.Millisecond))
}

// TestSelfCertificationPart runs the part of the self-certification named by -selfcert.part; it
// is skipped unless TestSelfCertification started this process for it.
func TestSelfCertificationPart(t *testing.T) {
	switch *part {
	case "":
		t.Skip("runs in the child process TestSelfCertification starts")
	case partCleanAndDeterminism:
	default:
		t.Fatalf("unknown -selfcert.part %q", *part)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	var progress bytes.Buffer
	res, err := Check(ctx, Options{Faults: []string{}, Progress: &progress})
	t.Logf("progress:\n%s", progress.String())
	if err != nil {
		t.Fatalf("self-certification failed:\n%v", err)
	}
	if res.Clean == nil || res.Repeat == nil {
		t.Fatalf("Check ran the clean run %v and the determinism run %v, want both", res.Clean != nil, res.Repeat != nil)
	}
	t.Logf("timings: clean run %s, determinism run %s", res.CleanDuration.Round(time.Millisecond),
		res.RepeatDuration.Round(time.Millisecond))
}

// childPart is a part of the self-certification running in a child process of the test binary.
type childPart struct {
	cmd *exec.Cmd
	out bytes.Buffer
}

// startPart starts this test binary again, running only TestSelfCertificationPart for name.
func startPart(ctx context.Context, name string) (*childPart, error) {
	c := &childPart{}
	c.cmd = exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSelfCertificationPart$", "-test.v",
		"-test.count=1", "-test.timeout=4m", "-selfcert.part="+name)
	c.cmd.Stdout, c.cmd.Stderr = &c.out, &c.out
	c.cmd.WaitDelay = 5 * time.Second
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", os.Args[0], err)
	}
	return c, nil
}

// wait waits for the child and returns its output; the error is its failure.
func (c *childPart) wait() (string, error) {
	err := c.cmd.Wait()
	out := c.out.String()
	if err == nil && !strings.Contains(out, "--- PASS: TestSelfCertificationPart") {
		err = errors.New("the child process did not run TestSelfCertificationPart")
	}
	return out, err
}

// TestCheckReportsUnkilledFault shows that Check fails a pack whose only case tracing to a
// fault's clause does not exercise the rule: the health check relabelled as CAI-6.7 cannot
// catch a channel whose QR codes verify more than once.
func TestCheckReportsUnkilledFault(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a reference channel")
	}
	p, err := LoadPack()
	if err != nil {
		t.Skipf("the embedded pack does not load yet: %v", err)
	}
	i := slices.IndexFunc(p.Cases, func(c specs.Case) bool { return c.ID == "FUN-HLT-001" })
	if i < 0 {
		t.Fatal("the pack has no FUN-HLT-001")
	}
	weak := *p
	health := p.Cases[i]
	health.Clauses = []string{"CAI-6.7"}
	weak.Cases = []specs.Case{health}
	res, err := Check(context.Background(), Options{Pack: &weak, Faults: []string{"qr-reusable"}, SkipClean: true})
	if err == nil {
		t.Fatal("Check accepted a pack that cannot kill qr-reusable")
	}
	if !strings.Contains(err.Error(), "fault qr-reusable") || !strings.Contains(err.Error(), "not killed") {
		t.Errorf("error does not name the unkilled fault: %v", err)
	}
	if killed, total := res.KillRate(); killed != 0 || total != 1 {
		t.Errorf("kill rate %d/%d, want 0/1", killed, total)
	}
	if got := res.Faults[0].Cases; !slices.Equal(got, []string{"FUN-HLT-001"}) {
		t.Errorf("focused cases %v, want [FUN-HLT-001]", got)
	}
}

func TestCheckRefusesUnknownFault(t *testing.T) {
	_, err := Check(context.Background(), Options{Faults: []string{"qr-reusable", "no-such-fault"}})
	if err == nil || !strings.Contains(err.Error(), "no-such-fault") {
		t.Fatalf("err = %v, want an error naming no-such-fault", err)
	}
}

func TestSelectFaults(t *testing.T) {
	all, err := selectFaults(nil)
	if err != nil || len(all) != len(refchannel.Faults()) {
		t.Fatalf("selectFaults(nil) = %d faults, %v; want all %d", len(all), err, len(refchannel.Faults()))
	}
	some, err := selectFaults([]string{"qr-reusable", "logout-noop"})
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{some[0].Name, some[1].Name}; !slices.Equal(got, []string{"qr-reusable", "logout-noop"}) {
		t.Errorf("selectFaults kept %v, want the given order", got)
	}
	none, err := selectFaults([]string{})
	if err != nil || len(none) != 0 {
		t.Errorf("selectFaults([]) = %v, %v; want none", none, err)
	}
	if _, err := selectFaults([]string{"typo"}); err == nil {
		t.Error("selectFaults accepted an unknown fault")
	}
}

func TestFocusPattern(t *testing.T) {
	re := regexp.MustCompile(FocusPattern([]string{"FUN-SES-001", "A.B"}))
	tests := []struct {
		id   string
		want bool
	}{
		{"FUN-SES-001", true},
		{"A.B", true},
		{"FUN-SES-0010", false},
		{"XFUN-SES-001", false},
		{"AxB", false},
		{"FUN-SES-002", false},
	}
	for _, tt := range tests {
		if got := re.MatchString(tt.id); got != tt.want {
			t.Errorf("FocusPattern matches %q = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestCasesTracing(t *testing.T) {
	p := &specs.Pack{Cases: []specs.Case{
		{ID: "FUN-A-001", Clauses: []string{"CAI-4.1", "CAI-4.3"}},
		{ID: "FUN-A-002", Clauses: []string{"CAI-5.1"}},
		{ID: "SEC-A-001", Clauses: []string{"CAI-4.3"}},
	}}
	tests := []struct {
		clauses []string
		want    []string
	}{
		{[]string{"CAI-4.3"}, []string{"FUN-A-001", "SEC-A-001"}},
		{[]string{"CAI-5.1", "CAI-4.1"}, []string{"FUN-A-001", "FUN-A-002"}},
		{[]string{"CAI-9.9"}, nil},
	}
	for _, tt := range tests {
		if got := CasesTracing(p, tt.clauses); !slices.Equal(got, tt.want) {
			t.Errorf("CasesTracing(%v) = %v, want %v", tt.clauses, got, tt.want)
		}
	}
}

func TestJudgeFault(t *testing.T) {
	report := func(v reports.Verdict, states map[string]reports.State) *reports.Report {
		r := &reports.Report{Verdict: v}
		for _, id := range []string{"FUN-A-001", "FUN-A-002", "FUN-B-001"} {
			r.Cases = append(r.Cases, reports.Case{ID: id, State: states[id]})
		}
		return r
	}
	tests := []struct {
		name             string
		rep              *reports.Report
		killed           bool
		failing, errored []string
	}{
		{"a focused case fails", report(reports.Nonconformant, map[string]reports.State{
			"FUN-A-001": reports.Fail, "FUN-A-002": reports.Pass, "FUN-B-001": reports.Skip}),
			true, []string{"FUN-A-001"}, nil},
		{"only an unfocused case fails", report(reports.Nonconformant, map[string]reports.State{
			"FUN-A-001": reports.Pass, "FUN-A-002": reports.Pass, "FUN-B-001": reports.Fail}),
			false, nil, nil},
		{"a focused case errors", report(reports.Incomplete, map[string]reports.State{
			"FUN-A-001": reports.Error, "FUN-A-002": reports.Pass, "FUN-B-001": reports.Skip}),
			false, nil, []string{"FUN-A-001"}},
		{"a fail without a nonconformant verdict", report(reports.Incomplete, map[string]reports.State{
			"FUN-A-001": reports.Fail, "FUN-A-002": reports.Error, "FUN-B-001": reports.Skip}),
			false, []string{"FUN-A-001"}, []string{"FUN-A-002"}},
		{"everything passes", report(reports.Conformant, map[string]reports.State{
			"FUN-A-001": reports.Pass, "FUN-A-002": reports.Pass, "FUN-B-001": reports.Pass}),
			false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fr := FaultResult{Cases: []string{"FUN-A-001", "FUN-A-002"}}
			judgeFault(&fr, tt.rep)
			if fr.Killed != tt.killed || !slices.Equal(fr.Failing, tt.failing) || !slices.Equal(fr.Errored, tt.errored) {
				t.Errorf("killed %v failing %v errored %v; want %v %v %v", fr.Killed, fr.Failing, fr.Errored,
					tt.killed, tt.failing, tt.errored)
			}
		})
	}
}

func TestCompareStates(t *testing.T) {
	run := func(states ...reports.State) *reports.Report {
		r := &reports.Report{}
		for i, s := range states {
			r.Cases = append(r.Cases, reports.Case{ID: []string{"C1", "C2", "C3"}[i], State: s})
		}
		return r
	}
	tests := []struct {
		name string
		a, b *reports.Report
		want []Difference
	}{
		{"same", run(reports.Pass, reports.Skip), run(reports.Pass, reports.Skip), nil},
		{"one differs", run(reports.Pass, reports.Pass), run(reports.Pass, reports.Fail),
			[]Difference{{CaseID: "C2", First: reports.Pass, Second: reports.Fail}}},
		{"missing in the second", run(reports.Pass, reports.Pass), run(reports.Pass),
			[]Difference{{CaseID: "C2", First: reports.Pass, Second: reports.Invalid}}},
		{"extra in the second", run(reports.Pass), run(reports.Pass, reports.Error),
			[]Difference{{CaseID: "C2", First: reports.Invalid, Second: reports.Error}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := compareStates(tt.a, tt.b); !slices.Equal(got, tt.want) {
				t.Errorf("compareStates = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCleanProblems(t *testing.T) {
	tests := []struct {
		name    string
		verdict reports.Verdict
		states  []reports.State
		want    []string // substrings, one per problem
	}{
		{"all pass", reports.Conformant, []reports.State{reports.Pass, reports.Pass}, nil},
		{"a skip is no problem", reports.Conformant, []reports.State{reports.Pass, reports.Skip}, nil},
		{"a fail", reports.Nonconformant, []reports.State{reports.Pass, reports.Fail},
			[]string{"C2 is FAIL", "verdict NONCONFORMANT"}},
		{"a warn and an error", reports.Incomplete, []reports.State{reports.Warn, reports.Error},
			[]string{"C1 is WARN", "C2 is ERROR", "verdict INCOMPLETE"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &reports.Report{Verdict: tt.verdict}
			for i, s := range tt.states {
				rep.Cases = append(rep.Cases, reports.Case{ID: []string{"C1", "C2"}[i], State: s, Message: "why"})
			}
			got := cleanProblems("clean run", rep)
			if len(got) != len(tt.want) {
				t.Fatalf("cleanProblems = %v, want %d problems", got, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(got[i].Error(), w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, got[i], w)
				}
			}
		})
	}
}

func TestWriteTable(t *testing.T) {
	res := &Result{Faults: []FaultResult{
		{Fault: refchannel.Fault{Name: "qr-reusable", Clauses: []string{"CAI-6.7"}}, Cases: []string{"FUN-QR-003"},
			Verdict: reports.Nonconformant, Failing: []string{"FUN-QR-003"}, Killed: true},
		{Fault: refchannel.Fault{Name: "logout-noop", Clauses: []string{"CAI-4.4"}}, Cases: []string{"FUN-SES-003"},
			Verdict: reports.Incomplete, Errored: []string{"FUN-SES-003"}},
	}}
	var b bytes.Buffer
	if err := res.WriteTable(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"FAULT", "qr-reusable", "CAI-6.7", "yes", "FUN-QR-003",
		"logout-noop", "no", "errored: FUN-SES-003",
		"kill rate: 1/2 (50.0 %)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 {
		t.Errorf("table has %d lines, want header, 2 rows and the kill rate:\n%s", len(lines), out)
	}
}
