package codecheck

import (
	"sort"
	"strings"
)

// allowPrefix starts an allow comment: //codecheck:allow <rule> <reason>.
const allowPrefix = "//codecheck:allow"

// allowance is one valid allow comment of a file.
type allowance struct {
	line   int
	rule   string
	reason string
	used   bool
}

// allowances collects a file's allow comments; malformed ones (no rule, an unknown rule, no
// reason) come back as findings.
func allowances(c *fileCtx) ([]*allowance, []finding) {
	known := map[string]bool{}
	var names []string
	for _, r := range rules() {
		known[r.name] = true
		names = append(names, r.name)
	}
	sort.Strings(names)
	var out []*allowance
	var bad []finding
	for _, group := range c.ast.Comments {
		for _, cm := range group.List {
			rest, ok := strings.CutPrefix(cm.Text, allowPrefix)
			if !ok || (rest != "" && rest[0] != ' ' && rest[0] != '\t') {
				continue
			}
			fields := strings.Fields(rest)
			switch {
			case len(fields) == 0 || !known[fields[0]]:
				bad = append(bad, c.at(cm.Pos(), ruleAllow, "%q names no known rule (known: %s)", cm.Text, strings.Join(names, ", ")))
			case len(fields) == 1:
				bad = append(bad, c.at(cm.Pos(), ruleAllow, "allowing %s needs a reason after the rule name", fields[0]))
			default:
				out = append(out, &allowance{line: c.line(cm.Pos()), rule: fields[0], reason: strings.Join(fields[1:], " ")})
			}
		}
	}
	return out, bad
}

// applyAllowances splits findings into those that stand and those an allow comment on their
// line or the line above excuses, and reports allow comments that excuse nothing.
func applyAllowances(c *fileCtx, all []finding) (kept, allowed []finding) {
	allows, bad := allowances(c)
	kept = append(kept, bad...)
	for _, f := range all {
		if a := matchAllowance(allows, f); a != nil {
			a.used = true
			f.detail += " [allowed: " + a.reason + "]"
			allowed = append(allowed, f)
			continue
		}
		kept = append(kept, f)
	}
	for _, a := range allows {
		if !a.used {
			kept = append(kept, finding{file: c.path, line: a.line, rule: ruleAllow,
				detail: "allow comment for " + a.rule + " excuses nothing on this line or the next: remove it"})
		}
	}
	return kept, allowed
}

// matchAllowance finds the allow comment excusing f.
func matchAllowance(allows []*allowance, f finding) *allowance {
	for _, a := range allows {
		if a.rule == f.rule && (a.line == f.line || a.line == f.line-1) {
			return a
		}
	}
	return nil
}
