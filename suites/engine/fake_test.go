package engine

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"text/template"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"go.yaml.in/yaml/v3"
)

// Secrets the fakes plant; no recorded exchange, check or message may contain them.
const (
	platformSecret = "PLATFORM-PRIVATE-KEY-XYZ"
	sessionSecret  = "SESSION-TOKEN-0123456789"
	leakedSecret   = "CAPTURED-SECRET-abcdef"
)

// fakePlatform signs with readable fake headers and mints readable fake tokens.
type fakePlatform struct {
	probes map[string]Probe
	// extraSecrets are run-wide secrets besides platformSecret (benchmarks plant as many as a
	// real platform's key material gives).
	extraSecrets []string
}

var _ Platform = (*fakePlatform)(nil)

func (fakePlatform) Name() string { return "fake" }
func (fakePlatform) TemplateFuncs() template.FuncMap {
	return template.FuncMap{"token": func(string) string { return "" }, "fail": func() (string, error) { return "", nil }}
}
func (fakePlatform) Declared() map[string]any    { return map[string]any{"channelNo": "1000000001"} }
func (p *fakePlatform) Secrets() []string        { return append([]string{platformSecret}, p.extraSecrets...) }
func (fakePlatform) SensitiveHeaders() []string  { return []string{"x-sig", "Authorization"} }
func (p *fakePlatform) Probes() map[string]Probe { return p.probes }
func (fakePlatform) NewCase(info CaseInfo) (CaseEnv, error) {
	if info.CaseID == "BROKEN-ENV" {
		return nil, errors.New("no personas left")
	}
	return &fakeEnv{caseID: info.CaseID}, nil
}

type fakeEnv struct {
	caseID  string
	mu      sync.Mutex
	n       int
	secrets []string
}

var _ CaseEnv = (*fakeEnv)(nil)

func (e *fakeEnv) Personas() map[string]map[string]string {
	return map[string]map[string]string{
		"alice": {"device": "dev-alice-1", "idNo": "110101199003077777", "name": "Alice"},
		"bob":   {"device": "dev-bob-1", "idNo": "110101199003078888", "name": "Bob"},
	}
}

func (e *fakeEnv) Funcs() template.FuncMap {
	return template.FuncMap{
		"token": func(p string) string {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.n++
			t := fmt.Sprintf("TOKEN-%s-%s-%d", p, e.caseID, e.n)
			e.secrets = append(e.secrets, t)
			return t
		},
		"fail": func() (string, error) { return "", errors.New("token minting failed") },
	}
}

func (e *fakeEnv) Sign(req *http.Request, body []byte, opt SignOptions) (string, error) {
	e.mu.Lock()
	e.n++
	nonce := fmt.Sprintf("nonce-%s-%d", e.caseID, e.n)
	e.mu.Unlock()
	if opt.Nonce != "" {
		nonce = opt.Nonce
	}
	req.Header.Set("X-Sig-Nonce", nonce)
	req.Header.Set("X-Sig", fmt.Sprintf("SIG:%s %s %d", req.Method, req.URL.RequestURI(), len(body)))
	switch opt.Mode {
	case "corrupt":
		req.Header.Set("X-Sig", "SIG:corrupt")
	case "drop-signature":
		req.Header.Del("X-Sig")
	}
	return nonce, nil
}

func (e *fakeEnv) VerifyResponse(nonce string, status int, header http.Header, body []byte) error {
	got := header.Get("X-Resp-Sig")
	if got == "" {
		return errors.New("the response is not signed")
	}
	if want := fmt.Sprintf("RSIG:%d:%s", status, nonce); got != want {
		return fmt.Errorf("the response signature does not verify for nonce %q", nonce)
	}
	return nil
}

func (e *fakeEnv) Mask(kind, persona string) (string, error) {
	p, ok := e.Personas()[persona]
	if !ok || kind != "idNo" {
		return "", fmt.Errorf("cannot mask %s of %s", kind, persona)
	}
	return p["idNo"][:3] + "***********" + p["idNo"][14:], nil
}

func (e *fakeEnv) Secrets() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string{sessionSecret}, e.secrets...)
}

// stub is the loopback channel the tests run against.
type stub struct {
	srv      *httptest.Server
	requests atomic.Int64
	counter  atomic.Int64
}

func newStub(t testing.TB) *stub {
	s := &stub{}
	s.srv = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	s.srv.Config.ErrorLog = log.New(io.Discard, "", 0) // TLS trust failures are provoked on purpose
	s.srv.StartTLS()
	t.Cleanup(s.srv.Close)
	return s
}

func (s *stub) baseURL() *url.URL {
	u, _ := url.Parse(s.srv.URL + "/api")
	return u
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *stub) serve(w http.ResponseWriter, r *http.Request) {
	s.requests.Add(1)
	body, _ := io.ReadAll(r.Body)
	if r.Header.Get("X-Break-Sig") == "" {
		w.Header().Set("X-Resp-Sig", fmt.Sprintf("RSIG:%d:%s", s.statusFor(r), r.Header.Get("X-Sig-Nonce")))
	}
	path := strings.TrimPrefix(r.URL.Path, "/api")
	switch {
	case path == "/health":
		w.Header().Del("X-Resp-Sig")
		writeJSON(w, 200, map[string]string{"status": "UP"})
	case path == "/things" && r.Method == http.MethodPost:
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		if r.Header.Get("X-Drop-Id") == "" {
			w.Header().Set("X-Request-Id", "req-1")
		}
		w.Header().Set("X-Leak", leakedSecret)
		writeJSON(w, 201, map[string]any{"id": "t-1", "name": in["name"], "count": 1, "token": leakedSecret})
	case strings.HasPrefix(path, "/things/"):
		s.thing(w, strings.TrimPrefix(path, "/things/"))
	case strings.HasPrefix(path, "/echo/") || path == "/raw" || path == "/graphql" && r.Header.Get("X-Echo") != "":
		hs := map[string]string{}
		for k := range r.Header {
			hs[k] = r.Header.Get(k)
		}
		writeJSON(w, 200, map[string]any{"method": r.Method, "uri": r.RequestURI, "headers": hs, "body": string(body)})
	case path == "/graphql":
		s.graphql(w, body)
	case path == "/plain":
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, "Bad Request\n")
	case path == "/redirect":
		w.Header().Set("Location", "/elsewhere")
		w.WriteHeader(http.StatusFound)
	case path == "/big":
		writeJSON(w, 200, map[string]string{"pad": strings.Repeat("x", 4096)})
	case path == "/slow":
		<-r.Context().Done()
	case path == "/counter":
		if s.counter.Add(1) > 2 {
			writeJSON(w, 429, map[string]string{"code": "RATE_LIMITED", "message": "slow down"})
			return
		}
		writeJSON(w, 200, map[string]string{"ok": "yes"})
	default:
		writeJSON(w, 404, map[string]string{"code": "NOT_FOUND", "message": "no route"})
	}
}

// statusFor predicts the status the handler answers, so that the fake response signature
// covers it (the real channel signs after deciding).
func (s *stub) statusFor(r *http.Request) int {
	path := strings.TrimPrefix(r.URL.Path, "/api")
	switch {
	case path == "/things" && r.Method == http.MethodPost:
		return 201
	case strings.HasPrefix(path, "/things/"):
		return thingStatus(strings.TrimPrefix(path, "/things/"))
	case path == "/redirect":
		return 302
	}
	return 200
}

func thingStatus(id string) int {
	switch id {
	case "missing", "other":
		return 404
	case "forbidden":
		return 403
	case "accepted":
		return 202
	}
	return 200
}

func (s *stub) thing(w http.ResponseWriter, id string) {
	switch status := thingStatus(id); status {
	case 404, 403:
		writeJSON(w, status, map[string]string{"code": "NOT_FOUND", "message": "no such thing",
			"requestId": fmt.Sprintf("r-%d", s.requests.Load())})
	case 202:
		writeJSON(w, 202, map[string]string{"id": id})
	default:
		w.Header().Set("X-Request-Id", "req-"+id)
		w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		writeJSON(w, 200, map[string]any{"id": id, "name": "Ann", "count": 200, "code": "200",
			"tags": []string{"a", "b"}, "meta": map[string]string{"k": "v"}, "ratio": 1.5, "flag": true,
			"none": nil, "idNoMasked": "110***********7777"})
	}
}

func (s *stub) graphql(w http.ResponseWriter, body []byte) {
	var req struct {
		Query     string         `json:"query"`
		Variables map[string]any `json:"variables"`
	}
	_ = json.Unmarshal(body, &req)
	switch req.Variables["id"] {
	case "bad":
		writeJSON(w, 200, map[string]any{"data": map[string]any{"thing": map[string]any{"id": "x", "name": nil, "count": "many"}}})
	case "err":
		writeJSON(w, 200, map[string]any{"errors": []any{map[string]any{"message": "no", "extensions": map[string]any{"code": "NOT_FOUND"}}}, "data": map[string]any{"thing": nil}})
	default:
		writeJSON(w, 200, map[string]any{"data": map[string]any{"thing": map[string]any{"id": req.Variables["id"], "name": "Ann", "count": 3}}})
	}
}

// testPack builds the pack the tests run, with the contracts of testdata/.
func testPack(t testing.TB, cases ...specs.Case) *specs.Pack {
	t.Helper()
	oas, err := os.ReadFile("testdata/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sdl, err := os.ReadFile("testdata/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	return &specs.Pack{
		Root: "testdata",
		Manifest: specs.Manifest{
			Name: "engine-test", Platform: "fake", Profiles: []string{"rest", "graphql"},
			Contracts:      specs.Contracts{GraphQLPath: "/graphql"},
			Unsigned:       []string{"getHealth", "headHealth"},
			ErrorCode:      "$.code",
			SessionHeaders: map[string]string{"Authorization": "Bearer {{ .session }}", "X-Device": "{{ .persona.device }}"},
		},
		Cases:   cases,
		OpenAPI: oas,
		GraphQL: sdl,
	}
}

// newExec builds an executor against the stub, trusting its certificate.
func newExec(t testing.TB, s *stub, mod ...func(*Options)) *Executor {
	t.Helper()
	opts := Options{
		Pack:      testPack(t),
		Platform:  &fakePlatform{},
		BaseURL:   s.baseURL(),
		TLS:       &tls.Config{RootCAs: s.srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs},
		Profiles:  []string{"rest", "graphql"},
		RunID:     "run-1",
		Transport: s.srv.Client().Transport,
	}
	for _, m := range mod {
		m(&opts)
	}
	e, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return e
}

// val builds a typed pack value from YAML, the way the loader does.
func val(t testing.TB, src string) *specs.Value {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(src), &n); err != nil {
		t.Fatal(err)
	}
	return nodeValue(n.Content[0])
}

func nodeValue(n *yaml.Node) *specs.Value {
	switch n.Kind {
	case yaml.MappingNode:
		v := &specs.Value{Kind: specs.KindMap}
		for i := 0; i+1 < len(n.Content); i += 2 {
			v.Map = append(v.Map, specs.KeyValue{Key: n.Content[i].Value, Value: nodeValue(n.Content[i+1])})
		}
		return v
	case yaml.SequenceNode:
		v := &specs.Value{Kind: specs.KindList}
		for _, c := range n.Content {
			v.List = append(v.List, nodeValue(c))
		}
		return v
	}
	switch n.ShortTag() {
	case "!!null":
		return &specs.Value{Kind: specs.KindNull}
	case "!!bool":
		return &specs.Value{Kind: specs.KindBool, Str: n.Value}
	case "!!int", "!!float":
		return &specs.Value{Kind: specs.KindNumber, Str: n.Value}
	}
	return &specs.Value{Kind: specs.KindString, Str: n.Value}
}

// oneCase wraps steps in a MUST case of the rest profile.
func oneCase(id string, steps ...specs.Step) *specs.Case {
	return &specs.Case{ID: id, Title: id, Level: specs.MUST, Profile: "rest", Clauses: []string{"T-1.1"},
		Personas: []string{"alice", "bob"}, Steps: steps}
}

func call(op string) *specs.Call { return &specs.Call{Operation: op} }

func run(t testing.TB, e *Executor, c *specs.Case) CaseOutcome {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	return e.Run(ctx, c)
}

// checksNamed returns the outcome's checks of one name.
func checksNamed(o CaseOutcome, name string) []reports.Check {
	var out []reports.Check
	for _, c := range o.Checks {
		if c.Name == name {
			out = append(out, c)
		}
	}
	return out
}

func dump(o CaseOutcome) string {
	b, _ := json.MarshalIndent(o, "", "  ")
	return string(b)
}
