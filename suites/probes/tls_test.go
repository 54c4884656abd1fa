package probes

import (
	"crypto/tls"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
)

func TestTLSVersions(t *testing.T) {
	tests := []struct {
		name string
		cfg  *tls.Config
		want []string // Expected texts of the failed checks
	}{
		{name: "TLS 1.2 and 1.3 only", cfg: &tls.Config{MinVersion: tls.VersionTLS12}},
		{name: "accepts TLS 1.0 and 1.1",
			cfg:  &tls.Config{MinVersion: tls.VersionTLS10, CipherSuites: slices.Concat(aeadSuites(), legacySuites())},
			want: []string{"TLS 1.0 handshake refused", "TLS 1.1 handshake refused"}},
		{name: "accepts TLS 1.1 only among the legacy versions",
			cfg:  &tls.Config{MinVersion: tls.VersionTLS11, CipherSuites: slices.Concat(aeadSuites(), legacySuites())},
			want: []string{"TLS 1.1 handshake refused"}},
		// CAI-1.1 "TLS 1.2 or 1.3" (erratum 1.0.1): either one alone conforms.
		{name: "TLS 1.2 only", cfg: &tls.Config{MinVersion: tls.VersionTLS12, MaxVersion: tls.VersionTLS12}},
		{name: "TLS 1.3 only", cfg: &tls.Config{MinVersion: tls.VersionTLS13}},
		{name: "TLS 1.1 only",
			cfg:  &tls.Config{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11, CipherSuites: legacySuites()},
			want: []string{"TLS 1.1 handshake refused", "a TLS 1.2 or TLS 1.3 handshake completes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := run(t, tlsVersions{}, engine.ProbeEnv{BaseURL: tlsServer(t, tt.cfg)}, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Checks) != 5 {
				t.Fatalf("got %d checks, want 5: %+v", len(res.Checks), res.Checks)
			}
			if got := failed(res.Checks); !slices.Equal(got, tt.want) {
				t.Errorf("failed checks = %q, want %q\n%+v", got, tt.want, res.Checks)
			}
			for _, c := range res.Checks {
				if c.Name != NameTLSVersions || c.Actual == "" {
					t.Errorf("check without name or actual: %+v", c)
				}
			}
		})
	}
}

func TestTLSCiphers(t *testing.T) {
	ca := newCA(t, "ciphers CA")
	ecdsaCert := ca.leaf(t, leafOptions{ips: loopback()})
	tests := []struct {
		name          string
		cfg           *tls.Config
		want          []string
		notApplicable bool
	}{
		{name: "RSA certificate, AEAD suites only", cfg: &tls.Config{CipherSuites: aeadSuites()}},
		{name: "ECDSA certificate, AEAD suites only", cfg: &tls.Config{Certificates: []tls.Certificate{ecdsaCert}, CipherSuites: aeadSuites()}},
		{name: "ECDHE RSA CBC offered too",
			cfg:  &tls.Config{CipherSuites: slices.Concat(aeadSuites(), []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA})},
			want: []string{"TLS 1.2 handshake offering only TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA refused"}},
		{name: "ECDHE ECDSA CBC offered too",
			cfg: &tls.Config{Certificates: []tls.Certificate{ecdsaCert},
				CipherSuites: slices.Concat(aeadSuites(), []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA})},
			want: []string{"TLS 1.2 handshake offering only TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA refused"}},
		{name: "3DES offered too",
			cfg:  &tls.Config{CipherSuites: slices.Concat(aeadSuites(), []uint16{tls.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA})},
			want: []string{"TLS 1.2 handshake offering only TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA refused"}},
		{name: "static RSA key exchange offered too",
			cfg:  &tls.Config{CipherSuites: slices.Concat(aeadSuites(), []uint16{tls.TLS_RSA_WITH_AES_128_GCM_SHA256})},
			want: []string{"TLS 1.2 handshake offering only TLS_RSA_WITH_AES_128_GCM_SHA256 refused"}},
		{name: "CBC only, no AEAD",
			cfg: &tls.Config{MaxVersion: tls.VersionTLS12, CipherSuites: []uint16{tls.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA}},
			want: []string{"TLS 1.2 handshake offering only TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA refused",
				"TLS 1.2 handshake offering the ECDHE AEAD suites completes with one of them"}},
		// CAI-1.2 applies only with TLS 1.2: a TLS 1.3-only channel is not applicable (SKIP).
		{name: "TLS 1.3 only", cfg: &tls.Config{MinVersion: tls.VersionTLS13}, notApplicable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := run(t, tlsCiphers{}, engine.ProbeEnv{BaseURL: tlsServer(t, tt.cfg)}, "timeout: 5s")
			if err != nil {
				t.Fatal(err)
			}
			want := len(forbiddenSuites()) + 1
			if tt.notApplicable {
				want--
			}
			if len(res.Checks) != want || (res.NotApplicable != "") != tt.notApplicable {
				t.Fatalf("got %d checks and not-applicable %q, want %d checks and not applicable %v", len(res.Checks), res.NotApplicable, want, tt.notApplicable)
			}
			if got := failed(res.Checks); !slices.Equal(got, tt.want) {
				t.Errorf("failed checks = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHandshakeEnvironment: nothing listening is an error (ERROR), a server that closes every
// connection is a refusal (the channel's answer).
func TestHandshakeEnvironment(t *testing.T) {
	for name, p := range map[string]engine.Probe{NameTLSVersions: tlsVersions{}, NameTLSCiphers: tlsCiphers{},
		NameTLSCertificate: tlsCertificate{now: time.Now}} {
		t.Run(name+" nothing listening", func(t *testing.T) {
			_, err := run(t, p, engine.ProbeEnv{BaseURL: deadURL(t)}, "timeout: 2s")
			if err == nil || !strings.Contains(err.Error(), "cannot connect") {
				t.Fatalf("err = %v, want cannot connect", err)
			}
		})
		t.Run(name+" no base URL", func(t *testing.T) {
			if _, err := run(t, p, engine.ProbeEnv{}, ""); err == nil {
				t.Fatal("no error without a base URL")
			}
		})
	}
	t.Run("connection closed is a refusal", func(t *testing.T) {
		res, err := run(t, tlsVersions{}, engine.ProbeEnv{BaseURL: closingServer(t)}, "")
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"a TLS 1.2 or TLS 1.3 handshake completes"}
		if got := failed(res.Checks); !slices.Equal(got, want) {
			t.Errorf("failed = %q, want %q", got, want)
		}
		if !strings.HasPrefix(res.Checks[0].Actual, "refused: ") {
			t.Errorf("actual = %q, want a refusal", res.Checks[0].Actual)
		}
	})
}

func TestTLSCertificate(t *testing.T) {
	ca := newCA(t, "trusted CA")
	other := newCA(t, "other CA")
	now := time.Now()
	tests := []struct {
		name  string
		cert  tls.Certificate
		roots bool // trust ca (else the system roots)
		want  []string
	}{
		{name: "valid", cert: ca.leaf(t, leafOptions{ips: loopback()}), roots: true},
		{name: "expired", cert: ca.leaf(t, leafOptions{ips: loopback(), notBefore: now.Add(-48 * time.Hour), notAfter: now.Add(-24 * time.Hour)}),
			roots: true, want: []string{"server certificate valid now", "server certificate chains to the declared TLS CA"}},
		{name: "not yet valid", cert: ca.leaf(t, leafOptions{ips: loopback(), notBefore: now.Add(time.Hour), notAfter: now.Add(2 * time.Hour)}),
			roots: true, want: []string{"server certificate valid now", "server certificate chains to the declared TLS CA"}},
		{name: "DNS name only", cert: ca.leaf(t, leafOptions{dns: []string{"channel.example"}}),
			roots: true, want: []string{"server certificate valid for 127.0.0.1"}},
		{name: "issued by another CA", cert: other.leaf(t, leafOptions{ips: loopback()}),
			roots: true, want: []string{"server certificate chains to the declared TLS CA"}},
		{name: "no declared CA: system roots", cert: ca.leaf(t, leafOptions{ips: loopback()}),
			want: []string{"server certificate chains to the system roots"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := engine.ProbeEnv{BaseURL: tlsServer(t, &tls.Config{Certificates: []tls.Certificate{tt.cert}}), TLS: &tls.Config{}}
			if tt.roots {
				env.TLS.RootCAs = ca.pool
			}
			res, err := run(t, tlsCertificate{now: func() time.Time { return now }}, env, "")
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Checks) != 3 {
				t.Fatalf("got %d checks, want 3", len(res.Checks))
			}
			if got := failed(res.Checks); !slices.Equal(got, tt.want) {
				t.Errorf("failed = %q, want %q\n%+v", got, tt.want, res.Checks)
			}
		})
	}
	t.Run("handshake refused", func(t *testing.T) {
		res, err := run(t, tlsCertificate{now: time.Now}, engine.ProbeEnv{BaseURL: closingServer(t)}, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Checks) != 1 || res.Checks[0].Outcome != reports.Failed {
			t.Fatalf("checks = %+v, want one failed check", res.Checks)
		}
	})
}
