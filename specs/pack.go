// Package specs holds the model of a spec pack (the unified test specification as data), the code
// that loads it from YAML with source positions, and the linter that checks it.
//
// A pack is a manifest (pack.yaml) naming its contract files, its clause catalogue and its case
// files, plus the case files themselves. Loading never executes anything: templates, JSONPaths and
// probe parameters are parsed and checked here so that a broken pack is refused before a run, with
// file:line:col and the case ID of every problem.
package specs

import (
	"time"

	"go.yaml.in/yaml/v3"
)

// Level is the strength of a clause or a case: a failed MUST case fails the run, a failed SHOULD
// case only warns.
type Level string

// The two levels a clause or case can have.
const (
	MUST   Level = "MUST"
	SHOULD Level = "SHOULD"
)

// Suite names the access test a clause or case belongs to: the functional access test or the
// security access test.
type Suite string

// The two suites of the unified specification.
const (
	Functional Suite = "functional"
	Security   Suite = "security"
)

// Pos is a position in a pack file, kept from the YAML node at decode time so that every error and
// every failure can point at the line the pack author wrote.
type Pos struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Col  int    `json:"col"`
}

// Pack is a loaded, linted spec pack.
type Pack struct {
	// Root is where the pack came from ("embedded:essc/v1" or a directory), for messages.
	Root string
	// Manifest is pack.yaml.
	Manifest Manifest
	// Cases are all cases of all case files, in file order then document order.
	Cases []Case
	// Files lists every file of the pack with its SHA-256, sorted by path; the approval of a pack
	// version (certification) is about exactly these bytes.
	Files []FileDigest
	// SHA256 is the digest of the pack: SHA-256 over the lines "<sha256>  <path>\n" of Files.
	SHA256 string
	// OpenAPI is the raw bytes of the OpenAPI contract; GraphQL the SDL (nil when absent). The
	// engine compiles them; the linter checks them.
	OpenAPI []byte
	GraphQL []byte
}

// FileDigest is one pack file and its SHA-256 (lowercase hex).
type FileDigest struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Manifest is the pack's pack.yaml.
type Manifest struct {
	Name     string `yaml:"name"`
	Version  string `yaml:"version"`
	Title    string `yaml:"title"`
	Platform string `yaml:"platform"` // which platform plugin runs this pack (e.g. "essc")
	// Contracts names the contract files, relative to the pack root.
	Contracts Contracts `yaml:"contracts"`
	// Profiles a channel may declare (e.g. rest, graphql).
	Profiles []string `yaml:"profiles"`
	// Cases are glob patterns (path.Match syntax, relative to the root) of the case files.
	Cases []string `yaml:"cases"`
	// Clauses is the clause catalogue of the standard.
	Clauses []Clause `yaml:"clauses"`
	// Unsigned lists operationIds that are sent without request signing and whose responses
	// carry no signature (e.g. the health check).
	Unsigned []string `yaml:"unsigned"`
	// SessionHeaders are templates added to every step that acts as a persona (`as:`); in them
	// .persona is that persona and .session the captured variable "session.<persona>".
	SessionHeaders map[string]string `yaml:"sessionHeaders"`
	// ErrorCode is the JSONPath of the error code in a REST error body (e.g. $.code).
	ErrorCode string `yaml:"errorCode"`
	// ResponseLimit is the standard's bound on the size of one response (optional): a bigger
	// answer is the channel's failure under its clause, never a check left undone.
	ResponseLimit *ResponseLimit `yaml:"responseLimit"`
	// Rules are the cross-cutting rules the engine checks on every response (rules.go).
	Rules Rules `yaml:"rules"`
	Pos   Pos   `yaml:"-"`
}

// ResponseLimit bounds one response, as the standard states it.
type ResponseLimit struct {
	// BodyBytes is the largest body allowed.
	BodyBytes int64 `yaml:"bodyBytes"`
	// Clause is the clause a bigger response breaks.
	Clause string `yaml:"clause"`
}

// Contracts names the contract files of a pack.
type Contracts struct {
	OpenAPI string `yaml:"openapi"`
	GraphQL string `yaml:"graphql"`
	// GraphQLPath is the path (relative to the base URL) GraphQL operations are posted to.
	GraphQLPath string `yaml:"graphqlPath"`
}

// Clause is one numbered clause of the standard.
type Clause struct {
	ID    string `yaml:"id"`
	Title string `yaml:"title"`
	Level Level  `yaml:"level"`
	Suite Suite  `yaml:"suite"`
	// Profiles are the manifest profiles the clause applies to; empty means every profile. A
	// certificate covers exactly the declared profiles, so lint requires a MUST clause to be
	// traced, for each of these profiles, by a case that runs on it (its profile or any).
	Profiles []string `yaml:"profiles"`
	Pos      Pos      `yaml:"-"`
}

// AppliesTo returns the profiles the clause applies to: its own list, or all of profiles.
func (c *Clause) AppliesTo(profiles []string) []string {
	if len(c.Profiles) > 0 {
		return c.Profiles
	}
	return profiles
}

// Condition makes a case depend on what the channel declared (an optional capability such as
// level-2 cards): Expr is a template over the declaration data only (.d) that must render
// "true" or "false"; on "false" the case is not applicable and is SKIPped with Reason, which
// does not keep a run from being CONFORMANT.
type Condition struct {
	Expr   string `yaml:"expr"`
	Reason string `yaml:"reason"`
	Pos    Pos    `yaml:"-"`
}

// Case is one test case: an ID that never changes meaning, the clauses it checks, and its steps.
type Case struct {
	ID      string   `yaml:"id"`
	Title   string   `yaml:"title"`
	Clauses []string `yaml:"clauses"`
	Level   Level    `yaml:"level"`
	Suite   Suite    `yaml:"suite"`
	Area    string   `yaml:"area"`
	Labels  []string `yaml:"labels"`
	// Profile is one of the manifest's profiles or AnyProfile; a case whose profile the channel
	// did not declare is SKIPped with that reason. Required.
	Profile string `yaml:"profile"`
	// Serial cases change channel-wide state (suspension, department authorisation); they run
	// alone, after the parallel cases.
	Serial bool `yaml:"serial"`
	// Final cases run alone after every other case, serial ones included: run-wide checks such
	// as the personal-data scan of every exchange. Final implies serial.
	Final bool `yaml:"final"`
	// OWASP is the OWASP API Security Top 10 (2023) category (e.g. "API1:2023"); CWE e.g.
	// "CWE-639". Required on security cases.
	OWASP string `yaml:"owasp"`
	CWE   string `yaml:"cwe"`
	// Personas the case needs; each gets a fresh, unique citizen per run of the case.
	Personas []string `yaml:"personas"`
	// When, if set, runs the case only on channels whose declaration satisfies it; otherwise
	// the case is SKIPped as not applicable, with the condition's reason.
	When *Condition `yaml:"when"`
	// Timeout bounds the whole case (default: the runner's DefaultCaseTimeout, 60 s).
	Timeout Duration `yaml:"timeout"`
	Steps   []Step   `yaml:"steps"`
	Pos     Pos      `yaml:"-"`
}

// Step is one action of a case: exactly one of Call, GraphQL, Raw or Probe is set.
type Step struct {
	Name string `yaml:"name"`
	// Call invokes an OpenAPI operation by operationId.
	Call *Call `yaml:"call"`
	// GraphQL sends a GraphQL operation to the contract's GraphQLPath.
	GraphQL *GraphQLCall `yaml:"graphql"`
	// Raw sends a request the contract does not describe (undeclared paths, wrong methods,
	// batched GraphQL bodies); it is never contract-checked as a request.
	Raw *RawCall `yaml:"raw"`
	// Probe runs a named check written in Go.
	Probe *ProbeCall `yaml:"probe"`
	// As names the persona the step acts for: the manifest's SessionHeaders are added.
	As string `yaml:"as"`
	// Sign changes how the request is signed (default: signed correctly).
	Sign *SignSpec `yaml:"sign"`
	// Wait sleeps before the step (bounded by the case timeout); Repeat sends the step that many
	// times (default 1), judging Expect on every response.
	Wait Duration `yaml:"wait"`
	// WaitUntil is a template giving a unix time in milliseconds (e.g. a QR code's exp plus a
	// margin); the step sleeps until then, so waits follow the channel's declared timings
	// instead of fixed durations. Bounded by the case timeout.
	WaitUntil string `yaml:"waitUntil"`
	Repeat    int    `yaml:"repeat"`
	// Always runs the step even when an earlier step failed (clean-up).
	Always bool `yaml:"always"`
	// Clauses, when set, are the clauses this step's expectations enforce instead of the case's:
	// a step that provokes an answer of another rule (a refusal of a body too large, say) to
	// observe something else on it. When such a step's expectation fails and none of these
	// clauses is the case's, the case is not judged (SKIP, naming the clause broken), not
	// failed: the clause's own cases fail for it.
	Clauses []string  `yaml:"clauses"`
	Expect  Expect    `yaml:"expect"`
	Capture []Capture `yaml:"capture"`
	Pos     Pos       `yaml:"-"`
}

// Call is a REST step by operationId. Strings in PathParams, Query, Headers and Body are
// templates (Go text/template).
type Call struct {
	Operation  string            `yaml:"operation"`
	PathParams map[string]string `yaml:"path"`
	Query      map[string]string `yaml:"query"`
	Headers    map[string]string `yaml:"headers"`
	// Body is a YAML value sent as JSON; its strings are templates, other scalars keep their
	// JSON type. RawBody (a template) is sent as is instead, with ContentType.
	Body        *Value `yaml:"body"`
	RawBody     string `yaml:"rawBody"`
	ContentType string `yaml:"contentType"`
	// Invalid marks a request deliberately outside the contract (negative tests): it is not
	// validated against the contract before sending.
	Invalid bool `yaml:"invalid"`
}

// GraphQLCall is a GraphQL step. Document is validated against the SDL at load time unless
// Invalid is set (hardening tests send invalid documents on purpose). Document is sent as
// written, not rendered as a template (GraphQL's braces would clash with template actions):
// dynamic values go in Variables, whose strings are templates.
type GraphQLCall struct {
	Document      string            `yaml:"document"`
	OperationName string            `yaml:"operationName"`
	Variables     *Value            `yaml:"variables"`
	Headers       map[string]string `yaml:"headers"`
	Invalid       bool              `yaml:"invalid"`
}

// RawCall is a request outside the contract.
type RawCall struct {
	Method      string            `yaml:"method"`
	Path        string            `yaml:"path"` // template, relative to the base URL
	Headers     map[string]string `yaml:"headers"`
	RawBody     string            `yaml:"rawBody"`
	ContentType string            `yaml:"contentType"`
}

// ProbeCall runs a named Go probe; With is decoded strictly by the probe itself (the zero Node,
// Kind 0, when the step gives no parameters).
type ProbeCall struct {
	Name string    `yaml:"name"`
	With yaml.Node `yaml:"with"`
}

// SignModes returns the values SignSpec.Mode may take; the platform implements each. Each call
// returns a fresh slice.
func SignModes() []string {
	return []string{"none", "drop-signature", "corrupt", "wrong-key", "wrong-signer-id", "raw-rs",
		"timestamp-offset", "reuse-nonce", "wrong-channel", "drop-timestamp", "drop-nonce", "drop-channel"}
}

// AnyProfile is the Case.Profile of a case that applies whatever profiles the channel declared.
const AnyProfile = "any"

// MaskKinds returns the values MaskAssert.Kind may take (a fresh slice).
func MaskKinds() []string { return []string{"idNo", "name", "phone", "bankAccount"} }

// SignSpec selects a signing tamper mode for negative message-security tests.
type SignSpec struct {
	// Mode is one of: none (no signature headers at all), drop-signature, corrupt, wrong-key,
	// wrong-signer-id, raw-rs, timestamp-offset, reuse-nonce, wrong-channel, drop-timestamp,
	// drop-nonce, drop-channel.
	Mode string `yaml:"mode"`
	// Offset is added to the timestamp for timestamp-offset (e.g. -301s); required by that mode
	// and refused with the others.
	Offset Duration `yaml:"offset"`
	// NonceFrom names an earlier step whose nonce reuse-nonce repeats; required by that mode
	// and refused with the others.
	NonceFrom string `yaml:"nonceFrom"`
}

// Expect is what a step's response must show. Zero values mean "not asserted", except Contract
// and Signature, which default to true.
type Expect struct {
	Status []int  `yaml:"status"` // one or more acceptable statuses
	Code   string `yaml:"code"`   // error code (REST: manifest ErrorCode path; GraphQL: errors[0].extensions.code)
	// Contract (default true) validates the response against the OpenAPI contract or GraphQL
	// schema; Signature (default true for signed requests) verifies the response signature.
	Contract  *bool          `yaml:"contract"`
	Signature *bool          `yaml:"signature"`
	Headers   []HeaderAssert `yaml:"headers"`
	JSON      []Assert       `yaml:"json"`
	// Body asserts on the raw body text.
	Body []Assert `yaml:"body"`
	// Masked checks that the value at Path is the standard's mask of a persona's datum.
	Masked []MaskAssert `yaml:"masked"`
	// SameAs names an earlier step whose response must be identical to this one's (status,
	// code, message, header names); used for "another citizen's card looks like no card".
	SameAs string `yaml:"sameAs"`
}

// Assert is one assertion. Path is a JSONPath (RFC 9535) into the JSON body, or empty when
// Value is a template evaluated after the step (with captures available). Exactly one operator
// field is set; comparisons respect JSON types (200 is not "200").
type Assert struct {
	Path  string `yaml:"path"`
	Expr  string `yaml:"expr"` // a template producing the value to test, instead of Path
	Op    string `yaml:"-"`    // filled by the loader from whichever operator key was given
	Value *Value `yaml:"-"`    // the operand, typed
	Pos   Pos    `yaml:"-"`
}

// Operators returns the assertion operators a pack may use (a fresh slice).
func Operators() []string {
	return []string{"equals", "notEquals", "matches", "notMatches", "exists", "absent",
		"type", "lt", "le", "gt", "ge", "contains", "notContains", "len"}
}

// HeaderAssert is an assertion on one response header (case-insensitive name).
type HeaderAssert struct {
	Name  string `yaml:"name"`
	Op    string `yaml:"-"`
	Value *Value `yaml:"-"`
	Pos   Pos    `yaml:"-"`
}

// MaskAssert checks a masked field: Kind is idNo, name, phone or bankAccount; Of is the persona.
type MaskAssert struct {
	Path string `yaml:"path"`
	Kind string `yaml:"kind"`
	Of   string `yaml:"of"`
	Pos  Pos    `yaml:"-"`
}

// Capture stores a value from a response into a case variable for later steps. Variables named
// "session.<persona>" and those marked Secret are redacted from every report.
type Capture struct {
	Var    string `yaml:"var"`
	Path   string `yaml:"path"`   // JSONPath into the response body
	Header string `yaml:"header"` // or a response header name
	Secret bool   `yaml:"secret"`
	Pos    Pos    `yaml:"-"`
}

// Value is a typed YAML value kept for templating: strings are templates, numbers, booleans
// and null keep their JSON types, maps keep key order.
type Value struct {
	Kind ValueKind
	Str  string // KindString: a template; KindNumber/KindBool: the literal
	Map  []KeyValue
	List []*Value
	Pos  Pos
}

// ValueKind is the JSON type of a Value.
type ValueKind int

// The kinds of Value.
const (
	KindNull ValueKind = iota
	KindString
	KindNumber
	KindBool
	KindMap
	KindList
)

// KeyValue is one entry of a map Value.
type KeyValue struct {
	Key   string
	Value *Value
}

// Duration is a time.Duration written in YAML as a Go duration string ("3s", "250ms").
type Duration time.Duration
