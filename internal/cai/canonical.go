package cai

import (
	"net/url"
	"strconv"
	"strings"
)

// CanonicalRequest builds the string a request signature covers (STANDARD.md section 2): the
// upper-case method, the path and raw query exactly as sent, the timestamp, nonce and channel
// number header values, and the lowercase hex SM3 of the raw body, joined by "\n" with no
// trailing newline. Both signer and verifier build it from the same values, so any difference
// in what was sent shows up as a signature that does not verify.
func CanonicalRequest(method, pathAndQuery, timestamp, nonce, channelNo string, body []byte) []byte {
	return []byte(strings.Join([]string{
		strings.ToUpper(method), pathAndQuery, timestamp, nonce, channelNo, SM3Hex(body),
	}, "\n"))
}

// CanonicalResponse builds the string a response signature covers: the decimal status, the
// response timestamp, the nonce of the request it answers ("" when the request had none) and
// the SM3 of the raw body. Including the request nonce binds every response to its request.
func CanonicalResponse(status int, timestamp, requestNonce string, body []byte) []byte {
	return []byte(strings.Join([]string{
		strconv.Itoa(status), timestamp, requestNonce, SM3Hex(body),
	}, "\n"))
}

// PathAndQuery returns the PATH line of the canonical request for u as a Go HTTP client sends
// it: the escaped path plus "?" and the raw query when there is one.
func PathAndQuery(u *url.URL) string {
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return p
}
