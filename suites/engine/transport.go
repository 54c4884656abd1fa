package engine

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// MaxResponseHeaderBytes bounds the header section of one response (CAI-11.7 allows 64 KiB;
// the transport also counts the 1xx answers before it). A channel sending more gets its
// exchange failed, never hundreds of megabytes of memory.
const MaxResponseHeaderBytes = 64 << 10

// defaultTransport is sized for a concurrent run against one host and never uses a proxy from
// the environment: conformance traffic goes straight to the declared target. Everything the
// channel sends is bounded: header bytes here, body bytes in send, time by the request's
// context. Transparent decompression is off, so that a gzip bomb stays the few bytes it is on
// the wire (a CAI body is JSON: an encoded body fails the checks that read it).
func defaultTransport(cfg *tls.Config) *http.Transport {
	if cfg != nil {
		cfg = cfg.Clone()
	}
	return &http.Transport{
		TLSClientConfig:        cfg,
		ForceAttemptHTTP2:      true,
		MaxIdleConns:           256,
		MaxIdleConnsPerHost:    128,
		IdleConnTimeout:        90 * time.Second,
		TLSHandshakeTimeout:    10 * time.Second,
		MaxResponseHeaderBytes: MaxResponseHeaderBytes,
		DisableCompression:     true,
	}
}

// freshTransport is rt without connection reuse, for the one retry after a connection-level
// failure: the retry must not land on a connection the channel already broke. A transport
// that is not an *http.Transport (tests inject their own) is used as it is.
func freshTransport(rt http.RoundTripper) http.RoundTripper {
	t, ok := rt.(*http.Transport)
	if !ok {
		return rt
	}
	t = t.Clone()
	t.DisableKeepAlives = true
	return t
}

// newClient never follows redirects: they are answers to judge.
func newClient(rt http.RoundTripper) *http.Client {
	return &http.Client{
		Transport:     rt,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// onceBody is a request body the transport cannot rewind. net/http re-sends on its own an
// idempotent request (GET, HEAD, OPTIONS) whose connection was closed after reuse, when its body
// is empty or has GetBody (see http.Transport's doc): the channel would then see a signed
// request, and its nonce, twice while the evidence shows one exchange. With a body that is not
// http.NoBody and no GetBody the request is not replayable, so every attempt is the engine's
// own and recorded. An empty one is probed and sent as no body at all (no Content-Length, no
// chunking) for the methods that usually lack one.
type onceBody struct{ io.Reader }

// Close implements io.Closer.
func (onceBody) Close() error { return nil }

// setOnceBody gives req its body so that the transport never replays it.
func setOnceBody(req *http.Request, body []byte) {
	req.Body = onceBody{bytes.NewReader(body)}
	req.GetBody = nil
	req.ContentLength = int64(len(body))
}

// reachable tells whether the channel can be reached at all: a fresh TCP connection and TLS
// handshake to its address, bounded by the request timeout. It decides who is to blame after
// a request failed twice at the connection level: a channel that accepts connections but
// breaks its answers fails the case; one that cannot be reached makes it ERROR.
func (e *Executor) reachable(ctx context.Context) error {
	u := e.opts.BaseURL
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80"}[u.Scheme]
		if port == "" {
			port = "443"
		}
	}
	addr := net.JoinHostPort(u.Hostname(), port)
	ctx, cancel := context.WithTimeout(ctx, min(e.opts.RequestTimeout, 10*time.Second))
	defer cancel()
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return fmt.Errorf("cannot connect to %s: %w", addr, err)
	}
	defer conn.Close()
	if u.Scheme != "https" {
		return nil
	}
	cfg := &tls.Config{}
	if t, ok := e.opts.Transport.(*http.Transport); ok && t.TLSClientConfig != nil {
		cfg = t.TLSClientConfig.Clone()
	} else if e.opts.TLS != nil {
		cfg = e.opts.TLS.Clone()
	}
	if cfg.ServerName == "" {
		cfg.ServerName = u.Hostname()
	}
	if err := tls.Client(conn, cfg).HandshakeContext(ctx); err != nil {
		return fmt.Errorf("no TLS handshake with %s: %w", addr, err)
	}
	return nil
}
