package contract

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// OpenAPI is a compiled OpenAPI contract bound to one target base URL. It is read-only after
// NewOpenAPI returns, so one value serves every worker of a run concurrently.
type OpenAPI struct {
	doc     *openapi3.T
	router  routers.Router
	ops     map[string]operation
	reqOpts *openapi3filter.Options
	// schemaOpts are the options of every response schema visit.
	schemaOpts []openapi3.SchemaValidationOption
}

// operation is what Operation reports about one operationId.
type operation struct {
	method string
	path   string
}

// NewOpenAPI loads and validates spec, and rewrites its servers to baseURL so that requests to
// the target (whatever host, port and base path it was declared with) route to the contract's
// operations. A nil baseURL drops the servers: paths then match without a base path.
func NewOpenAPI(spec []byte, baseURL *url.URL) (*OpenAPI, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("loading the OpenAPI contract: %w", err)
	}
	// Validate also compiles the schema patterns once, which makes later concurrent use safe.
	if err := doc.Validate(loader.Context); err != nil {
		return nil, fmt.Errorf("the OpenAPI contract is invalid: %w", err)
	}
	doc.Servers = nil
	if baseURL != nil {
		doc.Servers = openapi3.Servers{{URL: strings.TrimSuffix(baseURL.String(), "/")}}
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("building the OpenAPI router: %w", err)
	}
	o := &OpenAPI{
		doc:        doc,
		router:     router,
		ops:        map[string]operation{},
		reqOpts:    &openapi3filter.Options{MultiError: true, AuthenticationFunc: credentialPresent},
		schemaOpts: []openapi3.SchemaValidationOption{openapi3.MultiErrors(), openapi3.VisitAsResponse()},
	}
	if doc.IsOpenAPI31OrLater() {
		o.schemaOpts = append(o.schemaOpts, openapi3.EnableJSONSchema2020())
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID != "" {
				o.ops[op.OperationID] = operation{method: method, path: path}
			}
		}
	}
	return o, nil
}

// Operation returns the method and path template (relative to the base URL, e.g.
// "/cards/{cardId}") of the operation with the given operationId.
func (o *OpenAPI) Operation(id string) (method, pathTemplate string, ok bool) {
	op, ok := o.ops[id]
	return op.method, op.path, ok
}

// OperationIDs returns every operationId of the contract, sorted.
func (o *OpenAPI) OperationIDs() []string {
	ids := make([]string, 0, len(o.ops))
	for id := range o.ops {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// ValidateRequest checks a request the harness is about to send (with its body) against the
// contract: route, parameters, body and the presence of the credentials the operation's
// security requires. req is not consumed: a fresh request is built from it. The error is a
// *ValidationError listing every problem.
func (o *OpenAPI) ValidateRequest(req *http.Request, body []byte) error {
	fresh := freshRequest(req, body)
	route, params, err := o.router.FindRoute(fresh)
	if err != nil {
		return &ValidationError{Err: err, Problems: []Problem{{Message: fmt.Sprintf(
			"%s %s matches no operation of the contract: %v", req.Method, req.URL.Path, err)}}}
	}
	in := &openapi3filter.RequestValidationInput{Request: fresh, PathParams: params, Route: route, Options: o.reqOpts}
	if err := openapi3filter.ValidateRequest(req.Context(), in); err != nil {
		return &ValidationError{Operation: route.Operation.OperationID, Err: err, Problems: flatten(err, "")}
	}
	return nil
}

// freshRequest copies what validation reads (method, URL, headers, body) into a new request,
// because kin-openapi consumes and replaces the body.
func freshRequest(req *http.Request, body []byte) *http.Request {
	fresh := req.Clone(req.Context())
	fresh.Body = io.NopCloser(bytes.NewReader(body))
	fresh.ContentLength = int64(len(body))
	fresh.GetBody = nil
	return fresh
}

// credentialPresent is the AuthenticationFunc: the harness cannot judge a credential's validity
// (that is the channel's job), only that the request carries one where the contract asks for it.
func credentialPresent(_ context.Context, ai *openapi3filter.AuthenticationInput) error {
	req := ai.RequestValidationInput.Request
	s := ai.SecurityScheme
	var present bool
	switch s.Type {
	case "apiKey":
		switch s.In {
		case "query":
			present = req.URL.Query().Get(s.Name) != ""
		case "cookie":
			_, err := req.Cookie(s.Name)
			present = err == nil
		default:
			present = req.Header.Get(s.Name) != ""
		}
	case "http":
		scheme, cred, ok := strings.Cut(req.Header.Get("Authorization"), " ")
		present = ok && strings.EqualFold(scheme, s.Scheme) && strings.TrimSpace(cred) != ""
	default: // oauth2, openIdConnect: a bearer token
		scheme, cred, ok := strings.Cut(req.Header.Get("Authorization"), " ")
		present = ok && strings.EqualFold(scheme, "bearer") && strings.TrimSpace(cred) != ""
	}
	if !present {
		return ai.NewError(fmt.Errorf("the credential of security scheme %q is missing", ai.SecuritySchemeName))
	}
	return nil
}
