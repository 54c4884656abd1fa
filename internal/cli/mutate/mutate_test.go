package mutate

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdMutate(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		check   func(*Options) bool
		wantErr string
	}{
		{"defaults", nil, func(o *Options) bool {
			return o.Jobs == 2 && o.Sample == 0 && o.Timeout == 3*time.Minute && o.Source == "." && o.GoCmd == "go" && o.Seed == 1
		}, ""},
		{"flags", []string{"--jobs", "4", "--sample", "20", "--out", "x", "--timeout", "1m", "--min-score", "90", "--list"}, func(o *Options) bool {
			return o.Jobs == 4 && o.Sample == 20 && o.OutDir == "x" && o.Timeout == time.Minute && o.MinScore == 90 && o.List
		}, ""},
		{"zero jobs", []string{"--jobs", "0"}, nil, "--jobs must be >= 1"},
		{"score over 100", []string{"--min-score", "101"}, nil, "--min-score within 0..100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := clitest.ParseArgs(&cmdutil.Factory{IOStreams: ios, Now: time.Now}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || cmdutil.Classify(err) != cmdutil.ExitUsage {
					t.Fatalf("error %v, want usage error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(got) {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}

// TestRunMutateRefusesWithoutToolchainOrSource: without the Go toolchain or a chanconf
// checkout the command stops before anything runs, with exit 2 and a message saying why.
func TestRunMutateRefusesWithoutToolchainOrSource(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	tests := []struct {
		name, source, goCmd, want string
	}{
		{"no toolchain", root, "/nonexistent/go", "needs the Go toolchain at run time"},
		{"not a checkout", t.TempDir(), "go", "is not the chanconf source checkout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			err := Run(t.Context(), &Options{IO: ios, Now: time.Now, Source: tt.source, GoCmd: tt.goCmd, Jobs: 1, Timeout: time.Minute})
			if err == nil || !strings.Contains(err.Error(), tt.want) || cmdutil.Classify(err) != cmdutil.ExitUsage {
				t.Fatalf("error %v, want usage error containing %q", err, tt.want)
			}
		})
	}
}

// TestRunMutateList: --list prints every mutant in scope, tab-separated, without building.
func TestRunMutateList(t *testing.T) {
	root, _ := filepath.Abs(filepath.Join("..", "..", ".."))
	ios, _, out, _ := iostreams.Test()
	if err := Run(t.Context(), &Options{IO: ios, Now: time.Now, Source: root, GoCmd: "go", Jobs: 1, Timeout: time.Minute, List: true}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) < 300 {
		t.Fatalf("%d mutants listed, want the >= 300 of the campaign", len(lines))
	}
	for _, l := range lines {
		f := strings.Split(l, "\t")
		if len(f) < 6 || !strings.HasPrefix(f[0], "m-") || !strings.HasPrefix(f[1], "fixtures/refchannel/") {
			t.Fatalf("bad line %q", l)
		}
	}
	if !strings.Contains(out.String(), "service.useNonce\tremove-early-return") {
		t.Error("the nonce-replay check of useNonce is not listed")
	}
}
