// Package probes holds the generic Go probes a spec pack can call by name: checks that cannot be
// written as request/response steps because they work below HTTP (TLS versions and cipher
// suites, the certificate, plain HTTP on the TLS port) or over a sample of responses (HSTS, and
// headers that may be absent but must not carry certain values: forbidden-headers).
//
// The probes know nothing of e-SSC; the platform adds its own probes (the personal-data scan,
// the channel certificate) beside them. Default returns the registry as a value: the CLI merges
// it with the platform's probes and hands the result to the loader (for strict parameter
// validation at lint time) and to the engine.
//
// Every probe follows the engine's rule for outcomes: what the channel does wrong is a failed
// check with the expected and the actual behaviour; what stops the probe from judging the
// channel at all (nothing listening on the port, the case's context ending) is an error, which
// makes the case ERROR rather than FAIL. A handshake the channel refuses is the channel's answer,
// so for attempts that must fail a refusal passes.
package probes
