package probes

import (
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
)

// Probe names, as a pack's `probe.name` writes them.
const (
	NameTLSVersions    = "tls-versions"
	NameTLSCiphers     = "tls-ciphers"
	NamePlainHTTP      = "plain-http"
	NameTLSCertificate = "tls-certificate"
	NameHSTS           = "hsts"
)

// defaultTimeout bounds one connection attempt (dial, handshake, plain-HTTP exchange) when the
// step does not say otherwise; maxTimeout is the largest a step may ask for.
const (
	defaultTimeout = 10 * time.Second
	maxTimeout     = 60 * time.Second
)

// Default returns a fresh registry of the generic probes, keyed by name. It is a constructor,
// not a package variable, so that callers may add to or replace entries without affecting each
// other.
func Default() map[string]engine.Probe {
	return map[string]engine.Probe{
		NameTLSVersions:      tlsVersions{},
		NameTLSCiphers:       tlsCiphers{},
		NamePlainHTTP:        plainHTTP{},
		NameTLSCertificate:   tlsCertificate{now: time.Now},
		NameHSTS:             hsts{},
		NameForbiddenHeaders: forbiddenHeaders{},
	}
}

// check builds one check of a probe with the outcome ok gives.
func check(name string, ok bool, expected, actual, detail string) reports.Check {
	outcome := reports.Failed
	if ok {
		outcome = reports.Passed
	}
	return reports.Check{Name: name, Outcome: outcome, Expected: expected, Actual: actual, Detail: detail}
}
