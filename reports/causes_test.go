package reports

import (
	"slices"
	"strings"
	"testing"
)

func TestCauseKey(t *testing.T) {
	const refused = "dial tcp 127.0.0.1:1: connect: connection refused"
	tests := []struct {
		name, message, key, fix string
	}{
		{"engine step and request removed",
			`step 2 (create session): POST https://127.0.0.1:1/cai/v1/sessions?x=1: Post "https://127.0.0.1:1/cai/v1/sessions?x=1": ` + refused,
			refused, "nothing listens at that address"},
		{"pre-flight hint becomes the fix",
			"target https://127.0.0.1:1/cai/v1 unreachable: tcp: " + refused + " (fix: nothing listens on 127.0.0.1:1: correct the port in --target (or baseURL))",
			"target https://127.0.0.1:1 unreachable: tcp: " + refused, "nothing listens on 127.0.0.1:1: correct the port in --target (or baseURL)"},
		{"two pre-flight problems stay one key",
			"target x not testable: clock: off (fix: sync); tls: bad (fix: trust)",
			"target x not testable: clock: off (fix: sync); tls: bad (fix: trust)", ""},
		{"only the first line", "preparing the case: no such host\ndetails", "no such host", "the host name does not resolve"},
		{"interrupted partial result dropped", "interrupted: the run was interrupted while the case ran (FAIL: step 1: x)",
			"interrupted: the run was interrupted while the case ran", "run again"},
		{"empty", "", "no message", ""},
		{"unknown error kept whole", "step 1: the pack is broken", "the pack is broken", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key, fix := CauseKey(tt.message)
			if key != tt.key {
				t.Errorf("key = %q, want %q", key, tt.key)
			}
			if (tt.fix == "") != (fix == "") || !strings.Contains(fix, tt.fix) {
				t.Errorf("fix = %q, want one containing %q", fix, tt.fix)
			}
		})
	}
}

func TestGroupCauses(t *testing.T) {
	refused := func(step, path string) string {
		return "step " + step + ": GET https://h:1" + path + `: Get "https://h:1` + path + `": connect: connection refused`
	}
	cases := Cases{
		{ID: "C", State: Error, Message: refused("1", "/a")},
		{ID: "A", State: Error, Message: refused("3 (login)", "/b?q=1")},
		{ID: "B", State: Error, Message: "the case exceeded its timeout of 30s and did not stop within 5s"},
		{ID: "D", State: Fail, Message: refused("1", "/a")},
		{ID: "E", State: Error, Message: refused("2", "/c")},
	}
	got := GroupCauses(cases)
	if len(got) != 2 {
		t.Fatalf("got %d causes, want 2: %+v", len(got), got)
	}
	if got[0].Count != 3 || !slices.Equal(got[0].Cases, []string{"A", "C", "E"}) || got[0].Fix == "" {
		t.Errorf("first cause = %+v, want the refusal of A, C, E with its fix", got[0])
	}
	if got[1].Count != 1 || !slices.Equal(got[1].Cases, []string{"B"}) {
		t.Errorf("second cause = %+v, want the timeout of B", got[1])
	}
	if GroupCauses(Cases{{ID: "P", State: Pass}}) != nil {
		t.Error("causes without an ERROR case")
	}
}

func TestJudgeStatesACauseOnce(t *testing.T) {
	r := &Report{Target: Target{Profiles: []string{"rest"}}}
	for _, id := range []string{"X1", "X2", "X3", "X4", "X5"} {
		r.Cases = append(r.Cases, mk(id, "MUST", "rest", Error, "step 1: GET https://h:1/"+id+": connection refused"))
	}
	Judge(r)
	var mentions int
	for _, reason := range r.Reasons {
		mentions += strings.Count(reason, "connection refused")
	}
	if mentions != 1 || r.Reasons[0] != "5 cases errored (X1, X2, X3 and 2 more): connection refused"+
		" (fix: nothing listens at that address: start the channel's sandbox, or correct the host and port in --target)" {
		t.Errorf("reasons = %q, want the refusal once with its count", r.Reasons)
	}
	if len(r.Causes) != 1 || r.Causes[0].Count != 5 {
		t.Errorf("causes = %+v", r.Causes)
	}
}
