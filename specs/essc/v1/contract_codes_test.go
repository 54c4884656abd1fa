package esscv1_test

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/chanconf/chanconf/internal/cai"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// The statuses and error codes each operation of openapi.yaml may answer, checked against the
// general rules and the error-code table of STANDARD.md.

// checkStatuses reports operations whose status list breaks the rules of STANDARD.md section
// 10 that hold for every operation: a signed operation may be refused 401 and 403 (section 2)
// and 413 (CAI-10.4, any body); an operation with a request body also 400 and 415; one without
// applies no media-type check, so it never answers 415.
func checkStatuses(doc *openapi3.T) []string {
	var problems []string
	for _, o := range operations(doc) {
		if slices.Contains(unsignedOps(), o.id) {
			continue
		}
		want, never := []string{"401", "403", "413"}, []string{"415"}
		if o.op.RequestBody != nil {
			want, never = append(want, "400", "415"), nil
		}
		for _, st := range want {
			if o.op.Responses.Value(st) == nil {
				problems = append(problems, fmt.Sprintf("%s: does not list %s", o.id, st))
			}
		}
		for _, st := range never {
			if o.op.Responses.Value(st) != nil {
				problems = append(problems, fmt.Sprintf("%s: lists %s but takes no request body", o.id, st))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// codeStatuses reads the error-code table of STANDARD.md: code -> its status column.
func codeStatuses() (map[string]string, error) {
	text, err := esscv1.FS.ReadFile("STANDARD.md")
	if err != nil {
		return nil, fmt.Errorf("read STANDARD.md: %w", err)
	}
	// Rows whose second column starts with a status; the event table has rows of the same shape.
	rows := regexp.MustCompile("(?m)^\\| `([A-Z_]+)` \\| ([1-5][0-9]{2}[^|]*) \\|").FindAllStringSubmatch(string(text), -1)
	out := map[string]string{}
	for _, r := range rows {
		out[r[1]] = r[2]
	}
	if len(out) == 0 {
		return nil, errors.New("STANDARD.md: no error-code table found")
	}
	return out, nil
}

// checkRefusalCodes reads each operation's "Refusals:" list ("400 BAD_JSON, INVALID_FIELD; 401
// ...") and reports a code the standard's table gives another status, a status the operation
// does not list among its responses, and a listed 4xx response the list never mentions, so
// that the description, the responses and STANDARD.md cannot drift apart.
func checkRefusalCodes(doc *openapi3.T) []string {
	statusOf, err := codeStatuses()
	if err != nil {
		return []string{err.Error()}
	}
	segment := regexp.MustCompile(`^\s*(\d{3})\b(.*)$`)
	word := regexp.MustCompile(`\b[A-Z][A-Z_]+[A-Z]\b`)
	aside := regexp.MustCompile(`\([^)]*\)`)
	var problems []string
	for _, o := range operations(doc) {
		_, refusals, ok := strings.Cut(o.op.Description, "Refusals:")
		if !ok {
			continue
		}
		named := map[string]bool{}
		for _, seg := range strings.Split(aside.ReplaceAllString(refusals, ""), ";") {
			m := segment.FindStringSubmatch(strings.ReplaceAll(seg, "\n", " "))
			if m == nil {
				problems = append(problems, fmt.Sprintf("%s: refusal %q does not start with a status", o.id, strings.TrimSpace(seg)))
				continue
			}
			named[m[1]] = true
			if o.op.Responses.Value(m[1]) == nil {
				problems = append(problems, fmt.Sprintf("%s: describes %s but does not list it", o.id, m[1]))
			}
			for _, code := range word.FindAllString(m[2], -1) {
				if st, known := statusOf[code]; known && !strings.Contains(st, m[1]) {
					problems = append(problems, fmt.Sprintf("%s: %s %s, but STANDARD.md gives %s status %s", o.id, m[1], code, code, strings.TrimSpace(st)))
				}
			}
		}
		for st := range o.op.Responses.Map() {
			if st >= "400" && !named[st] {
				problems = append(problems, fmt.Sprintf("%s: lists %s but its refusals do not mention it", o.id, st))
			}
		}
	}
	sort.Strings(problems)
	return problems
}

// TestErrorCodeTableMatchesCai: the error-code table of STANDARD.md (which checkRefusalCodes
// reads) names exactly the codes internal/cai declares, which channel and harness share.
func TestErrorCodeTableMatchesCai(t *testing.T) {
	table, err := codeStatuses()
	if err != nil {
		t.Fatal(err)
	}
	got := slices.Sorted(maps.Keys(table))
	want := slices.Sorted(slices.Values(cai.Codes()))
	if !slices.Equal(got, want) {
		t.Errorf("STANDARD.md codes %v\ncai.Codes()       %v", got, want)
	}
}
