package reports

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func writeHARDoc(t *testing.T, r *Report) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteHAR(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("HAR is not JSON: %v", err)
	}
	return doc
}

// harRequired lists, per HAR 1.2 object, its required fields and their JSON types.
func harRequired() map[string]map[string]string {
	return map[string]map[string]string{
		"log":      {"version": "string", "creator": "object", "entries": "array"},
		"creator":  {"name": "string", "version": "string"},
		"entry":    {"startedDateTime": "string", "time": "number", "request": "object", "response": "object", "cache": "object", "timings": "object"},
		"request":  {"method": "string", "url": "string", "httpVersion": "string", "cookies": "array", "headers": "array", "queryString": "array", "headersSize": "number", "bodySize": "number"},
		"response": {"status": "number", "statusText": "string", "httpVersion": "string", "cookies": "array", "headers": "array", "content": "object", "redirectURL": "string", "headersSize": "number", "bodySize": "number"},
		"content":  {"size": "number", "mimeType": "string"},
		"timings":  {"send": "number", "wait": "number", "receive": "number"},
		"nv":       {"name": "string", "value": "string"},
		"postData": {"mimeType": "string", "text": "string"},
	}
}

func jsonType(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	case bool:
		return "boolean"
	}
	return "null"
}

// harProblems returns every required HAR 1.2 field missing or mistyped in doc.
func harProblems(doc map[string]any) []string {
	req := harRequired()
	var probs []string
	need := func(kind, path string, obj any) map[string]any {
		m, ok := obj.(map[string]any)
		if !ok {
			probs = append(probs, path+": not an object")
			return nil
		}
		for f, typ := range req[kind] {
			if got := jsonType(m[f]); got != typ {
				probs = append(probs, path+"."+f+": "+got+", want "+typ)
			}
		}
		return m
	}
	log := need("log", "log", doc["log"])
	if log == nil {
		return probs
	}
	if log["version"] != "1.2" {
		probs = append(probs, "log.version is not 1.2")
	}
	need("creator", "log.creator", log["creator"])
	entries, _ := log["entries"].([]any)
	for _, e := range entries {
		em := need("entry", "entry", e)
		if em == nil {
			continue
		}
		rq := need("request", "request", em["request"])
		rs := need("response", "response", em["response"])
		need("timings", "timings", em["timings"])
		if rs != nil {
			need("content", "content", rs["content"])
		}
		for _, o := range []map[string]any{rq, rs} {
			if o == nil {
				continue
			}
			for _, list := range []string{"headers", "queryString"} {
				items, _ := o[list].([]any)
				for _, nv := range items {
					need("nv", list, nv)
				}
			}
		}
		if rq != nil && rq["postData"] != nil {
			need("postData", "postData", rq["postData"])
		}
	}
	return probs
}

func TestWriteHARRequiredFields(t *testing.T) {
	doc := writeHARDoc(t, sampleReport())
	if p := harProblems(doc); len(p) > 0 {
		t.Errorf("HAR 1.2 problems: %v", p)
	}
	// The checker must reject a HAR that lacks what 1.2 requires.
	broken := writeHARDoc(t, sampleReport())
	entry := broken["log"].(map[string]any)["entries"].([]any)[0].(map[string]any)
	delete(entry["request"].(map[string]any), "headersSize")
	entry["timings"].(map[string]any)["wait"] = "12"
	if p := harProblems(broken); len(p) != 2 {
		t.Errorf("checker found %v in a HAR with two problems", p)
	}
}

func TestWriteHAREntries(t *testing.T) {
	log := writeHARDoc(t, sampleReport())["log"].(map[string]any)
	if c := log["creator"].(map[string]any); c["name"] != "chanconf" || c["version"] != "1.2.3" {
		t.Errorf("creator %v", c)
	}
	run := log["_run"].(map[string]any)
	if run["seed"] != 42.0 || run["pack"].(map[string]any)["sha256"] != strings.Repeat("ab", 32) {
		t.Errorf("_run %v", run)
	}
	entries := log["entries"].([]any)
	var order []string
	byID := map[string]map[string]any{}
	for _, e := range entries {
		m := e.(map[string]any)
		order = append(order, m["_id"].(string))
		byID[m["_id"].(string)] = m
	}
	if want := []string{"FUN-SES-001#1", "FUN-SES-002#1", "FUN-SES-002#2", "FUN-CRD-001#1"}; !slices.Equal(order, want) {
		t.Errorf("entries in order %v, want %v (by time, then ID)", order, want)
	}
	get := byID["FUN-SES-002#2"]
	if get["_caseId"] != "FUN-SES-002" || get["_step"] != 2.0 || get["time"] != 12.5 ||
		get["startedDateTime"] != "2026-03-01T08:00:02.123Z" {
		t.Errorf("entry fields: %v", get)
	}
	if tm := get["timings"].(map[string]any); tm["wait"] != 12.5 || tm["send"] != 0.0 || tm["receive"] != 0.0 {
		t.Errorf("timings %v", tm)
	}
	q, _ := json.Marshal(get["request"].(map[string]any)["queryString"])
	if string(q) != `[{"name":"holder","value":"me"},{"name":"x","value":"a b"}]` {
		t.Errorf("queryString %s", q)
	}
	if _, ok := get["request"].(map[string]any)["postData"]; ok {
		t.Error("postData on a request without a body")
	}
	post := byID["FUN-SES-002#1"]
	pd := post["request"].(map[string]any)["postData"].(map[string]any)
	if pd["mimeType"] != "application/json" || !strings.Contains(pd["text"].(string), "realNameToken") {
		t.Errorf("postData %v", pd)
	}
	if rs := post["response"].(map[string]any); rs["bodySize"] != -1.0 || rs["content"].(map[string]any)["comment"] == nil {
		t.Errorf("a truncated response must have bodySize -1 and a comment: %v", rs)
	}
	failed := byID["FUN-CRD-001#1"]
	if failed["_error"] != "dial tcp 127.0.0.1:8443: connect: connection refused" || failed["response"].(map[string]any)["status"] != 0.0 {
		t.Errorf("errored exchange: %v", failed)
	}
}

func TestWriteHAREmpty(t *testing.T) {
	doc := writeHARDoc(t, &Report{})
	if p := harProblems(doc); len(p) > 0 {
		t.Errorf("empty HAR problems: %v", p)
	}
	if n := len(doc["log"].(map[string]any)["entries"].([]any)); n != 0 {
		t.Errorf("%d entries", n)
	}
}

func TestQueryString(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://h/p", "[]"},
		{"https://h/p?a=1&a=2&b", `[{a 1} {a 2} {b }]`},
		{"https://h/p?q=%zz&k=%E4%B8%AD", `[{q %zz} {k 中}]`},
		{"::bad", "[]"},
	}
	for _, tt := range tests {
		var got []string
		for _, nv := range queryString(tt.url) {
			got = append(got, "{"+nv.Name+" "+nv.Value+"}")
		}
		if s := "[" + strings.Join(got, " ") + "]"; s != tt.want {
			t.Errorf("queryString(%q) = %s, want %s", tt.url, s, tt.want)
		}
	}
}
