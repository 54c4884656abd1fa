package engine

import (
	"context"
	"fmt"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// BenchmarkExchange is one untemplated step against the loopback stub: the fixed cost of an
// exchange (build, validate, sign, send, judge, redact, record).
func BenchmarkExchange(b *testing.B) {
	s := newStub(b)
	e := newExec(b, s)
	c := thingCase("BENCH-1", specs.Expect{Status: []int{200}, JSON: []specs.Assert{{Path: "$.count", Op: "equals", Value: val(b, "200")}}})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if o := e.Run(ctx, c); o.State != reports.Pass {
			b.Fatal(o.Message)
		}
	}
}

// BenchmarkExchangeTemplated is a two-step case the way packs write them: templates in the
// body, path and session headers, a token minted per case, captures, JSON assertions with
// templated operands, and a platform with a hundred run-wide secrets to redact.
func BenchmarkExchangeTemplated(b *testing.B) {
	s := newStub(b)
	var secrets []string
	for i := range 100 {
		secrets = append(secrets, fmt.Sprintf("KEY-MATERIAL-LINE-%03d-abcdefghijklmnopqrstuvwxyz0123456789", i))
	}
	e := newExec(b, s, func(o *Options) { o.Platform = &fakePlatform{extraSecrets: secrets} })
	c := oneCase("BENCH-2",
		specs.Step{Name: "create", Call: &specs.Call{Operation: "createThing", Headers: bearer(),
			Body: val(b, `{name: "{{ token \"alice\" }}-{{ .p.alice.name }}"}`)},
			Expect:  specs.Expect{Status: []int{201}, JSON: []specs.Assert{{Path: "$.count", Op: "equals", Value: val(b, "1")}}},
			Capture: []specs.Capture{{Var: "id", Path: "$.id"}, {Var: "session.alice", Path: "$.token"}}},
		specs.Step{Name: "read", As: "alice", Call: &specs.Call{Operation: "getThing", PathParams: map[string]string{"thingId": "{{ .v.id }}"}},
			Expect: specs.Expect{Status: []int{200}, JSON: []specs.Assert{
				{Path: "$.id", Op: "equals", Value: val(b, `"{{ .v.id }}"`)},
				{Path: "$.name", Op: "notEquals", Value: val(b, `"{{ .p.alice.name }}"`)},
				{Path: "$.tags", Op: "len", Value: val(b, "2")},
			}}})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if o := e.Run(ctx, c); o.State != reports.Pass {
			b.Fatal(o.Message)
		}
	}
}
