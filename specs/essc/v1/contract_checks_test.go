package esscv1_test

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// wantOperations returns every REST operation of STANDARD.md: operationId -> "METHOD path".
func wantOperations() map[string]string {
	return map[string]string{
		"getHealth":           "GET /health",
		"createSession":       "POST /sessions",
		"deleteSession":       "DELETE /sessions/current",
		"applyCard":           "POST /cards",
		"getCard":             "GET /cards/{cardId}",
		"reportLoss":          "POST /cards/{cardId}/loss",
		"undoLoss":            "POST /cards/{cardId}/loss/undo",
		"unbindCard":          "POST /cards/{cardId}/unbind",
		"issueQRCode":         "POST /cards/{cardId}/qrcodes",
		"verifyQRCode":        "POST /platform/qrcodes/verify",
		"listAuthorizations":  "GET /authorizations",
		"grantAuthorization":  "PUT /authorizations/{businessCode}",
		"revokeAuthorization": "DELETE /authorizations/{businessCode}",
		"invokeBusiness":      "POST /business/{businessCode}/invoke",
		"postPlatformEvent":   "POST /platform/events",
		"graphql":             "POST /graphql",
	}
}

// unsignedOps returns the operations sent without request signing.
func unsignedOps() []string { return []string{"getHealth"} }

// noSession returns the operations that are signed (or not) but need no session.
func noSession() []string {
	return []string{"getHealth", "createSession", "verifyQRCode", "postPlatformEvent", "graphql"}
}

// signingHeaders returns the request signing headers (CAI-2.1).
func signingHeaders() []string {
	return []string{"X-CAI-Channel-No", "X-CAI-Timestamp", "X-CAI-Nonce", "X-CAI-Signature"}
}

const errorRef = "#/components/schemas/Error"

type operation struct {
	id, method, path string
	op               *openapi3.Operation
	params           openapi3.Parameters // path-level and operation-level
}

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			params := append(slices.Clone(item.Parameters), op.Parameters...)
			ops = append(ops, operation{id: op.OperationID, method: method, path: path, op: op, params: params})
		}
	}
	sort.Slice(ops, func(i, j int) bool { return ops[i].id < ops[j].id })
	return ops
}

// checkOperations reports operations missing from or unexpected in the contract.
func checkOperations(doc *openapi3.T) []string {
	var problems []string
	got := map[string]string{}
	for _, o := range operations(doc) {
		got[o.id] = o.method + " " + o.path
	}
	want := wantOperations()
	for id, w := range want {
		if got[id] != w {
			problems = append(problems, fmt.Sprintf("operation %s: got %q, want %q", id, got[id], w))
		}
	}
	for id := range got {
		if _, ok := want[id]; !ok {
			problems = append(problems, fmt.Sprintf("operation %s is not in the standard", id))
		}
	}
	sort.Strings(problems)
	return problems
}

// refersToError tells whether a schema is the Error schema or an allOf narrowing it.
func refersToError(s *openapi3.SchemaRef) bool {
	if s == nil {
		return false
	}
	if s.Ref == errorRef {
		return true
	}
	return s.Value != nil && len(s.Value.AllOf) > 0 && s.Value.AllOf[0].Ref == errorRef
}

// checkErrorResponses reports 4xx/5xx responses whose JSON body is not the Error schema. The
// GraphQL request-level 400 is the one exception (STANDARD.md section 12).
func checkErrorResponses(doc *openapi3.T) []string {
	var problems []string
	for _, o := range operations(doc) {
		for status, resp := range o.op.Responses.Map() {
			if status < "400" {
				continue
			}
			mt := resp.Value.Content.Get("application/json")
			var schema *openapi3.SchemaRef
			if mt != nil {
				schema = mt.Schema
			}
			if o.id == "graphql" && status == "400" {
				if schema == nil || schema.Ref != "#/components/schemas/GraphQLErrorResponse" {
					problems = append(problems, "graphql 400: not the GraphQL error body")
				}
				continue
			}
			if !refersToError(schema) {
				problems = append(problems, fmt.Sprintf("%s %s: body is not the Error schema", o.id, status))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

func findParam(params openapi3.Parameters, in, name string) *openapi3.Parameter {
	for _, p := range params {
		if p.Value != nil && p.Value.In == in && strings.EqualFold(p.Value.Name, name) {
			return p.Value
		}
	}
	return nil
}

// checkSigning reports signed operations without the four required signing headers, signed
// responses without the signature headers, citizen operations without bearer security or the
// device header, and responses without the section 11 headers.
func checkSigning(doc *openapi3.T) []string {
	var problems []string
	for _, o := range operations(doc) {
		signed := !slices.Contains(unsignedOps(), o.id)
		for _, h := range signingHeaders() {
			p := findParam(o.params, openapi3.ParameterInHeader, h)
			switch {
			case signed && (p == nil || !p.Required || p.Schema == nil || p.Schema.Value.Pattern == ""):
				problems = append(problems, fmt.Sprintf("%s: %s must be a required header with a pattern", o.id, h))
			case !signed && p != nil:
				problems = append(problems, fmt.Sprintf("%s: unsigned operation takes %s", o.id, h))
			}
		}
		if !slices.Contains(noSession(), o.id) {
			if o.op.Security == nil || len(*o.op.Security) != 1 || (*o.op.Security)[0]["bearer"] == nil {
				problems = append(problems, o.id+": citizen operation without bearer security")
			}
			if p := findParam(o.params, openapi3.ParameterInHeader, "X-CAI-Device-Id"); p == nil || !p.Required {
				problems = append(problems, o.id+": citizen operation without required X-CAI-Device-Id")
			}
		}
		for status, resp := range o.op.Responses.Map() {
			want := []string{"Cache-Control", "X-Content-Type-Options", "Strict-Transport-Security"}
			if signed {
				want = append(want, "X-CAI-Timestamp", "X-CAI-Signature")
			}
			if status == "429" {
				want = append(want, "Retry-After")
			}
			for _, h := range want {
				hr := resp.Value.Headers[h]
				if hr == nil || hr.Value == nil || !hr.Value.Required {
					problems = append(problems, fmt.Sprintf("%s %s: response header %s not required", o.id, status, h))
				}
			}
			if status == "204" && len(resp.Value.Content) != 0 {
				problems = append(problems, o.id+" 204: has content")
			}
		}
	}
	sort.Strings(problems)
	return problems
}

func TestContractLoadsAndIsComplete(t *testing.T) {
	doc := loadContract(t)
	if _, err := gorillamux.NewRouter(doc); err != nil {
		t.Fatalf("router: %v", err)
	}
	checks := []struct {
		name  string
		check func(*openapi3.T) []string
	}{
		{"operations", checkOperations},
		{"error responses", checkErrorResponses},
		{"signing", checkSigning},
		{"statuses", checkStatuses},
		{"refusal codes", checkRefusalCodes},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			for _, p := range c.check(doc) {
				t.Error(p)
			}
		})
	}
}

// TestContractChecksCatchDefects breaks a fresh copy of the contract in one way per row and
// expects the structural check to report it, so that the checks above cannot silently pass.
func TestContractChecksCatchDefects(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*openapi3.T)
		check  func(*openapi3.T) []string
		want   string
	}{
		{
			name:   "missing operation",
			mutate: func(d *openapi3.T) { d.Paths.Find("/cards/{cardId}/loss").Post.OperationID = "lose" },
			check:  checkOperations,
			want:   "operation reportLoss",
		},
		{
			name: "error body not Error",
			mutate: func(d *openapi3.T) {
				d.Paths.Find("/cards/{cardId}").Get.Responses.Status(404).Value.Content["application/json"].Schema =
					openapi3.NewSchemaRef("", openapi3.NewObjectSchema())
			},
			check: checkErrorResponses,
			want:  "getCard 404",
		},
		{
			name: "signing header not required",
			mutate: func(d *openapi3.T) {
				op := d.Paths.Find("/platform/events").Post
				op.Parameters = slices.DeleteFunc(slices.Clone(op.Parameters), func(p *openapi3.ParameterRef) bool {
					return p.Value.Name == "X-CAI-Nonce"
				})
			},
			check: checkSigning,
			want:  "postPlatformEvent: X-CAI-Nonce",
		},
		{
			name:   "citizen operation without bearer",
			mutate: func(d *openapi3.T) { d.Paths.Find("/authorizations").Get.Security = nil },
			check:  checkSigning,
			want:   "listAuthorizations: citizen operation without bearer",
		},
		{
			name: "response signature header optional",
			mutate: func(d *openapi3.T) {
				resp := d.Paths.Find("/business/{businessCode}/invoke").Post.Responses.Status(200).Value
				h := *resp.Headers["X-CAI-Signature"].Value
				h.Required = false
				hs := openapi3.Headers{}
				for k, v := range resp.Headers {
					hs[k] = v
				}
				hs["X-CAI-Signature"] = &openapi3.HeaderRef{Value: &h}
				resp.Headers = hs
			},
			check: checkSigning,
			want:  "invokeBusiness 200: response header X-CAI-Signature",
		},
		{
			name:   "bodyless operation lists 415",
			mutate: func(d *openapi3.T) { d.Paths.Find("/cards/{cardId}").Get.Responses.Set("415", &openapi3.ResponseRef{}) },
			check:  checkStatuses,
			want:   "getCard: lists 415",
		},
		{
			name:   "signed operation without 413",
			mutate: func(d *openapi3.T) { d.Paths.Find("/cards/{cardId}/loss").Post.Responses.Delete("413") },
			check:  checkStatuses,
			want:   "reportLoss: does not list 413",
		},
		{
			name: "refusal code under another status",
			mutate: func(d *openapi3.T) {
				op := d.Paths.Find("/cards/{cardId}/loss").Post
				op.Description = strings.Replace(op.Description, "409 CARD_STATUS", "409 CARD_NOT_FOUND", 1)
			},
			check: checkRefusalCodes,
			want:  "reportLoss: 409 CARD_NOT_FOUND",
		},
		{
			name: "listed status never described",
			mutate: func(d *openapi3.T) {
				op := d.Paths.Find("/authorizations").Get
				op.Description = strings.Replace(op.Description, "; 413 BODY_TOO_LARGE", "", 1)
			},
			check: checkRefusalCodes,
			want:  "listAuthorizations: lists 413",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := loadContract(t)
			if got := tt.check(doc); len(got) != 0 {
				t.Fatalf("intact contract already has problems: %v", got)
			}
			tt.mutate(doc)
			got := strings.Join(tt.check(doc), "\n")
			if !strings.Contains(got, tt.want) {
				t.Fatalf("problems %q do not mention %q", got, tt.want)
			}
		})
	}
}
