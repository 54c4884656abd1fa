package keygen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func execute(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ios, _, out, _ := iostreams.Test()
	cmd := NewCmd(&cmdutil.Factory{IOStreams: ios}, nil)
	cmd.SetArgs(args)
	cmd.SetOut(ios.Out)
	cmd.SetErr(ios.ErrOut)
	err := cmd.Execute()
	return out.String(), err
}

func TestKeygen(t *testing.T) {
	tests := []struct {
		name    string
		flags   []string
		wantAlg string
	}{
		{"SM2 by default", nil, bundle.AlgSM2SM3},
		{"Ed25519", []string{"--ed25519"}, bundle.AlgEd25519},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys")
			out, err := execute(t, append([]string{"--out", dir}, tt.flags...)...)
			if err != nil {
				t.Fatal(err)
			}
			priv, err := bundle.LoadSigningKey(filepath.Join(dir, PrivateKeyFile))
			if err != nil || priv.Algorithm() != tt.wantAlg {
				t.Fatalf("private key %v, %v", priv, err)
			}
			pub, err := bundle.LoadPublicKey(filepath.Join(dir, PublicKeyFile))
			if err != nil {
				t.Fatal(err)
			}
			kpub, _ := priv.Public()
			if kpub.Fingerprint() != pub.Fingerprint() || !strings.Contains(out, "fingerprint: "+pub.Fingerprint()) {
				t.Errorf("the files are not one pair, or the fingerprint was not printed:\n%s", out)
			}
			for name, want := range map[string]os.FileMode{PrivateKeyFile: 0o600, PublicKeyFile: 0o644} {
				info, err := os.Stat(filepath.Join(dir, name))
				if err != nil || info.Mode().Perm() != want {
					t.Errorf("%s mode %v (%v), want %v", name, info.Mode().Perm(), err, want)
				}
			}
			if strings.Contains(out, "PRIVATE KEY") {
				t.Error("the private key was printed")
			}
			before, _ := os.ReadFile(filepath.Join(dir, PrivateKeyFile))
			if _, err := execute(t, "--out", dir); err == nil || cmdutil.Classify(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "never replaces") {
				t.Errorf("second keygen into the same directory: %v", err)
			}
			if after, _ := os.ReadFile(filepath.Join(dir, PrivateKeyFile)); string(after) != string(before) {
				t.Error("the key was replaced")
			}
		})
	}
	if _, err := execute(t); err == nil || cmdutil.Classify(err) != cmdutil.ExitUsage {
		t.Errorf("keygen without --out: %v", err)
	}
}
