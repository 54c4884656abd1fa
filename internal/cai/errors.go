package cai

import (
	"errors"
	"fmt"
)

// Sentinel causes of protocol failures. They are wrapped in an *Error carrying the CAI code, so
// callers can ask both "which code does the standard prescribe" (CodeOf) and "what exactly went
// wrong" (errors.Is with one of these).
var (
	// ErrMalformed: the value does not have the syntax the standard prescribes.
	ErrMalformed = errors.New("malformed")
	// ErrNotBase64: a signature or sealed value is not the prescribed base64 form.
	ErrNotBase64 = errors.New("not valid base64")
	// ErrNotDER: a signature is not ASN.1 DER SEQUENCE{r, s} (for example raw r||s).
	ErrNotDER = errors.New("signature is not ASN.1 DER")
	// ErrBadSignature: a well-formed signature does not verify with the key and signer ID.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrAlg: a token header names an algorithm other than SM2SM3.
	ErrAlg = errors.New("unsupported token algorithm")
	// ErrTyp: a token header has an unexpected typ.
	ErrTyp = errors.New("unexpected token type")
	// ErrDecrypt: sealed personal data does not decrypt and authenticate under the data key.
	ErrDecrypt = errors.New("personal data does not decrypt and authenticate")
)

// Error is a failure of a CAI check together with the error code the standard prescribes for
// it, so that the reference channel can answer with the right code and the harness can name the
// broken rule.
type Error struct {
	// Code is the CAI error code (one of the Code constants).
	Code string
	// Err is the cause; it wraps one of the sentinel errors where one applies.
	Err error
}

// Error implements error as "CODE: cause".
func (e *Error) Error() string {
	if e.Err == nil {
		return e.Code
	}
	return e.Code + ": " + e.Err.Error()
}

// Unwrap returns the cause so errors.Is works with the sentinels.
func (e *Error) Unwrap() error { return e.Err }

// codeErr builds an *Error with a formatted cause.
func codeErr(code string, format string, args ...any) *Error {
	return &Error{Code: code, Err: fmt.Errorf(format, args...)}
}

// CodeOf returns the CAI code of the first *Error in err's chain, or "" when there is none.
func CodeOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
