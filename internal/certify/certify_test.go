package certify

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/chanconf/chanconf/reports"
)

// digest is a well-formed pack digest (64 lowercase hex characters).
const digest = "abababababababababababababababababababababababababababababababab"

func packRef() reports.PackRef {
	return reports.PackRef{Name: "essc-cai", Version: "1.0.0", SHA256: digest}
}

// catalogue has MUST cases of both profiles and of any, and a SHOULD case.
func catalogue() []CaseRef {
	return []CaseRef{
		{ID: "A", Level: "MUST", Profile: "any"}, {ID: "R", Level: "MUST", Profile: "rest"},
		{ID: "G", Level: "MUST", Profile: "graphql"}, {ID: "S", Level: "SHOULD", Profile: "rest"},
	}
}

// good is a certifiable report of a channel declaring rest only.
func good() *reports.Report {
	r := &reports.Report{
		SchemaVersion: reports.SchemaVersion, Tool: reports.Tool{Version: "v1.0.0"}, Pack: packRef(),
		Target: reports.Target{Profiles: []string{"rest"}},
		Cases: reports.Cases{
			{ID: "A", Level: "MUST", Profile: "any", State: reports.Pass},
			{ID: "R", Level: "MUST", Profile: "rest", State: reports.Pass},
			{ID: "G", Level: "MUST", Profile: "graphql", State: reports.Skip, Message: "profile graphql not declared"},
			{ID: "S", Level: "SHOULD", Profile: "rest", State: reports.Warn},
		},
	}
	reports.Judge(r)
	return r
}

func TestEvaluate(t *testing.T) {
	tests := []struct {
		name   string
		change func(r *reports.Report, in *Input)
		want   []string // substrings of the reasons; none: certifiable
	}{
		{"conformant full run", func(*reports.Report, *Input) {}, nil},
		{"unapproved pack", func(r *reports.Report, _ *Input) { r.Pack.SHA256 = strings.Repeat("cd", 32) }, []string{"is not approved by the policy"}},
		{"unapproved version of an approved digest", func(r *reports.Report, _ *Input) { r.Pack.Version = "1.0.1" }, []string{"1.0.1", "not approved"}},
		{"unapproved tool", func(_ *reports.Report, in *Input) { in.Policy.ToolVersions = []string{"v2.0.0"} }, []string{`chanconf version "v1.0.0" is not approved`}},
		{"filtered", func(r *reports.Report, _ *Input) { r.Filters.Focus = "^A$"; reports.Judge(r) },
			[]string{`a filter was applied (--focus "^A$")`, "verdict is INCOMPLETE"}},
		{"label filter and profile", func(r *reports.Report, _ *Input) { r.Filters.LabelFilter = "smoke"; r.Filters.Profile = "rest" },
			[]string{"--label-filter", "--profile"}},
		{"waived", func(r *reports.Report, _ *Input) {
			r.Filters.Waivers = "w.yaml"
			r.Cases[1].State = reports.Waived
			reports.Judge(r)
		}, []string{"waivers were applied (w.yaml): R", "MUST cases of the declared profiles that did not pass: R (WAIVED)"}},
		{"waivers file without a match", func(r *reports.Report, _ *Input) { r.Filters.Waivers = "w.yaml" }, []string{"waivers were applied (w.yaml)"}},
		{"merged re-run", func(r *reports.Report, _ *Input) {
			r.Filters.RerunOf = "old/report.json"
			r.Cases[0].Attempts = []reports.Attempt{{State: reports.Fail}}
		}, []string{"merges a re-run of old/report.json"}},
		{"attempts without rerunOf", func(r *reports.Report, _ *Input) { r.Cases[0].Attempts = []reports.Attempt{{State: reports.Fail}} },
			[]string{"merges several attempts of A"}},
		{"reference channel with faults", func(r *reports.Report, _ *Input) {
			r.Target.Reference, r.Target.Faults = true, []string{"hsts-missing"}
		}, []string{"reference channel with fault switches on: hsts-missing"}},
		{"failed", func(r *reports.Report, _ *Input) { r.Cases[1].State = reports.Fail; reports.Judge(r) },
			[]string{"verdict is NONCONFORMANT", "did not pass: R (FAIL)"}},
		{"interrupted", func(r *reports.Report, _ *Input) { r.Interrupted = true; reports.Judge(r) }, []string{"the run was interrupted"}},
		{"MUST case missing", func(r *reports.Report, _ *Input) { r.Cases = r.Cases[1:] }, []string{"missing from the report: A"}},
		{"not applicable to this channel", func(r *reports.Report, _ *Input) {
			r.Cases[1].State, r.Cases[1].NotApplicable, r.Cases[1].Message = reports.Skip, true, "not applicable: level2 is false"
			reports.Judge(r)
		}, nil},
		{"skipped without being not applicable", func(r *reports.Report, _ *Input) {
			r.Cases[1].State, r.Cases[1].Message = reports.Skip, "skipped"
			reports.Judge(r)
		}, []string{"did not pass: R (SKIP)"}},
		{"graphql declared but skipped", func(r *reports.Report, _ *Input) { r.Target.Profiles = []string{"rest", "graphql"} },
			[]string{"did not pass: G (SKIP)"}},
		{"case unknown to the pack", func(r *reports.Report, _ *Input) {
			r.Cases = append(r.Cases, reports.Case{ID: "X", Level: "MUST", Profile: "rest", State: reports.Pass})
		}, []string{"the pack does not have: X"}},
		{"no catalogue", func(_ *reports.Report, in *Input) { in.Cases = nil }, []string{"catalogue is not available", "the pack does not have"}},
		{"many cases not run", func(r *reports.Report, in *Input) {
			for i := range 25 {
				id := fmt.Sprintf("M%02d", i)
				in.Cases = append(in.Cases, CaseRef{ID: id, Level: "MUST", Profile: "rest"})
				r.Cases = append(r.Cases, reports.Case{ID: id, Level: "MUST", Profile: "rest", State: reports.Skip})
			}
		}, []string{"25 MUST cases of the declared profiles that did not pass: M00 (SKIP),", "M19 (SKIP) and 5 more (see report.json)"}},
		{"no profiles", func(r *reports.Report, _ *Input) { r.Target.Profiles = nil }, []string{"names no declared profile"}},
		// Issue 12 finding 8: `run --bundle` without a key said "certifiable: yes", verify "no".
		{"unsigned bundle", func(_ *reports.Report, in *Input) { in.Evidence = UnsignedBundle }, []string{ReasonUnsigned}},
		{"no bundle", func(_ *reports.Report, in *Input) { in.Evidence = NoBundle }, []string{ReasonNoBundle}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := good()
			in := Input{Report: r, Cases: catalogue(), Policy: DefaultPolicy(packRef()), Evidence: SignedBundle}
			tt.change(r, &in)
			got := Evaluate(in)
			text := strings.Join(got.Reasons, "\n")
			if got.Certifiable != (len(tt.want) == 0) {
				t.Fatalf("certifiable %v, reasons:\n%s", got.Certifiable, text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("reasons lack %q:\n%s", w, text)
				}
			}
			if got.Reasons == nil {
				t.Error("reasons are nil (report.json would say null)")
			}
		})
	}
}

func TestParsePolicy(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"valid", "approvedPacks:\n  - {name: essc-cai, version: 1.0.0, sha256: " + digest + "}\ntoolVersions: [v1.0.0]\n", ""},
		{"empty", "", "empty file"},
		{"unknown key", "approvedPack: []\n", "field approvedPack not found"},
		{"no packs", "toolVersions: [v1]\n", "at least one pack"},
		{"bad digest", "approvedPacks:\n  - {name: a, version: b, sha256: ABC}\n", "sha256 must be 64 lowercase hex"},
		{"missing version", "approvedPacks:\n  - {name: a, sha256: " + digest + "}\n", "name and version are required"},
		{"empty tool version", "approvedPacks:\n  - {name: a, version: b, sha256: " + digest + "}\ntoolVersions: ['']\n", "toolVersions[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parsePolicy("policy.yaml", []byte(tt.yaml))
			if tt.want == "" {
				if err != nil || len(p.ApprovedPacks) != 1 || p.ToolVersions[0] != "v1.0.0" {
					t.Fatalf("policy %+v, error %v", p, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "policy.yaml") {
				t.Fatalf("error %v, want one naming the file and containing %q", err, tt.want)
			}
		})
	}
	path := filepath.Join(t.TempDir(), "p.yaml")
	if err := os.WriteFile(path, []byte("approvedPacks:\n  - {name: essc-cai, version: 1.0.0, sha256: "+digest+"}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := LoadPolicy(path)
	if err != nil || !p.approvesPack(packRef()) || !p.approvesTool("anything") {
		t.Fatalf("loaded policy %+v, %v", p, err)
	}
	if _, err := LoadPolicy(filepath.Join(t.TempDir(), "none.yaml")); err == nil {
		t.Error("a missing policy file loaded")
	}
}

func TestPackRefOf(t *testing.T) {
	good := fstest.MapFS{
		"pack.yaml":      {Data: []byte("name: essc-cai\nversion: 1.0.0\n")},
		"cases/a.yaml":   {Data: []byte("cases: []\n")},
		"embed.go":       {Data: []byte("package x\n")},
		"_scratch/x.txt": {Data: []byte("not part of the pack\n")},
	}
	ref, err := PackRefOf(good)
	if err != nil || ref.Name != "essc-cai" || ref.Version != "1.0.0" || len(ref.SHA256) != 64 {
		t.Fatalf("ref %+v, %v", ref, err)
	}
	changed := fstest.MapFS{"pack.yaml": good["pack.yaml"], "cases/a.yaml": {Data: []byte("cases: [] \n")}}
	if other, _ := PackRefOf(changed); other.SHA256 == ref.SHA256 {
		t.Error("a changed case file kept the digest")
	}
	for name, fsys := range map[string]fstest.MapFS{
		"no pack.yaml":  {"cases/a.yaml": good["cases/a.yaml"]},
		"bad pack.yaml": {"pack.yaml": {Data: []byte("name: [\n")}},
	} {
		if _, err := PackRefOf(fsys); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestWrite: run and verify print the decision with this one function.
func TestWrite(t *testing.T) {
	tests := []struct {
		name string
		e    reports.Eligibility
		want string
	}{
		{"certifiable", reports.Eligibility{Certifiable: true, Reasons: []string{}}, "certifiable: yes\n"},
		{"not certifiable", reports.Eligibility{Reasons: []string{"the verdict is INCOMPLETE, not CONFORMANT", "the run was interrupted"}},
			"certifiable: no\n  - the verdict is INCOMPLETE, not CONFORMANT\n  - the run was interrupted\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			if err := Write(&b, tt.e); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}
