package probes

import (
	"context"
	"crypto/tls"
	"fmt"
	"slices"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"go.yaml.in/yaml/v3"
)

// forbiddenSuite is a TLS 1.2 suite a channel must not negotiate, with the reason.
type forbiddenSuite struct {
	id     uint16
	reason string
}

// forbiddenSuites returns the suites offered one at a time: CBC (with ECDHE, for both certificate
// types), 3DES, RC4 and static-RSA key exchange. Each handshake offers only that suite, so a
// completed handshake proves the server accepts it.
func forbiddenSuites() []forbiddenSuite {
	return []forbiddenSuite{
		{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, "CBC"},
		{tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, "CBC"},
		{tls.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, "CBC"},
		{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, "CBC"},
		{tls.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA, "CBC"},
		{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, "CBC"},
		{tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA, "3DES"},
		{tls.TLS_RSA_WITH_3DES_EDE_CBC_SHA, "3DES, static RSA key exchange"},
		{tls.TLS_ECDHE_ECDSA_WITH_RC4_128_SHA, "RC4"},
		{tls.TLS_ECDHE_RSA_WITH_RC4_128_SHA, "RC4"},
		{tls.TLS_RSA_WITH_RC4_128_SHA, "RC4, static RSA key exchange"},
		{tls.TLS_RSA_WITH_AES_128_GCM_SHA256, "static RSA key exchange"},
		{tls.TLS_RSA_WITH_AES_256_GCM_SHA384, "static RSA key exchange"},
		{tls.TLS_RSA_WITH_AES_128_CBC_SHA, "CBC, static RSA key exchange"},
		{tls.TLS_RSA_WITH_AES_256_CBC_SHA, "CBC, static RSA key exchange"},
		{tls.TLS_RSA_WITH_AES_128_CBC_SHA256, "CBC, static RSA key exchange"},
	}
}

// tlsCiphers checks the TLS 1.2 suites: every forbidden suite offered alone must be refused, and
// a handshake offering the ECDHE AEAD suites must complete with one of them. A channel that
// refuses TLS 1.2 altogether (TLS 1.3 only, allowed by CAI-1.1) makes CAI-1.2 not applicable:
// every forbidden suite was refused and so was the AEAD handshake, and the probe says so
// instead of failing.
type tlsCiphers struct{}

// Validate implements engine.Probe: the only parameter is `timeout`.
func (tlsCiphers) Validate(with *yaml.Node) error {
	_, err := timeoutOnly(NameTLSCiphers, with)
	return err
}

// Run implements engine.Probe.
func (tlsCiphers) Run(ctx context.Context, env engine.ProbeEnv, with *yaml.Node) (engine.ProbeResult, error) {
	timeout, err := timeoutOnly(NameTLSCiphers, with)
	if err != nil {
		return engine.ProbeResult{}, err
	}
	t, err := targetOf(env.BaseURL)
	if err != nil {
		return engine.ProbeResult{}, fmt.Errorf("%s: %w", NameTLSCiphers, err)
	}
	var res engine.ProbeResult
	forbidden := forbiddenSuites()
	cfgs := make([]*tls.Config, 0, len(forbidden)+1)
	for _, f := range forbidden {
		cfgs = append(cfgs, t.probeConfig(tls.VersionTLS12, tls.VersionTLS12, []uint16{f.id}))
	}
	cfgs = append(cfgs, t.probeConfig(tls.VersionTLS12, tls.VersionTLS12, aeadSuites()))
	results, err := t.handshakes(ctx, cfgs, timeout)
	if err != nil {
		return res, fmt.Errorf("%s: %w", NameTLSCiphers, err)
	}
	for i, f := range forbidden {
		name := tls.CipherSuiteName(f.id)
		res.Checks = append(res.Checks, check(NameTLSCiphers, results[i].refused != nil && !results[i].stalled,
			"TLS 1.2 handshake offering only "+name+" refused", results[i].String(), "forbidden: "+f.reason))
	}
	r := results[len(forbidden)]
	// A refusal of TLS 1.2 makes CAI-1.2 not applicable; a handshake that stalls is no refusal
	// but a channel that does not complete TLS, judged (failed) as in the other TLS probes.
	if r.refused != nil && !r.stalled && !slices.ContainsFunc(res.Checks, failedCheck) {
		res.NotApplicable = "the channel refuses TLS 1.2 (" + r.String() + "); CAI-1.2 applies only with TLS 1.2 and CAI-1.1 allows TLS 1.3 only"
		return res, nil
	}
	res.Checks = append(res.Checks, aeadCheck(r))
	return res, nil
}

// failedCheck reports whether c failed.
func failedCheck(c reports.Check) bool { return c.Outcome == reports.Failed }

// aeadCheck requires the handshake offering the allowed suites to complete with one of them.
func aeadCheck(r handshakeResult) reports.Check {
	ok := r.refused == nil && r.state.Version == tls.VersionTLS12 && slices.Contains(aeadSuites(), r.state.CipherSuite)
	return check(NameTLSCiphers, ok, "TLS 1.2 handshake offering the ECDHE AEAD suites completes with one of them",
		r.String(), "")
}
