package essc

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/emmansun/gmsm/smx509"
	"go.yaml.in/yaml/v3"
)

// noParameters accepts an absent, null or empty `with:` and refuses anything else, naming the
// line: these probes take no parameters.
func noParameters(probe string, with *yaml.Node) error {
	if with == nil || with.Kind == 0 || with.Tag == "!!null" {
		return nil
	}
	if with.Kind == yaml.MappingNode && len(with.Content) == 0 {
		return nil
	}
	if with.Kind == yaml.MappingNode {
		k := with.Content[0]
		return fmt.Errorf("line %d: probe %s takes no parameters, got %q", k.Line, probe, k.Value)
	}
	return fmt.Errorf("line %d: probe %s takes no parameters", with.Line, probe)
}

// personalDataProbe scans every response of the run so far for personal data (CAI-9.1).
type personalDataProbe struct{ p *Platform }

// Validate implements engine.Probe.
func (personalDataProbe) Validate(with *yaml.Node) error {
	return noParameters("personal-data-scan", with)
}

// Run implements engine.Probe: each finding is a failed check naming the exchange; no finding
// is one passed check saying how much was scanned. Request URLs and bodies are not scanned
// (the harness put the data there); response headers and bodies are.
func (pr personalDataProbe) Run(_ context.Context, env engine.ProbeEnv, _ *yaml.Node) (engine.ProbeResult, error) {
	if env.Exchanges == nil {
		return engine.ProbeResult{}, errors.New("personal-data-scan: the engine provides no exchanges")
	}
	known := pr.p.KnownPersonas()
	det := NewDetector(known)
	var res engine.ProbeResult
	exchanges, scanned := 0, 0
	for _, ex := range env.Exchanges() {
		if ex.Error != "" && ex.Response.Status == 0 {
			continue
		}
		exchanges++
		var hdr strings.Builder
		for _, h := range ex.Response.Headers {
			hdr.WriteString(h.Name + ": " + h.Value + "\n")
		}
		scanned += hdr.Len() + len(ex.Response.Body)
		for _, part := range []struct{ name, text string }{
			{"response headers", hdr.String()}, {"response body", ex.Response.Body},
		} {
			for _, f := range det.Scan(part.text) {
				res.Checks = append(res.Checks, reports.Check{
					Name: "personal-data", Outcome: reports.Failed,
					Expected: "no unmasked personal data (CAI-9.1)",
					Actual:   fmt.Sprintf("%s %s", f.Kind, f.Value),
					Detail:   fmt.Sprintf("exchange %s (%s %s -> %d): %s, %s", ex.ID, ex.Request.Method, ex.Request.URL, ex.Response.Status, part.name, f.Where),
				})
			}
		}
	}
	if len(res.Checks) == 0 {
		res.Checks = append(res.Checks, reports.Check{
			Name: "personal-data", Outcome: reports.Passed,
			Expected: "no unmasked personal data (CAI-9.1)", Actual: "none found",
			Detail: fmt.Sprintf("scanned the response headers and bodies of %d exchanges (%d bytes) for ID numbers, names, phone numbers, bank accounts and QR payloads of %d personas and generic patterns", exchanges, scanned, len(known)),
		})
	}
	return res, nil
}

// certificateProbe checks the declared channel certificate (CAI-2.7).
type certificateProbe struct{ p *Platform }

// Validate implements engine.Probe.
func (certificateProbe) Validate(with *yaml.Node) error {
	return noParameters("channel-certificate", with)
}

// Run implements engine.Probe: chain to the declared RA root, validity now, subject naming the
// channel number, and a live signed response verifying with the certificate's key.
func (pr certificateProbe) Run(ctx context.Context, env engine.ProbeEnv, _ *yaml.Node) (engine.ProbeResult, error) {
	checks, err := CertificateChecks(pr.p.decl, pr.p.now())
	if err != nil {
		return engine.ProbeResult{}, fmt.Errorf("channel-certificate: %w", err)
	}
	res := engine.ProbeResult{Checks: checks}
	live, err := pr.liveCheck(ctx, env)
	if err != nil {
		return res, err
	}
	res.Checks = append(res.Checks, live)
	return res, nil
}

// CertificateChecks are the offline checks of CAI-2.7 on the declared certificate: it chains
// to the declared RA root, is valid at now, and its subject names the channel number. The
// pack's probe and `chanconf doctor` both use them, so the pre-flight finds exactly what the
// case would FAIL.
func CertificateChecks(d *cai.Declaration, now time.Time) ([]reports.Check, error) {
	cert, err := d.ChannelCert()
	if err != nil {
		return nil, err
	}
	root, err := d.RARootCert()
	if err != nil {
		return nil, err
	}
	return []reports.Check{chainCheck(cert, root, now), validityCheck(cert, now), subjectCheck(cert, d.ChannelNo)}, nil
}

// check builds a probe check with an outcome from ok.
func check(ok bool, expected, actual, detail string) reports.Check {
	out := reports.Failed
	if ok {
		out = reports.Passed
	}
	return reports.Check{Name: "probe", Outcome: out, Expected: expected, Actual: actual, Detail: detail}
}

// chainCheck verifies cert against root alone. The root must be a CA other than the
// certificate itself: a pool holding the leaf would otherwise "verify" it as its own anchor.
func chainCheck(cert, root *smx509.Certificate, now time.Time) reports.Check {
	const expected = "certificate chains to the declared RA root (CAI-2.7)"
	detail := fmt.Sprintf("certificate %q issued by %q", cert.Subject.String(), cert.Issuer.String())
	if cert.Equal(root) || !root.IsCA || !root.BasicConstraintsValid {
		return check(false, expected, fmt.Sprintf("declared raRoot %q is not a CA certificate distinct from the channel certificate", root.Subject.String()), detail)
	}
	roots := smx509.NewCertPool()
	roots.AddCert(root)
	_, err := cert.Verify(smx509.VerifyOptions{Roots: roots, CurrentTime: now,
		KeyUsages: []smx509.ExtKeyUsage{smx509.ExtKeyUsageAny}})
	actual := "chains to " + root.Subject.String()
	if err != nil {
		actual = err.Error()
	}
	return check(err == nil, expected, actual, detail)
}

// validityCheck requires now to lie within the certificate's validity.
func validityCheck(cert *smx509.Certificate, now time.Time) reports.Check {
	ok := !now.Before(cert.NotBefore) && !now.After(cert.NotAfter)
	return check(ok, "certificate valid now (CAI-2.7)",
		fmt.Sprintf("valid %s to %s", cert.NotBefore.UTC().Format(time.RFC3339), cert.NotAfter.UTC().Format(time.RFC3339)),
		"checked at "+now.UTC().Format(time.RFC3339))
}

// subjectCheck requires the subject serialNumber or CN to be the channel number.
func subjectCheck(cert *smx509.Certificate, channelNo string) reports.Check {
	s := cert.Subject
	ok := s.SerialNumber == channelNo || s.CommonName == channelNo
	return check(ok, "subject serialNumber or CN = "+channelNo+" (CAI-2.7)",
		fmt.Sprintf("serialNumber %q, CN %q", s.SerialNumber, s.CommonName), "")
}

// liveCheck sends a signed GET /authorizations without a session and verifies the response
// signature (whatever the status) with the certificate's key.
func (pr certificateProbe) liveCheck(ctx context.Context, env engine.ProbeEnv) (reports.Check, error) {
	if env.Do == nil || env.BaseURL == nil || env.Case == nil {
		return reports.Check{}, errors.New("channel-certificate: the engine provides no way to send requests")
	}
	u := env.BaseURL.JoinPath("authorizations")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return reports.Check{}, fmt.Errorf("channel-certificate: %w", err)
	}
	resp, err := env.Do(ctx, req, nil, engine.SignOptions{})
	if err != nil {
		return reports.Check{}, fmt.Errorf("channel-certificate: GET %s: %w", u.Path, err)
	}
	err = env.Case.VerifyResponse(resp.Nonce, resp.Status, resp.Header, resp.Body)
	actual := fmt.Sprintf("signature of the %d response verifies", resp.Status)
	if err != nil {
		actual = err.Error()
	}
	c := check(err == nil, "the certificate's key verifies the channel's response signature (CAI-2.7, signer ID "+pr.p.decl.ChannelNo+")",
		actual, "signed GET "+u.Path+" without a session")
	if sc := env.SignatureClause; err != nil && sc != "" && !errors.Is(err, ErrOtherKey) {
		c.Outcome, c.Clause = reports.NotChecked, sc
		c.Detail = "not judged: the response is not validly signed (" + sc + "), so whether the certificate's key verifies it cannot be told; " + c.Detail
	}
	return c, nil
}
