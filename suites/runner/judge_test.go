package runner

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/types"
)

// recordingT is a GinkgoTestingT that records whether the suite failed.
type recordingT struct{ failed bool }

func (r *recordingT) Fail() { r.failed = true }

// fixedOutcomes returns a behaviour answering each case ID with the given state and message.
func fixedOutcomes(by map[string]reports.State) func(context.Context, *specs.Case) Outcome {
	return func(_ context.Context, c *specs.Case) Outcome {
		return Outcome{State: by[c.ID], Message: "because " + c.ID}
	}
}

// TestGinkgoJudgement checks how each outcome is judged by its It: the ginkgo spec state, and
// whether the suite as a whole fails.
func TestGinkgoJudgement(t *testing.T) {
	tests := []struct {
		name      string
		level     specs.Level
		state     reports.State
		spec      types.SpecState
		report    reports.State
		suiteFail bool
	}{
		{name: "MUST pass", level: specs.MUST, state: reports.Pass, spec: types.SpecStatePassed, report: reports.Pass},
		{name: "MUST fail", level: specs.MUST, state: reports.Fail, spec: types.SpecStateFailed, report: reports.Fail, suiteFail: true},
		{name: "MUST error", level: specs.MUST, state: reports.Error, spec: types.SpecStateFailed, report: reports.Error, suiteFail: true},
		{name: "skip", level: specs.MUST, state: reports.Skip, spec: types.SpecStateSkipped, report: reports.Skip},
		{name: "SHOULD warn does not fail", level: specs.SHOULD, state: reports.Warn, spec: types.SpecStatePassed, report: reports.Warn},
		{name: "SHOULD fail becomes warn", level: specs.SHOULD, state: reports.Fail, spec: types.SpecStatePassed, report: reports.Warn},
		{name: "SHOULD error fails", level: specs.SHOULD, state: reports.Error, spec: types.SpecStateFailed, report: reports.Error, suiteFail: true},
		{name: "waived does not fail", level: specs.MUST, state: reports.Waived, spec: types.SpecStatePassed, report: reports.Waived},
		{name: "unjudged is an error", level: specs.MUST, state: reports.Invalid, spec: types.SpecStateFailed, report: reports.Error, suiteFail: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tcase("J-1", func(c *specs.Case) { c.Level = tt.level })
			opts := baseOptions(testPack(c, tcase("J-2")), newFake(fixedOutcomes(map[string]reports.State{"J-1": tt.state, "J-2": reports.Pass})))
			tree, err := BuildTree(opts)
			if err != nil {
				t.Fatal(err)
			}
			var specStates []types.SpecState
			ginkgo.ReportAfterSuite("capture", func(r ginkgo.Report) {
				if r.SuiteConfig.DryRun {
					return // the preview
				}
				for _, sr := range r.SpecReports {
					if sr.LeafNodeType == types.NodeTypeIt && strings.HasPrefix(sr.LeafNodeText, "J-1:") {
						specStates = append(specStates, sr.State)
					}
				}
			})
			gt := &recordingT{}
			restore := silenceGinkgo()
			rep, err := tree.Execute(context.Background(), gt, silentReporterConfig())
			restore()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(specStates, []types.SpecState{tt.spec}) {
				t.Errorf("ginkgo spec state %v, want %v", specStates, tt.spec)
			}
			if gt.failed != tt.suiteFail {
				t.Errorf("suite failed: %v, want %v", gt.failed, tt.suiteFail)
			}
			got := caseByID(t, rep, "J-1")
			if got.State != tt.report {
				t.Errorf("report state %s, want %s", got.State, tt.report)
			}
			if tt.state != reports.Pass && !strings.Contains(got.Message, "because J-1") {
				t.Errorf("report message %q lost the runner's message", got.Message)
			}
		})
	}
}

func TestTreeExecutesOnce(t *testing.T) {
	tree, err := BuildTree(baseOptions(testPack(tcase("A-1")), newFake(nil)))
	if err != nil {
		t.Fatal(err)
	}
	restore := silenceGinkgo()
	defer restore()
	if _, err := tree.Execute(context.Background(), &recordingT{}, silentReporterConfig()); err != nil {
		t.Fatal(err)
	}
	if _, err := tree.Execute(context.Background(), &recordingT{}, silentReporterConfig()); err == nil {
		t.Error("second Execute of one tree succeeded; ginkgo would exit the process")
	}
}

func TestVerdicts(t *testing.T) {
	tests := []struct {
		name   string
		states map[string]reports.State
		mod    func(*Options)
		want   reports.Verdict
	}{
		{name: "all pass", states: map[string]reports.State{"M-1": reports.Pass, "M-2": reports.Pass, "S-1": reports.Pass}, want: reports.Conformant},
		{name: "SHOULD warns", states: map[string]reports.State{"M-1": reports.Pass, "M-2": reports.Pass, "S-1": reports.Warn}, want: reports.Conformant},
		{name: "MUST fails", states: map[string]reports.State{"M-1": reports.Fail, "M-2": reports.Pass, "S-1": reports.Pass}, want: reports.Nonconformant},
		{name: "fail beats error", states: map[string]reports.State{"M-1": reports.Fail, "M-2": reports.Error, "S-1": reports.Pass}, want: reports.Nonconformant},
		{name: "error", states: map[string]reports.State{"M-1": reports.Pass, "M-2": reports.Error, "S-1": reports.Pass}, want: reports.Incomplete},
		{name: "filtered", states: map[string]reports.State{"M-1": reports.Pass, "M-2": reports.Pass, "S-1": reports.Pass},
			mod: func(o *Options) { o.Focus = "M-1" }, want: reports.Incomplete},
		{name: "MUST skipped by the runner", states: map[string]reports.State{"M-1": reports.Pass, "M-2": reports.Skip, "S-1": reports.Pass}, want: reports.Incomplete},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := baseOptions(testPack(tcase("M-1"), tcase("M-2"), tcase("S-1", should)), newFake(fixedOutcomes(tt.states)))
			if tt.mod != nil {
				tt.mod(&opts)
			}
			rep := mustRun(t, opts)
			if rep.Verdict != tt.want {
				t.Errorf("verdict %s (%v), want %s", rep.Verdict, rep.Reasons, tt.want)
			}
			if rep.Summary.Total != 3 {
				t.Errorf("summary %+v not filled", rep.Summary)
			}
		})
	}
}

func TestTwoRunsInOneProcess(t *testing.T) {
	for i, want := range []map[string]reports.State{
		{"A-1": reports.Fail, "A-2": reports.Pass},
		{"A-1": reports.Pass, "A-2": reports.Pass},
		{"A-1": reports.Pass, "A-2": reports.Error},
	} {
		rep := mustRun(t, baseOptions(testPack(tcase("A-1"), tcase("A-2")), newFake(fixedOutcomes(want))))
		got := states(rep)
		for id, w := range want {
			if got[id] != w {
				t.Errorf("run %d: %s is %s, want %s", i, id, got[id], w)
			}
		}
	}
}

func TestReportFields(t *testing.T) {
	fake := newFake(nil)
	opts := baseOptions(testPack(tcase("R-1", line(7), security, func(c *specs.Case) { c.OWASP, c.CWE = "API2:2023", "CWE-347" }), tcase("R-2", graphql)), fake)
	opts.LabelFilter = "security"
	opts.RerunCommand = func(id string) string { return "chanconf run --focus '^" + id + "$'" }
	clock := fixedNow()
	opts.Now = func() time.Time { clock = clock.Add(time.Second); return clock }
	rep := mustRun(t, opts)

	if rep.SchemaVersion != reports.SchemaVersion || rep.Pack != (reports.PackRef{Name: "test-pack", Version: "1.2.3", SHA256: "abc123"}) {
		t.Errorf("schema %q pack %+v", rep.SchemaVersion, rep.Pack)
	}
	if rep.Tool.Version != "test" || rep.Target.ChannelNo != "C1" || rep.Filters.LabelFilter != "security" || rep.Seed != 42 || rep.Concurrency != DefaultConcurrency {
		t.Errorf("tool %+v target %+v filters %+v seed %d concurrency %d", rep.Tool, rep.Target, rep.Filters, rep.Seed, rep.Concurrency)
	}
	if !rep.FinishedAt.After(rep.StartedAt) || rep.StartedAt.IsZero() {
		t.Errorf("started %v finished %v", rep.StartedAt, rep.FinishedAt)
	}
	if len(rep.Exchanges) != 1 || rep.Interrupted {
		t.Errorf("exchanges %v interrupted %v", rep.Exchanges, rep.Interrupted)
	}
	r1 := caseByID(t, rep, "R-1")
	want := reports.Case{ID: "R-1", Title: "title of R-1", Clauses: []string{"CAI-2.2"}, Level: "MUST", Suite: "security",
		Area: "signatures", Labels: []string{"smoke"}, Profile: "rest", OWASP: "API2:2023", CWE: "CWE-347",
		Source: "cases/functional/sessions.yaml:7", State: reports.Pass, Rerun: "chanconf run --focus '^R-1$'",
		Checks: []reports.Check{{Name: "status", Step: 1, Outcome: reports.Passed}}, Evidence: []string{"R-1-1"}}
	r1.DurationMs = 0
	if !equalCase(r1, want) {
		t.Errorf("case R-1\n got %+v\nwant %+v", r1, want)
	}
	r2 := caseByID(t, rep, "R-2")
	if r2.State != reports.Skip || !strings.HasPrefix(r2.Message, "filtered out") || r2.Checks == nil || r2.Evidence == nil || r2.Rerun == "" {
		t.Errorf("filtered case %+v", r2)
	}
}

func equalCase(a, b reports.Case) bool {
	return a.ID == b.ID && a.Title == b.Title && slices.Equal(a.Clauses, b.Clauses) && a.Level == b.Level &&
		a.Suite == b.Suite && a.Area == b.Area && slices.Equal(a.Labels, b.Labels) && a.Profile == b.Profile &&
		a.OWASP == b.OWASP && a.CWE == b.CWE && a.Source == b.Source && a.State == b.State && a.Message == b.Message &&
		a.Rerun == b.Rerun && slices.Equal(a.Checks, b.Checks) && slices.Equal(a.Evidence, b.Evidence)
}
