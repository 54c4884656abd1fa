package reports

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
)

// The JUnit XSD shape (Jenkins' junit-10.xsd / Maven surefire), read independently of the
// writer's own types so that a wrong tag in the writer shows up here.
type xsdSuites struct {
	XMLName  xml.Name   `xml:"testsuites"`
	Name     string     `xml:"name,attr"`
	Tests    int        `xml:"tests,attr"`
	Failures int        `xml:"failures,attr"`
	Errors   int        `xml:"errors,attr"`
	Skipped  int        `xml:"skipped,attr"`
	Time     float64    `xml:"time,attr"`
	Suites   []xsdSuite `xml:"testsuite"`
}

type xsdSuite struct {
	Name       string  `xml:"name,attr"`
	Tests      int     `xml:"tests,attr"`
	Failures   int     `xml:"failures,attr"`
	Errors     int     `xml:"errors,attr"`
	Skipped    int     `xml:"skipped,attr"`
	Time       float64 `xml:"time,attr"`
	Timestamp  string  `xml:"timestamp,attr"`
	Properties struct {
		Property []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"property"`
	} `xml:"properties"`
	Cases []xsdCase `xml:"testcase"`
}

type xsdCase struct {
	Name      string  `xml:"name,attr"`
	Classname string  `xml:"classname,attr"`
	Time      float64 `xml:"time,attr"`
	Failure   *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Body    string `xml:",chardata"`
	} `xml:"failure"`
	Error *struct {
		Message string `xml:"message,attr"`
		Type    string `xml:"type,attr"`
		Body    string `xml:",chardata"`
	} `xml:"error"`
	Skipped *struct {
		Message string `xml:"message,attr"`
	} `xml:"skipped"`
	SystemOut string `xml:"system-out"`
}

func writeJUnit(t *testing.T, r *Report) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteJUnit(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func parseJUnit(t *testing.T, b []byte) xsdSuites {
	t.Helper()
	var doc xsdSuites
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("JUnit output is not the XSD shape: %v", err)
	}
	return doc
}

func TestWriteJUnitCounts(t *testing.T) {
	doc := parseJUnit(t, writeJUnit(t, sampleReport()))
	if doc.Tests != 7 || doc.Failures != 2 || doc.Errors != 1 || doc.Skipped != 2 || doc.Time != 12.345 {
		t.Errorf("testsuites counts: %+v", doc)
	}
	var names []string
	sum := xsdSuite{}
	for _, s := range doc.Suites {
		names = append(names, s.Name)
		if len(s.Cases) != s.Tests {
			t.Errorf("suite %s: tests=%d but %d testcases", s.Name, s.Tests, len(s.Cases))
		}
		if s.Timestamp != "2026-03-01T08:00:00" {
			t.Errorf("suite %s timestamp %q", s.Name, s.Timestamp)
		}
		sum.Tests += s.Tests
		sum.Failures += s.Failures
		sum.Errors += s.Errors
		sum.Skipped += s.Skipped
	}
	if sum.Tests != doc.Tests || sum.Failures != doc.Failures || sum.Errors != doc.Errors || sum.Skipped != doc.Skipped {
		t.Errorf("suite counts %+v do not add up to %+v", sum, doc)
	}
	want := "functional/cards functional/qr functional/sessions security/graphql security/headers security/tokens"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("suites %q, want %q", got, want)
	}
}

func TestWriteJUnitProperties(t *testing.T) {
	doc := parseJUnit(t, writeJUnit(t, sampleReport()))
	props := map[string]string{}
	for _, p := range doc.Suites[0].Properties.Property {
		props[p.Name] = p.Value
	}
	for name, want := range map[string]string{
		"pack.name": "essc-cai", "pack.version": "1.0.0", "pack.sha256": strings.Repeat("ab", 32), "seed": "42",
		"tool.version": "1.2.3", "verdict": "NONCONFORMANT", "filter.waivers": "waivers.yaml", "filter.focus": "",
	} {
		if got, ok := props[name]; !ok || got != want {
			t.Errorf("property %s = %q (present %v), want %q", name, got, ok, want)
		}
	}
}

func TestWriteJUnitCases(t *testing.T) {
	doc := parseJUnit(t, writeJUnit(t, sampleReport()))
	cases := map[string]xsdCase{}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			cases[strings.SplitN(c.Name, ":", 2)[0]] = c
		}
	}
	tests := []struct {
		id    string
		check func(c xsdCase) bool
		what  string
	}{
		{"FUN-SES-001", func(c xsdCase) bool {
			return c.Failure == nil && c.Error == nil && c.Skipped == nil && c.Name == "FUN-SES-001: A session is created" &&
				c.Classname == "chanconf.functional.sessions" && c.Time == 0.12
		}, "passed, named ID: title, classname chanconf.suite.area, time in s"},
		{"FUN-SES-002", func(c xsdCase) bool {
			return c.Failure != nil && c.Failure.Type == "CAI-4.2" && strings.HasPrefix(c.Failure.Message, "step 2") &&
				!strings.Contains(c.Failure.Message, "\n") &&
				strings.Contains(c.Failure.Body, `step 2 "read from another device": status: expected [401], actual 200`)
		}, "failure with clause type, one-line message, failed check in body"},
		{"SEC-TOK-001", func(c xsdCase) bool { return c.Failure != nil && c.Failure.Type == "CAI-3.1" }, "failure"},
		{"FUN-CRD-001", func(c xsdCase) bool {
			return c.Error != nil && c.Error.Message == "connect: connection refused"
		}, "error"},
		{"FUN-QR-009", func(c xsdCase) bool {
			return c.Skipped != nil && c.Skipped.Message == "profile graphql not declared"
		}, "skipped with reason"},
		{"SEC-GQL-002", func(c xsdCase) bool {
			return c.Skipped != nil && strings.HasPrefix(c.Skipped.Message, "waived: introspection answered")
		}, "waived as skipped"},
		{"SEC-HDR-003", func(c xsdCase) bool {
			return c.Failure == nil && c.Skipped == nil && strings.HasPrefix(c.SystemOut, "WARN (SHOULD")
		}, "warn as passed with system-out"},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c, ok := cases[tt.id]
			if !ok {
				t.Fatalf("no testcase %s", tt.id)
			}
			if !tt.check(c) {
				t.Errorf("want %s, got %+v", tt.what, c)
			}
		})
	}
}

func TestWriteJUnitNeverJudged(t *testing.T) {
	r := &Report{Cases: Cases{{ID: "X", Suite: "functional", Area: "a"}}}
	doc := parseJUnit(t, writeJUnit(t, r))
	if doc.Errors != 1 || doc.Suites[0].Cases[0].Error == nil || doc.Suites[0].Cases[0].Error.Type != "INVALID" {
		t.Errorf("an unjudged case must be an error: %+v", doc)
	}
}

func TestWriteJUnitGolden(t *testing.T) {
	goldenFile(t, "report.junit.xml", writeJUnit(t, sampleReport()))
}
