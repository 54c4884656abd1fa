package lint

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdLint(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantDir string
		wantErr string
	}{
		{"embedded pack", nil, "", ""},
		{"directory", []string{"packs/v2"}, "packs/v2", ""},
		{"two directories", []string{"a", "b"}, "", "accepts at most 1 arg"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := clitest.ParseArgs(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Dir != tt.wantDir {
				t.Fatalf("error %v, dir %q, want %q", err, got.Dir, tt.wantDir)
			}
		})
	}
}

func TestRunLint(t *testing.T) {
	tests := []struct {
		name     string
		dir      string
		want     []string // regular expressions, one per output line, in order
		wantCode cmdutil.ExitCode
	}{
		{"clean pack", clitest.MiniPack(t), []string{`^pack OK: 3 cases, 3 clauses, sha256 [0-9a-f]{64}$`}, cmdutil.ExitConformant},
		{"broken pack", clitest.BrokenPack(t), []string{
			`/cases/broken\.yaml:4:\d+: FUN-BRK-901: clauses\[1\]: unknown clause "CAI-99\.9"$`,
			`/cases/broken\.yaml:14:\d+: FUN-BRK-901: steps\[0\]\.expect\.bogus: unknown field "bogus"`,
			`/pack\.yaml:\d+:\d+: contracts: `,
		}, cmdutil.ExitUsage},
		{"missing directory", "/no/such/pack", nil, cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			err := Run(t.Context(), &Options{IO: ios, Dir: tt.dir})
			if got := cmdutil.Classify(err); got != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d", got, err, tt.wantCode)
			}
			lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
			if len(tt.want) == 0 {
				lines = nil
				if out.Len() != 0 {
					t.Errorf("unexpected output %q", out)
				}
			}
			if len(lines) != len(tt.want) {
				t.Fatalf("got %d lines, want %d:\n%s", len(lines), len(tt.want), out)
			}
			for i, re := range tt.want {
				if !regexp.MustCompile(re).MatchString(lines[i]) {
					t.Errorf("line %d is %q, want %s", i+1, lines[i], re)
				}
			}
		})
	}
}
