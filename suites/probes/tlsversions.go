package probes

import (
	"context"
	"crypto/tls"
	"fmt"
	"slices"
	"strings"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"go.yaml.in/yaml/v3"
)

// legacySuites returns every TLS 1.0-1.2 suite Go can offer that is not AEAD: what a TLS 1.0 or 1.1
// client offers, so that a refused legacy handshake is the server's choice of version and not a
// lack of common suites.
func legacySuites() []uint16 {
	return []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
		tls.TLS_RSA_WITH_AES_128_CBC_SHA, tls.TLS_RSA_WITH_AES_256_CBC_SHA, tls.TLS_RSA_WITH_AES_128_CBC_SHA256,
		tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
		tls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA, tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA, tls.TLS_RSA_WITH_RC4_128_SHA,
	}
}

// aeadSuites returns the TLS 1.2 suites a channel may negotiate: ECDHE with AES-GCM or
// ChaCha20-Poly1305.
func aeadSuites() []uint16 {
	return []uint16{
		tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
		tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
	}
}

// tlsVersions checks which protocol versions the server accepts: TLS 1.0 and 1.1 handshakes must
// fail; TLS 1.2 (with the allowed suites) and TLS 1.3 may each be offered or refused (CAI-1.1
// "TLS 1.2 or 1.3", erratum 1.0.1), but at least one of them must complete, and a handshake
// that completes must do so at the version asked for.
type tlsVersions struct{}

// Validate implements engine.Probe: the only parameter is `timeout`.
func (tlsVersions) Validate(with *yaml.Node) error {
	_, err := timeoutOnly(NameTLSVersions, with)
	return err
}

// versionAttempt is one handshake of the probe.
type versionAttempt struct {
	version uint16
	suites  []uint16 // nil: Go's defaults (TLS 1.3 suites are not configurable)
	accept  bool
}

// Run implements engine.Probe.
func (tlsVersions) Run(ctx context.Context, env engine.ProbeEnv, with *yaml.Node) (engine.ProbeResult, error) {
	timeout, err := timeoutOnly(NameTLSVersions, with)
	if err != nil {
		return engine.ProbeResult{}, err
	}
	t, err := targetOf(env.BaseURL)
	if err != nil {
		return engine.ProbeResult{}, fmt.Errorf("%s: %w", NameTLSVersions, err)
	}
	attempts := []versionAttempt{
		{version: tls.VersionTLS10, suites: slices.Concat(legacySuites(), aeadSuites())},
		{version: tls.VersionTLS11, suites: slices.Concat(legacySuites(), aeadSuites())},
		{version: tls.VersionTLS12, suites: aeadSuites(), accept: true},
		{version: tls.VersionTLS13, accept: true},
	}
	var res engine.ProbeResult
	var current []string // the current versions that completed
	cfgs := make([]*tls.Config, len(attempts))
	for i, a := range attempts {
		cfgs[i] = t.probeConfig(a.version, a.version, a.suites)
	}
	results, err := t.handshakes(ctx, cfgs, timeout)
	if err != nil {
		return res, fmt.Errorf("%s: %w", NameTLSVersions, err)
	}
	for i, a := range attempts {
		r := results[i]
		res.Checks = append(res.Checks, versionCheck(a, r))
		if a.accept && r.refused == nil && r.state.Version == a.version {
			current = append(current, tls.VersionName(a.version))
		}
	}
	actual := "neither completed"
	if len(current) > 0 {
		actual = strings.Join(current, " and ") + " completed"
	}
	res.Checks = append(res.Checks, check(NameTLSVersions, len(current) > 0, "a TLS 1.2 or TLS 1.3 handshake completes", actual, ""))
	return res, nil
}

// versionCheck judges one attempt: a legacy version must be refused; a current one may be
// refused, and when it completes it must be at exactly that version.
func versionCheck(a versionAttempt, r handshakeResult) reports.Check {
	name := tls.VersionName(a.version)
	detail := ""
	if a.suites != nil {
		detail = "offered " + strings.Join(suiteNames(a.suites), ", ")
	}
	// A stall answers nothing: the channel's failure in every TLS check, as in the others.
	if !a.accept {
		return check(NameTLSVersions, r.refused != nil && !r.stalled, name+" handshake refused", r.String(), detail)
	}
	ok := (r.refused != nil && !r.stalled) || r.state.Version == a.version
	return check(NameTLSVersions, ok, name+" handshake refused or completed at "+name, r.String(), detail)
}
