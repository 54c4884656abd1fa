package run

import (
	"regexp"
	"strings"
)

// rerunCommand returns the function that builds, for one case, the command that re-runs only
// that case against the same channel, pack and faults as this run.
func rerunCommand(opts *Options) func(caseID string) string {
	var tail []string
	add := func(flag, value string) {
		if value != "" {
			tail = append(tail, flag, shellQuote(value))
		}
	}
	add("--target", opts.Target)
	add("--declaration", opts.Declaration)
	add("--pack", opts.PackDir)
	for _, f := range opts.ReferenceFaults {
		add("--reference-fault", f)
	}
	for _, v := range opts.ReferenceVariants {
		add("--reference-variant", v)
	}
	return func(caseID string) string {
		parts := append([]string{"chanconf", "run", "--focus", shellQuote("^" + regexp.QuoteMeta(caseID) + "$")}, tail...)
		return strings.Join(parts, " ")
	}
}

// shellSafe matches words a POSIX shell passes through unchanged.
var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// shellQuote quotes s for a POSIX shell, only when it needs it.
func shellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
