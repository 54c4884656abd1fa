package engine

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// sameAsIgnored reports whether a response header may differ between two otherwise
// indistinguishable responses.
func sameAsIgnored(canonicalName string) bool {
	switch canonicalName {
	case "X-Cai-Timestamp", "X-Cai-Signature", "Date":
		return true
	}
	return false
}

func (j *judge) sameAs(name string) {
	expected := "the same response as step " + strconv.Quote(name)
	prev, ok := j.r.steps[name]
	if !ok || prev.resp == nil || prev.resp == j.res.resp {
		j.packBug("same-as", expected, fmt.Errorf("%w: sameAs %q names no earlier step with a response", errPackBug, name))
		return
	}
	var diffs []string
	a, b := prev.resp, j.res.resp
	if a.status != b.status {
		diffs = append(diffs, fmt.Sprintf("status %d vs %d", a.status, b.status))
	}
	codeA, _ := j.r.errorCode(prev.graphQLStyle, a)
	codeB, _ := j.r.errorCode(j.res.graphQLStyle, b)
	if codeA != codeB {
		diffs = append(diffs, fmt.Sprintf("code %q vs %q", codeA, codeB))
	}
	if ha, hb := headerNames(a.header), headerNames(b.header); !slices.Equal(ha, hb) {
		diffs = append(diffs, fmt.Sprintf("header names [%s] vs [%s]", strings.Join(ha, " "), strings.Join(hb, " ")))
	}
	if !sameBody(a, b) {
		diffs = append(diffs, fmt.Sprintf("bodies differ (without requestId): %s vs %s", excerpt(a.Raw), excerpt(b.Raw)))
	}
	actual := "the same"
	if len(diffs) > 0 {
		actual = strings.Join(diffs, "; ")
	}
	j.verdict("same-as", len(diffs) == 0, expected, actual, "")
}

func headerNames(h http.Header) []string {
	var names []string
	for k := range h {
		if !sameAsIgnored(http.CanonicalHeaderKey(k)) {
			names = append(names, http.CanonicalHeaderKey(k))
		}
	}
	slices.Sort(names)
	return names
}

// sameBody compares two bodies as JSON without any requestId member (or byte for byte when
// either is not JSON).
func sameBody(a, b *received) bool {
	da, errA := a.JSON()
	db, errB := b.JSON()
	if errA != nil || errB != nil {
		return string(a.Raw) == string(b.Raw)
	}
	return jsonEqual(withoutRequestID(da), withoutRequestID(db))
}

func withoutRequestID(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, item := range x {
			if k != "requestId" {
				out[k] = withoutRequestID(item)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = withoutRequestID(item)
		}
		return out
	}
	return v
}
