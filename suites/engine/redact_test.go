package engine

import (
	"strings"
	"testing"
)

// TestRedactorOverlappingSecrets: the run's secrets are replaced by a replacer built once and
// the case's by one built per flush; where a case secret and a run secret overlap, the longer
// must still be replaced whole, as a single replacer would, so no remainder of either leaks.
func TestRedactorOverlappingSecrets(t *testing.T) {
	const (
		keyLine = "MIGTAgEAMBMGByqGSM49AgEGCCqBHM9VAYItBHkwdwIBAQQg" // a run secret
		inKey   = "ByqGSM49AgEG"                                     // a case secret inside it
		token   = "eyJhbGciOiJTTTJTTTMifQ.tail"                      // a case secret
		tokKey  = "PREFIX-" + keyLine + "-SUFFIX"                    // a case secret holding the run secret
	)
	run := newRunSecrets([]string{keyLine, "DATAKEY-0123456789abcdef"})
	tests := []struct {
		name        string
		caseSecrets []string
		text        string
		want        string
	}{
		{"run secret alone", nil, "k=" + keyLine, "k=" + Redacted},
		{"case secret alone", []string{token}, "Bearer " + token, "Bearer " + Redacted},
		{"case secret inside a run secret", []string{inKey}, keyLine + " and " + inKey,
			Redacted + " and " + Redacted},
		{"run secret inside a case secret", []string{tokKey}, "a " + tokKey + " b " + keyLine,
			"a " + Redacted + " b " + Redacted},
		{"JSON- and query-escaped forms", []string{"a/b+c=d\"e"}, `{"x":"a/b+c=d\"e"} q=a%2Fb%2Bc%3Dd%22e`,
			`{"x":"` + Redacted + `"} q=` + Redacted},
		{"short values are not secrets", []string{"abc"}, "abc", "abc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			red := newRedactor(nil, run, tt.caseSecrets)
			got := red.str(tt.text)
			if got != tt.want {
				t.Errorf("str(%q) = %q, want %q", tt.text, got, tt.want)
			}
			for _, s := range append([]string{keyLine}, tt.caseSecrets...) {
				if len(s) >= minSecretLen && strings.Contains(got, s[len(s)/2:]) && strings.Contains(tt.text, s) {
					t.Errorf("the second half of secret %q survives in %q", s, got)
				}
			}
		})
	}
}
