package mutation

import (
	"go/ast"
	"go/token"
	"strings"
)

// span is a half-open range of positions that is not mutated.
type span struct{ from, to token.Pos }

// spans is the code of one function that must not be mutated.
type spans []span

// covers reports whether p lies in one of the spans.
func (s spans) covers(p token.Pos) bool {
	for _, x := range s {
		if p >= x.from && p < x.to {
			return true
		}
	}
	return false
}

// switchOn reports whether cond can hold only when a switch is on: a call like
// v.faults.has(x), a conjunction with such a term, or a disjunction of such terms.
func switchOn(cond ast.Expr) bool {
	switch e := cond.(type) {
	case *ast.ParenExpr:
		return switchOn(e.X)
	case *ast.UnaryExpr:
		return e.Op != token.NOT && mentionsSwitch(e)
	case *ast.BinaryExpr:
		switch e.Op {
		case token.LAND:
			return switchOn(e.X) || switchOn(e.Y)
		case token.LOR:
			return switchOn(e.X) && switchOn(e.Y)
		}
	}
	return mentionsSwitch(cond)
}

// switchOff reports whether cond can be false only when a switch is on (!v.faults.has(x)).
func switchOff(cond ast.Expr) bool {
	switch e := cond.(type) {
	case *ast.ParenExpr:
		return switchOff(e.X)
	case *ast.UnaryExpr:
		return e.Op == token.NOT && switchOn(e.X)
	case *ast.BinaryExpr:
		switch e.Op {
		case token.LOR:
			return switchOff(e.X) || switchOff(e.Y)
		case token.LAND:
			return switchOff(e.X) && switchOff(e.Y)
		}
	}
	return false
}

// excludedSpans finds the code of body that runs only with a switch on, and logging.
func excludedSpans(body *ast.BlockStmt) spans {
	var out spans
	ast.Inspect(body, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.IfStmt:
			if switchOn(s.Cond) {
				out = append(out, span{s.Pos(), s.Body.End()})
			}
			if s.Else != nil && switchOff(s.Cond) {
				out = append(out, span{s.Else.Pos(), s.Else.End()})
			}
		case *ast.CaseClause:
			for _, e := range s.List {
				if switchOn(e) {
					out = append(out, span{s.Pos(), s.End()})
				}
			}
		case *ast.ExprStmt:
			if isLogging(s.X) {
				out = append(out, span{s.Pos(), s.End()})
			}
		}
		return true
	})
	return out
}

// isLogging reports whether e is a call that only writes diagnostics: fmt.Fprint* / log.* /
// a Printf- or Logf-style method.
func isLogging(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if pkg, ok := sel.X.(*ast.Ident); ok && (pkg.Name == "log" || pkg.Name == "fmt" && strings.HasPrefix(sel.Sel.Name, "Fprint") && len(call.Args) > 0 && mentions(call.Args[0], isLogName)) {
		return true
	}
	switch sel.Sel.Name {
	case "Printf", "Println", "Print", "Logf", "Log", "Debugf", "Infof", "Warnf", "Errorf":
		return !(sel.Sel.Name == "Errorf" && isIdent(sel.X, "fmt"))
	}
	return false
}

// isLogName reports whether an identifier names a log writer (log, logw, Log, ...).
func isLogName(name string) bool {
	l := strings.ToLower(name)
	return l == "log" || strings.HasPrefix(l, "logw") || l == "logger"
}

// isIdent reports whether e is the identifier name.
func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// hasLabels reports whether body declares a label (its copy could not be compiled twice).
func hasLabels(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.LabeledStmt); ok {
			found = true
		}
		return !found
	})
	return found
}

// funcName is the display name of a function: Recv.name or name.
func funcName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		}
		break
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name + "." + d.Name.Name
	}
	return d.Name.Name
}

// liveFuncs returns the functions of the package that run with every switch off. A name is
// referenced when it appears in a package-level declaration (not as the declared name) or in
// the signature or unexcluded body of a live function. A function is live when it is exported
// or main or init, or its name is referenced; a method needs its receiver type referenced (or
// exported) as well, so the methods of a type only a switch's branch builds (the
// plain-http-served fault's listener) are left out even when another type has a method of the
// same name. Matching is by name, erring on mutating more.
func liveFuncs(p *pkgSource) map[*ast.FuncDecl]bool {
	marked := map[string]bool{}
	var funcs []*ast.FuncDecl
	for _, f := range p.files {
		for _, d := range f.file.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Body != nil {
					funcs = append(funcs, d)
				}
			case *ast.GenDecl:
				markGenDecl(d, marked)
			}
		}
	}
	live := map[*ast.FuncDecl]bool{}
	for changed := true; changed; {
		changed = false
		for _, d := range funcs {
			if live[d] || !reachable(d, marked) {
				continue
			}
			live[d] = true
			changed = true
			referencedNames(d.Type, nil, func(n string) { marked[n] = true })
			referencedNames(d.Body, excludedSpans(d.Body), func(n string) { marked[n] = true })
		}
	}
	return live
}

// reachable reports whether d can run given the names referenced so far.
func reachable(d *ast.FuncDecl, marked map[string]bool) bool {
	name := d.Name.Name
	if d.Recv == nil {
		return d.Name.IsExported() || name == "main" || name == "init" || marked[name]
	}
	recv, _, _ := strings.Cut(funcName(d), ".")
	typeOK := marked[recv] || ast.IsExported(recv)
	return typeOK && (d.Name.IsExported() || marked[name])
}

// markGenDecl marks the names a package-level declaration refers to; the names it declares
// are not references (an exported type counts as referenced).
func markGenDecl(d *ast.GenDecl, marked map[string]bool) {
	mark := func(n string) { marked[n] = true }
	for _, s := range d.Specs {
		switch s := s.(type) {
		case *ast.TypeSpec:
			if s.Name.IsExported() {
				mark(s.Name.Name)
			}
			referencedNames(s.Type, nil, mark)
		case *ast.ValueSpec:
			if s.Type != nil {
				referencedNames(s.Type, nil, mark)
			}
			for _, v := range s.Values {
				referencedNames(v, nil, mark)
			}
		}
	}
}

// referencedNames calls mark with every identifier name in n outside the excluded spans.
func referencedNames(n ast.Node, skip spans, mark func(string)) {
	ast.Inspect(n, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if skip.covers(n.Pos()) {
			return false
		}
		if id, ok := n.(*ast.Ident); ok {
			mark(id.Name)
		}
		return true
	})
}
