package reports

import (
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// JUnit XML in the shape Jenkins and Maven surefire accept (testsuites > testsuite >
// properties + testcase). States map as follows:
//
//   - FAIL: <failure message type>, type = the clause IDs, body = message and failed checks.
//   - ERROR (and a case never judged): <error message type>.
//   - SKIP: <skipped message>.
//   - WAIVED: <skipped message="waived: ...">, since the waiver says "do not fail CI on this".
//   - WARN: a passed testcase with a <system-out> note. JUnit has no "passed with a warning";
//     a SHOULD failure does not fail the verdict, so it must not fail a CI job reading JUnit,
//     but it stays visible in the test's output.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Time     string       `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Timestamp  string          `xml:"timestamp,attr"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitProblem `xml:"failure"`
	Error     *junitProblem `xml:"error"`
	Skipped   *junitSkipped `xml:"skipped"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Body    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes r as JUnit XML: one <testsuite> per suite/area (sorted), cases sorted by ID,
// and the run's identity (pack name/version/sha256, seed, tool version, verdict, filters) as
// properties of every testsuite, where the JUnit schema puts them.
func WriteJUnit(w io.Writer, r *Report) error {
	doc := junitSuites{Name: "chanconf " + r.Pack.Name + " " + r.Pack.Version,
		Time: seconds(r.FinishedAt.Sub(r.StartedAt).Milliseconds())}
	props := junitProperties(r)
	groups := map[string][]Case{}
	for _, c := range r.Cases.Sorted() {
		k := areaKey(c)[0]
		groups[k] = append(groups[k], c)
	}
	names := slices.Collect(maps.Keys(groups))
	sort.Slice(names, func(i, j int) bool { return naturalLess(names[i], names[j]) })
	for _, name := range names {
		s := junitSuiteOf(name, groups[name], props, formatJUnitTime(r))
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
		doc.Suites = append(doc.Suites, s)
	}
	out, err := xml.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encode JUnit XML: %w", err)
	}
	if _, err := io.WriteString(w, xml.Header+string(out)+"\n"); err != nil {
		return fmt.Errorf("write JUnit XML: %w", err)
	}
	return nil
}

// formatJUnitTime is the testsuite timestamp: ISO 8601 without zone (the JUnit XSD's
// xs:dateTime pattern), in UTC.
func formatJUnitTime(r *Report) string { return r.StartedAt.UTC().Format("2006-01-02T15:04:05") }

func junitSuiteOf(name string, cases []Case, props []junitProperty, ts string) junitSuite {
	s := junitSuite{Name: name, Tests: len(cases), Timestamp: ts, Properties: props}
	var ms int64
	for _, c := range cases {
		ms += c.DurationMs
		jc := junitCaseOf(c)
		switch {
		case jc.Failure != nil:
			s.Failures++
		case jc.Error != nil:
			s.Errors++
		case jc.Skipped != nil:
			s.Skipped++
		}
		s.Cases = append(s.Cases, jc)
	}
	s.Time = seconds(ms)
	return s
}

func junitCaseOf(c Case) junitCase {
	jc := junitCase{Name: c.ID + ": " + c.Title, Classname: "chanconf." + orNone(c.Suite) + "." + orNone(c.Area),
		Time: seconds(c.DurationMs)}
	msg := firstLine(c.Message)
	switch c.State {
	case Pass:
	case Fail:
		jc.Failure = &junitProblem{Message: msg, Type: strings.Join(c.Clauses, " "), Body: problemText(c)}
	case Warn:
		jc.SystemOut = "WARN (SHOULD, does not fail the verdict): " + problemText(c)
	case Skip:
		jc.Skipped = &junitSkipped{Message: msg}
	case Waived:
		jc.Skipped = &junitSkipped{Message: "waived: " + msg}
	case Error:
		jc.Error = &junitProblem{Message: msg, Type: "ERROR", Body: problemText(c)}
	default:
		jc.Error = &junitProblem{Message: "case was never judged", Type: c.State.String()}
	}
	return jc
}

// problemText is the message followed by the failed checks, expected vs actual: the body of a
// JUnit failure and the note of a warning.
func problemText(c Case) string {
	var b strings.Builder
	b.WriteString(c.Message)
	for _, ch := range failedChecks(c) {
		fmt.Fprintf(&b, "\n%s", checkLine(ch))
	}
	if len(c.Clauses) > 0 {
		fmt.Fprintf(&b, "\nclauses: %s", clauseList(c))
	}
	return b.String()
}

// checkLine renders one check as `step 2 "name": status: expected [401], actual 200 (detail)`.
func checkLine(ch Check) string {
	var b strings.Builder
	if ch.Step > 0 {
		fmt.Fprintf(&b, "step %d", ch.Step)
		if ch.StepName != "" {
			fmt.Fprintf(&b, " %q", ch.StepName)
		}
		b.WriteString(": ")
	}
	b.WriteString(ch.Name)
	if ch.Expected != "" || ch.Actual != "" {
		fmt.Fprintf(&b, ": expected %s, actual %s", orDash(ch.Expected), orDash(ch.Actual))
	}
	if ch.Detail != "" {
		fmt.Fprintf(&b, " (%s)", ch.Detail)
	}
	if ch.Clause != "" {
		fmt.Fprintf(&b, " [%s]", ch.Clause)
	}
	return b.String()
}

// junitProperties are the run's identity, sorted by name.
func junitProperties(r *Report) []junitProperty {
	return []junitProperty{
		{"filter.focus", r.Filters.Focus},
		{"filter.labelFilter", r.Filters.LabelFilter},
		{"filter.profile", r.Filters.Profile},
		{"filter.rerunOf", r.Filters.RerunOf},
		{"filter.waivers", r.Filters.Waivers},
		{"pack.name", r.Pack.Name},
		{"pack.sha256", r.Pack.SHA256},
		{"pack.version", r.Pack.Version},
		{"seed", strconv.FormatInt(r.Seed, 10)},
		{"target.baseURL", r.Target.BaseURL},
		{"target.channelNo", r.Target.ChannelNo},
		{"tool.revision", r.Tool.Revision},
		{"tool.version", r.Tool.Version},
		{"verdict", r.Verdict.String()},
	}
}

// seconds renders milliseconds as JUnit's decimal seconds ("1.250"); a negative duration
// (times never set) is written as 0.
func seconds(ms int64) string {
	ms = max(ms, 0)
	return fmt.Sprintf("%d.%03d", ms/1000, ms%1000)
}
