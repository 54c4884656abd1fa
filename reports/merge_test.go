package reports

import (
	"strings"
	"testing"
	"time"
)

func TestToRerun(t *testing.T) {
	r := miniReport("P=PASS", "F=FAIL", "E=ERROR", "S=SKIP", "W=WAIVED", "N=WARN")
	if got := strings.Join(ToRerun(r), ","); got != "E,F,N,W" {
		t.Errorf("ToRerun %q, want E,F,N,W", got)
	}
	if got := ToRerun(miniReport("P=PASS", "S=SKIP")); len(got) != 0 {
		t.Errorf("a passing report has cases to re-run: %v", got)
	}
}

func TestMerge(t *testing.T) {
	base := miniReport("A=PASS", "B=FAIL", "C=ERROR")
	base.StartedAt = time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	base.Filters.LabelFilter = "smoke"
	rerun := miniReport("A=SKIP", "B=PASS", "C=FAIL")
	rerun.FinishedAt = time.Date(2025, 3, 1, 11, 0, 0, 0, time.UTC)
	rerun.Exchanges = []Exchange{{ID: "B#1"}}
	base.Target.Reference, base.Target.Faults = true, []string{"hsts-missing", "bola-card"}
	rerun.Target.Reference, rerun.Target.Faults = true, []string{"bola-card"}

	m, err := Merge(base, rerun, "out/1/report.json")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]Case{}
	for _, c := range m.Cases {
		got[c.ID] = c
	}
	tests := []struct {
		id       string
		state    State
		attempts string
	}{
		{"A", Pass, ""},      // not re-run: kept, no attempts
		{"B", Pass, "FAIL"},  // fixed on re-run: earlier FAIL kept
		{"C", Fail, "ERROR"}, // still failing
	}
	for _, tt := range tests {
		c := got[tt.id]
		var att []string
		for _, a := range c.Attempts {
			att = append(att, a.State.String())
			if a.RunAt != "2025-03-01T10:00:00.000Z" || a.Message != "m-"+tt.id+"="+a.State.String() {
				t.Errorf("%s attempt %+v", tt.id, a)
			}
		}
		if c.State != tt.state || strings.Join(att, ",") != tt.attempts {
			t.Errorf("%s: %s attempts %v, want %s attempts %q", tt.id, c.State, att, tt.state, tt.attempts)
		}
	}
	if m.Filters.RerunOf != "out/1/report.json" || m.Filters.LabelFilter != "smoke" {
		t.Errorf("filters %+v", m.Filters)
	}
	if m.Verdict != Nonconformant || m.Summary.Pass != 2 || m.Summary.Fail != 1 {
		t.Errorf("merged verdict %s summary %+v", m.Verdict, m.Summary)
	}
	if strings.Join(m.Target.Faults, ",") != "bola-card,hsts-missing" || !m.Target.Reference {
		t.Errorf("merged target %+v: the faults of both runs must be kept", m.Target)
	}
	if len(m.Exchanges) != 1 || !m.FinishedAt.Equal(rerun.FinishedAt) {
		t.Errorf("exchanges %v finished %v", m.Exchanges, m.FinishedAt)
	}
	if base.Cases[1].State != Fail || len(base.Cases[1].Attempts) != 0 {
		t.Error("Merge modified its input")
	}
	// A second re-run keeps both earlier attempts, oldest first.
	again, err := Merge(m, miniReport("C=PASS"), "out/2/report.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range again.Cases {
		if c.ID == "C" && (len(c.Attempts) != 2 || c.Attempts[0].State != Error || c.Attempts[1].State != Fail) {
			t.Errorf("second re-run attempts %+v", c.Attempts)
		}
	}
}

func TestMergeRefuses(t *testing.T) {
	base := miniReport("A=FAIL")
	tests := []struct {
		name  string
		rerun *Report
		want  string
	}{
		{"another pack", func() *Report { r := miniReport("A=PASS"); r.Pack.SHA256 = strings.Repeat("c", 64); return r }(), "differs"},
		{"unknown case", miniReport("Z=PASS"), "case Z is not in the earlier report"},
		{"another channel", func() *Report { r := miniReport("A=PASS"); r.Target.ChannelNo = "2000000002"; return r }(), "channel 2000000002 differs"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Merge(base, tt.rerun, "r.json"); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
}
