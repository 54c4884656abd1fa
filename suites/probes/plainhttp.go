package probes

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"go.yaml.in/yaml/v3"
)

// plainHTTP checks that the channel's HTTPS port serves no API data over plain HTTP: the
// request may be refused (connection closed), answered with an error (Go's TLS server answers
// 400) or redirected to https, but never answered 2xx, and a redirect carries no JSON body.
type plainHTTP struct{}

// plainHTTPParams are the probe's parameters.
type plainHTTPParams struct {
	timeoutParam `yaml:",inline"`
	// Paths are requested with GET, relative to the base URL (default /health and
	// /authorizations: the one that needs no signature and one that does).
	Paths []string `yaml:"paths"`
}

// params decodes and checks the parameters.
func (plainHTTP) params(with *yaml.Node) (plainHTTPParams, error) {
	p := plainHTTPParams{Paths: []string{"/health", "/authorizations"}}
	if err := decodeParams(NamePlainHTTP, with, &p); err != nil {
		return p, err
	}
	if err := p.resolve(NamePlainHTTP); err != nil {
		return p, err
	}
	if len(p.Paths) == 0 {
		return p, fmt.Errorf("probe %s: paths must not be empty", NamePlainHTTP)
	}
	for _, path := range p.Paths {
		if !strings.HasPrefix(path, "/") {
			return p, fmt.Errorf("probe %s: path %q must start with /", NamePlainHTTP, path)
		}
	}
	return p, nil
}

// Validate implements engine.Probe: `timeout` and `paths`.
func (pr plainHTTP) Validate(with *yaml.Node) error {
	_, err := pr.params(with)
	return err
}

// Run implements engine.Probe. The requests go through env.Do unsigned, so they are recorded
// as evidence; a TCP connection is opened first so that "nothing listens" (an environment
// problem) is told apart from "the server closed the connection" (a refusal, which passes).
func (pr plainHTTP) Run(ctx context.Context, env engine.ProbeEnv, with *yaml.Node) (engine.ProbeResult, error) {
	p, err := pr.params(with)
	if err != nil {
		return engine.ProbeResult{}, err
	}
	t, err := targetOf(env.BaseURL)
	if err != nil {
		return engine.ProbeResult{}, fmt.Errorf("%s: %w", NamePlainHTTP, err)
	}
	if env.Do == nil {
		return engine.ProbeResult{}, fmt.Errorf("%s: the engine provides no way to send requests", NamePlainHTTP)
	}
	var res engine.ProbeResult
	for _, path := range p.Paths {
		c, err := pr.attempt(ctx, env, t, path, p.Timeout)
		if err != nil {
			return res, fmt.Errorf("%s: %w", NamePlainHTTP, err)
		}
		res.Checks = append(res.Checks, c)
	}
	return res, nil
}

// attempt sends one plain-HTTP GET and judges the answer.
func (plainHTTP) attempt(ctx context.Context, env engine.ProbeEnv, t target, path string, timeout time.Duration) (reports.Check, error) {
	conn, err := t.dial(ctx, timeout)
	if err != nil {
		return reports.Check{}, err
	}
	_ = conn.Close()
	u := *env.BaseURL
	u.Scheme = "http"
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawPath = ""
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, http.MethodGet, u.String(), nil)
	if err != nil {
		return reports.Check{}, fmt.Errorf("building GET %s: %w", u.String(), err)
	}
	const expected = "no API data over plain HTTP (refused, an error status, or a redirect to https without a JSON body)"
	detail := "plain-HTTP GET " + u.String()
	resp, err := env.Do(actx, req, nil, engine.SignOptions{Mode: "none"})
	if err != nil {
		if ctx.Err() != nil {
			return reports.Check{}, fmt.Errorf("interrupted: %w", context.Cause(ctx))
		}
		return check(NamePlainHTTP, true, expected, "no HTTP answer: "+err.Error(), detail), nil
	}
	ok, actual := judgePlain(resp)
	return check(NamePlainHTTP, ok, expected, actual, detail), nil
}

// judgePlain decides whether a plain-HTTP answer serves API data.
func judgePlain(resp *engine.Response) (bool, string) {
	desc := fmt.Sprintf("HTTP %d with %d body bytes", resp.Status, len(resp.Body))
	if ct := resp.Header.Get("Content-Type"); ct != "" {
		desc += " (" + ct + ")"
	}
	isJSON := len(resp.Body) > 0 && json.Valid(resp.Body)
	switch {
	case resp.Status >= 200 && resp.Status < 300:
		return false, desc + ": served over plain HTTP"
	case resp.Status >= 300 && resp.Status < 400:
		loc := resp.Header.Get("Location")
		if !strings.HasPrefix(strings.ToLower(loc), "https://") {
			return false, fmt.Sprintf("%s: redirect to %q, not to https", desc, loc)
		}
		if isJSON {
			return false, desc + ": redirect with a JSON body"
		}
		return true, desc + ": redirect to " + loc
	}
	return true, desc
}
