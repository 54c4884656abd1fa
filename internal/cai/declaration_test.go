package cai

import (
	"crypto/rand"
	"crypto/x509/pkix"
	"encoding/hex"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/smx509"
)

// testCertPEM returns a self-signed SM2 certificate, enough for the declaration's syntax checks.
func testCertPEM(t testing.TB) string {
	t.Helper()
	k := mustKey(t)
	tmpl := &smx509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "1000000001"},
		NotBefore: time.Unix(0, 0), NotAfter: time.Unix(4e9, 0)}
	der, err := smx509.CreateCertificate(rand.Reader, tmpl, tmpl, &k.PublicKey, k)
	if err != nil {
		t.Fatal(err)
	}
	return string(MarshalCertificatePEM(der))
}

func indent(s string) string {
	return "  " + strings.ReplaceAll(strings.TrimSuffix(s, "\n"), "\n", "\n  ") + "\n"
}

func validDeclYAML(t testing.TB) string {
	cert := indent(testCertPEM(t))
	return `caiVersion: "1"
channelNo: "1000000001"
name: Test Channel
baseURL: https://127.0.0.1:8443/cai/v1
profiles: [rest, graphql]
regions: ["110000", "310000"]
level2: true
certificate: |
` + cert + `raRoot: |
` + cert + `sandbox:
  dataKey: "00112233445566778899aabbccddeeff"
  dataKeyCheck: "72eba3"
  qrLifetimeSeconds: 5
`
}

func TestParseDeclarationValid(t *testing.T) {
	d, err := ParseDeclaration("decl.yaml", []byte(validDeclYAML(t)))
	if err != nil {
		t.Fatal(err)
	}
	key, err := d.DataKey()
	if err != nil || len(key) != 16 {
		t.Fatalf("DataKey = %x, %v", key, err)
	}
	if d.QRLifetime() != 5*time.Second || !slices.Contains(d.Profiles, "graphql") {
		t.Fatalf("QRLifetime %v, profiles %v", d.QRLifetime(), d.Profiles)
	}
	if pool, err := d.TLSRoots(); pool != nil || err != nil {
		t.Fatalf("TLSRoots without tlsCA = %v, %v; want nil, nil (system roots)", pool, err)
	}
	if r := d.Redacted(); r.Sandbox.DataKey != "[REDACTED]" || d.Sandbox.DataKey == "[REDACTED]" {
		t.Fatalf("Redacted changed the original or kept the key")
	}
	out, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseDeclaration("again.yaml", out)
	if err != nil {
		t.Fatalf("re-parsing the encoded declaration: %v\n%s", err, out)
	}
	if again.ChannelNo != d.ChannelNo || again.Certificate != d.Certificate || again.Sandbox != d.Sandbox {
		t.Fatalf("encode/parse round trip changed the declaration:\n%s", out)
	}
}

func TestParseDeclarationErrors(t *testing.T) {
	valid := validDeclYAML(t)
	tests := []struct {
		name string
		from string
		to   string
		want []string
	}{
		{"short channelNo", `channelNo: "1000000001"`, `channelNo: "12345"`,
			[]string{`decl.yaml:2: channelNo: must be 10 digits, got "12345"`}},
		{"http URL", "baseURL: https://", "baseURL: http://",
			[]string{"decl.yaml:4: baseURL: must be an https URL"}},
		{"unknown profile", "profiles: [rest, graphql]", "profiles: [rest, soap]",
			[]string{`decl.yaml:5: profiles: unknown profile "soap"`}},
		{"bad region", `regions: ["110000", "310000"]`, `regions: ["11000"]`,
			[]string{`decl.yaml:6: regions: region must be 6 digits`}},
		{"level2 type", "level2: true", "level2: sometimes",
			[]string{"decl.yaml:7: level2: wrong type"}},
		{"unknown key", "level2: true", "level2: true\nlevel3: true",
			[]string{"decl.yaml:8: level3: unknown field"}},
		{"bad data key and lifetime", "qrLifetimeSeconds: 5", "qrLifetimeSeconds: 90",
			[]string{"sandbox.qrLifetimeSeconds: must be 1..60, got 90"}},
		{"data key", `dataKey: "00112233445566778899aabbccddeeff"`, `dataKey: "0011"`,
			[]string{"sandbox.dataKey: must be 32 hex characters"}},
		// Issue 12 finding 3: a mistyped data key is refused before anything runs, never echoed.
		{"data key mistyped", `dataKey: "00112233445566778899aabbccddeeff"`, `dataKey: "00112233445566778899aabbccddeefe"`,
			[]string{"sandbox.dataKeyCheck: 72eba3 is not the check value of sandbox.dataKey: one of the two is mistyped"}},
		{"check value mistyped", `dataKeyCheck: "72eba3"`, `dataKeyCheck: "72EBA4"`,
			[]string{"sandbox.dataKeyCheck: 72EBA4 is not the check value"}},
		{"check value missing", `  dataKeyCheck: "72eba3"` + "\n", "",
			[]string{"sandbox.dataKeyCheck: required since CAI 1.0.1", "first 3 bytes of SM4-ECB encryption of a zero block"}},
		{"check value malformed", `dataKeyCheck: "72eba3"`, `dataKeyCheck: "72eb"`,
			[]string{"sandbox.dataKeyCheck: must be 6 hex characters", "got 4 characters"}},
		{"sandbox unknown", "  qrLifetimeSeconds: 5", "  qrLifetimeSeconds: 5\n  dataKeys: x",
			[]string{"sandbox.dataKeys: unknown field"}},
		{"two problems", `caiVersion: "1"`, `caiVersion: "2"` + "\nname: again",
			[]string{`decl.yaml:1: caiVersion: must be "1", got "2"`, "decl.yaml:4: name: repeated field"}},
		{"bad certificate", "certificate: |\n", "certificate: |\n  not a pem\nx: |\n",
			[]string{"decl.yaml:8: certificate: certificate: no PEM block", "x: unknown field"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(valid, tt.from, tt.to, 1)
			if in == valid {
				t.Fatalf("test does not change the declaration")
			}
			_, err := ParseDeclaration("decl.yaml", []byte(in))
			if err == nil {
				t.Fatal("no error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error\n%v\ndoes not contain %q", err, w)
				}
			}
			var de *DeclarationError
			if !errors.As(err, &de) || de.File != "decl.yaml" {
				t.Errorf("error is not a *DeclarationError naming the file: %#v", err)
			}
			if strings.Contains(err.Error(), "0011") && strings.HasPrefix(tt.name, "data key") {
				t.Errorf("error echoes the data key: %v", err)
			}
		})
	}
}

// TestKeyCheckValue: the check values of two keys, cross-checked with OpenSSL 3
// (`openssl enc -sm4-ecb -K KEY -nopad` over 16 zero bytes, first 3 bytes).
func TestKeyCheckValue(t *testing.T) {
	for key, want := range map[string]string{
		"00112233445566778899aabbccddeeff": "72eba3", // the sample declaration's
		"0123456789abcdeffedcba9876543210": "2677f4", // GB/T 32907's example key
	} {
		k, _ := hex.DecodeString(key)
		if got, err := KeyCheckValue(k); err != nil || got != want {
			t.Errorf("KeyCheckValue(%s) = %s, %v; want %s", key, got, err, want)
		}
	}
	if _, err := KeyCheckValue([]byte("short")); err == nil {
		t.Error("a 5-byte key has a check value")
	}
}

func TestValidateMissing(t *testing.T) {
	err := (&Declaration{}).Validate()
	for _, f := range []string{"caiVersion", "channelNo", "name", "baseURL", "profiles", "regions",
		"certificate", "raRoot", "sandbox.dataKey", "sandbox.dataKeyCheck", "sandbox.qrLifetimeSeconds"} {
		if !strings.Contains(err.Error(), "declaration: "+f+":") {
			t.Errorf("missing %s not reported:\n%v", f, err)
		}
	}
}
