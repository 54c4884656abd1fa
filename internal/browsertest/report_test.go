package browsertest

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cli/run"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// wrongKeyDeclaration writes the declaration of a running reference channel with another data
// key (and its matching check value): the vendor's mistake of issue 12 that failed 89 cases,
// a realistic report of about a hundred failures.
func wrongKeyDeclaration(t *testing.T) (target, path string) {
	t.Helper()
	srv, _ := clitest.Reference(t, refchannel.Options{})
	d := srv.Declaration()
	key := bytes.Repeat([]byte{0xab}, 16)
	kcv, err := cai.KeyCheckValue(key)
	if err != nil {
		t.Fatal(err)
	}
	d.Sandbox.DataKey, d.Sandbox.DataKeyCheck = hex.EncodeToString(key), kcv
	data, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "wrong-key.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv.URL, path
}

// runReference runs the reference channel through `chanconf run`'s run function with the
// given faults (the small end-to-end pack when mini, else the embedded pack).
func runReference(t *testing.T, mini bool, faults ...string) (string, *reports.Report) {
	t.Helper()
	return runChanconf(t, func(o *run.Options) {
		o.ReferenceFaults = faults
		if mini {
			o.PackDir = clitest.MiniPack(t)
		}
	})
}

// runChanconf runs `chanconf run` (its run function) on the embedded pack with the options
// change makes and returns report.html and report.json read back.
func runChanconf(t *testing.T, change func(*run.Options)) (string, *reports.Report) {
	t.Helper()
	ios, _, _, _ := iostreams.Test()
	opts := &run.Options{IO: ios, Now: time.Now, PackFS: esscv1.FS, PackRoot: esscv1.Root,
		Tool: reports.Tool{Name: "chanconf", Version: "test"}, OutDir: t.TempDir(), Concurrency: 8, Quiet: true}
	change(opts)
	_ = run.Run(t.Context(), opts) // a NONCONFORMANT run is an error (exit 1); the reports are what count
	data, err := os.ReadFile(filepath.Join(opts.OutDir, "report.json"))
	if err != nil {
		t.Fatalf("the run wrote no report.json: %v", err)
	}
	r, err := reports.ReadJSON(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(opts.OutDir, "report.html"), r
}

// checkPage returns every way the page fails a reviewer: the verdict not the report's or not
// within the first screen, the first failure not a FAIL case or not within the first screen, a
// FAIL case not linked from the top, a link leading nowhere, an error in the console.
func checkPage(f pageFacts, r *reports.Report, consoleErrors []string) []string {
	var problems []string
	if f.Verdict != r.Verdict.String() {
		problems = append(problems, fmt.Sprintf("the page shows the verdict %q, the report says %s", f.Verdict, r.Verdict))
	}
	if f.VerdictBottom < 0 || f.VerdictBottom > screenHeight {
		problems = append(problems, fmt.Sprintf("the verdict is not within the first %d px (its bottom is at %.0f)", screenHeight, f.VerdictBottom))
	}
	failed := r.Cases.WithState(reports.Fail)
	if len(failed) > 0 {
		switch {
		case !slices.ContainsFunc(failed, func(c reports.Case) bool { return c.ID == f.FirstFailure }):
			problems = append(problems, fmt.Sprintf("the first failure of the page is %q, not a FAIL case of the report", f.FirstFailure))
		case f.FailureBottom < 0 || f.FailureBottom > screenHeight:
			problems = append(problems, fmt.Sprintf("the first failure (%s) is not within the first %d px (its summary ends at %.0f)",
				f.FirstFailure, screenHeight, f.FailureBottom))
		}
	}
	for _, c := range failed {
		if !slices.Contains(f.Linked, c.ID) {
			problems = append(problems, fmt.Sprintf("FAIL case %s is not linked from the top of the page", c.ID))
		}
	}
	for _, id := range f.Dangling {
		problems = append(problems, fmt.Sprintf("the link to #%s leads nowhere", id))
	}
	if len(consoleErrors) > 0 {
		problems = append(problems, "the page logged errors: "+strings.Join(consoleErrors, "; "))
	}
	return problems
}

// breakPage writes a copy of the page at file with old replaced by new (which must occur)
// and returns the copy's path.
func breakPage(t *testing.T, file string, re *regexp.Regexp, repl string) string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !re.Match(data) {
		t.Fatalf("the page has no %s to break", re)
	}
	out := filepath.Join(t.TempDir(), "broken.html")
	if err := os.WriteFile(out, re.ReplaceAll(data, []byte(repl)), 0o644); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReportInBrowser loads in chromium the report.html of a conformant run of the reference
// channel, of a run with a fault switch (one failure) and of the whole pack with a wrong data
// key (about a hundred failures, issue 12's vendor mistake), and checks what a reviewer sees
// first; then it proves the check can fail: pages broken on purpose (the verdict or the first
// failure pushed off the first screen or hidden, an error logged, a failing case left
// unlinked) must be caught. The broken pages are copies of small reports so that the test stays
// fast. Its "print" subtest bounds the pages of the report of many failures.
func TestReportInBrowser(t *testing.T) {
	browser := newBrowser(t)
	shots := artifactsDir(t)
	okPage, okReport := runReference(t, true)
	bigPage, bigReport := runChanconf(t, func(o *run.Options) { o.Target, o.Declaration = wrongKeyDeclaration(t) })
	badPage, badReport := runReference(t, true, "cache-control-missing")
	if okReport.Verdict != reports.Conformant || bigReport.Verdict != reports.Nonconformant || bigReport.Summary.Fail < 60 ||
		badReport.Verdict != reports.Nonconformant {
		t.Fatalf("fixture runs: %s, %s with %d FAIL and %s, want CONFORMANT, NONCONFORMANT with many failures and NONCONFORMANT",
			okReport.Verdict, bigReport.Verdict, bigReport.Summary.Fail, badReport.Verdict)
	}
	firstLink := regexp.MustCompile(`<a class="fail" href="#problem-[^"]+"[^>]*>[^<]+</a>`)
	tests := []struct {
		name   string
		page   string
		report *reports.Report
		want   string // a problem checkPage must report; "" for none at all
	}{
		{"conformant", okPage, okReport, ""},
		{"nonconformant, many failures", bigPage, bigReport, ""},
		{"nonconformant, one failure", badPage, badReport, ""},
		{"padding above the verdict", breakPage(t, badPage, regexp.MustCompile(`<header class="top"`),
			`<div style="height:2000px"></div>$0`), badReport, "the verdict is not within the first"},
		{"padding above the first failure", breakPage(t, badPage, regexp.MustCompile(`<section id="failures">`),
			`<div style="height:2000px"></div>$0`), badReport, "is not within the first 900 px"},
		{"verdict hidden", breakPage(t, badPage, regexp.MustCompile(`</style>`), `#verdict{display:none}$0`),
			badReport, "the verdict is not within the first"},
		{"console error", breakPage(t, okPage, regexp.MustCompile(`</body>`), `<script>console.error("planted")</script>$0`),
			okReport, "the page logged errors: error: planted"},
		{"uncaught exception", breakPage(t, okPage, regexp.MustCompile(`</body>`), `<script>noSuchFunction()</script>$0`),
			okReport, "the page logged errors"},
		{"failing case not linked", breakPage(t, badPage, firstLink, ``), badReport, "is not linked from the top"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts, consoleErrors, shot := loadPage(t, browser, tt.page)
			problems := checkPage(facts, tt.report, consoleErrors)
			if tt.want == "" {
				saveScreenshot(t, shots, t.Name(), shot)
				for _, p := range problems {
					t.Error(p)
				}
				return
			}
			if !slices.ContainsFunc(problems, func(p string) bool { return strings.Contains(p, tt.want) }) {
				t.Errorf("the broken page passed the check: want a problem with %q, got %q", tt.want, problems)
			}
		})
	}
	t.Run("print", func(t *testing.T) { testPrint(t, browser, shots, bigPage, bigReport) })
}

// The printed report's bound: the 98 failures printed to 88 pages. With its print
// stylesheet a failure takes two lines (about 14 a page) and the clause matrix, the areas and
// the list of every case take about 6 pages; the bound allows twice the failures' share.
const (
	printFixedPages      = 6
	printFailuresPerPage = 7
)

// testPrint prints a report of many failures and checks it stays within the bound, then prints
// it without its print stylesheet to show that the bound catches a page that prints badly.
func testPrint(t *testing.T, browser context.Context, shots, page string, r *reports.Report) {
	limit := printFixedPages + r.Summary.Fail/printFailuresPerPage
	pages, pdf := printPages(t, browser, page)
	t.Logf("%d failures print to %d pages (limit %d): %s", r.Summary.Fail, pages, limit,
		saveArtifact(t, shots, "nonconformant.pdf", pdf))
	if pages == 0 || pages > limit {
		t.Errorf("%d failures print to %d pages, want 1 to %d", r.Summary.Fail, pages, limit)
	}
	unstyled := breakPage(t, page, regexp.MustCompile(`@media print\{`), `@media never{`)
	n, _ := printPages(t, browser, unstyled)
	t.Logf("without its print stylesheet: %d pages", n)
	if n <= limit {
		t.Errorf("without its print stylesheet the page prints to %d pages, within the limit of %d: the bound proves nothing", n, limit)
	}
}

// TestFindChromium: without chromium the browser test skips on a developer's machine and fails
// under CI, so that CI cannot pass by skipping it.
func TestFindChromium(t *testing.T) {
	none := func(string) (string, error) { return "", errors.New("not found") }
	found := func(name string) (string, error) {
		if name == "chromium-browser" {
			return "/usr/bin/chromium-browser", nil
		}
		return "", errors.New("not found")
	}
	tests := []struct {
		name     string
		lookPath func(string) (string, error)
		ci       string
		path     string
		fatal    bool
	}{
		{"installed", found, "true", "/usr/bin/chromium-browser", false},
		{"missing on a developer's machine", none, "", "", false},
		{"missing with CI=false", none, "false", "", false},
		{"missing under CI", none, "true", "", true},
		{"missing under CI=1", none, "1", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, missing, fatal := findChromium(tt.lookPath, tt.ci)
			if path != tt.path || fatal != tt.fatal || (path == "") != (missing != "") {
				t.Errorf("findChromium = %q, %q, %v; want %q, fatal %v", path, missing, fatal, tt.path, tt.fatal)
			}
		})
	}
}
