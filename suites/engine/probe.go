package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// runProbe runs a probe step: the probe's checks are appended with the step's index and name,
// and an error from the probe (it could not do its job) is an environment problem.
func (r *caseRun) runProbe(ctx context.Context, i int, step *specs.Step) bool {
	p, ok := r.e.opts.Probes[step.Probe.Name]
	if !ok {
		names := make([]string, 0, len(r.e.opts.Probes))
		for n := range r.e.opts.Probes {
			names = append(names, n)
		}
		slices.Sort(names)
		r.environment(i, step, fmt.Errorf("%w: unknown probe %q (known: %v)", errPackBug, step.Probe.Name, names))
		return false
	}
	var n atomic.Int64
	env := ProbeEnv{
		BaseURL:         r.e.opts.BaseURL,
		TLS:             r.e.opts.TLS,
		Case:            r.env,
		Exchanges:       r.e.Exchanges,
		SignatureClause: r.e.opts.Pack.Manifest.Rules.Signature,
		Do: func(ctx context.Context, req *http.Request, body []byte, opt SignOptions) (*Response, error) {
			return r.probeDo(ctx, r.exchangeID(i, int(n.Add(1))), i+1, req, body, opt)
		},
	}
	res, err := p.Run(ctx, env, &step.Probe.With)
	r.mu.Lock()
	res.Checks = append(res.Checks, r.probeChecks...)
	r.probeChecks = nil
	r.mu.Unlock()
	from := len(r.checks)
	for _, c := range res.Checks {
		if c.Step == 0 {
			c.Step, c.StepName = i+1, step.Name
		}
		if c.Name == "" {
			c.Name = "probe"
		}
		r.checks = append(r.checks, c)
		r.notJudged(i, step, c)
	}
	r.blockProbe(i, step, r.checks[from:])
	var fault *ChannelFault
	if errors.As(err, &fault) {
		r.checks = append(r.checks, answerCheck(i, step.Name, fault))
		return true
	}
	if err != nil {
		r.environment(i, step, fmt.Errorf("probe %s: %w", step.Probe.Name, err))
		return false
	}
	if res.NotApplicable != "" && r.notApplicable == "" {
		r.notApplicable = fmt.Sprintf("not applicable: %s (step %d, probe %s)", res.NotApplicable, i+1, step.Probe.Name)
	}
	return true
}

// probeDo sends a probe's request through the normal path: conformance headers, signing
// (unless opt.Mode is "none"), the request timeout, the body cap and a recorded exchange.
func (r *caseRun) probeDo(ctx context.Context, id string, step int, req *http.Request, body []byte, opt SignOptions) (*Response, error) {
	req = req.Clone(ctx)
	req.Header.Set(HeaderRunID, r.e.opts.RunID)
	req.Header.Set(HeaderCaseID, r.c.ID)
	if opt.Now.IsZero() {
		opt.Now = r.e.opts.Now()
	}
	prepare := func() (*http.Request, []byte, string, error) {
		if opt.Mode == "none" {
			return req, body, "", nil
		}
		nonce, err := r.env.Sign(req, body, opt)
		if err != nil {
			return nil, nil, "", fmt.Errorf("signing: %w", err)
		}
		return req, body, nonce, nil
	}
	rc, nonce, err := r.exchange(ctx, id, step, prepare)
	if err != nil {
		return nil, err
	}
	cut := r.overLimit(id, step, req, rc)
	// Plain-HTTP answers on the TLS port (CAI-1.4 allows a bare 400 there) are not API bodies.
	if c, clause, ok := r.mediaType(rc); ok && c.Outcome == reports.Failed && req.URL.Scheme == "https" {
		c.Step, c.Clause, c.Detail = step, clause, "answer to the probe's "+req.Method+" "+req.URL.Path
		if !slices.Contains(r.c.Clauses, clause) {
			c.Outcome = reports.Observed
		}
		r.mu.Lock()
		r.probeChecks = append(r.probeChecks, c)
		r.hits = append(r.hits, ruleHit{clause: clause, exchange: id, check: c, broken: true})
		r.mu.Unlock()
	}
	return &Response{Status: rc.status, Header: rc.header, Body: rc.Raw, Truncated: rc.truncated, Cut: cut, Nonce: nonce}, nil
}

// overLimit judges the size of a probe's answer like a step's (judge.size): past the standard's
// limit it is that clause's breach, the case's failure only in a case of that clause. In any
// other case the breach is observed for the clause's owner case and the case ends not judged:
// a probe must not judge its own clause on a cut answer. It returns the clause in that case.
func (r *caseRun) overLimit(id string, step int, req *http.Request, rc *received) string {
	l := r.e.opts.Pack.Manifest.ResponseLimit
	if l == nil || !rc.truncated || int64(len(rc.Raw)) < l.BodyBytes {
		return ""
	}
	c := reports.Check{Name: "response size", Step: step, Outcome: reports.Failed, Clause: l.Clause,
		Expected: fmt.Sprintf("a body of at most %d bytes (%s)", l.BodyBytes, l.Clause), Actual: fmt.Sprintf("more than %d bytes", len(rc.Raw)),
		Detail: "answer to the probe's " + req.Method + " " + req.URL.Path}
	owned := slices.Contains(r.c.Clauses, l.Clause)
	if !owned {
		c.Outcome = reports.Observed
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.probeChecks = append(r.probeChecks, c)
	r.hits = append(r.hits, ruleHit{clause: l.Clause, exchange: id, check: c, broken: true})
	if owned {
		return ""
	}
	if r.blocked == "" {
		r.blocked = fmt.Sprintf("not judged: step %d: the probe's answer to %s %s is larger than the standard allows [%s]; the cases of that clause judge it",
			step, req.Method, req.URL.Path, l.Clause)
	}
	return l.Clause
}

// notJudged: a probe check left not-checked under another clause (the probe met that clause's
// breach first, such as an unsigned answer where it verifies the certificate's key) ends the case
// not judged, blamed on that clause, never PASS.
func (r *caseRun) notJudged(i int, step *specs.Step, c reports.Check) {
	if c.Outcome != reports.NotChecked || c.Clause == "" || slices.Contains(r.c.Clauses, c.Clause) || r.blocked != "" {
		return
	}
	r.blocked = fmt.Sprintf("not judged: %s: %s [%s]; the cases of that clause judge it", stepLabel(i, step), strings.TrimPrefix(c.Detail, "not judged: "), c.Clause)
}
