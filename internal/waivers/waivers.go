// Package waivers applies a waiver file to a report: an approved, dated exception that turns a
// case's FAIL into WAIVED so that a CI pipeline can pass while a fix is under way. A waived
// run is never certifiable (internal/certify), and an expired waiver is ignored with a warning,
// so waivers cannot quietly become permanent.
package waivers

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/reports"
)

// dateLayout is how a waiver's expiry is written (a calendar date, valid through that day UTC).
const dateLayout = "2006-01-02"

// Waiver is one entry of a waiver file.
//
//   - id: SEC-HDR-001
//     reason: CDN strips Cache-Control; fix scheduled in release 2.3
//     approver: Zhang Wei (security office)
//     expires: 2025-09-30
type Waiver struct {
	ID       string `yaml:"id"`
	Reason   string `yaml:"reason"`
	Approver string `yaml:"approver"`
	Expires  string `yaml:"expires"`
	// Line is the waiver's line in the file, for messages.
	Line int `yaml:"-"`
}

// File is a loaded waiver file.
type File struct {
	// Path is where it was read from; it is recorded in the report's filters.
	Path    string
	Waivers []Waiver
}

var caseIDPattern = regexp.MustCompile(`^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$`)

// Load reads and parses a waiver file; see Parse.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("waivers: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes a waiver file strictly: a YAML list of {id, reason, approver, expires}, every
// field required, the expiry a date, no case waived twice. All problems are returned together,
// each with the file and line.
func Parse(path string, data []byte) (*File, error) {
	list, lines, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("waivers %s: must be a list of {id, reason, approver, expires}: %w", path, err)
	}
	f := &File{Path: path}
	var errs []error
	seen := map[string]int{}
	for i, w := range list {
		w.Line = lines[i]
		for _, p := range w.problems() {
			errs = append(errs, fmt.Errorf("%s:%d: waiver %q: %s", path, w.Line, w.ID, p))
		}
		if first, dup := seen[w.ID]; dup && w.ID != "" {
			errs = append(errs, fmt.Errorf("%s:%d: case %s is already waived on line %d", path, w.Line, w.ID, first))
		}
		seen[w.ID] = w.Line
		f.Waivers = append(f.Waivers, w)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return f, nil
}

// decode reads the list strictly (unknown keys are errors) and the line of each entry.
func decode(data []byte) ([]Waiver, []int, error) {
	var list []Waiver
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&list); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, nil, nil
		}
		return nil, nil, err
	}
	var nodes []yaml.Node
	if err := yaml.Unmarshal(data, &nodes); err != nil {
		return nil, nil, err
	}
	lines := make([]int, len(list))
	for i := range lines {
		if i < len(nodes) {
			lines[i] = nodes[i].Line
		}
	}
	return list, lines, nil
}

// problems lists what is wrong with one waiver.
func (w Waiver) problems() []string {
	var out []string
	if !caseIDPattern.MatchString(w.ID) {
		out = append(out, "id must be a case ID such as SEC-HDR-004")
	}
	if w.Reason == "" {
		out = append(out, "reason is required")
	}
	if w.Approver == "" {
		out = append(out, "approver is required")
	}
	if _, err := time.Parse(dateLayout, w.Expires); err != nil {
		out = append(out, fmt.Sprintf("expires must be a date YYYY-MM-DD, got %q", w.Expires))
	}
	return out
}

// expired reports whether the waiver no longer applies at now: it is valid through the whole
// expiry day (UTC).
func (w Waiver) expired(now time.Time) bool {
	day, err := time.Parse(dateLayout, w.Expires)
	return err != nil || !now.UTC().Before(day.AddDate(0, 0, 1))
}

// Apply waives r's FAIL cases that a live waiver names: their state becomes WAIVED and their
// message says by whom, until when and why (the failure is kept after it). It records the
// file in r.Filters.Waivers, judges r again, and returns warnings: expired waivers (ignored)
// and waivers that matched no failed case.
func (f *File) Apply(r *reports.Report, now time.Time) []string {
	r.Filters.Waivers = f.Path
	index := map[string]int{}
	for i, c := range r.Cases {
		index[c.ID] = i
	}
	var warnings []string
	for _, w := range f.Waivers {
		i, ok := index[w.ID]
		switch {
		case w.expired(now):
			warnings = append(warnings, fmt.Sprintf("%s:%d: waiver for %s expired on %s and is ignored", f.Path, w.Line, w.ID, w.Expires))
		case !ok:
			warnings = append(warnings, fmt.Sprintf("%s:%d: waiver for %s matches no case of the report", f.Path, w.Line, w.ID))
		case r.Cases[i].State != reports.Fail:
			warnings = append(warnings, fmt.Sprintf("%s:%d: waiver for %s not used: the case is %s", f.Path, w.Line, w.ID, r.Cases[i].State))
		default:
			c := &r.Cases[i]
			c.State = reports.Waived
			c.Message = fmt.Sprintf("waived by %s until %s: %s\n%s", w.Approver, w.Expires, w.Reason, c.Message)
		}
	}
	reports.Judge(r)
	return warnings
}
