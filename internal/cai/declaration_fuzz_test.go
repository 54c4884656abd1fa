package cai

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// FuzzParseDeclaration feeds arbitrary bytes to the declaration parser: it never panics, every
// refusal is a *DeclarationError naming the file, and a declaration it accepts encodes and
// parses back to the same declaration. The seeds (here and in testdata/fuzz) are the valid
// declaration, a billion-laughs document and the size-limit breakers; plain `go test` runs them.
//
//	go test ./internal/cai -run '^$' -fuzz FuzzParseDeclaration -fuzztime 60s
func FuzzParseDeclaration(f *testing.F) {
	valid := validDeclYAML(f)
	f.Add([]byte(valid))
	f.Add([]byte(strings.Replace(valid, "name: Test Channel", "name: "+strings.Repeat("n", 200), 1)))
	f.Add([]byte("a: &a [x, x]\nb: &b [*a, *a]\nname: *b\n"))
	f.Add([]byte("caiVersion: 1\nregions: {a: b}\nsandbox: [1]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		defer notHung(t, time.Now())
		d, err := ParseDeclaration("f.yaml", data)
		if err != nil {
			var de *DeclarationError
			if !errors.As(err, &de) || de.File != "f.yaml" {
				t.Fatalf("error %T %v is not a *DeclarationError naming the file", err, err)
			}
			return
		}
		out, err := d.Encode()
		if err != nil {
			t.Fatalf("an accepted declaration does not encode: %v", err)
		}
		again, err := ParseDeclaration("again.yaml", out)
		if err != nil {
			t.Fatalf("an accepted declaration does not parse back: %v\n%s", err, out)
		}
		if again.ChannelNo != d.ChannelNo || again.Name != d.Name || again.BaseURL != d.BaseURL || again.Sandbox != d.Sandbox {
			t.Fatalf("the round trip changed the declaration:\n%s", out)
		}
	})
}

// notHung fails an input that took more than 10 s (a hang, or work without bound): fuzzing
// would otherwise only stall on it.
func notHung(t *testing.T, start time.Time) {
	if d := time.Since(start); d > 10*time.Second {
		t.Fatalf("the input took %v: a hang, or work without bound", d)
	}
}
