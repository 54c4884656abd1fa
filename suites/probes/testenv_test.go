package probes

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"go.yaml.in/yaml/v3"
)

// node parses a YAML mapping for a probe's `with:` ("" gives the zero node).
func node(t *testing.T, src string) *yaml.Node {
	t.Helper()
	if src == "" {
		return &yaml.Node{}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("parsing %q: %v", src, err)
	}
	return doc.Content[0]
}

// tlsServer starts an HTTPS server on 127.0.0.1 with cfg (httptest's RSA certificate when cfg
// has none) answering 200 {"status":"UP"}, and returns its base URL.
func tlsServer(t *testing.T, cfg *tls.Config) *url.URL {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"status":"UP"}`)
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.TLS = cfg
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return mustURL(t, srv.URL+"/cai/v1")
}

// plainServer starts a plain-HTTP server with handler and returns its base URL as https (the
// probes derive http from it).
func plainServer(t *testing.T, h http.Handler) *url.URL {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return mustURL(t, strings.Replace(srv.URL, "http://", "https://", 1)+"/cai/v1")
}

// closingServer accepts TCP connections and closes them at once, and returns its base URL.
func closingServer(t *testing.T) *url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.Close()
		}
	}()
	t.Cleanup(func() { _ = ln.Close(); <-done })
	return mustURL(t, "https://"+ln.Addr().String()+"/cai/v1")
}

// deadURL is a loopback URL where nothing listens.
func deadURL(t *testing.T) *url.URL {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return mustURL(t, "https://"+addr+"/cai/v1")
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// sent is one request a test Do received.
type sent struct {
	method, url string
	opt         engine.SignOptions
}

// doer is a ProbeEnv.Do for tests: a plain client that never follows redirects and trusts
// roots; it records what it sent.
type doer struct {
	client *http.Client
	sent   []sent
}

func newDoer(roots *x509.CertPool) *doer {
	return &doer{client: &http.Client{
		Transport:     &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       5 * time.Second,
	}}
}

func (d *doer) do(ctx context.Context, req *http.Request, _ []byte, opt engine.SignOptions) (*engine.Response, error) {
	d.sent = append(d.sent, sent{method: req.Method, url: req.URL.String(), opt: opt})
	resp, err := d.client.Do(req.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	return &engine.Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// failed returns the Expected text of every failed check.
func failed(checks []reports.Check) []string {
	var out []string
	for _, c := range checks {
		if c.Outcome == reports.Failed {
			out = append(out, c.Expected)
		}
	}
	return out
}

// run runs probe p against env with parameters src.
func run(t *testing.T, p engine.Probe, env engine.ProbeEnv, src string) (engine.ProbeResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return p.Run(ctx, env, node(t, src))
}
