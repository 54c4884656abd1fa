package contract

import (
	"errors"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// ValidateResponse checks a response to req against the operation req routes to. Unlike
// kin-openapi's own ValidateResponse it never passes silently: an undocumented status is a
// failure (a `default` response documents every status), HEAD requests, 3xx responses and
// responses whose content has no schema are NotChecked with the reason, required response
// headers must be present, and the Content-Type must be one the response documents. Every
// problem is reported, each with the JSON pointer of the offending body value.
func (o *OpenAPI) ValidateResponse(req *http.Request, status int, header http.Header, body *Body) Result {
	if req.Method == http.MethodHead {
		return notChecked("HEAD responses have no body to check against the contract")
	}
	if status >= 300 && status < 400 {
		return notChecked("status %d is a redirect; the contract does not describe redirects", status)
	}
	route, _, err := o.router.FindRoute(req)
	if err != nil {
		return notChecked("%s %s matches no operation of the contract (%v)", req.Method, req.URL.Path, err)
	}
	op := route.Operation
	ref := op.Responses.Status(status)
	if ref == nil {
		ref = op.Responses.Default()
	}
	if ref == nil || ref.Value == nil {
		return finish([]Problem{{Message: fmt.Sprintf("status %d is not documented for operation %s (documented: %s)",
			status, op.OperationID, strings.Join(op.Responses.Keys(), ", "))}}, "")
	}
	resp := ref.Value
	problems := o.checkHeaders(resp, header)
	if len(resp.Content) == 0 {
		if len(body.Raw) > 0 && len(problems) == 0 {
			return notChecked("the contract documents no body for status %d of %s, but %d bytes came back",
				status, op.OperationID, len(body.Raw))
		}
		return finish(problems, "status and headers checked; the contract documents no body")
	}
	ct := header.Get("Content-Type")
	media := resp.Content.Get(ct)
	if media == nil {
		problems = append(problems, Problem{Header: "Content-Type", Message: fmt.Sprintf("Content-Type %q is not documented for status %d of %s (documented: %s)",
			ct, status, op.OperationID, strings.Join(sortedKeys(resp.Content), ", "))})
		return finish(problems, "")
	}
	if media.Schema == nil || media.Schema.Value == nil {
		if len(problems) > 0 {
			return finish(problems, "")
		}
		return notChecked("the contract gives no schema for %s responses with status %d of %s", ct, status, op.OperationID)
	}
	problems = append(problems, o.checkBody(media.Schema.Value, ct, body)...)
	return finish(problems, "")
}

// checkHeaders reports documented headers that are required but absent, and documented headers
// whose value does not match their schema.
func (o *OpenAPI) checkHeaders(resp *openapi3.Response, header http.Header) []Problem {
	var problems []Problem
	for _, name := range sortedKeys(resp.Headers) {
		if strings.EqualFold(name, "Content-Type") {
			continue
		}
		h := resp.Headers[name].Value
		if h == nil {
			continue
		}
		values := header.Values(name)
		if len(values) == 0 {
			if h.Required {
				problems = append(problems, Problem{Header: name, Message: fmt.Sprintf("required response header %s is missing", name)})
			}
			continue
		}
		if h.Schema == nil || h.Schema.Value == nil {
			continue
		}
		if err := h.Schema.Value.VisitJSON(headerValue(h.Schema.Value, values[0]), openapi3.MultiErrors()); err != nil {
			for _, p := range flatten(err, "") {
				problems = append(problems, Problem{Header: name, Message: fmt.Sprintf("response header %s: %s", name, p.Message)})
			}
		}
	}
	return problems
}

// headerValue turns a header's text into the JSON type its schema expects, so that an integer
// header ("Retry-After: 30") is validated as an integer.
func headerValue(s *openapi3.Schema, raw string) any {
	raw = strings.TrimSpace(raw)
	switch {
	case s.Type.Is("integer"), s.Type.Is("number"):
		if f, err := strconv.ParseFloat(raw, 64); err == nil {
			return f
		}
	case s.Type.Is("boolean"):
		if b, err := strconv.ParseBool(raw); err == nil {
			return b
		}
	}
	return raw
}

// checkBody validates a JSON body (any media type ending in json) against the schema; other
// media types are validated as one string.
func (o *OpenAPI) checkBody(schema *openapi3.Schema, ct string, body *Body) []Problem {
	var value any = string(body.Raw)
	if isJSON(ct) {
		v, err := body.JSON()
		switch {
		case errors.Is(err, ErrTrailingData):
			return []Problem{{Message: "the body has data after its JSON value"}}
		case err != nil:
			return []Problem{{Message: fmt.Sprintf("the body is not valid JSON: %v", err)}}
		}
		value = v
	}
	if err := schema.VisitJSON(value, o.schemaOpts...); err != nil {
		return flatten(err, "")
	}
	return nil
}

// IsJSONMediaType reports whether a Content-Type is application/json or a +json type.
func IsJSONMediaType(ct string) bool { return isJSON(ct) }

// isJSON reports whether a Content-Type is application/json or a +json type.
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// sortedKeys returns a map's keys sorted, for deterministic messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
