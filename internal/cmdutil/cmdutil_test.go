package cmdutil

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/specs"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

func TestPackError(t *testing.T) {
	problems := specs.Errors{
		{File: "cases/a.yaml", Line: 3, Col: 7, CaseID: "FUN-A-001", Field: "steps[0]", Err: errors.New("bad step")},
		{File: "pack.yaml", Line: 1, Col: 1, Err: errors.New("no contracts")},
	}
	tests := []struct {
		name      string
		err       error
		wantOut   string
		wantError string
	}{
		{"problems listed", problems,
			"cases/a.yaml:3:7: FUN-A-001: steps[0]: bad step\npack.yaml:1:1: no contracts\n",
			"the spec pack has 2 problems (listed above)"},
		{"wrapped problems", fmt.Errorf("load: %w", problems[:1]),
			"cases/a.yaml:3:7: FUN-A-001: steps[0]: bad step\n", "the spec pack has 1 problem (listed above)"},
		{"unreadable pack", os.ErrNotExist, "", "spec pack: file does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out bytes.Buffer
			err := PackError(&out, tt.err)
			if out.String() != tt.wantOut {
				t.Errorf("printed %q, want %q", out.String(), tt.wantOut)
			}
			var usage *UsageError
			//codecheck:allow error-string-compare the message (a count, "listed above") is what PackError is tested for
			if !errors.As(err, &usage) || err.Error() != tt.wantError {
				t.Errorf("error %v (%T), want UsageError %q", err, err, tt.wantError)
			}
			if Classify(err) != ExitUsage {
				t.Errorf("exit %d, want 2", Classify(err))
			}
		})
	}
}

func TestLoadPack(t *testing.T) {
	tests := []struct {
		name    string
		src     PackSource
		wantErr string
	}{
		{"missing directory", PackSource{Dir: filepath.Join(t.TempDir(), "none")}, "no such file"},
		{"empty directory", PackSource{Dir: t.TempDir()}, "pack.yaml"},
		{"nothing given", PackSource{}, "no spec pack"},
		{"embedded pack under its root", PackSource{FS: esscv1.FS, Root: esscv1.Root}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pack, err := LoadPack(tt.src)
			if tt.wantErr == "" {
				// The embedded pack either loads or lists problems placed under its root.
				if err != nil && !strings.Contains(err.Error(), esscv1.Root+"/") {
					t.Fatalf("embedded pack problems not placed under %s: %v", esscv1.Root, err)
				}
				if err == nil && pack.Root != esscv1.Root {
					t.Fatalf("pack root %q", pack.Root)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}

func TestPackLoadOptionsKnowEveryName(t *testing.T) {
	opts := PackLoadOptions()
	for _, fn := range []string{"add", "uuid", "realNameToken", "faceToken", "qrClaim"} {
		if opts.Funcs[fn] == nil {
			t.Errorf("template function %s unknown to the loader", fn)
		}
	}
	for _, probe := range []string{"tls-versions", "hsts", "personal-data-scan", "channel-certificate"} {
		if opts.Probes[probe] == nil {
			t.Errorf("probe %s unknown to the loader", probe)
		}
	}
	if len(opts.Platforms) != 1 || opts.Platforms[0] != "essc" {
		t.Errorf("platforms %v", opts.Platforms)
	}
}

func TestCheckFaults(t *testing.T) {
	tests := []struct {
		name   string
		faults []string
		want   string
	}{
		{"none", nil, ""},
		{"known", []string{"hsts-missing", "bola-card"}, ""},
		{"unknown", []string{"hsts-missing", "hsts-mising"}, `unknown fault "hsts-mising"; known faults: bola-403, bola-card,`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckFaults(tt.faults)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || Classify(err) != ExitUsage):
				t.Fatalf("error %v, want a usage error containing %q", err, tt.want)
			}
		})
	}
}

func TestCheckVariants(t *testing.T) {
	tests := []struct {
		name     string
		variants []string
		want     string
	}{
		{"none", nil, ""},
		{"known", []string{"tls13-only", "level2-off"}, ""},
		{"unknown", []string{"tls13-only", "tls13"}, `unknown variant "tls13"; known variants: `},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckVariants(tt.variants)
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || Classify(err) != ExitUsage):
				t.Fatalf("error %v, want a usage error containing %q", err, tt.want)
			}
		})
	}
}

func TestWriteFileAtomic(t *testing.T) {
	tests := []struct {
		name    string
		write   func(io.Writer) error
		wantErr bool
	}{
		{"written", func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }, false},
		{"writer fails", func(w io.Writer) error { _, _ = io.WriteString(w, "half"); return errors.New("disk full") }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "report.json")
			if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
				t.Fatal(err)
			}
			err := WriteFileAtomic(path, 0o600, tt.write)
			got, _ := os.ReadFile(path)
			entries, _ := os.ReadDir(dir)
			switch {
			case tt.wantErr && (err == nil || string(got) != "old"):
				t.Errorf("error %v, content %q: a failed write must leave the old file", err, got)
			case !tt.wantErr && (err != nil || string(got) != "new"):
				t.Errorf("error %v, content %q", err, got)
			case len(entries) != 1:
				t.Errorf("temporary files left behind: %v", entries)
			}
			if info, err := os.Stat(path); err == nil && !tt.wantErr && info.Mode().Perm() != 0o600 {
				t.Errorf("mode %v, want 0600", info.Mode().Perm())
			}
		})
	}
	if err := WriteFileAtomic(filepath.Join(t.TempDir(), "no", "dir", "f"), 0o644, func(io.Writer) error { return nil }); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

// TestGetenv: only the registered variables are read from the process environment.
func TestGetenv(t *testing.T) {
	t.Setenv(EnvTarget, "https://sandbox.example/cai/v1")
	t.Setenv("CHANCONF_UNDECLARED", "set")
	if got := Getenv(EnvTarget); got != "https://sandbox.example/cai/v1" {
		t.Errorf("Getenv(%s) = %q", EnvTarget, got)
	}
	// The colour conventions iostreams.System reads must be registered, or main's Getenv hides them.
	for _, name := range []string{EnvNoColor, EnvColorForce, EnvColor, EnvTerm} {
		t.Setenv(name, "x")
		if Getenv(name) != "x" {
			t.Errorf("%s is not in the registry: iostreams would never see it", name)
		}
	}
	if got := Getenv("CHANCONF_UNDECLARED"); got != "" {
		t.Errorf("an undeclared variable was read: %q", got)
	}
}
