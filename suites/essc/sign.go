package essc

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/engine"
)

// Sign modes of specs.SignSpec.Mode (the pack grammar, specs.SignModes, lists them all). Each
// breaks exactly one rule of section 2.
const (
	ModeNone            = "none"             // no signing headers at all (CAI-2.1)
	ModeDropSignature   = "drop-signature"   // X-CAI-Signature missing (CAI-2.1)
	ModeDropTimestamp   = "drop-timestamp"   // X-CAI-Timestamp missing (CAI-2.1)
	ModeDropNonce       = "drop-nonce"       // X-CAI-Nonce missing (CAI-2.1)
	ModeDropChannel     = "drop-channel"     // X-CAI-Channel-No missing (CAI-2.1)
	ModeCorrupt         = "corrupt"          // DER signature with flipped bits (CAI-2.2)
	ModeWrongKey        = "wrong-key"        // signed by the attacker key (CAI-2.2)
	ModeWrongSignerID   = "wrong-signer-id"  // signed with the default signer ID (CAI-2.2)
	ModeRawRS           = "raw-rs"           // valid signature as raw r||s (CAI-2.2)
	ModeTimestampOffset = "timestamp-offset" // timestamp shifted by Offset (CAI-2.3)
	ModeReuseNonce      = "reuse-nonce"      // Nonce of an earlier request (CAI-2.4)
	ModeWrongChannel    = "wrong-channel"    // another channel number, validly signed (CAI-2.5)
)

// nonceAlphabet is the nonce character set of the standard ([A-Za-z0-9_-]).
const nonceAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"

// newNonce returns 32 random nonce characters.
func newNonce() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("nonce: %w", err)
	}
	for i := range b {
		b[i] = nonceAlphabet[int(b[i])%len(nonceAlphabet)]
	}
	return string(b), nil
}

// Sign implements engine.CaseEnv: it sets the four signing headers on req for body, as the
// platform gateway (key and signer ID NSSCSP-GATEWAY), or breaks them as opt.Mode says. It
// returns the nonce sent ("" when none was sent).
func (c *caseEnv) Sign(req *http.Request, body []byte, opt engine.SignOptions) (string, error) {
	return c.p.sign(req, body, opt)
}

// sign is Sign; it lives on the Platform because it needs no case state.
func (p *Platform) sign(req *http.Request, body []byte, opt engine.SignOptions) (string, error) {
	for _, h := range []string{cai.HeaderChannelNo, cai.HeaderTimestamp, cai.HeaderNonce, cai.HeaderSignature} {
		req.Header.Del(h)
	}
	if opt.Mode == ModeNone {
		return "", nil
	}
	now := opt.Now
	if now.IsZero() {
		now = p.now()
	}
	if opt.Mode == ModeTimestampOffset {
		now = now.Add(opt.Offset)
	}
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	nonce, err := p.nonceFor(opt)
	if err != nil {
		return "", err
	}
	channel := p.decl.ChannelNo
	if opt.Mode == ModeWrongChannel {
		channel = OtherChannelNo(channel)
	}
	msg := cai.CanonicalRequest(req.Method, cai.PathAndQuery(req.URL), ts, nonce, channel, body)
	sig, err := p.requestSignature(opt.Mode, msg)
	if err != nil {
		return "", fmt.Errorf("sign %s %s: %w", req.Method, req.URL.Path, err)
	}
	req.Header.Set(cai.HeaderChannelNo, channel)
	req.Header.Set(cai.HeaderTimestamp, ts)
	req.Header.Set(cai.HeaderNonce, nonce)
	req.Header.Set(cai.HeaderSignature, sig)
	switch opt.Mode {
	case ModeDropSignature:
		req.Header.Del(cai.HeaderSignature)
	case ModeDropTimestamp:
		req.Header.Del(cai.HeaderTimestamp)
	case ModeDropNonce:
		req.Header.Del(cai.HeaderNonce)
		return "", nil
	case ModeDropChannel:
		req.Header.Del(cai.HeaderChannelNo)
	}
	return nonce, nil
}

// nonceFor returns the nonce for opt: the given one for reuse-nonce, else a fresh one.
func (p *Platform) nonceFor(opt engine.SignOptions) (string, error) {
	switch {
	case opt.Mode == ModeReuseNonce && opt.Nonce == "":
		return "", errors.New("sign mode reuse-nonce needs the nonce of an earlier step")
	case opt.Mode == ModeReuseNonce:
		return opt.Nonce, nil
	case opt.Mode != "" && !isSignMode(opt.Mode):
		return "", fmt.Errorf("unknown sign mode %q (known: %v)", opt.Mode, specs.SignModes())
	}
	return newNonce()
}

// isSignMode reports whether m is a sign mode of the pack grammar.
func isSignMode(m string) bool { return slices.Contains(specs.SignModes(), m) }

// requestSignature returns the X-CAI-Signature value for msg under mode.
func (p *Platform) requestSignature(mode string, msg []byte) (string, error) {
	key, id := p.keys.Platform, cai.PlatformSignerID
	switch mode {
	case ModeWrongKey:
		key = p.keys.Attacker
	case ModeWrongSignerID:
		id = cai.DefaultSignerID
	}
	der, err := cai.SignDER(key, id, msg)
	if err != nil {
		return "", err
	}
	switch mode {
	case ModeCorrupt:
		// Flip bits in the last byte of s: still DER, no longer a valid signature.
		der[len(der)-1] ^= 0x5A
	case ModeRawRS:
		if der, err = cai.RawSignature(der); err != nil {
			return "", err
		}
	}
	return base64.StdEncoding.EncodeToString(der), nil
}
