package essc

import (
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/suites/engine"
)

// testNow is the fixed clock of the tests.
func testNow() time.Time { return time.Unix(1_750_000_000, 0) }

// testDecl returns a valid declaration of the reference channel built from the test keys.
func testDecl(t *testing.T, ks *keys.Set) *cai.Declaration {
	t.Helper()
	d := &cai.Declaration{
		CAIVersion: "1", ChannelNo: keys.ReferenceChannelNo, Name: "Test", BaseURL: "https://127.0.0.1:8443/cai/v1",
		Profiles: []string{"rest", "graphql"}, Regions: []string{"110000", "310000"}, Level2: true,
		Certificate: string(ks.PEM.ChannelCert), RARoot: string(ks.PEM.RARoot),
		Sandbox: cai.Sandbox{DataKey: "00112233445566778899aabbccddeeff", DataKeyCheck: "72eba3", QRLifetimeSeconds: 5},
	}
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	return d
}

// testPlatform returns a platform over testDecl with the fixed clock.
func testPlatform(t *testing.T) (*Platform, *keys.Set) {
	t.Helper()
	ks, err := keys.Load()
	if err != nil {
		t.Fatal(err)
	}
	p, err := New(testDecl(t, ks), ks, Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	return p, ks
}

// testCase returns a case environment with personas alice and bob.
func testCase(t *testing.T, p *Platform) *caseEnv {
	t.Helper()
	env, err := p.NewCase(engine.CaseInfo{RunID: "run-1", CaseID: "TEST-001", Personas: []string{"alice", "bob"}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return env.(*caseEnv)
}
