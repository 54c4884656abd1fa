// Package engine executes the cases of a spec pack against a target: it renders each step's
// request from templates, signs it through the Platform, sends it, checks the response against
// the contract and the case's expectations, and records a redacted exchange for every request.
//
// Everything specific to one platform (e-SSC: SM2 signing, tokens, keys, personas, masks) is
// reached through the Platform interface below, so that a pack for another platform could plug in
// beside it. The engine knows nothing of ginkgo; the runner package turns its outcomes into specs.
package engine

import (
	"context"
	"crypto/tls"
	"net/http"
	"net/url"
	"text/template"
	"time"

	"github.com/chanconf/chanconf/reports"
	"go.yaml.in/yaml/v3"
)

// Platform is the narrow interface from the engine to a platform's specifics.
type Platform interface {
	// Name matches a pack manifest's `platform`.
	Name() string
	// TemplateFuncs returns every template function a case may use. Lint parses templates with
	// it, so its keys must be complete; its values may be stand-ins.
	TemplateFuncs() template.FuncMap
	// Declared is the non-secret declaration data visible to templates as .d (channel number,
	// regions, QR lifetime...). New reads it once: it must not change during a run.
	Declared() map[string]any
	// Secrets are run-wide secret values (keys, the data key) that must never appear in a
	// report, a log or the console; the engine redacts them from every exchange.
	Secrets() []string
	// SensitiveHeaders are header names whose values are always redacted.
	SensitiveHeaders() []string
	// NewCase prepares a fresh environment for one execution of a case: new personas, a new
	// token memo. It must be safe to call concurrently.
	NewCase(info CaseInfo) (CaseEnv, error)
	// Probes returns the platform's own probes (e.g. the personal-data scan), added to the
	// generic ones.
	Probes() map[string]Probe
}

// CaseInfo identifies one execution of a case.
type CaseInfo struct {
	RunID    string
	CaseID   string
	Personas []string
	// Seed makes persona generation reproducible for the same run seed and case ID.
	Seed int64
}

// CaseEnv is one case's platform state.
type CaseEnv interface {
	// Personas are the case's citizens as template data (.p.<name>.<field>), read once when the
	// case starts.
	Personas() map[string]map[string]string
	// Funcs are the live template functions (tokens bound to these personas).
	Funcs() template.FuncMap
	// Sign adds the signing headers to req for body; it returns the nonce it used so a later
	// step can replay it.
	Sign(req *http.Request, body []byte, opt SignOptions) (nonce string, err error)
	// VerifyResponse checks the response signature for a request signed with nonce; a nil
	// error means it verified. ErrNotSigned-wrapped errors mean the signature was absent.
	VerifyResponse(nonce string, status int, header http.Header, body []byte) error
	// Mask returns the standard's masked form of persona's datum of the given kind (idNo, name,
	// phone, bankAccount), for masked assertions.
	Mask(kind, persona string) (string, error)
	// Secrets returns the secret values minted so far in this case (tokens), for redaction.
	Secrets() []string
}

// SignOptions selects how a request is signed.
type SignOptions struct {
	// Mode is "" (correct) or a tamper mode from specs.SignSpec.
	Mode string
	// Offset shifts the timestamp (timestamp-offset).
	Offset time.Duration
	// Nonce, when set, is used instead of a fresh nonce (reuse-nonce).
	Nonce string
	// Now is the time to sign at.
	Now time.Time
}

// Probe is a named check written in Go that a case calls with parameters from the pack.
type Probe interface {
	// Validate decodes with strictly (unknown keys are errors) without running anything; lint
	// calls it.
	Validate(with *yaml.Node) error
	// Run performs the probe. Problems of the channel are failed checks; problems of the
	// environment (cannot connect) are returned as an error, which makes the case ERROR.
	Run(ctx context.Context, env ProbeEnv, with *yaml.Node) (ProbeResult, error)
}

// ProbeEnv is what a probe may use.
type ProbeEnv struct {
	BaseURL *url.URL
	// TLS is the client TLS configuration trusting the target (declared CA or system roots).
	TLS *tls.Config
	// Do sends a request as a normal step would (signed unless opt says otherwise) and records
	// the exchange; probes that send API requests use it so evidence is complete.
	Do func(ctx context.Context, req *http.Request, body []byte, opt SignOptions) (*Response, error)
	// Case is the case's platform environment.
	Case CaseEnv
	// Exchanges returns every exchange recorded in the run so far (for run-wide scans).
	Exchanges func() []reports.Exchange
	// SignatureClause is the clause of the response signature (the pack's rules.signature;
	// empty when the pack names none): a probe relying on a validly signed answer that did not
	// get one leaves its check not judged under it.
	SignatureClause string
}

// Response is a received response with its body read (capped).
type Response struct {
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool
	// Cut names the clause of the standard's response limit when the body went past it in a
	// case that does not test that limit: nothing on this answer is the case's to judge (the
	// engine already ends the case not judged; a probe marks its checks on it not-checked
	// under this clause rather than judging its own clause on it).
	Cut string
	// Nonce is the request nonce the response answers (for signature checks).
	Nonce string
}

// ProbeResult is what a probe found.
type ProbeResult struct {
	Checks []reports.Check
	// NotApplicable, when set, says why the rule the probe checks does not apply to this
	// channel (TLS 1.2 suites on a channel that refuses TLS 1.2): unless a check failed, the
	// case is SKIPped with this reason and does not keep the run from being CONFORMANT.
	NotApplicable string
}
