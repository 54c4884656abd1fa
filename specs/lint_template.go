package specs

import (
	"fmt"
	"slices"
	"strings"
	"text/template"
	"text/template/parse"
)

// caseRoots returns the template data roots, as the engine provides them: personas, captured
// variables, the declaration and the run ID.
func caseRoots() []string { return []string{"p", "v", "d", "run"} }

// sessionRoots returns the roots of a step with `as:` (and so the session headers): caseRoots
// plus .persona and .session.
func sessionRoots() []string { return append(caseRoots(), "persona", "session") }

// builtinFuncs returns text/template's predefined functions; parsing directly with
// text/template/parse needs them spelled out.
func builtinFuncs() []string {
	return []string{"and", "call", "html", "index", "slice", "js", "len", "not", "or",
		"print", "printf", "println", "urlquery", "eq", "ge", "gt", "le", "lt", "ne"}
}

// templateParser parses pack templates with the function names of LoadOptions.Funcs.
type templateParser struct {
	funcs []map[string]any
	mode  parse.Mode
}

// newTemplateParser prepares parsing; with nil funcs, function names are not checked.
func newTemplateParser(funcs template.FuncMap) *templateParser {
	builtins := map[string]any{}
	for _, name := range builtinFuncs() {
		builtins[name] = true // only presence matters to the parser
	}
	tp := &templateParser{funcs: []map[string]any{builtins}}
	if funcs == nil {
		tp.mode = parse.SkipFuncCheck
		return tp
	}
	user := make(map[string]any, len(funcs))
	for name := range funcs {
		user[name] = true
	}
	tp.funcs = append(tp.funcs, user)
	return tp
}

// tplName names parsed templates; parse errors read "template: <name>:<line>: <message>".
const tplName = "t"

// templateError rewords a text/template/parse error as "bad template (line N): message"; the
// parser's errors are plain strings, so its fixed prefix is trimmed for display only.
func templateError(err error) error {
	msg := strings.TrimPrefix(err.Error(), "template: "+tplName+":")
	if line, rest, ok := strings.Cut(msg, ": "); ok {
		return fmt.Errorf("bad template (line %s): %s", line, rest)
	}
	return fmt.Errorf("bad template: %s", msg)
}

// tplScope is what a template may refer to; nil personas or vars are not checked.
type tplScope struct {
	roots    []string
	personas map[string]bool
	vars     map[string]bool
}

// check parses text (when it holds an action) and reports syntax errors, unknown functions and
// references to undeclared personas or uncaptured variables.
func (tp *templateParser) check(text string, sc *tplScope, report func(error)) {
	if !strings.Contains(text, "{{") {
		return
	}
	t := parse.New(tplName)
	t.Mode = tp.mode
	trees := map[string]*parse.Tree{}
	if _, err := t.Parse(text, "", "", trees, tp.funcs...); err != nil {
		report(templateError(err))
		return
	}
	for _, err := range TemplateBounds(tplName, trees) {
		report(err)
	}
	w := &tplWalker{sc: sc, report: report}
	w.list(t.Root, true)
}

// tplWalker walks a parsed template looking at the data it reads. It follows the root data only
// where dot is the root (outside range and with bodies), and through $ everywhere: best effort
// that catches the obvious mistakes.
type tplWalker struct {
	sc     *tplScope
	report func(error)
}

// list walks a list of nodes.
func (w *tplWalker) list(l *parse.ListNode, rootDot bool) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		switch n := n.(type) {
		case *parse.ActionNode:
			w.pipe(n.Pipe, rootDot)
		case *parse.IfNode:
			w.branch(&n.BranchNode, rootDot, rootDot)
		case *parse.RangeNode:
			w.branch(&n.BranchNode, rootDot, false)
		case *parse.WithNode:
			w.branch(&n.BranchNode, rootDot, false)
		case *parse.TemplateNode:
			w.pipe(n.Pipe, rootDot)
		}
	}
}

// branch walks an if, range or with: inner is whether dot is still the root inside the body.
func (w *tplWalker) branch(b *parse.BranchNode, rootDot, inner bool) {
	w.pipe(b.Pipe, rootDot)
	w.list(b.List, inner)
	w.list(b.ElseList, rootDot)
}

// pipe walks the commands of a pipeline.
func (w *tplWalker) pipe(p *parse.PipeNode, rootDot bool) {
	if p == nil {
		return
	}
	for _, cmd := range p.Cmds {
		w.indexCall(cmd, rootDot)
		for _, arg := range cmd.Args {
			w.arg(arg, rootDot)
		}
	}
}

// indexCall checks `index .v "name"` and `index .p "name"`, the way to read dotted names.
func (w *tplWalker) indexCall(cmd *parse.CommandNode, rootDot bool) {
	if len(cmd.Args) != 3 || !rootDot {
		return
	}
	fn, ok1 := cmd.Args[0].(*parse.IdentifierNode)
	field, ok2 := cmd.Args[1].(*parse.FieldNode)
	key, ok3 := cmd.Args[2].(*parse.StringNode)
	if ok1 && ok2 && ok3 && fn.Ident == "index" && len(field.Ident) == 1 {
		w.path([]string{field.Ident[0], key.Text})
	}
}

// arg walks one argument of a command.
func (w *tplWalker) arg(n parse.Node, rootDot bool) {
	switch n := n.(type) {
	case *parse.FieldNode:
		if rootDot {
			w.path(n.Ident)
		}
	case *parse.VariableNode:
		if len(n.Ident) > 1 && n.Ident[0] == "$" {
			w.path(n.Ident[1:])
		}
	case *parse.PipeNode:
		w.pipe(n, rootDot)
	case *parse.ChainNode:
		w.arg(n.Node, rootDot)
	}
}

// path checks a field path read from the root data.
func (w *tplWalker) path(ident []string) {
	root := ident[0]
	if !slices.Contains(w.sc.roots, root) {
		w.report(fmt.Errorf("template reads .%s; the data is %s", root, "."+strings.Join(w.sc.roots, ", .")))
		return
	}
	if len(ident) < 2 {
		return
	}
	name := ident[1]
	switch {
	case root == "p" && w.sc.personas != nil && !w.sc.personas[name]:
		w.report(fmt.Errorf("template reads .p.%s but persona %q is not declared in personas", name, name))
	case root == "v" && w.sc.vars != nil && !w.sc.vars[name]:
		w.report(fmt.Errorf("template reads .v.%s but no earlier step captures %q%s", name, name, dottedHint(w.sc.vars, name)))
	}
}

// dottedHint explains how to read a dotted variable when name is the first part of one:
// .v.session.alice looks up "session", not "session.alice".
func dottedHint(vars map[string]bool, name string) string {
	for _, v := range names(vars) {
		if strings.HasPrefix(v, name+".") {
			return fmt.Sprintf(" (read a dotted name with index .v %q)", v)
		}
	}
	return ""
}
