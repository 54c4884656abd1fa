package specs

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// decodeInto decodes src into v (a pointer) with a fresh decoder and returns the problems.
func decodeInto(t *testing.T, src string, v any) Errors {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatalf("test YAML %q: %v", src, err)
	}
	c := &collector{}
	d := newDecoder("x.yaml", c, map[reflect.Type]*structInfo{})
	d.decode(doc.Content[0], reflect.ValueOf(v).Elem(), "")
	return c.errs
}

// wantErrs checks that the problems are exactly the wanted ones (substrings, in order).
func wantErrs(t *testing.T, errs Errors, want []string) {
	t.Helper()
	if len(errs) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(errs), len(want), errs)
	}
	for i, w := range want {
		if !strings.Contains(errs[i].Error(), w) {
			t.Errorf("problem %d = %q, want it to contain %q", i, errs[i].Error(), w)
		}
	}
}

func TestDecodeStatus(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []int
		errs []string
	}{
		{"single int", "status: 200", []int{200}, nil},
		{"list", "status: [200, 201]", []int{200, 201}, nil},
		{"block list", "status:\n  - 404\n", []int{404}, nil},
		{"quoted", `status: "200"`, []int{}, []string{`x.yaml:1:9: status: want an integer status code, got str "200"`}},
		{"mapping", "status: {code: 200}", nil, []string{"x.yaml:1:9: status: want a status code or a list of status codes, got a mapping"}},
		{"bad item", "status: [200, ok]", []int{200}, []string{`x.yaml:1:15: status[1]: want an integer status code, got str "ok"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e Expect
			errs := decodeInto(t, tt.src, &e)
			wantErrs(t, errs, tt.errs)
			if !slices.Equal(e.Status, tt.want) {
				t.Errorf("Status = %v, want %v", e.Status, tt.want)
			}
		})
	}
}

func TestDecodeAssertOperators(t *testing.T) {
	tests := []struct {
		name string
		src  string
		op   string
		kind ValueKind
		str  string
		errs []string
	}{
		{"number", "{path: $.a, equals: 200}", "equals", KindNumber, "200", nil},
		{"string", `{path: $.a, equals: "200"}`, "equals", KindString, "200", nil},
		{"bool", "{path: $.a, exists: true}", "exists", KindBool, "true", nil},
		{"null", "{path: $.a, equals: null}", "equals", KindNull, "", nil},
		{"hex int", "{path: $.a, equals: 0x1F}", "equals", KindNumber, "31", nil},
		{"float", "{path: $.a, lt: 1.5e3}", "lt", KindNumber, "1.5e3", nil},
		{"no operator", "{path: $.a}", "", KindNull, "", []string{"x.yaml:1:1: no operator (want exactly one of equals,"}},
		{"two operators", "{path: $.a, equals: 1, matches: x}", "equals", KindNumber, "1",
			[]string{"x.yaml:1:1: 2 operators (equals, matches); want exactly one"}},
		{"unknown key", "{path: $.a, equal: 1}", "", KindNull, "", []string{
			`x.yaml:1:13: equal: unknown field "equal" (want one of path, expr, equals,`,
			"x.yaml:1:1: no operator"}},
		{"infinity", "{path: $.a, equals: .inf}", "equals", KindNumber, "0", []string{"x.yaml:1:21: equals: number .inf has no JSON form"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a Assert
			errs := decodeInto(t, tt.src, &a)
			wantErrs(t, errs, tt.errs)
			if a.Op != tt.op {
				t.Errorf("Op = %q, want %q", a.Op, tt.op)
			}
			if tt.op == "" {
				return
			}
			if a.Value.Kind != tt.kind || a.Value.Str != tt.str {
				t.Errorf("Value = kind %d %q, want kind %d %q", a.Value.Kind, a.Value.Str, tt.kind, tt.str)
			}
		})
	}
}

// TestEqualsKeepsType is the regression the conformance harness exists for: `equals: 200` and
// `equals: "200"` must stay distinguishable.
func TestEqualsKeepsType(t *testing.T) {
	var num, str Assert
	decodeInto(t, "{path: $.a, equals: 200}", &num)
	decodeInto(t, `{path: $.a, equals: "200"}`, &str)
	if num.Value.Kind == str.Value.Kind {
		t.Errorf("equals: 200 and equals: \"200\" both decoded as kind %d", num.Value.Kind)
	}
}

func TestDecodeHeaderAssert(t *testing.T) {
	var h HeaderAssert
	wantErrs(t, decodeInto(t, "{name: Server, absent: true}", &h), nil)
	if h.Name != "Server" || h.Op != "absent" || h.Value.Kind != KindBool {
		t.Errorf("HeaderAssert = %+v", h)
	}
	var two HeaderAssert
	wantErrs(t, decodeInto(t, "{name: A, equals: x, contains: y}", &two), []string{"2 operators (equals, contains)"})
}

func TestDecodeValue(t *testing.T) {
	var v Value
	src := "{b: 1, a: [x, true, null, {c: '{{ .run }}'}], z: 2.50}"
	wantErrs(t, decodeInto(t, src, &v), nil)
	var keys []string
	for _, kv := range v.Map {
		keys = append(keys, kv.Key)
	}
	if !slices.Equal(keys, []string{"b", "a", "z"}) {
		t.Errorf("map keys = %v, want document order b, a, z", keys)
	}
	list := v.Map[1].Value.List
	kinds := []ValueKind{list[0].Kind, list[1].Kind, list[2].Kind, list[3].Kind}
	if !slices.Equal(kinds, []ValueKind{KindString, KindBool, KindNull, KindMap}) {
		t.Errorf("list kinds = %v", kinds)
	}
	if got := v.Map[2].Value; got.Kind != KindNumber || got.Str != "2.50" || got.Pos.Col != 50 {
		t.Errorf("z = %+v, want number 2.50 at column 50", got)
	}
	var dup Value
	wantErrs(t, decodeInto(t, "{a: 1, a: 2}", &dup), []string{`x.yaml:1:8: a: duplicate key "a"`})
}

func TestDecodeDuration(t *testing.T) {
	tests := []struct {
		src  string
		want time.Duration
		err  string
	}{
		{`timeout: 3s`, 3 * time.Second, ""},
		{`timeout: "-301s"`, -301 * time.Second, ""},
		{`timeout: 30`, 0, `timeout: want a duration string such as "30s", got int "30"`},
		{`timeout: 3 parsecs`, 0, `timeout: bad duration: time: unknown unit " parsecs"`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			var c Case
			errs := decodeInto(t, tt.src, &c)
			var want []string
			if tt.err != "" {
				want = []string{tt.err}
			}
			wantErrs(t, errs, want)
			if c.Timeout.Std() != tt.want {
				t.Errorf("Timeout = %v, want %v", c.Timeout.Std(), tt.want)
			}
		})
	}
}

func TestDecodeStrictScalarsAndStructs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		errs []string
	}{
		{"capture short form", "{var: x, path: $.y}", nil},
		{"capture block form", "var: x\nheader: Location\nsecret: true\n", nil},
		{"bool as string", `{var: x, secret: "yes"}`, []string{`secret: want a boolean (true or false), got str "yes"`}},
		{"unknown key", "{var: x, pth: $.y}", []string{`x.yaml:1:10: pth: unknown field "pth" (want one of var, path, header, secret)`}},
		{"duplicate key", "{var: x, var: y}", []string{`x.yaml:1:10: var: duplicate key "var"`}},
		{"list for struct", "[a]", []string{"want a mapping, got a list"}},
		{"mapping for string", "{var: {a: 1}}", []string{"var: want a string, got a mapping"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var c Capture
			wantErrs(t, decodeInto(t, tt.src, &c), tt.errs)
		})
	}
	var c Capture
	decodeInto(t, "\n  {var: x, path: $.y}", &c)
	if c.Var != "x" || c.Path != "$.y" || c.Pos != (Pos{File: "x.yaml", Line: 2, Col: 3}) {
		t.Errorf("Capture = %+v", c)
	}
	var s Step
	wantErrs(t, decodeInto(t, "{name: a, repeat: '3'}", &s), []string{`repeat: want an integer, got str "3"`})
	wantErrs(t, decodeInto(t, "{name: a, call: {operation: x, path: {a: 1, a: 2}}}", &s), []string{`call.path.a: duplicate key "a"`})
}
