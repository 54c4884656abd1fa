package contract

import (
	"os"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

func loadGraphQL(t testing.TB) *GraphQL {
	t.Helper()
	sdl, err := os.ReadFile("testdata/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGraphQL(sdl)
	if err != nil {
		t.Fatalf("NewGraphQL: %v", err)
	}
	return g
}

func TestNewGraphQLRejectsBrokenSDL(t *testing.T) {
	if _, err := NewGraphQL([]byte("type Query { me: Nope }")); err == nil || !strings.Contains(err.Error(), "Nope") {
		t.Fatalf("err = %v, want it to name the undefined type", err)
	}
}

func TestValidateDocument(t *testing.T) {
	g := loadGraphQL(t)
	tests := []struct {
		name, doc string
		want      string // "" = valid
	}{
		{"valid", "{ me { id name } }", ""},
		{"unknown field", "{ me { nam } }", `Cannot query field "nam"`},
		{"syntax", "{ me { ", "Expected Name"},
		{"leaf needs selection", "{ me }", "must have a selection"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := g.ValidateDocument(tt.doc)
			if tt.want == "" {
				if err != nil || doc == nil {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			var list gqlerror.List
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			if _, ok := err.(gqlerror.List); !ok {
				t.Errorf("err is %T, want %T", err, list)
			}
		})
	}
}

const fullQuery = `query Q($withAge: Boolean!, $skipScore: Boolean!) {
  me {
    __typename
    id
    displayName: name
    age @include(if: $withAge)
    score @skip(if: $skipScore)
    active
    status
    friends { id ...F }
  }
  search(q: "x") {
    __typename
    ... on User { id name }
    ... on Post { id title }
  }
  node(id: "1") { id ... on Post { title } }
}
fragment F on User { name }
`

func TestValidateGraphQLResponseGood(t *testing.T) {
	g := loadGraphQL(t)
	doc, err := g.ValidateDocument(fullQuery)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{"withAge": true, "skipScore": true}
	body := `{"data":{
	  "me":{"__typename":"User","id":"u1","displayName":"Ann","age":42,"active":true,"status":"ACTIVE",
	        "friends":[{"id":"u2","name":"Bob"}]},
	  "search":[{"__typename":"User","id":"u3","name":"C"},{"__typename":"Post","id":"p1","title":"T"}],
	  "node":{"id":"p9"}},
	  "extensions":{"cost":1}}`
	res := g.ValidateResponse(doc, "Q", vars, NewBody([]byte(body)))
	if res.Outcome != reports.Passed {
		t.Fatalf("outcome %s: %s", res.Outcome, res.Summary())
	}
	// node without __typename: the Post fragment is optional, but title is still allowed.
	body2 := strings.Replace(body, `"node":{"id":"p9"}`, `"node":{"id":"p9","title":"x"}`, 1)
	if res := g.ValidateResponse(doc, "Q", vars, NewBody([]byte(body2))); res.Outcome != reports.Passed {
		t.Fatalf("optional fragment field: %s", res.Summary())
	}
	errBody := `{"data":null,"errors":[{"message":"no","locations":[{"line":1,"column":2}],"path":["me",0],"extensions":{"code":"X"}}]}`
	if res := g.ValidateResponse(doc, "Q", vars, NewBody([]byte(errBody))); res.Outcome != reports.Passed {
		t.Fatalf("error response: %s", res.Summary())
	}
}

func TestValidateGraphQLResponseBroken(t *testing.T) {
	g := loadGraphQL(t)
	doc, err := g.ValidateDocument(fullQuery)
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]any{"withAge": false, "skipScore": false}
	body := `{"data":{
	  "me":{"__typename":"Post","id":7,"name":"Ann","age":1,"score":"high","active":"yes","status":"GONE",
	        "friends":[null],"secret":1},
	  "search":[{"__typename":"User","id":"u3","name":null},{"__typename":"Comment","id":"c"}],
	  "node":{"id":"p9"}},
	  "errors":[{"locations":[{"line":0}],"path":[true]}],
	  "debug":1}`
	res := g.ValidateResponse(doc, "Q", vars, NewBody([]byte(body)))
	if res.Outcome != reports.Failed {
		t.Fatalf("outcome %s, want failed", res.Outcome)
	}
	want := map[string]string{
		"$.debug":                         "unexpected top-level key",
		"$.errors[0].message":             "string message",
		"$.errors[0].locations[0].line":   "positive integer",
		"$.errors[0].locations[0].column": "positive integer",
		"$.errors[0].path[0]":             "string or an integer",
		"$.data.me.__typename":            `"Post" is not User`,
		"$.data.me.id":                    "not a valid ID",
		"$.data.me.displayName":           "selected field name is missing",
		"$.data.me.name":                  "not selected",
		"$.data.me.age":                   "not selected", // @include(if: false)
		"$.data.me.score":                 `"high" is not a valid Float`,
		"$.data.me.active":                "not a valid Boolean",
		"$.data.me.status":                "not a value of enum Status",
		"$.data.me.friends[0]":            "null in non-null position User!",
		"$.data.me.secret":                "not selected",
		"$.data.search[0].name":           "null in non-null position String!",
		"$.data.search[1].__typename":     `"Comment" is not a possible type of SearchResult`,
	}
	got := map[string]string{}
	for _, p := range res.Problems {
		got[p.Path] += p.Message + " | "
	}
	for path, msg := range want {
		if !strings.Contains(got[path], msg) {
			t.Errorf("%s: got %q, want it to contain %q", path, got[path], msg)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d problem paths, want %d: %v", len(got), len(want), res.Problems)
	}
}

func TestValidateGraphQLResponseShapes(t *testing.T) {
	g := loadGraphQL(t)
	doc, err := g.ValidateDocument(`query A { me { age } } query B { me { id } }`)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, op, body string
		outcome        reports.Outcome
		want           string
	}{
		{"int out of range", "A", `{"data":{"me":{"age":3000000000}}}`, reports.Failed, "number 3000000000 is not a valid Int"},
		{"int fraction", "A", `{"data":{"me":{"age":1.5}}}`, reports.Failed, "not a valid Int"},
		{"nullable null", "A", `{"data":{"me":{"age":null}}}`, reports.Passed, ""},
		{"null non-null root", "A", `{"data":{"me":null}}`, reports.Failed, "$.data.me: null in non-null position User!"},
		{"neither data nor errors", "A", `{}`, reports.Failed, "must have data or errors"},
		{"null data without errors", "A", `{"data":null}`, reports.Failed, "no errors"},
		{"empty errors", "A", `{"errors":[]}`, reports.Failed, "non-empty list"},
		{"not an object", "A", `[1]`, reports.Failed, "must be a JSON object"},
		{"not json", "A", `{`, reports.Failed, "not valid JSON"},
		// The walk used to read only the first JSON value and let anything after it pass.
		{"trailing data", "A", `{"data":{"me":{"age":1}}} {"data":null}`, reports.Failed, "data after the JSON value"},
		{"object expected", "B", `{"data":{"me":"x"}}`, reports.Failed, "expected an object of type User"},
		{"list expected", "B", `{"data":{"me":{"id":"1"}},"extensions":[]}`, reports.Failed, "$.extensions: must be an object"},
		{"unknown operation", "C", `{}`, reports.NotChecked, `no operation "C"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := g.ValidateResponse(doc, tt.op, nil, NewBody([]byte(tt.body)))
			if res.Outcome != tt.outcome {
				t.Fatalf("outcome %s (%s), want %s", res.Outcome, res.Summary(), tt.outcome)
			}
			if !strings.Contains(res.Summary(), tt.want) {
				t.Errorf("summary %q does not contain %q", res.Summary(), tt.want)
			}
		})
	}
	invalid := []struct {
		body    string
		outcome reports.Outcome
	}{
		{`{"errors":[{"message":"Cannot query field"}]}`, reports.Passed},
		{`{"data":{"me":{}},"errors":[{"message":"x"}]}`, reports.Failed},
		{`{"errors":[{}]}`, reports.Failed},
		{`{}`, reports.Failed},
	}
	for _, tt := range invalid {
		if res := g.ValidateResponse(nil, "", nil, NewBody([]byte(tt.body))); res.Outcome != tt.outcome {
			t.Errorf("invalid document, body %s: %s (%s), want %s", tt.body, res.Outcome, res.Summary(), tt.outcome)
		}
	}
}

func TestValidateGraphQLResponseList(t *testing.T) {
	g := loadGraphQL(t)
	doc, err := g.ValidateDocument(`{ search(q: "a") { ... on Post { title } } }`)
	if err != nil {
		t.Fatal(err)
	}
	res := g.ValidateResponse(doc, "", nil, NewBody([]byte(`{"data":{"search":{"title":"x"}}}`)))
	if res.Outcome != reports.Failed || !strings.Contains(res.Summary(), "expected a list") {
		t.Fatalf("got %s %q", res.Outcome, res.Summary())
	}
	// Without __typename a User matches no fragment: {} is fine, a stray field is not.
	res = g.ValidateResponse(doc, "", nil, NewBody([]byte(`{"data":{"search":[{},{"title":"x"},{"name":"n"}]}}`)))
	if res.Outcome != reports.Failed || !strings.Contains(res.Summary(), "$.data.search[2].name") || len(res.Problems) != 1 {
		t.Fatalf("got %s %q", res.Outcome, res.Summary())
	}
}

func BenchmarkValidateGraphQLResponse(b *testing.B) {
	g := loadGraphQL(b)
	doc, err := g.ValidateDocument(`{ me { id name status friends { id } } }`)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"data":{"me":{"id":"1","name":"a","status":"ACTIVE","friends":[{"id":"2"}]}}}`)
	b.ReportAllocs()
	for b.Loop() {
		if res := g.ValidateResponse(doc, "", nil, NewBody(body)); res.Outcome != reports.Passed {
			b.Fatal(res.Summary())
		}
	}
}

// A GraphQL answer labelled text/html fails the contract even when its body is right (issue 11
// finding 1: such answers made a run CONFORMANT).
func TestGraphQLMediaType(t *testing.T) {
	g, err := NewGraphQL([]byte(`type Query { a: String }`))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := g.ValidateDocument(`query Q { a }`)
	if err != nil {
		t.Fatal(err)
	}
	body := NewBody([]byte(`{"data":{"a":"x"}}`))
	for ct, want := range map[string]reports.Outcome{
		"application/json; charset=utf-8":   reports.Passed,
		"application/graphql-response+json": reports.Passed,
		"text/html; charset=utf-8":          reports.Failed,
		"":                                  reports.Failed,
	} {
		if res := g.ValidateHTTPResponse(doc, "Q", nil, ct, body); res.Outcome != want {
			t.Errorf("Content-Type %q: %s %s, want %s", ct, res.Outcome, res.Summary(), want)
		}
	}
}
