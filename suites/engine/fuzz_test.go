package engine

import (
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/suites/contract"
)

// FuzzRedactBody: whatever a channel answers, the values of secret members it holds (duplicates
// included) and the run's secrets are gone from the recorded exchange after redaction and the
// evidence bound, and what is kept is valid UTF-8 where the input was. Plain `go test` runs the
// seeds in testdata/fuzz.
func FuzzRedactBody(f *testing.F) {
	for _, s := range []string{`{"sessionToken":"decoy-1234","sessionToken":"real-5678"}`,
		`{"data":{"createSession":{"sessionToken":"tok-abcdef"}}}`, `not json PLATFORM-PRIVATE-KEY-XYZ`,
		`{"sessionToken":{"nested":"inner-secret"}}`} {
		f.Add(s)
	}
	names := map[string]bool{"sessionToken": true}
	run := newRunSecrets([]string{platformSecret})
	e := &Executor{}
	f.Fuzz(func(t *testing.T, body string) {
		found := contract.SecretValues([]byte(body), names)
		red := newRedactor(map[string]bool{}, run, found)
		x := reports.Exchange{Response: reports.Response{Body: body}}
		red.exchange(&x)
		e.bound(&x)
		for _, s := range append(found, platformSecret) {
			if len(s) >= minSecretLen && strings.Contains(x.Response.Body, s) {
				t.Fatalf("secret %q left in %q", s, x.Response.Body)
			}
		}
	})
}
