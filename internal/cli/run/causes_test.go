package run

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/reports"
)

// TestRunWrongPortStatesTheCauseOnce is issue 12's finding 2: the whole pack run against a
// closed loopback port printed 1,020 lines with "connection refused" 493 times. Now the console
// (stdout and stderr together) is short and names the cause once in its summary with the number
// of cases it stopped and its fix, and report.json and report.html group the cases the same way.
func TestRunWrongPortStatesTheCauseOnce(t *testing.T) {
	_, decl := clitest.Reference(t, refchannel.Options{})
	opts, out, errOut := testOptions(t)
	opts.PackDir = "" // the embedded pack: every case, as a user runs it
	opts.Target, opts.Declaration = "https://"+clitest.ClosedAddr(t)+"/cai/v1", decl
	if err := Run(t.Context(), opts); err == nil {
		t.Fatal("a run against a closed port succeeded")
	}
	console := out.String() + errOut.String()
	// The per-area table grows with the pack, not with the cause: it is not counted.
	areaRow := regexp.MustCompile(`(?m)^(AREA|total|[a-z-]+/[a-z-]+) +(\S+ +)*\S+\n`)
	if n := strings.Count(areaRow.ReplaceAllString(console, ""), "\n"); n >= 25 {
		t.Errorf("the console has %d lines besides the area table for one cause, want < 25:\n%s", n, console)
	}
	if n := strings.Count(console, "\n"); n >= 60 {
		t.Errorf("the console has %d lines for one cause, want < 60:\n%s", n, console)
	}
	if n := strings.Count(console, "connection refused"); n > 3 {
		t.Errorf("the console says %q %d times, want it at most in the pre-flight warning, the first case and the "+
			"summary:\n%s", "connection refused", n, console)
	}

	data, err := os.ReadFile(filepath.Join(opts.OutDir, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := reports.ReadJSON(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Causes) != 1 || r.Causes[0].Count != r.Summary.Error || r.Summary.Error < 50 || r.Causes[0].Fix == "" {
		t.Fatalf("report.json causes = %+v for %d ERROR cases, want one cause of them all with its fix", r.Causes, r.Summary.Error)
	}
	summary := fmt.Sprintf("ERROR %d cases  %s", r.Causes[0].Count, r.Causes[0].Key)
	if strings.Count(console, summary) != 1 || !strings.Contains(console, "  fix: "+r.Causes[0].Fix) {
		t.Errorf("the console lacks the cause once as %q with its fix:\n%s", summary, console)
	}

	page, err := os.ReadFile(filepath.Join(opts.OutDir, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(page), "connection refused"); n > 5 {
		t.Errorf("report.html says %q %d times, want it in the verdict's reason and once in the cause with its first case's evidence (summary, message, check), not per case", "connection refused", n)
	}
}
