package engine

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"syscall"
)

// errRequestTimeout is the cause of a request's own deadline (Options.RequestTimeout), to tell
// it from the case's deadline or an interruption, which are not the channel's doing.
var errRequestTimeout = errors.New("request timeout")

// ChannelFault is a request the channel did not answer properly at the connection or HTTP
// level (closed, reset, stalled, malformed, oversized headers), after the engine's one retry on
// a fresh connection when a retry applies, while the channel as a whole stayed reachable. It is
// the channel's failure: the step gets a failed "answer" check and the case FAILs. Probes
// receive it from ProbeEnv.Do; returned by a probe it becomes that failed check too.
type ChannelFault struct {
	// Reason is a plain sentence about what the channel did ("the channel closed the connection
	// without answering, twice").
	Reason string
	// Err is the last transport error, for the exchange's evidence.
	Err error
}

// Error implements error.
func (f *ChannelFault) Error() string { return f.Reason }

// Unwrap returns the transport error.
func (f *ChannelFault) Unwrap() error { return f.Err }

// answerFault is what went wrong with one attempt, in words about the channel, and whether a
// retry on a fresh connection could tell a broken connection from a broken channel.
type answerFault struct {
	reason string
	retry  bool
}

// classify turns a transport or body-read error of one attempt into the channel's fault. ok is
// false when the error is not the channel's doing: the case's own deadline or an interruption
// (ctx done), or a request chanconf could not build.
func classify(ctx context.Context, err error, inBody bool) (answerFault, bool) {
	if ctx.Err() != nil && !errors.Is(context.Cause(ctx), errRequestTimeout) {
		return answerFault{}, false
	}
	s := err.Error()
	var unknownAuthority x509Error
	switch {
	case errors.Is(err, errRequestTimeout) || errors.Is(context.Cause(ctx), errRequestTimeout) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded):
		if inBody {
			return answerFault{"the channel did not finish its answer in time", true}, true
		}
		return answerFault{"the channel did not answer in time", true}, true
	case strings.Contains(s, "server response headers exceeded"):
		return answerFault{fmt.Sprintf("the channel's response headers exceed %d bytes (CAI-11.7)", MaxResponseHeaderBytes), false}, true
	case strings.Contains(s, "too many 1xx"):
		return answerFault{"the channel sent too many informational (1xx) answers", false}, true
	case strings.Contains(s, "malformed HTTP") || strings.Contains(s, "invalid header") ||
		strings.Contains(s, "unsupported transfer encoding") || strings.Contains(s, "bad Content-Length") ||
		strings.Contains(s, "invalid Trailer") || strings.Contains(s, "http2: server sent"):
		return answerFault{"the channel's answer is not valid HTTP (" + lastPart(s) + ")", true}, true
	case errors.As(err, &unknownAuthority):
		return answerFault{"the TLS handshake with the channel failed (" + lastPart(s) + ")", true}, true
	case inBody && (errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) || strings.Contains(s, "reset") ||
		strings.Contains(s, "stream error") || strings.Contains(s, "unexpected EOF")):
		return answerFault{"the channel cut its answer off", true}, true
	case errors.Is(err, syscall.ECONNREFUSED) || isDNS(err):
		return answerFault{"the channel refused the connection", true}, true
	case isHandshake(err):
		return answerFault{"the TLS handshake with the channel did not complete", true}, true
	}
	if inBody {
		return answerFault{"the channel cut its answer off", true}, true
	}
	return answerFault{"the channel closed the connection without answering", true}, true
}

// x509Error matches certificate verification failures (any of crypto/x509's error types
// implements it through tls.CertificateVerificationError).
type x509Error = *tls.CertificateVerificationError

func isDNS(err error) bool {
	var dns *net.DNSError
	return errors.As(err, &dns)
}

func isHandshake(err error) bool {
	var rec tls.RecordHeaderError
	var alert tls.AlertError
	return errors.As(err, &rec) || errors.As(err, &alert) || strings.Contains(err.Error(), "handshake")
}

// lastPart is the innermost part of a wrapped error text, without the URL the transport
// prefixes: what went wrong, not where.
func lastPart(s string) string {
	if i := strings.LastIndex(s, ": "); i >= 0 && i+2 < len(s) {
		return s[i+2:]
	}
	return s
}
