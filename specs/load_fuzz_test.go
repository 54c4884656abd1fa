package specs_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"text/template"
	"time"

	"github.com/chanconf/chanconf/specs"
)

// FuzzLoad feeds arbitrary bytes to the pack loader as a case file and as pack.yaml: it never
// panics or hangs, a refused pack is specs.Errors with every problem placed in a file, and an
// accepted pack has the cases it was given. The seeds (here and in testdata/fuzz) are the mini
// pack's valid case, templates at the edge of the bounds, a billion-laughs body and broken YAML;
// plain `go test` runs them.
//
//	go test ./specs -run '^$' -fuzz FuzzLoad -fuzztime 60s
func FuzzLoad(f *testing.F) {
	manifest := string(miniPack(healthCase)["pack.yaml"].Data)
	f.Add(healthCase, manifest)
	f.Add(strings.Replace(healthCase, "{{ stamp .run }}", `{{ range 1000 }}{{ printf "%5d" 1 }}{{ end }}`, 1), manifest)
	f.Add(strings.Replace(healthCase, "    steps:\n", laughs()+"    steps:\n", 1), manifest)
	f.Add("cases: [{id: [", manifest)
	f.Add(healthCase, strings.Replace(manifest, "clauses:", "clauses: &c\n", 1))
	f.Fuzz(func(t *testing.T, caseFile, manifest string) {
		defer notHung(t, time.Now())
		fsys := miniPack(caseFile)
		fsys["pack.yaml"] = &fstest.MapFile{Data: []byte(manifest)}
		p, err := specs.Load(fsys, specs.LoadOptions{Funcs: template.FuncMap{"stamp": standIn}})
		if err != nil {
			var errs specs.Errors
			if !errors.As(err, &errs) || len(errs) == 0 {
				t.Fatalf("Load error %T %v is not specs.Errors", err, err)
			}
			for _, e := range errs {
				if e.File == "" && !strings.HasPrefix(e.Error(), "read pack") {
					t.Fatalf("a problem without its file: %v", e)
				}
			}
			return
		}
		if len(p.Cases) == 0 || p.SHA256 == "" {
			t.Fatalf("an accepted pack with %d cases, digest %q", len(p.Cases), p.SHA256)
		}
	})
}

// notHung fails an input that took more than 10 s (a hang, or work without bound): fuzzing
// would otherwise only stall on it.
func notHung(t *testing.T, start time.Time) {
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("the input took %v: a hang, or work without bound", d)
	}
}
