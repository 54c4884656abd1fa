package esscv1_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cli/list"
	"github.com/chanconf/chanconf/internal/iostreams"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// regenerate is the command that rewrites the committed catalogue.
const regenerate = "go run ./cmd/chanconf list --format yaml > specs/essc/v1/catalog.yaml"

// TestCatalogIsCurrent keeps catalog.yaml, the committed catalogue reviewers read without
// chanconf, identical to what `chanconf list --format yaml` prints for the embedded pack.
func TestCatalogIsCurrent(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	if err := list.Run(t.Context(), &list.Options{IO: ios, PackFS: esscv1.FS, PackRoot: esscv1.Root, Format: "yaml"}); err != nil {
		t.Fatalf("list the embedded pack: %v\n%s", err, errOut)
	}
	committed, err := os.ReadFile("catalog.yaml")
	if err != nil {
		t.Fatalf("read specs/essc/v1/catalog.yaml: %v; generate it (from the repository root): %s", err, regenerate)
	}
	if diff := firstDifference(committed, out.Bytes()); diff != "" {
		t.Errorf("specs/essc/v1/catalog.yaml is not the catalogue of the embedded pack (%s);\nregenerate it (from the repository root): %s", diff, regenerate)
	}
}

// TestFirstDifference shows the check cannot pass on a stale catalogue.
func TestFirstDifference(t *testing.T) {
	tests := []struct {
		a, b, want string
	}{
		{"x\ny\n", "x\ny\n", ""},
		{"x\ny\n", "x\nz\n", `line 2: committed "y", generated "z"`},
		{"x\n", "x\ny\n", `line 2: committed (end of file), generated "y"`},
	}
	for _, tt := range tests {
		if got := firstDifference([]byte(tt.a), []byte(tt.b)); got != tt.want {
			t.Errorf("firstDifference(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

// firstDifference names the first line where committed and generated differ ("" if equal).
func firstDifference(committed, generated []byte) string {
	if bytes.Equal(committed, generated) {
		return ""
	}
	a, b := strings.Split(string(committed), "\n"), strings.Split(string(generated), "\n")
	line := func(ls []string, i int) string {
		if i < len(ls) && !(i == len(ls)-1 && ls[i] == "") {
			return fmt.Sprintf("%q", ls[i])
		}
		return "(end of file)"
	}
	for i := 0; ; i++ {
		if la, lb := line(a, i), line(b, i); la != lb {
			return fmt.Sprintf("line %d: committed %s, generated %s", i+1, la, lb)
		}
	}
}
