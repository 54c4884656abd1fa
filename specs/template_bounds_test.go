package specs_test

import (
	"strings"
	"testing"
	"text/template"

	"github.com/chanconf/chanconf/specs"
)

// TestLintRefusesUnboundedTemplates is issue 11 finding 7 for lint: `range 500000000` passed
// lint and the run took 2.9 GB. Every template whose work is not bounded by its length and
// data is now a lint problem naming the file, line, case and field; bounded loops still pass.
func TestLintRefusesUnboundedTemplates(t *testing.T) {
	tests := []struct {
		name, tpl, want string
	}{
		{"the finding", `{{ range 500000000 }}x{{ end }}`, "{{range 500000000}}: ranges over 500000000, more than the 1000 a template may loop"},
		{"computed count", `{{ range (stamp 1) }}{{ end }}`, "not a computed value or a variable"},
		{"variable count", `{{ $n := 5 }}{{ range $n }}{{ end }}`, "not a computed value or a variable"},
		{"dot inside with", `{{ with 5 }}{{ range . }}{{ end }}{{ end }}`, "not a computed value or a variable"},
		{"nested", `{{ range $.v.a }}{{ range 2 }}{{ end }}{{ end }}`, "{{range 2}} inside another range"},
		{"define", `{{ define "a" }}x{{ end }}`, `{{define "a"}}: templates may not define templates`},
		{"template call", `{{ template "t" . }}`, `{{template "t"}}: templates may not call templates`},
		{"block", `{{ block "b" . }}x{{ end }}`, `templates may not`},
		{"printf width", `{{ printf "%099999d" 1 }}`, "printf width or precision 99999 is more than 1000"},
		{"printf precision", `{{ printf "%.5000s" "x" }}`, "printf width or precision 5000 is more than 1000"},
		{"printf star", `{{ printf "%*d" 5 1 }}`, "width or precision * (taken from an argument)"},
		{"printf computed format", `{{ printf (stamp 1) 1 }}`, "printf's format must be a literal string"},
		{"printf nested in a call", `{{ stamp (printf "%2000d" 1) }}`, "printf width or precision 2000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := strings.Replace(healthCase, `"{{ stamp .run }}"`, "'"+tt.tpl+"'", 1)
			_, err := specs.Load(miniPack(c), specs.LoadOptions{Funcs: template.FuncMap{"stamp": standIn}})
			at := "cases/health.yaml:11:63: FUN-HEALTH-001: steps[0].expect.headers[0].equals: {{"
			if err == nil || !strings.Contains(err.Error(), at) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: %v\nwant %q at %q", err, tt.want, at)
			}
		})
	}
	for _, ok := range []string{`{{ range 1000 }}x{{ end }}`, `{{ range $i, $x := .p }}{{ $i }}{{ end }}{{ range $.d.regions }}{{ . }}{{ end }}`,
		`{{ printf "%05d-%.2f %%" 1 2.5 }}`, `{{ range 3 }}{{ printf "%3d" 1 }}{{ end }}`} {
		c := strings.Replace(healthCase, `"{{ stamp .run }}"`, "'"+ok+"'", 1)
		if _, err := specs.Load(miniPack(c), specs.LoadOptions{Funcs: template.FuncMap{"stamp": standIn}}); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
}
