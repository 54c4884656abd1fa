package doctor

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cli/clitest"
)

// writeDeclaration writes d (changed by change) into a temporary file.
func writeDeclaration(t *testing.T, d *cai.Declaration, change func(*cai.Declaration)) string {
	t.Helper()
	c := *d
	if change != nil {
		change(&c)
	}
	data, err := c.Encode()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "declaration.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// statuses is "name=STATUS" for every check.
func statuses(r *Result) string {
	var parts []string
	for _, c := range r.Checks {
		parts = append(parts, c.Name+"="+c.Status.String())
	}
	return strings.Join(parts, " ")
}

func find(r *Result, name string) Check {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return Check{Name: name, Status: Skipped, Detail: "(absent)"}
}

const allOK = "declaration=OK certificate=OK dns=OK tcp=OK tls=OK health=OK clock=OK signed request=OK data key=OK"

func TestHealthyChannels(t *testing.T) {
	srv, decl := clitest.Reference(t, refchannel.Options{})
	tests := []struct {
		name string
		opts Options
	}{
		{"declared channel", Options{Target: srv.URL, DeclarationPath: decl}},
		{"base URL from the declaration", Options{DeclarationPath: decl}},
		{"embedded reference channel", Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Run(context.Background(), tt.opts)
			if got := statuses(r); got != allOK || !r.OK() {
				t.Fatalf("%s\n%s", got, text(t, r))
			}
			if !strings.Contains(find(r, CheckTLS).Detail, "trusted through the declared sandbox.tlsCA") {
				t.Errorf("tls detail %q", find(r, CheckTLS).Detail)
			}
		})
	}
}

func text(t *testing.T, r *Result) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// skewed serves the reference channel's API through a TLS server that rewrites the Date
// header with date() (nil: none at all), and returns a declaration of that server.
func skewed(t *testing.T, date func() []string) (url, declPath string) {
	t.Helper()
	srv, _ := clitest.Reference(t, refchannel.Options{})
	inner := srv.Handler()
	front := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header()["Date"] = date()
		inner.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	base := front.URL + "/cai/v1"
	ca := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: front.Certificate().Raw})
	return base, writeDeclaration(t, srv.Declaration(), func(d *cai.Declaration) {
		d.BaseURL = base
		d.Sandbox.TLSCA = string(ca)
	})
}

// TestBrokenSetups breaks one thing at a time and expects the check that finds it, its
// hint, and the dependent checks skipped.
func TestBrokenSetups(t *testing.T) {
	srv, decl := clitest.Reference(t, refchannel.Options{})
	d := srv.Declaration()
	otherCA, err := keys.NewTLS()
	if err != nil {
		t.Fatal(err)
	}
	ks, err := keys.Load()
	if err != nil {
		t.Fatal(err)
	}
	ks.Channel = ks.Attacker // signs with a key the declared certificate does not hold
	wrongKeySrv, wrongKeyDecl := clitest.Reference(t, refchannel.Options{Keys: ks})
	noDateURL, noDateDecl := skewed(t, func() []string { return nil })
	lateURL, lateDecl := skewed(t, func() []string { return []string{time.Now().Add(-10 * time.Minute).UTC().Format(http.TimeFormat)} })
	otherKey := strings.Repeat("ab", 16)
	otherKeyBytes, _ := hex.DecodeString(otherKey)
	otherKCV, err := cai.KeyCheckValue(otherKeyBytes)
	if err != nil {
		t.Fatal(err)
	}
	real, err := keys.Load()
	if err != nil {
		t.Fatal(err)
	}
	_, expiredPEM, err := keys.IssueChannelCert(real, d.ChannelNo, &real.Channel.PublicKey,
		time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	expired := string(expiredPEM)
	brokenDecl := filepath.Join(t.TempDir(), "d.yaml")
	data, _ := os.ReadFile(decl)
	if err := os.WriteFile(brokenDecl, bytes.Replace(data, []byte(`channelNo: "1000000001"`), []byte(`channelNo: "12AB"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		opts     Options
		statuses string
		check    string
		detail   string
		hint     string
		// clauses are the check's Clauses: a problem that is the channel breaking them is
		// not an environment problem (run leaves it to the pack's cases).
		clauses string
	}{
		{"invalid declaration", Options{Target: srv.URL, DeclarationPath: brokenDecl},
			"declaration=PROBLEM certificate=SKIPPED dns=SKIPPED tcp=SKIPPED tls=SKIPPED health=SKIPPED clock=SKIPPED signed request=SKIPPED data key=SKIPPED",
			CheckDeclaration, "channelNo: must be 10 digits", "STANDARD.md section 0", ""},
		{"name does not resolve", Options{Target: "https://sandbox.channel.invalid:8443/cai/v1", DeclarationPath: decl,
			Config: Config{LookupHost: func(context.Context, string) ([]string, error) { return nil, errors.New("no such host") }}},
			"declaration=OK certificate=OK dns=PROBLEM tcp=SKIPPED tls=SKIPPED health=SKIPPED clock=SKIPPED signed request=SKIPPED data key=SKIPPED",
			CheckDNS, "sandbox.channel.invalid does not resolve", "DNS or /etc/hosts", ""},
		{"closed port", Options{Target: "https://" + clitest.ClosedAddr(t) + "/cai/v1", DeclarationPath: decl},
			"declaration=OK certificate=OK dns=OK tcp=PROBLEM tls=SKIPPED health=SKIPPED clock=SKIPPED signed request=SKIPPED data key=SKIPPED",
			CheckTCP, "cannot connect", "nothing listens on 127.0.0.1:", ""},
		{"untrusted certificate", Options{Target: srv.URL, DeclarationPath: writeDeclaration(t, d, func(d *cai.Declaration) {
			d.Sandbox.TLSCA = string(otherCA.CAPEM)
		})}, "declaration=OK certificate=OK dns=OK tcp=OK tls=PROBLEM health=SKIPPED clock=SKIPPED signed request=SKIPPED data key=SKIPPED",
			CheckTLS, "certificate signed by unknown authority", "not issued by the CA in sandbox.tlsCA", "CAI-1.5"},
		{"publicly untrusted certificate", Options{Target: srv.URL, DeclarationPath: writeDeclaration(t, d, func(d *cai.Declaration) {
			d.Sandbox.TLSCA = ""
		})}, "declaration=OK certificate=OK dns=OK tcp=OK tls=PROBLEM health=SKIPPED clock=SKIPPED signed request=SKIPPED data key=SKIPPED",
			CheckTLS, "unknown authority", "put the PEM certificate of the CA that issued it in the declaration's sandbox.tlsCA", "CAI-1.5"},
		{"wrong key", Options{Target: wrongKeySrv.URL, DeclarationPath: wrongKeyDecl},
			"declaration=OK certificate=OK dns=OK tcp=OK tls=OK health=OK clock=OK signed request=PROBLEM data key=OK",
			CheckSigned, "response signature does not verify", "declare the certificate of the key the channel signs with", ""},
		{"another channel number", Options{Target: srv.URL, DeclarationPath: writeDeclaration(t, d, func(d *cai.Declaration) {
			d.ChannelNo = "1000000002"
		})}, "declaration=OK certificate=PROBLEM dns=OK tcp=OK tls=OK health=OK clock=OK signed request=PROBLEM data key=PROBLEM",
			CheckSigned, "answered 403 CHANNEL_MISMATCH", "the channel's own number is not 1000000002", ""},
		{"skewed Date header", Options{Target: lateURL, DeclarationPath: lateDecl},
			"declaration=OK certificate=OK dns=OK tcp=OK tls=OK health=OK clock=PROBLEM signed request=OK data key=OK",
			CheckClock, "apart (more than 5s)", "synchronise both clocks with NTP", ""},
		{"no Date header", Options{Target: noDateURL, DeclarationPath: noDateDecl},
			"declaration=OK certificate=OK dns=OK tcp=OK tls=OK health=OK clock=PROBLEM signed request=OK data key=OK",
			CheckClock, "carry no Date header", "send a Date header", "CAI-11.6"},
		// Issue 12 finding 3: a wrong data key (with its own, matching check value: the vendor
		// took both from the wrong record) passed doctor and then failed 89 cases with no hint.
		{"wrong data key", Options{Target: srv.URL, DeclarationPath: writeDeclaration(t, d, func(d *cai.Declaration) {
			d.Sandbox.DataKey, d.Sandbox.DataKeyCheck = otherKey, otherKCV
		})}, "declaration=OK certificate=OK dns=OK tcp=OK tls=OK health=OK clock=OK signed request=OK data key=PROBLEM",
			CheckDataKey, "answered 401 TOKEN_DECRYPT_FAILED", "the declared sandbox.dataKey is not the key the channel's sandbox uses", ""},
		// Issue 12 finding 3: an expired channel certificate was found only by SEC-MSG-011.
		{"expired certificate", Options{Target: srv.URL, DeclarationPath: writeDeclaration(t, d, func(d *cai.Declaration) {
			d.Certificate = expired
		})}, "declaration=OK certificate=PROBLEM dns=OK tcp=OK tls=OK health=OK clock=OK signed request=OK data key=OK",
			CheckCertificate, "certificate valid now: valid 2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z", "have the RA renew it", "CAI-2.7"},
		{"certificate not from the RA root", Options{Target: srv.URL, DeclarationPath: writeDeclaration(t, d, func(d *cai.Declaration) {
			d.RARoot = string(otherCA.CAPEM)
		})}, "declaration=OK certificate=PROBLEM dns=OK tcp=OK tls=OK health=OK clock=OK signed request=OK data key=OK",
			CheckCertificate, "certificate chains to the declared RA root", "not issued by the declared raRoot", "CAI-2.7"},
		{"local clock ahead", Options{Target: srv.URL, DeclarationPath: decl, Config: Config{Now: func() time.Time { return time.Now().Add(time.Hour) }}},
			"declaration=OK certificate=OK dns=OK tcp=OK tls=OK health=OK clock=PROBLEM signed request=PROBLEM data key=PROBLEM",
			CheckSigned, "TIMESTAMP_OUT_OF_WINDOW", "see the clock check", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Run(context.Background(), tt.opts)
			out := text(t, r)
			if got := statuses(r); got != tt.statuses {
				t.Fatalf("checks %s\nwant   %s\n%s", got, tt.statuses, out)
			}
			c := find(r, tt.check)
			if !strings.Contains(c.Detail, tt.detail) || !strings.Contains(c.Hint, tt.hint) {
				t.Errorf("%s: detail %q hint %q, want %q and %q", tt.check, c.Detail, c.Hint, tt.detail, tt.hint)
			}
			if got := strings.Join(c.Clauses, ","); got != tt.clauses || (got != "" && c.Environment) {
				t.Errorf("%s: clauses %q, environment %v; want clauses %q, and no environment problem with them", tt.check, got, c.Environment, tt.clauses)
			}
			if r.OK() || !strings.Contains(out, "fix: ") || !strings.Contains(out, "not ready:") {
				t.Errorf("output:\n%s", out)
			}
			if strings.Contains(out, hex.EncodeToString(clitest.DataKey())) {
				t.Error("the data key was printed")
			}
		})
	}
}

func TestEnvironmentProblems(t *testing.T) {
	r := &Result{Checks: []Check{
		{Name: CheckTCP, Status: Problem, Environment: true},
		{Name: CheckHealth, Status: Problem},
		{Name: CheckTLS, Status: Skipped, Environment: true},
	}}
	env := r.EnvironmentProblems()
	if len(env) != 1 || env[0].Name != CheckTCP || len(r.Problems()) != 3 || r.OK() {
		t.Errorf("environment %v problems %v", env, r.Problems())
	}
}

func TestWrite(t *testing.T) {
	r := &Result{Checks: []Check{
		{Name: CheckDNS, Status: OK, Detail: "127.0.0.1 is an IP address"},
		{Name: CheckTCP, Status: Problem, Detail: "cannot connect\nrefused", Hint: "start it"},
	}}
	want := "OK       dns: 127.0.0.1 is an IP address\n" +
		"PROBLEM  tcp: cannot connect ; refused\n" +
		"         fix: start it\n" +
		"not ready: 1 of 2 checks did not pass\n"
	if got := text(t, r); got != want {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// TestHandshakeClauses: a handshake the channel refuses for a clause the pack checks names that
// clause (so run leaves it to the cases, which FAIL); a failure that says nothing about the
// channel's TLS names none (an environment problem: every case ERROR).
func TestHandshakeClauses(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"certificate not valid for the host", &tls.CertificateVerificationError{Err: x509.HostnameError{Host: "h"}}, "CAI-1.5"},
		{"plain HTTP on the port", tls.RecordHeaderError{Msg: "first record does not look like a TLS handshake"}, "CAI-1.1"},
		{"TLS alert from the channel", &net.OpError{Op: "remote error", Err: errors.New("tls: protocol version not supported")}, "CAI-1.1,CAI-1.2"},
		{"no connection", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, ""},
		{"connection closed", io.EOF, ""},
		{"no answer in time", context.DeadlineExceeded, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(handshakeClauses(fmt.Errorf("handshake: %w", tt.err)), ","); got != tt.want {
				t.Errorf("clauses %q, want %q", got, tt.want)
			}
		})
	}
}
