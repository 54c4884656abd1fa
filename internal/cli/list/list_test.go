package list

import (
	"encoding/json"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdList(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    Options
		wantErr string
	}{
		{"defaults", nil, Options{Format: "table"}, ""},
		{"filters and format", []string{"--pack", "p", "--label-filter", "smoke", "--focus", "SES", "--profile", "rest", "--format", "yaml"},
			Options{PackDir: "p", LabelFilter: "smoke", Focus: "SES", Profile: "rest", Format: "yaml"}, ""},
		{"bad format", []string{"--format", "csv"}, Options{}, "--format must be one of table, yaml, json"},
		{"argument", []string{"x"}, Options{}, "unknown command"},
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
			if err != nil {
				t.Fatal(err)
			}
			got.IO = nil
			if *got != tt.want {
				t.Fatalf("options %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestRunList(t *testing.T) {
	pack := clitest.MiniPack(t)
	tests := []struct {
		name     string
		opts     Options
		want     string
		wantCode cmdutil.ExitCode
	}{
		{name: "table", opts: Options{Format: "table"}, want: "" +
			"ID           CLAUSES   LEVEL  LABELS        TITLE\n" +
			"FUN-HLT-901  CAI-13.1  MUST   health,smoke  The health check answers UP\n" +
			"SEC-HDR-901  CAI-11.2  MUST   headers       Responses forbid caching\n" +
			"FUN-SES-901  CAI-4.1   MUST   sessions      A session is created from a valid real-name token (the token seals personal data with the data key)\n"},
		{name: "yaml, label filter", opts: Options{Format: "yaml", LabelFilter: "health || headers"}, want: "" +
			"- id: FUN-HLT-901\n  title: The health check answers UP\n  clauses: [CAI-13.1]\n  level: MUST\n  suite: functional\n" +
			"  area: health\n  labels: [health, smoke]\n  profile: any\n" +
			"- id: SEC-HDR-901\n  title: Responses forbid caching\n  clauses: [CAI-11.2]\n  level: MUST\n  suite: security\n" +
			"  area: headers\n  labels: [headers]\n  profile: any\n"},
		{name: "json, focus", opts: Options{Format: "json", Focus: "SES"}, want: `[
  {
    "id": "FUN-SES-901",
    "title": "A session is created from a valid real-name token (the token seals personal data with the data key)",
    "clauses": [
      "CAI-4.1"
    ],
    "level": "MUST",
    "suite": "functional",
    "area": "sessions",
    "labels": [
      "sessions"
    ],
    "profile": "rest"
  }
]
`},
		{name: "empty selection", opts: Options{Format: "json", Focus: "NONE"}, want: "[]\n"},
		{name: "unknown profile", opts: Options{Format: "table", Profile: "soap"}, wantCode: cmdutil.ExitUsage},
		{name: "broken pack", opts: Options{Format: "table", PackDir: clitest.BrokenPack(t)}, wantCode: cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			opts := tt.opts
			opts.IO = ios
			if opts.PackDir == "" {
				opts.PackDir = pack
			}
			err := Run(t.Context(), &opts)
			if got := cmdutil.Classify(err); got != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d", got, err, tt.wantCode)
			}
			if out.String() != tt.want {
				t.Errorf("got\n%s\nwant\n%s", out, tt.want)
			}
		})
	}
}

// TestCatalogueRoundTrip: the YAML and JSON forms decode back into the same entries, so the
// catalogue file can be read by tools.
func TestCatalogueRoundTrip(t *testing.T) {
	for _, format := range []string{"yaml", "json"} {
		ios, _, out, _ := iostreams.Test()
		if err := Run(t.Context(), &Options{IO: ios, PackDir: clitest.MiniPack(t), Format: format}); err != nil {
			t.Fatal(err)
		}
		var got []entry
		var err error
		if format == "yaml" {
			err = yaml.Unmarshal(out.Bytes(), &got)
		} else {
			err = json.Unmarshal(out.Bytes(), &got)
		}
		if err != nil || len(got) != 3 || got[2].ID != "FUN-SES-901" || got[2].Profile != "rest" || len(got[0].Labels) != 2 {
			t.Errorf("%s: decoded %+v, %v", format, got, err)
		}
	}
}
