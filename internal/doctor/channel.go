package doctor

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
)

// certificate makes the offline checks of CAI-2.7 on the declared channel certificate, the
// ones the pack's SEC-MSG-011 makes (essc.CertificateChecks): chain to the declared RA root,
// validity now, subject naming the channel number. Its key is checked against the channel's
// own signatures by the signed request check. A problem is the channel's (CAI-2.7): `run`
// warns and lets the case FAIL it; doctor says how to fix it before the run.
func (p *prober) certificate(context.Context) Check {
	d := p.t.Declaration
	checks, err := essc.CertificateChecks(d, p.cfg.Now())
	if err != nil {
		return Check{Status: Problem, Detail: err.Error(), Hint: "declare the channel's SM2 certificate and the RA root as PEM", Clauses: []string{"CAI-2.7"}}
	}
	hints := []string{
		"the certificate is not issued by the declared raRoot: declare the RA root that issued it (in the sandbox, the test RA CA of STANDARD.md Appendix C), or have the RA issue the channel's certificate",
		"the certificate is outside its validity window: have the RA renew it and declare the new one (and check this machine's clock)",
		fmt.Sprintf("the certificate's subject serialNumber (or CN) must be the channel number %s: correct channelNo, or declare the certificate issued for this channel", d.ChannelNo),
	}
	var found, fixes []string
	for i, c := range checks {
		if c.Outcome == reports.Failed {
			found = append(found, fmt.Sprintf("%s: %s", strings.TrimSuffix(c.Expected, " (CAI-2.7)"), c.Actual))
			fixes = append(fixes, hints[i])
		}
	}
	if len(found) > 0 {
		return Check{Status: Problem, Detail: strings.Join(found, "; "), Hint: strings.Join(fixes, "; "), Clauses: []string{"CAI-2.7"}}
	}
	cert, _ := d.ChannelCert()
	return Check{Status: OK, Detail: fmt.Sprintf("chains to the declared raRoot, valid until %s, subject names channel %s",
		cert.NotAfter.UTC().Format(time.DateOnly), d.ChannelNo)}
}

// doctorPersona is the citizen the data key check creates a session for.
const doctorPersona = "doctor"

// dataKey sends POST /sessions with a real-name token whose personal data is sealed under the
// declared sandbox.dataKey (CAI-3.5), as the pack's session cases do. A channel that cannot
// decrypt it (401 TOKEN_DECRYPT_FAILED) almost always means the declared key is not the one
// the channel's sandbox holds: without this check that mistake shows up as every session case
// failing with "expected 201, got 401" and no hint. The channel's answer is judged by the
// pack, so `run` only warns.
func (p *prober) dataKey(ctx context.Context) Check {
	env, err := p.t.Platform.NewCase(engine.CaseInfo{RunID: "chanconf-doctor", CaseID: "DOCTOR-DATAKEY", Personas: []string{doctorPersona}})
	if err != nil {
		return Check{Status: Problem, Detail: err.Error()}
	}
	token, ok := env.Funcs()["realNameToken"].(func(string, ...string) (string, error))
	if !ok {
		return Check{Status: Problem, Detail: "the platform mints no real-name tokens"}
	}
	tok, err := token(doctorPersona)
	if err != nil {
		return Check{Status: Problem, Detail: "mint a real-name token: " + err.Error()}
	}
	body, err := json.Marshal(map[string]string{"realNameToken": tok, "deviceId": env.Personas()[doctorPersona]["device"]})
	if err != nil {
		return Check{Status: Problem, Detail: err.Error()}
	}
	u := p.t.BaseURL.JoinPath("sessions")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return Check{Status: Problem, Detail: err.Error()}
	}
	req.Header.Set("Content-Type", "application/json")
	if _, err := env.Sign(req, body, engine.SignOptions{Now: p.cfg.Now()}); err != nil {
		return Check{Status: Problem, Detail: "sign the request: " + err.Error()}
	}
	resp, respBody, _, err := p.exchange(req)
	if err != nil {
		return Check{Status: Problem, Detail: fmt.Sprintf("POST %s: %v", u.Redacted(), err), Hint: "the channel did not answer a signed request"}
	}
	return dataKeyVerdict(resp.StatusCode, errorCode(respBody), u.Redacted(), p.t.Declaration.ChannelNo)
}

// dataKeyVerdict judges the answer to the data key check's session request.
func dataKeyVerdict(status int, code, url, channelNo string) Check {
	what := fmt.Sprintf("POST %s with a real-name token sealed under the declared sandbox.dataKey answered %d %s", url, status, orNone(code))
	switch {
	case status == http.StatusCreated:
		return Check{Status: OK, Detail: fmt.Sprintf("POST %s with a real-name token sealed under the declared sandbox.dataKey opened a session (201)", url)}
	case code == cai.CodeTokenDecryptFailed:
		return Check{Status: Problem, Detail: what + ": the channel cannot decrypt the token's personal data",
			Hint: "the declared sandbox.dataKey is not the key the channel's sandbox uses: copy the data key and its check value (sandbox.dataKeyCheck) " +
				"again from the channel's key record; with a wrong key every case that opens a session fails with \"expected 201, got 401\""}
	case code == cai.CodeSignatureInvalid || code == cai.CodeSignatureMissing || code == cai.CodeTimestampOutOfWindow || code == cai.CodeChannelMismatch:
		return Check{Status: Problem, Detail: what + ", expected 201", Hint: codeHint(code, channelNo)}
	}
	return Check{Status: Problem, Detail: what + ", expected 201",
		Hint: "a conformant channel opens a session for a valid real-name token (CAI-4.1); the pack's FUN-SES cases show what is wrong"}
}
