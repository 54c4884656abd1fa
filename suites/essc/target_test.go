package essc

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
)

// startReference starts the embedded reference channel for a test.
func startReference(t *testing.T, faults ...string) *Target {
	t.Helper()
	tg, err := Open(context.Background(), TargetOptions{Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tg.Close)
	return tg
}

// send signs and sends one request to the target as a step would.
func send(t *testing.T, tg *Target, c engine.CaseEnv, method, path string, body []byte) *engine.Response {
	t.Helper()
	req, err := http.NewRequest(method, tg.BaseURL.JoinPath(path).String(), bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	nonce, err := c.Sign(req, body, engine.SignOptions{})
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tg.TLS}}
	defer client.CloseIdleConnections()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return &engine.Response{Status: resp.StatusCode, Header: resp.Header, Body: b, Nonce: nonce}
}

func TestOpenReferenceEndToEnd(t *testing.T) {
	tg := startReference(t)
	if !tg.Reference || !strings.HasSuffix(tg.BaseURL.Path, "/cai/v1") || tg.TLS.RootCAs == nil {
		t.Fatalf("target %+v", tg)
	}
	c, err := tg.Platform.NewCase(engine.CaseInfo{RunID: "e2e", CaseID: "E2E-001", Personas: []string{"alice"}, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.Funcs()["realNameToken"].(func(string, ...string) (string, error))("alice")
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"realNameToken":"` + tok + `","deviceId":"` + c.Personas()["alice"]["device"] + `"}`)
	resp := send(t, tg, c, http.MethodPost, "sessions", body)
	if resp.Status != http.StatusCreated {
		t.Fatalf("create session: %d %s", resp.Status, resp.Body)
	}
	if err := c.VerifyResponse(resp.Nonce, resp.Status, resp.Header, resp.Body); err != nil {
		t.Fatalf("reference channel's response signature: %v", err)
	}
	if f := ScanPersonalData(string(resp.Body), tg.Platform.KnownPersonas()); len(f) != 0 {
		t.Fatalf("reference channel leaks personal data: %v", f)
	}
	env := engine.ProbeEnv{BaseURL: tg.BaseURL, Case: c,
		Do: func(ctx context.Context, req *http.Request, body []byte, opt engine.SignOptions) (*engine.Response, error) {
			return send(t, tg, c, req.Method, strings.TrimPrefix(req.URL.Path, tg.BaseURL.Path+"/"), body), nil
		}}
	res, err := tg.Platform.Probes()["channel-certificate"].Run(context.Background(), env, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range res.Checks {
		if ch.Outcome != reports.Passed {
			t.Errorf("channel-certificate against the reference channel: %+v", ch)
		}
	}
}

func TestOpenErrors(t *testing.T) {
	ks, err := keys.Load()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	good, err := testDecl(t, ks).Encode()
	if err != nil {
		t.Fatal(err)
	}
	goodPath := filepath.Join(dir, "good.yaml")
	badPath := filepath.Join(dir, "decl.yaml")
	os.WriteFile(goodPath, good, 0o600)
	os.WriteFile(badPath, bytes.Replace(good, []byte(`"1000000001"`), []byte(`"12345"`), 1), 0o600)
	tests := []struct {
		name string
		opts TargetOptions
		want string
	}{
		{"bad declaration", TargetOptions{URL: "https://127.0.0.1:1/cai/v1", DeclarationPath: badPath}, `decl.yaml:2: channelNo: must be 10 digits, got "12345"`},
		{"missing declaration", TargetOptions{URL: "https://127.0.0.1:1/cai/v1"}, "declaration file is required"},
		{"no such file", TargetOptions{URL: "https://127.0.0.1:1/cai/v1", DeclarationPath: filepath.Join(dir, "none.yaml")}, "none.yaml"},
		{"plain http", TargetOptions{URL: "http://127.0.0.1:1/cai/v1", DeclarationPath: goodPath}, "must be an https URL"},
		{"faults on a candidate", TargetOptions{URL: "https://127.0.0.1:1/cai/v1", DeclarationPath: goodPath, Faults: []string{"nonce-replay"}}, "only to the embedded reference channel"},
		{"unknown fault", TargetOptions{Faults: []string{"no-such-fault"}}, "no-such-fault"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tg, err := Open(context.Background(), tt.opts)
			if err == nil {
				tg.Close()
				t.Fatal("accepted")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want %q", err, tt.want)
			}
		})
	}
	tg, err := Open(context.Background(), TargetOptions{URL: "https://channel.example/cai/v1/", DeclarationPath: goodPath})
	if err != nil {
		t.Fatal(err)
	}
	defer tg.Close()
	if tg.Reference || tg.BaseURL.String() != "https://channel.example/cai/v1" || tg.TLS.RootCAs != nil || tg.TLS.MinVersion != 0x0303 {
		t.Fatalf("candidate target %+v (TLS roots %v)", tg, tg.TLS.RootCAs)
	}
}
