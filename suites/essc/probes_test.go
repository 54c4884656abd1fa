package essc

import (
	"context"
	"crypto/rand"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/emmansun/gmsm/sm2"
	"github.com/emmansun/gmsm/smx509"
	"go.yaml.in/yaml/v3"
)

func TestPersonalDataProbe(t *testing.T) {
	p, _ := testPlatform(t)
	c := testCase(t, p)
	alice := c.personas["alice"]
	clean := reports.Exchange{ID: "E1", Request: reports.Request{Method: "GET", URL: "https://h/cai/v1/cards/x?idNo=" + alice.IDNo},
		Response: reports.Response{Status: 200, Headers: []reports.Header{{Name: "Content-Type", Value: "application/json"}},
			Body: `{"idNoMasked":"` + cai.MaskIDNo(alice.IDNo) + `"}`}}
	leakHeader := reports.Exchange{ID: "E2", Request: reports.Request{Method: "POST", URL: "https://h/cai/v1/sessions"},
		Response: reports.Response{Status: 201, Headers: []reports.Header{{Name: "X-Debug", Value: alice.Phone}}, Body: "{}"}}
	leakBody := reports.Exchange{ID: "E3", Request: reports.Request{Method: "GET", URL: "https://h/cai/v1/cards/y"},
		Response: reports.Response{Status: 404, Body: `{"message":"no card for ` + alice.Name + `"}`}}
	failedConn := reports.Exchange{ID: "E4", Error: "connection refused"}
	tests := []struct {
		name      string
		exchanges []reports.Exchange
		want      []string // exchange IDs of failed checks; nil: one passed check
	}{
		{"clean", []reports.Exchange{clean, failedConn}, nil},
		{"leaks", []reports.Exchange{clean, leakHeader, leakBody}, []string{"E2", "E3"}},
	}
	probe := p.Probes()["personal-data-scan"]
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := engine.ProbeEnv{Case: c, Exchanges: func() []reports.Exchange { return tt.exchanges }}
			res, err := probe.Run(context.Background(), env, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == nil {
				if len(res.Checks) != 1 || res.Checks[0].Outcome != reports.Passed || !strings.Contains(res.Checks[0].Detail, "1 exchanges") {
					t.Fatalf("checks %+v, want one passed check over 1 exchange", res.Checks)
				}
				return
			}
			if len(res.Checks) != len(tt.want) {
				t.Fatalf("checks %+v, want failures for %v", res.Checks, tt.want)
			}
			for i, ch := range res.Checks {
				if ch.Outcome != reports.Failed || !strings.Contains(ch.Detail, "exchange "+tt.want[i]) {
					t.Errorf("check %+v does not fail naming %s", ch, tt.want[i])
				}
				if strings.Contains(ch.Actual+ch.Detail, alice.Phone) || strings.Contains(ch.Actual+ch.Detail, alice.Name) {
					t.Errorf("check shows the personal data unmasked: %+v", ch)
				}
			}
		})
	}
}

func TestProbeValidate(t *testing.T) {
	p, _ := testPlatform(t)
	for name, probe := range p.Probes() {
		var empty, params yaml.Node
		if err := yaml.Unmarshal([]byte("{}"), &empty); err != nil {
			t.Fatal(err)
		}
		_ = yaml.Unmarshal([]byte("depth: 3"), &params)
		if err := probe.Validate(empty.Content[0]); err != nil {
			t.Errorf("%s: {} refused: %v", name, err)
		}
		if err := probe.Validate(nil); err != nil {
			t.Errorf("%s: nil refused: %v", name, err)
		}
		if err := probe.Validate(params.Content[0]); err == nil || !strings.Contains(err.Error(), "depth") {
			t.Errorf("%s: unknown parameter accepted: %v", name, err)
		}
	}
}

// signingChannel is a loopback channel that answers every request 401 with a response signed
// by key and signer ID id over the request's nonce.
func signingChannel(t *testing.T, key *sm2.PrivateKey, id string) *httptest.Server {
	t.Helper()
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := []byte(`{"code":"SESSION_INVALID","message":"session is missing","requestId":"r1"}`)
		ts := strconv.FormatInt(time.Now().UnixMilli(), 10)
		sig, _ := cai.Sign(key, id, cai.CanonicalResponse(401, ts, r.Header.Get(cai.HeaderNonce), body))
		w.Header().Set(cai.HeaderTimestamp, ts)
		w.Header().Set(cai.HeaderSignature, sig)
		w.WriteHeader(401)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

// probeEnv returns an environment whose Do signs through env and sends to srv.
func probeEnv(t *testing.T, srv *httptest.Server, c engine.CaseEnv) engine.ProbeEnv {
	base, _ := url.Parse(srv.URL + "/cai/v1")
	return engine.ProbeEnv{BaseURL: base, Case: c,
		Do: func(ctx context.Context, req *http.Request, body []byte, opt engine.SignOptions) (*engine.Response, error) {
			nonce, err := c.Sign(req, body, opt)
			if err != nil {
				return nil, err
			}
			resp, err := srv.Client().Do(req)
			if err != nil {
				return nil, err
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return &engine.Response{Status: resp.StatusCode, Header: resp.Header, Body: b, Nonce: nonce}, nil
		}}
}

func TestChannelCertificateProbe(t *testing.T) {
	ks, err := keys.Load()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	_, otherNoPEM, err := keys.IssueChannelCert(ks, "2000000002", &ks.Channel.PublicKey, now.Add(-time.Hour), now.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	_, expiredPEM, err := keys.IssueChannelCert(ks, keys.ReferenceChannelNo, &ks.Channel.PublicKey, now.Add(-2*time.Hour), now.Add(-time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		cert   string
		root   string
		signer *sm2.PrivateKey
		id     string
		failed []int // indexes of failed checks: 0 chain, 1 validity, 2 subject, 3 live signature
	}{
		{"conformant", string(ks.PEM.ChannelCert), string(ks.PEM.RARoot), ks.Channel, keys.ReferenceChannelNo, nil},
		{"other root", string(ks.PEM.ChannelCert), string(ks.PEM.ChannelCert), ks.Channel, keys.ReferenceChannelNo, []int{0}},
		{"other CA", string(ks.PEM.ChannelCert), otherCA(t), ks.Channel, keys.ReferenceChannelNo, []int{0}},
		{"other channel number", string(otherNoPEM), string(ks.PEM.RARoot), ks.Channel, keys.ReferenceChannelNo, []int{2}},
		{"expired", string(expiredPEM), string(ks.PEM.RARoot), ks.Channel, keys.ReferenceChannelNo, []int{0, 1}},
		{"channel signs with another key", string(ks.PEM.ChannelCert), string(ks.PEM.RARoot), ks.Attacker, keys.ReferenceChannelNo, []int{3}},
		{"channel signs with default ID", string(ks.PEM.ChannelCert), string(ks.PEM.RARoot), ks.Channel, cai.DefaultSignerID, []int{3}},
		// With the pack's signature clause known, a response not validly signed (CAI-2.6) leaves
		// the key check not judged under it; another key stays the certificate's failure.
		{"default ID, signature clause known", string(ks.PEM.ChannelCert), string(ks.PEM.RARoot), ks.Channel, cai.DefaultSignerID, nil},
		{"another key, signature clause known", string(ks.PEM.ChannelCert), string(ks.PEM.RARoot), ks.Attacker, keys.ReferenceChannelNo, []int{3}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDecl(t, ks)
			d.Certificate, d.RARoot = tt.cert, tt.root
			p, err := New(d, ks, Options{})
			if err != nil {
				t.Fatal(err)
			}
			c, _ := p.NewCase(engine.CaseInfo{RunID: "r", CaseID: "SEC-CERT-001"})
			srv := signingChannel(t, tt.signer, tt.id)
			env := probeEnv(t, srv, c)
			known := strings.HasSuffix(tt.name, "signature clause known")
			if known {
				env.SignatureClause = "CAI-2.6"
			}
			res, err := p.Probes()["channel-certificate"].Run(context.Background(), env, nil)
			if err != nil {
				t.Fatal(err)
			}
			if live := res.Checks[len(res.Checks)-1]; known && tt.failed == nil && (live.Outcome != reports.NotChecked || live.Clause != "CAI-2.6") {
				t.Fatalf("live check on a default-ID signature: %+v, want not-checked under CAI-2.6", live)
			}
			if len(res.Checks) != 4 {
				t.Fatalf("%d checks, want 4: %+v", len(res.Checks), res.Checks)
			}
			var failed []int
			for i, ch := range res.Checks {
				if ch.Outcome == reports.Failed {
					failed = append(failed, i)
				}
			}
			if !slices.Equal(failed, tt.failed) {
				t.Fatalf("failed checks %v, want %v: %+v", failed, tt.failed, res.Checks)
			}
		})
	}
}

// otherCA returns a self-signed SM2 CA certificate that issued nothing of ours.
func otherCA(t *testing.T) string {
	t.Helper()
	k, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &smx509.Certificate{SerialNumber: big.NewInt(7), Subject: pkix.Name{CommonName: "Other RA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: true,
		BasicConstraintsValid: true, KeyUsage: smx509.KeyUsageCertSign}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(cai.MarshalCertificatePEM(der))
}
