package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
)

func writeHTML(t *testing.T, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestWriteHTMLContent(t *testing.T) {
	out := writeHTML(t, sampleReport())
	tests := []struct {
		name string
		want string
	}{
		{"verdict big and coloured", `<div class="verdict nonconformant" id="verdict">NONCONFORMANT</div>`},
		{"certifiable decision", `<b>Certifiable: no</b>`},
		{"certifiable reasons", `<li title="waivers were applied (waivers.yaml)">waivers were applied (waivers.yaml)</li>`},
		{"failure linked from the top", `<a class="fail" href="#problem-FUN-SES-002" title="A session is bound to its device">FUN-SES-002</a>`},
		{"cause linked from the top", `<a class="error" href="#cause-1">cause 1: 1 case</a>`},
		{"cause with its fix", "Fix: nothing listens at that address"},
		{"rule linked from the top", `<a class="fail" href="#observation-CAI-11.4"`},
		{"rule once with its owner", `<b>CAI-11.4</b> broken in 3 exchanges, seen by the contract check; reported by <a href="#problem-`},
		{"failure grouped by clause", `<div class="clause" id="clause-CAI-4.2">`},
		{"evidence collapsible", `<details class="problem fail" id="problem-FUN-SES-002">`},
		{"target", "https://127.0.0.1:8443 (channel CH0001, Test Bank)"},
		{"pack digest", "essc-cai 1.0.0 <code>sha256:" + strings.Repeat("ab", 32) + "</code>"},
		{"tool", "chanconf 1.2.3 (abc1234, go1.26.8)"},
		{"seed", "<td>Seed</td><td>42 (concurrency 4)</td>"},
		{"filters", "waivers: waivers.yaml"},
		{"times", "2026-03-01T08:00:00.123Z — 2026-03-01T08:00:12.468Z"},
		{"area table", `<tr><td>functional/sessions</td><td class="n">2</td><td class="n">1</td>`},
		{"clause matrix row of a failed clause", `<tr><td>CAI-4.2</td><td class="n">1</td><td class="n">1</td>`},
		{"passed clause compact", `<span title="1 case">CAI-4.1<small>×1</small></span>`},
		{"skipped clause compact", `<span class="skip" title="1 case">CAI-6.1<small>×1</small></span>`},
		{"failed check expected vs actual", "<td>status</td><td>[401]</td><td>200</td>"},
		{"failed exchange request line", "GET https://127.0.0.1:8443/v1/cards?holder=me&amp;x=a%20b HTTP/1.1"},
		{"failed exchange response", "HTTP/1.1 200 OK"},
		{"exchange error", "no response: dial tcp 127.0.0.1:8443: connect: connection refused"},
		{"escaped planted script", "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;"},
		{"rerun", "chanconf run --focus &#39;^FUN-SES-002$&#39;"},
		{"other reasons", "<li>1 failures waived by waivers.yaml: SEC-GQL-002</li>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(out, tt.want) {
				t.Errorf("HTML lacks %s", tt.want)
			}
		})
	}
	for _, c := range sampleReport().Cases {
		if !strings.Contains(out, `id="case-`+c.ID+`"`) {
			t.Errorf("HTML lacks case %s", c.ID)
		}
	}
}

func TestWriteHTMLSafety(t *testing.T) {
	out := writeHTML(t, sampleReport())
	for _, bad := range []string{plantedScript, "<script", "http://", "src=", "<link", "@import"} {
		if strings.Contains(out, bad) {
			t.Errorf("HTML contains %q: not escaped or not self-contained", bad)
		}
	}
}

func TestWriteHTMLFailuresFirst(t *testing.T) {
	out := writeHTML(t, sampleReport())
	// The index links every problem from the top; then FAILs by clause (natural order), the
	// environment problems, the warnings and waived failures by clause, the matrix, every case.
	order := []string{`id="verdict"`, `id="certifiable"`, `href="#problem-SEC-TOK-001"`, `href="#problem-FUN-SES-002"`,
		`href="#cause-1"`, `href="#problem-SEC-HDR-003"`, `href="#problem-SEC-GQL-002"`, `</header>`,
		`id="problem-SEC-TOK-001"`, `id="problem-FUN-SES-002"`, `id="cause-1"`, `id="problem-FUN-CRD-001"`,
		`id="problem-SEC-HDR-003"`, `id="problem-SEC-GQL-002"`, `id="matrix"`, "<h2>All cases</h2>", `id="run"`}
	last := -1
	for _, s := range order {
		i := strings.Index(out, s)
		if i < 0 || i < last {
			t.Fatalf("%s is missing or out of order (at %d, previous at %d)", s, i, last)
		}
		last = i
	}
	if strings.Contains(out, `id="problem-FUN-SES-001"`) || strings.Contains(out, `id="problem-FUN-QR-009"`) {
		t.Error("a PASS or SKIP case is listed among the failures")
	}
	if strings.Contains(out, "<tr><td>CAI-4.1</td>") {
		t.Error("the matrix expands a clause that passed")
	}
	if strings.Contains(out, "<li>FUN-SES-002 (CAI-4.2) failed</li>") {
		t.Error("the failed cases are listed twice at the top (reasons and index)")
	}
	// Only the exchange of the failed step is shown for FUN-SES-002.
	problem := out[strings.Index(out, `id="problem-FUN-SES-002"`):strings.Index(out, `id="cause-1"`)]
	if !strings.Contains(problem, "Exchange FUN-SES-002#2") || strings.Contains(problem, "Exchange FUN-SES-002#1") {
		t.Error("the failures section should show the exchanges of the failed step only")
	}
}

// TestWriteHTMLCauseOnce: 60 cases stopped by one refusal show its message once in the page,
// not once per case.
func TestWriteHTMLCauseOnce(t *testing.T) {
	r := &Report{Target: Target{Profiles: []string{"rest"}}}
	for i := range 60 {
		r.Cases = append(r.Cases, Case{ID: fmt.Sprintf("FUN-X-%03d", i), Level: LevelMust, Profile: "rest", State: Error,
			Clauses: []string{"CAI-1.1"}, Message: fmt.Sprintf("step %d: GET https://h:1/p%d: connect: connection refused", i%3+1, i)})
	}
	Judge(r)
	out := writeHTML(t, r)
	if n := strings.Count(out, "connection refused"); n > 4 {
		t.Errorf("the page says connection refused %d times, want it in the cause (its key, its first case summary and message) and the verdict's reason", n)
	}
	if !strings.Contains(out, "cause 1: 60 cases") {
		t.Error("the page lacks the cause with its count")
	}
}

func TestFailedExchanges(t *testing.T) {
	byID := exchangesByID([]Exchange{{ID: "a", Step: 1}, {ID: "b", Step: 2}, {ID: "c", Step: 3, Error: "timeout"}})
	ev := []string{"a", "b", "c", "missing"}
	tests := []struct {
		name   string
		checks []Check
		want   string
	}{
		{"failed step and errored", []Check{{Step: 2, Outcome: Failed}, {Step: 1, Outcome: Passed}}, "b c"},
		{"no step named: all", []Check{{Outcome: Failed}}, "a b c"},
		{"no failed check: all", nil, "a b c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, x := range failedExchanges(Case{Checks: tt.checks, Evidence: ev}, byID) {
				got = append(got, x.ID)
			}
			if strings.Join(got, " ") != tt.want {
				t.Errorf("got %v, want %s", got, tt.want)
			}
		})
	}
}

func TestWriteHTMLGolden(t *testing.T) {
	goldenFile(t, "report.html", []byte(writeHTML(t, sampleReport())))
}

func TestWriteHTMLCertifiable(t *testing.T) {
	tests := []struct {
		name string
		e    *Eligibility
		want string
	}{
		{"yes", &Eligibility{Certifiable: true}, `<div class="cert yes" id="certifiable">` + "\n<b>Certifiable: yes</b>\n" +
			`<div class="muted">This run can back a certificate.</div>`},
		{"no with reasons", &Eligibility{Reasons: []string{"no bundle"}}, `<div class="cert no" id="certifiable">` +
			"\n<b>Certifiable: no</b>\n<ul>\n" + `<li title="no bundle">no bundle</li>`},
		{"not decided", nil, `<b>Certifiable: not decided</b>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := sampleReport()
			r.Eligibility = tt.e
			if out := writeHTML(t, r); !strings.Contains(out, tt.want) {
				t.Errorf("HTML lacks %q", tt.want)
			}
		})
	}
}
