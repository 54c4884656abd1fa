package specs

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
)

// pathParam matches a path template parameter such as {cardId}.
var pathParam = regexp.MustCompile(`\{([^{}]+)\}`)

// contracts is what the linter needs from the contract files: the OpenAPI operations by
// operationId and the GraphQL schema. A nil field means the contract is absent or broken (the
// problem is already recorded).
type contracts struct {
	ops    map[string]*operation
	schema *ast.Schema
}

// operation is one OpenAPI operation as the linter sees it.
type operation struct {
	method, path string
	pathParams   []string        // from the path template, in order
	query        map[string]bool // declared query parameter names
	hasBody      bool
}

// loadContracts reads, parses and validates the contract files named by the manifest, recording
// problems at the manifest line that names the file.
func (l *loader) loadContracts() *contracts {
	ct := &contracts{}
	m := l.pack.Manifest.Contracts
	if m.OpenAPI != "" {
		if data, ok := l.readContract(m.OpenAPI, "contracts.openapi"); ok {
			l.pack.OpenAPI = data
			ct.ops = l.loadOpenAPI(m.OpenAPI, data)
		}
	}
	if m.GraphQL != "" {
		if data, ok := l.readContract(m.GraphQL, "contracts.graphql"); ok {
			l.pack.GraphQL = data
			ct.schema = l.loadGraphQL(m.GraphQL, data)
		}
	}
	return ct
}

// readContract reads a contract file named at manifest field.
func (l *loader) readContract(name, field string) ([]byte, bool) {
	data, err := readPackFile(l.fsys, name)
	if err != nil {
		l.c.add(l.manifest.pos[field], "", field, fmt.Errorf("read %s: %w", name, err))
		return nil, false
	}
	return data, true
}

// loadOpenAPI loads and validates the OpenAPI document and indexes its operations. An invalid
// but parsable document is still indexed, so that cases are checked against it in the same run.
func (l *loader) loadOpenAPI(name string, data []byte) map[string]*operation {
	pos := l.manifest.pos["contracts.openapi"]
	ld := openapi3.NewLoader()
	doc, err := ld.LoadFromData(data)
	if err != nil {
		l.c.add(pos, "", "contracts.openapi", fmt.Errorf("load OpenAPI contract %s: %w", name, err))
		return nil
	}
	if err := doc.Validate(context.Background()); err != nil {
		l.c.add(pos, "", "contracts.openapi", fmt.Errorf("invalid OpenAPI contract %s: %w", name, err))
	}
	return indexOperations(doc)
}

// indexOperations maps operationId to method, path, parameters and body presence.
func indexOperations(doc *openapi3.T) map[string]*operation {
	ops := map[string]*operation{}
	if doc.Paths == nil {
		return ops
	}
	for p, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				continue
			}
			o := &operation{method: method, path: p, query: map[string]bool{}, hasBody: op.RequestBody != nil}
			for _, m := range pathParam.FindAllStringSubmatch(p, -1) {
				o.pathParams = append(o.pathParams, m[1])
			}
			for _, params := range []openapi3.Parameters{item.Parameters, op.Parameters} {
				for _, ref := range params {
					if ref.Value != nil && ref.Value.In == openapi3.ParameterInQuery {
						o.query[ref.Value.Name] = true
					}
				}
			}
			ops[op.OperationID] = o
		}
	}
	return ops
}

// loadGraphQL parses and validates the GraphQL SDL.
func (l *loader) loadGraphQL(name string, data []byte) *ast.Schema {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: string(data)})
	if err != nil {
		l.c.add(l.manifest.pos["contracts.graphql"], "", "contracts.graphql",
			fmt.Errorf("invalid GraphQL schema %s: %w", name, err))
		return nil
	}
	return schema
}

// names returns the sorted keys of a set, for "want one of" messages.
func names[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// missingAndUnknown compares the path parameters a step gives with those the path needs.
func missingAndUnknown(want []string, given map[string]string) (missing, unknown []string) {
	for _, w := range want {
		if _, ok := given[w]; !ok {
			missing = append(missing, w)
		}
	}
	for g := range given {
		if !slices.Contains(want, g) {
			unknown = append(unknown, g)
		}
	}
	sort.Strings(unknown)
	return missing, unknown
}
