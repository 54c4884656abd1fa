package engine

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"text/template"
	"time"
)

// TemplateFuncs returns the engine's generic template functions (bound to the real clock). Lint
// parses templates with them plus the platform's; Run binds them to Options.Now.
//
//	add sub mul div mod   integer arithmetic on int64 (numbers, numeric strings, captures)
//	repeat S N            S repeated N times (oversized bodies)
//	now                   unix time in milliseconds
//	nowRFC3339 ["+1h"]    the time now, optionally shifted by a Go duration, RFC 3339
//	secondsUntil T        whole seconds from now until the RFC 3339 time T (negative if past)
//	msUntil T             milliseconds from now until T
//	uuid                  a random UUID v4
//	json V                V as JSON text
//	base64url S, base64 S S encoded (URL alphabet without padding; standard with padding)
//	lower S, upper S      case conversion
//	str V                 V as text (numbers without exponent noise)
func TemplateFuncs() template.FuncMap { return templateFuncs(time.Now) }

func templateFuncs(now func() time.Time) template.FuncMap {
	return template.FuncMap{
		"add": func(a, b any) (int64, error) {
			return arith(a, b, func(x, y int64) (int64, error) { return x + y, nil })
		},
		"sub": func(a, b any) (int64, error) {
			return arith(a, b, func(x, y int64) (int64, error) { return x - y, nil })
		},
		"mul": func(a, b any) (int64, error) {
			return arith(a, b, func(x, y int64) (int64, error) { return x * y, nil })
		},
		"div": func(a, b any) (int64, error) { return arith(a, b, checkedDiv) },
		"mod": func(a, b any) (int64, error) {
			return arith(a, b, func(x, y int64) (int64, error) {
				if y == 0 {
					return 0, fmt.Errorf("mod by zero")
				}
				return x % y, nil
			})
		},
		"repeat": func(s string, n any) (string, error) {
			count, err := toInt64(n)
			if err != nil || count < 0 || count > maxTemplateBytes {
				return "", fmt.Errorf("repeat: count %v must be an integer between 0 and %d", n, maxTemplateBytes)
			}
			if count*int64(len(s)) > maxTemplateBytes {
				return "", fmt.Errorf("repeat: %d times %d bytes is more than the %d MiB a step's templates may produce", count, len(s), maxTemplateBytes>>20)
			}
			return strings.Repeat(s, int(count)), nil
		},
		"now":          func() int64 { return now().UnixMilli() },
		"nowRFC3339":   func(shift ...string) (string, error) { return nowRFC3339(now, shift) },
		"secondsUntil": func(t any) (int64, error) { return until(now, t, time.Second) },
		"msUntil":      func(t any) (int64, error) { return until(now, t, time.Millisecond) },
		"uuid":         newUUID,
		"json": func(v any) (string, error) {
			b, err := json.Marshal(v)
			return string(b), err
		},
		"base64url": func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) },
		"base64":    func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) },
		"lower":     strings.ToLower,
		"upper":     strings.ToUpper,
		"str":       func(v any) string { return text(v) },
	}
}

func arith(a, b any, op func(x, y int64) (int64, error)) (int64, error) {
	x, err := toInt64(a)
	if err != nil {
		return 0, err
	}
	y, err := toInt64(b)
	if err != nil {
		return 0, err
	}
	return op(x, y)
}

func checkedDiv(x, y int64) (int64, error) {
	if y == 0 {
		return 0, fmt.Errorf("division by zero")
	}
	return x / y, nil
}

// toInt64 accepts the integer forms a template meets: Go integers, integral floats, JSON numbers
// from captures and numeric strings.
func toInt64(v any) (int64, error) {
	switch x := v.(type) {
	case int:
		return int64(x), nil
	case int64:
		return x, nil
	case int32:
		return int64(x), nil
	case uint64:
		if x > math.MaxInt64 {
			return 0, fmt.Errorf("%d overflows int64", x)
		}
		return int64(x), nil
	case float64:
		if x != math.Trunc(x) || math.Abs(x) > 1<<53 {
			return 0, fmt.Errorf("%v is not an integer", x)
		}
		return int64(x), nil
	case json.Number:
		return strconv.ParseInt(string(x), 10, 64)
	case string:
		return strconv.ParseInt(strings.TrimSpace(x), 10, 64)
	}
	return 0, fmt.Errorf("%v (%T) is not an integer", v, v)
}

func nowRFC3339(now func() time.Time, shift []string) (string, error) {
	t := now()
	if len(shift) > 1 {
		return "", fmt.Errorf("nowRFC3339 takes at most one duration")
	}
	if len(shift) == 1 {
		d, err := time.ParseDuration(strings.TrimPrefix(shift[0], "+"))
		if err != nil {
			return "", fmt.Errorf("nowRFC3339: %w", err)
		}
		t = t.Add(d)
	}
	return t.UTC().Format(time.RFC3339), nil
}

func until(now func() time.Time, v any, unit time.Duration) (int64, error) {
	s, ok := v.(string)
	if !ok {
		return 0, fmt.Errorf("want an RFC 3339 time string, got %T", v)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return 0, fmt.Errorf("not an RFC 3339 time: %w", err)
	}
	return int64(t.Sub(now()) / unit), nil
}

func newUUID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:]), nil
}

// text renders a value for a template or a message: strings as is, JSON numbers verbatim,
// composite values as JSON.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return x
	case json.Number:
		return string(x)
	case bool:
		return strconv.FormatBool(x)
	case int, int64, int32:
		return fmt.Sprint(x)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
