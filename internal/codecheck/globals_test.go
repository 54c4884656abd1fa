package codecheck

import (
	"go/ast"
	"go/token"
	"strings"
)

// checkMutableGlobals: no package-level mutable state (style "no package-level mutable state",
// avoid 1). A package-level var is allowed when it is the blank identifier (compile-time
// interface checks), a //go:embed target, an embed.FS, a sentinel error (errors.New,
// fmt.Errorf), a compiled regexp (regexp.MustCompile) or a scalar (a basic type, or a value
// built from literals and the package's consts, which -ldflags -X may set). Everything else
// (maps, slices, arrays, pointers, structs, funcs, interfaces, values of calls and of types the
// parser cannot see through) is reported: make it a const, a func returning a fresh value, or a
// field of something passed in.
func checkMutableGlobals(c *fileCtx) []finding {
	var out []finding
	for _, d := range c.ast.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			continue
		}
		for _, spec := range gd.Specs {
			s := spec.(*ast.ValueSpec)
			if hasEmbed(gd.Doc) || hasEmbed(s.Doc) {
				continue
			}
			for i, name := range s.Names {
				if name.Name == "_" {
					continue
				}
				if kind := c.varKind(s, i); kind != "" {
					out = append(out, c.at(name.Pos(), ruleMutableGlobal,
						"package-level var %s holds %s: make it a const, a func returning a fresh value, or a field", name.Name, kind))
				}
			}
		}
	}
	return out
}

// hasEmbed reports whether a doc comment carries a //go:embed directive.
func hasEmbed(doc *ast.CommentGroup) bool {
	if doc == nil {
		return false
	}
	for _, cm := range doc.List {
		if strings.HasPrefix(cm.Text, "//go:embed ") {
			return true
		}
	}
	return false
}

// varKind describes what makes the i-th var of s mutable, or returns "" when it is allowed.
func (c *fileCtx) varKind(s *ast.ValueSpec, i int) string {
	if s.Type != nil {
		if kind := c.typeKind(s.Type, 0); kind != "" || len(s.Values) == 0 {
			return kind
		}
	}
	if len(s.Values) != len(s.Names) {
		return "values of a multi-value call"
	}
	return c.exprKind(s.Values[i])
}

// allowedCalls are the initialisers whose values are immutable in practice.
func allowedCalls() map[string]bool {
	return map[string]bool{
		"errors.New": true, "fmt.Errorf": true,
		"regexp.MustCompile": true, "regexp.MustCompilePOSIX": true,
	}
}

// scalarSelectors are named types of other packages known to be scalars.
func scalarSelectors() map[string]bool {
	return map[string]bool{"time.Duration": true, "io/fs.FileMode": true, "os.FileMode": true}
}

// basicTypes are the predeclared scalar types.
func basicTypes() map[string]bool {
	m := map[string]bool{}
	for _, t := range strings.Fields("bool string byte rune uintptr int int8 int16 int32 int64 " +
		"uint uint8 uint16 uint32 uint64 float32 float64 complex64 complex128") {
		m[t] = true
	}
	return m
}

// typeKind describes a mutable type expression, or returns "" for a scalar or embed.FS. depth
// bounds the walk through the package's own named types.
func (c *fileCtx) typeKind(t ast.Expr, depth int) string {
	switch t := t.(type) {
	case *ast.ParenExpr:
		return c.typeKind(t.X, depth)
	case *ast.Ident:
		if basicTypes()[t.Name] {
			return ""
		}
		if under, ok := c.pkg.types[t.Name]; ok && depth < 8 {
			return c.typeKind(under, depth+1)
		}
		return "a value of type " + t.Name
	case *ast.SelectorExpr:
		q, ok := c.qualified(t)
		if ok && (q == "embed.FS" || scalarSelectors()[q]) {
			return ""
		}
		return "a value of type " + exprString(t) + " (not evidently immutable)"
	case *ast.MapType:
		return "a map"
	case *ast.ArrayType:
		if t.Len == nil {
			return "a slice"
		}
		return "an array"
	case *ast.StarExpr:
		return "a pointer"
	case *ast.StructType:
		return "a struct"
	case *ast.ChanType:
		return "a channel"
	case *ast.FuncType:
		return "a func"
	case *ast.InterfaceType:
		return "an interface"
	}
	return "a value of type " + exprString(t)
}

// exprKind describes a mutable initialiser, or returns "" when the value is allowed.
func (c *fileCtx) exprKind(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.BasicLit:
		return ""
	case *ast.ParenExpr:
		return c.exprKind(e.X)
	case *ast.Ident:
		if c.pkg.consts[e.Name] || e.Name == "true" || e.Name == "false" {
			return ""
		}
		return "the value of " + e.Name + " (not a const of the package)"
	case *ast.UnaryExpr:
		if e.Op == token.AND {
			return "a pointer"
		}
		return c.exprKind(e.X)
	case *ast.BinaryExpr:
		if k := c.exprKind(e.X); k != "" {
			return k
		}
		return c.exprKind(e.Y)
	case *ast.CompositeLit:
		return c.literalKind(e)
	case *ast.FuncLit:
		return "a func"
	case *ast.CallExpr:
		return c.callKind(e)
	}
	return "the value of " + exprString(e) + " (not evidently immutable)"
}

// literalKind describes a composite literal by its type.
func (c *fileCtx) literalKind(lit *ast.CompositeLit) string {
	if lit.Type == nil {
		return "a composite literal"
	}
	if k := c.typeKind(lit.Type, 0); strings.HasPrefix(k, "a map") || strings.HasPrefix(k, "a slice") ||
		strings.HasPrefix(k, "an array") || strings.HasPrefix(k, "a struct") {
		return k
	}
	return "a " + exprString(lit.Type) + " literal"
}

// callKind describes the value of a call: conversions are judged by their type, builtins and
// allowed constructors by name, any other call is not evidently immutable.
func (c *fileCtx) callKind(call *ast.CallExpr) string {
	if q, ok := c.qualified(call.Fun); ok {
		if allowedCalls()[q] {
			return ""
		}
		if scalarSelectors()[q] && len(call.Args) == 1 {
			return c.exprKind(call.Args[0])
		}
		return "the result of " + q + "() (not evidently immutable)"
	}
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		switch {
		case fun.Name == "len" || fun.Name == "cap":
			return ""
		case fun.Name == "make" || fun.Name == "new":
			return "the result of " + fun.Name + "()"
		case basicTypes()[fun.Name] && len(call.Args) == 1:
			return c.exprKind(call.Args[0])
		}
	case *ast.ArrayType, *ast.MapType, *ast.StarExpr, *ast.FuncType, *ast.ChanType:
		return c.typeKind(fun, 0)
	}
	return "the result of " + exprString(call.Fun) + "() (not evidently immutable)"
}

// exprString prints a short form of an expression for findings.
func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.ArrayType:
		return "[]" + exprString(e.Elt)
	case *ast.CallExpr:
		return exprString(e.Fun) + "()"
	case *ast.IndexExpr:
		return exprString(e.X) + "[...]"
	}
	return "expression"
}
