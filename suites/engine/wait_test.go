package engine

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

func TestWaitUntil(t *testing.T) {
	s := newStub(t)
	fixed := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	e := newExec(t, s, func(o *Options) { o.Now = func() time.Time { return fixed } })
	ms := func(d time.Duration) string { return strconv.FormatInt(fixed.Add(d).UnixMilli(), 10) }
	tests := []struct {
		name      string
		until     string
		wantState reports.State
		wantMsg   string
		minWait   time.Duration
	}{
		{"in the past: no wait", ms(-time.Hour), reports.Pass, "", 0},
		{"ahead: sleeps until then", ms(80 * time.Millisecond), reports.Pass, "", 80 * time.Millisecond},
		{"computed by a template", "{{ add " + ms(0) + " 60 }}", reports.Pass, "", 60 * time.Millisecond},
		{"not a number", "soon", reports.Error, `waitUntil: "soon" is not a unix time in milliseconds`, 0},
		{"too far ahead", ms(time.Hour), reports.Error, "more than the 5m0s allowed", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := oneCase("WAIT-1", specs.Step{Name: "later", WaitUntil: tt.until, Call: call("getHealth"),
				Expect: specs.Expect{Status: []int{200}}})
			start := time.Now()
			o := run(t, e, c)
			if o.State != tt.wantState || !strings.Contains(o.Message, tt.wantMsg) {
				t.Fatalf("%s: %q, want %s containing %q", o.State, o.Message, tt.wantState, tt.wantMsg)
			}
			if got := time.Since(start); got < tt.minWait {
				t.Errorf("waited %s, want at least %s", got, tt.minWait)
			}
		})
	}
}
