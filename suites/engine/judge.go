package engine

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/contract"
)

// judge runs the checks of one response of one step.
type judge struct {
	r      *caseRun
	i      int
	step   *specs.Step
	b      *built
	res    *stepResult
	xid    string // the exchange judged
	checks []reports.Check
	err    error // the first pack bug met while checking
}

// run executes the checks in a fixed order: status, code, contract, signature, headers, JSON
// paths, body, masks, sameAs, captures, then expr assertions (which may use this step's
// captures).
func (j *judge) run() ([]reports.Check, error) {
	ex := &j.step.Expect
	data := j.r.data(j.step.As)
	j.size()
	j.status(ex.Status)
	if ex.Code != "" {
		j.code(ex.Code)
	}
	j.contract(ex.Contract)
	j.signature(ex.Signature)
	for k := range ex.Headers {
		j.header(&ex.Headers[k], data)
	}
	for k := range ex.JSON {
		if ex.JSON[k].Expr == "" {
			j.jsonPath(&ex.JSON[k], data)
		}
	}
	for k := range ex.Body {
		j.body(&ex.Body[k], data)
	}
	for k := range ex.Masked {
		j.masked(&ex.Masked[k])
	}
	if ex.SameAs != "" {
		j.sameAs(ex.SameAs)
	}
	for k := range j.step.Capture {
		j.capture(&j.step.Capture[k])
	}
	for k := range ex.JSON {
		if ex.JSON[k].Expr != "" {
			j.expr(&ex.JSON[k], data)
		}
	}
	j.block()
	return j.checks, j.err
}

func (j *judge) add(name string, outcome reports.Outcome, expected, actual, detail string) {
	j.checks = append(j.checks, reports.Check{Name: name, Step: j.i + 1, StepName: j.step.Name,
		Outcome: outcome, Expected: expected, Actual: actual, Detail: detail})
}

// rule records a check of a cross-cutting rule of the pack, enforcing clause: a failure in a
// case that does not list the clause is Observed (it counts against the clause, reported by the
// clause's owner case, not against this case). Every rule check that ran joins the run's rule
// book. With no clause (the pack names no rule for it) it is an ordinary check of the case.
func (j *judge) rule(name, clause string, outcome reports.Outcome, expected, actual, detail string) {
	if clause == "" {
		j.add(name, outcome, expected, actual, detail)
		return
	}
	if outcome == reports.Failed && !slices.Contains(j.r.c.Clauses, clause) {
		outcome = reports.Observed
	}
	j.add(name, outcome, expected, actual, detail)
	c := &j.checks[len(j.checks)-1]
	c.Clause = clause
	if outcome == reports.NotChecked {
		return
	}
	j.r.hits = append(j.r.hits, ruleHit{clause: clause, exchange: j.xid, check: *c, broken: outcome != reports.Passed})
}

func (j *judge) verdict(name string, ok bool, expected, actual, detail string) {
	outcome := reports.Passed
	if !ok {
		outcome = reports.Failed
	}
	j.add(name, outcome, expected, actual, detail)
}

// packBug records an unusable assertion: the check is not made and the case becomes ERROR.
func (j *judge) packBug(name, expected string, err error) {
	j.add(name, reports.NotChecked, expected, "", err.Error())
	if j.err == nil {
		j.err = err
	}
}

// size judges a body that did not fit the read cap. Past the standard's limit (the pack's
// responseLimit) it is the channel's failure under that limit's clause. Past only chanconf's own
// cap, smaller than the standard's limit, the checks that need the whole body cannot run: that
// is chanconf's limitation, so the case is ERROR, never PASS.
func (j *judge) size() {
	rc := j.res.resp
	if !rc.truncated {
		if limit := j.r.e.opts.Pack.Manifest.ResponseLimit; limit != nil && limit.Clause != "" {
			j.noteChecked(limit.Clause)
		}
		return
	}
	actual := fmt.Sprintf("more than %d bytes", len(rc.Raw))
	if rc.size > 0 {
		actual = fmt.Sprintf("%d bytes", rc.size)
	}
	limit := j.r.e.opts.Pack.Manifest.ResponseLimit
	if limit == nil || int64(len(rc.Raw)) < limit.BodyBytes {
		j.add("response size", reports.NotChecked, fmt.Sprintf("a body within chanconf's read cap of %d bytes", len(rc.Raw)), actual,
			"chanconf's cap is below the standard's limit; raise it to judge this response")
		if j.err == nil {
			j.err = fmt.Errorf("the response body (%s) exceeds chanconf's read cap: its contract and signature could not be checked", actual)
		}
		return
	}
	j.rule("response size", limit.Clause, reports.Failed, fmt.Sprintf("a body of at most %d bytes (%s)", limit.BodyBytes, limit.Clause), actual,
		"the rest of the body was not read; contract and signature cannot be checked on a cut body")
}

func (j *judge) status(want []int) {
	if len(want) == 0 {
		return
	}
	exp := make([]string, len(want))
	for k, s := range want {
		exp[k] = strconv.Itoa(s)
	}
	expected := exp[0]
	if len(exp) > 1 {
		expected = "one of " + strings.Join(exp, ", ")
	}
	j.verdict("status", slices.Contains(want, j.res.resp.status), expected, strconv.Itoa(j.res.resp.status), "")
}

func (j *judge) code(want string) {
	got, ok := j.r.errorCode(j.res.graphQLStyle, j.res.resp)
	actual := strconv.Quote(got)
	if !ok {
		actual = "not present"
	}
	j.verdict("code", ok && got == want, strconv.Quote(want), actual, "")
}

// graphQLStyle tells whether a step's error code is GraphQL's errors[0].extensions.code: for
// GraphQL steps and raw requests to the GraphQL path.
func (r *caseRun) graphQLStyle(b *built) bool {
	if b.kind == kindGraphQL {
		return true
	}
	gp := r.e.opts.Pack.Manifest.Contracts.GraphQLPath
	if b.kind != kindRaw || gp == "" {
		return false
	}
	base := strings.TrimSuffix(r.e.opts.BaseURL.Path, "/")
	return b.req.URL.Path == base+"/"+strings.TrimPrefix(gp, "/")
}

// errorCode reads the error code of a response: the manifest's errorCode JSONPath for REST,
// errors[0].extensions.code for GraphQL. ok is false when there is no string code.
func (r *caseRun) errorCode(graphQL bool, resp *received) (string, bool) {
	doc, err := resp.JSON()
	if err != nil {
		return "", false
	}
	if graphQL {
		top, _ := doc.(map[string]any)
		errs, _ := top["errors"].([]any)
		if len(errs) == 0 {
			return "", false
		}
		first, _ := errs[0].(map[string]any)
		ext, _ := first["extensions"].(map[string]any)
		code, ok := ext["code"].(string)
		return code, ok
	}
	if r.e.errorCode == nil {
		return "", false
	}
	nodes := r.e.errorCode.Select(doc)
	if len(nodes) != 1 {
		return "", false
	}
	code, ok := nodes[0].(string)
	return code, ok
}

func (j *judge) contract(enabled *bool) {
	const expected = "a response the contract documents"
	var res contract.Result
	switch {
	case enabled != nil && !*enabled:
		res = contract.Result{Outcome: reports.NotChecked, Reason: "disabled by the case"}
	case j.b.kind == kindRaw:
		res = contract.Result{Outcome: reports.NotChecked, Reason: "raw requests are outside the contract"}
		if c, clause, ok := j.r.mediaType(j.res.resp); ok {
			j.rule(c.Name, clause, c.Outcome, c.Expected, c.Actual, "")
		}
	case j.res.resp.truncated:
		res = contract.Result{Outcome: reports.NotChecked, Reason: fmt.Sprintf("the body was truncated at %d bytes", len(j.res.resp.Raw))}
	case j.b.kind == kindGraphQL && j.res.resp.status != 200 && j.r.e.openapi != nil:
		// A refusal of a GraphQL request (400 before execution, signing, size, media type) is
		// described by the contract's graphql operation, not by the schema.
		res = j.r.e.openapi.ValidateResponse(j.b.req, j.res.resp.status, j.res.resp.header, j.res.resp.Body)
	case j.b.kind == kindGraphQL:
		res = j.r.e.graphql.ValidateHTTPResponse(j.b.doc.doc, j.b.opName, j.b.vars, j.res.resp.header.Get("Content-Type"), j.res.resp.Body)
	default:
		res = j.r.e.openapi.ValidateResponse(j.b.req, j.res.resp.status, j.res.resp.header, j.res.resp.Body)
	}
	rest, byClause := j.splitHeaderRules(res)
	for _, clause := range slices.Sorted(maps.Keys(byClause)) {
		r := contract.Result{Outcome: reports.Failed, Problems: byClause[clause]}
		j.rule("contract", clause, reports.Failed, expected, r.Summary(), "")
	}
	if res.Outcome != reports.NotChecked {
		for _, clause := range j.r.e.opts.Pack.Manifest.Rules.Headers {
			if _, broken := byClause[clause]; !broken {
				j.noteChecked(clause)
			}
		}
	}
	actual := "conforms"
	if rest.Outcome != reports.Passed {
		actual = rest.Summary()
	}
	if rest.Outcome == reports.NotChecked {
		actual = ""
	}
	j.rule("contract", j.r.e.opts.Pack.Manifest.Rules.Contract, rest.Outcome, expected, actual, rest.Reason)
}

// splitHeaderRules takes out of a failed contract result the problems with headers that a rule
// of the pack gives their own clause (Strict-Transport-Security: the HSTS clause), grouped by
// clause; what remains is the contract's own result.
func (j *judge) splitHeaderRules(res contract.Result) (contract.Result, map[string][]contract.Problem) {
	if res.Outcome != reports.Failed {
		return res, nil
	}
	byClause := map[string][]contract.Problem{}
	var rest []contract.Problem
	for _, p := range res.Problems {
		if clause := j.r.e.headerRule(p.Header); p.Header != "" && clause != "" {
			byClause[clause] = append(byClause[clause], p)
			continue
		}
		rest = append(rest, p)
	}
	if len(rest) == 0 {
		return contract.Result{Outcome: reports.Passed, Reason: "conforms apart from the headers judged under their own clauses"}, byClause
	}
	return contract.Result{Outcome: reports.Failed, Problems: rest}, byClause
}

func (j *judge) signature(enabled *bool) {
	const expected = "a valid response signature"
	clause := j.r.e.opts.Pack.Manifest.Rules.Signature
	switch {
	case j.r.e.unsigned[j.b.op] && j.b.op != "":
		j.rule("signature", clause, reports.NotChecked, expected, "", "operation "+j.b.op+" is unsigned")
	case enabled != nil && !*enabled:
		j.rule("signature", clause, reports.NotChecked, expected, "", "disabled by the case")
	case j.res.resp.truncated:
		j.rule("signature", clause, reports.NotChecked, expected, "", "the body was truncated")
	default:
		err := j.r.env.VerifyResponse(j.res.nonce, j.res.resp.status, j.res.resp.header, j.res.resp.Raw)
		if err != nil {
			j.rule("signature", clause, reports.Failed, expected, err.Error(), "")
			return
		}
		j.rule("signature", clause, reports.Passed, expected, "verified", "")
	}
}

// mediaType checks that a body the contract does not cover (a raw step's, a probe's) is
// labelled JSON, under the pack's rule on Content-Type (CAI-11.1 for e-SSC): an answer labelled
// text/html is the channel's failure wherever it comes, not only on the contract's operations.
// ok is false when the pack has no such rule or the body is empty.
func (r *caseRun) mediaType(rc *received) (c reports.Check, clause string, ok bool) {
	clause = r.e.headerRule("Content-Type")
	if clause == "" || len(rc.Raw) == 0 {
		return reports.Check{}, "", false
	}
	ct := rc.header.Get("Content-Type")
	c = reports.Check{Name: "media type", Outcome: reports.Passed, Expected: "a JSON body labelled application/json", Actual: strconv.Quote(ct)}
	if !contract.IsJSONMediaType(ct) {
		c.Outcome = reports.Failed
	}
	return c, clause, true
}
