package contract

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/chanconf/chanconf/reports"
)

const testBase = "https://127.0.0.1:8443/cai/v1"

func loadOpenAPI(t testing.TB) *OpenAPI {
	t.Helper()
	spec, err := os.ReadFile("testdata/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	base, _ := url.Parse(testBase)
	o, err := NewOpenAPI(spec, base)
	if err != nil {
		t.Fatalf("NewOpenAPI: %v", err)
	}
	return o
}

func TestNewOpenAPIRejectsBrokenContracts(t *testing.T) {
	tests := []struct{ name, spec, want string }{
		{"not yaml", "{{{", "loading"},
		{"invalid", "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {/x: {get: {responses: {}}}}\n", "invalid"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewOpenAPI([]byte(tt.spec), nil)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestOperation(t *testing.T) {
	o := loadOpenAPI(t)
	tests := []struct {
		id, method, path string
		ok               bool
	}{
		{"getHealth", "GET", "/health", true},
		{"createThing", "POST", "/things", true},
		{"deleteThing", "DELETE", "/things/{thingId}", true},
		{"nope", "", "", false},
	}
	for _, tt := range tests {
		m, p, ok := o.Operation(tt.id)
		if m != tt.method || p != tt.path || ok != tt.ok {
			t.Errorf("Operation(%q) = %q %q %v, want %q %q %v", tt.id, m, p, ok, tt.method, tt.path, tt.ok)
		}
	}
	if got := len(o.OperationIDs()); got != 6 {
		t.Errorf("OperationIDs: %d, want 6", got)
	}
}

func newReq(method, path, body string, hdr ...string) *http.Request {
	req := httptest.NewRequest(method, testBase+path, strings.NewReader(body))
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return req
}

func TestValidateRequest(t *testing.T) {
	o := loadOpenAPI(t)
	auth := []string{"Authorization", "Bearer abc", "Content-Type", "application/json"}
	tests := []struct {
		name   string
		req    *http.Request
		body   string
		wantOK bool
		want   []string // substrings of the error
	}{
		{"valid", newReq("POST", "/things", "", auth...), `{"name":"a","count":1}`, true, nil},
		{"valid get with path param", newReq("GET", "/things/t-1", ""), "", true, nil},
		{"missing credential", newReq("POST", "/things", "", "Content-Type", "application/json"), `{"name":"a"}`, false,
			[]string{"createThing", `security scheme "bearer" is missing`}},
		{"wrong scheme", newReq("POST", "/things", "", "Authorization", "Basic x", "Content-Type", "application/json"), `{"name":"a"}`, false,
			[]string{"bearer"}},
		{"body problems all listed", newReq("POST", "/things", "", auth...), `{"name":"","count":"x","extra":1}`, false,
			[]string{"/name", "/count", "extra"}},
		{"bad query", newReq("POST", "/things?dryRun=maybe", "", auth...), `{"name":"a"}`, false, []string{`query parameter "dryRun"`}},
		{"unknown path", newReq("GET", "/nowhere", ""), "", false, []string{"matches no operation"}},
		{"outside base path", httptest.NewRequest("GET", "https://127.0.0.1:8443/health", nil), "", false, []string{"matches no operation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := o.ValidateRequest(tt.req, []byte(tt.body))
			if tt.wantOK {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("err = %v, want a *ValidationError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestValidateRequestLeavesBodyAlone(t *testing.T) {
	o := loadOpenAPI(t)
	req := newReq("POST", "/things", `{"name":"a"}`, "Authorization", "Bearer x", "Content-Type", "application/json")
	if err := o.ValidateRequest(req, []byte(`{"name":"a"}`)); err != nil {
		t.Fatal(err)
	}
	buf := new(bytes.Buffer)
	if _, err := buf.ReadFrom(req.Body); err != nil || buf.String() != `{"name":"a"}` {
		t.Fatalf("original body changed: %q %v", buf.String(), err)
	}
}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	return h
}

func TestValidateResponse(t *testing.T) {
	o := loadOpenAPI(t)
	json := "application/json"
	good := `{"id":"t-1","name":"a","count":2,"kind":"SMALL"}`
	tests := []struct {
		name    string
		method  string
		path    string
		status  int
		header  http.Header
		body    string
		outcome reports.Outcome
		want    []string // substrings of Summary()
	}{
		{"good", "POST", "/things", 201, hdr("Content-Type", json, "X-Request-Id", "r1"), good, reports.Passed, nil},
		{"good with charset", "GET", "/things/t-1", 200, hdr("Content-Type", "application/json; charset=utf-8"), good, reports.Passed, nil},
		{"range status 4XX", "POST", "/things", 409, hdr("Content-Type", json), `{"code":"C","message":"m"}`, reports.Passed, nil},
		{"undocumented status", "GET", "/things/t-1", 202, hdr("Content-Type", json), good, reports.Failed,
			[]string{"status 202 is not documented for operation getThing", "200, 302"}},
		{"head", "HEAD", "/health", 200, hdr(), "", reports.NotChecked, []string{"HEAD"}},
		{"redirect", "GET", "/things/t-1", 302, hdr("Location", "/x"), "", reports.NotChecked, []string{"redirect"}},
		{"no schema", "GET", "/blob", 200, hdr("Content-Type", "application/octet-stream"), "xx", reports.NotChecked,
			[]string{"no schema"}},
		{"no body documented, none sent", "DELETE", "/things/t-1", 204, hdr(), "", reports.Passed, nil},
		{"no body documented, body sent", "DELETE", "/things/t-1", 204, hdr(), "{}", reports.NotChecked, []string{"2 bytes"}},
		{"missing required header", "POST", "/things", 201, hdr("Content-Type", json), good, reports.Failed,
			[]string{"required response header X-Request-Id is missing"}},
		{"header schema", "POST", "/things", 201, hdr("Content-Type", json, "X-Request-Id", "r", "Retry-After", "soon"), good,
			reports.Failed, []string{"response header Retry-After"}},
		{"undocumented content type", "GET", "/things/t-1", 200, hdr("Content-Type", "text/plain"), good, reports.Failed,
			[]string{`Content-Type "text/plain" is not documented`, "application/json"}},
		{"missing content type", "GET", "/things/t-1", 200, hdr(), good, reports.Failed, []string{`Content-Type ""`}},
		{"every body problem with its pointer", "GET", "/things/t-1", 200, hdr("Content-Type", json),
			`{"id":"x","count":-1,"kind":"HUGE","extra":true}`, reports.Failed,
			[]string{"/id", "/count", "/kind", "name", "extra"}},
		{"not json", "GET", "/things/t-1", 200, hdr("Content-Type", json), `{"id":`, reports.Failed, []string{"not valid JSON"}},
		{"trailing data", "GET", "/things/t-1", 200, hdr("Content-Type", json), good + good, reports.Failed, []string{"after its JSON"}},
		// json.Decoder.More let a stray closing brace after the value pass.
		{"trailing brace", "GET", "/things/t-1", 200, hdr("Content-Type", json), good + "}", reports.Failed, []string{"after its JSON"}},
		{"headers and body both reported", "POST", "/things", 201, hdr("Content-Type", json), `{}`, reports.Failed,
			[]string{"X-Request-Id", "id"}},
		{"unknown route", "GET", "/nowhere", 200, hdr(), "", reports.NotChecked, []string{"matches no operation"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := o.ValidateResponse(newReq(tt.method, tt.path, ""), tt.status, tt.header, NewBody([]byte(tt.body)))
			if res.Outcome != tt.outcome {
				t.Fatalf("outcome = %s (%s), want %s", res.Outcome, res.Summary(), tt.outcome)
			}
			if (res.Outcome == reports.Failed) != (len(res.Problems) > 0) {
				t.Errorf("problems %v inconsistent with outcome %s", res.Problems, res.Outcome)
			}
			if res.Outcome == reports.NotChecked && res.Reason == "" {
				t.Error("not-checked without a reason")
			}
			for _, w := range tt.want {
				if !strings.Contains(res.Summary(), w) {
					t.Errorf("summary %q does not mention %q", res.Summary(), w)
				}
			}
		})
	}
}

func TestValidateResponseProblemPointers(t *testing.T) {
	o := loadOpenAPI(t)
	res := o.ValidateResponse(newReq("GET", "/things/t-1", ""), 200, hdr("Content-Type", "application/json"),
		NewBody([]byte(`{"id":"x","name":"n","count":-1}`)))
	got := map[string]bool{}
	for _, p := range res.Problems {
		got[p.Path] = true
		if strings.Contains(p.Message, "Value:") {
			t.Errorf("problem message dumps the value: %q", p.Message)
		}
	}
	for _, want := range []string{"/id", "/count"} {
		if !got[want] {
			t.Errorf("no problem at %s in %v", want, res.Problems)
		}
	}
}

func TestValidateResponseConcurrent(t *testing.T) {
	o := loadOpenAPI(t)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				body := `{"id":"t-1","name":"a","count":2}`
				want := reports.Passed
				if i%2 == 1 {
					body, want = `{"id":"t-1"}`, reports.Failed
				}
				res := o.ValidateResponse(newReq("GET", "/things/t-1", ""), 200, hdr("Content-Type", "application/json"), NewBody([]byte(body)))
				if res.Outcome != want {
					errs <- res.Summary()
					return
				}
				if err := o.ValidateRequest(newReq("GET", "/things/t-1", "").WithContext(context.Background()), nil); err != nil {
					errs <- err.Error()
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func BenchmarkValidateResponse(b *testing.B) {
	o := loadOpenAPI(b)
	req := newReq("GET", "/things/t-1", "")
	h := hdr("Content-Type", "application/json")
	body := []byte(`{"id":"t-1","name":"a","count":2,"kind":"SMALL"}`)
	b.ReportAllocs()
	for b.Loop() {
		if res := o.ValidateResponse(req, 200, h, NewBody(body)); res.Outcome != reports.Passed {
			b.Fatal(res.Summary())
		}
	}
}

// TestAllOfSchemaErrorsStayShort: kin-openapi wraps allOf failures in a plain error around the
// SchemaError; the problem must still carry its pointer and reason only, never the schema and
// value dump (the value may be a secret).
func TestAllOfSchemaErrorsStayShort(t *testing.T) {
	spec := `openapi: 3.0.3
info: {title: t, version: "1"}
servers: [{url: "` + testBase + `"}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        "404":
          description: not found
          content:
            application/json:
              schema:
                allOf:
                  - {type: object, properties: {code: {type: string}}}
                  - {type: object, properties: {code: {type: string, enum: [NOT_FOUND]}}}
`
	base, _ := url.Parse(testBase)
	o, err := NewOpenAPI([]byte(spec), base)
	if err != nil {
		t.Fatal(err)
	}
	res := o.ValidateResponse(newReq("GET", "/things/t-1", ""), 404, hdr("Content-Type", "application/json"),
		NewBody([]byte(`{"code":"SECRET_TOKEN_VALUE"}`)))
	if res.Outcome != reports.Failed || len(res.Problems) == 0 {
		t.Fatalf("wrong code passed: %+v", res)
	}
	for _, p := range res.Problems {
		if strings.Contains(p.Message, "SECRET_TOKEN_VALUE") || strings.Contains(p.Message, "Schema:") {
			t.Errorf("problem dumps the schema or value: %q", p.Message)
		}
		if p.Path != "/code" {
			t.Errorf("problem path %q, want /code", p.Path)
		}
	}
}
