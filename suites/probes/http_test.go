package probes

import (
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
)

func TestPlainHTTP(t *testing.T) {
	jsonUp := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"UP"}`)
	})
	redirect := func(location, body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Location", location)
			w.WriteHeader(http.StatusMovedPermanently)
			_, _ = io.WriteString(w, body)
		})
	}
	const expected = "no API data over plain HTTP (refused, an error status, or a redirect to https without a JSON body)"
	tests := []struct {
		name    string
		base    func(t *testing.T) string
		failing int
	}{
		{name: "TLS server answers 400", base: func(t *testing.T) string { return tlsServer(t, nil).String() }},
		{name: "connection closed", base: func(t *testing.T) string { return closingServer(t).String() }},
		{name: "API served over plain HTTP", base: func(t *testing.T) string { return plainServer(t, jsonUp).String() }, failing: 2},
		{name: "redirect to https", base: func(t *testing.T) string {
			return plainServer(t, redirect("https://127.0.0.1/cai/v1/health", "<a>moved</a>")).String()
		}},
		{name: "redirect to http", base: func(t *testing.T) string {
			return plainServer(t, redirect("http://127.0.0.1/cai/v1/health", "")).String()
		}, failing: 2},
		{name: "redirect with a JSON body", base: func(t *testing.T) string {
			return plainServer(t, redirect("https://127.0.0.1/cai/v1/health", `{"status":"UP"}`)).String()
		}, failing: 2},
		{name: "error status", base: func(t *testing.T) string {
			return plainServer(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				http.Error(w, "use https", http.StatusForbidden)
			})).String()
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := newDoer(nil)
			base := mustURL(t, tt.base(t))
			res, err := run(t, plainHTTP{}, engine.ProbeEnv{BaseURL: base, Do: d.do}, "timeout: 3s")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Checks) != 2 {
				t.Fatalf("got %d checks, want 2 (one per default path)", len(res.Checks))
			}
			if got := len(failed(res.Checks)); got != tt.failing {
				t.Errorf("%d failed checks, want %d: %+v", got, tt.failing, res.Checks)
			}
			for _, c := range res.Checks {
				if c.Expected != expected || c.Actual == "" {
					t.Errorf("check %+v: want expected %q and an actual value", c, expected)
				}
			}
			for _, s := range d.sent {
				if !strings.HasPrefix(s.url, "http://") || s.opt.Mode != "none" {
					t.Errorf("sent %s %s with sign mode %q; want plain http, unsigned", s.method, s.url, s.opt.Mode)
				}
			}
		})
	}
	t.Run("nothing listening is an environment error", func(t *testing.T) {
		d := newDoer(nil)
		if _, err := run(t, plainHTTP{}, engine.ProbeEnv{BaseURL: deadURL(t), Do: d.do}, ""); err == nil {
			t.Fatal("no error")
		}
	})
	t.Run("paths parameter", func(t *testing.T) {
		d := newDoer(nil)
		base := plainServer(t, jsonUp)
		res, err := run(t, plainHTTP{}, engine.ProbeEnv{BaseURL: base, Do: d.do}, "paths: [/cards/x]")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Checks) != 1 || len(d.sent) != 1 || !strings.HasSuffix(d.sent[0].url, "/cai/v1/cards/x") {
			t.Fatalf("checks %+v, sent %+v", res.Checks, d.sent)
		}
	})
}

func TestHSTS(t *testing.T) {
	server := func(values map[string]string) *engine.ProbeEnv {
		h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if v, ok := values[r.URL.Path]; ok {
				w.Header().Set("Strict-Transport-Security", v)
			}
			w.WriteHeader(http.StatusNotFound)
		})
		d := newDoer(nil)
		base := plainServer(t, h)
		base.Scheme = "http"
		return &engine.ProbeEnv{BaseURL: base, Do: d.do}
	}
	good := "max-age=31536000; includeSubDomains"
	all := func(v string) map[string]string {
		return map[string]string{"/cai/v1/health": v, "/cai/v1/authorizations": v, "/cai/v1/no-such-path": v, "/cai/v1/sessions": v}
	}
	tests := []struct {
		name    string
		values  map[string]string
		with    string
		failing []string // actual values of the failed checks
	}{
		{name: "every response", values: all(good)},
		{name: "quoted, upper case, longer", values: all(`MAX-AGE="63072000"; preload`)},
		{name: "missing on the undeclared path",
			values:  map[string]string{"/cai/v1/health": good, "/cai/v1/authorizations": good, "/cai/v1/sessions": good},
			failing: []string{"absent"}},
		{name: "too short", values: all("max-age=86400"), with: "requests: [{method: GET, path: /health, signed: false}]",
			failing: []string{`"max-age=86400" (max-age 86400)`}},
		{name: "lower minimum", values: all("max-age=86400"), with: "minMaxAge: 86400\nrequests: [{method: GET, path: /health}]"},
		{name: "no max-age", values: all("includeSubDomains"), with: "requests: [{method: GET, path: /health}]",
			failing: []string{`"includeSubDomains" has no valid max-age`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := server(tt.values)
			res, err := run(t, hsts{}, *env, tt.with)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range res.Checks {
				if c.Outcome == reports.Failed {
					got = append(got, c.Actual)
				}
			}
			if !slices.Equal(got, tt.failing) {
				t.Errorf("failed actuals = %q, want %q", got, tt.failing)
			}
		})
	}
	t.Run("default sample signs all but the health check", func(t *testing.T) {
		d := newDoer(nil)
		base := plainServer(t, http.NotFoundHandler())
		base.Scheme = "http"
		if _, err := run(t, hsts{}, engine.ProbeEnv{BaseURL: base, Do: d.do}, ""); err != nil {
			t.Fatal(err)
		}
		var modes []string
		for _, s := range d.sent {
			modes = append(modes, s.method+" "+strings.TrimPrefix(s.url, base.String())+" "+s.opt.Mode)
		}
		want := []string{"GET /health none", "GET /authorizations ", "GET /no-such-path ", "POST /sessions "}
		if !slices.Equal(modes, want) {
			t.Errorf("sent %q, want %q", modes, want)
		}
	})
	t.Run("unreachable is an environment error", func(t *testing.T) {
		d := newDoer(nil)
		if _, err := run(t, hsts{}, engine.ProbeEnv{BaseURL: deadURL(t), Do: d.do}, ""); err == nil {
			t.Fatal("no error")
		}
	})
}

func TestMaxAge(t *testing.T) {
	tests := []struct {
		in   string
		want int64
		ok   bool
	}{
		{"max-age=31536000", 31536000, true},
		{"max-age=31536000; includeSubDomains", 31536000, true},
		{" includeSubDomains ; Max-Age = \"10\" ", 10, true},
		{"max-age=0", 0, true},
		{"max-age=", 0, false},
		{"max-age", 0, false},
		{"max-age=-1", 0, false},
		{"max-age=+5", 0, false},
		{"max-age=1e9", 0, false},
		{"max-age=1; max-age=2", 0, false},
		{"maxage=100", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		got, ok := maxAge(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("maxAge(%q) = %d, %v; want %d, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestForbiddenHeaders(t *testing.T) {
	const with = `
headers: {Origin: "https://attacker.example"}
requests: [{method: GET, path: /health, signed: false}, {method: OPTIONS, path: /cards}]
forbid:
  - {name: Server, matches: '(?i)[0-9]|/|\bgo\b'}
  - {name: Access-Control-Allow-Origin, matches: '^(\*|https://attacker\.example)$'}
`
	tests := []struct {
		name    string
		set     func(w http.ResponseWriter, r *http.Request)
		failing []string // actual values of failed checks
	}{
		{name: "no such headers", set: func(http.ResponseWriter, *http.Request) {}},
		{name: "neutral server, configured origin", set: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Server", "cai")
			w.Header().Set("Access-Control-Allow-Origin", "https://portal.example")
		}},
		{name: "server version", set: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Server", "refchannel/1.0 (Go)")
		}, failing: []string{`"refchannel/1.0 (Go)"`, `"refchannel/1.0 (Go)"`}},
		{name: "wildcard CORS", set: func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Access-Control-Allow-Origin", "*")
		}, failing: []string{`"*"`, `"*"`}},
		{name: "reflected origin on the preflight only", set: func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodOptions {
				w.Header().Set("Access-Control-Allow-Origin", r.Header.Get("Origin"))
			}
		}, failing: []string{`"https://attacker.example"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := plainServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				tt.set(w, r)
				w.WriteHeader(http.StatusNotFound)
			}))
			base.Scheme = "http"
			d := newDoer(nil)
			res, err := run(t, forbiddenHeaders{}, engine.ProbeEnv{BaseURL: base, Do: d.do}, with)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Checks) != 4 {
				t.Fatalf("got %d checks, want 4 (2 requests x 2 rules)", len(res.Checks))
			}
			var got []string
			for _, c := range res.Checks {
				if c.Outcome == reports.Failed {
					got = append(got, c.Actual)
				}
			}
			if !slices.Equal(got, tt.failing) {
				t.Errorf("failed actuals = %q, want %q", got, tt.failing)
			}
			if len(d.sent) != 2 || d.sent[0].opt.Mode != "none" || d.sent[1].opt.Mode != "" {
				t.Errorf("sent %+v", d.sent)
			}
		})
	}
}
