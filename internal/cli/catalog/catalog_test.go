package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// edited copies the mini pack and rewrites its case file with edit.
// editedManifest is the mini pack with its pack.yaml edited.
func editedManifest(t *testing.T, edit func(string) string) string {
	t.Helper()
	dir := clitest.MiniPack(t)
	path := filepath.Join(dir, "pack.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := edit(string(data))
	if out == string(data) {
		t.Fatal("the edit changed nothing")
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func edited(t *testing.T, edit func(string) string) string {
	t.Helper()
	dir := clitest.MiniPack(t)
	path := filepath.Join(dir, "cases", "e2e.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := edit(string(data))
	if out == string(data) {
		t.Fatal("the edit changed nothing")
	}
	if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// catalogDiff runs `catalog diff a b` through the run function and returns everything it
// printed (and its error) with the exit code.
func catalogDiff(t *testing.T, a, b string) (string, cmdutil.ExitCode) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	err := Run(&Options{IO: ios, PackFS: esscv1.FS, PackRoot: esscv1.Root, Old: a, New: b})
	text := out.String() + errOut.String()
	if err != nil {
		text += err.Error()
	}
	return text, cmdutil.Classify(err)
}

func TestNewCmdCatalog(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		old, new string
		wantErr  string
	}{
		{"diff of two packs", []string{"diff", "embedded", "./new-pack"}, embeddedArg, "./new-pack", ""},
		{"diff of one pack", []string{"diff", "embedded"}, "", "", "accepts 2 arg(s), received 1"},
		{"no subcommand argument", []string{"merge"}, "", "", `unknown command "merge"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, PackFS: esscv1.FS, PackRoot: esscv1.Root}
			got, err := clitest.ParseArgs(f, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got == nil || got.Old != tt.old || got.New != tt.new || got.PackFS == nil || got.PackRoot != esscv1.Root {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}

func TestRunCatalog(t *testing.T) {
	base := clitest.MiniPack(t)
	newCase := `
  - id: FUN-HLT-902
    title: The health check answers twice
    clauses: [CAI-13.1]
    level: MUST
    suite: functional
    area: health
    profile: any
    steps:
      - name: get health
        call: {operation: getHealth}
        expect: {status: [200]}
`
	tests := []struct {
		name string
		b    string
		want []string
		not  []string
	}{
		{"identical", clitest.MiniPack(t), []string{"0 added, 0 removed, 0 changed, 3 unchanged"}, []string{"changed ("}},
		{"moved and commented only", edited(t, func(s string) string {
			return "# a comment\n\n" + strings.Replace(s, "cases:\n", "cases:\n  # moved down\n", 1)
		}),
			[]string{"0 added, 0 removed, 0 changed, 3 unchanged"}, nil},
		{"title and expectation changed", edited(t, func(s string) string {
			s = strings.Replace(s, "The health check answers UP", "The health check answers UP, always", 1)
			return strings.Replace(s, "{path: $.status, equals: UP}", "{path: $.status, equals: DOWN}", 1)
		}), []string{"changed (1):\n  FUN-HLT-901  title, steps", "0 added, 0 removed, 1 changed, 2 unchanged"}, nil},
		{"level changed", edited(t, func(s string) string {
			return strings.Replace(s, "    clauses: [CAI-11.2]\n    level: MUST", "    clauses: [CAI-11.2]\n    level: SHOULD", 1)
		}), []string{"SEC-HDR-901  level"}, nil},
		{"added", edited(t, func(s string) string { return s + newCase }), []string{"added (1):\n  FUN-HLT-902  MUST  The health check answers twice"}, nil},
		{"clause catalogue changed", editedManifest(t, func(s string) string {
			s = strings.Replace(s, "  - {id: CAI-13.1, level: MUST,", "  - {id: CAI-11.6, level: MUST, suite: security, title: Date on every response}\n  - {id: CAI-13.1, level: MUST,", 1)
			return strings.Replace(s, "profiles: [rest], title:", "title:", 1)
		}), []string{"clauses added (1):\n  CAI-11.6  MUST  security  Date on every response", "clauses changed (1):\n  CAI-4.1  profiles",
			"0 added, 0 removed, 0 changed, 3 unchanged"}, []string{"clauses removed"}},
		{"renamed: removed and added", edited(t, func(s string) string { return strings.Replace(s, "id: SEC-HDR-901", "id: SEC-HDR-902", 1) }),
			[]string{"added (1):\n  SEC-HDR-902  MUST  Responses forbid caching", "removed (1):\n  SEC-HDR-901  MUST  Responses forbid caching",
				"1 added, 1 removed, 0 changed, 2 unchanged"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, code := catalogDiff(t, base, tt.b)
			if code != 0 {
				t.Fatalf("exit %d\n%s", code, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, n := range tt.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q:\n%s", n, out)
				}
			}
		})
	}
	if out, code := catalogDiff(t, base, clitest.BrokenPack(t)); code != cmdutil.ExitUsage || !strings.Contains(out, "unknown clause") {
		t.Errorf("a broken pack: exit %d\n%s", code, out)
	}
}
