package engine

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"text/template"
	"time"
)

func TestTemplateFuncs(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	funcs := templateFuncs(func() time.Time { return now })
	tests := []struct {
		tpl     string
		want    string // exact output, or a regexp when it starts with ^
		wantErr string
	}{
		{`{{ add 1 2 }}`, "3", ""},
		{`{{ add .n "2" }}`, "202", ""},
		{`{{ sub 1 3 }}`, "-2", ""},
		{`{{ mul 6 7 }}`, "42", ""},
		{`{{ div 7 2 }}`, "3", ""},
		{`{{ div 1 0 }}`, "", "division by zero"},
		{`{{ mod 7 4 }}`, "3", ""},
		{`{{ add 1.5 1 }}`, "", "not an integer"},
		{`{{ add "x" 1 }}`, "", "invalid syntax"},
		{`{{ repeat "ab" 3 }}`, "ababab", ""},
		{`{{ repeat "ab" -1 }}`, "", "count"},
		{`{{ now }}`, "1767323045000", ""},
		{`{{ nowRFC3339 }}`, "2026-01-02T03:04:05Z", ""},
		{`{{ nowRFC3339 "+1h" }}`, "2026-01-02T04:04:05Z", ""},
		{`{{ nowRFC3339 "-90s" }}`, "2026-01-02T03:02:35Z", ""},
		{`{{ nowRFC3339 "soon" }}`, "", "nowRFC3339"},
		{`{{ secondsUntil "2026-01-02T03:34:05Z" }}`, "1800", ""},
		{`{{ secondsUntil "2026-01-02T03:04:04Z" }}`, "-1", ""},
		{`{{ msUntil "2026-01-02T03:04:05.250Z" }}`, "250", ""},
		{`{{ secondsUntil "tomorrow" }}`, "", "RFC 3339"},
		{`{{ secondsUntil 5 }}`, "", "RFC 3339"},
		{`{{ uuid }}`, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, ""},
		{`{{ json .m }}`, `{"a":[1,"x"]}`, ""},
		{`{{ base64url "a?b>" }}`, "YT9iPg", ""},
		{`{{ base64 "a?b>" }}`, "YT9iPg==", ""},
		{`{{ lower "AbC" }}{{ upper "AbC" }}`, "abcABC", ""},
		{`{{ str .n }}|{{ str .m }}|{{ str true }}`, `200|{"a":[1,"x"]}|true`, ""},
	}
	data := map[string]any{"n": json.Number("200"), "m": map[string]any{"a": []any{1, "x"}}}
	for _, tt := range tests {
		t.Run(tt.tpl, func(t *testing.T) {
			tpl, err := template.New("t").Funcs(funcs).Parse(tt.tpl)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			err = tpl.Execute(&b, data)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(tt.want, "^") {
				if !regexp.MustCompile(tt.want).MatchString(b.String()) {
					t.Fatalf("got %q, want match of %s", b.String(), tt.want)
				}
				return
			}
			if b.String() != tt.want {
				t.Fatalf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
	if got := len(TemplateFuncs()); got != len(funcs) {
		t.Errorf("TemplateFuncs has %d functions, the run-time set %d", got, len(funcs))
	}
}
