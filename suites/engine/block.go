package engine

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// Blocking: a case whose step could not be judged because the channel broke another clause the
// step relies on is not failed for it. Its failed expectations become not-checked, blamed on that
// clause, and the case ends SKIP with the reason (never PASS: what it tests was not judged). The
// clause's own cases fail for the breach. The causes, all from the pack's data:
//   - the step names clauses (Step.Clauses) none of which is the case's: it provokes another
//     rule's answer, and that answer did not come;
//   - a correctly signed request was refused with a code of rules.refusals (SIGNATURE_INVALID to
//     a valid signature): the case's own operation never ran;
//   - the body was cut at the standard's response limit: nothing in it can be judged;
//   - a refusal carries no readable error code (rules.errorBody): the code expectation alone
//     cannot be judged.

// blockCause is why a step's failed expectations are not the case's failure.
type blockCause struct {
	clauses []string
	why     string
	// bodyOnly limits the block to the expectations on the body (the status and headers of a
	// refusal without error body can still be judged).
	bodyOnly bool
	// goOn lets the next steps run: a provoking step (Step.Clauses, no captures) that did not
	// get its answer leaves the rest of the case meaningful.
	goOn bool
}

// bodyChecks are the checks that read the response body.
func bodyChecks() []string {
	return []string{"code", "json", "body", "masked", "same-as", "capture", "expr"}
}

// block turns the step's own failed checks into not-checked when a cause above explains them,
// and records the first such cause as the case's reason to end not judged.
func (j *judge) block() {
	own := j.ownFailures()
	cut, isCut := j.cutCause()
	if len(own) == 0 && !isCut {
		return
	}
	cause, ok := j.blockCause(own)
	if isCut {
		cause, ok = cut, true
	}
	if !ok {
		return
	}
	blocked := 0
	if isCut {
		blocked++ // nothing on a cut body can be judged, whatever passed
	}
	for _, i := range own {
		c := &j.checks[i]
		if cause.bodyOnly && !slices.Contains(bodyChecks(), c.Name) || c.Clause != "" && c.Name != "masked" {
			// A failed rule check of the case's own clause (a refusal without signature in a
			// case of the signature rule) is the case's failure whatever else happened; but a
			// refusal where a masked datum was expected says nothing about masks.
			continue
		}
		c.Outcome = reports.NotChecked
		c.Detail = strings.TrimSpace("not judged: " + cause.why + "; " + c.Detail)
		c.Detail = strings.TrimSuffix(c.Detail, "; ")
		c.Clause = strings.Join(cause.clauses, ", ")
		blocked++
	}
	j.unjudgeMasks(cause)
	if blocked > 0 {
		j.unjudgeExprs(cause)
	}
	if blocked > 0 && !cause.goOn {
		j.r.stop = true
	}
	if blocked > 0 && j.r.blocked == "" {
		j.r.blocked = fmt.Sprintf("not judged: %s: %s [%s]; the cases of that clause judge it", stepLabel(j.i, j.step), cause.why,
			strings.Join(cause.clauses, ", "))
	}
}

// ownFailures are the indexes of the failed checks that would fail this case.
func (j *judge) ownFailures() []int {
	var out []int
	for i, c := range j.checks {
		if c.Outcome == reports.Failed {
			out = append(out, i)
		}
	}
	return out
}

// blockCause finds why the step's failures are another clause's, if they are.
func (j *judge) blockCause(own []int) (blockCause, bool) {
	caseHas := func(id string) bool { return slices.Contains(j.r.c.Clauses, id) }
	if sc := j.step.Clauses; len(sc) > 0 && !slices.ContainsFunc(sc, caseHas) {
		// A step whose captures later steps need (a set-up step) ends the case; a provoking
		// step without captures lets it go on.
		return blockCause{clauses: sc, goOn: len(j.step.Capture) == 0,
			why: "the step relies on " + strings.Join(sc, ", ") + ", which the channel did not keep"}, true
	}
	rules := j.r.e.opts.Pack.Manifest.Rules
	if code, ok := j.anyErrorCode(); ok && j.signedCorrectly() {
		if clause := rules.Refusals[code]; clause != "" && !caseHas(clause) {
			return blockCause{clauses: []string{clause}, why: fmt.Sprintf("a correctly signed request was refused %d %s",
				j.res.resp.status, code)}, true
		}
	}
	if _, ok := j.anyErrorCode(); !ok && rules.ErrorBody != "" && !caseHas(rules.ErrorBody) && j.res.resp.status >= 400 {
		return blockCause{clauses: []string{rules.ErrorBody}, bodyOnly: true,
			why: "the refusal " + strconv.Itoa(j.res.resp.status) + " carries no readable error code"}, true
	}
	return blockCause{}, false
}

// cutCause is the block of a body cut at the standard's response limit, in a case that does not
// test that limit: none of its checks on this response can be judged, passed ones included.
func (j *judge) cutCause() (blockCause, bool) {
	limit := j.r.e.opts.Pack.Manifest.ResponseLimit
	if limit == nil || !j.res.resp.truncated || slices.Contains(j.r.c.Clauses, limit.Clause) ||
		int64(len(j.res.resp.Raw)) < limit.BodyBytes {
		return blockCause{}, false
	}
	return blockCause{clauses: []string{limit.Clause}, why: "the body is larger than the standard allows"}, true
}

// signedCorrectly reports whether the step sent a request the harness signed as the standard
// says (no tampering asked).
func (j *judge) signedCorrectly() bool {
	return j.step.Sign == nil && !j.r.e.unsigned[j.b.op]
}

// anyErrorCode reads the response's error code as the step expects it or, failing that, the
// other way (a GraphQL request refused for signing reasons answers the REST error body).
func (j *judge) anyErrorCode() (string, bool) {
	if code, ok := j.r.errorCode(j.res.graphQLStyle, j.res.resp); ok {
		return code, true
	}
	return j.r.errorCode(!j.res.graphQLStyle, j.res.resp)
}

// unjudgeMasks withdraws the mask checks of a blocked step from the rule book: a refusal where
// a masked datum was expected says nothing about masks.
func (j *judge) unjudgeMasks(cause blockCause) {
	for i := range j.checks {
		if c := &j.checks[i]; c.Name == "masked" && c.Outcome == reports.Observed {
			c.Outcome = reports.NotChecked
			c.Detail = "not judged: " + cause.why
		}
	}
	kept := j.r.hits[:0]
	for _, h := range j.r.hits {
		if h.exchange == j.xid && h.check.Name == "masked" && h.broken {
			continue
		}
		kept = append(kept, h)
	}
	j.r.hits = kept
}

// unjudgeExprs: on a blocked step the expressions that could not be evaluated (they read a
// capture the refusal did not carry) are not judged either, rather than a pack bug.
func (j *judge) unjudgeExprs(cause blockCause) {
	if j.err == nil {
		return
	}
	for i := range j.checks {
		if c := &j.checks[i]; c.Name == "json" && c.Outcome == reports.NotChecked && !strings.HasPrefix(c.Detail, "not judged") {
			c.Detail = "not judged: " + cause.why
		}
	}
	j.err = nil
}

// blockProbe applies the first cause above to a probe step: a probe step naming clauses none of
// which is the case's (a run-wide scan judged by another clause's cases) whose checks failed is
// not judged, blamed on those clauses; the case goes on.
func (r *caseRun) blockProbe(i int, step *specs.Step, checks []reports.Check) {
	sc := step.Clauses
	if len(sc) == 0 || slices.ContainsFunc(sc, func(id string) bool { return slices.Contains(r.c.Clauses, id) }) {
		return
	}
	why := "the step relies on " + strings.Join(sc, ", ") + ", which the channel did not keep"
	blocked := 0
	for k := range checks {
		if c := &checks[k]; c.Outcome == reports.Failed && c.Clause == "" {
			c.Outcome = reports.NotChecked
			c.Detail = strings.TrimSuffix("not judged: "+why+"; "+c.Detail, "; ")
			c.Clause = strings.Join(sc, ", ")
			blocked++
		}
	}
	if blocked > 0 && r.blocked == "" {
		r.blocked = fmt.Sprintf("not judged: %s: %s [%s]; the cases of that clause judge it", stepLabel(i, step), why, strings.Join(sc, ", "))
	}
}
