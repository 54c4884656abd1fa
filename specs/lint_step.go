package specs

import (
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/theory/jsonpath"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// methodPattern is an HTTP method as a raw step may send it.
var methodPattern = regexp.MustCompile(`^[A-Z]+$`)

// step checks one step. Request templates may use the captures of earlier steps; expectations
// may also use the step's own captures (they are evaluated after the response).
func (cl *caseLinter) step(i int, s *Step) {
	f := "steps[" + strconv.Itoa(i) + "]"
	cl.roots = caseRoots()
	if s.As != "" {
		cl.roots = sessionRoots()
	}
	cl.stepHeader(f, s)
	for k, id := range s.Clauses {
		if cl.li.clauses[id] == nil {
			cl.errf(f+".clauses["+strconv.Itoa(k)+"]", "unknown clause %q", id)
		}
	}
	switch {
	case s.Call != nil:
		cl.call(f+".call", s.Call)
	case s.GraphQL != nil:
		cl.graphql(f+".graphql", s.GraphQL)
	case s.Raw != nil:
		cl.raw(f+".raw", s.Raw)
	case s.Probe != nil:
		cl.probe(f+".probe", s.Probe)
	}
	cl.sign(f+".sign", s)
	own := maps.Clone(cl.vars)
	for j := range s.Capture {
		cl.capture(f+".capture["+strconv.Itoa(j)+"]", s, &s.Capture[j], own)
	}
	cl.expect(f+".expect", s, own)
	cl.vars = own
	if s.Name != "" {
		cl.steps[s.Name] = true
	}
}

// stepHeader checks the step's name, kind, persona and timing.
func (cl *caseLinter) stepHeader(f string, s *Step) {
	switch {
	case strings.TrimSpace(s.Name) == "":
		cl.errf(f+".name", "missing name (steps are named in reports and referenced by sameAs and nonceFrom)")
	case cl.steps[s.Name]:
		cl.errf(f+".name", "step name %q used twice in this case", s.Name)
	}
	var kinds []string
	for _, k := range []struct {
		name string
		set  bool
	}{{"call", s.Call != nil}, {"graphql", s.GraphQL != nil}, {"raw", s.Raw != nil}, {"probe", s.Probe != nil}} {
		if k.set {
			kinds = append(kinds, k.name)
		}
	}
	if len(kinds) != 1 {
		got := "none"
		if len(kinds) > 1 {
			got = strings.Join(kinds, ", ")
		}
		cl.errf(f, "want exactly one of call, graphql, raw, probe; got %s", got)
	}
	if s.As != "" {
		cl.persona(f+".as", s.As)
		if cl.personas[s.As] && !cl.vars["session."+s.As] {
			cl.errf(f+".as", "acts as %q but no earlier step captures session.%s", s.As, s.As)
		}
	}
	if s.Wait < 0 {
		cl.errf(f+".wait", "negative wait")
	}
	if s.WaitUntil != "" {
		cl.template(f+".waitUntil", s.WaitUntil, cl.vars)
	}
	if s.Repeat < 0 {
		cl.errf(f+".repeat", "negative repeat")
	}
}

// sign checks the tamper mode and the parameters it needs.
func (cl *caseLinter) sign(f string, s *Step) {
	sg := s.Sign
	if sg == nil {
		return
	}
	switch {
	case s.Probe != nil:
		cl.errf(f, "sign has no effect on a probe step")
	case s.Call != nil && slices.Contains(cl.li.m.Unsigned, s.Call.Operation):
		cl.errf(f, "operation %q is unsigned (manifest unsigned); sign has no effect", s.Call.Operation)
	}
	if !slices.Contains(SignModes(), sg.Mode) {
		cl.errf(f+".mode", "unknown sign mode %q (want one of %s)", sg.Mode, strings.Join(SignModes(), ", "))
	}
	if (sg.Mode == "timestamp-offset") != (sg.Offset != 0) {
		cl.errf(f+".offset", "offset is required by, and only allowed with, mode timestamp-offset")
	}
	if (sg.Mode == "reuse-nonce") != (sg.NonceFrom != "") {
		cl.errf(f+".nonceFrom", "nonceFrom is required by, and only allowed with, mode reuse-nonce")
	}
	if sg.NonceFrom != "" {
		cl.earlierStep(f+".nonceFrom", sg.NonceFrom)
	}
}

// call checks a REST step against the OpenAPI operation it names.
func (cl *caseLinter) call(f string, c *Call) {
	cl.templates(f+".path", c.PathParams)
	cl.templates(f+".query", c.Query)
	cl.templates(f+".headers", c.Headers)
	cl.value(f+".body", c.Body, cl.vars)
	cl.template(f+".rawBody", c.RawBody, cl.vars)
	if c.Body != nil && c.RawBody != "" {
		cl.errf(f+".rawBody", "body and rawBody are exclusive")
	}
	if c.Operation == "" {
		cl.errf(f+".operation", "missing operation (an operationId of the OpenAPI contract)")
		return
	}
	if cl.li.m.Contracts.OpenAPI == "" {
		cl.errf(f, "a call step needs an OpenAPI contract (contracts.openapi)")
	}
	if cl.li.ct.ops == nil {
		return
	}
	op := cl.li.ct.ops[c.Operation]
	if op == nil {
		cl.errf(f+".operation", "unknown operationId %q", c.Operation)
		return
	}
	missing, unknown := missingAndUnknown(op.pathParams, c.PathParams)
	if len(missing) > 0 {
		cl.errf(f+".path", "missing path parameter %s of %s %s", strings.Join(missing, ", "), op.method, op.path)
	}
	for _, u := range unknown {
		cl.errf(f+".path."+u, "unknown path parameter %q of %s %s", u, op.method, op.path)
	}
	if c.Invalid {
		return
	}
	for _, q := range names(c.Query) {
		if !op.query[q] {
			cl.errf(f+".query."+q, "operation %s has no query parameter %q (mark the step invalid: true for a negative test)", c.Operation, q)
		}
	}
	if !op.hasBody && (c.Body != nil || c.RawBody != "") {
		field := f + ".body"
		if c.Body == nil {
			field = f + ".rawBody"
		}
		cl.errf(field, "operation %s takes no request body (mark the step invalid: true for a negative test)", c.Operation)
	}
}

// graphql checks a GraphQL step; the document must validate against the SDL unless invalid.
func (cl *caseLinter) graphql(f string, g *GraphQLCall) {
	cl.templates(f+".headers", g.Headers)
	cl.value(f+".variables", g.Variables, cl.vars)
	if g.Variables != nil && g.Variables.Kind != KindMap {
		cl.errf(f+".variables", "variables must be a mapping")
	}
	if strings.TrimSpace(g.Document) == "" {
		cl.errf(f+".document", "missing document")
		return
	}
	if cl.li.m.Contracts.GraphQL == "" {
		cl.errf(f, "a graphql step needs a GraphQL contract (contracts.graphql)")
	}
	if g.Invalid || cl.li.ct.schema == nil {
		return
	}
	doc, errs := gqlparser.LoadQueryWithRules(cl.li.ct.schema, g.Document, cl.li.gql)
	if len(errs) > 0 {
		cl.errf(f+".document", "GraphQL document does not validate (mark the step invalid: true for a negative test): %s", gqlMessages(errs))
		return
	}
	if g.OperationName != "" && doc.Operations.ForName(g.OperationName) == nil {
		cl.errf(f+".operationName", "the document has no operation %q", g.OperationName)
	}
}

// gqlMessages joins GraphQL errors with their positions inside the document.
func gqlMessages(errs gqlerror.List) string {
	msgs := make([]string, len(errs))
	for i, e := range errs {
		msgs[i] = e.Message
		if len(e.Locations) > 0 {
			msgs[i] += " (document " + e.Locations[0].String() + ")"
		}
	}
	return strings.Join(msgs, "; ")
}

// raw checks a request outside the contract.
func (cl *caseLinter) raw(f string, r *RawCall) {
	if !methodPattern.MatchString(r.Method) {
		cl.errf(f+".method", "method %q is not an upper-case HTTP method", r.Method)
	}
	if !strings.HasPrefix(r.Path, "/") && !strings.HasPrefix(r.Path, "{{") {
		cl.errf(f+".path", "path %q must start with / (it is relative to the base URL)", r.Path)
	}
	cl.template(f+".path", r.Path, cl.vars)
	cl.templates(f+".headers", r.Headers)
	cl.template(f+".rawBody", r.RawBody, cl.vars)
}

// probe checks that the probe exists and accepts its parameters.
func (cl *caseLinter) probe(f string, p *ProbeCall) {
	if p.Name == "" {
		cl.errf(f+".name", "missing probe name")
		return
	}
	if p.Name == ObservedProbe {
		cl.observedStep(f)
		if p.With.Kind != 0 {
			cl.errf(f+".with", "probe %s takes no parameters (it reports the case's own rule clauses)", ObservedProbe)
		}
		return
	}
	probes := cl.li.l.opts.Probes
	if probes == nil {
		return
	}
	validate, ok := probes[p.Name]
	if !ok {
		cl.errf(f+".name", "unknown probe %q (known: %s)", p.Name, strings.Join(names(probes), ", "))
		return
	}
	if validate == nil {
		return
	}
	if err := validate(&p.With); err != nil {
		cl.errf(f+".with", "probe %s: %w", p.Name, err)
	}
}

// capture checks one capture and adds its variable to vars.
func (cl *caseLinter) capture(f string, s *Step, c *Capture, vars map[string]bool) {
	if s.Probe != nil {
		cl.errf(f, "a probe step captures nothing")
	}
	switch {
	case c.Var == "":
		cl.errf(f+".var", "missing var")
	case !varPattern.MatchString(c.Var):
		cl.errf(f+".var", "var %q is not a dotted identifier", c.Var)
	default:
		vars[c.Var] = true
	}
	if p, ok := strings.CutPrefix(c.Var, "session."); ok {
		cl.persona(f+".var", p)
	}
	if (c.Path == "") == (c.Header == "") {
		cl.errf(f, "want exactly one of path and header")
	}
	cl.jsonPath(f+".path", c.Path)
}

// jsonPath checks an optional RFC 9535 JSONPath.
func (cl *caseLinter) jsonPath(f, p string) {
	if p == "" {
		return
	}
	if _, err := jsonpath.Parse(p); err != nil {
		cl.errf(f, "bad JSONPath %q: %v", p, err)
	}
}
