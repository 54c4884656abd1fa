package essc

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/chanconf/chanconf/internal/cai"
)

// Response-signature problems, distinguished so a failed check says exactly what is wrong.
var (
	// ErrNotSigned marks "the response carries no signature at all", as opposed to a
	// signature that is present but wrong (engine.CaseEnv.VerifyResponse).
	ErrNotSigned = errors.New("response not signed")
	// ErrResponseUnsigned: the response has no X-CAI-Signature; it wraps ErrNotSigned.
	ErrResponseUnsigned = fmt.Errorf("response carries no %s header: %w", cai.HeaderSignature, ErrNotSigned)
	// ErrResponseSignature: the signature does not verify over the canonical response.
	ErrResponseSignature = errors.New("response signature does not verify")
	// ErrNonceNotBound: the signature verifies only over an empty REQUEST_NONCE.
	ErrNonceNotBound = errors.New("signature does not bind the request nonce")
	// ErrDefaultSignerID: the signature verifies only with the SM2 default signer ID.
	ErrDefaultSignerID = errors.New("signature verifies only with the default signer ID")
	// ErrOtherKey: a well-formed signature, with a timestamp, that no known mistake explains
	// (not the default signer ID, not an unbound nonce): the declared certificate's key is not
	// the one the channel signs with (CAI-2.7), or the signed content differs.
	ErrOtherKey = errors.New("no known signing mistake explains it")
)

// VerifyResponse implements engine.CaseEnv: the response must carry X-CAI-Timestamp and
// X-CAI-Signature, the channel's signature (declared certificate key, signer ID = channel
// number) over CanonicalResponse(status, timestamp, nonce, body) (CAI-2.6).
func (c *caseEnv) VerifyResponse(nonce string, status int, header http.Header, body []byte) error {
	return c.p.verifyResponse(nonce, status, header, body)
}

// verifyResponse is VerifyResponse on the platform (no case state needed).
func (p *Platform) verifyResponse(nonce string, status int, header http.Header, body []byte) error {
	sig := header.Get(cai.HeaderSignature)
	ts := header.Get(cai.HeaderTimestamp)
	if sig == "" {
		if ts == "" {
			return fmt.Errorf("%w (nor %s)", ErrResponseUnsigned, cai.HeaderTimestamp)
		}
		return ErrResponseUnsigned
	}
	if ts == "" {
		return fmt.Errorf("%w: response carries %s but no %s", ErrResponseSignature, cai.HeaderSignature, cai.HeaderTimestamp)
	}
	if _, err := strconv.ParseInt(ts, 10, 64); err != nil {
		return fmt.Errorf("%w: %s %q is not unix milliseconds", ErrResponseSignature, cai.HeaderTimestamp, ts)
	}
	ch := p.decl.ChannelNo
	err := cai.Verify(p.channelPub, ch, cai.CanonicalResponse(status, ts, nonce, body), sig)
	if err == nil {
		return nil
	}
	if errors.Is(err, cai.ErrNotBase64) || errors.Is(err, cai.ErrNotDER) {
		return fmt.Errorf("%w: %v", ErrResponseSignature, err)
	}
	return p.diagnose(nonce, status, ts, body, sig)
}

// diagnose explains a response signature that does not verify: it tries the two known
// mistakes (no nonce binding, default signer ID) so the failure can name them.
func (p *Platform) diagnose(nonce string, status int, ts string, body []byte, sig string) error {
	ch := p.decl.ChannelNo
	withoutNonce := cai.CanonicalResponse(status, ts, "", body)
	with := cai.CanonicalResponse(status, ts, nonce, body)
	switch {
	case nonce != "" && cai.Verify(p.channelPub, ch, withoutNonce, sig) == nil:
		return fmt.Errorf("%w: %w: it verifies over an empty REQUEST_NONCE instead of %q", ErrResponseSignature, ErrNonceNotBound, nonce)
	case cai.Verify(p.channelPub, cai.DefaultSignerID, with, sig) == nil:
		return fmt.Errorf("%w: %w %s, not with the channel number %s", ErrResponseSignature, ErrDefaultSignerID, cai.DefaultSignerID, ch)
	case nonce != "" && cai.Verify(p.channelPub, cai.DefaultSignerID, withoutNonce, sig) == nil:
		return fmt.Errorf("%w: %w and %w", ErrResponseSignature, ErrNonceNotBound, ErrDefaultSignerID)
	}
	return fmt.Errorf("%w with the declared certificate's key and signer ID %s over the canonical response (status %d, timestamp %s, request nonce %q, body SM3 %s; %w)",
		ErrResponseSignature, ch, status, ts, nonce, cai.SM3Hex(body), ErrOtherKey)
}
