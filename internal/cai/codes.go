package cai

// Error codes of CAI v1: the `code` of REST error bodies and the `extensions.code` of GraphQL
// errors. One constant per code named in STANDARD.md, so that neither side can misspell one.
const (
	// Section 2: message security.
	CodeSignatureMissing     = "SIGNATURE_MISSING"
	CodeSignatureInvalid     = "SIGNATURE_INVALID"
	CodeTimestampOutOfWindow = "TIMESTAMP_OUT_OF_WINDOW"
	CodeNonceReplayed        = "NONCE_REPLAYED"
	CodeChannelMismatch      = "CHANNEL_MISMATCH"

	// Section 3: tokens.
	CodeTokenInvalid          = "TOKEN_INVALID"
	CodeTokenAudience         = "TOKEN_AUDIENCE"
	CodeTokenExpired          = "TOKEN_EXPIRED"
	CodeTokenNotYetValid      = "TOKEN_NOT_YET_VALID"
	CodeTokenReused           = "TOKEN_REUSED"
	CodeTokenDecryptFailed    = "TOKEN_DECRYPT_FAILED"
	CodeIDNumberInvalid       = "ID_NUMBER_INVALID"
	CodeFaceTokenSubject      = "FACE_TOKEN_SUBJECT"
	CodeFaceTokenRequired     = "FACE_TOKEN_REQUIRED"
	CodeSessionInvalid        = "SESSION_INVALID"
	CodeSessionDeviceMismatch = "SESSION_DEVICE_MISMATCH"
	CodeRateLimited           = "RATE_LIMITED"

	// Section 5: cards.
	CodeRegionUnsupported = "REGION_UNSUPPORTED"
	CodeLevelUnsupported  = "LEVEL_UNSUPPORTED"
	CodeCardNotFound      = "CARD_NOT_FOUND"
	CodeCardStatus        = "CARD_STATUS"

	// Section 6: QR codes.
	CodeQRSuperseded  = "QR_SUPERSEDED"
	CodeQRAlreadyUsed = "QR_ALREADY_USED"
	CodeQRExpired     = "QR_EXPIRED"
	CodeQRInvalid     = "QR_INVALID"

	// Section 7: business functions and authorisation.
	CodeBusinessUnknown       = "BUSINESS_UNKNOWN"
	CodeDeptAuthDenied        = "DEPT_AUTH_DENIED"
	CodePersonalAuthDenied    = "PERSONAL_AUTH_DENIED"
	CodeChannelSuspended      = "CHANNEL_SUSPENDED"
	CodeChannelCancelled      = "CHANNEL_CANCELLED"
	CodeCardLevelInsufficient = "CARD_LEVEL_INSUFFICIENT"

	// Section 8: platform events.
	CodeEventInvalid = "EVENT_INVALID"

	// Section 10: errors and input.
	CodeBadJSON              = "BAD_JSON"
	CodeUnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE"
	CodeBodyTooLarge         = "BODY_TOO_LARGE"
	CodeInvalidRegion        = "INVALID_REGION"
	CodeInvalidEnum          = "INVALID_ENUM"
	CodeInvalidField         = "INVALID_FIELD"
	CodeMethodNotAllowed     = "METHOD_NOT_ALLOWED"
	CodeNotFound             = "NOT_FOUND"

	// Section 12: GraphQL profile.
	CodeGraphQLIntrospection = "GRAPHQL_INTROSPECTION"
	CodeGraphQLDepth         = "GRAPHQL_DEPTH"
	CodeGraphQLAliases       = "GRAPHQL_ALIASES"
	CodeGraphQLBatch         = "GRAPHQL_BATCH"
	CodeGraphQLValidation    = "GRAPHQL_VALIDATION"
	CodeGraphQLDirectives    = "GRAPHQL_DIRECTIVES"
)

// Codes returns every error code of the standard in section order, so that a check can tell
// a code of CAI v1 from a misspelling (the pack's tests compare it with STANDARD.md's table).
func Codes() []string {
	return []string{
		CodeSignatureMissing, CodeSignatureInvalid, CodeTimestampOutOfWindow, CodeNonceReplayed,
		CodeChannelMismatch,
		CodeTokenInvalid, CodeTokenAudience, CodeTokenExpired, CodeTokenNotYetValid, CodeTokenReused,
		CodeTokenDecryptFailed, CodeIDNumberInvalid, CodeFaceTokenSubject, CodeFaceTokenRequired,
		CodeSessionInvalid, CodeSessionDeviceMismatch, CodeRateLimited,
		CodeRegionUnsupported, CodeLevelUnsupported, CodeCardNotFound, CodeCardStatus,
		CodeQRSuperseded, CodeQRAlreadyUsed, CodeQRExpired, CodeQRInvalid,
		CodeBusinessUnknown, CodeDeptAuthDenied, CodePersonalAuthDenied, CodeChannelSuspended,
		CodeChannelCancelled, CodeCardLevelInsufficient,
		CodeEventInvalid,
		CodeBadJSON, CodeUnsupportedMediaType, CodeBodyTooLarge, CodeInvalidRegion, CodeInvalidEnum,
		CodeInvalidField, CodeMethodNotAllowed, CodeNotFound,
		CodeGraphQLIntrospection, CodeGraphQLDepth, CodeGraphQLAliases, CodeGraphQLBatch,
		CodeGraphQLValidation, CodeGraphQLDirectives,
	}
}
