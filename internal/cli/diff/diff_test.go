package diff

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// writeReport writes a judged report of "ID=STATE" cases and returns its path.
func writeReport(t *testing.T, name string, pairs ...string) string {
	t.Helper()
	r := report(t, pairs...)
	var buf bytes.Buffer
	if err := reports.WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func report(t *testing.T, pairs ...string) *reports.Report {
	t.Helper()
	r := &reports.Report{SchemaVersion: reports.SchemaVersion, Target: reports.Target{Profiles: []string{"rest"}}}
	for _, p := range pairs {
		id, st, _ := strings.Cut(p, "=")
		s, err := reports.ParseState(st)
		if err != nil {
			t.Fatal(err)
		}
		r.Cases = append(r.Cases, reports.Case{ID: id, Level: "MUST", Profile: "rest", State: s})
	}
	reports.Judge(r)
	return r
}

func TestDiff(t *testing.T) {
	old := writeReport(t, "a.json", "A=PASS", "B=FAIL", "C=PASS")
	decl, err := cai.LoadDeclaration("../../../fixtures/declaration.sample.yaml")
	if err != nil {
		t.Fatal(err)
	}
	zipped, err := bundle.Build(bundle.Input{Report: report(t, "A=FAIL", "B=PASS", "C=PASS"), Declaration: decl, Pack: &specs.Pack{}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(t.TempDir(), "bundle.zip")
	if err := os.WriteFile(zipPath, zipped, 0o644); err != nil {
		t.Fatal(err)
	}
	garbage := filepath.Join(t.TempDir(), "g.json")
	if err := os.WriteFile(garbage, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		a, b     string
		wantCode cmdutil.ExitCode
		want     []string
	}{
		{"regression", old, writeReport(t, "b.json", "A=ERROR", "B=PASS", "D=PASS"), 1,
			[]string{"verdict: NONCONFORMANT -> INCOMPLETE", "regressions (1):\n  A  PASS -> ERROR", "fixes (1):\n  B  FAIL -> PASS",
				"new cases (1):\n  D  (absent) -> PASS", "removed cases (1):\n  C  PASS -> (absent)"}},
		{"only fixes", old, writeReport(t, "c.json", "A=PASS", "B=PASS", "C=PASS"), 0,
			[]string{"verdict: NONCONFORMANT -> CONFORMANT", "0 regressions, 1 fixes"}},
		{"from a bundle", old, zipPath, 1, []string{"regressions (1):\n  A  PASS -> FAIL"}},
		{"unreadable", old, garbage, 2, []string{"schema version"}},
		{"missing", old, filepath.Join(t.TempDir(), "none.json"), 2, []string{"no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			cmd := NewCmd(&cmdutil.Factory{IOStreams: ios}, nil)
			cmd.SetArgs([]string{tt.a, tt.b})
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			cmd.SilenceUsage = true
			err := cmd.Execute()
			text := out.String()
			if err != nil {
				text += err.Error()
			}
			if got := cmdutil.Classify(err); got != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s", got, tt.wantCode, text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, text)
				}
			}
		})
	}
}
