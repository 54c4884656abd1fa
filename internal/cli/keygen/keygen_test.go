package keygen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// keygen runs the run function with test streams and returns what it printed.
func keygen(t *testing.T, opts Options) (string, error) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	opts.IO = ios
	err := Run(&opts)
	return out.String(), err
}

func TestNewCmdKeygen(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{"SM2 by default", []string{"--out", "keys"}, Options{OutDir: "keys"}, ""},
		{"Ed25519", []string{"--out", "keys", "--ed25519"}, Options{OutDir: "keys", Ed25519: true}, ""},
		{"no --out", nil, Options{}, "--out DIR is required"},
		{"argument", []string{"--out", "keys", "extra"}, Options{}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := clitest.ParseArgs(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || cmdutil.Classify(err) == cmdutil.ExitConformant {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got == nil || got.OutDir != tt.want.OutDir || got.Ed25519 != tt.want.Ed25519 || got.IO != ios {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}

func TestRunKeygen(t *testing.T) {
	tests := []struct {
		name    string
		ed25519 bool
		wantAlg string
	}{
		{"SM2 by default", false, bundle.AlgSM2SM3},
		{"Ed25519", true, bundle.AlgEd25519},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			out, err := keygen(t, Options{OutDir: dir, Ed25519: tt.ed25519})
			if err != nil {
				t.Fatal(err)
			}
			priv, err := bundle.LoadSigningKey(filepath.Join(dir, privateKeyFile))
			if err != nil || priv.Algorithm() != tt.wantAlg {
				t.Fatalf("private key %v, %v", priv, err)
			}
			pub, err := bundle.LoadPublicKey(filepath.Join(dir, publicKeyFile))
			if err != nil {
				t.Fatal(err)
			}
			kpub, _ := priv.Public()
			if kpub.Fingerprint() != pub.Fingerprint() || !strings.Contains(out, "fingerprint: "+pub.Fingerprint()) {
				t.Errorf("the files are not one pair, or the fingerprint was not printed:\n%s", out)
			}
			for name, want := range map[string]os.FileMode{privateKeyFile: 0o600, publicKeyFile: 0o644} {
				info, err := os.Stat(filepath.Join(dir, name))
				if err != nil || info.Mode().Perm() != want {
					t.Errorf("%s mode %v (%v), want %v", name, info.Mode().Perm(), err, want)
				}
			}
			if strings.Contains(out, "PRIVATE KEY") {
				t.Error("the private key was printed")
			}
			before, _ := os.ReadFile(filepath.Join(dir, privateKeyFile))
			if _, err := keygen(t, Options{OutDir: dir}); err == nil || cmdutil.Classify(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "never replaces") {
				t.Errorf("second keygen into the same directory: %v", err)
			}
			if after, _ := os.ReadFile(filepath.Join(dir, privateKeyFile)); string(after) != string(before) {
				t.Error("the key was replaced")
			}
		})
	}
}
