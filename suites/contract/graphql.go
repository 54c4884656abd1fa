package contract

import (
	"fmt"

	"github.com/chanconf/chanconf/reports"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// GraphQL is a compiled GraphQL schema. It is read-only after NewGraphQL returns and safe for
// concurrent use.
type GraphQL struct {
	schema *ast.Schema
}

// NewGraphQL loads an SDL document (the built-in scalars and directives are added).
func NewGraphQL(sdl []byte) (*GraphQL, error) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: string(sdl)})
	if err != nil {
		return nil, fmt.Errorf("loading the GraphQL schema: %w", err)
	}
	return &GraphQL{schema: schema}, nil
}

// Schema returns the loaded schema (read-only), for probes that need type information.
func (g *GraphQL) Schema() *ast.Schema { return g.schema }

// ValidateDocument parses doc and validates it against the schema with the default rules. The
// error is a gqlerror.List with every problem and its location.
func (g *GraphQL) ValidateDocument(doc string) (*ast.QueryDocument, error) {
	q, errs := gqlparser.LoadQueryWithRules(g.schema, doc, rules.NewDefaultRules())
	if len(errs) > 0 {
		return nil, errs
	}
	return q, nil
}

// ValidateResponse checks a GraphQL response body against the operation opName of doc (a
// document returned by ValidateDocument; opName may be empty when doc has one operation), with
// the request's variables vars (used for @skip and @include). It checks the top-level shape,
// the errors list, and every value of data against the selection set: selected fields present,
// nothing unselected, aliases, fragments, nullability, scalar and enum values. Each problem
// carries the JSONPath of the value at fault.
//
// A nil doc stands for a document that does not validate (hardening tests send those on
// purpose): the response must then be a well-formed errors-only response, since a document
// that fails validation must not execute.
func (g *GraphQL) ValidateResponse(doc *ast.QueryDocument, opName string, vars map[string]any, body *Body) Result {
	var op *ast.OperationDefinition
	if doc != nil {
		if op = doc.Operations.ForName(opName); op == nil {
			return notChecked("the document has no operation %q", opName)
		}
	}
	resp, err := body.JSON()
	if err != nil {
		return finish([]Problem{{Path: "$", Message: fmt.Sprintf("the body is not valid JSON: %v", err)}}, "")
	}
	w := &walker{schema: g.schema}
	if op != nil {
		w.vars = coerceVars(g.schema, op, vars)
	}
	w.response(op, resp)
	return finish(w.problems, "")
}

// coerceVars applies the operation's variable defaults and coercions; when the variables do not
// coerce (a deliberately invalid request), the raw values are used as given.
func coerceVars(schema *ast.Schema, op *ast.OperationDefinition, vars map[string]any) map[string]any {
	coerced, err := validator.VariableValues(schema, op, vars)
	if err != nil {
		return vars
	}
	return coerced
}

// ValidateHTTPResponse is ValidateResponse for an answer as received: a GraphQL answer is JSON
// (GraphQL over HTTP: application/json or application/graphql-response+json), so a body
// labelled otherwise (text/html, say) fails the contract whatever it holds, as a REST answer
// with an undocumented Content-Type does.
func (g *GraphQL) ValidateHTTPResponse(doc *ast.QueryDocument, opName string, vars map[string]any, contentType string, body *Body) Result {
	res := g.ValidateResponse(doc, opName, vars, body)
	if isJSON(contentType) {
		return res
	}
	p := Problem{Header: "Content-Type", Message: fmt.Sprintf("Content-Type %q is not a JSON media type (a GraphQL answer is application/json)", contentType)}
	if res.Outcome == reports.Failed {
		res.Problems = append([]Problem{p}, res.Problems...)
		return res
	}
	return finish([]Problem{p}, "")
}
