package engine

import (
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// TestSharedTemplatesUseTheCaseFunctions: a template source is parsed once per run, but every
// case executes it with its own functions, so two cases rendering the same `token` template
// each send a token minted for themselves.
func TestSharedTemplatesUseTheCaseFunctions(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	for _, id := range []string{"SHARED-A", "SHARED-B", "SHARED-A"} {
		c := oneCase(id, specs.Step{Name: "create", Call: &specs.Call{Operation: "createThing", Headers: bearer(),
			Body: val(t, `{name: "{{ token \"alice\" }}"}`)},
			Expect: specs.Expect{Status: []int{201}, JSON: []specs.Assert{
				{Path: "$.name", Op: "matches", Value: val(t, `"^TOKEN-alice-`+id+`-1$"`)}}}})
		if o := run(t, e, c); o.State != reports.Pass {
			t.Errorf("%s: %s %s", id, o.State, o.Message)
		}
	}
}

// TestTemplateErrorsNameTheSource: a template that does not parse, and one that fails when
// executed, both make the case ERROR with the template's source in the message.
func TestTemplateErrorsNameTheSource(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	tests := []struct{ name, body, want string }{
		{"syntax", `{name: "{{ .p.alice.name "}`, `template "{{ .p.alice.name "`},
		{"unknown function", `{name: "{{ nosuch }}"}`, `template "{{ nosuch }}"`},
		{"missing key", `{name: "{{ .p.carol.name }}"}`, `template "{{ .p.carol.name }}"`},
		{"function error", `{name: "{{ fail }}"}`, "token minting failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := oneCase("TPL-ERR", specs.Step{Name: "create", Call: &specs.Call{Operation: "createThing",
				Headers: bearer(), Body: val(t, tt.body)}})
			o := run(t, e, c)
			if o.State != reports.Error || !strings.Contains(o.Message, tt.want) {
				t.Errorf("state %s, message %q; want ERROR mentioning %q", o.State, o.Message, tt.want)
			}
		})
	}
}
