package engine

import (
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// thingCase is a one-step case reading thing t-1 with extra expectations.
func thingCase(id string, ex specs.Expect) *specs.Case {
	return oneCase(id, specs.Step{Name: "get", Call: &specs.Call{Operation: "getThing",
		PathParams: map[string]string{"thingId": "t-1"}}, Expect: ex})
}

func TestOperators(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	type tc struct {
		name, path, op, operand string // operand is YAML; "" means none
		pass                    bool
		want                    []string // substrings of the failure message
	}
	tests := []tc{
		{"equals number", "$.count", "equals", "200", true, nil},
		{"equals is type-strict", "$.code", "equals", "200", false, []string{"expected $.code equals 200, got \"200\""}},
		{"equals string", "$.code", "equals", `"200"`, true, nil},
		{"equals number vs string", "$.count", "equals", `"200"`, false, []string{`equals "200", got 200`}},
		{"equals exact decimal", "$.ratio", "equals", "1.50", true, nil},
		{"equals bool", "$.flag", "equals", "true", true, nil},
		{"equals null", "$.none", "equals", "null", true, nil},
		{"equals object", "$.meta", "equals", "{k: v}", true, nil},
		{"equals array", "$.tags", "equals", "[a, b]", true, nil},
		{"equals array order", "$.tags", "equals", "[b, a]", false, []string{`["a","b"]`}},
		{"equals template", "$.id", "equals", `"{{ printf \"t-%d\" 1 }}"`, true, nil},
		{"equals nothing", "$.nope", "equals", "1", false, []string{"nothing at $.nope"}},
		{"notEquals", "$.count", "notEquals", `"200"`, true, nil},
		{"notEquals fails", "$.count", "notEquals", "200", false, []string{"notEquals 200, got 200"}},
		{"matches", "$.id", "matches", `"^t-[0-9]$"`, true, nil},
		{"matches fails", "$.id", "matches", `"^x"`, false, []string{`got "t-1"`}},
		{"matches non-string", "$.count", "matches", `"200"`, false, nil},
		{"notMatches", "$.id", "notMatches", `"^x"`, true, nil},
		{"notMatches fails", "$.id", "notMatches", `"^t"`, false, nil},
		{"exists", "$.meta.k", "exists", "", true, nil},
		{"exists null", "$.none", "exists", "true", true, nil},
		{"exists fails", "$.meta.z", "exists", "", false, []string{"nothing at $.meta.z"}},
		{"exists false", "$.meta.z", "exists", "false", true, nil},
		{"absent", "$.password", "absent", "", true, nil},
		{"absent fails", "$.id", "absent", "", false, []string{`got "t-1"`}},
		{"type string", "$.id", "type", "string", true, nil},
		{"type number", "$.ratio", "type", "number", true, nil},
		{"type integer", "$.count", "type", "integer", true, nil},
		{"type integer fails on 1.5", "$.ratio", "type", "integer", false, []string{"got 1.5"}},
		{"type boolean", "$.flag", "type", "boolean", true, nil},
		{"type object", "$.meta", "type", "object", true, nil},
		{"type array", "$.tags", "type", "array", true, nil},
		{"type null", "$.none", "type", `"null"`, true, nil},
		{"type null unquoted", "$.none", "type", "null", true, nil},
		{"type fails", "$.code", "type", "number", false, []string{`type "number", got "200"`}},
		{"lt", "$.count", "lt", "201", true, nil},
		{"lt fails", "$.count", "lt", "200", false, []string{"lt 200, got 200"}},
		{"le", "$.count", "le", "200", true, nil},
		{"gt", "$.ratio", "gt", "1.49", true, nil},
		{"gt fails", "$.ratio", "gt", "1.5", false, nil},
		{"ge", "$.ratio", "ge", "1.5", true, nil},
		{"ge on string fails", "$.code", "ge", "100", false, nil},
		{"contains substring", "$.name", "contains", "nn", true, nil},
		{"contains element", "$.tags", "contains", "b", true, nil},
		{"contains key", "$.meta", "contains", "k", true, nil},
		{"contains fails", "$.tags", "contains", "c", false, []string{`contains "c", got ["a","b"]`}},
		{"notContains", "$.name", "notContains", "x", true, nil},
		{"notContains fails", "$.name", "notContains", "A", false, nil},
		{"len string", "$.name", "len", "3", true, nil},
		{"len array", "$.tags", "len", "2", true, nil},
		{"len object", "$.meta", "len", "1", true, nil},
		{"len fails", "$.tags", "len", "3", false, []string{`len 3, got ["a","b"]`}},
		{"several nodes all hold", "$.tags[*]", "type", "string", true, nil},
		{"several nodes one fails", "$.tags[*]", "equals", "a", false, []string{`["a","b"]`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := specs.Assert{Path: tt.path, Op: tt.op}
			if tt.operand != "" {
				a.Value = val(t, tt.operand)
			}
			o := run(t, e, thingCase("OP-1", specs.Expect{Status: []int{200}, JSON: []specs.Assert{a}}))
			wantState := reports.Fail
			if tt.pass {
				wantState = reports.Pass
			}
			if o.State != wantState {
				t.Fatalf("state %s, want %s: %s", o.State, wantState, o.Message)
			}
			js := checksNamed(o, "json")
			if len(js) != 1 || js[0].Expected == "" || js[0].Actual == "" {
				t.Fatalf("json check must state expected and actual: %+v", js)
			}
			for _, w := range tt.want {
				if !strings.Contains(o.Message, w) {
					t.Errorf("message %q does not contain %q", o.Message, w)
				}
			}
			if !tt.pass && !strings.HasPrefix(o.Message, "step 1 (get): json expected ") || !tt.pass && !strings.Contains(o.Message, "[T-1.1]") {
				t.Errorf("message %q is not in the documented form", o.Message)
			}
		})
	}
}

func TestHeaderBodyExprOperators(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	tests := []struct {
		name string
		ex   specs.Expect
		pass bool
		want string
	}{
		{"header equals any case", specs.Expect{Headers: []specs.HeaderAssert{{Name: "x-request-id", Op: "equals", Value: val(t, "req-t-1")}}}, true, ""},
		{"header equals fails", specs.Expect{Headers: []specs.HeaderAssert{{Name: "X-Request-Id", Op: "equals", Value: val(t, "nope")}}}, false, `X-Request-Id equals "nope", got "req-t-1"`},
		{"header exists", specs.Expect{Headers: []specs.HeaderAssert{{Name: "Content-Type", Op: "exists"}}}, true, ""},
		{"header absent fails", specs.Expect{Headers: []specs.HeaderAssert{{Name: "Content-Type", Op: "absent"}}}, false, "Content-Type absent"},
		{"header absent", specs.Expect{Headers: []specs.HeaderAssert{{Name: "Server-Timing", Op: "absent"}}}, true, ""},
		{"header missing", specs.Expect{Headers: []specs.HeaderAssert{{Name: "X-None", Op: "equals", Value: val(t, "a")}}}, false, "got absent"},
		{"header matches", specs.Expect{Headers: []specs.HeaderAssert{{Name: "Strict-Transport-Security", Op: "matches", Value: val(t, `"max-age=[0-9]+"`)}}}, true, ""},
		{"header contains number", specs.Expect{Headers: []specs.HeaderAssert{{Name: "Strict-Transport-Security", Op: "contains", Value: val(t, "31536000")}}}, true, ""},
		{"header len", specs.Expect{Headers: []specs.HeaderAssert{{Name: "X-Request-Id", Op: "len", Value: val(t, "7")}}}, true, ""},
		{"body contains", specs.Expect{Body: []specs.Assert{{Op: "contains", Value: val(t, `'"name":"Ann"'`)}}}, true, ""},
		{"body notContains fails", specs.Expect{Body: []specs.Assert{{Op: "notContains", Value: val(t, "Ann")}}}, false, `body notContains "Ann", got "{`},
		{"body matches", specs.Expect{Body: []specs.Assert{{Op: "matches", Value: val(t, `'"count":\s*200'`)}}}, true, ""},
		{"body notMatches", specs.Expect{Body: []specs.Assert{{Op: "notMatches", Value: val(t, `"panic|goroutine"`)}}}, true, ""},
		{"expr le", specs.Expect{JSON: []specs.Assert{{Expr: "{{ add 1799 1 }}", Op: "le", Value: val(t, "1800")}}}, true, ""},
		{"expr le fails", specs.Expect{JSON: []specs.Assert{{Expr: "{{ add 1800 1 }}", Op: "le", Value: val(t, "1800")}}}, false, `{{ add 1800 1 }} le 1800, got "1801"`},
		{"expr equals string", specs.Expect{JSON: []specs.Assert{{Expr: "{{ .v.name }}", Op: "equals", Value: val(t, "Ann")}}}, true, ""},
		{"expr equals number", specs.Expect{JSON: []specs.Assert{{Expr: "{{ .v.count }}", Op: "equals", Value: val(t, "200")}}}, true, ""},
		{"expr not a number", specs.Expect{JSON: []specs.Assert{{Expr: "{{ .v.name }}", Op: "gt", Value: val(t, "1")}}}, false, `got "Ann"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := thingCase("HDR-1", tt.ex)
			c.Steps[0].Capture = []specs.Capture{{Var: "name", Path: "$.name"}, {Var: "count", Path: "$.count"}}
			o := run(t, e, c)
			want := reports.Fail
			if tt.pass {
				want = reports.Pass
			}
			if o.State != want {
				t.Fatalf("state %s, want %s: %s", o.State, want, o.Message)
			}
			if !strings.Contains(o.Message, tt.want) {
				t.Errorf("message %q does not contain %q", o.Message, tt.want)
			}
		})
	}
}

func TestStatusCodeMasked(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	get := func(id string, ex specs.Expect) *specs.Case {
		return oneCase("ST-1", specs.Step{Name: "get", Call: &specs.Call{Operation: "getThing",
			PathParams: map[string]string{"thingId": id}}, Expect: ex})
	}
	tests := []struct {
		name string
		c    *specs.Case
		want reports.State
		msg  string
	}{
		{"status list", get("t-1", specs.Expect{Status: []int{200, 201}}), reports.Pass, ""},
		{"status fails", get("t-1", specs.Expect{Status: []int{201, 204}}), reports.Fail, "status expected one of 201, 204, got 200"},
		{"code", get("missing", specs.Expect{Status: []int{404}, Code: "NOT_FOUND"}), reports.Pass, ""},
		{"code fails", get("missing", specs.Expect{Code: "GONE"}), reports.Fail, `code expected "GONE", got "NOT_FOUND"`},
		{"code not present", oneCase("ST-2", specs.Step{Name: "h", Call: call("getHealth"), Expect: specs.Expect{Code: "GONE"}}), reports.Fail, "got not present"},
		{"masked", get("t-1", specs.Expect{Masked: []specs.MaskAssert{{Path: "$.idNoMasked", Kind: "idNo", Of: "alice"}}}), reports.Pass, ""},
		{"masked fails", get("t-1", specs.Expect{Masked: []specs.MaskAssert{{Path: "$.idNoMasked", Kind: "idNo", Of: "bob"}}}), reports.Fail, `mask of bob "110***********8888", got "110***********7777"`},
		{"masked bad kind is a pack bug", get("t-1", specs.Expect{Masked: []specs.MaskAssert{{Path: "$.idNoMasked", Kind: "shoe", Of: "bob"}}}), reports.Error, "pack bug"},
		{"undocumented status fails the contract", get("accepted", specs.Expect{}), reports.Fail, "status 202 is not documented"},
		{"should level warns", func() *specs.Case {
			c := get("t-1", specs.Expect{Status: []int{500}})
			c.Level = specs.SHOULD
			return c
		}(), reports.Warn, "status"},
		{"several failures counted", get("t-1", specs.Expect{Status: []int{500}, Code: "X"}), reports.Fail, "; and 1 more failed check"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run(t, e, tt.c)
			if o.State != tt.want || !strings.Contains(o.Message, tt.msg) {
				t.Fatalf("got %s %q, want %s containing %q", o.State, o.Message, tt.want, tt.msg)
			}
		})
	}
}

func TestGraphQLChecks(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	gq := func(id string, ex specs.Expect) *specs.Case {
		c := oneCase("GQL-1", specs.Step{Name: "query", GraphQL: &specs.GraphQLCall{
			Document: "query Q($id: ID!) { thing(id: $id) { id name count } }", Variables: val(t, "{id: "+id+"}")}, Expect: ex})
		c.Profile = "graphql"
		return c
	}
	tests := []struct {
		name string
		c    *specs.Case
		want reports.State
		msg  string
	}{
		{"good", gq("t-1", specs.Expect{Status: []int{200}, JSON: []specs.Assert{{Path: "$.data.thing.count", Op: "equals", Value: val(t, "3")}}}), reports.Pass, ""},
		{"broken response", gq("bad", specs.Expect{}), reports.Fail, "$.data.thing.name: null in non-null position String!"},
		{"code", gq("err", specs.Expect{Code: "NOT_FOUND"}), reports.Pass, ""},
		{"code fails", gq("err", specs.Expect{Code: "FORBIDDEN"}), reports.Fail, `got "NOT_FOUND"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := run(t, e, tt.c)
			if o.State != tt.want || !strings.Contains(o.Message, tt.msg) {
				t.Fatalf("got %s %q, want %s containing %q", o.State, o.Message, tt.want, tt.msg)
			}
		})
	}
	invalidDoc := gq("t-1", specs.Expect{})
	invalidDoc.Steps[0].GraphQL.Document = "{ nope }"
	if o := run(t, e, invalidDoc); o.State != reports.Error || !strings.Contains(o.Message, "pack bug") {
		t.Errorf("invalid document without invalid: got %s %q", o.State, o.Message)
	}
	invalidDoc.Steps[0].GraphQL.Invalid = true
	o := run(t, e, invalidDoc)
	if o.State != reports.Fail || !strings.Contains(o.Message, "data returned for a document that does not validate") {
		t.Errorf("invalid document: got %s %q", o.State, o.Message)
	}
}

func TestSameAs(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	get := func(name, id string, ex specs.Expect) specs.Step {
		return specs.Step{Name: name, Call: &specs.Call{Operation: "getThing", PathParams: map[string]string{"thingId": id}}, Expect: ex}
	}
	pass := oneCase("SAME-1", get("none", "missing", specs.Expect{}), get("other", "other", specs.Expect{SameAs: "none"}))
	if o := run(t, e, pass); o.State != reports.Pass {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	fail := oneCase("SAME-2", get("none", "missing", specs.Expect{}), get("other", "forbidden", specs.Expect{SameAs: "none"}))
	o := run(t, e, fail)
	if o.State != reports.Fail || !strings.Contains(o.Message, "status 404 vs 403") {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	fail2 := oneCase("SAME-3", get("none", "missing", specs.Expect{}), get("found", "t-1", specs.Expect{SameAs: "none"}))
	o = run(t, e, fail2)
	for _, w := range []string{"code \"NOT_FOUND\" vs \"200\"", "header names", "bodies differ"} {
		if !strings.Contains(o.Message, w) {
			t.Errorf("message %q lacks %q", o.Message, w)
		}
	}
	bug := oneCase("SAME-4", get("x", "t-1", specs.Expect{SameAs: "nope"}))
	if o := run(t, e, bug); o.State != reports.Error || !strings.Contains(o.Message, "pack bug") {
		t.Errorf("unknown sameAs: %s %s", o.State, o.Message)
	}
}
