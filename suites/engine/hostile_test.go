package engine

import (
	"bufio"
	"crypto/tls"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// hostileStub is a loopback HTTPS server that breaks its answers at the connection level, by
// path. It records the nonce of every request it read, to show what the channel saw.
type hostileStub struct {
	srv    *httptest.Server
	mu     sync.Mutex
	nonces []string
	perCon map[string]int // requests read per connection (remote address)
}

func newHostileStub(t *testing.T) *hostileStub {
	h := &hostileStub{perCon: map[string]int{}}
	h.srv = httptest.NewUnstartedServer(http.HandlerFunc(h.serve))
	h.srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	h.srv.StartTLS()
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hostileStub) serve(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.nonces = append(h.nonces, r.Header.Get("X-Sig-Nonce"))
	h.perCon[r.RemoteAddr]++
	nth := h.perCon[r.RemoteAddr]
	h.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/api")
	switch {
	case path == "/close" || path == "/close-second" && nth == 2:
		hijack(w, func(c net.Conn, _ *bufio.ReadWriter) {})
	case path == "/reset":
		hijack(w, func(c net.Conn, rw *bufio.ReadWriter) {
			fmt.Fprint(rw, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":")
			_ = rw.Flush()
			if tc, ok := c.(*tls.Conn); ok {
				if nc, ok := tc.NetConn().(*net.TCPConn); ok {
					_ = nc.SetLinger(0)
				}
			}
		})
	case path == "/malformed":
		hijack(w, func(_ net.Conn, rw *bufio.ReadWriter) {
			fmt.Fprint(rw, "HTTP/1.1 abc\r\n\r\n")
			_ = rw.Flush()
		})
	case path == "/headers":
		for i := range 200 {
			w.Header().Add("X-Flood", fmt.Sprintf("%d-%s", i, strings.Repeat("a", 1000)))
		}
		writeJSON(w, 200, map[string]string{"id": "x"})
	case path == "/dup":
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"token":"DECOY-TOKEN-1234","id":"x","token":"REAL-TOKEN-5678"}`)
	case path == "/slow":
		time.Sleep(time.Second)
		writeJSON(w, 200, map[string]string{"id": "x"})
	default:
		writeJSON(w, 200, map[string]string{"id": "x"})
	}
}

// hijack takes the connection, lets f write what it likes, and closes it.
func hijack(w http.ResponseWriter, f func(net.Conn, *bufio.ReadWriter)) {
	c, rw, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	f(c, rw)
	_ = c.Close()
}

func rawStep(name, path string) specs.Step {
	off := false
	return specs.Step{Name: name, Raw: &specs.RawCall{Method: http.MethodGet, Path: path}, Expect: specs.Expect{Signature: &off}}
}

func hostileExec(t *testing.T, h *hostileStub) *Executor {
	u, _ := url.Parse(h.srv.URL + "/api")
	pool := h.srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs
	e, err := New(Options{Pack: testPack(t), Platform: &fakePlatform{}, BaseURL: u, RunID: "run-h",
		TLS: &tls.Config{RootCAs: pool}, RequestTimeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.CloseIdleConnections)
	return e
}

// After the channel was reached, a request it breaks at the connection or HTTP level is its
// FAIL with a plain reason, each attempt in the evidence; never ERROR (issue 11 finding 5).
func TestChannelFaultsFail(t *testing.T) {
	h := newHostileStub(t)
	tests := []struct{ path, reason string }{
		{"/close", "the channel closed the connection without answering, twice"},
		{"/reset", "the channel cut its answer off, twice"},
		{"/malformed", "the channel's answer is not valid HTTP"},
		{"/slow", "the channel did not answer in time, twice"},
		{"/headers", "response headers exceed 65536 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			e := hostileExec(t, h)
			o := run(t, e, oneCase("HOS-1", rawStep("hostile", tt.path)))
			a := checksNamed(o, "answer")
			if o.State != reports.Fail || len(a) != 1 || !strings.Contains(a[0].Actual, tt.reason) {
				t.Fatalf("got %s %q, want FAIL with %q\n%s", o.State, o.Message, tt.reason, dump(o))
			}
			want := 2
			if tt.path == "/headers" {
				want = 1 // an answer too large is the channel's at once: no retry
			}
			if xs := e.Exchanges(); len(xs) != want {
				t.Errorf("%d exchanges recorded, want %d (every attempt)", len(xs), want)
			}
		})
	}
}

// A channel that cannot be reached at all after the failure is the environment's: ERROR.
func TestUnreachableAfterFailureIsError(t *testing.T) {
	h := newHostileStub(t)
	e := hostileExec(t, h)
	h.srv.Close()
	o := run(t, e, oneCase("HOS-2", rawStep("gone", "/thing")))
	if o.State != reports.Error || !strings.Contains(o.Message, "unreachable") {
		t.Fatalf("got %s %q", o.State, o.Message)
	}
}

// Go's transport re-sends an idempotent request by itself when a reused connection turns out
// closed; the channel then sees a signed request and its nonce twice while the evidence shows
// one exchange (issue 11 finding 10). Every request the channel reads must be an attempt in
// the evidence, each with its own nonce.
func TestNoSilentRetries(t *testing.T) {
	h := newHostileStub(t)
	e := hostileExec(t, h)
	o := run(t, e, oneCase("HOS-3", rawStep("first", "/close-second"), rawStep("second", "/close-second")))
	xs := e.Exchanges()
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(xs) != len(h.nonces) {
		t.Errorf("the channel read %d requests, the evidence shows %d exchanges\n%s", len(h.nonces), len(xs), dump(o))
	}
	seen := map[string]bool{}
	for _, n := range h.nonces {
		if seen[n] {
			t.Errorf("nonce %s reached the channel twice: %v", n, h.nonces)
		}
		seen[n] = true
	}
	if o.State != reports.Pass {
		t.Errorf("the retry on a fresh connection succeeds: %s %q", o.State, o.Message)
	}
}

// A member the contract marks secret (x-secret) is redacted wherever it appears, whatever the
// case captured, each value of a duplicated member included (issue 11 finding 11); the run
// remembers both for the post-write scan.
func TestSecretMembersRedacted(t *testing.T) {
	h := newHostileStub(t)
	e := hostileExec(t, h)
	dup := rawStep("dup", "/dup")
	dup.Expect.JSON = []specs.Assert{{Path: "$.token", Op: "equals", Value: val(t, "x")}}
	o := run(t, e, oneCase("HOS-4", dup))
	recorded := dump(o)
	for _, x := range e.Exchanges() {
		recorded += x.Response.Body + x.Request.URL
	}
	for _, v := range []string{"DECOY-TOKEN-1234", "REAL-TOKEN-5678"} {
		if strings.Contains(recorded, v) {
			t.Errorf("%s is in the evidence or the outcome", v)
		}
		if !slices.Contains(e.SeenSecrets(), v) {
			t.Errorf("%s is not among the run's secrets", v)
		}
	}
}
