package doctor

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
)

// maxBody caps the response bodies the checks read.
const maxBody = 64 << 10

// Options say which channel `chanconf doctor` checks.
type Options struct {
	// Target is the channel's base URL; empty uses the declaration's baseURL.
	Target string
	// DeclarationPath is the channel's declaration. With neither Target nor DeclarationPath
	// the embedded reference channel is started and checked.
	DeclarationPath string
	// Keys is the test key material (default keys.Load()).
	Keys *keys.Set
	Config
}

// Run checks the declaration and then, when it is valid, the channel (see Probe).
func Run(ctx context.Context, opts Options) *Result {
	cfg := opts.Config.withDefaults()
	t, err := essc.Open(ctx, essc.TargetOptions{URL: opts.Target, DeclarationPath: opts.DeclarationPath, Keys: opts.Keys,
		Platform: essc.Options{Now: cfg.Now}})
	if err != nil {
		r := &Result{}
		r.add(Check{Name: CheckDeclaration, Status: Problem, Environment: true, Detail: err.Error(),
			Hint: "fix every field named above (STANDARD.md section 0 lists the rules); --target must be an https URL with host and path only"})
		for _, s := range (&prober{}).steps() {
			r.add(Check{Name: s.name, Status: Skipped, Detail: "needs a valid declaration", Environment: s.environment})
		}
		return r
	}
	defer t.Close()
	d := t.Declaration
	r := &Result{}
	r.add(Check{Name: CheckDeclaration, Status: OK, Environment: true,
		Detail: fmt.Sprintf("channel %s (%s), profiles %s, regions %s, certificate and data key well-formed",
			d.ChannelNo, d.Name, strings.Join(d.Profiles, ","), strings.Join(d.Regions, ","))})
	r.Checks = append(r.Checks, Probe(ctx, Target{BaseURL: t.BaseURL, Declaration: d, TLS: t.TLS, Platform: t.Platform}, cfg).Checks...)
	return r
}

// Probe runs the network checks against t in order; a check that fails makes the checks that
// depend on it SKIPPED. `run` calls it with its own target.
func Probe(ctx context.Context, t Target, cfg Config) *Result {
	cfg = cfg.withDefaults()
	p := &prober{t: t, cfg: cfg, host: t.BaseURL.Hostname(), port: t.BaseURL.Port()}
	if p.port == "" {
		p.port = "443"
	}
	r := &Result{}
	blocked := "" // the failed check the rest depends on: DNS, TCP and TLS each need the one before
	for _, s := range p.steps() {
		if blocked != "" {
			r.add(Check{Name: s.name, Status: Skipped, Environment: s.environment, Detail: "needs the " + blocked + " check to pass"})
			continue
		}
		c := s.run(ctx)
		c.Name, c.Environment = s.name, s.environment && len(c.Clauses) == 0
		added := r.add(c)
		if added.Status == Problem && s.environment && s.name != CheckClock {
			blocked = s.name
		}
	}
	return r
}

// step is one network check: its name, whether its failure is an environment problem, and
// the function that makes it.
type step struct {
	name        string
	environment bool
	run         func(context.Context) Check
}

// steps are the network checks in the order they run.
func (p *prober) steps() []step {
	return []step{
		{CheckCertificate, false, p.certificate},
		{CheckDNS, true, p.dns}, {CheckTCP, true, p.tcp}, {CheckTLS, true, p.tls},
		{CheckHealth, false, p.health}, {CheckClock, true, p.clock}, {CheckSigned, false, p.signed},
		{CheckDataKey, false, p.dataKey},
	}
}

// prober holds what the checks share: the target, the configuration and the health
// response's Date.
type prober struct {
	t          Target
	cfg        Config
	host, port string
	// date is the health response's Date header and local the local time at mid-exchange;
	// answered is false when health got no response at all.
	date     string
	local    time.Time
	answered bool
}

func (p *prober) addr() string { return net.JoinHostPort(p.host, p.port) }

func (p *prober) timeout(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, p.cfg.Timeout)
}

// dns resolves the host (an IP address needs no lookup).
func (p *prober) dns(ctx context.Context) Check {
	if net.ParseIP(p.host) != nil {
		return Check{Status: OK, Detail: p.host + " is an IP address (no lookup)"}
	}
	ctx, cancel := p.timeout(ctx)
	defer cancel()
	addrs, err := p.cfg.LookupHost(ctx, p.host)
	if err != nil || len(addrs) == 0 {
		return Check{Status: Problem, Detail: fmt.Sprintf("%s does not resolve: %v", p.host, err),
			Hint: "check the host name in --target (or the declaration's baseURL) and this machine's DNS or /etc/hosts"}
	}
	return Check{Status: OK, Detail: fmt.Sprintf("%s resolves to %s", p.host, strings.Join(addrs, ", "))}
}

// tcp opens a connection to the port.
func (p *prober) tcp(ctx context.Context) Check {
	ctx, cancel := p.timeout(ctx)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", p.addr())
	if err != nil {
		hint := fmt.Sprintf("no answer from %s within %s: a firewall may drop the traffic, or the host is down", p.addr(), p.cfg.Timeout)
		if errors.Is(err, syscall.ECONNREFUSED) {
			hint = fmt.Sprintf("nothing listens on %s: start the channel's sandbox, or correct the port in --target (or baseURL)", p.addr())
		}
		return Check{Status: Problem, Detail: fmt.Sprintf("cannot connect to %s: %v", p.addr(), err), Hint: hint}
	}
	_ = conn.Close()
	return Check{Status: OK, Detail: "connected to " + p.addr()}
}

// tls completes a handshake trusting what the declaration says.
func (p *prober) tls(ctx context.Context) Check {
	ctx, cancel := p.timeout(ctx)
	defer cancel()
	conf := p.t.TLS.Clone()
	conf.ServerName = p.host
	conn, err := (&tls.Dialer{Config: conf}).DialContext(ctx, "tcp", p.addr())
	if err != nil {
		return Check{Status: Problem, Detail: fmt.Sprintf("TLS handshake with %s failed: %v", p.addr(), err), Hint: p.tlsHint(err),
			Clauses: handshakeClauses(err)}
	}
	st := conn.(*tls.Conn).ConnectionState()
	_ = conn.Close()
	trust := "the system roots"
	if p.t.Declaration.Sandbox.TLSCA != "" {
		trust = "the declared sandbox.tlsCA"
	}
	return Check{Status: OK, Detail: fmt.Sprintf("%s with %s, certificate for %s trusted through %s",
		tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite), p.host, trust)}
}

// handshakeClauses names the clauses a failed handshake shows the channel breaking: a
// certificate that does not verify for the host against the declared CA (CAI-1.5), a TLS alert
// refusing a TLS 1.2/1.3 AEAD handshake (CAI-1.1, CAI-1.2), or no TLS at all on the port
// (CAI-1.1). It returns nil for failures that say nothing about the channel's TLS (a reset, a
// timeout, no connection), which stay environment problems.
func handshakeClauses(err error) []string {
	var verify *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	var op *net.OpError
	switch {
	case errors.As(err, &verify):
		return []string{"CAI-1.5"}
	case errors.As(err, &record):
		return []string{"CAI-1.1"}
	case errors.As(err, &op) && op.Op == "remote error":
		return []string{"CAI-1.1", "CAI-1.2"}
	}
	return nil
}

// tlsHint explains a failed handshake.
func (p *prober) tlsHint(err error) string {
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	var record tls.RecordHeaderError
	switch {
	case errors.As(err, &unknown):
		if p.t.Declaration.Sandbox.TLSCA == "" {
			return "the certificate is not publicly trusted: put the PEM certificate of the CA that issued it in the declaration's sandbox.tlsCA"
		}
		return "the certificate is not issued by the CA in sandbox.tlsCA: declare the CA that issued the channel's TLS certificate (PEM)"
	case errors.As(err, &host):
		return fmt.Sprintf("the certificate does not cover %s: issue one whose subject alternative names include it (an IP SAN for an IP address)", p.host)
	case errors.As(err, &invalid) && invalid.Reason == x509.Expired:
		return "the certificate has expired or is not yet valid: renew it (and check this machine's clock)"
	case errors.As(err, &record):
		return "the port answers plain HTTP: the channel must serve HTTPS with TLS 1.2 or 1.3 (CAI-1.1)"
	}
	return "the channel must accept TLS 1.2 or 1.3 with an ECDHE AEAD suite (CAI-1.1, CAI-1.2); check its TLS configuration"
}

// client is an HTTP client trusting the target, following no redirect and using no proxy.
func (p *prober) client() *http.Client {
	return &http.Client{
		Transport:     &http.Transport{TLSClientConfig: p.t.TLS.Clone()},
		Timeout:       p.cfg.Timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// exchange sends req and reads the response; local is the local time at mid-exchange.
func (p *prober) exchange(req *http.Request) (resp *http.Response, body []byte, local time.Time, err error) {
	c := p.client()
	defer c.CloseIdleConnections()
	sent := p.cfg.Now()
	resp, err = c.Do(req)
	if err != nil {
		return nil, nil, time.Time{}, err
	}
	defer resp.Body.Close()
	body, err = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	received := p.cfg.Now()
	return resp, body, sent.Add(received.Sub(sent) / 2), err
}

// health checks GET /health answers 200 {"status":"UP"} and keeps its Date for the clock check.
func (p *prober) health(ctx context.Context) Check {
	u := p.t.BaseURL.JoinPath("health")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Check{Status: Problem, Detail: err.Error()}
	}
	resp, body, local, err := p.exchange(req)
	if err != nil {
		return Check{Status: Problem, Detail: fmt.Sprintf("GET %s: %v", u.Redacted(), err),
			Hint: "the channel accepted TLS but did not answer HTTP: check that it serves the API on this port"}
	}
	p.answered, p.date, p.local = true, resp.Header.Get("Date"), local
	var got struct {
		Status string `json:"status"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &got) != nil || got.Status != "UP" {
		hint := `GET /health must answer 200 {"status":"UP"} without signing headers (CAI-13.1)`
		if resp.StatusCode == http.StatusNotFound {
			hint = fmt.Sprintf("nothing at %s: check the path of the base URL (every path of the standard is relative to it)", u.Redacted())
		}
		return Check{Status: Problem, Detail: fmt.Sprintf("GET %s answered %d %s", u.Redacted(), resp.StatusCode, excerpt(body)), Hint: hint}
	}
	return Check{Status: OK, Detail: fmt.Sprintf("GET %s answered 200 {\"status\":\"UP\"}", u.Redacted())}
}

// clock compares the channel's Date header with chanconf's clock. A Date that is missing or not
// an HTTP date breaks CAI-11.6, which the pack's case judges (one FAIL): the skew then cannot be
// measured, and that is a warning naming the clause, never an environment problem that would
// make every case ERROR.
func (p *prober) clock(context.Context) Check {
	const ntp = "synchronise both clocks with NTP: the sandbox must be within 1 s of true time (STANDARD.md section 14) and timestamps more than 300 s off are refused (CAI-2.3)"
	switch {
	case !p.answered:
		return Check{Status: Skipped, Detail: "needs a response from the health check"}
	case p.date == "":
		return Check{Status: Problem, Detail: "the channel's responses carry no Date header, so clock skew cannot be measured (clock check skipped)",
			Hint: "send a Date header (CAI-11.6, RFC 9110 section 6.6.1) on every response, and " + ntp, Clauses: []string{"CAI-11.6"}}
	}
	date, err := http.ParseTime(p.date)
	if err != nil {
		return Check{Status: Problem, Detail: fmt.Sprintf("Date header %q is not an HTTP date, so clock skew cannot be measured (clock check skipped)", p.date),
			Hint: "send Date in the IMF-fixdate form, e.g. Sun, 06 Nov 1994 08:49:37 GMT (CAI-11.6)", Clauses: []string{"CAI-11.6"}}
	}
	// Date has whole seconds: the channel's time was in [date, date+1s).
	skew := p.local.Sub(date.Add(500 * time.Millisecond))
	detail := fmt.Sprintf("the channel's Date is %s, chanconf's clock %s: %s apart",
		date.UTC().Format(time.RFC3339), p.local.UTC().Format(time.RFC3339), skew.Abs().Round(time.Second))
	if skew.Abs() > p.cfg.MaxSkew {
		return Check{Status: Problem, Detail: detail + fmt.Sprintf(" (more than %s)", p.cfg.MaxSkew), Hint: ntp}
	}
	return Check{Status: OK, Detail: detail}
}

// signed sends a signed GET /authorizations without a session: a conformant channel verifies
// the platform's signature, refuses 401 SESSION_INVALID, and signs the refusal with the key of
// the declared certificate.
func (p *prober) signed(ctx context.Context) Check {
	u := p.t.BaseURL.JoinPath("authorizations")
	env, err := p.t.Platform.NewCase(engine.CaseInfo{RunID: "chanconf-doctor", CaseID: "DOCTOR"})
	if err != nil {
		return Check{Status: Problem, Detail: err.Error()}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return Check{Status: Problem, Detail: err.Error()}
	}
	nonce, err := env.Sign(req, nil, engine.SignOptions{Now: p.cfg.Now()})
	if err != nil {
		return Check{Status: Problem, Detail: "sign the request: " + err.Error()}
	}
	resp, body, _, err := p.exchange(req)
	if err != nil {
		return Check{Status: Problem, Detail: fmt.Sprintf("GET %s: %v", u.Redacted(), err), Hint: "the channel did not answer a signed request"}
	}
	what := fmt.Sprintf("signed GET %s without a session answered %d %s", u.Redacted(), resp.StatusCode, orNone(errorCode(body)))
	if code := errorCode(body); resp.StatusCode != http.StatusUnauthorized || code != cai.CodeSessionInvalid {
		return Check{Status: Problem, Detail: what + ", expected 401 " + cai.CodeSessionInvalid, Hint: codeHint(code, p.t.Declaration.ChannelNo)}
	}
	if err := env.VerifyResponse(nonce, resp.StatusCode, resp.Header, body); err != nil {
		hint := fmt.Sprintf("the refusal's signature does not verify with the declared certificate and signer ID %s: declare the certificate of the key the channel signs with, or fix how it signs (CAI-2.6)", p.t.Declaration.ChannelNo)
		if errors.Is(err, essc.ErrNotSigned) {
			hint = "the channel must sign every response except GET /health, refusals included (CAI-2.6)"
		}
		return Check{Status: Problem, Detail: what + ", but " + err.Error(), Hint: hint}
	}
	return Check{Status: OK, Detail: what + ", signed with the declared certificate's key"}
}

// codeHint explains an unexpected answer to the signed request.
func codeHint(code, channelNo string) string {
	switch code {
	case cai.CodeSignatureInvalid, cai.CodeSignatureMissing:
		return "the channel refused the platform's signature: its sandbox must trust the published platform test key (STANDARD.md Appendix C) with signer ID " + cai.PlatformSignerID
	case cai.CodeTimestampOutOfWindow:
		return "the channel thinks the request's time is off by more than 300 s: see the clock check"
	case cai.CodeChannelMismatch:
		return fmt.Sprintf("the channel's own number is not %s: correct channelNo in the declaration", channelNo)
	}
	return "a conformant channel answers a signed request without a session 401 " + cai.CodeSessionInvalid + " (CAI-4.5)"
}

// errorCode reads the code of a REST error body.
func errorCode(body []byte) string {
	var e struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Code
}

func orNone(code string) string {
	if code == "" {
		return "(no error code)"
	}
	return code
}

// excerpt is the start of a body for a message.
func excerpt(body []byte) string {
	s := strings.TrimSpace(string(body))
	if len(s) > 80 {
		s = s[:80] + "..."
	}
	return s
}
