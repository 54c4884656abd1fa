package contract

import (
	"net/http"
	"net/url"
	"os"
	"slices"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/vektah/gqlparser/v2/ast"
)

// The walkers read what a channel sends: whatever the bytes, they must return (bounded by the
// input and MaxJSONDepth), never panic, and never pass a body that is not one JSON value. Plain
// `go test` runs the seeds in testdata/fuzz; `go test -fuzz FuzzX ./suites/contract/` explores.

// FuzzDecodeJSON: DecodeJSON and SecretValues on any bytes.
func FuzzDecodeJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":[1,2,{"b":null}]}`, `[[[[[[[[[[]]]]]]]]]]`, `{"sessionToken":"x","sessionToken":"y"}`,
		`"\ud800"`, `{"a":1} x`, `{"a":`, `1e999999`} {
		f.Add([]byte(s))
	}
	names := map[string]bool{"sessionToken": true}
	f.Fuzz(func(t *testing.T, raw []byte) {
		v, err := DecodeJSON(raw)
		found := SecretValues(raw, names)
		if err != nil {
			return
		}
		// Whatever a decoded object keeps under a secret member, the token walk found it too
		// (it sees every duplicate; the map keeps the last).
		if m, ok := v.(map[string]any); ok {
			if s, ok := m["sessionToken"].(string); ok && !slices.Contains(found, s) {
				t.Fatalf("secret %q of %q not found (found %q)", s, raw, found)
			}
		}
	})
}

// FuzzGraphQLResponse: the GraphQL response walker on any body, against fixed documents.
func FuzzGraphQLResponse(f *testing.F) {
	sdl, err := os.ReadFile("testdata/schema.graphql")
	if err != nil {
		f.Fatal(err)
	}
	g, err := NewGraphQL(sdl)
	if err != nil {
		f.Fatal(err)
	}
	docs := []string{
		`query Q { me { id name age score active status friends { id name } } }`,
		`query Q { search(q: "x") { __typename ... on User { id name } ... on Post { id title } } }`,
		`query Q { node(id: "1") { id ... on User { name } } }`,
	}
	for _, s := range []string{`{"data":{"me":{"id":"1","name":"a","age":1,"score":1.5,"active":true,"status":"ACTIVE","friends":[]}}}`,
		`{"data":null,"errors":[{"message":"x","locations":[{"line":1,"column":2}],"path":["me",0]}]}`,
		`{"data":{"search":[{"__typename":"User","id":"1","name":"n"},{"__typename":"Post","id":"2","title":"t"}]}}`,
		`{"errors":[]}`, `[]`, `{"data":{"me":[[[[[[[]]]]]]]}}`} {
		for i := range docs {
			f.Add(uint8(i), []byte(s))
		}
	}
	parsed := make([]*documentCase, len(docs))
	for i, d := range docs {
		q, err := g.ValidateDocument(d)
		if err != nil {
			f.Fatal(err)
		}
		parsed[i] = &documentCase{doc: q}
	}
	f.Fuzz(func(t *testing.T, which uint8, raw []byte) {
		d := parsed[int(which)%len(parsed)]
		res := g.ValidateHTTPResponse(d.doc, "Q", nil, "application/json", NewBody(raw))
		if _, err := DecodeJSON(raw); err != nil && res.Outcome == reports.Passed {
			t.Fatalf("a body that is not one JSON value passed: %q", raw)
		}
	})
}

// FuzzOpenAPIResponse: the OpenAPI response check on any body.
func FuzzOpenAPIResponse(f *testing.F) {
	spec, err := os.ReadFile("testdata/openapi.yaml")
	if err != nil {
		f.Fatal(err)
	}
	o, err := NewOpenAPI(spec, nil)
	if err != nil {
		f.Fatal(err)
	}
	var method, path string
	for _, id := range o.OperationIDs() {
		if m, p, ok := o.Operation(id); ok && m == http.MethodGet {
			method, path = m, p
			break
		}
	}
	for _, s := range []string{`{}`, `{"id":"1"}`, `[1,2]`, `{"a":{"b":{"c":[]}}}`, `nul`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		u := &url.URL{Path: path}
		req := &http.Request{Method: method, URL: u, Header: http.Header{}}
		h := http.Header{"Content-Type": {"application/json"}}
		res := o.ValidateResponse(req, 200, h, NewBody(raw))
		if _, err := DecodeJSON(raw); err != nil && res.Outcome == reports.Passed {
			t.Fatalf("a body that is not one JSON value passed: %q", raw)
		}
	})
}

// documentCase is a validated document for the GraphQL fuzz target.
type documentCase struct{ doc *ast.QueryDocument }
