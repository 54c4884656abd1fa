package engine

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"time"

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
}

// JSON returns the decoded body (numbers as json.Number), or why the body is not JSON.
func (rc *received) JSON() (any, error) {
	v, err := rc.Body.JSON()
	if err != nil {
		return nil, fmt.Errorf("the response body is not JSON: %w", err)
	}
	return v, nil
}

// send performs one exchange: it sends req with body, bounded by the request timeout, reads the
// response body up to the cap, and records the exchange under id. A transport failure (refused,
// timeout, TLS trust) is returned as an error after being recorded.
func (r *caseRun) send(ctx context.Context, id string, step int, req *http.Request, body []byte) (*received, error) {
	ctx, cancel := context.WithTimeout(ctx, r.e.opts.RequestTimeout)
	defer cancel()
	req = req.WithContext(ctx)
	if len(body) > 0 {
		req.Body = io.NopCloser(bytes.NewReader(body))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
		req.ContentLength = int64(len(body))
	}
	x := reports.Exchange{ID: id, CaseID: r.c.ID, Step: step, StartedAt: r.e.opts.Now()}
	x.Request = reports.Request{Method: req.Method, URL: req.URL.String(), HTTPVersion: "HTTP/1.1",
		Headers: headerList(req.Header), Body: string(body)}
	clock := time.Now()
	resp, err := r.e.client.Do(req)
	if err != nil {
		x.DurationMs = ms(time.Since(clock))
		x.Error = err.Error()
		r.record(x)
		return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Redacted(), err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, r.e.opts.MaxBodyBytes+1))
	rc := &received{Body: contract.NewBody(data), status: resp.StatusCode, header: resp.Header}
	if int64(len(data)) > r.e.opts.MaxBodyBytes {
		rc.Raw, rc.truncated = data[:r.e.opts.MaxBodyBytes], true
	}
	x.DurationMs = ms(time.Since(clock))
	x.Request.HTTPVersion = resp.Proto
	x.Response = reports.Response{Status: resp.StatusCode, StatusText: http.StatusText(resp.StatusCode),
		HTTPVersion: resp.Proto, Headers: headerList(resp.Header), Body: string(rc.Raw), Truncated: rc.truncated}
	if err != nil && !errors.Is(err, io.EOF) {
		x.Error = "reading the response body: " + err.Error()
		r.record(x)
		return nil, fmt.Errorf("%s %s: reading the response body: %w", req.Method, req.URL.Redacted(), err)
	}
	r.record(x)
	return rc, nil
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
