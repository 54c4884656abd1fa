package codecheck

import (
	"slices"
	"strings"
	"testing"
)

// TestRules shows each rule failing on a violation and staying quiet where the code is fine
// or the rule's scope excludes the file.
func TestRules(t *testing.T) {
	tests := []struct {
		name string
		path string
		src  string
		want []string // "path:line: rule"
	}{
		// os-exit
		{"os.Exit in a library", "x/a.go", "package x\n\nimport \"os\"\n\nfunc f() { os.Exit(1) }\n",
			[]string{"x/a.go:5: os-exit"}},
		{"renamed os import", "x/a.go", "package x\n\nimport sys \"os\"\n\nfunc f() { sys.Exit(2) }\n",
			[]string{"x/a.go:5: os-exit"}},
		{"os.Exit in a test", "x/a_test.go", "package x\n\nimport (\n\t\"os\"\n\t\"testing\"\n)\n\nfunc TestMain(m *testing.M) { os.Exit(m.Run()) }\n",
			[]string{"x/a_test.go:8: os-exit"}},
		{"os.Exit in main.go", "cmd/chanconf/main.go", "package main\n\nimport \"os\"\n\nfunc main() { os.Exit(0) }\n", nil},
		{"local var named os", "x/a.go", "package x\n\ntype t struct{}\n\nfunc (t) Exit(int) {}\n\nfunc f() { var os t; os.Exit(1) }\n", nil},

		// console-output
		{"fmt.Println", "x/a.go", "package x\n\nimport \"fmt\"\n\nfunc f() { fmt.Println(\"hi\") }\n",
			[]string{"x/a.go:5: console-output"}},
		{"os.Stderr as a writer", "x/a.go", "package x\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n\nfunc f() { fmt.Fprintln(os.Stderr, 1) }\n",
			[]string{"x/a.go:8: console-output"}},
		{"os.Stdout in a test", "x/a_test.go", "package x\n\nimport \"os\"\n\nvar _ = os.Stdout\n",
			[]string{"x/a_test.go:5: console-output"}},
		{"log.Fatal and println", "x/a.go", "package x\n\nimport \"log\"\n\nfunc f() {\n\tlog.Fatal(1)\n\tprintln(2)\n}\n",
			[]string{"x/a.go:6: console-output", "x/a.go:7: console-output"}},
		{"fmt.Fprintf to a writer", "x/a.go", "package x\n\nimport (\n\t\"fmt\"\n\t\"io\"\n)\n\nfunc f(w io.Writer) { fmt.Fprintf(w, \"%d\", 1) }\n", nil},
		{"Example functions print", "x/a_test.go", "package x\n\nimport \"fmt\"\n\nfunc ExampleF() {\n\tfmt.Println(1)\n\t// Output: 1\n}\n", nil},
		{"only in tests", "x/a.go", "package x\n\nimport \"fmt\"\n\n// ExampleF prints.\nfunc ExampleF() {\n\tfmt.Println(1)\n}\n",
			[]string{"x/a.go:7: console-output"}},
		{"iostreams may", "internal/iostreams/s.go", "package iostreams\n\nimport \"os\"\n\nvar _ = os.Stdout\n", nil},
		{"allowed with a reason", "x/a_test.go", "package x\n\nimport \"os\"\n\n//codecheck:allow console-output the fd itself is under test\nvar _ = os.Stdout\n", nil},
		{"allowed on the same line", "x/a_test.go", "package x\n\nimport \"os\"\n\nvar _ = os.Stdout //codecheck:allow console-output fd capture\n", nil},

		// getenv
		{"os.Getenv in a library", "suites/x/a.go", "package x\n\nimport \"os\"\n\nfunc f() string { return os.Getenv(\"HOME\") }\n",
			[]string{"suites/x/a.go:5: getenv"}},
		{"os.LookupEnv in a test", "x/a_test.go", "package x\n\nimport \"os\"\n\nfunc f() { os.LookupEnv(\"A\") }\n",
			[]string{"x/a_test.go:5: getenv"}},
		{"cmdutil registry may", "internal/cmdutil/env.go", "package cmdutil\n\nimport \"os\"\n\nfunc f() string { return os.Getenv(\"A\") }\n", nil},
		{"conformance tests may", "suites/conformance/c_test.go", "package c\n\nimport \"os\"\n\nfunc f() string { return os.Getenv(\"A\") }\n", nil},
		{"conformance code may not", "suites/conformance/c.go", "package c\n\nimport \"os\"\n\nfunc f() string { return os.Getenv(\"A\") }\n",
			[]string{"suites/conformance/c.go:5: getenv"}},

		// init-func
		{"func init", "x/a.go", "package x\n\nfunc init() {}\n", []string{"x/a.go:3: init-func"}},
		{"init method is fine", "x/a.go", "package x\n\ntype t struct{}\n\nfunc (t) init() {}\n", nil},

		// mutable-global
		{"map, slice, pointer, struct", "x/a.go", "package x\n\ntype s struct{ n int }\n\nvar m = map[string]int{}\nvar l = []string{\"a\"}\nvar p = &s{}\nvar v s\nvar w = s{n: 1}\n",
			[]string{"x/a.go:5: mutable-global", "x/a.go:6: mutable-global", "x/a.go:7: mutable-global", "x/a.go:8: mutable-global", "x/a.go:9: mutable-global"}},
		{"calls and flags", "x/a_test.go", "package x\n\nimport (\n\t\"flag\"\n\t\"time\"\n)\n\nvar update = flag.Bool(\"update\", false, \"\")\nvar start = time.Now()\nvar r = []rune(\"ab\")\n",
			[]string{"x/a_test.go:8: mutable-global", "x/a_test.go:9: mutable-global", "x/a_test.go:10: mutable-global"}},
		{"grouped vars", "x/a.go", "package x\n\nvar (\n\tok = \"fine\"\n\tbad = make(chan int)\n)\n",
			[]string{"x/a.go:5: mutable-global"}},
		{"allowed kinds", "x/a.go", "package x\n\nimport (\n\t\"embed\"\n\t\"errors\"\n\t\"fmt\"\n\t\"regexp\"\n\t\"time\"\n)\n\n" +
			"//go:embed a.txt\nvar data []byte\n\nvar files embed.FS\nvar errA = errors.New(\"a\")\nvar errB = fmt.Errorf(\"b: %w\", errA)\n" +
			"var re = regexp.MustCompile(`x`)\nvar version = \"dev\"\nvar n int\nvar d time.Duration\n\nconst k = 2\n\nvar twice = k * 2\nvar _ fmt.Stringer = nil\n", nil},
		{"named types of the package", "x/a.go", "package x\n\ntype level int\ntype set map[string]bool\n\nvar l level\nvar s set\n",
			[]string{"x/a.go:7: mutable-global"}},

		// doc-comment
		{"undocumented exported names", "x/a.go", "package x\n\nfunc F() {}\n\ntype T struct{}\n\nfunc (T) M() {}\n\nconst C = 1\n\nvar (\n\tV = 1\n)\n",
			[]string{"x/a.go:3: doc-comment", "x/a.go:5: doc-comment", "x/a.go:7: doc-comment", "x/a.go:9: doc-comment", "x/a.go:12: doc-comment"}},
		{"documented, unexported or in tests", "x/a.go", "package x\n\n// F does.\nfunc F() {}\n\n// T is.\ntype T struct{}\n\ntype u struct{}\n\n// M does.\nfunc (*T) M() {}\n\nfunc (u) M() {}\n\n// Codes are.\nconst (\n\tA = 1\n\tB = 2\n)\n\nfunc f() {}\n", nil},
		{"grouped types need their own", "x/a.go", "package x\n\n// Types.\ntype (\n\tA int\n\t// B is.\n\tB int\n)\n",
			[]string{"x/a.go:5: doc-comment"}},
		{"tests are exempt", "x/a_test.go", "package x\n\nfunc Helper() {}\n", nil},

		// func-length
		{"long function", "x/a.go", lines("package x\n\nfunc f() {\n", 84, "\t_ = 1\n") + "}\n",
			[]string{"x/a.go:3: func-length"}},
		{"80 lines is fine", "x/a.go", lines("package x\n\nfunc f() {\n", 81, "\t_ = 1\n") + "}\n", nil},
		{"a long table is fine", "x/a.go", lines("package x\n\nfunc f() {\n\t_ = []int{\n", 84, "\t\t1,\n") + "\t}\n}\n", nil},

		// file-length
		{"long file", "x/a.go", lines("package x\n", 601, "\n"), []string{"x/a.go:1: file-length"}},
		{"600 lines", "x/a.go", lines("package x\n", 600, "\n"), nil},

		// error-string-compare
		{"comparing error text", "x/a.go", "package x\n\nfunc f(err error) bool {\n\tif err.Error() == \"eof\" {\n\t\treturn true\n\t}\n\treturn \"x\" != err.Error()\n}\n",
			[]string{"x/a.go:4: error-string-compare", "x/a.go:7: error-string-compare"}},
		{"switch on error text", "x/a_test.go", "package x\n\nfunc f(err error) {\n\tswitch err.Error() {\n\t}\n}\n",
			[]string{"x/a_test.go:4: error-string-compare"}},
		{"errors.Is is fine", "x/a.go", "package x\n\nimport \"errors\"\n\nfunc f(err, target error) bool { msg := err.Error(); return errors.Is(err, target) && msg != \"\" }\n", nil},

		// bad-name
		{"util package", "x/util/a.go", "package util\n", []string{"x/util/a.go:1: bad-name"}},
		{"helpers file", "x/helpers_test.go", "package x\n", []string{"x/helpers_test.go:1: bad-name"}},
		{"common directory", "x/common/a.go", "package shared\n", []string{"x/common/a.go:1: bad-name"}},
		{"a specific name", "x/personas/helpersx.go", "package personas\n", nil},

		// context-value
		{"context.WithValue", "suites/runner/a.go", "package runner\n\nimport \"context\"\n\nfunc f(ctx context.Context) context.Context { return context.WithValue(ctx, 1, 2) }\n",
			[]string{"suites/runner/a.go:5: context-value"}},
		{"engine may carry IDs", "suites/engine/ids.go", "package engine\n\nimport \"context\"\n\nfunc f(ctx context.Context) context.Context { return context.WithValue(ctx, 1, 2) }\n", nil},

		// allow-comment
		{"allow without a reason", "x/a.go", "package x\n\nimport \"os\"\n\n//codecheck:allow console-output\nvar _ = os.Stdout\n",
			[]string{"x/a.go:5: allow-comment", "x/a.go:6: console-output"}},
		{"allow of an unknown rule", "x/a.go", "package x\n\n//codecheck:allow everything because\nfunc f() {}\n",
			[]string{"x/a.go:3: allow-comment"}},
		{"allow that excuses nothing", "x/a.go", "package x\n\n//codecheck:allow init-func not needed\nfunc f() {}\n",
			[]string{"x/a.go:3: allow-comment"}},
		{"allow of another rule", "x/a.go", "package x\n\n//codecheck:allow os-exit wrong rule\nfunc init() {}\n",
			[]string{"x/a.go:3: allow-comment", "x/a.go:4: init-func"}},
		{"allow two lines above is too far", "x/a.go", "package x\n\n//codecheck:allow init-func far\n\nfunc init() {}\n",
			[]string{"x/a.go:3: allow-comment", "x/a.go:5: init-func"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := check(t, map[string]string{tt.path: tt.src})
			if !slices.Equal(got, tt.want) {
				t.Errorf("findings:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// TestFindingFormat: findings print as file:line: rule: detail.
func TestFindingFormat(t *testing.T) {
	f := finding{file: "a/b.go", line: 7, rule: ruleInit, detail: "func init()"}
	if got, want := f.String(), "a/b.go:7: init-func: func init()"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

// TestPackageScope: a named type declared in another file of the same package is looked
// through, but not one of another package in the same directory.
func TestPackageScope(t *testing.T) {
	got := check(t, map[string]string{
		"x/types.go":  "package x\n\ntype level int\n",
		"x/a.go":      "package x\n\nvar l level\n",
		"x/a_test.go": "package x_test\n\nvar l level\n",
	})
	if want := []string{"x/a_test.go:3: mutable-global"}; !slices.Equal(got, want) {
		t.Errorf("findings %q, want %q", got, want)
	}
}
