package mutation

import (
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"
)

// walker collects the mutants of one function.
type walker struct {
	f      *srcFile
	fn     *ast.FuncDecl
	name   string
	skip   spans
	consts map[string]bool
	stack  []ast.Node
	out    []*Mutant
}

// walk visits the function body and applies every operator to every site it allows.
func (w *walker) walk() {
	ast.Inspect(w.fn.Body, func(n ast.Node) bool {
		if n == nil {
			w.stack = w.stack[:len(w.stack)-1]
			return false
		}
		if w.skip.covers(n.Pos()) {
			return false
		}
		w.visit(n)
		w.stack = append(w.stack, n)
		return true
	})
}

// parent is the node enclosing the one being visited.
func (w *walker) parent() ast.Node {
	if len(w.stack) == 0 {
		return nil
	}
	return w.stack[len(w.stack)-1]
}

// visit dispatches one node to the operators that apply to its kind.
func (w *walker) visit(n ast.Node) {
	switch x := n.(type) {
	case *ast.BinaryExpr:
		w.boundary(x)
		w.looseEquality(x)
	case *ast.IfStmt:
		w.ifCheck(x)
	case *ast.BasicLit:
		w.literal(x)
	case *ast.Ident:
		w.constIdent(x)
	case *ast.BlockStmt:
		w.statements(x.List)
	case *ast.CaseClause:
		w.statements(x.Body)
	case *ast.CommClause:
		w.statements(x.Body)
	}
}

// add records a mutant replacing node n (whose text is the original) by mutated.
func (w *walker) add(op string, n ast.Node, mutated string) {
	w.addEdits(op, n, w.f.text(n), mutated, edit{w.f.off(n.Pos()), w.f.off(n.End()), mutated})
}

// addEdits records a mutant with explicit display texts and edits.
func (w *walker) addEdits(op string, at ast.Node, original, mutated string, edits ...edit) {
	w.out = append(w.out, &Mutant{
		File: w.f.rel, Line: w.f.line(at.Pos()), Func: w.name, Operator: op,
		Original: fold(original), Mutated: fold(mutated),
		edits: edits, fn: w.fn, file: w.f,
	})
}

// boundary: < <-> <=, > <-> >=.
func (w *walker) boundary(b *ast.BinaryExpr) {
	swap := map[token.Token]token.Token{token.LSS: token.LEQ, token.LEQ: token.LSS, token.GTR: token.GEQ, token.GEQ: token.GTR}
	to, ok := swap[b.Op]
	if !ok || mentionsSwitch(b) {
		return
	}
	w.add(OpBoundary, b, w.f.text(b.X)+" "+to.String()+" "+w.f.text(b.Y))
}

// looseEquality: a == b becomes strings.HasPrefix(a, b), strings.HasPrefix(b, a) and
// strings.EqualFold(a, b) (negated for !=). Operands that cannot be strings are skipped;
// the others are left to the compiler.
func (w *walker) looseEquality(b *ast.BinaryExpr) {
	if (b.Op != token.EQL && b.Op != token.NEQ) || mentionsSwitch(b) || !maybeString(b.X) || !maybeString(b.Y) {
		return
	}
	if isEmptyString(b.X) || isEmptyString(b.Y) {
		return // against "" a prefix or case-insensitive comparison is == itself or always true
	}
	neg := ""
	if b.Op == token.NEQ {
		neg = "!"
	}
	x, y := w.f.text(b.X), w.f.text(b.Y)
	for _, c := range [][3]string{{"HasPrefix", x, y}, {"HasPrefix", y, x}, {"EqualFold", x, y}} {
		code := neg + "zzstrings." + c[0] + "(" + c[1] + ", " + c[2] + ")"
		shown := neg + "strings." + c[0] + "(" + c[1] + ", " + c[2] + ")"
		w.addEdits(OpLooseEquality, b, w.f.text(b), shown, edit{w.f.off(b.Pos()), w.f.off(b.End()), code})
	}
}

// isEmptyString reports whether e is an empty string literal (quoted or raw).
func isEmptyString(e ast.Expr) bool {
	l, ok := e.(*ast.BasicLit)
	return ok && l.Kind == token.STRING && len(l.Value) == 2
}

// maybeString reports whether e could be a string operand: not nil, a boolean, a number, a
// character, an arithmetic expression or a len/cap call.
func maybeString(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name != "nil" && x.Name != "true" && x.Name != "false" && x.Name != "err"
	case *ast.BasicLit:
		return x.Kind == token.STRING
	case *ast.CallExpr:
		return !isIdent(x.Fun, "len") && !isIdent(x.Fun, "cap")
	case *ast.BinaryExpr, *ast.UnaryExpr, *ast.CompositeLit, *ast.FuncLit:
		return false
	case *ast.ParenExpr:
		return maybeString(x.X)
	}
	return true
}

// ifCheck applies the condition operators to an if statement.
func (w *walker) ifCheck(s *ast.IfStmt) {
	cond := w.f.text(s.Cond)
	if isPropagation(s) {
		return
	}
	w.addEdits(OpNegate, s.Cond, cond, "!("+cond+")", edit{w.f.off(s.Cond.Pos()), w.f.off(s.Cond.End()), "!(" + cond + ")"})
	if s.Else == nil && endsInReturn(s.Body) {
		// false && (cond) keeps every variable of cond used, so the copy compiles.
		w.addEdits(OpRemoveCheck, s.Cond, "if "+cond+" { "+firstLine(w.f.text(s.Body.List[len(s.Body.List)-1]))+" }", "if false { ... } (check removed)",
			edit{w.f.off(s.Cond.Pos()), w.f.off(s.Cond.End()), "false && (" + cond + ")"})
	}
	w.removeTerms(s.Cond)
}

// isPropagation reports whether s is `if err != nil { return ..., err }` (or the error wrapped
// by fmt.Errorf or errors.Join): a Go error handed up, the plumbing of an internal failure that a working channel never takes, not a check of
// what a request carries. A check that answers with a refusal (its return does not hand err on)
// is mutated.
func isPropagation(s *ast.IfStmt) bool {
	b, ok := s.Cond.(*ast.BinaryExpr)
	if !ok || b.Op != token.NEQ || !isIdent(b.Y, "nil") || !isIdent(b.X, "err") || !endsInReturn(s.Body) {
		return false
	}
	for _, r := range s.Body.List[len(s.Body.List)-1].(*ast.ReturnStmt).Results {
		if isIdent(r, "err") {
			return true
		}
		if call, ok := r.(*ast.CallExpr); ok && isWrap(call.Fun) && slices.ContainsFunc(call.Args, func(a ast.Expr) bool { return isIdent(a, "err") }) {
			return true
		}
	}
	return false
}

// isWrap reports whether fun is fmt.Errorf or errors.Join, the calls that hand an error on.
func isWrap(fun ast.Expr) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	return ok && (isIdent(sel.X, "fmt") && sel.Sel.Name == "Errorf" || isIdent(sel.X, "errors") && sel.Sel.Name == "Join")
}

// removeTerms drops each term of the top-level && or || chain of cond in turn; a term is
// replaced by (true || term) or (false && term) so its variables stay used.
func (w *walker) removeTerms(cond ast.Expr) {
	b, ok := cond.(*ast.BinaryExpr)
	if !ok || (b.Op != token.LAND && b.Op != token.LOR) {
		return
	}
	terms := chain(b, b.Op)
	for i, t := range terms {
		if mentionsSwitch(t) {
			continue
		}
		keep := make([]string, 0, len(terms)-1)
		for j, u := range terms {
			if j != i {
				keep = append(keep, w.f.text(u))
			}
		}
		neutral := "(true || "
		if b.Op == token.LOR {
			neutral = "(false && "
		}
		w.addEdits(OpRemoveTerm, t, w.f.text(cond), strings.Join(keep, " "+b.Op.String()+" "),
			edit{w.f.off(t.Pos()), w.f.off(t.End()), neutral + w.f.text(t) + ")"})
	}
}

// chain flattens a left-nested chain of op into its terms.
func chain(e ast.Expr, op token.Token) []ast.Expr {
	if b, ok := e.(*ast.BinaryExpr); ok && b.Op == op {
		return append(chain(b.X, op), chain(b.Y, op)...)
	}
	return []ast.Expr{e}
}

// endsInReturn reports whether a block's last statement is a return.
func endsInReturn(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	_, ok := b.List[len(b.List)-1].(*ast.ReturnStmt)
	return ok
}

// firstLine is the first line of s.
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " ..."
	}
	return s
}

// literal: an integer literal becomes +1, -1, x2 and /2 (distinct values only). Array
// lengths (types) and make capacities (hints) are skipped.
func (w *walker) literal(l *ast.BasicLit) {
	if l.Kind != token.INT {
		return
	}
	if at, ok := w.parent().(*ast.ArrayType); ok && at.Len == l {
		return
	}
	if call, ok := w.parent().(*ast.CallExpr); ok && isIdent(call.Fun, "make") && len(call.Args) == 3 && call.Args[2] == l {
		return // a capacity is a hint, not behaviour
	}
	v, err := strconv.ParseInt(strings.ReplaceAll(l.Value, "_", ""), 0, 64)
	if err != nil {
		return
	}
	seen := map[int64]bool{v: true}
	for _, nv := range []int64{v + 1, v - 1, v * 2, v / 2} {
		if seen[nv] {
			continue
		}
		seen[nv] = true
		text := strconv.FormatInt(nv, 10)
		if nv < 0 {
			if isIndex(w.parent(), l) {
				continue // a negative constant index does not compile
			}
			text = "(" + text + ")"
		}
		w.add(OpConstant, l, text)
	}
}

// isIndex reports whether e is the index or a bound of the index or slice expression p.
func isIndex(p ast.Node, e ast.Expr) bool {
	switch x := p.(type) {
	case *ast.IndexExpr:
		return x.Index == e
	case *ast.SliceExpr:
		return x.Low == e || x.High == e || x.Max == e
	}
	return false
}

// constIdent: a use of a package-level numeric constant becomes (c * 2) and (c / 2).
func (w *walker) constIdent(id *ast.Ident) {
	if !w.consts[id.Name] {
		return
	}
	switch p := w.parent().(type) {
	case *ast.SelectorExpr:
		if p.Sel == id {
			return
		}
	case *ast.KeyValueExpr:
		if p.Key == id {
			return
		}
	case *ast.AssignStmt:
		return
	}
	w.add(OpConstant, id, "("+id.Name+" * 2)")
	w.add(OpConstant, id, "("+id.Name+" / 2)")
}

// statements applies the statement operators to a statement list: swapped consecutive
// checks and deleted stores.
func (w *walker) statements(list []ast.Stmt) {
	for i, s := range list {
		if w.skip.covers(s.Pos()) || mentionsSwitch(s) {
			continue
		}
		if isStore(s) {
			w.addEdits(OpDeleteStore, s, w.f.text(s), "(deleted)", edit{w.f.off(s.Pos()), w.f.off(s.End()), w.discard(s)})
		}
		if i+1 < len(list) && isCheck(list[i]) && isCheck(list[i+1]) && !mentionsSwitch(list[i+1]) {
			a, b := list[i].(*ast.IfStmt), list[i+1].(*ast.IfStmt)
			w.addEdits(OpSwapChecks, a, "if "+w.f.text(a.Cond)+" {...}; if "+w.f.text(b.Cond)+" {...}",
				"if "+w.f.text(b.Cond)+" {...}; if "+w.f.text(a.Cond)+" {...}",
				edit{w.f.off(a.Pos()), w.f.off(b.End()), w.f.text(b) + "\n" + w.f.text(a)})
		}
	}
}

// discard is what replaces a deleted store: the values are still computed (and the variables
// they use stay used, so the copy compiles) but nothing is stored.
func (w *walker) discard(s ast.Stmt) string {
	var vals []ast.Expr
	switch x := s.(type) {
	case *ast.AssignStmt:
		if len(x.Rhs) == 1 && len(x.Lhs) > 1 {
			return strings.Repeat("_, ", len(x.Lhs)-1) + "_ = " + w.f.text(x.Rhs[0])
		}
		vals = x.Rhs
	case *ast.ExprStmt:
		vals = x.X.(*ast.CallExpr).Args
		if sel, ok := x.X.(*ast.CallExpr).Fun.(*ast.SelectorExpr); ok {
			vals = append([]ast.Expr{sel.X}, vals...)
		}
	}
	if len(vals) == 0 {
		return ""
	}
	texts := make([]string, len(vals))
	for i, v := range vals {
		texts[i] = w.f.text(v)
	}
	return strings.Repeat("_, ", len(vals)-1) + "_ = " + strings.Join(texts, ", ")
}

// isCheck reports whether s is `if [init;] cond { ...; return ... }` without else.
func isCheck(s ast.Stmt) bool {
	i, ok := s.(*ast.IfStmt)
	return ok && i.Else == nil && endsInReturn(i.Body)
}

// isStore reports whether s writes state: an assignment with = or op= (not :=, not to _), an
// increment, delete(m, k), or a call of a store-like method (add, set, store, put, record).
func isStore(s ast.Stmt) bool {
	switch x := s.(type) {
	case *ast.AssignStmt:
		if x.Tok == token.DEFINE {
			return false
		}
		for _, l := range x.Lhs {
			if isIdent(l, "_") {
				return false
			}
		}
		return true
	case *ast.IncDecStmt:
		return true
	case *ast.ExprStmt:
		call, ok := x.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		if isIdent(call.Fun, "delete") {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); ok {
			switch strings.ToLower(sel.Sel.Name) {
			case "add", "set", "store", "put", "record", "remember", "del":
				return true
			}
		}
	}
	return false
}
