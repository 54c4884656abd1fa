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

// redactor replaces known secret values, and the values of sensitive headers, in recorded data.
// Secrets are matched verbatim and in their URL-query and JSON-escaped forms.
type redactor struct {
	sensitive map[string]bool
	r         *strings.Replacer
}

func newRedactor(sensitive map[string]bool, secretSets ...[]string) *redactor {
	seen := map[string]bool{}
	var all []string
	add := func(s string) {
		if len(s) >= minSecretLen && !seen[s] {
			seen[s] = true
			all = append(all, s)
		}
	}
	for _, set := range secretSets {
		for _, s := range set {
			add(s)
			add(url.QueryEscape(s))
			add(url.PathEscape(s))
			if b, err := json.Marshal(s); err == nil {
				add(string(b[1 : len(b)-1]))
			}
		}
	}
	// Longest first, so that a secret containing another is replaced whole.
	sort.Slice(all, func(i, j int) bool { return len(all[i]) > len(all[j]) })
	pairs := make([]string, 0, 2*len(all))
	for _, s := range all {
		pairs = append(pairs, s, Redacted)
	}
	return &redactor{sensitive: sensitive, r: strings.NewReplacer(pairs...)}
}

func (r *redactor) str(s string) string {
	if s == "" {
		return s
	}
	return r.r.Replace(s)
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
