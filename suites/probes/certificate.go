package probes

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"go.yaml.in/yaml/v3"
)

// tlsCertificate checks the server certificate the channel presents: valid now, valid for the
// base URL's host, and chaining to the trust the run was given (the declared CA, or the system
// roots when the engine's TLS configuration names none).
type tlsCertificate struct {
	now func() time.Time
}

// Validate implements engine.Probe: the only parameter is `timeout`.
func (tlsCertificate) Validate(with *yaml.Node) error {
	_, err := timeoutOnly(NameTLSCertificate, with)
	return err
}

// Run implements engine.Probe. The handshake itself does not verify (so that each property is
// judged and reported separately); a handshake the server refuses outright is a failed check.
func (p tlsCertificate) Run(ctx context.Context, env engine.ProbeEnv, with *yaml.Node) (engine.ProbeResult, error) {
	timeout, err := timeoutOnly(NameTLSCertificate, with)
	if err != nil {
		return engine.ProbeResult{}, err
	}
	t, err := targetOf(env.BaseURL)
	if err != nil {
		return engine.ProbeResult{}, fmt.Errorf("%s: %w", NameTLSCertificate, err)
	}
	r, err := t.handshake(ctx, t.probeConfig(tls.VersionTLS12, 0, nil), timeout)
	if err != nil {
		return engine.ProbeResult{}, fmt.Errorf("%s: %w", NameTLSCertificate, err)
	}
	if r.refused != nil || len(r.state.PeerCertificates) == 0 {
		return engine.ProbeResult{Checks: []reports.Check{check(NameTLSCertificate, false,
			"a TLS 1.2 or 1.3 handshake presenting a certificate", r.String(), "")}}, nil
	}
	now := p.now()
	leaf := r.state.PeerCertificates[0]
	var roots *x509.CertPool
	if env.TLS != nil {
		roots = env.TLS.RootCAs
	}
	return engine.ProbeResult{Checks: []reports.Check{
		validNow(leaf, now),
		validForHost(leaf, t.host),
		chainsToTrust(leaf, r.state.PeerCertificates[1:], roots, now),
	}}, nil
}

// validNow requires now within the certificate's validity period.
func validNow(leaf *x509.Certificate, now time.Time) reports.Check {
	ok := !now.Before(leaf.NotBefore) && !now.After(leaf.NotAfter)
	return check(NameTLSCertificate, ok, "server certificate valid now",
		fmt.Sprintf("valid from %s to %s", leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339)),
		"checked at "+now.UTC().Format(time.RFC3339))
}

// validForHost requires the certificate's subject alternative names to cover host (an IP SAN
// for an IP address).
func validForHost(leaf *x509.Certificate, host string) reports.Check {
	err := leaf.VerifyHostname(host)
	actual := "covers " + host
	if err != nil {
		actual = err.Error()
	}
	return check(NameTLSCertificate, err == nil, "server certificate valid for "+host,
		actual, fmt.Sprintf("DNS names %v, IP addresses %v", leaf.DNSNames, leaf.IPAddresses))
}

// chainsToTrust verifies the chain the server sent against roots (nil: the system roots).
func chainsToTrust(leaf *x509.Certificate, intermediates []*x509.Certificate, roots *x509.CertPool, now time.Time) reports.Check {
	pool := x509.NewCertPool()
	for _, c := range intermediates {
		pool.AddCert(c)
	}
	trust := "the declared TLS CA"
	if roots == nil {
		trust = "the system roots"
	}
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: pool, CurrentTime: now})
	actual := "chains to " + trust
	if err != nil {
		actual = err.Error()
	}
	return check(NameTLSCertificate, err == nil, "server certificate chains to "+trust, actual,
		fmt.Sprintf("subject %q, issuer %q", leaf.Subject.String(), leaf.Issuer.String()))
}
