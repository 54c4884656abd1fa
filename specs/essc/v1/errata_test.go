package esscv1_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// TestErrataListed keeps the errata of CAI v1.0.1 in step: every erratum the text cites
// ("erratum 7", "erratum B") is listed in "Changes since 1.0.0", every listed one is cited where
// its rule is stated, the 22 reported points and the contradictions A to D are all there, and
// the document, the pack and openapi.yaml carry the same version.
func TestErrataListed(t *testing.T) {
	raw, err := esscv1.FS.ReadFile("STANDARD.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(raw)
	body, changes, ok := strings.Cut(text, "## Changes since 1.0.0")
	if !ok {
		t.Fatal(`STANDARD.md has no "## Changes since 1.0.0" section`)
	}
	cited := map[string]bool{}
	for _, m := range regexp.MustCompile(`erratum ([0-9]+|[A-Z])\b`).FindAllStringSubmatch(body, -1) {
		cited[m[1]] = true
	}
	listed := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^- Erratum ([0-9]+|[A-Z]) \(`).FindAllStringSubmatch(changes, -1) {
		if listed[m[1]] {
			t.Errorf("erratum %s listed twice", m[1])
		}
		listed[m[1]] = true
	}
	want := []string{"A", "B", "C", "D", "P"}
	for i := 1; i <= 22; i++ {
		want = append(want, strconv.Itoa(i))
	}
	for _, id := range want {
		if !listed[id] {
			t.Errorf("erratum %s is not listed in Changes since 1.0.0", id)
		}
	}
	for id := range listed {
		if !cited[id] {
			t.Errorf("erratum %s is listed but the text never cites it where its rule is stated", id)
		}
	}
	for id := range cited {
		if !listed[id] {
			t.Errorf("the text cites erratum %s, which Changes since 1.0.0 does not list", id)
		}
	}
	clauses, err := standardClauses(text)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := clauses["CAI-11.6"]; !ok || !strings.Contains(body, "Version 1.0.1.") {
		t.Error("STANDARD.md is not version 1.0.1 with clause CAI-11.6")
	}
	oa, _ := esscv1.FS.ReadFile("openapi.yaml")
	if !strings.Contains(string(oa), "  version: 1.0.1\n") {
		t.Error("openapi.yaml info.version is not 1.0.1")
	}
}
