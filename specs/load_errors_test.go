package specs_test

import (
	"errors"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/specs"
)

// healthCase is a valid case for miniPack; tests break one thing around it.
const healthCase = `cases:
  - id: FUN-HEALTH-001
    title: The health check answers 200
    clauses: [T-1.1]
    level: MUST
    suite: functional
    profile: any
    steps:
      - name: health
        call: {operation: getHealth}
        expect: {status: 200, headers: [{name: X-Run, equals: "{{ stamp .run }}"}]}
`

func TestLoadFileProblems(t *testing.T) {
	replace := func(name, from, to string) func(fstest.MapFS) {
		return func(fsys fstest.MapFS) {
			fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys[name].Data), from, to, 1))}
		}
	}
	set := func(name, data string) func(fstest.MapFS) {
		return func(fsys fstest.MapFS) { fsys[name] = &fstest.MapFile{Data: []byte(data)} }
	}
	tests := []struct {
		name    string
		breakIt func(fstest.MapFS)
		want    []string
	}{
		{"valid", func(fstest.MapFS) {}, nil},
		{"no manifest", func(fsys fstest.MapFS) { delete(fsys, "pack.yaml") }, []string{
			"pack.yaml: read: open pack.yaml: file does not exist"}},
		{"manifest syntax", replace("pack.yaml", "name: mini", "name: [mini"), []string{
			"pack.yaml: parse YAML: yaml: line"}},
		{"empty case file", set("cases/health.yaml", ""), []string{"cases/health.yaml: parse YAML: empty file",
			"pack.yaml:10:5: clauses[0]: T-1.1 (MUST, functional) has no case"}},
		{"two documents", set("cases/health.yaml", healthCase+"---\ncases: []\n"), []string{
			"cases/health.yaml:12:1: more than one YAML document"}},
		{"case file is a list", set("cases/health.yaml", "- id: FUN-X-001\n"), []string{
			"cases/health.yaml:1:1: want a mapping with the key cases, got a list",
			"has no case"}},
		{"case file key", set("cases/health.yaml", healthCase+"case: []\n"), []string{
			`cases/health.yaml:12:1: case: unknown field "case" (want cases)`}},
		{"cases not a list", set("cases/health.yaml", "cases: {id: x}\n"), []string{
			"cases/health.yaml:1:8: cases: want a list of cases, got a mapping", "has no case"}},
		{"missing contract file", func(fsys fstest.MapFS) { delete(fsys, "openapi.yaml") }, []string{
			"pack.yaml:5:22: contracts.openapi: read openapi.yaml: open openapi.yaml: file does not exist"}},
		{"unparsable OpenAPI", set("openapi.yaml", "openapi: [3"), []string{
			"pack.yaml:5:22: contracts.openapi: load OpenAPI contract openapi.yaml:"}},
		{"broken GraphQL schema", func(fsys fstest.MapFS) {
			replace("pack.yaml", "{openapi: openapi.yaml}", "{openapi: openapi.yaml, graphql: schema.graphql, graphqlPath: /graphql}")(fsys)
			set("schema.graphql", "type Query { card: Crad }")(fsys)
		}, []string{`pack.yaml:5:45: contracts.graphql: invalid GraphQL schema schema.graphql: schema.graphql:1:20: Undefined type Crad.`}},
		{"bad glob", replace("pack.yaml", `"cases/*.yaml"`, `"cases/*.yaml", "cases/["`), []string{
			`pack.yaml:7:25: cases[1]: bad glob "cases/[": syntax error in pattern`}},
		{"unknown function", replace("cases/health.yaml", "stamp", "stomp"), []string{
			`cases/health.yaml:11:63: FUN-HEALTH-001: steps[0].expect.headers[0].equals: bad template (line 1): function "stomp" not defined`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := miniPack(healthCase)
			tt.breakIt(fsys)
			_, err := specs.Load(fsys, specs.LoadOptions{Funcs: template.FuncMap{"stamp": standIn}})
			var errs specs.Errors
			if err != nil && !errors.As(err, &errs) {
				t.Fatalf("Load error %v is not specs.Errors", err)
			}
			if len(errs) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%v", len(errs), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.Contains(errs[i].Error(), w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, errs[i], w)
				}
			}
		})
	}
}

// TestCoverageErrorsAreTyped lets a caller accept a pack that is only incomplete.
func TestCoverageErrorsAreTyped(t *testing.T) {
	fsys := miniPack(strings.Replace(healthCase, "{{ stamp .run }}", "x", 1))
	caseFile := strings.Replace(string(fsys["cases/health.yaml"].Data), "[T-1.1]", "[T-2.1]", 1)
	fsys["cases/health.yaml"].Data = []byte(strings.Replace(caseFile, "level: MUST", "level: SHOULD", 1))
	fsys["pack.yaml"].Data = append(fsys["pack.yaml"].Data, "  - {id: T-2.1, level: SHOULD, suite: functional, title: x}\n"...)
	_, err := specs.Load(fsys, specs.LoadOptions{})
	var cov *specs.CoverageError
	if !errors.As(err, &cov) || cov.Clause != "T-1.1" || cov.Suite != specs.Functional {
		t.Fatalf("Load = %v, want a CoverageError for T-1.1", err)
	}
	var errs specs.Errors
	errors.As(err, &errs)
	if len(errs) != 1 || errs[0].Line != 10 || errs[0].File != "pack.yaml" {
		t.Errorf("errors = %v, want one coverage error at pack.yaml:10", errs)
	}
}

// TestNilRegistriesSkipNameChecks documents the zero LoadOptions: function and probe names are not
// checked, template syntax still is.
func TestNilRegistriesSkipNameChecks(t *testing.T) {
	probeCase := strings.Replace(healthCase, "        call: {operation: getHealth}\n        expect: {status: 200, headers: [{name: X-Run, equals: \"{{ stamp .run }}\"}]}\n",
		"        probe: {name: anything, with: {any: 1}}\n      - name: templ\n        call: {operation: getHealth, headers: {X: \"{{ unknownFunc 1 }}\"}}\n", 1)
	if _, err := specs.Load(miniPack(probeCase), specs.LoadOptions{}); err != nil {
		t.Errorf("zero options: %v", err)
	}
	strict := specs.LoadOptions{Funcs: template.FuncMap{}, Probes: map[string]func(*yaml.Node) error{}}
	_, err := specs.Load(miniPack(probeCase), strict)
	if err == nil || !strings.Contains(err.Error(), `unknown probe "anything"`) || !strings.Contains(err.Error(), `function "unknownFunc" not defined`) {
		t.Errorf("empty registries: %v, want unknown probe and unknown function", err)
	}
	broken := strings.Replace(probeCase, "{{ unknownFunc 1 }}", "{{ unknownFunc 1 ", 1)
	if _, err := specs.Load(miniPack(broken), specs.LoadOptions{}); err == nil || !strings.Contains(err.Error(), "unclosed action") {
		t.Errorf("zero options, broken template: %v, want unclosed action", err)
	}
}

func TestLoadDirErrors(t *testing.T) {
	if _, err := specs.LoadDir("testdata/nosuch", specs.LoadOptions{}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing dir: %v, want fs.ErrNotExist", err)
	}
	if _, err := specs.LoadDir("testdata/broken.golden", specs.LoadOptions{}); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("file: %v, want not a directory", err)
	}
}
