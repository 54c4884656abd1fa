// Package keygen is `chanconf keygen`: it makes the key pair that signs certification bundles
// (SM2 by default, Ed25519 with --ed25519). The vendor or test laboratory keeps the private
// key and registers the public key (or its fingerprint) with the ministry, which verifies
// bundles with it.
package keygen

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// File names written into --out.
const (
	privateKeyFile = "signing.key.pem"
	publicKeyFile  = "signing.pub.pem"
)

// Options are the inputs of `chanconf keygen`.
type Options struct {
	IO *iostreams.IOStreams
	// OutDir (--out) receives the two files; it is created if needed.
	OutDir string
	// Ed25519 (--ed25519) makes an Ed25519 key instead of SM2.
	Ed25519 bool
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams}
	cmd := &cobra.Command{
		Use:   "keygen --out DIR",
		Short: "Make the key pair that signs certification bundles (SM2, or Ed25519)",
		Long: `Keygen writes a new signing key pair into --out: signing.key.pem (PKCS#8, mode 0600; keep
it secret, give it to 'chanconf run --certify --sign-key') and signing.pub.pem (give it, or the
printed fingerprint, to whoever verifies your bundles with 'chanconf verify --pubkey'). It never
overwrites an existing key.`,
		Example: `  chanconf keygen --out ~/.chanconf
  chanconf keygen --out keys --ed25519`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.OutDir == "" {
				return cmdutil.Usagef("--out DIR is required")
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	cmd.Flags().StringVar(&opts.OutDir, "out", "", "write the key pair into `DIR`")
	cmd.Flags().BoolVar(&opts.Ed25519, "ed25519", false, "make an Ed25519 key instead of SM2 (SM3 digest)")
	return cmd
}

// Run makes the key pair and writes both files, refusing to replace either.
func Run(opts *Options) error {
	alg := bundle.AlgSM2SM3
	if opts.Ed25519 {
		alg = bundle.AlgEd25519
	}
	privPath := filepath.Join(opts.OutDir, privateKeyFile)
	pubPath := filepath.Join(opts.OutDir, publicKeyFile)
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Stat(p); err == nil {
			return cmdutil.Usagef("%s exists: keygen never replaces a key (move it away first)", p)
		} else if !errors.Is(err, fs.ErrNotExist) {
			return cmdutil.Usagef("--out: %w", err)
		}
	}
	if err := os.MkdirAll(opts.OutDir, 0o755); err != nil {
		return cmdutil.Usagef("--out: %w", err)
	}
	privPEM, pubPEM, err := bundle.GenerateKey(alg)
	if err != nil {
		return err
	}
	pub, err := bundle.ParsePublicKeyPEM(pubPEM)
	if err != nil {
		return err
	}
	if err := write(privPath, 0o600, privPEM); err != nil {
		return err
	}
	if err := write(pubPath, 0o644, pubPEM); err != nil {
		return err
	}
	_, err = fmt.Fprintf(opts.IO.Out, "algorithm:   %s\nprivate key: %s (keep it secret)\npublic key:  %s\nfingerprint: %s\n",
		alg, privPath, pubPath, pub.Fingerprint())
	if err != nil {
		return fmt.Errorf("write console output: %w", err)
	}
	return nil
}

// write writes data into path with mode perm, atomically.
func write(path string, perm fs.FileMode, data []byte) error {
	return cmdutil.WriteFileAtomic(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
