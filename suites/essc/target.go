package essc

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cai"
)

// TargetOptions say which channel a run tests.
type TargetOptions struct {
	// URL is the candidate channel's base URL. Empty: the embedded reference channel is
	// started (or, when DeclarationPath is set, the declaration's baseURL is used).
	URL string
	// DeclarationPath is the channel's declaration file; required for a candidate channel.
	DeclarationPath string
	// Faults are reference-channel fault switches (only without URL and declaration).
	Faults []string
	// Variants are reference-channel variant switches: allowed behaviour (likewise).
	Variants []string
	// Latency is added by the reference channel before every response.
	Latency time.Duration
	// Keys is the test key material (default keys.Load()).
	Keys *keys.Set
	// Platform configures the platform plugin.
	Platform Options
	// Log receives the reference channel's diagnostics; nil discards them.
	Log io.Writer
}

// Target is a channel ready to be tested: its platform plugin, base URL and TLS trust.
type Target struct {
	Platform *Platform
	BaseURL  *url.URL
	// TLS trusts only the declared sandbox CA when one is declared, else the system roots;
	// TLS 1.2 minimum (the transport probes make their own configurations).
	TLS         *tls.Config
	Declaration *cai.Declaration
	// Reference is true when Target runs the embedded reference channel, with Faults and
	// Variants.
	Reference bool
	Faults    []string
	Variants  []string

	ref *refchannel.Server
}

// Close stops the embedded reference channel, if any. It is safe to call more than once.
func (t *Target) Close() {
	if t.ref != nil {
		t.ref.Close()
	}
}

// Open prepares the run target: a candidate channel from its URL and declaration (which must
// be valid; errors name file, line and field), or the embedded reference channel. ctx bounds
// nothing yet; it is accepted for symmetry with future remote checks.
func Open(_ context.Context, opts TargetOptions) (*Target, error) {
	ks := opts.Keys
	if ks == nil {
		var err error
		if ks, err = keys.Load(); err != nil {
			return nil, err
		}
	}
	if opts.URL == "" && opts.DeclarationPath == "" {
		return openReference(opts, ks)
	}
	return openCandidate(opts, ks)
}

// openCandidate loads the declaration and checks the URL.
func openCandidate(opts TargetOptions, ks *keys.Set) (*Target, error) {
	if opts.DeclarationPath == "" {
		return nil, fmt.Errorf("target %s: a declaration file is required to test a channel", opts.URL)
	}
	if len(opts.Faults) > 0 || len(opts.Variants) > 0 || opts.Latency != 0 {
		return nil, errors.New("fault and variant switches and latency apply only to the embedded reference channel (no --url)")
	}
	decl, err := cai.LoadDeclaration(opts.DeclarationPath)
	if err != nil {
		return nil, err
	}
	raw := opts.URL
	if raw == "" {
		raw = decl.BaseURL
	}
	base, err := parseBaseURL(raw)
	if err != nil {
		return nil, err
	}
	return newTarget(decl, ks, base, opts.Platform, nil, nil)
}

// openReference starts the embedded reference channel with the options' faults.
func openReference(opts TargetOptions, ks *keys.Set) (*Target, error) {
	srv, err := refchannel.New(refchannel.Options{Faults: opts.Faults, Variants: opts.Variants, Latency: opts.Latency, Keys: ks, Log: opts.Log})
	if err != nil {
		return nil, err
	}
	base, err := parseBaseURL(srv.URL)
	if err == nil {
		var t *Target
		if t, err = newTarget(srv.Declaration(), ks, base, opts.Platform, srv, opts.Faults); err == nil {
			t.Variants = slices.Clone(opts.Variants)
			return t, nil
		}
	}
	srv.Close()
	return nil, err
}

// newTarget assembles a Target.
func newTarget(decl *cai.Declaration, ks *keys.Set, base *url.URL, po Options, ref *refchannel.Server, faults []string) (*Target, error) {
	p, err := New(decl, ks, po)
	if err != nil {
		return nil, err
	}
	roots, err := decl.TLSRoots()
	if err != nil {
		return nil, fmt.Errorf("declaration sandbox.tlsCA: %w", err)
	}
	return &Target{
		Platform:    p,
		BaseURL:     base,
		TLS:         &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		Declaration: decl,
		Reference:   ref != nil,
		Faults:      slices.Clone(faults),
		ref:         ref,
	}, nil
}

// parseBaseURL requires an absolute https URL and drops a trailing slash, so that JoinPath
// gives the paths of the contract.
func parseBaseURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("base URL %q: %w", raw, err)
	}
	if u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("base URL %q: must be an https URL with host and path only", raw)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawPath = ""
	return u, nil
}
