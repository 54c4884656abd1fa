package variants

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdVariants(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantFormat string
		wantErr    string
	}{
		{"table", nil, "table", ""},
		{"json", []string{"--format", "json"}, "json", ""},
		{"yaml", []string{"--format", "yaml"}, "", "--format must be table or json"},
		{"argument", []string{"tls13-only"}, "", "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := clitest.ParseArgs(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Format != tt.wantFormat || got.Variants == nil {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}

func sample() []refchannel.Variant {
	return []refchannel.Variant{
		{Name: "level2-off", Clauses: []string{"CAI-5.2"}, Description: "no level 2", Allowance: "level 2 is 400 `LEVEL_UNSUPPORTED`."},
		{Name: "tls13-only", Clauses: []string{"CAI-1.1", "CAI-1.2"}, Description: "TLS 1.3 only", Allowance: "TLS 1.2 or 1.3"},
	}
}

func TestRunVariants(t *testing.T) {
	tests := []struct {
		format string
		want   string
	}{
		{"table", "" +
			"NAME        CLAUSES          DESCRIPTION   ALLOWED BY (STANDARD.md)\n" +
			"level2-off  CAI-5.2          no level 2    \"level 2 is 400 `LEVEL_UNSUPPORTED`.\"\n" +
			"tls13-only  CAI-1.1,CAI-1.2  TLS 1.3 only  \"TLS 1.2 or 1.3\"\n"},
		{"json", `[
  {
    "name": "level2-off",
    "clauses": [
      "CAI-5.2"
    ],
    "description": "no level 2",
    "allowedBy": "level 2 is 400 ` + "`LEVEL_UNSUPPORTED`" + `."
  },
  {
    "name": "tls13-only",
    "clauses": [
      "CAI-1.1",
      "CAI-1.2"
    ],
    "description": "TLS 1.3 only",
    "allowedBy": "TLS 1.2 or 1.3"
  }
]
`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			if err := Run(&Options{IO: ios, Variants: sample, Format: tt.format}); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

// TestRunVariantsJSONKeys: every object of the real catalogue has exactly name, clauses,
// description and allowedBy, with at least one clause and a non-empty quote.
func TestRunVariantsJSONKeys(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	if err := Run(&Options{IO: ios, Variants: refchannel.Variants, Format: "json"}); err != nil {
		t.Fatal(err)
	}
	var got []map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(refchannel.Variants()) || len(got) < 15 {
		t.Fatalf("%d variants printed, catalogue has %d", len(got), len(refchannel.Variants()))
	}
	for _, obj := range got {
		var clauses []string
		var allowed string
		if len(obj) != 4 || obj["name"] == nil || obj["description"] == nil ||
			json.Unmarshal(obj["clauses"], &clauses) != nil || len(clauses) == 0 ||
			json.Unmarshal(obj["allowedBy"], &allowed) != nil || allowed == "" {
			t.Errorf("variant object %s: want exactly name, clauses (non-empty), description, allowedBy (non-empty)", obj["name"])
		}
	}
}
