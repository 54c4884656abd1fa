package engine

import (
	"runtime"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// TestTemplateBudget is issue 11 finding 7: a template looping 500000000 times took a run to
// 2.9 GB and kept working after its case was abandoned. Templates that did not go through the
// linter (the case is built here directly) are held to the same rules by the engine, and what
// passes the rules still stops at the step's budget: each hostile template makes its case ERROR
// with the reason, after allocating a bounded amount.
func TestTemplateBudget(t *testing.T) {
	doubling := `{{ $x := repeat "x" 1000 }}` + strings.Repeat(`{{ $x = printf "%s%s" $x $x }}`, 30) + `{{ len $x }}`
	many := map[string]string{}
	for _, k := range strings.Fields("A B C D E F G H I J K L M N O P Q R S T") {
		many["X-"+k] = `{{ len (repeat "x" 1000000) }}`
	}
	tests := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"range over a huge literal", map[string]string{"X-T": `{{ range 500000000 }}x{{ end }}`}, "ranges over 500000000, more than the 1000"},
		{"range over a computed count", map[string]string{"X-T": `{{ range (mul 100000 100000) }}{{ end }}`}, "not a computed value"},
		{"nested ranges", map[string]string{"X-T": `{{ range 1000 }}{{ range 1000 }}{{ end }}{{ end }}`}, "inside another range"},
		{"recursion", map[string]string{"X-T": `{{ define "a" }}{{ template "a" . }}{{ template "a" . }}{{ end }}{{ template "a" . }}`}, "may not"},
		{"huge printf width", map[string]string{"X-T": `{{ printf "%999999d" 1 }}`}, "printf width or precision 999999 is more than 1000"},
		{"output in a bounded loop", map[string]string{"X-T": `{{ range 1000 }}` + strings.Repeat("y", 20000) + `{{ end }}`}, "at the rendered text"},
		{"function results in a bounded loop", map[string]string{"X-T": `{{ range 1000 }}{{ len (repeat "x" 100000) }}{{ end }}`}, "at repeat"},
		{"a string doubled", map[string]string{"X-T": doubling}, "at printf"},
		{"one huge repeat", map[string]string{"X-T": `{{ len (repeat "xy" 10000000) }}`}, "repeat: 10000000 times 2 bytes is more than the 16 MiB"},
		{"many templates in one request", many, "template budget exceeded"},
	}
	s := newStub(t)
	e := newExec(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := oneCase("BUDGET-1", specs.Step{Name: "send", Call: &specs.Call{Operation: "getHealth", Headers: tt.headers}})
			var o CaseOutcome
			alloc := allocated(func() { o = run(t, e, c) })
			if o.State != reports.Error || !strings.Contains(o.Message, tt.want) {
				t.Errorf("%s: %s\nwant ERROR with %q", o.State, o.Message, tt.want)
			}
			if alloc > 256<<20 {
				t.Errorf("the case allocated %d MiB", alloc>>20)
			}
		})
	}
	// What a pack legitimately does still works: a 1 MiB string, a bounded loop over data.
	ok := oneCase("BUDGET-2", specs.Step{Name: "send", Call: &specs.Call{Operation: "getHealth",
		Headers: map[string]string{"X-Len": `{{ len (repeat "c" 1048576) }}`, "X-Loop": `{{ range 3 }}a{{ end }}{{ range $.p }}b{{ end }}`}}})
	if o := run(t, e, ok); o.State != reports.Pass {
		t.Errorf("a bounded template: %s: %s", o.State, o.Message)
	}
}

// allocated returns the bytes f allocates on the heap: an upper bound of the heap it adds.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
