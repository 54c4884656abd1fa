package engine

import (
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// TestWhen: a case whose condition on the declaration is false is SKIPped as not applicable
// with its reason and sends nothing; a true condition runs it; a condition that renders
// neither true nor false, or reads a missing key, is a pack bug (ERROR), never a silent skip.
func TestWhen(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	step := specs.Step{Name: "health", Call: call("getHealth"), Expect: specs.Expect{Status: []int{200}}}
	tests := []struct {
		name, expr    string
		state         reports.State
		notApplicable bool
		message       string
	}{
		{"true", `{{ eq .d.channelNo "1000000001" }}`, reports.Pass, false, ""},
		{"false", `{{ eq .d.channelNo "9" }}`, reports.Skip, true, "not applicable: the channel lacks it"},
		{"not a boolean", `{{ .d.channelNo }}`, reports.Error, false, `rendered "1000000001", want true or false`},
		{"missing key", `{{ .d.level2 }}`, reports.Error, false, "pack bug"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := oneCase("W-"+tt.name, step)
			c.When = &specs.Condition{Expr: tt.expr, Reason: "the channel lacks it"}
			o := run(t, e, c)
			if o.State != tt.state || o.NotApplicable != tt.notApplicable || !strings.Contains(o.Message, tt.message) {
				t.Fatalf("state %s, not applicable %v, message %q; want %s, %v, %q", o.State, o.NotApplicable, o.Message, tt.state, tt.notApplicable, tt.message)
			}
			if sent := len(o.Evidence); (tt.state == reports.Pass) != (sent > 0) {
				t.Errorf("%d exchanges for a %s case", sent, o.State)
			}
		})
	}
}
