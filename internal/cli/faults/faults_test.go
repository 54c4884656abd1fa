package faults

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdFaults(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantFormat string
		wantErr    string
	}{
		{"table", nil, "table", ""},
		{"json", []string{"--format", "json"}, "json", ""},
		{"yaml", []string{"--format", "yaml"}, "", "--format must be table or json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := clitest.ParseArgs(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || cmdutil.Classify(err) != cmdutil.ExitUsage {
					t.Fatalf("error %v, want usage error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got.Format != tt.wantFormat || got.Faults == nil {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}

func sample() []refchannel.Fault {
	return []refchannel.Fault{
		{Name: "hsts-missing", Clauses: []string{"CAI-1.3"}, Description: "no HSTS header"},
		{Name: "unmasked-idno", Clauses: []string{"CAI-9.1", "CAI-5.9"}, Description: "getCard returns the full ID number"},
	}
}

func TestRunFaults(t *testing.T) {
	tests := []struct {
		format string
		want   string
	}{
		{"table", "" +
			"NAME           CLAUSES          DESCRIPTION\n" +
			"hsts-missing   CAI-1.3          no HSTS header\n" +
			"unmasked-idno  CAI-9.1,CAI-5.9  getCard returns the full ID number\n"},
		{"json", `[
  {
    "name": "hsts-missing",
    "clauses": [
      "CAI-1.3"
    ],
    "description": "no HSTS header"
  },
  {
    "name": "unmasked-idno",
    "clauses": [
      "CAI-9.1",
      "CAI-5.9"
    ],
    "description": "getCard returns the full ID number"
  }
]
`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			if err := Run(&Options{IO: ios, Faults: sample, Format: tt.format}); err != nil {
				t.Fatal(err)
			}
			if out.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

// TestRunFaultsJSONKeys: every object of the real catalogue has exactly name, clauses and
// description, with at least one clause.
func TestRunFaultsJSONKeys(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	if err := Run(&Options{IO: ios, Faults: refchannel.Faults, Format: "json"}); err != nil {
		t.Fatal(err)
	}
	var got []map[string]json.RawMessage
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(refchannel.Faults()) || len(got) == 0 {
		t.Fatalf("%d faults printed, catalogue has %d", len(got), len(refchannel.Faults()))
	}
	for _, obj := range got {
		var clauses []string
		if len(obj) != 3 || obj["name"] == nil || obj["description"] == nil || json.Unmarshal(obj["clauses"], &clauses) != nil || len(clauses) == 0 {
			t.Errorf("fault object %s: want exactly name, clauses (non-empty array), description", obj["name"])
		}
	}
}
