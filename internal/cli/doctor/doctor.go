// Package doctor is `chanconf doctor`: the pre-flight of internal/doctor on the command line,
// so a vendor can fix the set-up (declaration, DNS, ports, TLS trust, clocks, keys) before
// spending a run on it.
package doctor

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/doctor"
	"github.com/chanconf/chanconf/internal/iostreams"
)

// Options are the inputs of `chanconf doctor`.
type Options struct {
	IO  *iostreams.IOStreams
	Now func() time.Time
	// Target (--target) and Declaration (--declaration) name the channel; the declaration
	// alone uses its baseURL; neither checks the embedded reference channel.
	Target, Declaration string
	// Timeout bounds each network check; MaxSkew is the clock difference tolerated.
	Timeout, MaxSkew time.Duration
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Now: f.Now}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check that a channel can be tested: declaration, certificate, DNS, TCP, TLS trust, clock, signing, data key",
		Long: `Doctor checks, in order, everything a run needs before a case is sent: the declaration (every
field, key and certificate format, and that sandbox.dataKeyCheck is the data key's check value),
the channel certificate (chains to raRoot, valid now, names the channel number: CAI-2.7), DNS, a
TCP connection, a TLS handshake trusting the declared sandbox.tlsCA, GET /health, the clock skew
against the channel's Date header, a signed no-op request (GET /authorizations without a session
must answer a signed 401 SESSION_INVALID that verifies with the declared certificate), and the
data key (POST /sessions with a real-name token sealed under the declared key must open a
session). Each check prints OK or PROBLEM with a fix (README "Troubleshooting"). Exit 0 when all
pass, 2 otherwise. 'chanconf run' makes the same checks first.`,
		Example: `  chanconf doctor --target https://sandbox.example.com/cai/v1 --declaration channel.yaml
  chanconf doctor --declaration channel.yaml
  chanconf doctor`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cmdutil.TargetFromEnv(cmd, f.Getenv, &opts.Target, &opts.Declaration)
			if opts.Target != "" && opts.Declaration == "" {
				return cmdutil.Usagef("--target needs --declaration (the channel's declaration file)")
			}
			if opts.Timeout < 0 || opts.MaxSkew < 0 {
				return cmdutil.Usagef("--timeout and --max-skew must not be negative")
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Target, "target", "", "base URL of the channel (default: the declaration's baseURL; env "+cmdutil.EnvTarget+")")
	fl.StringVar(&opts.Declaration, "declaration", "", "the channel's declaration `FILE` (env "+cmdutil.EnvDeclaration+")")
	fl.DurationVar(&opts.Timeout, "timeout", doctor.DefaultTimeout, "bound on each network check")
	fl.DurationVar(&opts.MaxSkew, "max-skew", doctor.DefaultMaxSkew, "clock difference tolerated against the channel's Date header")
	return cmd
}

// Run makes the checks and prints them to Out; any problem is exit 2.
func Run(ctx context.Context, opts *Options) error {
	r := doctor.Run(ctx, doctor.Options{Target: opts.Target, DeclarationPath: opts.Declaration,
		Config: doctor.Config{Now: opts.Now, Timeout: opts.Timeout, MaxSkew: opts.MaxSkew}})
	if err := doctor.Write(opts.IO.Out, r); err != nil {
		return err
	}
	if r.OK() {
		return nil
	}
	return cmdutil.Usagef("the channel is not ready to be tested: %d problems (listed above)", len(r.Problems()))
}
