package cli

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cmdutil"
)

// readmeRow is one row of the README's exit-code table: "| 0 | meaning |".
var readmeRow = regexp.MustCompile(`(?m)^\| ([0-9]+) \| (.+?) \|$`)

// exitCodeDrift compares the exit-code documentation with the constants, the help output and
// a README text, and returns every difference.
func exitCodeDrift(help, readme string) []string {
	var problems []string
	doc := cmdutil.ExitCodeDoc()
	want := []cmdutil.ExitCode{cmdutil.ExitConformant, cmdutil.ExitNonconformant, cmdutil.ExitUsage, cmdutil.ExitIncomplete, cmdutil.ExitInternal, cmdutil.ExitPartial}
	if len(doc) != len(want) {
		problems = append(problems, fmt.Sprintf("ExitCodeDoc has %d codes, the constants %d", len(doc), len(want)))
	}
	rows := map[int]string{}
	for _, m := range readmeRow.FindAllStringSubmatch(readme, -1) {
		n, _ := strconv.Atoi(m[1])
		rows[n] = m[2]
	}
	if len(rows) != len(doc) {
		problems = append(problems, fmt.Sprintf("README's exit-code table has %d rows, ExitCodeDoc %d codes", len(rows), len(doc)))
	}
	for i, e := range doc {
		if i < len(want) && e.Code != want[i] {
			problems = append(problems, fmt.Sprintf("ExitCodeDoc[%d] is code %d, the constant is %d", i, e.Code, want[i]))
		}
		if line := fmt.Sprintf("  %d  %s\n", e.Code, e.Meaning); !strings.Contains(help, line) {
			problems = append(problems, fmt.Sprintf("`chanconf help exit-codes` lacks %q", line))
		}
		if rows[int(e.Code)] != e.Meaning {
			problems = append(problems, fmt.Sprintf("README row for %d says %q, ExitCodeDoc %q", e.Code, rows[int(e.Code)], e.Meaning))
		}
	}
	return problems
}

// TestExitCodesInStep keeps the constants, `chanconf help exit-codes`, the README's table and
// docs/design.md's saying the same thing (gh's help once forgot one of its codes).
func TestExitCodesInStep(t *testing.T) {
	res := chanconf(t, t.Context(), "help", "exit-codes")
	if res.code != cmdutil.ExitConformant {
		t.Fatalf("help exit-codes: exit %d\n%s", res.code, res.errOut)
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	design, err := os.ReadFile("../../docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range exitCodeDrift(res.out, string(readme)) {
		t.Error("README.md: " + p)
	}
	for _, p := range exitCodeDrift(res.out, exitCodeSection(string(design))) {
		t.Error("docs/design.md: " + p)
	}
	// Each comparison fires on a doctored input.
	doctored := strings.Replace(string(readme), "| 3 | incomplete", "| 5 | incomplete", 1)
	if got := exitCodeDrift(res.out, doctored); len(got) == 0 {
		t.Error("a renumbered README row went unnoticed")
	}
	if got := exitCodeDrift(strings.Replace(res.out, "  4  ", "  9  ", 1), string(readme)); len(got) == 0 {
		t.Error("a wrong code in the help output went unnoticed")
	}
}

// exitCodeSection is the "## Exit codes" section of a markdown document (design.md has other
// tables whose rows look alike).
func exitCodeSection(doc string) string {
	_, after, _ := strings.Cut(doc, "## Exit codes")
	if i := strings.Index(after, "\n## "); i >= 0 {
		after = after[:i]
	}
	return after
}

// TestClassify maps the kinds of command errors to their exit codes.
func TestClassify(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want cmdutil.ExitCode
	}{
		{"success", nil, cmdutil.ExitConformant},
		{"usage", cmdutil.Usagef("bad flag"), cmdutil.ExitUsage},
		{"wrapped usage", fmt.Errorf("run: %w", cmdutil.Usagef("bad flag")), cmdutil.ExitUsage},
		{"verdict", &cmdutil.VerdictError{Code: cmdutil.ExitNonconformant}, cmdutil.ExitNonconformant},
		{"incomplete", &cmdutil.VerdictError{Code: cmdutil.ExitIncomplete}, cmdutil.ExitIncomplete},
		{"bug", fmt.Errorf("nil map"), cmdutil.ExitInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cmdutil.Classify(tt.err); got != tt.want {
				t.Errorf("Classify(%v) = %d, want %d", tt.err, got, tt.want)
			}
		})
	}
}
