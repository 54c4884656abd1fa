package engine

import (
	"encoding/json"
	"net/url"
	"sort"
	"strings"

	"github.com/chanconf/chanconf/reports"
)

// Redacted replaces every secret value in a recorded exchange, a check or a message.
const Redacted = "[REDACTED]"

// minSecretLen keeps very short values (a persona's one-digit field, "0") from being treated as
// secrets and blanking unrelated text.
const minSecretLen = 4

// runSecrets are the platform's run-wide secrets, compiled once in New: every form of every
// secret and one replacer for them all. They are many (each line of each key) and never change,
// so that a flush builds a replacer only for its case's few secrets.
type runSecrets struct {
	forms []string // longest first
	// joined is forms joined by NUL bytes, to tell quickly whether a case secret lies inside one.
	joined   string
	replacer *strings.Replacer
}

func newRunSecrets(secrets []string) *runSecrets {
	forms := secretForms(nil, secrets)
	return &runSecrets{forms: forms, joined: strings.Join(forms, "\x00"), replacer: replacer(forms)}
}

// containing returns the run secrets that contain one of forms. They join the case's replacer,
// which runs first: otherwise it would replace the case secret inside such a run secret and
// leave the run replacer nothing whole to find, leaking the rest. (A run secret inside a case
// secret needs nothing: the case's replacer replaces the longer value whole.)
func (rs *runSecrets) containing(forms []string) []string {
	var out []string
	for _, f := range forms {
		if !strings.Contains(rs.joined, f) {
			continue
		}
		for _, g := range rs.forms {
			if strings.Contains(g, f) {
				out = append(out, g)
			}
		}
	}
	return out
}

// secretForms adds to dst every form of secrets a record may show (verbatim, URL-query and
// URL-path escaped, JSON-escaped), without duplicates or values shorter than minSecretLen, and
// sorts them longest first, so that a secret containing another is replaced whole.
func secretForms(dst []string, secrets ...[]string) []string {
	seen := map[string]bool{}
	for _, s := range dst {
		seen[s] = true
	}
	add := func(s string) {
		if len(s) >= minSecretLen && !seen[s] {
			seen[s] = true
			dst = append(dst, s)
		}
	}
	for _, set := range secrets {
		for _, s := range set {
			add(s)
			add(url.QueryEscape(s))
			add(url.PathEscape(s))
			if b, err := json.Marshal(s); err == nil {
				add(string(b[1 : len(b)-1]))
			}
		}
	}
	sort.SliceStable(dst, func(i, j int) bool { return len(dst[i]) > len(dst[j]) })
	return dst
}

// replacer replaces each of forms (longest first) with Redacted.
func replacer(forms []string) *strings.Replacer {
	pairs := make([]string, 0, 2*len(forms))
	for _, s := range forms {
		pairs = append(pairs, s, Redacted)
	}
	return strings.NewReplacer(pairs...)
}

// redactor replaces known secret values, and the values of sensitive headers, in recorded data:
// first the case's secrets (with the run secrets that contain one), then the run's.
type redactor struct {
	sensitive map[string]bool
	caseRepl  *strings.Replacer // nil when the case has no secrets
	run       *strings.Replacer
}

func newRedactor(sensitive map[string]bool, run *runSecrets, caseSecrets ...[]string) *redactor {
	red := &redactor{sensitive: sensitive, run: run.replacer}
	forms := secretForms(nil, caseSecrets...)
	if len(forms) > 0 {
		red.caseRepl = replacer(secretForms(forms, run.containing(forms)))
	}
	return red
}

func (r *redactor) str(s string) string {
	if s == "" {
		return s
	}
	if r.caseRepl != nil {
		s = r.caseRepl.Replace(s)
	}
	return r.run.Replace(s)
}

func (r *redactor) headers(hs []reports.Header) {
	for i := range hs {
		if r.sensitive[hs[i].Name] {
			hs[i].Value = Redacted
			continue
		}
		hs[i].Value = r.str(hs[i].Value)
	}
}

func (r *redactor) exchange(x *reports.Exchange) {
	x.Request.URL = r.str(x.Request.URL)
	x.Request.Body = r.str(x.Request.Body)
	r.headers(x.Request.Headers)
	x.Response.Body = r.str(x.Response.Body)
	r.headers(x.Response.Headers)
	x.Error = r.str(x.Error)
}

func (r *redactor) check(c *reports.Check) {
	c.Expected = r.str(c.Expected)
	c.Actual = r.str(c.Actual)
	c.Detail = r.str(c.Detail)
}
