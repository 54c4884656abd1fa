package codecheck

import (
	"fmt"
	"go/ast"
	"go/token"
	"path"
	"strconv"
	"strings"
)

// The rule names, as findings print them and allow comments name them.
const (
	ruleOSExit        = "os-exit"
	ruleConsole       = "console-output"
	ruleGetenv        = "getenv"
	ruleInit          = "init-func"
	ruleMutableGlobal = "mutable-global"
	ruleDoc           = "doc-comment"
	ruleFuncLength    = "func-length"
	ruleFileLength    = "file-length"
	ruleErrorString   = "error-string-compare"
	ruleBadName       = "bad-name"
	ruleContextValue  = "context-value"
	ruleAllow         = "allow-comment"
)

// The size budgets of style note 19: functions over maxFuncLines fail unless they are mostly
// one table literal; files over maxFileLines fail and files over softFileLines are listed.
const (
	maxFuncLines  = 80
	maxFileLines  = 600
	softFileLines = 400
)

// finding is one offence: where, which rule, and what exactly.
type finding struct {
	file   string
	line   int
	rule   string
	detail string
}

// String prints the finding as file:line: rule: detail.
func (f finding) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", f.file, f.line, f.rule, f.detail)
}

// rule is one check over one file.
type rule struct {
	name  string
	check func(c *fileCtx) []finding
}

// rules returns every rule in reporting order.
func rules() []rule {
	return []rule{
		{ruleOSExit, checkOSExit},
		{ruleConsole, checkConsole},
		{ruleGetenv, checkGetenv},
		{ruleInit, checkInit},
		{ruleMutableGlobal, checkMutableGlobals},
		{ruleDoc, checkDocComments},
		{ruleFuncLength, checkFuncLength},
		{ruleFileLength, checkFileLength},
		{ruleErrorString, checkErrorStrings},
		{ruleBadName, checkBadNames},
		{ruleContextValue, checkContextValue},
	}
}

// fileCtx is a file with what the rules need to know about its package.
type fileCtx struct {
	*srcFile
	imports map[string]string // local name -> import path
	pkg     *pkgDecls         // the package's type and const declarations
}

// at builds a finding at pos.
func (c *fileCtx) at(pos token.Pos, rule, format string, args ...any) finding {
	return finding{file: c.path, line: c.line(pos), rule: rule, detail: fmt.Sprintf(format, args...)}
}

// under reports whether the file lies under one of the slash directory prefixes.
func (c *fileCtx) under(dirs ...string) bool {
	for _, d := range dirs {
		if strings.HasPrefix(c.path, d) {
			return true
		}
	}
	return false
}

// qualified resolves pkg.Name to "importpath.Name" when pkg is an imported package (not a local
// variable of the same name).
func (c *fileCtx) qualified(e ast.Expr) (string, bool) {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return "", false
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok || id.Obj != nil {
		return "", false
	}
	imp, ok := c.imports[id.Name]
	if !ok {
		return "", false
	}
	return imp + "." + sel.Sel.Name, true
}

// refs reports every reference to one of the qualified names (importpath.Name).
func (c *fileCtx) refs(names map[string]string, rule string) []finding {
	var out []finding
	ast.Inspect(c.ast, func(n ast.Node) bool {
		sel, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if q, ok := c.qualified(sel); ok {
			if why, bad := names[q]; bad {
				out = append(out, c.at(sel.Pos(), rule, "%s %s", q, why))
			}
		}
		return true
	})
	return out
}

// importNames maps each import's local name to its path.
func importNames(f *ast.File) map[string]string {
	m := map[string]string{}
	for _, imp := range f.Imports {
		p, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		name := path.Base(p)
		if len(name) > 1 && name[0] == 'v' && strings.Trim(name[1:], "0123456789") == "" {
			name = path.Base(path.Dir(p))
		}
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if name != "_" && name != "." {
			m[name] = p
		}
	}
	return m
}

// checkOSExit: only main may end the process; anywhere else os.Exit skips deferred cleanup and
// hides the exit-code decision (style 1, avoid 6).
func checkOSExit(c *fileCtx) []finding {
	if c.path == "cmd/chanconf/main.go" {
		return nil
	}
	why := "outside cmd/chanconf/main.go: return an error and let cli.Main choose the exit code"
	return c.refs(map[string]string{"os.Exit": why, "syscall.Exit": why}, ruleOSExit)
}

// checkConsole: console bytes belong to IOStreams (style 3); tests log with t.Log. Example
// functions of _test.go files may print: `go test` compares their stdout with `// Output:`
// (style 18).
func checkConsole(c *fileCtx) []finding {
	if c.under("internal/iostreams/", "cmd/chanconf/") {
		return nil
	}
	why := "outside internal/iostreams and cmd/chanconf: write to an io.Writer passed in"
	names := map[string]string{"os.Stdout": why, "os.Stderr": why}
	for _, f := range []string{"Print", "Printf", "Println"} {
		names["fmt."+f] = why
	}
	for _, f := range []string{"Print", "Printf", "Println", "Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln"} {
		names["log."+f] = why + " (the standard logger writes to os.Stderr)"
	}
	out := c.refs(names, ruleConsole)
	ast.Inspect(c.ast, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if id, ok := call.Fun.(*ast.Ident); ok && id.Obj == nil && (id.Name == "print" || id.Name == "println") {
			out = append(out, c.at(call.Pos(), ruleConsole, "builtin %s writes to stderr", id.Name))
		}
		return true
	})
	return c.outsideExamples(out)
}

// outsideExamples drops the findings inside Example functions of a _test.go file.
func (c *fileCtx) outsideExamples(fs []finding) []finding {
	if !c.test() {
		return fs
	}
	var out []finding
	for _, f := range fs {
		if !c.inExample(f.line) {
			out = append(out, f)
		}
	}
	return out
}

// inExample reports whether line lies in an Example function.
func (c *fileCtx) inExample(line int) bool {
	for _, d := range c.ast.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Example") &&
			c.line(fd.Pos()) <= line && line <= c.line(fd.End()) {
			return true
		}
	}
	return false
}

// checkGetenv: every CHANCONF_* variable is declared in internal/cmdutil's registry (style 15).
// Exception: the _test.go files of suites/conformance, whose `go test` entry point has no
// channel but the environment for the target (the variables are still declared in cmdutil.Env).
func checkGetenv(c *fileCtx) []finding {
	if c.under("internal/cmdutil/") || (c.under("suites/conformance/") && c.test()) {
		return nil
	}
	why := "outside internal/cmdutil: declare the variable in the cmdutil registry and pass its value in"
	names := map[string]string{}
	for _, f := range []string{"os.Getenv", "os.LookupEnv", "os.Environ", "os.ExpandEnv", "syscall.Getenv"} {
		names[f] = why
	}
	return c.refs(names, ruleGetenv)
}

// checkInit: registries are values built by constructors, never filled by init (style 8).
func checkInit(c *fileCtx) []finding {
	var out []finding
	for _, d := range c.ast.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "init" {
			out = append(out, c.at(fd.Pos(), ruleInit, "func init(): build the value in a constructor instead"))
		}
	}
	return out
}

// checkContextValue: a context carries cancellation, deadlines and the run and case IDs set by
// suites/engine, never settings (style 20, avoid 7).
func checkContextValue(c *fileCtx) []finding {
	if c.under("suites/engine/") {
		return nil
	}
	why := "outside suites/engine: pass settings through Options, not the context"
	return c.refs(map[string]string{"context.WithValue": why}, ruleContextValue)
}

// isErrorCall reports whether e is x.Error() with no arguments.
func isErrorCall(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "Error"
}

// checkErrorStrings: errors are classified with errors.Is/As, never by their text (style 5).
func checkErrorStrings(c *fileCtx) []finding {
	var out []finding
	ast.Inspect(c.ast, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BinaryExpr:
			if (n.Op == token.EQL || n.Op == token.NEQ) && (isErrorCall(n.X) || isErrorCall(n.Y)) {
				out = append(out, c.at(n.Pos(), ruleErrorString, ".Error() %s: compare errors with errors.Is/errors.As", n.Op))
			}
		case *ast.SwitchStmt:
			if n.Tag != nil && isErrorCall(n.Tag) {
				out = append(out, c.at(n.Pos(), ruleErrorString, "switch on .Error(): compare errors with errors.Is/errors.As"))
			}
		}
		return true
	})
	return out
}

// badNames are the grab-bag names of style 19 and avoid 2.
func badNames() map[string]bool {
	return map[string]bool{"util": true, "utils": true, "common": true, "helpers": true}
}

// checkBadNames: a package or file name says what it holds.
func checkBadNames(c *fileCtx) []finding {
	bad := badNames()
	var out []finding
	pos := c.ast.Name.Pos()
	if name := strings.TrimSuffix(c.ast.Name.Name, "_test"); bad[name] {
		out = append(out, c.at(pos, ruleBadName, "package %s: name the package for what it holds", c.ast.Name.Name))
	} else if dir := path.Base(path.Dir(c.path)); bad[dir] {
		out = append(out, c.at(pos, ruleBadName, "directory %s: name the package for what it holds", dir))
	}
	base := strings.TrimSuffix(strings.TrimSuffix(path.Base(c.path), ".go"), "_test")
	if bad[base] {
		out = append(out, c.at(pos, ruleBadName, "file %s: name the file for its concern", path.Base(c.path)))
	}
	return out
}

// checkFileLength: files stay small enough to read (style 19: about 400 lines; 600 fails).
func checkFileLength(c *fileCtx) []finding {
	if c.lines <= maxFileLines {
		return nil
	}
	return []finding{{file: c.path, line: 1, rule: ruleFileLength,
		detail: fmt.Sprintf("%d lines (max %d, aim for %d): split it by concern", c.lines, maxFileLines, softFileLines)}}
}

// checkFuncLength: functions stay under maxFuncLines unless over half of their lines are one
// composite literal (a table).
func checkFuncLength(c *fileCtx) []finding {
	var out []finding
	for _, d := range c.ast.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil {
			continue
		}
		n := c.line(fd.End()) - c.line(fd.Pos()) + 1
		if n <= maxFuncLines || 2*c.largestLiteral(fd.Body) > n {
			continue
		}
		out = append(out, c.at(fd.Pos(), ruleFuncLength, "func %s is %d lines (max %d): split it", funcName(fd), n, maxFuncLines))
	}
	return out
}

// largestLiteral returns the line span of the longest composite literal in n.
func (c *fileCtx) largestLiteral(n ast.Node) int {
	largest := 0
	ast.Inspect(n, func(n ast.Node) bool {
		if lit, ok := n.(*ast.CompositeLit); ok {
			largest = max(largest, c.line(lit.End())-c.line(lit.Pos())+1)
			return false
		}
		return true
	})
	return largest
}

// funcName is Name or Recv.Name.
func funcName(fd *ast.FuncDecl) string {
	if recv := recvTypeName(fd); recv != "" {
		return recv + "." + fd.Name.Name
	}
	return fd.Name.Name
}

// recvTypeName is the receiver's base type name, or "" for a plain function.
func recvTypeName(fd *ast.FuncDecl) string {
	if fd.Recv == nil || len(fd.Recv.List) == 0 {
		return ""
	}
	t := fd.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
