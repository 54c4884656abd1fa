package codecheck

import (
	"go/ast"
	"go/token"
	"sort"
)

// pkgDecls are the package-level type and const declarations of one package, which the
// mutable-global rule looks through.
type pkgDecls struct {
	types  map[string]ast.Expr
	consts map[string]bool
}

// collectDecls gathers the declarations of every package among files.
func collectDecls(files []*srcFile) map[string]*pkgDecls {
	pkgs := map[string]*pkgDecls{}
	for _, f := range files {
		key := pkgKey(f)
		p := pkgs[key]
		if p == nil {
			p = &pkgDecls{types: map[string]ast.Expr{}, consts: map[string]bool{}}
			pkgs[key] = p
		}
		for _, d := range f.ast.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok {
				continue
			}
			for _, spec := range gd.Specs {
				switch s := spec.(type) {
				case *ast.TypeSpec:
					p.types[s.Name.Name] = s.Type
				case *ast.ValueSpec:
					for _, n := range s.Names {
						p.consts[n.Name] = p.consts[n.Name] || gd.Tok == token.CONST
					}
				}
			}
		}
	}
	return pkgs
}

// result is what a check of some files found.
type result struct {
	findings []finding // offences, sorted by file and line
	allowed  []finding // offences excused by an allow comment, with the reason
}

// checkFiles runs every rule over files.
func checkFiles(files []*srcFile) result {
	pkgs := collectDecls(files)
	var res result
	for _, f := range files {
		c := &fileCtx{srcFile: f, imports: importNames(f.ast), pkg: pkgs[pkgKey(f)]}
		var all []finding
		for _, r := range rules() {
			all = append(all, r.check(c)...)
		}
		kept, allowed := applyAllowances(c, all)
		res.findings = append(res.findings, kept...)
		res.allowed = append(res.allowed, allowed...)
	}
	sortFindings(res.findings)
	sortFindings(res.allowed)
	return res
}

// sortFindings orders findings by file, line and rule.
func sortFindings(fs []finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.file != b.file {
			return a.file < b.file
		}
		if a.line != b.line {
			return a.line < b.line
		}
		return a.rule < b.rule
	})
}
