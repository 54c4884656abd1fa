package runner

import (
	"context"
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// selectionPack has cases that differ in every selectable attribute.
func selectionPack() *specs.Pack {
	return testPack(
		tcase("FUN-SES-001", line(1)),
		tcase("FUN-SES-002", line(2), labels("slow")),
		tcase("FUN-GQL-001", line(3), graphql),
		tcase("SEC-SIG-001", line(4), security),
		tcase("SEC-SIG-002", line(5), security, should),
		tcase("FUN-ANY-001", line(6), func(c *specs.Case) { c.Profile = "" }),
	)
}

func TestRunSelection(t *testing.T) {
	tests := []struct {
		name     string
		mod      func(*Options)
		want     []string // executed, sorted
		skipWhy  map[string]string
		filtered bool
	}{
		{name: "no filter runs everything",
			want: []string{"FUN-ANY-001", "FUN-GQL-001", "FUN-SES-001", "FUN-SES-002", "SEC-SIG-001", "SEC-SIG-002"}},
		{name: "label filter on a case label", mod: func(o *Options) { o.LabelFilter = "!slow" },
			want:    []string{"FUN-ANY-001", "FUN-GQL-001", "FUN-SES-001", "SEC-SIG-001", "SEC-SIG-002"},
			skipWhy: map[string]string{"FUN-SES-002": "filtered out: not selected by --label-filter"}, filtered: true},
		{name: "label filter on suite and level", mod: func(o *Options) { o.LabelFilter = "security && MUST" },
			want: []string{"SEC-SIG-001"}, filtered: true},
		{name: "label filter on a clause ID", mod: func(o *Options) { o.LabelFilter = "CAI-2.2" },
			want: []string{"SEC-SIG-001", "SEC-SIG-002"}, filtered: true},
		{name: "label filter on the case ID is case-insensitive", mod: func(o *Options) { o.LabelFilter = "fun-ses-001" },
			want: []string{"FUN-SES-001"}, filtered: true},
		{name: "label filter on the profile", mod: func(o *Options) { o.LabelFilter = "graphql" },
			want: []string{"FUN-GQL-001"}, filtered: true},
		{name: "focus is an unanchored regex on the ID", mod: func(o *Options) { o.Focus = "SES" },
			want:    []string{"FUN-SES-001", "FUN-SES-002"},
			skipWhy: map[string]string{"SEC-SIG-001": `filtered out: ID does not match --focus "SES"`}, filtered: true},
		{name: "anchored focus selects one", mod: func(o *Options) { o.Focus = "^FUN-SES-001$" },
			want: []string{"FUN-SES-001"}, filtered: true},
		{name: "focus does not match the title", mod: func(o *Options) { o.Focus = "title" },
			want: nil, filtered: true},
		{name: "profile keeps profile-independent cases", mod: func(o *Options) { o.Profile = "graphql" },
			want:    []string{"FUN-ANY-001", "FUN-GQL-001"},
			skipWhy: map[string]string{"FUN-SES-001": `filtered out: profile "rest" is not --profile "graphql"`}, filtered: true},
		{name: "undeclared profile is skipped, not filtered", mod: func(o *Options) { o.Target.Profiles = []string{"rest"} },
			want:    []string{"FUN-ANY-001", "FUN-SES-001", "FUN-SES-002", "SEC-SIG-001", "SEC-SIG-002"},
			skipWhy: map[string]string{"FUN-GQL-001": `profile "graphql" not declared by the channel (declared: rest)`}},
		{name: "filters combine", mod: func(o *Options) { o.Focus = "FUN"; o.LabelFilter = "rest" },
			want: []string{"FUN-SES-001", "FUN-SES-002"}, filtered: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(nil)
			opts := baseOptions(selectionPack(), fake)
			if tt.mod != nil {
				tt.mod(&opts)
			}
			rep := mustRun(t, opts)
			got := fake.startedIDs()
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("executed %v, want %v", got, tt.want)
			}
			checkCatalogue(t, rep, opts.Pack)
			for _, c := range rep.Cases {
				ran := slices.Contains(tt.want, c.ID)
				if ran && c.State != reports.Pass || !ran && c.State != reports.Skip {
					t.Errorf("%s: state %s (executed: %v)", c.ID, c.State, ran)
				}
				if why, ok := tt.skipWhy[c.ID]; ok && !strings.HasPrefix(c.Message, why) {
					t.Errorf("%s: message %q, want prefix %q", c.ID, c.Message, why)
				}
			}
			if tt.filtered && rep.Verdict != reports.Incomplete {
				t.Errorf("filtered run has verdict %s, want INCOMPLETE", rep.Verdict)
			}
			if !tt.filtered && rep.Verdict != reports.Conformant {
				t.Errorf("unfiltered passing run has verdict %s (%v), want CONFORMANT", rep.Verdict, rep.Reasons)
			}
		})
	}
}

// checkCatalogue fails unless rep lists every case of p, in pack order.
func checkCatalogue(t *testing.T, rep *reports.Report, p *specs.Pack) {
	t.Helper()
	if len(rep.Cases) != len(p.Cases) {
		t.Fatalf("report has %d cases, pack %d", len(rep.Cases), len(p.Cases))
	}
	for i, c := range rep.Cases {
		if c.ID != p.Cases[i].ID {
			t.Errorf("report case %d is %s, pack order says %s", i, c.ID, p.Cases[i].ID)
		}
	}
}

func TestPreviewMatchesRun(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Options)
		want []string
	}{
		{name: "all", want: []string{"FUN-SES-001", "FUN-SES-002", "FUN-GQL-001", "SEC-SIG-001", "SEC-SIG-002", "FUN-ANY-001"}},
		{name: "label", mod: func(o *Options) { o.LabelFilter = "SHOULD || graphql" }, want: []string{"FUN-GQL-001", "SEC-SIG-002"}},
		{name: "focus", mod: func(o *Options) { o.Focus = "-00[2]$" }, want: []string{"FUN-SES-002", "SEC-SIG-002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := baseOptions(selectionPack(), nil)
			if tt.mod != nil {
				tt.mod(&opts)
			}
			cases, err := Preview(opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cases {
				got = append(got, c.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Preview = %v, want %v (pack order)", got, tt.want)
			}
		})
	}
}

func TestUsageErrors(t *testing.T) {
	tests := []struct {
		name  string
		mod   func(*Options)
		field string
	}{
		{name: "unbalanced label filter", mod: func(o *Options) { o.LabelFilter = "((" }, field: "label-filter"},
		{name: "dangling operator", mod: func(o *Options) { o.LabelFilter = "smoke &&" }, field: "label-filter"},
		{name: "single ampersand", mod: func(o *Options) { o.LabelFilter = "a & b" }, field: "label-filter"},
		{name: "bad focus regex", mod: func(o *Options) { o.Focus = "FUN-(" }, field: "focus"},
		{name: "unknown profile", mod: func(o *Options) { o.Profile = "soap" }, field: "profile"},
		{name: "negative concurrency", mod: func(o *Options) { o.Concurrency = -1 }, field: "concurrency"},
		{name: "negative case timeout", mod: func(o *Options) { o.CaseTimeout = -1 }, field: "case-timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFake(nil)
			opts := baseOptions(selectionPack(), fake)
			tt.mod(&opts)
			for name, call := range map[string]func() error{
				"Run":     func() error { _, err := Run(context.Background(), opts); return err },
				"Preview": func() error { _, err := Preview(opts); return err },
			} {
				err := call()
				var ue *UsageError
				if !errors.As(err, &ue) || ue.Field != tt.field {
					t.Fatalf("%s: error %v, want *UsageError for %s", name, err, tt.field)
				}
				if strings.Contains(err.Error(), "\x1b[") || strings.Contains(err.Error(), "{{") {
					t.Errorf("%s: error has colour markup: %q", name, err)
				}
			}
			if got := fake.startedIDs(); len(got) != 0 {
				t.Errorf("cases ran despite the usage error: %v", got)
			}
		})
	}
}

func TestPackErrors(t *testing.T) {
	tests := []struct {
		name  string
		cases []specs.Case
		want  string
	}{
		{name: "label with a slash", cases: []specs.Case{tcase("A-1", labels("a/b"))},
			want: `cases/functional/sessions.yaml:10: case A-1: "a/b" cannot be a label`},
		{name: "empty label", cases: []specs.Case{tcase("A-1", labels(" "))}, want: `case A-1: " " cannot be a label`},
		{name: "ID with a comma", cases: []specs.Case{tcase("A,1")}, want: `case A,1: "A,1" cannot be a label`},
		{name: "duplicate ID", cases: []specs.Case{tcase("A-1"), tcase("A-1")}, want: "case A-1: duplicate case ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Run(context.Background(), baseOptions(testPack(tt.cases...), newFake(nil)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "\x1b[") {
				t.Errorf("error has ANSI escapes: %q", err)
			}
		})
	}
}

func TestVetTestFlags(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		wantErr bool
	}{
		{name: "none"},
		{name: "count 1", args: []string{"-test.count=1"}},
		{name: "count 3", args: []string{"-test.count=3"}, wantErr: true},
		{name: "parallel", args: []string{"-test.parallel=4"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flagSetForVet()
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			if err := vetTestFlags(fs); (err != nil) != tt.wantErr {
				t.Errorf("vetTestFlags(%v) = %v, want error: %v", tt.args, err, tt.wantErr)
			}
		})
	}
}

// flagSetForVet declares the `go test` flags vetTestFlags looks at, with their defaults.
func flagSetForVet() *flag.FlagSet {
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.Int("test.count", 1, "")
	fs.Int("test.parallel", 2, "")
	return fs
}
