package probes

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"go.yaml.in/yaml/v3"
)

// NameForbiddenHeaders is the name of the forbidden-headers probe.
const NameForbiddenHeaders = "forbidden-headers"

// forbiddenHeaders checks response headers that are allowed to be absent but, when present,
// must not have certain values: a Server header naming a product or version, a wildcard or
// reflected Access-Control-Allow-Origin. A step's header assertions cannot say "absent, or
// present without this value", which is what such rules need.
type forbiddenHeaders struct{}

// headerRule forbids values of one response header.
type headerRule struct {
	Name string `yaml:"name"`
	// Matches is the regular expression (Go syntax) a present value must not match; "." forbids
	// the header altogether.
	Matches string `yaml:"matches"`
}

// forbiddenParams are the probe's parameters.
type forbiddenParams struct {
	// Requests is the sample (default: the sample of the hsts probe).
	Requests []sampleRequest `yaml:"requests"`
	// Headers are added to every request of the sample (for example an Origin).
	Headers map[string]string `yaml:"headers"`
	// Forbid lists the rules; at least one.
	Forbid []headerRule `yaml:"forbid"`
}

// compiledRule is a rule with its expression compiled.
type compiledRule struct {
	name string
	re   *regexp.Regexp
}

// params decodes and checks the parameters and compiles the rules.
func (forbiddenHeaders) params(with *yaml.Node) (forbiddenParams, []compiledRule, error) {
	var p forbiddenParams
	if err := decodeParams(NameForbiddenHeaders, with, &p); err != nil {
		return p, nil, err
	}
	if p.Requests == nil {
		p.Requests = defaultSample()
	}
	if err := checkSample(NameForbiddenHeaders, p.Requests); err != nil {
		return p, nil, err
	}
	if len(p.Forbid) == 0 {
		return p, nil, fmt.Errorf("probe %s: forbid must list at least one rule", NameForbiddenHeaders)
	}
	rules := make([]compiledRule, len(p.Forbid))
	for i, r := range p.Forbid {
		if strings.TrimSpace(r.Name) == "" || r.Matches == "" {
			return p, nil, fmt.Errorf("probe %s: forbid[%d]: name and matches are required", NameForbiddenHeaders, i)
		}
		re, err := regexp.Compile(r.Matches)
		if err != nil {
			return p, nil, fmt.Errorf("probe %s: forbid[%d] (%s): %w", NameForbiddenHeaders, i, r.Name, err)
		}
		rules[i] = compiledRule{name: r.Name, re: re}
	}
	return p, rules, nil
}

// Validate implements engine.Probe: `requests`, `headers` and `forbid`.
func (pr forbiddenHeaders) Validate(with *yaml.Node) error {
	_, _, err := pr.params(with)
	return err
}

// Run implements engine.Probe: one check per response and rule.
func (pr forbiddenHeaders) Run(ctx context.Context, env engine.ProbeEnv, with *yaml.Node) (engine.ProbeResult, error) {
	p, rules, err := pr.params(with)
	if err != nil {
		return engine.ProbeResult{}, err
	}
	if env.Do == nil || env.BaseURL == nil {
		return engine.ProbeResult{}, fmt.Errorf("%s: the engine provides no way to send requests", NameForbiddenHeaders)
	}
	var res engine.ProbeResult
	for _, s := range p.Requests {
		resp, err := send(ctx, env, s, p.Headers)
		if err != nil {
			return res, fmt.Errorf("%s: %w", NameForbiddenHeaders, err)
		}
		for _, r := range rules {
			res.Checks = append(res.Checks, onCut(resp, ruleCheck(s, resp, r)))
		}
	}
	return res, nil
}

// ruleCheck judges one rule on one response: every value of the header must not match.
func ruleCheck(s sampleRequest, resp *engine.Response, r compiledRule) reports.Check {
	expected := fmt.Sprintf("%s absent or not matching %s", r.name, r.re)
	detail := fmt.Sprintf("%s %s -> %d", s.Method, s.Path, resp.Status)
	values := resp.Header.Values(r.name)
	if len(values) == 0 {
		return check(NameForbiddenHeaders, true, expected, "absent", detail)
	}
	for _, v := range values {
		if r.re.MatchString(v) {
			return check(NameForbiddenHeaders, false, expected, fmt.Sprintf("%q", v), detail)
		}
	}
	return check(NameForbiddenHeaders, true, expected, fmt.Sprintf("%q", strings.Join(values, ", ")), detail)
}
