package engine

import (
	"fmt"
	"strings"
	"text/template"

	"github.com/chanconf/chanconf/specs"
)

// applies evaluates the case's `when` condition against the declaration (.d): a case whose
// condition renders "false" does not apply to this channel (an optional capability it did not
// declare) and is SKIPped with the condition's reason. A condition that renders anything else,
// or fails, is a pack bug (the linter parses it; only the declaration's data can surprise).
func (e *Executor) applies(c *specs.Case) (reason string, applies bool, err error) {
	if c.When == nil {
		return "", true, nil
	}
	t, err := template.New("when").Option("missingkey=error").Parse(c.When.Expr)
	if err != nil {
		return "", false, fmt.Errorf("%w: case %s: when %q: %w", errPackBug, c.ID, c.When.Expr, err)
	}
	var b strings.Builder
	if err := t.Execute(&b, map[string]any{"d": e.declared}); err != nil {
		return "", false, fmt.Errorf("%w: case %s: when %q: %w", errPackBug, c.ID, c.When.Expr, err)
	}
	switch strings.TrimSpace(b.String()) {
	case "true":
		return "", true, nil
	case "false":
		return "not applicable: " + c.When.Reason, false, nil
	}
	return "", false, fmt.Errorf("%w: case %s: when %q rendered %q, want true or false", errPackBug, c.ID, c.When.Expr, b.String())
}
