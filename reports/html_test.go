package reports

import (
	"bytes"
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
		{"verdict big and coloured", `<span class="verdict nonconformant">NONCONFORMANT</span>`},
		{"target", "https://127.0.0.1:8443 (channel CH0001, Test Bank)"},
		{"pack digest", "essc-cai 1.0.0 <code>sha256:" + strings.Repeat("ab", 32) + "</code>"},
		{"tool", "chanconf 1.2.3 (abc1234, go1.26.8)"},
		{"seed", "<td>Seed</td><td>42 (concurrency 4)</td>"},
		{"filters", "waivers: waivers.yaml"},
		{"times", "2026-03-01T08:00:00.123Z — 2026-03-01T08:00:12.468Z"},
		{"area table", `<tr><td>functional/sessions</td><td class="n">2</td><td class="n">1</td>`},
		{"clause table", `<tr><td>CAI-4.2</td><td class="n">1</td><td class="n">1</td>`},
		{"failed check expected vs actual", "<td>status</td><td>[401]</td><td>200</td>"},
		{"failed exchange request line", "GET https://127.0.0.1:8443/v1/cards?holder=me&amp;x=a%20b HTTP/1.1"},
		{"failed exchange response", "HTTP/1.1 200 OK"},
		{"exchange error", "no response: dial tcp 127.0.0.1:8443: connect: connection refused"},
		{"escaped planted script", "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;"},
		{"rerun", "chanconf run --focus &#39;^FUN-SES-002$&#39;"},
		{"reasons", "<li>FUN-SES-002 (CAI-4.2) failed</li>"},
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
	order := []string{`id="problem-FUN-SES-002"`, `id="problem-SEC-TOK-001"`, `id="problem-FUN-CRD-001"`,
		`id="problem-SEC-HDR-003"`, `id="problem-SEC-GQL-002"`, "<h2>All cases</h2>"}
	last := -1
	for _, s := range order {
		i := strings.Index(out, s)
		if i < last {
			t.Errorf("%s is out of order (at %d, previous at %d)", s, i, last)
		}
		last = i
	}
	if strings.Contains(out, `id="problem-FUN-SES-001"`) || strings.Contains(out, `id="problem-FUN-QR-009"`) {
		t.Error("a PASS or SKIP case is listed among the failures")
	}
	// Only the exchange of the failed step is shown for FUN-SES-002.
	problem := out[strings.Index(out, `id="problem-FUN-SES-002"`):strings.Index(out, `id="problem-SEC-TOK-001"`)]
	if !strings.Contains(problem, "Exchange FUN-SES-002#2") || strings.Contains(problem, "Exchange FUN-SES-002#1") {
		t.Error("the failures section should show the exchanges of the failed step only")
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
