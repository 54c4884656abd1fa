// Package cai holds the primitives of the e-SSC Channel Access Interface v1 (CAI v1,
// specs/essc/v1/STANDARD.md) that both sides of a conformance run need: the reference channel
// uses them to serve the protocol and the harness uses them to sign requests, mint tokens and
// check what the candidate channel answers. Keeping one implementation on both sides means a
// disagreement between harness and reference channel is a bug in exactly one place.
//
// The package covers SM2-with-SM3 signatures (signer IDs, DER, base64), the canonical request
// and response strings, SM4-GCM sealing of personal data, real-name and face tokens, QR codes,
// GB 11643 ID numbers, the masks of section 9, the channel declaration file and the error codes.
package cai

// Header names of the message-security layer (STANDARD.md section 2) and of sessions (section 4).
const (
	// HeaderChannelNo carries the channel's 10-digit number on every signed request.
	HeaderChannelNo = "X-CAI-Channel-No"
	// HeaderTimestamp carries unix milliseconds on signed requests and on responses.
	HeaderTimestamp = "X-CAI-Timestamp"
	// HeaderNonce carries the request nonce that the response signature binds.
	HeaderNonce = "X-CAI-Nonce"
	// HeaderSignature carries base64(DER) SM2-SM3 signatures on requests and responses.
	HeaderSignature = "X-CAI-Signature"
	// HeaderDeviceID binds a citizen session to one device.
	HeaderDeviceID = "X-CAI-Device-Id"
)

// Signer IDs that enter Z_A of SM2 signatures: a signature made with one ID does not verify
// with another, which is what the signer-ID clauses test.
const (
	// PlatformSignerID is the signer ID of the platform gateway that signs requests.
	PlatformSignerID = "NSSCSP-GATEWAY"
	// DefaultSignerID is the SM2 default user ID, used by the verifier for tokens.
	DefaultSignerID = "1234567812345678"
)

// Token header values (STANDARD.md section 3).
const (
	// AlgSM2SM3 is the only acceptable token alg.
	AlgSM2SM3 = "SM2SM3"
	// TypRealName is the typ of real-name tokens.
	TypRealName = "CAI-RN"
	// TypFace is the typ of face tokens.
	TypFace = "CAI-FACE"
	// VerifierIssuer is the iss of tokens issued by the verifier.
	VerifierIssuer = "cai-verifier"
)

// Limits fixed by the standard that both sides need.
const (
	// MaxRealNameLifetimeSeconds bounds exp-iat of a real-name token (CAI-3.3).
	MaxRealNameLifetimeSeconds = 300
	// MaxFaceLifetimeSeconds bounds exp-iat of a face token (CAI-3.3).
	MaxFaceLifetimeSeconds = 120
	// MaxFutureIatSeconds is how far iat may lie in the future (CAI-3.3).
	MaxFutureIatSeconds = 60
	// TimestampWindowSeconds is the accepted clock skew of signed requests (CAI-2.3).
	TimestampWindowSeconds = 300
	// NonceMemorySeconds is how long accepted nonces are remembered (CAI-2.4).
	NonceMemorySeconds = 600
	// MaxQRLifetimeMillis bounds exp-iat of a QR code (CAI-6.2).
	MaxQRLifetimeMillis = 60000
	// MaxBodyBytes is the largest accepted request body (CAI-10.4).
	MaxBodyBytes = 65536
)
