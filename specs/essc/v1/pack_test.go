package esscv1_test

import (
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/specs"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

func loadManifest(t *testing.T) specs.Manifest {
	t.Helper()
	data, err := esscv1.FS.ReadFile("pack.yaml")
	if err != nil {
		t.Fatalf("read pack.yaml: %v", err)
	}
	var m specs.Manifest
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode pack.yaml: %v", err)
	}
	return m
}

// standardClause is a clause as STANDARD.md states it.
type standardClause struct {
	level specs.Level
	suite specs.Suite
}

var (
	sectionHeading = regexp.MustCompile(`(?m)^## (\d+)\. [^(\n]*(?:\(([^)]*)\))?$`)
	clauseLine     = regexp.MustCompile(`(?m)^- (CAI-(\d+)\.(\d+)) (MUST|SHOULD)(?: NOT)?:`)
)

// securityRanges parses the exceptions of a section heading such as "functional; 4.2, 4.6
// security" or "functional; 7.2-7.6 security too" into the set of clause numbers they name.
func securityRanges(section int, spec string) (map[int]bool, error) {
	out := map[int]bool{}
	_, rest, ok := strings.Cut(spec, ";")
	if !ok {
		return out, nil
	}
	rest = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "too"))
	list, ok := strings.CutSuffix(rest, "security")
	if !ok {
		return nil, fmt.Errorf("section %d: exceptions %q do not end in security", section, rest)
	}
	for _, item := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(strings.TrimSpace(item), "-")
		if !isRange {
			hi = lo
		}
		a, errA := clauseNumber(section, lo)
		b, errB := clauseNumber(section, hi)
		if errA != nil || errB != nil {
			return nil, fmt.Errorf("section %d: bad exception %q", section, item)
		}
		for n := a; n <= b; n++ {
			out[n] = true
		}
	}
	return out, nil
}

func clauseNumber(section int, s string) (int, error) {
	sec, n, ok := strings.Cut(strings.TrimSpace(s), ".")
	if !ok || sec != strconv.Itoa(section) {
		return 0, fmt.Errorf("not a clause of section %d: %q", section, s)
	}
	return strconv.Atoi(n)
}

// standardClauses reads every clause of the standard with its level and, from its section
// heading, its suite.
func standardClauses(text string) (map[string]standardClause, error) {
	suiteOf := map[int]func(n int) specs.Suite{}
	for _, h := range sectionHeading.FindAllStringSubmatch(text, -1) {
		section, _ := strconv.Atoi(h[1])
		spec := h[2]
		base := specs.Functional
		if strings.HasPrefix(spec, "security") {
			base = specs.Security
		}
		exceptions, err := securityRanges(section, spec)
		if err != nil {
			return nil, err
		}
		suiteOf[section] = func(n int) specs.Suite {
			if exceptions[n] {
				return specs.Security
			}
			return base
		}
	}
	clauses := map[string]standardClause{}
	for _, m := range clauseLine.FindAllStringSubmatch(text, -1) {
		section, _ := strconv.Atoi(m[2])
		n, _ := strconv.Atoi(m[3])
		suite := suiteOf[section]
		if suite == nil {
			return nil, fmt.Errorf("%s: no section heading %d", m[1], section)
		}
		if _, dup := clauses[m[1]]; dup {
			return nil, fmt.Errorf("%s stated twice", m[1])
		}
		clauses[m[1]] = standardClause{level: specs.Level(m[4]), suite: suite(n)}
	}
	return clauses, nil
}

func TestStandardClauseParsing(t *testing.T) {
	text := "## 4. Sessions (functional; 4.2, 4.6 security)\n- CAI-4.1 MUST: a\n- CAI-4.2 MUST: b\n" +
		"## 7. Business (functional; 7.2-7.3 security too)\n- CAI-7.1 MUST: c\n- CAI-7.3 SHOULD: d\n" +
		"## 9. Data (security)\n- CAI-9.1 MUST NOT: e\n## 13. Health\n- CAI-13.1 MUST: f\n"
	got, err := standardClauses(text)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]standardClause{
		"CAI-4.1": {specs.MUST, specs.Functional}, "CAI-4.2": {specs.MUST, specs.Security},
		"CAI-7.1": {specs.MUST, specs.Functional}, "CAI-7.3": {specs.SHOULD, specs.Security},
		"CAI-9.1": {specs.MUST, specs.Security}, "CAI-13.1": {specs.MUST, specs.Functional},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("parsed %v, want %v", got, want)
	}
	if _, err := standardClauses(text + "- CAI-9.1 MUST: again\n"); err == nil {
		t.Fatal("a clause stated twice was accepted")
	}
	if _, err := standardClauses("## 3. X (functional; 4.1 security)\n"); err == nil {
		t.Fatal("an exception naming another section was accepted")
	}
}

func TestManifest(t *testing.T) {
	m := loadManifest(t)
	checks := []struct{ name, got, want string }{
		{"name", m.Name, "essc-cai"},
		{"version", m.Version, "1.0.1"},
		{"platform", m.Platform, "essc"},
		{"openapi", m.Contracts.OpenAPI, "openapi.yaml"},
		{"graphql", m.Contracts.GraphQL, "schema.graphql"},
		{"graphqlPath", m.Contracts.GraphQLPath, "/graphql"},
		{"profiles", strings.Join(m.Profiles, ","), "rest,graphql"},
		{"cases", strings.Join(m.Cases, ","), "cases/functional/*.yaml,cases/security/*.yaml"},
		{"unsigned", strings.Join(m.Unsigned, ","), "getHealth"},
		{"errorCode", m.ErrorCode, "$.code"},
		{"Authorization", m.SessionHeaders["Authorization"], "Bearer {{ .session }}"},
		{"X-CAI-Device-Id", m.SessionHeaders["X-CAI-Device-Id"], "{{ .persona.device }}"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
	for _, f := range []string{m.Contracts.OpenAPI, m.Contracts.GraphQL} {
		if _, err := fs.Stat(esscv1.FS, f); err != nil {
			t.Errorf("contract %s not embedded: %v", f, err)
		}
	}
	matched := 0
	for _, glob := range m.Cases {
		files, err := fs.Glob(esscv1.FS, glob)
		if err != nil {
			t.Errorf("glob %s: %v", glob, err)
		}
		matched += len(files)
	}
	if matched == 0 {
		t.Error("the case globs match no embedded file")
	}
	doc := loadContract(t)
	for _, id := range m.Unsigned {
		if findOperation(doc, id) == nil {
			t.Errorf("unsigned operation %s is not in openapi.yaml", id)
		}
	}
}

// TestClauseCatalogueMatchesStandard keeps pack.yaml's catalogue and STANDARD.md in step: the
// same clause IDs, in document order, with the level and suite the document gives them, and a
// title each. The clause references of the contract and of the case files must exist too.
func TestClauseCatalogueMatchesStandard(t *testing.T) {
	text, err := esscv1.FS.ReadFile("STANDARD.md")
	if err != nil {
		t.Fatalf("read STANDARD.md: %v", err)
	}
	std, err := standardClauses(string(text))
	if err != nil {
		t.Fatal(err)
	}
	m := loadManifest(t)
	var order []string
	for _, c := range clauseLine.FindAllStringSubmatch(string(text), -1) {
		order = append(order, c[1])
	}
	var got []string
	for _, c := range m.Clauses {
		got = append(got, c.ID)
		want, ok := std[c.ID]
		switch {
		case !ok:
			t.Errorf("%s is in pack.yaml but not in STANDARD.md", c.ID)
		case c.Level != want.level || c.Suite != want.suite:
			t.Errorf("%s: pack.yaml says %s/%s, STANDARD.md %s/%s", c.ID, c.Level, c.Suite, want.level, want.suite)
		}
		if strings.TrimSpace(c.Title) == "" || len(c.Title) > 100 {
			t.Errorf("%s: title %q must be short and present", c.ID, c.Title)
		}
	}
	if !slices.Equal(got, order) {
		t.Errorf("pack.yaml clauses\n%v\ndiffer from STANDARD.md (in order)\n%v", got, order)
	}

	known := map[string]bool{}
	for _, id := range got {
		known[id] = true
	}
	doc := loadContract(t)
	for _, o := range operations(doc) {
		refs, _ := o.op.Extensions["x-cai-clauses"].([]any)
		if len(refs) == 0 {
			t.Errorf("%s: no x-cai-clauses", o.id)
		}
		for _, r := range refs {
			if id, _ := r.(string); !known[id] {
				t.Errorf("%s: x-cai-clauses names unknown clause %v", o.id, r)
			}
		}
	}
	caseFiles, _ := fs.Glob(esscv1.FS, path.Join("cases", "*", "*.yaml"))
	for _, f := range caseFiles {
		data, _ := esscv1.FS.ReadFile(f)
		var file struct {
			Cases []struct {
				ID      string   `yaml:"id"`
				Clauses []string `yaml:"clauses"`
			} `yaml:"cases"`
		}
		if err := yaml.Unmarshal(data, &file); err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for _, c := range file.Cases {
			for _, id := range c.Clauses {
				if !known[id] {
					t.Errorf("%s: case %s names unknown clause %s", f, c.ID, id)
				}
			}
		}
	}
}
