package essc

import (
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/emmansun/gmsm/sm2"
)

func TestVerifyResponse(t *testing.T) {
	p, ks := testPlatform(t)
	c := testCase(t, p)
	const nonce = "nonce-0123456789abcdef"
	body := []byte(`{"code":"CARD_NOT_FOUND"}`)
	ts := strconv.FormatInt(testNow().UnixMilli(), 10)
	signed := func(key *sm2.PrivateKey, id, nonce string, status int, body []byte) http.Header {
		sig, err := cai.Sign(key, id, cai.CanonicalResponse(status, ts, nonce, body))
		if err != nil {
			t.Fatal(err)
		}
		h := http.Header{}
		h.Set(cai.HeaderTimestamp, ts)
		h.Set(cai.HeaderSignature, sig)
		return h
	}
	ch := p.decl.ChannelNo
	rawRS := func() http.Header {
		h := signed(ks.Channel, ch, nonce, 404, body)
		der, _ := base64.StdEncoding.DecodeString(h.Get(cai.HeaderSignature))
		raw, _ := cai.RawSignature(der)
		h.Set(cai.HeaderSignature, base64.StdEncoding.EncodeToString(raw))
		return h
	}()
	noTS := signed(ks.Channel, ch, nonce, 404, body)
	noTS.Del(cai.HeaderTimestamp)
	tests := []struct {
		name    string
		header  http.Header
		status  int
		body    []byte
		wantErr error
		wantMsg string
	}{
		{"valid", signed(ks.Channel, ch, nonce, 404, body), 404, body, nil, ""},
		{"unsigned", http.Header{}, 404, body, ErrNotSigned, "carries no X-CAI-Signature"},
		{"no timestamp", noTS, 404, body, ErrResponseSignature, "no X-CAI-Timestamp"},
		{"nonce not bound", signed(ks.Channel, ch, "", 404, body), 404, body, ErrNonceNotBound, "signature does not bind the request nonce"},
		{"default signer ID", signed(ks.Channel, cai.DefaultSignerID, nonce, 404, body), 404, body, ErrDefaultSignerID, "verifies only with the default signer ID"},
		{"other key", signed(ks.Attacker, ch, nonce, 404, body), 404, body, ErrResponseSignature, "does not verify with the declared certificate's key"},
		{"other status", signed(ks.Channel, ch, nonce, 404, body), 200, body, ErrResponseSignature, "status 200"},
		{"other body", signed(ks.Channel, ch, nonce, 404, body), 404, []byte("{}"), ErrResponseSignature, "body SM3"},
		{"raw r||s", rawRS, 404, body, ErrResponseSignature, "not ASN.1 DER"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.VerifyResponse(nonce, tt.status, tt.header, tt.body)
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if !errors.Is(err, tt.wantErr) || !strings.Contains(err.Error(), tt.wantMsg) {
				t.Fatalf("error %v, want %v containing %q", err, tt.wantErr, tt.wantMsg)
			}
			if tt.wantErr != ErrNotSigned && errors.Is(err, ErrNotSigned) {
				t.Fatalf("a present but bad signature reported as absent: %v", err)
			}
		})
	}
	// A request sent without a nonce is answered over an empty REQUEST_NONCE.
	if err := c.VerifyResponse("", 401, signed(ks.Channel, ch, "", 401, body), body); err != nil {
		t.Fatalf("response to a nonce-less request: %v", err)
	}
}
