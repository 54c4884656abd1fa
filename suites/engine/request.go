package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/contract"
)

// Headers the engine adds to every request so that a channel's logs can be matched to a run.
const (
	HeaderRunID  = "X-Conformance-Run-Id"
	HeaderCaseID = "X-Conformance-Case-Id"
)

// stepKind is which kind of request a step sends.
type stepKind int

const (
	kindCall stepKind = iota
	kindGraphQL
	kindRaw
)

// built is a request ready to sign and send, with what the checks need to know about it.
type built struct {
	kind stepKind
	req  *http.Request
	body []byte
	// op is the operationId of a Call step.
	op string
	// validate is true when the request must satisfy the contract before it is sent.
	validate bool
	// GraphQL: the validated document (nil when it does not validate), operation and variables.
	doc    gqlDoc
	opName string
	vars   map[string]any
}

// build renders a step's request.
func (r *caseRun) build(ctx context.Context, step *specs.Step) (*built, error) {
	data := r.data(step.As)
	var (
		b       *built
		headers map[string]string
		err     error
	)
	switch {
	case step.Call != nil:
		b, err = r.buildCall(ctx, step.Call, data)
		headers = step.Call.Headers
	case step.GraphQL != nil:
		b, err = r.buildGraphQL(ctx, step.GraphQL, data)
		headers = step.GraphQL.Headers
	case step.Raw != nil:
		b, err = r.buildRaw(ctx, step.Raw, data)
		headers = step.Raw.Headers
	default:
		return nil, fmt.Errorf("%w: the step has no call, graphql, raw or probe", errPackBug)
	}
	if err != nil {
		return nil, err
	}
	if step.As != "" {
		if err := r.setHeaders(b.req, r.e.opts.Pack.Manifest.SessionHeaders, data); err != nil {
			return nil, fmt.Errorf("session headers: %w", err)
		}
	}
	if err := r.setHeaders(b.req, headers, data); err != nil {
		return nil, err
	}
	b.req.Header.Set(HeaderRunID, r.e.opts.RunID)
	b.req.Header.Set(HeaderCaseID, r.c.ID)
	return b, nil
}

func (r *caseRun) setHeaders(req *http.Request, tpl map[string]string, data map[string]any) error {
	hs, err := r.renderMap(tpl, data)
	if err != nil {
		return fmt.Errorf("header %w", err)
	}
	for k, v := range hs {
		req.Header.Set(k, v)
	}
	return nil
}

func (r *caseRun) buildCall(ctx context.Context, c *specs.Call, data map[string]any) (*built, error) {
	if r.e.openapi == nil {
		return nil, fmt.Errorf("%w: operation %s: the pack has no OpenAPI contract", errPackBug, c.Operation)
	}
	method, tpl, ok := r.e.openapi.Operation(c.Operation)
	if !ok {
		return nil, fmt.Errorf("%w: operation %s is not in the OpenAPI contract", errPackBug, c.Operation)
	}
	params, err := r.renderMap(c.PathParams, data)
	if err != nil {
		return nil, fmt.Errorf("path parameter %w", err)
	}
	path := tpl
	for k, v := range params {
		path = strings.ReplaceAll(path, "{"+k+"}", url.PathEscape(v))
	}
	query, err := r.renderMap(c.Query, data)
	if err != nil {
		return nil, fmt.Errorf("query parameter %w", err)
	}
	if len(query) > 0 {
		path += "?" + encodeQuery(query)
	}
	body, ct, err := r.callBody(c, data)
	if err != nil {
		return nil, err
	}
	req, err := r.newRequest(ctx, method, path, body, ct)
	if err != nil {
		return nil, err
	}
	return &built{kind: kindCall, req: req, body: body, op: c.Operation, validate: !c.Invalid}, nil
}

func (r *caseRun) callBody(c *specs.Call, data map[string]any) ([]byte, string, error) {
	switch {
	case c.Body != nil:
		body, err := r.renderValue(c.Body, data)
		if err != nil {
			return nil, "", fmt.Errorf("body: %w", err)
		}
		ct := c.ContentType
		if ct == "" {
			ct = "application/json"
		}
		return body, ct, nil
	case c.RawBody != "":
		body, err := r.render(c.RawBody, data)
		if err != nil {
			return nil, "", fmt.Errorf("rawBody: %w", err)
		}
		return []byte(body), c.ContentType, nil
	}
	return nil, c.ContentType, nil
}

// encodeQuery encodes query parameters sorted by name (deterministic, so signatures and
// recorded URLs are stable).
func encodeQuery(q map[string]string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = url.QueryEscape(k) + "=" + url.QueryEscape(q[k])
	}
	return strings.Join(parts, "&")
}

func (r *caseRun) buildGraphQL(ctx context.Context, g *specs.GraphQLCall, data map[string]any) (*built, error) {
	if r.e.graphql == nil {
		return nil, fmt.Errorf("%w: a graphql step but the pack has no GraphQL schema", errPackBug)
	}
	payload := map[string]json.RawMessage{}
	payload["query"], _ = json.Marshal(g.Document)
	if g.OperationName != "" {
		payload["operationName"], _ = json.Marshal(g.OperationName)
	}
	var vars map[string]any
	if g.Variables != nil {
		raw, err := r.renderValue(g.Variables, data)
		if err != nil {
			return nil, fmt.Errorf("variables: %w", err)
		}
		payload["variables"] = raw
		v, err := contract.DecodeJSON(raw)
		if err != nil {
			return nil, fmt.Errorf("variables: %w", err)
		}
		vars, _ = v.(map[string]any)
	}
	body, err := marshalOrdered(payload, "query", "operationName", "variables")
	if err != nil {
		return nil, err
	}
	req, err := r.newRequest(ctx, http.MethodPost, r.e.opts.Pack.Manifest.Contracts.GraphQLPath, body, "application/json")
	if err != nil {
		return nil, err
	}
	doc := r.e.caches.document(g.Document, r.e.graphql.ValidateDocument)
	if doc.err != nil && !g.Invalid {
		return nil, fmt.Errorf("%w: the GraphQL document does not validate against the schema: %v", errPackBug, doc.err)
	}
	return &built{kind: kindGraphQL, req: req, body: body, doc: doc, opName: g.OperationName, vars: vars}, nil
}

// marshalOrdered writes a JSON object with the given keys in that order (absent keys skipped).
func marshalOrdered(m map[string]json.RawMessage, keys ...string) ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	first := true
	for _, k := range keys {
		v, ok := m[k]
		if !ok {
			continue
		}
		if !first {
			b.WriteByte(',')
		}
		first = false
		name, _ := json.Marshal(k)
		b.Write(name)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (r *caseRun) buildRaw(ctx context.Context, raw *specs.RawCall, data map[string]any) (*built, error) {
	path, err := r.render(raw.Path, data)
	if err != nil {
		return nil, fmt.Errorf("path: %w", err)
	}
	var body []byte
	if raw.RawBody != "" {
		s, err := r.render(raw.RawBody, data)
		if err != nil {
			return nil, fmt.Errorf("rawBody: %w", err)
		}
		body = []byte(s)
	}
	req, err := r.newRequest(ctx, raw.Method, path, body, raw.ContentType)
	if err != nil {
		return nil, err
	}
	return &built{kind: kindRaw, req: req, body: body}, nil
}

// newRequest builds a request to the base URL plus path (which may carry a query).
func (r *caseRun) newRequest(ctx context.Context, method, path string, body []byte, ct string) (*http.Request, error) {
	target := strings.TrimSuffix(r.e.opts.BaseURL.String(), "/") + "/" + strings.TrimPrefix(path, "/")
	req, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("building %s %s: %w", method, path, err)
	}
	if len(body) == 0 {
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return req, nil
}
