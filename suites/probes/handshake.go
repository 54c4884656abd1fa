package probes

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"sync"
	"time"
)

// target is where the network probes connect: host:port of the base URL and the host name for
// SNI and certificate checks.
type target struct {
	addr string
	host string
}

// targetOf derives the dial address from the base URL (port 443 when the URL names none).
func targetOf(u *url.URL) (target, error) {
	if u == nil || u.Hostname() == "" {
		return target{}, errors.New("the engine provides no base URL")
	}
	port := u.Port()
	if port == "" {
		port = "443"
	}
	return target{addr: net.JoinHostPort(u.Hostname(), port), host: u.Hostname()}, nil
}

// dial opens a TCP connection to t. A failure here means nothing answers at the channel's
// address at all: an environment problem, never the channel's answer to a handshake.
func (t target) dial(ctx context.Context, timeout time.Duration) (net.Conn, error) {
	d := net.Dialer{Timeout: timeout}
	conn, err := d.DialContext(ctx, "tcp", t.addr)
	if err != nil {
		return nil, fmt.Errorf("cannot connect to %s: %w", t.addr, err)
	}
	return conn, nil
}

// handshakeResult is the outcome of one TLS handshake attempt that reached the server.
type handshakeResult struct {
	state tls.ConnectionState
	// refused is the handshake error when the server did not complete the handshake.
	refused error
	// stalled is true when the server neither completed nor refused the handshake within the
	// timeout (refused is set too, with why). Every TLS check fails on it: a stall is no
	// refusal and no completion, whatever was offered.
	stalled bool
}

// String describes the result for a check's actual value.
func (r handshakeResult) String() string {
	if r.refused != nil {
		return "refused: " + r.refused.Error()
	}
	return fmt.Sprintf("accepted: %s with %s", tls.VersionName(r.state.Version), tls.CipherSuiteName(r.state.CipherSuite))
}

// handshake dials t and runs a TLS client handshake with cfg, bounded by timeout. The returned
// error is an environment problem (nothing listening, the case's context done); a handshake the
// server refuses, aborts or never completes within the timeout is the server's answer and is
// reported in the result.
func (t target) handshake(ctx context.Context, cfg *tls.Config, timeout time.Duration) (handshakeResult, error) {
	conn, err := t.dial(ctx, timeout)
	if err != nil {
		return handshakeResult{}, err
	}
	defer conn.Close()
	hctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	c := tls.Client(conn, cfg)
	err = c.HandshakeContext(hctx)
	if err == nil {
		return handshakeResult{state: c.ConnectionState()}, nil
	}
	if ctx.Err() != nil {
		return handshakeResult{}, fmt.Errorf("TLS handshake with %s interrupted: %w", t.addr, context.Cause(ctx))
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) {
		return handshakeResult{refused: fmt.Errorf("stalled: no handshake within %s: %w", timeout, err), stalled: true}, nil
	}
	return handshakeResult{refused: err}, nil
}

// probeConfig is a client configuration for a protocol probe: it offers exactly the given
// versions and suites and does not judge the certificate (tls-certificate does), so that only
// the protocol decides whether the handshake completes.
func (t target) probeConfig(minV, maxV uint16, suites []uint16) *tls.Config {
	return &tls.Config{
		ServerName:         t.host,
		MinVersion:         minV,
		MaxVersion:         maxV,
		CipherSuites:       suites,
		InsecureSkipVerify: true, //nolint:gosec // protocol probe; the certificate is judged by tls-certificate
	}
}

// suiteNames names suites for messages.
func suiteNames(ids []uint16) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = tls.CipherSuiteName(id)
	}
	return out
}

// handshakes runs one handshake per configuration at the same time and returns their results
// in order, or the first environment error. A probe's handshakes are independent, and a
// channel that stalls them must cost one timeout, not one per handshake: one after the other,
// twenty stalled handshakes outlast the case's timeout and the case became ERROR where the
// same stall FAILs the other TLS cases (issue 11 finding 6).
func (t target) handshakes(ctx context.Context, cfgs []*tls.Config, timeout time.Duration) ([]handshakeResult, error) {
	results := make([]handshakeResult, len(cfgs))
	errs := make([]error, len(cfgs))
	var wg sync.WaitGroup
	for i, cfg := range cfgs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = t.handshake(ctx, cfg, timeout)
		}()
	}
	wg.Wait()
	return results, errors.Join(errs...)
}
