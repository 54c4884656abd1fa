package engine

import (
	"fmt"
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
	return j.checks, j.err
}

func (j *judge) add(name string, outcome reports.Outcome, expected, actual, detail string) {
	j.checks = append(j.checks, reports.Check{Name: name, Step: j.i + 1, StepName: j.step.Name,
		Outcome: outcome, Expected: expected, Actual: actual, Detail: detail})
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
	j.add("response size", reports.Failed, fmt.Sprintf("a body of at most %d bytes (%s)", limit.BodyBytes, limit.Clause), actual,
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
	case j.res.resp.truncated:
		res = contract.Result{Outcome: reports.NotChecked, Reason: fmt.Sprintf("the body was truncated at %d bytes", len(j.res.resp.Raw))}
	case j.b.kind == kindGraphQL:
		res = j.r.e.graphql.ValidateHTTPResponse(j.b.doc.doc, j.b.opName, j.b.vars, j.res.resp.header.Get("Content-Type"), j.res.resp.Body)
	default:
		res = j.r.e.openapi.ValidateResponse(j.b.req, j.res.resp.status, j.res.resp.header, j.res.resp.Body)
	}
	actual := "conforms"
	if res.Outcome != reports.Passed {
		actual = res.Summary()
	}
	if res.Outcome == reports.NotChecked {
		actual = ""
	}
	j.add("contract", res.Outcome, expected, actual, res.Reason)
}

func (j *judge) signature(enabled *bool) {
	const expected = "a valid response signature"
	switch {
	case j.r.e.unsigned[j.b.op] && j.b.op != "":
		j.add("signature", reports.NotChecked, expected, "", "operation "+j.b.op+" is unsigned")
	case enabled != nil && !*enabled:
		j.add("signature", reports.NotChecked, expected, "", "disabled by the case")
	case j.res.resp.truncated:
		j.add("signature", reports.NotChecked, expected, "", "the body was truncated")
	default:
		err := j.r.env.VerifyResponse(j.res.nonce, j.res.resp.status, j.res.resp.header, j.res.resp.Raw)
		if err != nil {
			j.add("signature", reports.Failed, expected, err.Error(), "")
			return
		}
		j.add("signature", reports.Passed, expected, "verified", "")
	}
}
