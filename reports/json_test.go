package reports

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

func writeJSON(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON()))
	if err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("report.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("report.schema.json")
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	return sch
}

func TestWriteJSONShape(t *testing.T) {
	out := writeJSON(t, sampleReport())
	s := string(out)
	for _, want := range []string{
		`"startedAt": "2026-03-01T08:00:00.123Z"`,
		`"finishedAt": "2026-03-01T08:00:12.468Z"`,
		`"verdict": "NONCONFORMANT"`,
		`"sha256": "` + strings.Repeat("ab", 32) + `"`,
		`"seed": 42`,
		`"waivers": "waivers.yaml"`,
		`"version": "1.2.3"`,
		`"state": "FAIL"`,
		`"message": ""`, // PASS cases carry an empty message (schema requires it)
		`"checks": []`,  // SKIP case: never null
		`"faults": [` + "\n" + `      "cors-wildcard",`,
		`actual 200`,
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report.json lacks %s", want)
		}
	}
	for _, bad := range []string{"null", "exchanges", `\u003c`} {
		if strings.Contains(s, bad) {
			t.Errorf("report.json contains %s", bad)
		}
	}
	if strings.Index(s, `"FUN-CRD-001"`) > strings.Index(s, `"FUN-SES-001"`) {
		t.Error("cases are not sorted by ID")
	}
}

// TestWriteJSONKeyOrder checks the top-level keys come in struct order, so the reflection-based
// encoder cannot drift from the model.
func TestWriteJSONKeyOrder(t *testing.T) {
	dec := json.NewDecoder(bytes.NewReader(writeJSON(t, sampleReport())))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				keys = append(keys, v)
				skipValue(t, dec)
			}
		}
	}
	var want []string
	typ := reflect.TypeFor[Report]()
	for i := range typ.NumField() {
		name, _ := jsonTag(typ.Field(i))
		if name != "-" {
			want = append(want, name)
		}
	}
	if strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Errorf("keys %v\nwant %v", keys, want)
	}
}

func skipValue(t *testing.T, dec *json.Decoder) {
	t.Helper()
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	first := writeJSON(t, sampleReport())
	r, err := ReadJSON(bytes.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	if second := writeJSON(t, r); !bytes.Equal(first, second) {
		t.Errorf("write(read(x)) != x:\n%s", firstDiff(string(first), string(second)))
	}
	if r.Verdict != Nonconformant || len(r.Cases) != 7 || r.Cases[0].Checks[0].Outcome != NotChecked {
		t.Errorf("read back wrong: %s, %d cases", r.Verdict, len(r.Cases))
	}
}

func TestReadJSONStrict(t *testing.T) {
	good := string(writeJSON(t, sampleReport()))
	tests := []struct {
		name, in, wantErr string
	}{
		{"unknown top-level field", strings.Replace(good, `"seed"`, `"extra": 1, "seed"`, 1), `unknown field "extra"`},
		{"unknown case field", strings.Replace(good, `"title"`, `"titel": "x", "title"`, 1), `unknown field "titel"`},
		{"bad state", strings.Replace(good, `"state": "PASS"`, `"state": "PASSED"`, 1), `unknown case state "PASSED"`},
		{"bad verdict", strings.Replace(good, `"NONCONFORMANT"`, `"OK"`, 1), `unknown verdict "OK"`},
		{"trailing data", good + "{}", "data after the report"},
		{"other schema version", strings.Replace(good, `"schemaVersion": "1.1"`, `"schemaVersion": "2.0"`, 1), `schema version "2.0"`},
		{"not JSON", "<xml/>", "read report.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.in == good {
				t.Fatal("test input not changed")
			}
			_, err := ReadJSON(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("err = %v, want it to contain %q", err, tt.wantErr)
			}
		})
	}
}

func TestSchemaJSONIsACopy(t *testing.T) {
	a := SchemaJSON()
	a[0] = 'X'
	if SchemaJSON()[0] == 'X' {
		t.Error("SchemaJSON returns shared bytes")
	}
}

// TestSchemaValidatesWrittenReport validates report.json against the schema, and shows the
// schema rejects what it must.
func TestSchemaValidatesWrittenReport(t *testing.T) {
	sch := compileSchema(t)
	mutate := func(f func(doc map[string]any)) func(doc map[string]any) { return f }
	caseAt := func(doc map[string]any, id string) map[string]any {
		for _, c := range doc["cases"].([]any) {
			if m := c.(map[string]any); m["id"] == id {
				return m
			}
		}
		t.Fatalf("no case %s", id)
		return nil
	}
	tests := []struct {
		name    string
		change  func(doc map[string]any)
		wantErr string // "" = valid
	}{
		{"as written", nil, ""},
		{"SKIP without checks is fine", mutate(func(d map[string]any) { caseAt(d, "FUN-QR-009")["checks"] = []any{} }), ""},
		{"FAIL without checks", mutate(func(d map[string]any) { caseAt(d, "FUN-SES-002")["checks"] = []any{} }), "minItems"},
		{"ERROR without checks", mutate(func(d map[string]any) { caseAt(d, "FUN-CRD-001")["checks"] = []any{} }), "minItems"},
		{"bad state", mutate(func(d map[string]any) { caseAt(d, "FUN-SES-001")["state"] = "GREEN" }), "/state': value must be one of"},
		{"INVALID state", mutate(func(d map[string]any) { caseAt(d, "FUN-SES-001")["state"] = "INVALID" }), "/state': value must be one of"},
		{"missing message", mutate(func(d map[string]any) { delete(caseAt(d, "FUN-SES-001"), "message") }), "message"},
		{"missing verdict", mutate(func(d map[string]any) { delete(d, "verdict") }), "verdict"},
		{"missing pack sha256", mutate(func(d map[string]any) { delete(d["pack"].(map[string]any), "sha256") }), "sha256"},
		{"bad sha256", mutate(func(d map[string]any) { d["pack"].(map[string]any)["sha256"] = "xyz" }), "xyz"},
		{"missing tool revision", mutate(func(d map[string]any) { delete(d["tool"].(map[string]any), "revision") }), "revision"},
		{"time without ms", mutate(func(d map[string]any) { d["startedAt"] = "2026-03-01T08:00:00Z" }), "2026-03-01T08:00:00Z"},
		{"unknown field", mutate(func(d map[string]any) { d["exchanges"] = []any{} }), "exchanges"},
		{"bad outcome", mutate(func(d map[string]any) {
			caseAt(d, "FUN-SES-001")["checks"].([]any)[0].(map[string]any)["outcome"] = "ok"
		}), "/outcome': value must be one of"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(writeJSON(t, sampleReport())))
			if err != nil {
				t.Fatal(err)
			}
			if tt.change != nil {
				tt.change(doc.(map[string]any))
			}
			err = sch.Validate(doc)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("valid report rejected: %v", err)
			case tt.wantErr != "" && err == nil:
				t.Error("invalid report accepted")
			case tt.wantErr != "" && !strings.Contains(err.Error(), tt.wantErr):
				t.Errorf("error does not mention %q: %v", tt.wantErr, err)
			}
		})
	}
}

// TestSchemaDocumentsEveryProperty checks every property in the schema has a description or a
// $ref to a described definition, as promised to report readers.
func TestSchemaDocumentsEveryProperty(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(SchemaJSON(), &doc); err != nil {
		t.Fatal(err)
	}
	var missing []string
	var walk func(path string, node map[string]any)
	walk = func(path string, node map[string]any) {
		props, _ := node["properties"].(map[string]any)
		for name, p := range props {
			pm := p.(map[string]any)
			_, hasDesc := pm["description"]
			_, hasRef := pm["$ref"]
			if !hasDesc && !hasRef {
				missing = append(missing, path+"."+name)
			}
			walk(path+"."+name, pm)
		}
		if items, ok := node["items"].(map[string]any); ok {
			walk(path+"[]", items)
		}
		if defs, ok := node["$defs"].(map[string]any); ok {
			for name, d := range defs {
				walk("$defs."+name, d.(map[string]any))
			}
		}
	}
	walk("", doc)
	if len(missing) > 0 {
		t.Errorf("properties without description: %v", missing)
	}
}
