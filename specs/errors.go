package specs

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Error is one problem of a pack, placed where the pack author can fix it: the file (shown under
// the pack's display root), the line and column of the YAML node, the case it belongs to and the
// field path inside the case (or inside pack.yaml). It prints as
//
//	file:line:col: case ID: field: message
//
// leaving out the parts that are empty, so editors and CI logs can jump to the line.
type Error struct {
	File      string
	Line, Col int
	// CaseID is the ID of the case the problem is in, empty for pack.yaml and file-level problems.
	CaseID string
	// Field is the YAML path of the offending value relative to the case (e.g.
	// "steps[1].expect.json[0]") or to the manifest (e.g. "contracts.openapi").
	Field string
	Err   error
}

// Error formats the problem as file:line:col: case ID: field: message.
func (e *Error) Error() string {
	var b strings.Builder
	if e.File != "" {
		b.WriteString(e.File)
		if e.Line > 0 {
			b.WriteString(":" + strconv.Itoa(e.Line))
			if e.Col > 0 {
				b.WriteString(":" + strconv.Itoa(e.Col))
			}
		}
		b.WriteString(": ")
	}
	if e.CaseID != "" {
		b.WriteString(e.CaseID + ": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field + ": ")
	}
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	} else {
		b.WriteString("invalid")
	}
	return b.String()
}

// Unwrap returns the underlying error so callers can classify it with errors.Is and errors.As.
func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found in a pack, sorted by file, line and column. Load returns it as
// its error so that a pack author sees all problems at once, the way fstest.TestFS reports.
type Errors []*Error

// Error joins the problems, one per line.
func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap exposes every problem to errors.Is and errors.As.
func (es Errors) Unwrap() []error {
	errs := make([]error, len(es))
	for i, e := range es {
		errs[i] = e
	}
	return errs
}

// sort orders the problems by file, line, column, then text, so output is deterministic.
func (es Errors) sort() {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Error(), b.Error()),
		)
	})
}

// collector gathers problems while a pack is decoded and linted.
type collector struct {
	root string // display root prefixed to every file name
	errs Errors
}

// add records a problem at pos.
func (c *collector) add(pos Pos, caseID, field string, err error) {
	c.errs = append(c.errs, &Error{
		File:   displayPath(c.root, pos.File),
		Line:   pos.Line,
		Col:    pos.Col,
		CaseID: caseID,
		Field:  field,
		Err:    err,
	})
}

// addf records a formatted problem at pos.
func (c *collector) addf(pos Pos, caseID, field, format string, args ...any) {
	c.add(pos, caseID, field, fmt.Errorf(format, args...))
}

// displayPath joins the display root and a pack-relative file name.
func displayPath(root, file string) string {
	switch {
	case root == "":
		return file
	case file == "":
		return root
	default:
		return strings.TrimSuffix(root, "/") + "/" + file
	}
}
