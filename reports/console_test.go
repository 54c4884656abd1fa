package reports

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func consoleRun(cs ColorScheme, live, verbose bool) string {
	var buf bytes.Buffer
	c := NewConsole(&buf, cs)
	c.Live, c.Verbose = live, verbose
	r := sampleReport()
	for i, k := range r.Cases.Sorted() {
		c.Progress(i, len(r.Cases), r.Cases[:i].Count(Fail), time.Duration(i)*1500*time.Millisecond)
		c.CaseFinished(k)
	}
	c.Summary(r, []string{"out/report.json", "out/report.html"})
	return buf.String()
}

func TestConsoleGolden(t *testing.T) {
	goldenFile(t, "console.txt", []byte(consoleRun(ColorScheme{Tags: true}, false, false)))
}

func TestConsoleModes(t *testing.T) {
	tests := []struct {
		name        string
		cs          ColorScheme
		live        bool
		verbose     bool
		want        []string
		notWant     []string
		ansiAllowed bool
	}{
		{name: "plain pipe", want: []string{"FUN-SES-002\tFAIL\tstep 2 \"read from another device\": status: expected [401], actual 200\n",
			"FUN-QR-009\tSKIP\tprofile graphql not declared\n", "verdict: NONCONFORMANT\n"},
			notWant: []string{"FUN-SES-001\tPASS", "\r", "{red}", "clause CAI-4.2"}},
		{name: "verbose lists PASS", verbose: true, want: []string{"FUN-SES-001\tPASS\t\n"}},
		{name: "colour off even when live", live: true, want: []string{"\r[1/7] 1 failed, 1s", "\rFUN-QR-009\tSKIP"}, notWant: []string{"{"}},
		{name: "tags", cs: ColorScheme{Tags: true}, want: []string{"FUN-SES-002\t{red}FAIL{/}\t", "verdict: {red}NONCONFORMANT{/}"}},
		{name: "tags win over ANSI", cs: ColorScheme{Tags: true, Enabled: true}, want: []string{"{red}FAIL{/}"}},
		{name: "ANSI", cs: ColorScheme{Enabled: true}, want: []string{"\t\x1b[31mFAIL\x1b[0m\t", "verdict: \x1b[31mNONCONFORMANT\x1b[0m"},
			ansiAllowed: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := consoleRun(tt.cs, tt.live, tt.verbose)
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(out, w) {
					t.Errorf("output contains %q", w)
				}
			}
			if !tt.ansiAllowed && strings.Contains(out, "\x1b[") {
				t.Error("ANSI escape with colour disabled")
			}
		})
	}
}

func TestConsoleSummary(t *testing.T) {
	out := consoleRun(ColorScheme{}, false, false)
	summary := out[strings.Index(out, "AREA"):]
	for _, want := range []string{
		"AREA                   PASS    FAIL    WARN    SKIP   ERROR  WAIVED\n",
		"functional/sessions       1       1       0       0       0       0\n",
		"total                     1       2       1       1       1       1\n",
		"FAIL FUN-SES-002  A session is bound to its device\n  clauses: CAI-4.2 (MUST)\n",
		"  - step 2 \"read from another device\": status: expected [401], actual 200\n  rerun: chanconf run --focus '^FUN-SES-002$'\n",
		"pack essc-cai 1.0.0 sha256:" + strings.Repeat("ab", 32),
		"tool chanconf 1.2.3 (abc1234), seed 42",
		"  FUN-SES-002 (CAI-4.2) failed\n",
		"report: out/report.json\nreport: out/report.html\n",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary lacks %q:\n%s", want, summary)
		}
	}
	if strings.Index(summary, "FAIL FUN-SES-002") > strings.Index(summary, "ERROR FUN-CRD-001") {
		t.Error("failures must come before errors")
	}
}

func TestConsoleFilterShown(t *testing.T) {
	var buf bytes.Buffer
	r := sampleReport()
	r.Filters.Focus = "SES"
	NewConsole(&buf, ColorScheme{}).Summary(r, nil)
	if !strings.Contains(buf.String(), `filter --focus "SES"`) {
		t.Errorf("filter not shown:\n%s", buf.String())
	}
}

func TestConsoleLiveProgress(t *testing.T) {
	var buf bytes.Buffer
	c := NewConsole(&buf, ColorScheme{Tags: true})
	c.Live = true
	c.Progress(9, 10, 2, 1500*time.Millisecond)
	c.Progress(10, 10, 2, 2*time.Second)
	c.CaseFinished(Case{ID: "X", State: Fail, Message: "m"})
	want := "\r[9/10] {red}2 failed{/}, 1s" + "\r[10/10] {red}2 failed{/}, 2s" + "\r" + strings.Repeat(" ", 20) + "\r" + "X\t{red}FAIL{/}\tm\n"
	if buf.String() != want {
		t.Errorf("live output\n%q\nwant\n%q", buf.String(), want)
	}
	buf.Reset()
	c.Live = false
	c.Progress(1, 2, 0, time.Second)
	if buf.Len() != 0 {
		t.Errorf("non-live progress wrote %q", buf.String())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestConsoleErr(t *testing.T) {
	c := NewConsole(failingWriter{}, ColorScheme{})
	c.CaseFinished(Case{ID: "X", State: Fail})
	if err := c.Err(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Err = %v", err)
	}
	if err := NewConsole(&bytes.Buffer{}, ColorScheme{}).Err(); err != nil {
		t.Errorf("Err on a good writer = %v", err)
	}
}

// TestConsoleConcurrent is for -race: workers report cases at the same time.
func TestConsoleConcurrent(t *testing.T) {
	var buf bytes.Buffer
	c := NewConsole(&buf, ColorScheme{})
	c.Live = true
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			c.Progress(i, 8, 0, 0)
			c.CaseFinished(Case{ID: "C", State: Fail, Message: "x"})
		})
	}
	wg.Wait()
	if n := strings.Count(buf.String(), "C\tFAIL\tx\n"); n != 8 {
		t.Errorf("%d case lines, want 8", n)
	}
}

// TestConsoleCauseOnce: 40 cases stopped by one refusal (met at different steps and URLs) and
// one case stopped by a timeout print the refusal once while the run goes and once in the
// summary, with the count, the fix and the case IDs; the verdict's reason points to it.
func TestConsoleCauseOnce(t *testing.T) {
	r := &Report{Target: Target{Profiles: []string{"rest"}}}
	for i := range 40 {
		r.Cases = append(r.Cases, Case{ID: fmt.Sprintf("FUN-X-%03d", i), Level: LevelMust, Profile: "rest", State: Error,
			Message: fmt.Sprintf("step %d: POST https://h:1/p/%d: connect: connection refused", i%4+1, i)})
	}
	r.Cases = append(r.Cases, Case{ID: "FUN-Y-001", Level: LevelMust, Profile: "rest", State: Error, Message: "the case exceeded its timeout"})
	Judge(r)
	var buf bytes.Buffer
	c := NewConsole(&buf, ColorScheme{})
	for _, k := range r.Cases {
		c.CaseFinished(k)
	}
	c.Summary(r, nil)
	out := buf.String()
	for _, want := range []string{
		"FUN-X-000\tERROR\tstep 1: POST https://h:1/p/0: connect: connection refused\n",
		"FUN-Y-001\tERROR\tthe case exceeded its timeout\n",
		"\nERROR 40 cases  connect: connection refused\n  fix: nothing listens at that address",
		"  cases: FUN-X-000, FUN-X-001, FUN-X-002, FUN-X-003, FUN-X-004, FUN-X-005, FUN-X-006, FUN-X-007 and 32 more\n",
		"\nERROR FUN-Y-001  \n",
		"  40 cases errored: see \"ERROR 40 cases\" above\n",
		"  FUN-Y-001 errored: the case exceeded its timeout\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if n := strings.Count(out, "connection refused"); n != 2 {
		t.Errorf("connection refused printed %d times, want 2 (the first case, the summary):\n%s", n, out)
	}
}
