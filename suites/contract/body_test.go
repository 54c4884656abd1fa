package contract

import (
	"encoding/json"
	"errors"
	"testing"
)

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name     string
		raw      string
		want     any
		trailing bool // the error is ErrTrailingData
		bad      bool // any other error
	}{
		{name: "number kept exact", raw: `200.50`, want: json.Number("200.50")},
		{name: "string stays a string", raw: `"200"`, want: "200"},
		{name: "JSON white space after the value", raw: "{}\r\n\t ", want: map[string]any{}},
		{name: "a second value", raw: `{} {}`, trailing: true},
		{name: "a stray closing brace", raw: `{"a":1}}`, trailing: true},
		{name: "a stray closing bracket", raw: `[1]]`, trailing: true},
		{name: "non-JSON white space", raw: "1\u00a0", trailing: true},
		{name: "empty", raw: ``, bad: true},
		{name: "truncated", raw: `{"a":`, bad: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeJSON([]byte(tt.raw))
			switch {
			case tt.trailing:
				if !errors.Is(err, ErrTrailingData) {
					t.Fatalf("DecodeJSON(%q) error %v, want ErrTrailingData", tt.raw, err)
				}
			case tt.bad:
				if err == nil || errors.Is(err, ErrTrailingData) {
					t.Fatalf("DecodeJSON(%q) error %v, want a syntax error", tt.raw, err)
				}
			case err != nil:
				t.Fatalf("DecodeJSON(%q): %v", tt.raw, err)
			default:
				if gb, _ := json.Marshal(got); string(gb) != mustJSON(t, tt.want) {
					t.Errorf("DecodeJSON(%q) = %#v, want %#v", tt.raw, got, tt.want)
				}
				if _, isNum := tt.want.(json.Number); isNum && got != tt.want {
					t.Errorf("DecodeJSON(%q) = %#v (%T), want json.Number %v", tt.raw, got, got, tt.want)
				}
			}
		})
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestBodyDecodesOnce shows that the decoded value is shared: the second JSON call returns the
// very same map, so the contract check and the assertions never parse a body twice.
func TestBodyDecodesOnce(t *testing.T) {
	b := NewBody([]byte(`{"a":1}`))
	first, err := b.JSON()
	if err != nil {
		t.Fatal(err)
	}
	first.(map[string]any)["marker"] = true
	second, _ := b.JSON()
	if second.(map[string]any)["marker"] != true {
		t.Error("JSON decoded the body again")
	}
	bad := NewBody([]byte(`{`))
	if _, err := bad.JSON(); err == nil {
		t.Fatal("a broken body decoded")
	}
	if _, err := bad.JSON(); err == nil {
		t.Error("the decoding error was not kept")
	}
}
