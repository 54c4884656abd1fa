package engine

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/contract"
)

// received is a response with its body read (capped). The embedded contract.Body decodes the
// body at most once, for the contract check and the case's assertions alike.
type received struct {
	*contract.Body
	status    int
	header    http.Header
	truncated bool
	// size is the body's real size when known (Content-Length, or what was read), -1 when the
	// channel kept sending past the cap without saying how much.
	size int64
}

// JSON returns the decoded body (numbers as json.Number), or why the body is not JSON.
func (rc *received) JSON() (any, error) {
	v, err := rc.Body.JSON()
	if err != nil {
		return nil, fmt.Errorf("the response body is not JSON: %w", err)
	}
	return v, nil
}

// prepareFunc builds, signs and validates a request for one attempt; it returns the nonce the
// request was signed with.
type prepareFunc func() (req *http.Request, body []byte, nonce string, err error)

// exchange sends a request prepared by prepare and, when the channel's answer failed at the
// connection or HTTP level in a way a broken connection could explain, prepares it afresh (a
// new nonce) and sends it once more on a new connection; both attempts are in the evidence.
// When the retry fails too, the channel is probed: reachable, the failure is the channel's (a
// *ChannelFault); unreachable, it is the environment's (a plain error, ERROR).
func (r *caseRun) exchange(ctx context.Context, id string, step int, prepare prepareFunc) (*received, string, error) {
	req, body, nonce, err := prepare()
	if err != nil {
		return nil, "", err
	}
	rc, err := r.send(ctx, r.e.client, id, step, req, body)
	var af *attemptError
	if !errors.As(err, &af) {
		return rc, nonce, err
	}
	if !af.fault.retry {
		return nil, nonce, &ChannelFault{Reason: af.fault.reason, Err: af.err}
	}
	if req, body, nonce, err = prepare(); err != nil {
		return nil, "", err
	}
	rc, err = r.send(ctx, r.e.fresh, id+"-retry", step, req, body)
	var again *attemptError
	if !errors.As(err, &again) {
		return rc, nonce, err
	}
	reason := af.fault.reason
	if again.fault.reason == reason {
		reason += ", twice"
	} else {
		reason += ", then " + strings.TrimPrefix(again.fault.reason, "the channel ")
	}
	if perr := r.e.reachable(ctx); perr != nil {
		return nil, nonce, fmt.Errorf("the channel is unreachable: %w (the request failed twice: %s)", perr, reason)
	}
	return nil, nonce, &ChannelFault{Reason: reason, Err: again.err}
}

// attemptError is a failed attempt whose cause lies with the channel's answer.
type attemptError struct {
	fault answerFault
	err   error
}

func (e *attemptError) Error() string { return e.fault.reason + ": " + e.err.Error() }
func (e *attemptError) Unwrap() error { return e.err }

// send performs one attempt: it sends req with body through client, bounded by the request
// timeout, reads the response body up to the cap, and records the exchange under id. A failure
// is recorded, then returned: an *attemptError when the channel's answer is at fault, a plain
// error otherwise (the case's deadline, an interruption).
func (r *caseRun) send(ctx context.Context, client *http.Client, id string, step int, req *http.Request, body []byte) (*received, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, r.e.opts.RequestTimeout, errRequestTimeout)
	defer cancel()
	req = req.WithContext(ctx)
	setOnceBody(req, body)
	x := reports.Exchange{ID: id, CaseID: r.c.ID, Step: step, StartedAt: r.e.opts.Now()}
	x.Request = reports.Request{Method: req.Method, URL: req.URL.String(), HTTPVersion: "HTTP/1.1",
		Headers: headerList(req.Header), Body: string(body)}
	clock := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		x.DurationMs = ms(time.Since(clock))
		x.Error = err.Error()
		r.record(x)
		return nil, r.attemptFailed(ctx, req, err, false)
	}
	defer resp.Body.Close()
	limit := r.e.readLimit()
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	rc := &received{Body: contract.NewBody(data), status: resp.StatusCode, header: resp.Header, size: int64(len(data))}
	if int64(len(data)) > limit {
		rc.Raw, rc.truncated, rc.size = data[:limit], true, -1
		if resp.ContentLength > limit {
			rc.size = resp.ContentLength
		}
	}
	x.DurationMs = ms(time.Since(clock))
	x.Request.HTTPVersion = resp.Proto
	x.Response = reports.Response{Status: resp.StatusCode, StatusText: http.StatusText(resp.StatusCode),
		HTTPVersion: resp.Proto, Headers: headerList(resp.Header), Body: string(rc.Raw), Truncated: rc.truncated,
		BodySize: rc.size}
	if err != nil && !errors.Is(err, io.EOF) {
		x.Error = "reading the response body: " + err.Error()
		r.record(x)
		return nil, r.attemptFailed(ctx, req, fmt.Errorf("reading the response body: %w", err), true)
	}
	r.record(x)
	return rc, nil
}

// attemptFailed classifies a failed attempt (see classify).
func (r *caseRun) attemptFailed(ctx context.Context, req *http.Request, err error, inBody bool) error {
	err = fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), err)
	if f, ok := classify(ctx, err, inBody); ok {
		return &attemptError{fault: f, err: err}
	}
	return err
}

// readLimit is how much of a body is read: the engine's cap, or the standard's limit when the
// pack states a larger one (so that a body within the limit is always judged whole).
func (e *Executor) readLimit() int64 {
	if l := e.opts.Pack.Manifest.ResponseLimit; l != nil && l.BodyBytes > e.opts.MaxBodyBytes {
		return l.BodyBytes
	}
	return e.opts.MaxBodyBytes
}

func (r *caseRun) record(x reports.Exchange) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pending = append(r.pending, x)
	r.evidence = append(r.evidence, x.ID)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// headerList flattens a header map into sorted lines (one per value).
func headerList(h http.Header) []reports.Header {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]reports.Header, 0, len(names))
	for _, k := range names {
		for _, v := range h[k] {
			out = append(out, reports.Header{Name: k, Value: v})
		}
	}
	return out
}

// exchangeID names the k-th exchange (1-based) of step i (0-based) of the case.
func (r *caseRun) exchangeID(i, k int) string {
	return r.c.ID + "#" + strconv.Itoa(i+1) + "." + strconv.Itoa(k)
}

// Bounds on what the evidence keeps (the checks always judge the body as read).
const (
	// EvidenceBodyBytes is the most of one body (request or response) an exchange records.
	EvidenceBodyBytes = 64 << 10
	// EvidenceRunBytes is the most body and header bytes a run records in all; past it, bodies
	// are replaced by a marker with their size.
	EvidenceRunBytes = 64 << 20
)

// bound cuts a recorded exchange to the evidence limits, after redaction (a secret is never
// cut in half and left partly readable), marking each cut with the real size.
func (e *Executor) bound(x *reports.Exchange) {
	size := int64(len(x.Request.Body) + len(x.Response.Body))
	for _, h := range x.Request.Headers {
		size += int64(len(h.Name) + len(h.Value))
	}
	for _, h := range x.Response.Headers {
		size += int64(len(h.Name) + len(h.Value))
	}
	keep := EvidenceBodyBytes
	if e.evidence.Add(min(size, 2*EvidenceBodyBytes)) > EvidenceRunBytes {
		keep = 0
	}
	if n := len(x.Response.Body); n > keep {
		if !x.Response.Truncated {
			x.Response.Truncated, x.Response.BodySize = true, int64(n)
		}
		x.Response.Body = cut(x.Response.Body, keep, x.Response.BodySize)
	}
	if n := len(x.Request.Body); n > keep {
		x.Request.Body = cut(x.Request.Body, keep, int64(n))
	}
}

// cut keeps the first keep bytes of s (at a character boundary) and says how big it was.
func cut(s string, keep int, size int64) string {
	for keep > 0 && keep < len(s) && !utf8.RuneStart(s[keep]) {
		keep--
	}
	total := "more than " + strconv.Itoa(len(s)) + " bytes"
	if size > 0 {
		total = strconv.FormatInt(size, 10) + " bytes"
	}
	return s[:keep] + "[chanconf: truncated in the evidence; the body was " + total + "]"
}
