package engine

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// runStep runs step i (with its wait and repeats) and appends its checks. It returns false when
// the step could not be completed (an environment problem or a pack bug, recorded in envErr).
func (r *caseRun) runStep(ctx context.Context, i int, step *specs.Step) bool {
	r.budget.reset()
	wait, err := r.waitFor(step)
	if err != nil {
		r.environment(i, step, err)
		return false
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			r.environment(i, step, fmt.Errorf("interrupted while waiting %s: %w", wait, context.Cause(ctx)))
			return false
		case <-t.C:
		}
	}
	if step.Probe != nil && step.Probe.Name == specs.ObservedProbe {
		return r.runObserved(i, step)
	}
	if step.Probe != nil {
		return r.runProbe(ctx, i, step)
	}
	n := max(step.Repeat, 1)
	var last []reports.Check
	for k := 1; k <= n; k++ {
		checks, err := r.attempt(ctx, i, step, k)
		if n > 1 {
			for j := range checks {
				checks[j].StepName = fmt.Sprintf("%s [%d/%d]", checks[j].StepName, k, n)
			}
		}
		if err != nil {
			r.checks = append(r.checks, checks...)
			r.environment(i, step, err)
			return false
		}
		if hasFailure(checks) || k == n {
			last = checks
			break
		}
	}
	r.checks = append(r.checks, last...)
	return true
}

// maxWaitUntil bounds a templated wait, so a wrong template cannot park a case for hours; the
// case timeout bounds it further.
const maxWaitUntil = 5 * time.Minute

// waitFor is how long to sleep before the step: its fixed wait, then, when waitUntil is set, until
// the unix-millisecond time that template gives (already passed: no wait).
func (r *caseRun) waitFor(step *specs.Step) (time.Duration, error) {
	wait := time.Duration(step.Wait)
	if step.WaitUntil == "" {
		return wait, nil
	}
	text, err := r.render(step.WaitUntil, r.data(step.As))
	if err != nil {
		return 0, fmt.Errorf("waitUntil: %w", err)
	}
	ms, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("waitUntil: %q is not a unix time in milliseconds: %w", text, err)
	}
	until := time.UnixMilli(ms).Sub(r.e.opts.Now())
	if until > maxWaitUntil {
		return 0, fmt.Errorf("waitUntil: %s ahead is more than the %s allowed", until.Round(time.Second), maxWaitUntil)
	}
	return max(wait, until), nil
}

// attempt sends step i once (the k-th time) and runs its checks and captures. A channel that
// breaks the exchange itself (see exchange) fails the step's "answer" check.
func (r *caseRun) attempt(ctx context.Context, i int, step *specs.Step, k int) ([]reports.Check, error) {
	var b *built
	prepare := func() (*http.Request, []byte, string, error) {
		r.budget.reset() // each attempt (a retry too) builds its request afresh
		var err error
		if b, err = r.build(ctx, step); err != nil {
			return nil, nil, "", err
		}
		nonce, err := r.signAndValidate(b, step)
		return b.req, b.body, nonce, err
	}
	resp, nonce, err := r.exchange(ctx, r.exchangeID(i, k), i+1, prepare)
	var fault *ChannelFault
	if errors.As(err, &fault) {
		return []reports.Check{answerCheck(i, step.Name, fault)}, nil
	}
	if err != nil {
		return nil, err
	}
	res := &stepResult{nonce: nonce, resp: resp, graphQLStyle: r.graphQLStyle(b)}
	r.steps[step.Name] = res
	j := &judge{r: r, i: i, step: step, b: b, res: res, xid: r.exchangeID(i, k)}
	return j.run()
}

// answerCheck is the failed check of a step whose request the channel did not answer properly.
func answerCheck(i int, stepName string, f *ChannelFault) reports.Check {
	return reports.Check{Name: "answer", Step: i + 1, StepName: stepName, Outcome: reports.Failed,
		Expected: "a complete HTTP answer", Actual: f.Reason,
		Detail: "the request was sent again on a fresh connection where a broken connection could explain it; the channel stayed reachable"}
}

// signAndValidate signs the request as the step asks and, unless the step is deliberately
// invalid or raw, checks it against the contract first. A request the harness builds as valid
// that the contract refuses is a pack bug (ERROR), not the channel's failure.
func (r *caseRun) signAndValidate(b *built, step *specs.Step) (nonce string, err error) {
	opt, err := r.signOptions(step)
	if err != nil {
		return "", err
	}
	signable := !r.e.unsigned[b.op]
	signed := signable && opt.Mode != "none"
	check := b.validate && r.e.openapi != nil
	if check && signable && opt.Mode != "" {
		// The signing headers are contract parameters and tampering with them is the point
		// of the step: judge the request as it would be when signed correctly.
		probe := b.req.Clone(b.req.Context())
		if _, err := r.env.Sign(probe, b.body, SignOptions{Now: opt.Now}); err != nil {
			return "", fmt.Errorf("signing: %w", err)
		}
		if err := r.validateRequest(probe, b.body); err != nil {
			return "", err
		}
		check = false
	}
	if signed {
		if nonce, err = r.env.Sign(b.req, b.body, opt); err != nil {
			return "", fmt.Errorf("signing: %w", err)
		}
	}
	if check {
		if err := r.validateRequest(b.req, b.body); err != nil {
			return "", err
		}
	}
	return nonce, nil
}

func (r *caseRun) validateRequest(req *http.Request, body []byte) error {
	if err := r.e.openapi.ValidateRequest(req, body); err != nil {
		return fmt.Errorf("%w: the request the pack builds does not satisfy the contract: %w", errPackBug, err)
	}
	return nil
}

// signOptions turns the step's sign: spec into SignOptions; reuse-nonce takes the nonce of the
// step named by nonceFrom.
func (r *caseRun) signOptions(step *specs.Step) (SignOptions, error) {
	opt := SignOptions{Now: r.e.opts.Now()}
	if step.Sign == nil {
		return opt, nil
	}
	opt.Mode, opt.Offset = step.Sign.Mode, time.Duration(step.Sign.Offset)
	if step.Sign.Mode == "reuse-nonce" {
		prev, ok := r.steps[step.Sign.NonceFrom]
		if !ok || prev.nonce == "" {
			return opt, fmt.Errorf("%w: sign.nonceFrom %q names no earlier signed step", errPackBug, step.Sign.NonceFrom)
		}
		opt.Nonce = prev.nonce
	}
	return opt, nil
}

// isPackBug reports whether err is the pack's fault.
func isPackBug(err error) bool { return errors.Is(err, errPackBug) }
