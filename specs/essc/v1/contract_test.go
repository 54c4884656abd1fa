package esscv1_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

func loadContract(t *testing.T) *openapi3.T {
	t.Helper()
	data, err := esscv1.FS.ReadFile("openapi.yaml")
	if err != nil {
		t.Fatalf("read embedded openapi.yaml: %v", err)
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(data)
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("validate openapi.yaml: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Fatalf("openapi version %q, want 3.0.3 (3.1 is slow to validate with kin-openapi)", doc.OpenAPI)
	}
	return doc
}

const validCard = `{"cardId":"c_7Hq2LmX9pQ4sT1vW","status":"ISSUED","level":1,"region":"110000",` +
	`"idNoMasked":"110***********002X","nameMasked":"张*","phoneMasked":"138****5678",` +
	`"issuedAt":"2026-03-01T08:00:00Z"}`

func signedHeaders() http.Header {
	return http.Header{
		"Content-Type":              {"application/json; charset=utf-8"},
		"X-Cai-Timestamp":           {"1772352000000"},
		"X-Cai-Signature":           {"MEUCIQDn3X7q2d0vJc8pIhF1Vt9b4o5R6y7W8e9K0L1M2N3O4A=="},
		"Cache-Control":             {"no-store"},
		"X-Content-Type-Options":    {"nosniff"},
		"Strict-Transport-Security": {"max-age=31536000; includeSubDomains"},
	}
}

func TestContractValidatesResponses(t *testing.T) {
	doc := loadContract(t)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	without := func(name string) http.Header {
		h := signedHeaders()
		h.Del(name)
		return h
	}
	with := func(name, value string) http.Header {
		h := signedHeaders()
		h.Set(name, value)
		return h
	}
	tests := []struct {
		name    string
		method  string
		path    string
		status  int
		header  http.Header
		body    string
		wantErr string // "" means the response must validate
	}{
		{"valid card", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, signedHeaders(), validCard, ""},
		{"valid level-2 card", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, signedHeaders(),
			strings.Replace(validCard, `"level":1`, `"level":2,"bankAccountMasked":"622202*********0123"`, 1), ""},
		{"extra field", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, signedHeaders(),
			strings.Replace(validCard, `"level":1`, `"level":1,"idNo":"11010519491231002X"`, 1), "idNo"},
		{"unmasked ID number", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, signedHeaders(),
			strings.Replace(validCard, "110***********002X", "11010519491231002X", 1), "idNoMasked"},
		{"name kept two characters", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, signedHeaders(),
			strings.Replace(validCard, "张*", "欧阳*", 1), "nameMasked"},
		{"unknown status", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, signedHeaders(),
			strings.Replace(validCard, "ISSUED", "ACTIVE", 1), "status"},
		{"level 3", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, signedHeaders(),
			strings.Replace(validCard, `"level":1`, `"level":3`, 1), "level"},
		{"bad issuedAt", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, signedHeaders(),
			strings.Replace(validCard, "2026-03-01T08:00:00Z", "2026-03-01 08:00", 1), "issuedAt"},
		{"no response signature", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, without("X-CAI-Signature"), validCard,
			"X-CAI-Signature"},
		{"no Cache-Control", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200, without("Cache-Control"), validCard,
			"Cache-Control"},
		{"Cache-Control without no-store", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200,
			with("Cache-Control", "no-cache"), validCard, "Cache-Control"},
		{"short HSTS", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200,
			with("Strict-Transport-Security", "max-age=3600"), validCard, "Strict-Transport-Security"},
		{"long HSTS", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 200,
			with("Strict-Transport-Security", "max-age=63072000"), validCard, ""},
		{"undocumented status", "POST", "/cards", 202, signedHeaders(), validCard, "status is not supported"},
		{"valid 404", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 404, signedHeaders(),
			`{"code":"CARD_NOT_FOUND","message":"card not found","requestId":"r-1"}`, ""},
		{"403 for another citizen's card", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 403, signedHeaders(),
			`{"code":"CARD_NOT_FOUND","message":"card not found","requestId":"r-1"}`, "code"},
		{"error without requestId", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", 404, signedHeaders(),
			`{"code":"CARD_NOT_FOUND","message":"card not found"}`, "requestId"},
		{"429 needs Retry-After", "POST", "/cards/c_7Hq2LmX9pQ4sT1vW/qrcodes", 429, signedHeaders(),
			`{"code":"RATE_LIMITED","message":"slow down","requestId":"r-2"}`, "Retry-After"},
		{"429 with Retry-After", "POST", "/cards/c_7Hq2LmX9pQ4sT1vW/qrcodes", 429, with("Retry-After", "30"),
			`{"code":"RATE_LIMITED","message":"slow down","requestId":"r-2"}`, ""},
		{"unsigned health", "GET", "/health", 200, without("X-CAI-Signature"), `{"status":"UP"}`, ""},
		{"health DOWN", "GET", "/health", 200, signedHeaders(), `{"status":"DOWN"}`, "status"},
		{"graphql request refusal", "POST", "/graphql", 400, signedHeaders(),
			`{"errors":[{"message":"introspection is disabled","extensions":{"code":"GRAPHQL_INTROSPECTION"}}]}`, ""},
		{"graphql refusal without code", "POST", "/graphql", 400, signedHeaders(),
			`{"errors":[{"message":"introspection is disabled"}]}`, "code"},
		{"graphql data", "POST", "/graphql", 200, signedHeaders(), `{"data":{"me":{"nameMasked":"张*"}}}`, ""},
		{"204 logout", "DELETE", "/sessions/current", 204, without("Content-Type"), "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := validateResponse(t, router, tt.method, tt.path, tt.status, tt.header, tt.body)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("valid response refused: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("invalid response accepted (want an error mentioning %q)", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error %q does not mention %q", err, tt.wantErr)
			}
		})
	}
}

func validateResponse(t *testing.T, router routers.Router, method, path string, status int,
	header http.Header, body string) error {
	t.Helper()
	req, err := http.NewRequest(method, "https://channel.example/cai/v1"+path, nil)
	if err != nil {
		t.Fatalf("request: %v", err)
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("route %s %s: %v", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{
		Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in, Status: status, Header: header,
		Body:    io.NopCloser(bytes.NewReader([]byte(body))),
		Options: in.Options,
	}
	return openapi3filter.ValidateResponse(context.Background(), out)
}

func TestContractValidatesRequests(t *testing.T) {
	doc := loadContract(t)
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("router: %v", err)
	}
	signing := func() http.Header {
		return http.Header{
			"Content-Type":     {"application/json"},
			"X-Cai-Channel-No": {"1000000001"},
			"X-Cai-Timestamp":  {"1772352000000"},
			"X-Cai-Nonce":      {"n-4f1c2b7a9e0d3c58"},
			"X-Cai-Signature":  {"MEUCIQDn3X7q2d0vJc8pIhF1Vt9b4o5R6y7W8e9K0L1M2N3O4A=="},
			"X-Cai-Device-Id":  {"dev-7f3a9c21"},
			"Authorization":    {"Bearer s3ss10n-9QhZk2Lr7mXw4TbV1yPc"},
		}
	}
	const apply = `{"faceToken":"aGVhZGVy.cGF5bG9hZA.c2ln","region":"110000","level":1}`
	tests := []struct {
		name    string
		method  string
		path    string
		drop    string
		body    string
		wantErr string
	}{
		{"valid apply", "POST", "/cards", "", apply, ""},
		{"apply without nonce", "POST", "/cards", "X-CAI-Nonce", apply, "X-CAI-Nonce"},
		{"apply without device", "POST", "/cards", "X-CAI-Device-Id", apply, "X-CAI-Device-Id"},
		{"apply with unknown field", "POST", "/cards", "", strings.Replace(apply, `"level":1`, `"level":1,"x":1`, 1), "x"},
		{"apply with bad region", "POST", "/cards", "", strings.Replace(apply, "110000", "11000", 1), "region"},
		{"apply with level 3", "POST", "/cards", "", strings.Replace(apply, `"level":1`, `"level":3`, 1), "level"},
		{"valid event", "POST", "/platform/events", "",
			`{"eventId":"evt-00000001","type":"CHANNEL_SUSPENDED","occurredAt":"2026-03-01T08:00:00Z","data":{}}`, ""},
		{"event of unknown type", "POST", "/platform/events", "",
			`{"eventId":"evt-00000001","type":"CHANNEL_PAUSED","occurredAt":"2026-03-01T08:00:00Z","data":{}}`, "type"},
		{"graphql without session", "POST", "/graphql", "Authorization", `{"query":"{ me { nameMasked } }"}`, ""},
		{"valid card read", "GET", "/cards/c_7Hq2LmX9pQ4sT1vW", "", "", ""},
		{"card ID with a space", "GET", "/cards/c_7Hq2LmX9pQ4s%20T1vW", "", "", "cardId"},
		{"health needs nothing", "GET", "/health", "X-CAI-Signature", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			req, err := http.NewRequest(tt.method, "https://channel.example/cai/v1"+tt.path, body)
			if err != nil {
				t.Fatalf("request: %v", err)
			}
			req.Header = signing()
			req.Header.Del(tt.drop)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatalf("route: %v", err)
			}
			err = openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{
				Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc},
			})
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("valid request refused: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Fatalf("invalid request accepted (want an error mentioning %q)", tt.wantErr)
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Fatalf("error %q does not mention %q", err, tt.wantErr)
			}
		})
	}
}

func findOperation(doc *openapi3.T, id string) *openapi3.Operation {
	for _, o := range operations(doc) {
		if o.id == id {
			return o.op
		}
	}
	return nil
}
