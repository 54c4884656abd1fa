package reports

import (
	"regexp"
	"sort"
	"strings"
)

// Cause is one environment problem and the cases it stopped. A wrong port, an expired trust
// anchor or a sandbox that times out makes dozens of cases ERROR with the same error; grouping
// them by cause lets every writer say it once, with how many cases it stopped and its fix.
type Cause struct {
	// Key is the normalised cause: the first line of the case's message with its case-specific
	// parts removed (the step that met it, the request's method and the URL's path and query).
	Key string `json:"key"`
	// Fix says what to do about it, when the message carries a hint (the pre-flight's "(fix:
	// ...)") or the error is a well-known one (connection refused, timeout, unknown authority).
	Fix string `json:"fix,omitempty"`
	// Count is the number of cases the cause stopped (len(Cases)).
	Count int `json:"count"`
	// Cases are the IDs of those cases, sorted.
	Cases []string `json:"cases"`
}

// GroupCauses groups the ERROR cases of cases by normalised cause, the most frequent cause
// first (then by key), each with its case IDs sorted. It returns nil when no case errored.
func GroupCauses(cases []Case) []Cause {
	byKey := map[string]*Cause{}
	for _, c := range cases {
		if c.State != Error {
			continue
		}
		key, fix := CauseKey(c.Message)
		g := byKey[key]
		if g == nil {
			g = &Cause{Key: key, Fix: fix}
			byKey[key] = g
		}
		g.Cases = append(g.Cases, c.ID)
		g.Count++
	}
	if len(byKey) == 0 {
		return nil
	}
	out := make([]Cause, 0, len(byKey))
	for _, g := range byKey {
		sort.Strings(g.Cases)
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// The case-specific parts of an ERROR message that CauseKey removes.
var (
	// stepPrefix is the engine's "step 2 (create session): " or "preparing the case: ".
	stepPrefix = regexp.MustCompile(`^(?:step \d+(?: \([^)]*\))?|preparing the case): `)
	// request is a request as the engine and net/http name it, `POST https://h/p?q: ` or
	// `Post "https://h/p?q": `: removed, the error after it is the cause.
	request = regexp.MustCompile(`\b(?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|Get|Head|Post|Put|Patch|Delete|Options) "?https?://[^\s"]*"?: `)
	// bareURL is any other URL: it becomes its origin.
	bareURL = regexp.MustCompile(`(https?://[^/\s"?#]*[^/\s"?#:])[^\s"]*`)
	// fixHint is the pre-flight's "(fix: ...)" at the end of a problem.
	fixHint = regexp.MustCompile(`\s*\(fix: (.*)\)\s*$`)
)

// CauseKey returns the normalised cause of an ERROR message and its fix ("" when none is
// known). Two cases stopped by the same problem get the same key whatever step or request met
// it: only the first line counts, a leading "step N (name): " and the request ("POST
// https://h/p: ") are removed, any other URL becomes its origin (what a connection problem
// depends on), and an interrupted case's partial result is dropped.
func CauseKey(message string) (key, fix string) {
	key = strings.TrimSpace(firstLine(message))
	key = stepPrefix.ReplaceAllString(key, "")
	key = request.ReplaceAllString(key, "")
	key = bareURL.ReplaceAllString(key, "$1")
	if m := fixHint.FindStringSubmatchIndex(key); m != nil && !strings.Contains(key[m[2]:m[3]], "(fix: ") {
		fix = key[m[2]:m[3]]
		key = key[:m[0]]
	}
	if head, _, cut := strings.Cut(key, " ("); cut && strings.HasPrefix(key, "interrupted: ") {
		key = head // what the interrupted case had done so far is its own
	}
	if key == "" {
		key = "no message"
	}
	if fix == "" {
		fix = knownFix(key)
	}
	return key, fix
}

// knownFix is the fix of the environment errors every vendor meets, by the text Go's net,
// net/http and crypto/tls packages put in them.
func knownFix(key string) string {
	for _, k := range []struct{ text, fix string }{
		{"connection refused", "nothing listens at that address: start the channel's sandbox, or correct the host and port in --target"},
		{"no such host", "the host name does not resolve: correct --target, or check the DNS of this machine"},
		{"certificate signed by unknown authority", "the channel's TLS certificate is not trusted: set sandbox.tlsCA in the declaration to the CA that issued it"},
		{"deadline exceeded", "the channel did not answer in time: check that the sandbox is up and not overloaded, or raise --request-timeout"},
		{"Client.Timeout", "the channel did not answer in time: check that the sandbox is up and not overloaded, or raise --request-timeout"},
		{"connection reset", "the connection was cut: check for a proxy or firewall between chanconf and the channel"},
		{"interrupted", "the run was stopped before these cases finished: run again without interrupting it"},
	} {
		if strings.Contains(key, k.text) {
			return k.fix
		}
	}
	return ""
}
