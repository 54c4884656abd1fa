package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The first screen a reviewer sees: a laptop's browser window.
const (
	screenWidth  = 1280
	screenHeight = 900
)

// envArtifacts names the directory that receives the screenshots; without it they go to a
// temporary directory that the test logs and removes.
const envArtifacts = "CHANCONF_TEST_ARTIFACTS"

// chromiumPath returns the chromium to drive, or skips the test when there is none, except
// under CI (CI set to anything but "" or "false"), where a missing browser is a failure: CI
// must not pass by skipping the only test that looks at the page.
func chromiumPath(t *testing.T) string {
	t.Helper()
	//codecheck:allow getenv CI decides whether a missing browser skips or fails the test
	path, missing, fatal := findChromium(exec.LookPath, os.Getenv("CI"))
	switch {
	case fatal:
		t.Fatal(missing)
	case path == "":
		t.Skip(missing)
	}
	return path
}

// findChromium looks chromium up with lookPath; without one it says why and whether that is
// fatal (ci is the value of $CI).
func findChromium(lookPath func(string) (string, error), ci string) (path, missing string, fatal bool) {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := lookPath(name); err == nil {
			return p, "", false
		}
	}
	if ci != "" && ci != "false" {
		return "", "chromium is not installed and CI is set: install it (apt-get install -y chromium, as .ci/run does)", true
	}
	return "", "chromium is not installed (apt-get install -y chromium); this test fails instead of skipping when CI=true", false
}

// artifactsDir is where screenshots are saved: $CHANCONF_TEST_ARTIFACTS when set, else a
// temporary directory. Never the repository.
func artifactsDir(t *testing.T) string {
	t.Helper()
	//codecheck:allow getenv CI chooses where the screenshot artefacts go
	dir := os.Getenv(envArtifacts)
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("create %s: %v", dir, err)
	}
	return dir
}

// newBrowser starts headless chromium for the test's lifetime (at most a minute) and returns
// the context its pages are opened from.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromiumPath(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.WindowSize(screenWidth, screenHeight))
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium (%s): %v", path, err)
	}
	return bctx
}

// pageFacts is what the page shows on its first screen, measured in the browser (CSS pixels
// from the top of the page, the page not scrolled).
type pageFacts struct {
	Verdict       string  `json:"verdict"`
	VerdictBottom float64 `json:"verdictBottom"`
	// FirstFailure is the ID of the first failure of the failures section and FailureBottom
	// the bottom of its summary line (-1 when there is none or it is not displayed).
	FirstFailure  string  `json:"firstFailure"`
	FailureBottom float64 `json:"failureBottom"`
	// Linked are the IDs the top of the page links ("#problem-ID"), Dangling the in-page links
	// (anywhere in the page) whose target is not in the page.
	Linked   []string `json:"linked"`
	Dangling []string `json:"dangling"`
}

// factsScript measures pageFacts. An element counts only when it is rendered (a box, not
// hidden) so that a verdict moved out of sight or made invisible is not "visible".
const factsScript = `(() => {
  const shown = e => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden";
  const bottom = e => shown(e) ? e.getBoundingClientRect().bottom + window.scrollY : -1;
  const v = document.getElementById("verdict");
  const f = document.querySelector("#failures details.problem");
  const links = [...document.querySelectorAll('#index a[href^="#"]')].map(a => a.getAttribute("href").slice(1));
  return {
    verdict: v ? v.textContent.trim() : "",
    verdictBottom: bottom(v),
    firstFailure: f ? f.id.replace(/^problem-/, "") : "",
    failureBottom: f ? bottom(f.querySelector("summary")) : -1,
    linked: links.filter(id => id.startsWith("problem-")).map(id => id.slice("problem-".length)),
    dangling: [...document.querySelectorAll('a[href^="#"]')].map(a => a.getAttribute("href").slice(1))
      .filter(id => !document.getElementById(id)),
  };
})()`

// consoleEnd is logged by the test after the page loaded: the console collector stops there,
// having seen every message the page wrote before.
const consoleEnd = "chanconf-browsertest-end"

// loadPage opens the HTML file in a new tab of a screenWidth x screenHeight viewport and
// returns its facts, the errors its console logged (console.error, uncaught exceptions, browser
// log errors such as a failed load) and a screenshot of the first screen.
func loadPage(t *testing.T, browser context.Context, file string) (pageFacts, []string, []byte) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(screenWidth, screenHeight)); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	messages := chromedp.Console(ctx)
	collected := make(chan []string, 1)
	go func() {
		var errs []string
		for m, err := range messages {
			if err != nil || (m.Type == chromedp.ConsoleDebug && m.Text == consoleEnd) {
				break
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				errs = append(errs, m.String())
			}
		}
		collected <- errs
	}()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file)); err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	facts, err := chromedp.Run(ctx, chromedp.Evaluate[pageFacts](factsScript))
	if err != nil {
		t.Fatalf("measure %s: %v", file, err)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", file, err)
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("console.debug(%q)", consoleEnd))); err != nil {
		t.Fatalf("end the console of %s: %v", file, err)
	}
	select {
	case errs := <-collected:
		return facts, errs, shot
	case <-time.After(10 * time.Second):
		t.Fatalf("the console of %s did not reach its end marker", file)
	}
	return facts, nil, nil
}

// pdfPage matches a page object of a PDF ("/Type /Page", not "/Type /Pages"); chromium writes
// them uncompressed.
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

// printPages prints the HTML file as chromium's print preview would (the page's own @page size
// and margins, no header or footer) and returns the number of pages and the PDF.
func printPages(t *testing.T, browser context.Context, file string) (int, []byte) {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file)); err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPreferCSSPageSize()))
	if err != nil {
		t.Fatalf("print %s: %v", file, err)
	}
	return len(pdfPage.FindAll(pdf, -1)), pdf
}

// saveScreenshot writes a PNG into the artefacts directory and logs where.
func saveScreenshot(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	path := saveArtifact(t, dir, name+".png", png)
	t.Logf("screenshot of the first %dx%d px: %s", screenWidth, screenHeight, path)
}

// saveArtifact writes data as name (slashes made underscores) into dir and returns its path.
func saveArtifact(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(dir, strings.ReplaceAll(name, "/", "_"))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatalf("save %s: %v", path, err)
	}
	return path
}
