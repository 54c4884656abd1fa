package reports

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// SARIF 2.1.0 (OASIS), the subset code-scanning dashboards read: one rule per security case that
// failed or warned, one result per such case, located in the pack file of the case and,
// logically, in the clauses it checks.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
	// Properties carry the run's identity (pack digest, seed, filters, verdict).
	Properties sarifRunProps `json:"properties"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	ShortDescription sarifText      `json:"shortDescription"`
	Properties       sarifRuleProps `json:"properties"`
}

type sarifRuleProps struct {
	Clauses []string `json:"clauses"`
	OWASP   string   `json:"owasp,omitempty"`
	CWE     string   `json:"cwe,omitempty"`
	Level   string   `json:"level"`
	Tags    []string `json:"tags"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID     string           `json:"ruleId"`
	RuleIndex  int              `json:"ruleIndex"`
	Level      string           `json:"level"`
	Message    sarifText        `json:"message"`
	Locations  []sarifLocation  `json:"locations"`
	Properties sarifResultProps `json:"properties"`
}

type sarifResultProps struct {
	OWASP   string   `json:"owasp,omitempty"`
	CWE     string   `json:"cwe,omitempty"`
	Clauses []string `json:"clauses"`
	State   string   `json:"state"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

type sarifRunProps struct {
	Pack    PackRef `json:"pack"`
	Seed    int64   `json:"seed"`
	Filters Filters `json:"filters"`
	Verdict Verdict `json:"verdict"`
	Tool    Tool    `json:"tool"`
}

// sarifSchema is the $schema URI written in every SARIF log.
const sarifSchema = "https://json.schemastore.org/sarif-2.1.0.json"

// informationURI is where a SARIF reader learns about the tool.
const informationURI = "https://github.com/chanconf/chanconf"

// WriteSARIF writes the security findings of r as SARIF 2.1.0: every security case in FAIL
// ("error") or WARN ("warning") state, sorted by ID. Functional cases are not security findings
// and are left to the other formats.
func WriteSARIF(w io.Writer, r *Report) error {
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{Name: "chanconf", Version: r.Tool.Version,
			InformationURI: informationURI, Rules: []sarifRule{}}},
		Results:    []sarifResult{},
		Properties: sarifRunProps{Pack: r.Pack, Seed: r.Seed, Filters: r.Filters, Verdict: r.Verdict, Tool: r.Tool},
	}
	for _, c := range r.Cases.Sorted().WithState(Fail, Warn) {
		if c.Suite != "security" {
			continue
		}
		run.Results = append(run.Results, sarifResultOf(c, len(run.Tool.Driver.Rules)))
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRuleOf(c))
	}
	doc := sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return fmt.Errorf("encode SARIF: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write SARIF: %w", err)
	}
	return nil
}

func sarifRuleOf(c Case) sarifRule {
	return sarifRule{ID: c.ID, ShortDescription: sarifText{Text: orDefault(c.Title, c.ID)},
		Properties: sarifRuleProps{Clauses: nonNil(c.Clauses), OWASP: c.OWASP, CWE: c.CWE, Level: c.Level,
			Tags: []string{"security"}}}
}

func sarifResultOf(c Case, ruleIndex int) sarifResult {
	level := "error"
	if c.State == Warn {
		level = "warning"
	}
	text := orDefault(problemText(c), c.Title)
	return sarifResult{RuleID: c.ID, RuleIndex: ruleIndex, Level: level, Message: sarifText{Text: text},
		Locations:  []sarifLocation{sarifLocationOf(c)},
		Properties: sarifResultProps{OWASP: c.OWASP, CWE: c.CWE, Clauses: nonNil(c.Clauses), State: c.State.String()}}
}

func sarifLocationOf(c Case) sarifLocation {
	var loc sarifLocation
	if file, line := splitSource(c.Source); file != "" {
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifact{URI: file}}
		if line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: line}
		}
	}
	for _, cl := range c.Clauses {
		loc.LogicalLocations = append(loc.LogicalLocations,
			sarifLogical{Name: cl, FullyQualifiedName: "clause " + cl, Kind: "clause"})
	}
	return loc
}

// splitSource splits "cases/x.yaml:12" or "cases/x.yaml:12:5" into the file and the line
// (0 when absent).
func splitSource(src string) (string, int) {
	file, line := src, 0
	for range 2 {
		i := strings.LastIndexByte(file, ':')
		if i < 0 {
			break
		}
		n, err := strconv.Atoi(file[i+1:])
		if err != nil {
			break
		}
		file, line = file[:i], n
	}
	return file, line
}
