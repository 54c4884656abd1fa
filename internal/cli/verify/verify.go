// Package verify is `chanconf verify`: the one check of a certification bundle that the vendor
// runs before submitting and the ministry runs on receipt. It checks the signature and every
// digest, then decides eligibility with internal/certify (the function `run` used), and prints
// `certifiable: yes` or `certifiable: no` with every reason.
package verify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/spf13/cobra"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/certify"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
)

// Options are the inputs of `chanconf verify`.
type Options struct {
	IO *iostreams.IOStreams
	// PackFS is the embedded pack (approved by default) and PackRoot its display name.
	PackFS   fs.FS
	PackRoot string

	// Bundle is the bundle.zip to verify.
	Bundle string
	// PubKey (--pubkey) is the signer's public key, PEM.
	PubKey string
	// Policy (--policy) lists the approved packs and tool versions; default: the embedded pack.
	Policy string
	// PackDir (--pack) is the pack the bundle names, when it is not the embedded one: its case
	// catalogue is then checked instead of the bundle's own copy.
	PackDir string
}

// NewCmd builds the command; runF replaces the run function in tests.
func NewCmd(f *cmdutil.Factory, runF func(*Options) error) *cobra.Command {
	opts := &Options{IO: f.IOStreams, PackFS: f.PackFS, PackRoot: f.PackRoot}
	cmd := &cobra.Command{
		Use:   "verify BUNDLE --pubkey FILE",
		Short: "Verify a certification bundle and say whether it is certifiable",
		Long: `Verify checks a bundle.zip written by 'chanconf run --certify': the signature of its manifest
with --pubkey, the SHA-256 of every file (a changed byte names the file), that the pack is
approved (by --policy, or the pack embedded in this chanconf), and that the run was complete,
unwaived, not a merged re-run, not against a faulty reference channel, and that every MUST case
of the declared profiles passed. It prints 'certifiable: yes' (exit 0) or 'certifiable: no' with
every reason (exit 1): a damaged bundle (a flipped byte anywhere, zip metadata changed) is not
certifiable. A bundle path, key or policy that cannot be read exits 2.`,
		Example: `  chanconf verify chanconf-out/20250601T083000Z/bundle.zip --pubkey vendor.pub.pem
  chanconf verify bundle.zip --pubkey vendor.pub.pem --policy approved-packs.yaml`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Bundle = args[0]
			if opts.PubKey == "" {
				return cmdutil.Usagef("--pubkey FILE is required: the public key of whoever signed the bundle")
			}
			if runF != nil {
				return runF(opts)
			}
			return Run(opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.PubKey, "pubkey", "", "the signer's public key `FILE` (PEM)")
	fl.StringVar(&opts.Policy, "policy", "", "policy `FILE` listing the approved packs and chanconf versions")
	fl.StringVar(&opts.PackDir, "pack", "", "the pack `DIR` the bundle was made with, when it is not the embedded one")
	return cmd
}

// outcome is what verification found.
type outcome struct {
	// Signer is the fingerprint of the key that verified the signature.
	Signer string
	// Report is the bundle's report (nil when unreadable).
	Report *reports.Report
	// Eligibility is the decision, with integrity problems first among its reasons.
	Eligibility reports.Eligibility
	// Notes explain how the decision was made without changing it.
	Notes []string
}

// Run verifies the bundle, prints the outcome to Out and returns a VerdictError (exit 1) when
// it is not certifiable (a damaged bundle included), a UsageError (exit 2) when an input
// cannot be read at all.
func Run(opts *Options) error {
	o, err := check(opts)
	if err != nil {
		return err
	}
	if err := write(opts.IO.Out, opts.Bundle, o); err != nil {
		return err
	}
	if o.Eligibility.Certifiable {
		return nil
	}
	v := reports.Incomplete
	if o.Report != nil {
		v = o.Report.Verdict
	}
	return &cmdutil.VerdictError{Verdict: v, Code: cmdutil.ExitNonconformant}
}

// check verifies the bundle and decides eligibility without printing.
func check(opts *Options) (*outcome, error) {
	pub, err := bundle.LoadPublicKey(opts.PubKey)
	if err != nil {
		return nil, &cmdutil.UsageError{Err: fmt.Errorf("--pubkey: %w", err)}
	}
	b, err := bundle.ReadFile(opts.Bundle)
	switch {
	case errors.Is(err, bundle.ErrDamaged):
		// The file was read: its bytes are the evidence, and damaged evidence certifies nothing.
		return &outcome{Signer: pub.Fingerprint(), Eligibility: reports.Eligibility{Reasons: []string{err.Error()}}}, nil
	case err != nil:
		return nil, &cmdutil.UsageError{Err: err}
	}
	embedded, embeddedCases := embeddedPack(opts)
	policy := certify.DefaultPolicy(embedded)
	if opts.Policy != "" {
		p, err := certify.LoadPolicy(opts.Policy)
		if err != nil {
			return nil, &cmdutil.UsageError{Err: err}
		}
		policy = *p
	}
	o := &outcome{Signer: pub.Fingerprint()}
	evidence := certify.UnsignedBundle
	if _, signed := b.Lookup(bundle.FileSignature); signed {
		evidence = certify.SignedBundle
	}
	var reasons []string
	for _, p := range b.Verify(pub) {
		if evidence == certify.UnsignedBundle && p.File == bundle.FileSignature {
			continue // a missing signature is said by Evaluate, in the words `run` uses
		}
		reasons = append(reasons, p.String())
	}
	rep, err := b.Report()
	if err != nil {
		o.Eligibility = reports.Eligibility{Reasons: append(reasons, bundle.FileReport+": "+err.Error())}
		return o, nil
	}
	o.Report = rep
	cases, note, err := catalogue(opts, b, rep.Pack, embedded, embeddedCases)
	if err != nil {
		return nil, err
	}
	if note != "" {
		o.Notes = append(o.Notes, note)
	}
	e := certify.Evaluate(certify.Input{Report: rep, Cases: cases, Policy: policy, Evidence: evidence})
	o.Eligibility = reports.Eligibility{Certifiable: len(reasons) == 0 && e.Certifiable, Reasons: append(reasons, e.Reasons...)}
	return o, nil
}

// catalogue returns the case catalogue to check the report against: the embedded pack's or
// --pack's when its digest is the report's, else the bundle's own pack-manifest.json (noted).
func catalogue(opts *Options, b *bundle.Bundle, ref, embedded reports.PackRef, embeddedCases []certify.CaseRef) ([]certify.CaseRef, string, error) {
	if opts.PackDir != "" {
		p, err := cmdutil.LoadPack(cmdutil.PackSource{Dir: opts.PackDir})
		if err != nil {
			return nil, "", cmdutil.PackError(opts.IO.ErrOut, err)
		}
		if p.SHA256 == ref.SHA256 {
			return certify.CaseRefs(p), "", nil
		}
		return nil, "", cmdutil.Usagef("--pack %s has digest %s, the bundle's pack %s", opts.PackDir, p.SHA256, ref.SHA256)
	}
	if embeddedCases != nil && embedded.SHA256 == ref.SHA256 {
		return embeddedCases, "", nil
	}
	pm, err := b.PackManifest()
	if err != nil {
		return nil, "", nil // already a problem of the bundle; Evaluate says the catalogue is missing
	}
	return pm.Cases, fmt.Sprintf("the case catalogue was taken from the bundle's %s; give --pack DIR to check it against the pack itself", bundle.FilePackManifest), nil
}

// embeddedPack identifies the embedded pack (name and version from pack.yaml, digest of its
// files) and lists its cases when it loads; an embedded pack that does not load still has an
// identity, so the default policy can approve it.
func embeddedPack(opts *Options) (reports.PackRef, []certify.CaseRef) {
	if opts.PackFS == nil {
		return reports.PackRef{}, nil
	}
	ref, err := certify.PackRefOf(opts.PackFS)
	if err != nil {
		return reports.PackRef{}, nil
	}
	p, err := cmdutil.LoadPack(cmdutil.PackSource{FS: opts.PackFS, Root: opts.PackRoot})
	if err != nil || p.SHA256 != ref.SHA256 {
		return ref, nil
	}
	return ref, certify.CaseRefs(p)
}

// write prints the outcome.
func write(w io.Writer, path string, o *outcome) error {
	var b bytes.Buffer
	fmt.Fprintf(&b, "bundle:      %s\n", path)
	fmt.Fprintf(&b, "public key:  %s\n", o.Signer)
	if r := o.Report; r != nil {
		fmt.Fprintf(&b, "pack:        %s %s (sha256 %s)\n", r.Pack.Name, r.Pack.Version, r.Pack.SHA256)
		fmt.Fprintf(&b, "channel:     %s %s, profiles %s, %s\n", r.Target.ChannelNo, r.Target.Name, strings.Join(r.Target.Profiles, ", "), r.Target.BaseURL)
		fmt.Fprintf(&b, "tool:        %s %s (%s)\n", r.Tool.Name, r.Tool.Version, r.Tool.Revision)
		fmt.Fprintf(&b, "verdict:     %s\n", r.Verdict)
	}
	for _, n := range o.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if _, err := b.WriteTo(w); err != nil {
		return fmt.Errorf("write console output: %w", err)
	}
	return certify.Write(w, o.Eligibility)
}
