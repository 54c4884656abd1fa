// Package browsertest tests report.html in a real browser: Debian's chromium, driven by
// github.com/chromedp/chromedp. It loads the reports of a conformant and a nonconformant run of
// the reference channel (written by the real writer) and checks what a reviewer sees on the
// first screen: the verdict, the first failure, a link to every failing case, and a console
// without errors. It holds tests only; .ci/run installs chromium, and the tests fail rather
// than skip when CI is set and chromium is missing.
package browsertest
