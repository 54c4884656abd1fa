// Package servereference is `chanconf serve-reference`: it runs the reference channel as a
// standalone HTTPS server and writes its declaration, so a vendor can see a working channel
// and run `chanconf run --target ... --declaration ...` against it exactly as against their own.
package servereference

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/spf13/cobra"
)

// Options are the inputs of `chanconf serve-reference`.
type Options struct {
	IO *iostreams.IOStreams
	// Start starts the channel (refchannel.New in production).
	Start func(refchannel.Options) (*refchannel.Server, error)

	// Addr is the listen address; DeclarationOut the file the declaration is written to (0600:
	// it holds the sandbox data key).
	Addr, DeclarationOut string
	// Faults, Latency and QRLifetime configure the channel.
	Faults  []string
	Latency time.Duration
	// Variants are allowed behaviour the channel shows instead of its defaults.
	Variants   []string
	QRLifetime time.Duration
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, Start: refchannel.New}
	var variantAlias []string
	cmd := &cobra.Command{
		Use:   "serve-reference",
		Short: "Serve the reference channel and write its declaration, until interrupted",
		Example: `  chanconf serve-reference --addr 127.0.0.1:8443 --declaration-out reference.yaml
  chanconf run --target https://127.0.0.1:8443/cai/v1 --declaration reference.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if opts.DeclarationOut == "" {
				return cmdutil.Usagef("--declaration-out is required: the declaration holds the sandbox data key and is never printed")
			}
			if opts.Latency < 0 {
				return cmdutil.Usagef("--latency must not be negative")
			}
			if err := cmdutil.CheckFaults(opts.Faults); err != nil {
				return err
			}
			opts.Variants = append(opts.Variants, variantAlias...)
			if err := cmdutil.CheckVariants(opts.Variants); err != nil {
				return err
			}
			if !cmd.Flags().Changed("qr-lifetime") {
				opts.QRLifetime = 0 // the channel's default, or the lifetime a variant sets
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:8443", "listen on this `HOST:PORT`")
	fl.StringVar(&opts.DeclarationOut, "declaration-out", "", "write the channel's declaration (YAML, mode 0600) to `FILE`")
	fl.StringArrayVar(&opts.Faults, "fault", nil, "break the channel with this fault `NAME` (repeatable; see 'chanconf faults')")
	fl.StringArrayVar(&opts.Variants, "variant", nil, "start the channel with this allowed variant `NAME` (repeatable; see 'chanconf variants')")
	fl.StringArrayVar(&variantAlias, "reference-variant", nil, "the same as --variant, spelt as on 'chanconf run'")
	fl.DurationVar(&opts.Latency, "latency", 0, "latency added to every response")
	fl.DurationVar(&opts.QRLifetime, "qr-lifetime", 5*time.Second, "QR code lifetime (1s to 60s)")
	return cmd
}

// Run starts the channel, writes its declaration and serves until ctx is cancelled.
func Run(ctx context.Context, opts *Options) error {
	srv, err := opts.Start(refchannel.Options{
		Addr: opts.Addr, Faults: opts.Faults, Variants: opts.Variants, Latency: opts.Latency, QRLifetime: opts.QRLifetime, Log: opts.IO.ErrOut,
	})
	if err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("start the reference channel: %w", err)}
	}
	defer srv.Close()
	data, err := srv.Declaration().Encode()
	if err != nil {
		return fmt.Errorf("encode the declaration: %w", err)
	}
	err = cmdutil.WriteFileAtomic(opts.DeclarationOut, 0o600, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	if err != nil {
		return &cmdutil.UsageError{Err: fmt.Errorf("--declaration-out: %w", err)}
	}
	_, err = fmt.Fprintf(opts.IO.ErrOut, "reference channel at %s\ndeclaration written to %s\nserving until interrupted\n",
		srv.URL, opts.DeclarationOut)
	if err != nil {
		return fmt.Errorf("write console output: %w", err)
	}
	<-ctx.Done()
	return nil
}
