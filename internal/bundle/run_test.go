package bundle

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
	"github.com/chanconf/chanconf/suites/runner"
)

// recorder collects every secret a run handled: the tokens the platform minted for each case
// and the session tokens the channel issued, read off the wire.
type recorder struct {
	engine.Platform
	next http.RoundTripper

	mu      sync.Mutex
	envs    []engine.CaseEnv
	wire    []string // request and response bodies
	headers []string // Authorization values sent
}

func (r *recorder) NewCase(info engine.CaseInfo) (engine.CaseEnv, error) {
	env, err := r.Platform.NewCase(info)
	if err == nil {
		r.mu.Lock()
		r.envs = append(r.envs, env)
		r.mu.Unlock()
	}
	return env, err
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.GetBody != nil {
		if rc, err := req.GetBody(); err == nil {
			reqBody, _ = io.ReadAll(rc)
		}
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.wire = append(r.wire, string(reqBody), string(body))
	r.headers = append(r.headers, req.Header.Get("Authorization"))
	r.mu.Unlock()
	return resp, nil
}

var tokenFields = regexp.MustCompile(`"(sessionToken|realNameToken|faceToken)"\s*:\s*"([^"]+)"`)

// runSecrets are every secret the run handled: tokens minted and issued, the platform's
// secrets (data key in hex and base64, private key PEMs), the raw private keys.
func (r *recorder) runSecrets(t *testing.T, ks *keys.Set) (secrets []string, tokens int) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]bool{}
	add := func(s string) {
		if s = strings.TrimSpace(s); len(s) >= 8 && !seen[s] {
			seen[s] = true
			secrets = append(secrets, s)
		}
	}
	for _, env := range r.envs {
		for _, s := range env.Secrets() {
			add(s)
			tokens++
		}
	}
	for _, w := range r.wire {
		for _, m := range tokenFields.FindAllStringSubmatch(w, -1) {
			add(m[2])
			tokens++
		}
	}
	for _, h := range r.headers {
		if tok, ok := strings.CutPrefix(h, "Bearer "); ok {
			add(tok)
		}
	}
	for _, s := range r.Platform.Secrets() {
		add(s)
	}
	for _, k := range [][]byte{ks.Platform.D.Bytes(), ks.Verifier.D.Bytes(), ks.Channel.D.Bytes(), ks.Attacker.D.Bytes(), ks.RACA.D.Bytes()} {
		add(hex.EncodeToString(k))
		add(strings.ToUpper(hex.EncodeToString(k)))
		add(base64.StdEncoding.EncodeToString(k))
	}
	return secrets, tokens
}

// realRun runs the mini pack against a reference channel with faults and returns the report,
// the target's declaration and the recorder.
func realRun(t *testing.T, seed int64, faults ...string) (Input, *recorder, *keys.Set) {
	t.Helper()
	ctx := context.Background()
	ks, err := keys.Load()
	if err != nil {
		t.Fatal(err)
	}
	tgt, err := essc.Open(ctx, essc.TargetOptions{Faults: faults, Keys: ks})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tgt.Close)
	pack := miniPack(t)
	transport := &http.Transport{TLSClientConfig: tgt.TLS.Clone()}
	t.Cleanup(transport.CloseIdleConnections) // before the channel closes: it waits for open connections
	rec := &recorder{Platform: tgt.Platform, next: transport}
	exec, err := engine.New(engine.Options{Pack: pack, Platform: rec, BaseURL: tgt.BaseURL, TLS: tgt.TLS,
		Profiles: tgt.Declaration.Profiles, RunID: "bundle-test", Seed: seed, Probes: cmdutil.Probes(tgt.Platform),
		Transport: rec})
	if err != nil {
		t.Fatal(err)
	}
	d := tgt.Declaration
	tool := reports.Tool{Name: "chanconf", Version: "(devel)", Revision: "unknown", GoVersion: "go"}
	rep, err := runner.Run(ctx, runner.Options{Pack: pack, Runner: exec, Seed: seed, Tool: tool, Concurrency: 2,
		Target: reports.Target{BaseURL: tgt.BaseURL.String(), ChannelNo: d.ChannelNo, Name: d.Name, Profiles: d.Profiles,
			Reference: tgt.Reference, Faults: tgt.Faults}})
	if err != nil {
		t.Fatal(err)
	}
	bt := ToolFromBuild()
	bt.Version, bt.Revision, bt.GoVersion = tool.Version, tool.Revision, tool.GoVersion
	return Input{Report: rep, Declaration: d, Pack: pack, Tool: bt}, rec, ks
}

// TestBundleHoldsNoSecret scans every file of a real run's bundle for every secret the run
// handled, in the forms a leak would take.
func TestBundleHoldsNoSecret(t *testing.T) {
	in, rec, ks := realRun(t, 11)
	if in.Report.Verdict != reports.Conformant {
		t.Fatalf("the run is %s: %v", in.Report.Verdict, in.Report.Reasons)
	}
	privPEM, _, err := GenerateKey(AlgSM2SM3)
	if err != nil {
		t.Fatal(err)
	}
	key, err := ParseSigningKeyPEM(privPEM)
	if err != nil {
		t.Fatal(err)
	}
	_, lazy := build(t, in, key)
	b := &Bundle{Files: loadAll(t, lazy)}
	secrets, tokens := rec.runSecrets(t, ks)
	secrets = append(secrets, strings.TrimSpace(string(privPEM)), hex.EncodeToString(key.sm2.D.Bytes()))
	t.Logf("scanning %d files for %d secrets (%d tokens)", len(b.Files), len(secrets), tokens)
	if tokens < 2 {
		t.Fatalf("the run handled %d tokens: the scan would prove nothing", tokens)
	}
	// The scan must be able to find a secret: plant one in a copy and expect it found.
	planted := append([]File{{Name: "planted", Data: []byte("x" + secrets[0] + "x")}}, b.Files...)
	if leaks(planted, secrets) == "" {
		t.Fatal("the scan does not find a planted secret")
	}
	if found := leaks(b.Files, secrets); found != "" {
		t.Errorf("secrets in the bundle:\n%s", found)
	}
}

// leaks lists the files holding a secret, also after JSON or HTML escaping.
func leaks(files []File, secrets []string) string {
	var out []string
	for _, f := range files {
		text := string(f.Data)
		for _, s := range secrets {
			for _, form := range []string{s, strings.ReplaceAll(s, "/", `\/`), strings.ReplaceAll(s, "+", `\u002b`),
				strings.ReplaceAll(s, "\n", `\n`)} {
				if strings.Contains(text, form) {
					out = append(out, f.Name+": "+s[:6]+"...")
					break
				}
			}
		}
	}
	return strings.Join(out, "\n")
}

// TestSameSeedSameResults runs the same pack twice with the same seed against the same
// reference-channel configuration: the pack digests and case results must be identical.
func TestSameSeedSameResults(t *testing.T) {
	a, _, _ := realRun(t, 5, "cache-control-missing")
	b, _, _ := realRun(t, 5, "cache-control-missing")
	if a.Report.Pack != b.Report.Pack {
		t.Errorf("pack %+v then %+v", a.Report.Pack, b.Report.Pack)
	}
	results := func(r *reports.Report) string {
		var lines []string
		for _, c := range r.Cases.Sorted() {
			var checks []string
			for _, k := range c.Checks {
				checks = append(checks, k.Name+"="+string(k.Outcome))
			}
			lines = append(lines, c.ID+" "+c.State.String()+" "+c.Message+" "+strings.Join(checks, ","))
		}
		return strings.Join(lines, "\n")
	}
	ra, rb := results(a.Report), results(b.Report)
	if ra != rb {
		t.Errorf("results differ:\n%s\n---\n%s", ra, rb)
	}
	if !strings.Contains(ra, "SEC-HDR-901 FAIL") || a.Report.Seed != 5 || b.Report.Seed != 5 {
		t.Errorf("the fault was not caught or the seed not kept:\n%s", ra)
	}
}
