package reports

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// forbiddenImports returns the packages of deps (as `go list -deps -f '{{.ImportPath}}
// {{.Standard}}'` prints them) that reports must not import: anything outside the standard
// library but reports itself, and net/http (the model knows nothing of HTTP clients).
func forbiddenImports(deps []string) []string {
	var bad []string
	for _, line := range deps {
		path, std, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch {
		case path == "" || path == "github.com/chanconf/chanconf/reports":
		case std != "true":
			bad = append(bad, path)
		case path == "net/http" || strings.HasPrefix(path, "net/http/"):
			bad = append(bad, path)
		}
	}
	return bad
}

func TestForbiddenImportsDetects(t *testing.T) {
	tests := []struct {
		name string
		deps []string
		want []string
	}{
		{"stdlib only", []string{"fmt true", "github.com/chanconf/chanconf/reports false"}, nil},
		{"ginkgo", []string{"github.com/onsi/ginkgo/v2 false"}, []string{"github.com/onsi/ginkgo/v2"}},
		{"gomega", []string{"github.com/onsi/gomega false"}, []string{"github.com/onsi/gomega"}},
		{"kin-openapi", []string{"github.com/getkin/kin-openapi/openapi3 false"}, []string{"github.com/getkin/kin-openapi/openapi3"}},
		{"another chanconf package", []string{"github.com/chanconf/chanconf/specs false"}, []string{"github.com/chanconf/chanconf/specs"}},
		{"net/http", []string{"net/http true", "net/http/httptrace true", "net/url true"}, []string{"net/http", "net/http/httptrace"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := forbiddenImports(tt.deps); !slices.Equal(got, tt.want) {
				t.Errorf("forbiddenImports = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestReportsImportsOnlyTheStandardLibrary walks `go list -deps` of this package (test files
// excluded, as in any importer's build).
func TestReportsImportsOnlyTheStandardLibrary(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go") // the toolchain running this test
	}
	out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	deps := strings.Split(strings.TrimSpace(string(out)), "\n")
	if !slices.Contains(deps, "github.com/chanconf/chanconf/reports false") || len(deps) < 10 {
		t.Fatalf("go list output does not look like reports' dependencies:\n%s", out)
	}
	if bad := forbiddenImports(deps); len(bad) > 0 {
		t.Errorf("reports imports %v; it may import only the standard library (no net/http)", bad)
	}
}
