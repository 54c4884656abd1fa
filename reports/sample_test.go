package reports

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain registers -update (rewrite the goldens under testdata) without a package-level flag
// variable; goldenFile looks it up.
func TestMain(m *testing.M) {
	flag.Bool("update", false, "rewrite the golden files under testdata")
	m.Run()
}

// plantedSecret is a session token the engine would have redacted; it must appear in no output.
const plantedSecret = "sess-7f3a9c-SECRET-do-not-leak"

// plantedScript is markup in a response body that the HTML writer must escape.
const plantedScript = `<script>alert("pwned")</script>`

// t0 is the sample run's start, fixed so outputs are comparable with goldens.
const t0Unix = 1772352000

func startTime() time.Time { return time.Unix(t0Unix, 123_000_000).UTC() }

// sampleReport builds a small report with one case in every state, fixed times, exchanges with
// a planted script and a redacted session token, judged.
func sampleReport() *Report {
	t0 := startTime()
	r := &Report{
		SchemaVersion: SchemaVersion,
		Tool:          Tool{Name: "chanconf", Version: "1.2.3", Revision: "abc1234", GoVersion: "go1.26.8"},
		Pack:          PackRef{Name: "essc-cai", Version: "1.0.0", SHA256: strings.Repeat("ab", 32)},
		Target: Target{BaseURL: "https://127.0.0.1:8443", ChannelNo: "CH0001", Name: "Test Bank", Profiles: []string{"rest"},
			Reference: true, Faults: []string{"device-binding-ignored", "cors-wildcard"}},
		Filters:     Filters{Waivers: "waivers.yaml"},
		Seed:        42,
		Concurrency: 4,
		StartedAt:   t0,
		FinishedAt:  t0.Add(12*time.Second + 345*time.Millisecond),
		Eligibility: &Eligibility{Certifiable: false, Reasons: []string{"waivers were applied (waivers.yaml)"}},
		Cases:       sampleCases(),
		Observations: []Observation{{Clause: "CAI-11.4", Checks: []string{"contract"}, Count: 3,
			ExchangeIDs: []string{"FUN-SES-001#1.1", "FUN-SES-002#1.1", "FUN-SES-002#2.1"},
			Example:     "response header Server: \"refchannel/1.0 (Go)\" names a product", Owner: "SEC-HDR-003"}},
		Exchanges: sampleExchanges(),
	}
	Judge(r)
	return r
}

func sampleCases() Cases {
	passed := []Check{{Name: "status", Step: 1, StepName: "create session", Outcome: Passed, Expected: "[201]", Actual: "201"},
		{Name: "contract", Step: 1, StepName: "create session", Outcome: Observed, Expected: "a response the contract documents",
			Actual: "response header Server names a product", Clause: "CAI-11.4"}}
	return Cases{
		{ID: "FUN-SES-002", Title: "A session is bound to its device", Clauses: []string{"CAI-4.2"}, Level: "MUST",
			Suite: "functional", Area: "sessions", Labels: []string{"sessions"}, Profile: "rest",
			Source: "cases/functional/sessions.yaml:40", State: Fail, DurationMs: 250,
			Message: "step 2 \"read from another device\": status: expected [401], actual 200\nclause CAI-4.2",
			Checks: append(append([]Check{}, passed...), Check{Name: "status", Step: 2, StepName: "read from another device",
				Outcome: Failed, Expected: "[401]", Actual: "200"}),
			Evidence: []string{"FUN-SES-002#1", "FUN-SES-002#2"}, Rerun: "chanconf run --focus '^FUN-SES-002$'"},
		{ID: "FUN-SES-001", Title: "A session is created", Clauses: []string{"CAI-4.1", "CAI-4.3"}, Level: "MUST",
			Suite: "functional", Area: "sessions", Labels: []string{"smoke", "sessions"}, Profile: "rest",
			Source: "cases/functional/sessions.yaml:1", State: Pass, DurationMs: 120, Checks: passed,
			Evidence: []string{"FUN-SES-001#1"}, Rerun: "chanconf run --focus '^FUN-SES-001$'"},
		{ID: "SEC-HDR-003", Title: "No server version header", Clauses: []string{"CAI-11.4"}, Level: "SHOULD",
			Suite: "security", Area: "headers", Profile: "any", OWASP: "API8:2023", CWE: "CWE-200",
			Source: "cases/security/headers.yaml:41", State: Warn, DurationMs: 30,
			Message: "header Server: expected absent, actual \"refchannel/1.0 (Go)\"",
			Checks:  []Check{{Name: "header", Step: 1, Outcome: Failed, Expected: "absent", Actual: "refchannel/1.0 (Go)"}},
			Rerun:   "chanconf run --focus '^SEC-HDR-003$'"},
		{ID: "SEC-TOK-001", Title: "Token signatures are verified", Clauses: []string{"CAI-3.1"}, Level: "MUST",
			Suite: "security", Area: "tokens", Profile: "rest", OWASP: "API2:2023", CWE: "CWE-347",
			Source: "cases/security/tokens.yaml:12:5", State: Fail, DurationMs: 80,
			Message: "a token with a forged signature was accepted",
			Checks: []Check{{Name: "code", Step: 1, StepName: "forged token", Outcome: Failed, Expected: "TOKEN_SIGNATURE_INVALID",
				Actual: "(none, status 201)"}},
			Rerun: "chanconf run --focus '^SEC-TOK-001$'"},
		{ID: "FUN-QR-009", Title: "QR over GraphQL", Clauses: []string{"CAI-6.1"}, Level: "MUST",
			Suite: "functional", Area: "qr", Profile: "graphql", Source: "cases/functional/qr.yaml:200", State: Skip,
			Message: "profile graphql not declared"},
		{ID: "FUN-CRD-001", Title: "A card is applied for", Clauses: []string{"CAI-5.1"}, Level: "MUST",
			Suite: "functional", Area: "cards", Profile: "rest", Source: "cases/functional/cards.yaml:3", State: Error,
			DurationMs: 5000, Message: "connect: connection refused",
			Checks:   []Check{{Name: "status", Step: 1, Outcome: NotChecked, Detail: "no response: connection refused"}},
			Evidence: []string{"FUN-CRD-001#1"}},
		{ID: "SEC-GQL-002", Title: "Introspection is disabled", Clauses: []string{"CAI-12.3"}, Level: "MUST",
			Suite: "security", Area: "graphql", Profile: "any", Source: "cases/security/graphql.yaml:9", State: Waived,
			Message: "introspection answered (waiver W-7 until 2026-06-30)",
			Checks:  []Check{{Name: "json", Step: 1, Outcome: Failed, Expected: "absent", Actual: "object"}}},
	}
}

func sampleExchanges() []Exchange {
	t0 := startTime()
	hdr := func(kv ...string) []Header {
		var hs []Header
		for i := 0; i+1 < len(kv); i += 2 {
			hs = append(hs, Header{Name: kv[i], Value: kv[i+1]})
		}
		return hs
	}
	return []Exchange{
		{ID: "FUN-SES-002#2", CaseID: "FUN-SES-002", Step: 2, StartedAt: t0.Add(2 * time.Second), DurationMs: 12.5,
			Request: Request{Method: "GET", URL: "https://127.0.0.1:8443/v1/cards?holder=me&x=a%20b", HTTPVersion: "HTTP/1.1",
				Headers: hdr("Authorization", "Bearer [REDACTED]", "X-CAI-Device-Id", "dev-other")},
			Response: Response{Status: 200, StatusText: "OK", HTTPVersion: "HTTP/1.1",
				Headers: hdr("Content-Type", "application/json"), Body: `{"note":"` + plantedScript + `"}`}},
		{ID: "FUN-SES-002#1", CaseID: "FUN-SES-002", Step: 1, StartedAt: t0.Add(time.Second), DurationMs: 20,
			Request: Request{Method: "POST", URL: "https://127.0.0.1:8443/v1/sessions", HTTPVersion: "HTTP/1.1",
				Headers: hdr("Content-Type", "application/json"), Body: `{"realNameToken":"[REDACTED]","deviceId":"dev-1"}`},
			Response: Response{Status: 201, StatusText: "Created", HTTPVersion: "HTTP/1.1",
				Headers: hdr("Content-Type", "application/json"), Body: `{"sessionToken":"[REDACTED]"}`, Truncated: true}},
		{ID: "FUN-SES-001#1", CaseID: "FUN-SES-001", Step: 1, StartedAt: t0.Add(time.Second), DurationMs: 8,
			Request:  Request{Method: "POST", URL: "https://127.0.0.1:8443/v1/sessions", HTTPVersion: "HTTP/1.1"},
			Response: Response{Status: 201, StatusText: "Created", HTTPVersion: "HTTP/1.1"}},
		{ID: "FUN-CRD-001#1", CaseID: "FUN-CRD-001", Step: 1, StartedAt: t0.Add(3 * time.Second), DurationMs: 5000,
			Request: Request{Method: "POST", URL: "https://127.0.0.1:8443/v1/cards", HTTPVersion: "HTTP/1.1"},
			Error:   "dial tcp 127.0.0.1:8443: connect: connection refused"},
	}
}

// unredacted returns the sample with the planted secret where the engine would have redacted
// it: the negative control showing that the writers do render headers and bodies, so a secret
// that reached them would leak and the absence checks mean something.
func unredacted() *Report {
	r := sampleReport()
	for i := range r.Exchanges {
		for j := range r.Exchanges[i].Request.Headers {
			h := &r.Exchanges[i].Request.Headers[j]
			h.Value = strings.ReplaceAll(h.Value, "[REDACTED]", plantedSecret)
		}
		r.Exchanges[i].Response.Body = strings.ReplaceAll(r.Exchanges[i].Response.Body, "[REDACTED]", plantedSecret)
	}
	for i := range r.Cases {
		r.Cases[i].Message += " (session " + plantedSecret + ")"
	}
	return r
}

// goldenFile compares got with testdata/name, rewriting it under -update.
func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if flag.Lookup("update").Value.String() == "true" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden (run go test -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./reports -run %s -update to accept):\n%s",
			path, t.Name(), firstDiff(string(want), string(got)))
	}
}

// firstDiff shows the first differing line of two texts.
func firstDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\nwant: " + w + "\ngot:  " + g
		}
	}
	return "(identical lines, different bytes)"
}
