package engine

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/contract"
)

// CaseOutcome is the result of executing one case. Its fields match runner.Outcome, so the
// runner's adapter is a plain conversion.
type CaseOutcome struct {
	CaseID string
	State  reports.State
	// Message explains a non-PASS state: the first failed check as "step N (name): <check>
	// expected X, got Y [clauses]" and how many more failed, or the environment problem.
	Message string
	// Checks are every check that ran, redacted.
	Checks []reports.Check
	// Evidence are the IDs of the case's exchanges.
	Evidence []string
	Started  time.Time
	Duration time.Duration
	// NotApplicable marks a SKIP because the case's rule does not apply to this channel (its
	// `when` condition is false for the declaration, or a probe found the rule inapplicable):
	// such a SKIP does not make the verdict INCOMPLETE.
	NotApplicable bool
}

// caseRun is the state of one execution of a case.
type caseRun struct {
	e     *Executor
	c     *specs.Case
	env   CaseEnv
	funcs map[string]any
	// tmpl carries funcs for executing the run's shared template trees (render).
	tmpl *template.Template
	// budget bounds what the templates of one attempt at a step produce (budget.go).
	budget renderBudget
	// personas is the case's .p, read once: a case's personas do not change.
	personas map[string]map[string]string
	vars     map[string]any
	secrets  []string // captured secret values
	// received are values of members the contract marks secret, found in this case's
	// exchanges; guarded by mu (a probe may send concurrently).
	received []string
	checks   []reports.Check
	evidence []string
	// mu guards pending and evidence: a probe may send concurrently through ProbeEnv.Do.
	mu      sync.Mutex
	pending []reports.Exchange // recorded, not yet redacted and published
	// probeChecks are failed media-type checks of a running probe's answers.
	probeChecks []reports.Check
	steps       map[string]*stepResult
	envErr      error // the first environment problem (makes the case ERROR)
	// notApplicable is a probe's reason why the case's rule does not apply to this channel;
	// the remaining steps do not run and, without a failed check, the case is SKIP.
	notApplicable string
	// hits are the case's rule checks, for the run's rule book once the case ends.
	hits []ruleHit
	// blocked says why the case could not be judged: a step relied on a clause the channel
	// broke (block.go); the remaining steps do not run and, without a failed check, it is SKIP.
	blocked string
	// stop ends the case after a blocked step whose answer the next steps need.
	stop bool
}

// stepResult is a step's last exchange: what its checks judge, and what later steps may refer
// to by step name (nonceFrom, sameAs).
type stepResult struct {
	nonce string
	resp  *received
	// graphQLStyle is true when the error code is read from errors[0].extensions.code.
	graphQLStyle bool
}

// Run executes c: it skips a case of an undeclared profile, prepares the personas, runs the
// steps in order (stopping after the first failing step except for always: steps) and judges
// the case. It returns promptly when ctx is done (the case is then ERROR). The caller bounds
// the case with ctx (the runner applies the case's timeout or its own override); each exchange
// is also bounded by Options.RequestTimeout.
func (e *Executor) Run(ctx context.Context, c *specs.Case) CaseOutcome {
	started := e.opts.Now()
	clock := time.Now()
	out := CaseOutcome{CaseID: c.ID, Started: started}
	if reason, skip := e.skipReason(c); skip {
		out.State, out.Message, out.Checks, out.Evidence = reports.Skip, reason, []reports.Check{}, []string{}
		return out
	}
	if reason, applies, err := e.applies(c); err != nil || !applies {
		out.State, out.Message, out.Checks, out.Evidence = reports.Skip, reason, []reports.Check{}, []string{}
		out.NotApplicable = true
		if err != nil {
			out.State, out.Message, out.NotApplicable = reports.Error, err.Error(), false
		}
		return out
	}
	r := &caseRun{e: e, c: c, vars: map[string]any{}, steps: map[string]*stepResult{}}
	r.execute(ctx)
	out.State, out.Message = r.judge()
	out.NotApplicable = out.State == reports.Skip && r.blocked == ""
	red := r.redactor()
	r.mu.Lock()
	e.remember(r.secrets, r.received)
	r.mu.Unlock()
	if r.env != nil {
		e.remember(r.env.Secrets())
	}
	for i := range r.checks {
		red.check(&r.checks[i])
	}
	for i := range r.hits {
		red.check(&r.hits[i].check)
	}
	e.book.add(r.hits)
	out.Message = red.str(out.Message)
	out.Checks = r.checks
	if out.Checks == nil {
		out.Checks = []reports.Check{}
	}
	r.mu.Lock()
	out.Evidence = append([]string{}, r.evidence...)
	r.mu.Unlock()
	out.Duration = time.Since(clock)
	return out
}

// skipReason says why a case does not run against this target.
func (e *Executor) skipReason(c *specs.Case) (string, bool) {
	p := c.Profile
	if p == "" || p == "any" || len(e.opts.Profiles) == 0 || slices.Contains(e.opts.Profiles, p) {
		return "", false
	}
	return fmt.Sprintf("profile %q not declared by the channel (declared: %s)", p, strings.Join(e.opts.Profiles, ", ")), true
}

// execute prepares the case environment and runs the steps.
func (r *caseRun) execute(ctx context.Context) {
	env, err := r.e.opts.Platform.NewCase(CaseInfo{RunID: r.e.opts.RunID, CaseID: r.c.ID, Personas: r.c.Personas, Seed: r.e.opts.Seed})
	if err != nil {
		r.envErr = fmt.Errorf("preparing the case: %w", err)
		return
	}
	r.env = env
	r.personas = env.Personas()
	r.funcs = make(map[string]any, len(r.e.funcs)+8)
	maps.Copy(r.funcs, r.e.funcs)
	maps.Copy(r.funcs, env.Funcs())
	r.funcs = budgeted(r.funcs, &r.budget)
	r.tmpl = newTemplate().Funcs(r.funcs)
	failed := false
	for i := range r.c.Steps {
		step := &r.c.Steps[i]
		if (failed || r.notApplicable != "" || r.stop) && !step.Always {
			continue
		}
		if ctx.Err() != nil {
			r.environment(i, step, fmt.Errorf("case interrupted before the step: %w", context.Cause(ctx)))
			break
		}
		before := len(r.checks)
		ok := r.runStep(ctx, i, step)
		r.flush()
		if !ok || hasFailure(r.checks[before:]) {
			failed = true
		}
	}
}

// environment records an environment problem of step i (the first one wins the message).
// A pack bug names the pack, so that the message sends the reader to the pack's authors.
func (r *caseRun) environment(i int, step *specs.Step, err error) {
	if r.envErr != nil {
		return
	}
	if isPackBug(err) {
		m := r.e.opts.Pack.Manifest
		err = fmt.Errorf("%w [pack %s %s, %s]", err, m.Name, m.Version, r.e.opts.Pack.Root)
	}
	r.envErr = fmt.Errorf("%s: %w", stepLabel(i, step), err)
}

func stepLabel(i int, step *specs.Step) string {
	if step.Name == "" {
		return fmt.Sprintf("step %d", i+1)
	}
	return fmt.Sprintf("step %d (%s)", i+1, step.Name)
}

func hasFailure(checks []reports.Check) bool {
	return slices.ContainsFunc(checks, func(c reports.Check) bool { return c.Outcome == reports.Failed })
}

// judge derives the case state: a failed check fails a MUST case and warns a SHOULD case; an
// environment problem without a failed check is ERROR; otherwise PASS.
func (r *caseRun) judge() (reports.State, string) {
	var failedChecks []reports.Check
	for _, c := range r.checks {
		if c.Outcome == reports.Failed {
			failedChecks = append(failedChecks, c)
		}
	}
	if len(failedChecks) > 0 {
		msg := r.failureMessage(failedChecks)
		if r.envErr != nil {
			msg += "; also: " + r.envErr.Error()
		}
		if r.c.Level == specs.SHOULD {
			return reports.Warn, msg
		}
		return reports.Fail, msg
	}
	if r.envErr != nil {
		return reports.Error, r.envErr.Error()
	}
	if r.blocked != "" {
		return reports.Skip, r.blocked
	}
	if r.notApplicable != "" {
		return reports.Skip, r.notApplicable
	}
	return reports.Pass, ""
}

func (r *caseRun) failureMessage(failed []reports.Check) string {
	f := failed[0]
	var b strings.Builder
	fmt.Fprintf(&b, "step %d", f.Step)
	if f.StepName != "" {
		fmt.Fprintf(&b, " (%s)", f.StepName)
	}
	fmt.Fprintf(&b, ": %s expected %s, got %s", f.Name, orNone(f.Expected), orNone(f.Actual))
	if f.Detail != "" {
		fmt.Fprintf(&b, " (%s)", f.Detail)
	}
	if len(r.c.Clauses) > 0 {
		fmt.Fprintf(&b, " [%s]", strings.Join(r.c.Clauses, ", "))
	}
	if n := len(failed) - 1; n > 0 {
		fmt.Fprintf(&b, "; and %d more failed check", n)
		if n > 1 {
			b.WriteString("s")
		}
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return `""`
	}
	return s
}

// redactor covers the run's secrets, the case's minted secrets, its secret captures and the
// values of secret members it received or sent.
func (r *caseRun) redactor() *redactor {
	var caseSecrets []string
	if r.env != nil {
		caseSecrets = r.env.Secrets()
	}
	r.mu.Lock()
	received := append([]string(nil), r.received...)
	r.mu.Unlock()
	return newRedactor(r.e.sensitive, r.e.secrets, caseSecrets, r.secrets, received)
}

// learnSecrets adds to received the values of secret members in the pending exchanges' bodies
// (duplicate members included), before they are redacted.
func (r *caseRun) learnSecrets(pending []reports.Exchange) {
	if len(r.e.secretMembers) == 0 {
		return
	}
	var found []string
	for i := range pending {
		found = append(found, contract.SecretValues([]byte(pending[i].Request.Body), r.e.secretMembers)...)
		found = append(found, contract.SecretValues([]byte(pending[i].Response.Body), r.e.secretMembers)...)
	}
	if len(found) == 0 {
		return
	}
	r.mu.Lock()
	r.received = append(r.received, found...)
	r.mu.Unlock()
}

// flush redacts the exchanges recorded since the last flush and publishes them.
func (r *caseRun) flush() {
	r.mu.Lock()
	pending := r.pending
	r.pending = nil
	r.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	r.learnSecrets(pending)
	red := r.redactor()
	for i := range pending {
		red.exchange(&pending[i])
		r.e.bound(&pending[i])
	}
	r.e.publish(pending)
}

// errPackBug marks a problem that is the pack's fault, not the channel's or the environment's.
var errPackBug = errors.New("pack bug")
