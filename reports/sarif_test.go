package reports

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func writeSARIFDoc(t *testing.T, r *Report) map[string]any {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSARIF(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("SARIF is not JSON: %v", err)
	}
	return doc
}

// sarifProblems returns what SARIF 2.1.0 requires and doc lacks: version, runs, tool.driver.name,
// each result's message.text, a ruleId that is a rule of the driver, a level from the
// enumeration, and locations with a uri and startLine >= 1 when present.
func sarifProblems(doc map[string]any) []string {
	var probs []string
	if doc["version"] != "2.1.0" {
		probs = append(probs, "version is not 2.1.0")
	}
	if s, _ := doc["$schema"].(string); !strings.Contains(s, "sarif-2.1.0") {
		probs = append(probs, "$schema does not name SARIF 2.1.0")
	}
	runs, _ := doc["runs"].([]any)
	if len(runs) != 1 {
		return append(probs, "runs must hold one run")
	}
	run := runs[0].(map[string]any)
	driver, _ := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver == nil || driver["name"] == nil || driver["name"] == "" {
		return append(probs, "runs[0].tool.driver.name missing")
	}
	rules := map[string]bool{}
	ruleList, _ := driver["rules"].([]any)
	for _, r := range ruleList {
		rm := r.(map[string]any)
		rules[rm["id"].(string)] = true
		if sd, _ := rm["shortDescription"].(map[string]any); sd == nil || sd["text"] == "" {
			probs = append(probs, "rule without shortDescription.text")
		}
	}
	results, ok := run["results"].([]any)
	if !ok {
		probs = append(probs, "results missing")
	}
	for _, r := range results {
		probs = append(probs, sarifResultProblems(r.(map[string]any), rules)...)
	}
	return probs
}

func sarifResultProblems(rm map[string]any, rules map[string]bool) []string {
	var probs []string
	id, _ := rm["ruleId"].(string)
	if !rules[id] {
		probs = append(probs, "result ruleId "+id+" is not a rule")
	}
	if lv := rm["level"]; lv != "error" && lv != "warning" && lv != "note" && lv != "none" {
		probs = append(probs, id+": bad level")
	}
	if msg, _ := rm["message"].(map[string]any); msg == nil || msg["text"] == "" || msg["text"] == nil {
		probs = append(probs, id+": message.text missing")
	}
	locs, _ := rm["locations"].([]any)
	for _, l := range locs {
		pl, _ := l.(map[string]any)["physicalLocation"].(map[string]any)
		if pl == nil {
			probs = append(probs, id+": no physicalLocation")
			continue
		}
		if uri, _ := pl["artifactLocation"].(map[string]any)["uri"].(string); uri == "" {
			probs = append(probs, id+": no artifact uri")
		}
		if reg, ok := pl["region"].(map[string]any); ok && reg["startLine"].(float64) < 1 {
			probs = append(probs, id+": startLine < 1")
		}
	}
	return probs
}

func TestWriteSARIFRequiredFields(t *testing.T) {
	doc := writeSARIFDoc(t, sampleReport())
	if p := sarifProblems(doc); len(p) > 0 {
		t.Errorf("SARIF problems: %v", p)
	}
	broken := writeSARIFDoc(t, sampleReport())
	res := broken["runs"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
	res["ruleId"] = "NOPE"
	res["level"] = "fatal"
	if p := sarifProblems(broken); len(p) != 2 {
		t.Errorf("checker found %v in a SARIF log with two problems", p)
	}
}

func TestWriteSARIFContent(t *testing.T) {
	run := writeSARIFDoc(t, sampleReport())["runs"].([]any)[0].(map[string]any)
	driver := run["tool"].(map[string]any)["driver"].(map[string]any)
	if driver["name"] != "chanconf" || driver["version"] != "1.2.3" || driver["informationUri"] != informationURI {
		t.Errorf("driver %v", driver)
	}
	b, _ := json.Marshal(driver["rules"])
	// Marshalled from decoded maps, hence keys in alphabetical order.
	wantRules := `[{"id":"SEC-HDR-003","properties":{"clauses":["CAI-11.4"],"cwe":"CWE-200","level":"SHOULD","owasp":"API8:2023","tags":["security"]},"shortDescription":{"text":"No server version header"}},` +
		`{"id":"SEC-TOK-001","properties":{"clauses":["CAI-3.1"],"cwe":"CWE-347","level":"MUST","owasp":"API2:2023","tags":["security"]},"shortDescription":{"text":"Token signatures are verified"}}]`
	if string(b) != wantRules {
		t.Errorf("rules (security FAIL/WARN only, sorted):\n%s\nwant\n%s", b, wantRules)
	}
	results := run["results"].([]any)
	if len(results) != 2 {
		t.Fatalf("%d results", len(results))
	}
	tok := results[1].(map[string]any)
	b, _ = json.Marshal(tok["locations"])
	wantLoc := `[{"logicalLocations":[{"fullyQualifiedName":"clause CAI-3.1","kind":"clause","name":"CAI-3.1"}],` +
		`"physicalLocation":{"artifactLocation":{"uri":"cases/security/tokens.yaml"},"region":{"startLine":12}}}]`
	if string(b) != wantLoc {
		t.Errorf("locations %s\nwant %s", b, wantLoc)
	}
	if tok["level"] != "error" || tok["ruleIndex"] != 1.0 || results[0].(map[string]any)["level"] != "warning" {
		t.Errorf("levels/ruleIndex: %v / %v", tok, results[0])
	}
	props := tok["properties"].(map[string]any)
	if props["owasp"] != "API2:2023" || props["cwe"] != "CWE-347" {
		t.Errorf("result properties %v", props)
	}
	rp := run["properties"].(map[string]any)
	if rp["seed"] != 42.0 || rp["pack"].(map[string]any)["sha256"] != strings.Repeat("ab", 32) || rp["verdict"] != "NONCONFORMANT" {
		t.Errorf("run properties %v", rp)
	}
}

func TestSplitSource(t *testing.T) {
	tests := []struct {
		in   string
		file string
		line int
	}{
		{"cases/a.yaml:12", "cases/a.yaml", 12},
		{"cases/a.yaml:12:5", "cases/a.yaml", 12},
		{"cases/a.yaml", "cases/a.yaml", 0},
		{"", "", 0},
		{"c:/x.yaml:3", "c:/x.yaml", 3},
	}
	for _, tt := range tests {
		if f, l := splitSource(tt.in); f != tt.file || l != tt.line {
			t.Errorf("splitSource(%q) = %q, %d; want %q, %d", tt.in, f, l, tt.file, tt.line)
		}
	}
}
