package diff

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cli/clitest"
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

func TestNewCmdDiff(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		old, new string
		wantErr  string
	}{
		{"two reports", []string{"a/report.json", "b/bundle.zip"}, "a/report.json", "b/bundle.zip", ""},
		{"one report", []string{"a/report.json"}, "", "", "accepts 2 arg(s), received 1"},
		{"three reports", []string{"a", "b", "c"}, "", "", "accepts 2 arg(s), received 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := clitest.ParseArgs(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got == nil || got.Old != tt.old || got.New != tt.new || got.IO != ios {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}

func TestRunDiff(t *testing.T) {
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
			err := Run(&Options{IO: ios, Old: tt.a, New: tt.b})
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
