package contract

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrTrailingData is the decoding error of a body with more after its JSON value.
var ErrTrailingData = errors.New("data after the JSON value")

// Body is a response body whose JSON is decoded at most once: the contract checks and the
// case's assertions (JSONPaths, masks, captures) all read the same decoded value, so a response
// is never parsed twice. A Body is not safe for concurrent use; one exchange is judged by one
// goroutine.
type Body struct {
	// Raw is the body as read (possibly capped by the caller).
	Raw []byte

	decoded bool
	value   any
	err     error
}

// NewBody wraps raw.
func NewBody(raw []byte) *Body { return &Body{Raw: raw} }

// JSON returns the body decoded as one JSON value, numbers kept as json.Number so that 200 and
// 200.0 and "200" stay what they are. The error says why the body is not one JSON value
// (ErrTrailingData when something follows it).
func (b *Body) JSON() (any, error) {
	if !b.decoded {
		b.decoded = true
		b.value, b.err = DecodeJSON(b.Raw)
	}
	return b.value, b.err
}

// DecodeJSON decodes exactly one JSON value from raw, keeping numbers as json.Number; anything
// but JSON white space after the value is ErrTrailingData (json.Decoder.More would let a stray
// '}' or ']' through).
func DecodeJSON(raw []byte) (any, error) {
	if err := checkDepth(raw); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if rest := raw[dec.InputOffset():]; len(bytes.TrimLeft(rest, " \t\r\n")) > 0 {
		return nil, fmt.Errorf("%w (at byte %d)", ErrTrailingData, dec.InputOffset())
	}
	return v, nil
}

// MaxJSONDepth bounds the nesting of a JSON value the harness decodes: no CAI body nests
// deeper than a few levels, and the walkers that read a decoded value recurse on it.
const MaxJSONDepth = 64

// ErrTooDeep is the decoding error of a value nested deeper than MaxJSONDepth.
var ErrTooDeep = fmt.Errorf("JSON nested deeper than %d levels", MaxJSONDepth)

// checkDepth refuses raw when its arrays and objects nest deeper than MaxJSONDepth, in one
// pass and before anything is allocated for the value.
func checkDepth(raw []byte) error {
	depth, inString, escaped := 0, false, false
	for i, c := range raw {
		switch {
		case inString && escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case inString:
			inString = c != '"'
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			if depth++; depth > MaxJSONDepth {
				return fmt.Errorf("%w (at byte %d)", ErrTooDeep, i)
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}

// JSONType names the JSON type of a decoded value (null, boolean, number, string, array,
// object), for messages and the `type` assertion.
func JSONType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}
