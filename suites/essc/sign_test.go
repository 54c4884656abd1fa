package essc

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/emmansun/gmsm/sm2"
)

// loopbackVerifier is a minimal channel-side implementation of section 2 built from
// internal/cai. Unlike a channel it evaluates every check and answers the list of failing
// ones, so a test can show a tamper mode breaks exactly one rule.
type loopbackVerifier struct {
	platform  *sm2.PrivateKey
	channelNo string
	now       time.Time
	mu        sync.Mutex
	nonces    map[string]bool
}

func (v *loopbackVerifier) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var failed []string
	ch, ts, nonce, sig := r.Header.Get(cai.HeaderChannelNo), r.Header.Get(cai.HeaderTimestamp),
		r.Header.Get(cai.HeaderNonce), r.Header.Get(cai.HeaderSignature)
	if ch == "" || ts == "" || nonce == "" || sig == "" {
		failed = append(failed, cai.CodeSignatureMissing)
	}
	if ch != "" && ch != v.channelNo {
		failed = append(failed, cai.CodeChannelMismatch)
	}
	if ms, err := strconv.ParseInt(ts, 10, 64); ts != "" && (err != nil || abs(ms-v.now.UnixMilli()) > 300_000) {
		failed = append(failed, cai.CodeTimestampOutOfWindow)
	}
	msg := cai.CanonicalRequest(r.Method, r.URL.RequestURI(), ts, nonce, ch, body)
	sigOK := sig != "" && cai.Verify(&v.platform.PublicKey, cai.PlatformSignerID, msg, sig) == nil
	if sig != "" && !sigOK {
		failed = append(failed, cai.CodeSignatureInvalid)
	}
	v.mu.Lock()
	if nonce != "" && v.nonces[nonce] {
		failed = append(failed, cai.CodeNonceReplayed)
	}
	if sigOK {
		v.nonces[nonce] = true
	}
	v.mu.Unlock()
	w.Write([]byte(strings.Join(failed, ",")))
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func TestSignModes(t *testing.T) {
	p, ks := testPlatform(t)
	c := testCase(t, p)
	v := &loopbackVerifier{platform: ks.Platform, channelNo: p.decl.ChannelNo, now: testNow(), nonces: map[string]bool{}}
	srv := httptest.NewServer(v)
	defer srv.Close()
	send := func(t *testing.T, opt engine.SignOptions) (string, string, http.Header) {
		t.Helper()
		body := []byte(`{"deviceId":"abcdefgh"}`)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/cai/v1/sessions?x=1&y=%20", bytes.NewReader(body))
		nonce, err := c.Sign(req, body, opt)
		if err != nil {
			t.Fatal(err)
		}
		hdr := req.Header.Clone()
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return nonce, string(out), hdr
	}
	first, failed, _ := send(t, engine.SignOptions{})
	if failed != "" || len(first) < 16 {
		t.Fatalf("correctly signed request failed %q (nonce %q)", failed, first)
	}
	tests := []struct {
		opt  engine.SignOptions
		want string
	}{
		{engine.SignOptions{Mode: ModeNone}, cai.CodeSignatureMissing},
		{engine.SignOptions{Mode: ModeDropSignature}, cai.CodeSignatureMissing},
		{engine.SignOptions{Mode: ModeDropTimestamp}, cai.CodeSignatureMissing + "," + cai.CodeSignatureInvalid},
		{engine.SignOptions{Mode: ModeDropNonce}, cai.CodeSignatureMissing + "," + cai.CodeSignatureInvalid},
		{engine.SignOptions{Mode: ModeDropChannel}, cai.CodeSignatureMissing + "," + cai.CodeSignatureInvalid},
		{engine.SignOptions{Mode: ModeCorrupt}, cai.CodeSignatureInvalid},
		{engine.SignOptions{Mode: ModeWrongKey}, cai.CodeSignatureInvalid},
		{engine.SignOptions{Mode: ModeWrongSignerID}, cai.CodeSignatureInvalid},
		{engine.SignOptions{Mode: ModeRawRS}, cai.CodeSignatureInvalid},
		{engine.SignOptions{Mode: ModeTimestampOffset, Offset: -301 * time.Second}, cai.CodeTimestampOutOfWindow},
		{engine.SignOptions{Mode: ModeTimestampOffset, Offset: 301 * time.Second}, cai.CodeTimestampOutOfWindow},
		{engine.SignOptions{Mode: ModeTimestampOffset, Offset: 299 * time.Second}, ""},
		{engine.SignOptions{Mode: ModeReuseNonce, Nonce: first}, cai.CodeNonceReplayed},
		{engine.SignOptions{Mode: ModeWrongChannel}, cai.CodeChannelMismatch},
	}
	tested := map[string]bool{}
	for _, tt := range tests {
		tested[tt.opt.Mode] = true
		t.Run(tt.opt.Mode+tt.opt.Offset.String(), func(t *testing.T) {
			nonce, failed, hdr := send(t, tt.opt)
			if failed != tt.want {
				t.Fatalf("verifier found %q, want exactly %q", failed, tt.want)
			}
			if sent := hdr.Get(cai.HeaderNonce); sent != nonce {
				t.Fatalf("Sign returned nonce %q but sent %q", nonce, sent)
			}
		})
	}
	for _, mode := range specs.SignModes() {
		if !tested[mode] {
			t.Errorf("sign mode %q of the pack grammar has no case here", mode)
		}
	}
}

// TestSignTamperIsPrecise shows each signature tamper mode is exactly the intended mistake: the
// signature verifies once that one mistake is undone.
func TestSignTamperIsPrecise(t *testing.T) {
	p, ks := testPlatform(t)
	c := testCase(t, p)
	sign := func(mode string) (*http.Request, []byte) {
		req, _ := http.NewRequest(http.MethodGet, "https://127.0.0.1/cai/v1/authorizations", nil)
		if _, err := c.Sign(req, nil, engine.SignOptions{Mode: mode}); err != nil {
			t.Fatal(err)
		}
		sig, _ := base64.StdEncoding.DecodeString(req.Header.Get(cai.HeaderSignature))
		return req, sig
	}
	msgOf := func(req *http.Request) []byte {
		h := req.Header
		return cai.CanonicalRequest("GET", "/cai/v1/authorizations", h.Get(cai.HeaderTimestamp), h.Get(cai.HeaderNonce), h.Get(cai.HeaderChannelNo), nil)
	}
	tests := []struct {
		mode string
		fix  func(req *http.Request, sig []byte) error
	}{
		{ModeWrongKey, func(r *http.Request, sig []byte) error {
			return cai.VerifyDER(&ks.Attacker.PublicKey, cai.PlatformSignerID, msgOf(r), sig)
		}},
		{ModeWrongSignerID, func(r *http.Request, sig []byte) error {
			return cai.VerifyDER(&ks.Platform.PublicKey, cai.DefaultSignerID, msgOf(r), sig)
		}},
		{ModeRawRS, func(r *http.Request, sig []byte) error {
			der, err := cai.DERFromRaw(sig)
			if err != nil {
				return err
			}
			return cai.VerifyDER(&ks.Platform.PublicKey, cai.PlatformSignerID, msgOf(r), der)
		}},
		{ModeWrongChannel, func(r *http.Request, sig []byte) error {
			if r.Header.Get(cai.HeaderChannelNo) == p.decl.ChannelNo {
				return errors.New("channel number unchanged")
			}
			return cai.VerifyDER(&ks.Platform.PublicKey, cai.PlatformSignerID, msgOf(r), sig)
		}},
		{ModeCorrupt, func(r *http.Request, sig []byte) error {
			if _, _, ok := cai.ParseDERSignature(sig); !ok {
				return errors.New("corrupt signature is no longer DER")
			}
			if cai.VerifyDER(&ks.Platform.PublicKey, cai.PlatformSignerID, msgOf(r), sig) == nil {
				return errors.New("corrupt signature still verifies")
			}
			return nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			req, sig := sign(tt.mode)
			if err := tt.fix(req, sig); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestSignErrors(t *testing.T) {
	p, _ := testPlatform(t)
	c := testCase(t, p)
	for _, opt := range []engine.SignOptions{{Mode: ModeReuseNonce}, {Mode: "sideways"}} {
		req, _ := http.NewRequest(http.MethodGet, "https://127.0.0.1/x", nil)
		if _, err := c.Sign(req, nil, opt); err == nil {
			t.Errorf("Sign(%+v) accepted", opt)
		}
	}
	req, _ := http.NewRequest(http.MethodGet, "https://127.0.0.1/x", nil)
	req.Header.Set(cai.HeaderSignature, "stale")
	if _, err := c.Sign(req, nil, engine.SignOptions{Mode: ModeNone}); err != nil {
		t.Fatal(err)
	}
	if len(req.Header) != 0 {
		t.Fatalf("mode none left headers %v", req.Header)
	}
}
