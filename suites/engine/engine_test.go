package engine

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

func TestNewRejectsBadOptions(t *testing.T) {
	s := newStub(t)
	tests := []struct {
		name string
		mod  func(*Options)
		want string
	}{
		{"missing", func(o *Options) { o.Pack, o.Platform, o.BaseURL = nil, nil, nil }, "Pack, Platform, BaseURL"},
		{"platform mismatch", func(o *Options) { o.Pack.Manifest.Platform = "essc" }, `for platform "essc", not "fake"`},
		{"broken contract", func(o *Options) { o.Pack.OpenAPI = []byte("openapi: 3.0.3\npaths: 1\n") }, "OpenAPI"},
		{"broken schema", func(o *Options) { o.Pack.GraphQL = []byte("type Query { x: Nope }") }, "GraphQL"},
		{"bad errorCode", func(o *Options) { o.Pack.Manifest.ErrorCode = "$[" }, "errorCode"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Pack: testPack(t), Platform: &fakePlatform{}, BaseURL: s.baseURL()}
			tt.mod(&opts)
			_, err := New(opts)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestRequestBuilding(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	c := oneCase("REQ-001",
		specs.Step{Name: "create", Call: &specs.Call{Operation: "createThing", Body: val(t, `{name: "{{ .p.alice.name }}"}`), Headers: bearer()},
			As:      "alice",
			Capture: []specs.Capture{{Var: "id", Path: "$.id"}}},
		specs.Step{Name: "call", As: "alice", Call: &specs.Call{Operation: "echo",
			PathParams: map[string]string{"seg": "a b/{{ .v.id }}"},
			Query:      map[string]string{"q": "x y", "n": "7"},
			Headers:    map[string]string{"X-Extra": "{{ .d.channelNo }}"},
			Body:       val(t, `{n: 1, s: "{{ .p.alice.device }}", b: true, z: null, l: [1.5, "x", {k: "200"}], str: "200"}`)},
			Expect: specs.Expect{Status: []int{200}, JSON: []specs.Assert{
				{Path: "$.method", Op: "equals", Value: val(t, "POST")},
				{Path: "$.uri", Op: "equals", Value: val(t, `"/api/echo/a%20b%2Ft-1?n=7&q=x+y"`)},
				{Path: "$.body", Op: "equals", Value: val(t, `'{"n":1,"s":"dev-alice-1","b":true,"z":null,"l":[1.5,"x",{"k":"200"}],"str":"200"}'`)},
				{Path: "$.headers['X-Conformance-Run-Id']", Op: "equals", Value: val(t, "run-1")},
				{Path: "$.headers['X-Conformance-Case-Id']", Op: "equals", Value: val(t, "REQ-001")},
				{Path: "$.headers['X-Device']", Op: "equals", Value: val(t, "dev-alice-1")},
				{Path: "$.headers['X-Extra']", Op: "equals", Value: val(t, `"1000000001"`)},
				{Path: "$.headers['Content-Type']", Op: "equals", Value: val(t, "application/json")},
				{Path: "$.headers['X-Sig']", Op: "matches", Value: val(t, `"^SIG:POST /api/echo/a%20b%2Ft-1\\?n=7&q=x\\+y [0-9]+$"`)},
			}}},
		specs.Step{Name: "raw body", Call: &specs.Call{Operation: "echo", PathParams: map[string]string{"seg": "s"},
			RawBody: "hello {{ .run }}", ContentType: "text/plain"},
			Expect: specs.Expect{JSON: []specs.Assert{
				{Path: "$.body", Op: "equals", Value: val(t, "hello run-1")},
				{Path: "$.headers['Content-Type']", Op: "equals", Value: val(t, "text/plain")},
			}}},
		specs.Step{Name: "graphql", GraphQL: &specs.GraphQLCall{
			Document:      "query Q($id: ID!) { thing(id: $id) { id name count } }",
			OperationName: "Q", Variables: val(t, `{id: "{{ .v.id }}"}`), Headers: map[string]string{"X-Echo": "1"}},
			Expect: specs.Expect{Contract: boolPtr(false), JSON: []specs.Assert{
				{Path: "$.method", Op: "equals", Value: val(t, "POST")},
				{Path: "$.uri", Op: "equals", Value: val(t, "/api/graphql")},
				{Path: "$.body", Op: "equals", Value: val(t, `'{"query":"query Q($id: ID!) { thing(id: $id) { id name count } }","operationName":"Q","variables":{"id":"t-1"}}'`)},
			}}},
		specs.Step{Name: "raw", Sign: &specs.SignSpec{Mode: "none"},
			Raw: &specs.RawCall{Method: "PATCH", Path: "/raw?x={{ .v.id }}", RawBody: "[1,2]", ContentType: "application/json"},
			Expect: specs.Expect{Signature: boolPtr(false), JSON: []specs.Assert{
				{Path: "$.method", Op: "equals", Value: val(t, "PATCH")},
				{Path: "$.uri", Op: "equals", Value: val(t, "/api/raw?x=t-1")},
				{Path: "$.body", Op: "equals", Value: val(t, `"[1,2]"`)},
				{Path: "$.headers['X-Sig']", Op: "absent"},
			}}},
	)
	o := run(t, e, c)
	if o.State != reports.Pass {
		t.Fatalf("state %s: %s\n%s", o.State, o.Message, dump(o))
	}
	if want := []string{"REQ-001#1.1", "REQ-001#2.1", "REQ-001#3.1", "REQ-001#4.1", "REQ-001#5.1"}; strings.Join(o.Evidence, " ") != strings.Join(want, " ") {
		t.Errorf("evidence %v, want %v", o.Evidence, want)
	}
	xs := e.Exchanges()
	if len(xs) != 5 {
		t.Fatalf("%d exchanges, want 5", len(xs))
	}
	if got := xs[1].Request.URL; got != s.srv.URL+"/api/echo/a%20b%2Ft-1?n=7&q=x+y" {
		t.Errorf("recorded URL %q", got)
	}
	if xs[0].Response.Status != 201 || xs[0].Step != 1 || xs[0].CaseID != "REQ-001" {
		t.Errorf("first exchange %+v", xs[0])
	}
	for _, name := range []string{"contract", "signature", "status", "json"} {
		if len(checksNamed(o, name)) == 0 {
			t.Errorf("no %s check recorded", name)
		}
	}
	if cs := checksNamed(o, "contract"); cs[len(cs)-1].Outcome != reports.NotChecked || !strings.Contains(cs[len(cs)-1].Detail, "raw") {
		t.Errorf("raw step contract check: %+v", cs[len(cs)-1])
	}
}

func boolPtr(b bool) *bool { return &b }

// bearer returns the credential createThing requires (a session secret the redactor knows).
func bearer() map[string]string { return map[string]string{"Authorization": "Bearer " + sessionSecret} }

func TestSkipUndeclaredProfile(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s, func(o *Options) { o.Profiles = []string{"graphql"} })
	o := run(t, e, thingCase("SKIP-1", specs.Expect{}))
	if o.State != reports.Skip || !strings.Contains(o.Message, `profile "rest" not declared`) || o.Checks == nil {
		t.Fatalf("got %s %q", o.State, o.Message)
	}
	if s.requests.Load() != 0 {
		t.Error("a skipped case sent requests")
	}
	c := thingCase("ANY-1", specs.Expect{})
	c.Profile = "any"
	if o := run(t, e, c); o.State != reports.Pass {
		t.Errorf("profile any: %s %s", o.State, o.Message)
	}
}

func TestHeadAndRedirectAreNotChecked(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	c := oneCase("NC-1",
		specs.Step{Name: "head", Call: call("headHealth"), Expect: specs.Expect{Status: []int{200}}},
		specs.Step{Name: "redirect", Call: call("getRedirect"), Expect: specs.Expect{Status: []int{302}}},
		specs.Step{Name: "off", Call: call("getHealth"), Expect: specs.Expect{Contract: boolPtr(false)}},
	)
	o := run(t, e, c)
	if o.State != reports.Pass {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	cs := checksNamed(o, "contract")
	wants := []string{"HEAD", "redirect", "disabled by the case"}
	for i, w := range wants {
		if cs[i].Outcome != reports.NotChecked || !strings.Contains(cs[i].Detail, w) {
			t.Errorf("contract check %d: %+v, want not-checked mentioning %q", i, cs[i], w)
		}
	}
	sig := checksNamed(o, "signature")
	if sig[0].Outcome != reports.NotChecked || !strings.Contains(sig[0].Detail, "unsigned") {
		t.Errorf("unsigned operation signature check: %+v", sig[0])
	}
}

// A body past chanconf's own cap, below the standard's limit, could not be checked whole: the
// case is ERROR (never PASS). Past the standard's limit it is the channel's FAIL under the
// limit's clause (issue 11 finding 2).
func TestTruncatedBody(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s, func(o *Options) { o.MaxBodyBytes = 100 })
	o := run(t, e, oneCase("BIG-1", specs.Step{Name: "big", Call: call("getBig")}))
	if o.State != reports.Error || !strings.Contains(o.Message, "read cap") {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	x := e.Exchanges()[0]
	if !x.Response.Truncated || len(x.Response.Body) != 100 {
		t.Errorf("truncated %v, body %d bytes", x.Response.Truncated, len(x.Response.Body))
	}
	if c := checksNamed(o, "contract")[0]; c.Outcome != reports.NotChecked || !strings.Contains(c.Detail, "truncated") {
		t.Errorf("contract check %+v", c)
	}

	e = newExec(t, s, func(o *Options) {
		o.MaxBodyBytes = 100
		o.Pack.Manifest.ResponseLimit = &specs.ResponseLimit{BodyBytes: 100, Clause: "T-11.7"}
	})
	limited := oneCase("BIG-2", specs.Step{Name: "big", Call: call("getBig")})
	limited.Clauses = []string{"T-11.7"}
	o = run(t, e, limited)
	c := checksNamed(o, "response size")
	if o.State != reports.Fail || len(c) != 1 || c[0].Outcome != reports.Failed || !strings.Contains(c[0].Expected, "T-11.7") {
		t.Fatalf("over the standard's limit: %s %q %+v", o.State, o.Message, c)
	}
	// A case of another clause cannot judge a cut body: not judged, blamed on the limit's clause.
	o = run(t, e, oneCase("BIG-3", specs.Step{Name: "big", Call: call("getBig"), Expect: specs.Expect{Status: []int{200}}}))
	c = checksNamed(o, "response size")
	if o.State != reports.Skip || !strings.Contains(o.Message, "T-11.7") || len(c) != 1 || c[0].Outcome != reports.Observed {
		t.Fatalf("a cut body in a case of another clause: %s %q %+v", o.State, o.Message, c)
	}
}

func TestCapturesAcrossSteps(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	c := oneCase("CAP-1",
		specs.Step{Name: "create", As: "alice", Call: &specs.Call{Operation: "createThing", Body: val(t, "{name: n}"), Headers: bearer()},
			Capture: []specs.Capture{{Var: "id", Path: "$.id"}, {Var: "rid", Header: "x-request-id"}}},
		specs.Step{Name: "read", Call: &specs.Call{Operation: "getThing", PathParams: map[string]string{"thingId": "{{ .v.id }}-{{ .v.rid }}"}},
			Expect: specs.Expect{JSON: []specs.Assert{{Path: "$.id", Op: "equals", Value: val(t, "t-1-req-1")}}}},
	)
	if o := run(t, e, c); o.State != reports.Pass {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	missing := oneCase("CAP-2",
		specs.Step{Name: "read", Call: &specs.Call{Operation: "getThing", PathParams: map[string]string{"thingId": "t-1"}},
			Capture: []specs.Capture{{Var: "x", Path: "$.nothing"}}},
		specs.Step{Name: "never", Call: call("getHealth")})
	o := run(t, e, missing)
	if o.State != reports.Fail || !strings.Contains(o.Message, "capture expected a value at $.nothing (into .v.x), got nothing at $.nothing") {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	if len(o.Evidence) != 1 {
		t.Errorf("the step after a failing one ran: %v", o.Evidence)
	}
	undefined := oneCase("CAP-3", specs.Step{Name: "read", Call: &specs.Call{Operation: "getThing",
		PathParams: map[string]string{"thingId": "{{ .v.nope }}"}}})
	if o := run(t, e, undefined); o.State != reports.Error || !strings.Contains(o.Message, "nope") {
		t.Fatalf("undefined capture: %s: %s", o.State, o.Message)
	}
}

func TestRepeatAndAlways(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	// /counter answers 200 twice, then 429: a step repeated 5 times expecting 200 fails on
	// its third repeat, the next step is skipped, the always step still runs.
	c := oneCase("REP-1",
		specs.Step{Name: "twice", Repeat: 2, Raw: &specs.RawCall{Method: "GET", Path: "/counter"}, Expect: specs.Expect{Status: []int{200}}},
		specs.Step{Name: "again", Repeat: 5, Raw: &specs.RawCall{Method: "GET", Path: "/counter"}, Expect: specs.Expect{Status: []int{200}}},
		specs.Step{Name: "skipped", Call: call("getHealth")},
		specs.Step{Name: "cleanup", Always: true, Call: call("getHealth"), Expect: specs.Expect{Status: []int{200}}},
	)
	o := run(t, e, c)
	if o.State != reports.Fail || !strings.Contains(o.Message, "step 2 (again [1/5]): status expected 200, got 429") {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	want := "REP-1#1.1 REP-1#1.2 REP-1#2.1 REP-1#4.1"
	if got := strings.Join(o.Evidence, " "); got != want {
		t.Errorf("evidence %s, want %s", got, want)
	}
	last := o.Checks[len(o.Checks)-1]
	if last.Step != 4 || last.StepName != "cleanup" {
		t.Errorf("always step checks missing: %+v", last)
	}
}

func TestSigning(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	echo := func(name string, sign *specs.SignSpec, ex specs.Expect) specs.Step {
		return specs.Step{Name: name, Sign: sign, Call: &specs.Call{Operation: "echo", PathParams: map[string]string{"seg": "s"}}, Expect: ex}
	}
	c := oneCase("SIG-1",
		echo("first", nil, specs.Expect{JSON: []specs.Assert{{Path: "$.headers['X-Sig-Nonce']", Op: "equals", Value: val(t, "nonce-SIG-1-1")}}}),
		echo("replay", &specs.SignSpec{Mode: "reuse-nonce", NonceFrom: "first"}, specs.Expect{JSON: []specs.Assert{
			{Path: "$.headers['X-Sig-Nonce']", Op: "equals", Value: val(t, "nonce-SIG-1-1")}}}),
		echo("corrupt", &specs.SignSpec{Mode: "corrupt"}, specs.Expect{JSON: []specs.Assert{
			{Path: "$.headers['X-Sig']", Op: "equals", Value: val(t, "SIG:corrupt")}}}),
		echo("unsigned", &specs.SignSpec{Mode: "none"}, specs.Expect{Signature: boolPtr(false), JSON: []specs.Assert{
			{Path: "$.headers['X-Sig']", Op: "absent"}}}),
	)
	o := run(t, e, c)
	if o.State != reports.Pass {
		t.Fatalf("%s: %s\n%s", o.State, o.Message, dump(o))
	}
	sig := checksNamed(o, "signature")
	if sig[0].Outcome != reports.Passed || sig[3].Outcome != reports.NotChecked || sig[3].Detail != "disabled by the case" {
		t.Errorf("signature checks %+v", sig)
	}
	broken := oneCase("SIG-2", specs.Step{Name: "bad sig", Call: &specs.Call{Operation: "getThing",
		PathParams: map[string]string{"thingId": "t-1"}, Headers: map[string]string{"X-Break-Sig": "1"}}})
	if o := run(t, e, broken); o.State != reports.Fail || !strings.Contains(o.Message, "signature expected a valid response signature, got the response is not signed") {
		t.Errorf("%s: %s", o.State, o.Message)
	}
	noNonce := oneCase("SIG-3", echo("replay", &specs.SignSpec{Mode: "reuse-nonce", NonceFrom: "ghost"}, specs.Expect{}))
	if o := run(t, e, noNonce); o.State != reports.Error || !strings.Contains(o.Message, "pack bug") {
		t.Errorf("%s: %s", o.State, o.Message)
	}
}

func TestRequestContract(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	bad := &specs.Call{Operation: "createThing", Body: val(t, `{name: "", extra: 1}`), Headers: bearer()}
	o := run(t, e, oneCase("RC-1", specs.Step{Name: "bad", As: "alice", Call: bad}))
	if o.State != reports.Error || !strings.Contains(o.Message, "pack bug") || !strings.Contains(o.Message, "createThing") || !strings.Contains(o.Message, "[pack engine-test") {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	if s.requests.Load() != 0 {
		t.Error("a request the contract refuses was sent")
	}
	bad.Invalid = true
	if o := run(t, e, oneCase("RC-2", specs.Step{Name: "bad", As: "alice", Call: bad, Expect: specs.Expect{Status: []int{201}}})); o.State != reports.Pass {
		t.Fatalf("invalid: true: %s: %s", o.State, o.Message)
	}
	// A tampered signature is not a contract problem: it is judged as if signed correctly.
	tampered := oneCase("RC-3", specs.Step{Name: "t", As: "alice", Sign: &specs.SignSpec{Mode: "drop-signature"},
		Call: &specs.Call{Operation: "createThing", Body: val(t, "{name: a}"), Headers: bearer()}})
	if o := run(t, e, tampered); o.State != reports.Pass {
		t.Fatalf("tampered: %s: %s", o.State, o.Message)
	}
}

func TestEnvironmentErrors(t *testing.T) {
	s := newStub(t)
	closed := newStub(t)
	closedURL := closed.baseURL()
	closed.srv.Close()
	tests := []struct {
		name string
		mod  func(*Options)
		c    *specs.Case
		msg  string
	}{
		{"refused", func(o *Options) { o.BaseURL = closedURL }, thingCase("ENV-1", specs.Expect{}), "connect"},
		{"tls trust", func(o *Options) { o.Transport = nil; o.TLS = &tls.Config{} }, thingCase("ENV-2", specs.Expect{}), "certificate"},
		{"platform", nil, func() *specs.Case { c := thingCase("BROKEN-ENV", specs.Expect{}); return c }(), "no personas left"},
		{"template function error", nil, oneCase("ENV-4", specs.Step{Name: "mint", Call: &specs.Call{Operation: "getThing",
			PathParams: map[string]string{"thingId": "{{ fail }}"}}}), "token minting failed"},
		{"unknown probe", nil, oneCase("ENV-5", specs.Step{Name: "p", Probe: &specs.ProbeCall{Name: "ghost"}}), `unknown probe "ghost"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newExec(t, s, func(o *Options) {
				if tt.mod != nil {
					tt.mod(o)
				}
			})
			o := run(t, e, tt.c)
			if o.State != reports.Error || !strings.Contains(o.Message, tt.msg) {
				t.Fatalf("got %s %q, want ERROR mentioning %q", o.State, o.Message, tt.msg)
			}
		})
	}
	e := newExec(t, s, func(o *Options) { o.BaseURL = closedURL })
	run(t, e, thingCase("ENV-6", specs.Expect{}))
	if xs := e.Exchanges(); len(xs) != 2 || xs[0].Error == "" || xs[1].Error == "" || xs[1].ID != xs[0].ID+"-retry" {
		t.Errorf("both failed attempts must be recorded with their error: %+v", xs)
	}
}

func TestCancellationStopsPromptly(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s, func(o *Options) { o.RequestTimeout = time.Minute })
	c := oneCase("CANCEL-1",
		specs.Step{Name: "slow", Call: call("getSlow")},
		specs.Step{Name: "wait", Wait: specs.Duration(time.Hour), Always: true, Call: call("getHealth")})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan CaseOutcome, 1)
	go func() { done <- e.Run(ctx, c) }()
	for deadline := time.Now().Add(10 * time.Second); s.requests.Load() == 0; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the slow request never reached the stub")
		}
	}
	cancel()
	select {
	case o := <-done:
		if o.State != reports.Error || !strings.Contains(o.Message, "canceled") {
			t.Fatalf("%s: %s", o.State, o.Message)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after its context was cancelled")
	}
}

func TestRedaction(t *testing.T) {
	s := newStub(t)
	e := newExec(t, s)
	c := oneCase("RED-1",
		specs.Step{Name: "create", As: "alice",
			Call: &specs.Call{Operation: "createThing", Body: val(t, `{name: "{{ token \"alice\" }}", token: "`+platformSecret+`"}`), Headers: bearer()},
			Expect: specs.Expect{JSON: []specs.Assert{
				{Path: "$.token", Op: "equals", Value: val(t, "something else")},
				{Path: "$.name", Op: "equals", Value: val(t, "x")},
			}},
			Capture: []specs.Capture{{Var: "leak", Path: "$.token", Secret: true}, {Var: "session.alice", Header: "X-Leak"}}},
		specs.Step{Name: "use", Always: true, As: "alice", Raw: &specs.RawCall{Method: "GET", Path: "/raw?t={{ .v.leak }}",
			Headers: map[string]string{"X-Token": "{{ .v.leak }}"}}},
	)
	o := run(t, e, c)
	if o.State != reports.Fail {
		t.Fatalf("%s: %s", o.State, o.Message)
	}
	xs := e.Exchanges()
	if len(xs) != 2 {
		t.Fatalf("%d exchanges", len(xs))
	}
	recorded, _ := json.Marshal(xs)
	outcome, _ := json.Marshal(o)
	for _, secret := range []string{platformSecret, leakedSecret, url.QueryEscape(leakedSecret), "TOKEN-alice-RED-1", sessionSecret} {
		if strings.Contains(string(recorded), secret) {
			t.Errorf("an exchange contains secret %q", secret)
		}
		if strings.Contains(string(outcome), secret) {
			t.Errorf("the outcome contains secret %q", secret)
		}
	}
	if !strings.Contains(string(recorded), `"name":"X-Sig","value":"[REDACTED]"`) {
		t.Error("the sensitive header X-Sig is not redacted")
	}
	if !strings.Contains(o.Message, Redacted) {
		t.Errorf("message %q should show the redaction marker", o.Message)
	}
	if !strings.Contains(string(recorded), "X-Leak") || !strings.Contains(string(recorded), "/api/raw?t=") {
		t.Error("redaction removed more than the secrets")
	}
}
