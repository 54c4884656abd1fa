package mutation

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// discoverSource writes src as p/a.go under a temporary root and returns its mutants as
// "operator: original -> mutated" lines.
func discoverSource(t *testing.T, src string) []string {
	t.Helper()
	root := t.TempDir()
	if err := os.MkdirAll(filepath.Join(root, "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "p", "a.go"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	ms, err := Discover(root, []string{"p"})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.Operator+": "+m.Original+" -> "+m.Mutated)
	}
	return out
}

// svcDecl declares a service type that live code builds, as refchannel's newService does.
const svcDecl = "type svc struct{ faults faultSet }\n\nfunc New() any { return &svc{} }\n\n"

func TestOperators(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string // each must be among the mutants
		not  []string // none may be
	}{
		{"boundary", "func F(a, b int) bool { return a < b }",
			[]string{"relational-boundary: a < b -> a <= b"}, nil},
		{"negate and remove check", "func F(a int) error {\n\tif a > 3 {\n\t\treturn errBad\n\t}\n\treturn nil\n}",
			[]string{"negate-condition: a > 3 -> !(a > 3)", "remove-early-return: if a > 3 { return errBad } -> if false { ... } (check removed)",
				"numeric-constant: 3 -> 4", "numeric-constant: 3 -> 2", "numeric-constant: 3 -> 6", "numeric-constant: 3 -> 1", "relational-boundary: a > 3 -> a >= 3"}, nil},
		{"condition terms", "func F(a, b bool) int {\n\tif a && b {\n\t\treturn 1\n\t}\n\treturn 0\n}",
			[]string{"remove-condition-term: a && b -> b", "remove-condition-term: a && b -> a"}, nil},
		{"swap checks", "func F(a, b bool) error {\n\tif a {\n\t\treturn errA\n\t}\n\tif b {\n\t\treturn errB\n\t}\n\treturn nil\n}",
			[]string{"swap-checks: if a {...}; if b {...} -> if b {...}; if a {...}"}, nil},
		{"delete store", "func F(m map[string]int, k string) { m[k] = 1; delete(m, k) }",
			[]string{"delete-store: m[k] = 1 -> (deleted)", "delete-store: delete(m, k) -> (deleted)"}, nil},
		{"loose equality", "func F(a, b string) bool { return a == b }",
			[]string{"loose-equality: a == b -> strings.HasPrefix(a, b)", "loose-equality: a == b -> strings.HasPrefix(b, a)", "loose-equality: a == b -> strings.EqualFold(a, b)"}, nil},
		{"no loose equality against empty, nil or numbers", "func F(a string, e error, n int) bool { return a == \"\" || e == nil || n == 2 }",
			nil, []string{"loose-equality: a == \"\" -> strings.HasPrefix(a, \"\")", "loose-equality: e == nil -> strings.EqualFold(e, nil)"}},
		{"fault-guarded code is not mutated", svcDecl + "func (v *svc) F(a int) error {\n\tif v.faults.has(faultX) {\n\t\treturn nil\n\t}\n\tif a > 3 && !v.faults.has(faultY) {\n\t\treturn errBad\n\t}\n\treturn nil\n}",
			[]string{"relational-boundary: a > 3 -> a >= 3"},
			[]string{"negate-condition: v.faults.has(faultX) -> !(v.faults.has(faultX))", "remove-condition-term: a > 3 && !v.faults.has(faultY) -> a > 3"}},
		{"logging is not mutated", "func F(w io.Writer, log io.Writer) { fmt.Fprintf(log, \"%d\", 5) }", nil,
			[]string{"numeric-constant: 5 -> 6"}},
		{"methods of a type only a fault builds are not mutated, whatever their names", svcDecl +
			"func (v *svc) F() any {\n\tif v.faults.has(faultX) {\n\t\treturn &odd{}\n\t}\n\treturn v.route(3)\n}\n" +
			"func (v *svc) route(n int) int { return n + 1 }\ntype odd struct{}\nfunc (o *odd) route(n int) int { return n * 5 }",
			[]string{"numeric-constant: 1 -> 2"}, []string{"numeric-constant: 5 -> 6"}},
		{"a make capacity is a hint", "func F() []int { return make([]int, 3, 9) }", []string{"numeric-constant: 3 -> 4"},
			[]string{"numeric-constant: 9 -> 10"}},
		{"error propagation is not a check", "func F() error {\n\terr := g()\n\tif err != nil {\n\t\treturn err\n\t}\n\treturn nil\n}", nil,
			[]string{"negate-condition: err != nil -> !(err != nil)"}},
		{"helpers reached only from a fault branch are not mutated", svcDecl + "func (v *svc) F() int {\n\tif v.faults.has(faultX) {\n\t\treturn v.broken()\n\t}\n\treturn 1\n}\nfunc (v *svc) broken() int { return 7 }", nil,
			[]string{"numeric-constant: 7 -> 8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := discoverSource(t, "package p\n\n"+tt.body+"\n")
			for _, w := range tt.want {
				if !slices.Contains(got, w) {
					t.Errorf("missing %q in\n%s", w, strings.Join(got, "\n"))
				}
			}
			for _, n := range tt.not {
				if slices.Contains(got, n) {
					t.Errorf("unexpected %q", n)
				}
			}
		})
	}
}

// TestIDsStable: an ID does not move when code is added above the mutant, so the reviewed
// equivalents stay attached to their mutants.
func TestIDsStable(t *testing.T) {
	ids := func(src string) map[string]string {
		root := t.TempDir()
		os.MkdirAll(filepath.Join(root, "p"), 0o755)
		os.WriteFile(filepath.Join(root, "p", "a.go"), []byte(src), 0o644)
		ms, err := Discover(root, []string{"p"})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for _, m := range ms {
			if m.Func == "F" {
				out[m.Operator+m.Original+m.Mutated] = m.ID
			}
		}
		return out
	}
	f := "func F(a int) bool { return a < 3 }\n"
	before := ids("package p\n\n" + f)
	after := ids("package p\n\nfunc G() int { return 9 }\n\n// F is here.\n" + f)
	if len(before) == 0 || len(before) != len(after) {
		t.Fatalf("before %v after %v", before, after)
	}
	for k, id := range before {
		if after[k] != id {
			t.Errorf("%s: ID %s became %s", k, id, after[k])
		}
	}
}

// TestSampleSpread: the sample is deterministic, holds the required mutant and covers every
// operator when there are enough mutants.
func TestSampleSpread(t *testing.T) {
	ms, err := Discover("../../..", DefaultDirs())
	if err != nil {
		t.Fatal(err)
	}
	must := NonceReplayCheck(ms)
	if len(must) != 1 {
		t.Fatalf("the nonce-replay check of useNonce is not a mutant: %v", must)
	}
	a, b := Sample(ms, 20, must...), Sample(ms, 20, must...)
	if len(a) != 20 || !slices.Equal(a, b) || !slices.Contains(a, must[0]) {
		t.Fatalf("sample of %d, deterministic %v, holds the nonce mutant %v", len(a), slices.Equal(a, b), slices.Contains(a, must[0]))
	}
	ops := map[string]bool{}
	for _, m := range a {
		ops[m.Operator] = true
	}
	if len(ops) != len(Operators()) {
		t.Errorf("sample covers operators %v, want all %v", ops, Operators())
	}
}
