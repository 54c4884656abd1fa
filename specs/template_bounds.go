package specs

import (
	"fmt"
	"regexp"
	"strconv"
	"text/template/parse"
)

// Limits of what a template may ask for, so that the work of every template is bounded by its
// length and the data it reads: a loop whose count is computed (`range 500000000`, `range (mul
// 100000 100000)`) or nested, a template calling itself, or a huge printf width could make one
// render take minutes and gigabytes (issue 11 finding 7). The linter refuses them and the
// engine checks the same rules before executing a template; the engine also budgets the bytes
// a step's templates produce (suites/engine, budget.go).
const (
	// MaxRangeCount is the largest integer literal a template may range over.
	MaxRangeCount = 1000
	// MaxPrintfWidth is the largest width or precision a printf format may state.
	MaxPrintfWidth = 1000
)

// printfVerb matches the width and precision of one printf verb: `*` (taken from an argument)
// or a number, each possibly after an explicit argument index.
var printfVerb = regexp.MustCompile(`%[-+# 0]*(?:\[\d+\])?(\*|\d+)?(?:\.(?:\[\d+\])?(\*|\d+)?)?`)

// TemplateBounds returns every reason why executing the template parsed into trees (its main
// tree and whatever it defines, as text/template/parse fills a tree set) might not be bounded;
// none when its work is bounded by its length and its data. The rules: no {{define}},
// {{template}} or {{block}} (they can recurse); a range only over data (.v.items, $.d.regions)
// or an integer literal up to MaxRangeCount, never inside another range; a printf format that
// is a literal with widths and precisions up to MaxPrintfWidth.
func TemplateBounds(main string, trees map[string]*parse.Tree) []error {
	b := &bounds{}
	for name, tree := range trees {
		if name != main {
			b.errs = append(b.errs, fmt.Errorf("{{define %q}}: templates may not define templates (they could recurse without end)", name))
			continue
		}
		b.list(tree.Root, false)
	}
	return b.errs
}

// bounds walks a template collecting what is not bounded.
type bounds struct {
	errs []error
}

func (b *bounds) fail(format string, args ...any) {
	b.errs = append(b.errs, fmt.Errorf(format, args...))
}

// list walks a list of nodes; inRange is whether they are the body of a range.
func (b *bounds) list(l *parse.ListNode, inRange bool) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			b.pipe(n.Pipe)
		case *parse.IfNode:
			b.branch(&n.BranchNode, inRange, inRange)
		case *parse.WithNode:
			b.branch(&n.BranchNode, inRange, inRange)
		case *parse.RangeNode:
			if inRange {
				b.fail("{{range %s}} inside another range: nested loops multiply, their work is not bounded", n.Pipe)
			}
			b.rangeOver(n.Pipe)
			b.branch(&n.BranchNode, true, inRange)
		case *parse.TemplateNode:
			b.fail("{{template %q}}: templates may not call templates (they could recurse without end)", n.Name)
		}
	}
}

// branch walks an if, with or range: its pipeline, its body and its else.
func (b *bounds) branch(n *parse.BranchNode, bodyInRange, elseInRange bool) {
	b.pipe(n.Pipe)
	b.list(n.List, bodyInRange)
	b.list(n.ElseList, elseInRange)
}

// rangeOver checks what a range iterates over.
func (b *bounds) rangeOver(p *parse.PipeNode) {
	if p == nil || len(p.Cmds) != 1 || len(p.Cmds[0].Args) != 1 {
		b.fail("{{range %s}}: a range may only go over data (.v.items, $.d.regions) or an integer literal up to %d", p, MaxRangeCount)
		return
	}
	switch arg := p.Cmds[0].Args[0].(type) {
	case *parse.FieldNode:
		return
	case *parse.VariableNode:
		if len(arg.Ident) > 1 && arg.Ident[0] == "$" {
			return
		}
	case *parse.NumberNode:
		if arg.IsInt && arg.Int64 <= MaxRangeCount {
			return
		}
		b.fail("{{range %s}}: ranges over %s, more than the %d a template may loop", p, arg.Text, MaxRangeCount)
		return
	}
	b.fail("{{range %s}}: a range may only go over data (.v.items, $.d.regions) or an integer literal up to %d, "+
		"not a computed value or a variable", p, MaxRangeCount)
}

// pipe checks the commands of a pipeline, and those of the pipelines nested in them.
func (b *bounds) pipe(p *parse.PipeNode) {
	if p == nil {
		return
	}
	for _, cmd := range p.Cmds {
		if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && id.Ident == "printf" {
			b.printf(cmd)
		}
		for _, arg := range cmd.Args {
			switch arg := arg.(type) {
			case *parse.PipeNode:
				b.pipe(arg)
			case *parse.ChainNode:
				if inner, ok := arg.Node.(*parse.PipeNode); ok {
					b.pipe(inner)
				}
			}
		}
	}
}

// printf checks that a printf's format is a literal with bounded widths and precisions.
func (b *bounds) printf(cmd *parse.CommandNode) {
	if len(cmd.Args) < 2 {
		return // text/template reports the missing argument
	}
	format, ok := cmd.Args[1].(*parse.StringNode)
	if !ok {
		b.fail("{{%s}}: printf's format must be a literal string, so its widths can be checked", cmd)
		return
	}
	for _, m := range printfVerb.FindAllStringSubmatch(format.Text, -1) {
		for _, n := range m[1:] {
			if n == "*" {
				b.fail("{{%s}}: printf width or precision * (taken from an argument) is not allowed", cmd)
				return
			}
			if v, err := strconv.Atoi(n); n != "" && (err != nil || v > MaxPrintfWidth) {
				b.fail("{{%s}}: printf width or precision %s is more than %d", cmd, n, MaxPrintfWidth)
				return
			}
		}
	}
}
