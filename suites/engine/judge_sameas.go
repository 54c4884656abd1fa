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
	if !sameBody(a, b, prev.graphQLStyle && j.res.graphQLStyle) {
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
// either is not JSON). CAI-5.4 asks for the same status, code, message and headers apart from
// the requestId; a GraphQL answer has no requestId, but its top-level extensions object is the
// implementation's (section 12) and may carry a per-request identifier, so there only the
// member names of extensions must agree, not their values.
func sameBody(a, b *received, graphQL bool) bool {
	da, errA := a.JSON()
	db, errB := b.JSON()
	if errA != nil || errB != nil {
		return string(a.Raw) == string(b.Raw)
	}
	da, db = withoutRequestID(da), withoutRequestID(db)
	if graphQL {
		da, db = extensionNamesOnly(da), extensionNamesOnly(db)
	}
	return jsonEqual(da, db)
}

// extensionNamesOnly replaces the values of a GraphQL answer's top-level extensions members by
// null, keeping their names.
func extensionNamesOnly(v any) any {
	doc, ok := v.(map[string]any)
	if !ok {
		return v
	}
	ext, ok := doc["extensions"].(map[string]any)
	if !ok {
		return v
	}
	names := make(map[string]any, len(ext))
	for k := range ext {
		names[k] = nil
	}
	out := make(map[string]any, len(doc))
	for k, item := range doc {
		out[k] = item
	}
	out["extensions"] = names
	return out
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
