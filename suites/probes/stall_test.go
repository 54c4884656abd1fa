package probes

import (
	"context"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/chanconf/chanconf/suites/engine"
)

// stallingServer accepts TCP connections and never answers the TLS handshake.
func stallingServer(t *testing.T) *engine.ProbeEnv {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var conns []net.Conn
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		<-done
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	})
	return &engine.ProbeEnv{BaseURL: mustURL(t, "https://"+ln.Addr().String()+"/cai/v1")}
}

// A stalled TLS handshake is judged alike by every TLS probe: failed checks (the channel does
// not complete TLS), never an environment error and never "not applicable" (issue 11 finding
// 6: SEC-TLS-002 made twenty handshakes one after the other, outlasted its case's timeout and
// was ERROR while SEC-TLS-001 and SEC-TLS-005 FAILed). The context here is far shorter than
// the probe's handshakes one after the other would take.
func TestStalledHandshakeFailsEveryTLSProbe(t *testing.T) {
	env := stallingServer(t)
	for _, p := range []struct {
		name  string
		probe engine.Probe
	}{{"tls-versions", tlsVersions{}}, {"tls-ciphers", tlsCiphers{}}, {"tls-certificate", tlsCertificate{}}} {
		t.Run(p.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			res, err := p.probe.Run(ctx, *env, node(t, "timeout: 500ms"))
			if err != nil {
				t.Fatalf("environment error: %v", err)
			}
			if res.NotApplicable != "" || len(failed(res.Checks)) != len(res.Checks) {
				t.Fatalf("want a failed check, got not-applicable %q, checks %+v", res.NotApplicable, res.Checks)
			}
		})
	}
}
