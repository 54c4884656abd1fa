package probes

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"go.yaml.in/yaml/v3"
)

// hstsMinMaxAge is the default minimum max-age: one year (365 days).
const hstsMinMaxAge = 31536000

// hsts checks Strict-Transport-Security on a sample of responses: successes and refusals alike
// must carry max-age of at least minMaxAge.
type hsts struct{}

// sampleRequest is one request of the sample.
type sampleRequest struct {
	Method string `yaml:"method"`
	// Path is relative to the base URL and may carry a query.
	Path        string `yaml:"path"`
	Body        string `yaml:"body"`
	ContentType string `yaml:"contentType"`
	// Headers are added to the request (before signing).
	Headers map[string]string `yaml:"headers"`
	// Signed (default true) signs the request as the platform.
	Signed *bool `yaml:"signed"`
}

// hstsParams are the probe's parameters.
type hstsParams struct {
	MinMaxAge int64           `yaml:"minMaxAge"`
	Requests  []sampleRequest `yaml:"requests"`
}

// defaultSample is a success (the unsigned health check), a signed request refused for want of
// a session, an undeclared path and a malformed body: the kinds of answer a channel produces.
func defaultSample() []sampleRequest {
	no := false
	return []sampleRequest{
		{Method: http.MethodGet, Path: "/health", Signed: &no},
		{Method: http.MethodGet, Path: "/authorizations"},
		{Method: http.MethodGet, Path: "/no-such-path"},
		{Method: http.MethodPost, Path: "/sessions", Body: "{", ContentType: "application/json"},
	}
}

// params decodes and checks the parameters.
func (hsts) params(with *yaml.Node) (hstsParams, error) {
	p := hstsParams{MinMaxAge: hstsMinMaxAge}
	if err := decodeParams(NameHSTS, with, &p); err != nil {
		return p, err
	}
	if p.MinMaxAge <= 0 {
		return p, fmt.Errorf("probe %s: minMaxAge %d must be positive", NameHSTS, p.MinMaxAge)
	}
	if p.Requests == nil {
		p.Requests = defaultSample()
	}
	return p, checkSample(NameHSTS, p.Requests)
}

// checkSample checks the requests of a sample parameter.
func checkSample(probe string, sample []sampleRequest) error {
	if len(sample) == 0 {
		return fmt.Errorf("probe %s: requests must not be empty", probe)
	}
	for i, r := range sample {
		if r.Method == "" || strings.ToUpper(r.Method) != r.Method || !strings.HasPrefix(r.Path, "/") {
			return fmt.Errorf("probe %s: requests[%d]: method must be upper case and path must start with /", probe, i)
		}
	}
	return nil
}

// Validate implements engine.Probe: `minMaxAge` and `requests`.
func (pr hsts) Validate(with *yaml.Node) error {
	_, err := pr.params(with)
	return err
}

// Run implements engine.Probe: one check per sampled response.
func (pr hsts) Run(ctx context.Context, env engine.ProbeEnv, with *yaml.Node) (engine.ProbeResult, error) {
	p, err := pr.params(with)
	if err != nil {
		return engine.ProbeResult{}, err
	}
	if env.Do == nil || env.BaseURL == nil {
		return engine.ProbeResult{}, fmt.Errorf("%s: the engine provides no way to send requests", NameHSTS)
	}
	var res engine.ProbeResult
	for _, s := range p.Requests {
		resp, err := send(ctx, env, s, nil)
		if err != nil {
			return res, fmt.Errorf("%s: %w", NameHSTS, err)
		}
		res.Checks = append(res.Checks, onCut(resp, hstsCheck(s, resp, p.MinMaxAge)))
	}
	return res, nil
}

// send sends one sample request through the engine with the extra headers and the request's own.
func send(ctx context.Context, env engine.ProbeEnv, s sampleRequest, extra map[string]string) (*engine.Response, error) {
	target := strings.TrimSuffix(env.BaseURL.String(), "/") + s.Path
	var body []byte
	if s.Body != "" {
		body = []byte(s.Body)
	}
	req, err := http.NewRequestWithContext(ctx, s.Method, target, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", s.Method, s.Path, err)
	}
	if s.ContentType != "" {
		req.Header.Set("Content-Type", s.ContentType)
	}
	for _, h := range []map[string]string{extra, s.Headers} {
		for k, v := range h {
			req.Header.Set(k, v)
		}
	}
	opt := engine.SignOptions{}
	if s.Signed != nil && !*s.Signed {
		opt.Mode = "none"
	}
	return env.Do(ctx, req, body, opt)
}

// hstsCheck judges the Strict-Transport-Security header of one response.
func hstsCheck(s sampleRequest, resp *engine.Response, minAge int64) reports.Check {
	expected := fmt.Sprintf("Strict-Transport-Security with max-age >= %d", minAge)
	detail := fmt.Sprintf("%s %s -> %d", s.Method, s.Path, resp.Status)
	value := resp.Header.Get("Strict-Transport-Security")
	if value == "" {
		return check(NameHSTS, false, expected, "absent", detail)
	}
	age, ok := maxAge(value)
	if !ok {
		return check(NameHSTS, false, expected, fmt.Sprintf("%q has no valid max-age", value), detail)
	}
	return check(NameHSTS, age >= minAge, expected, fmt.Sprintf("%q (max-age %d)", value, age), detail)
}

// maxAge reads the max-age directive of an HSTS value (RFC 6797 section 6.1: directive names
// are case-insensitive, the value may be quoted, and it appears at most once).
func maxAge(value string) (int64, bool) {
	var (
		age   int64
		found bool
	)
	for _, d := range strings.Split(value, ";") {
		name, v, hasValue := strings.Cut(strings.TrimSpace(d), "=")
		if !strings.EqualFold(strings.TrimSpace(name), "max-age") {
			continue
		}
		if found || !hasValue {
			return 0, false
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 || strings.ContainsAny(v, "+-") {
			return 0, false
		}
		age, found = n, true
	}
	return age, found
}

// onCut leaves a check on an answer cut past the standard's response limit not judged, blamed
// on the limit's clause (as the engine's blocking does for a step): that answer is the limit's
// breach, and the probe's own clause is not judged on it.
func onCut(resp *engine.Response, c reports.Check) reports.Check {
	if resp.Cut == "" {
		return c
	}
	c.Outcome, c.Clause = reports.NotChecked, resp.Cut
	c.Detail = strings.TrimSuffix("not judged: the body is larger than the standard allows; "+c.Detail, "; ")
	return c
}
