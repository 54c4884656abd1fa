package codecheck

import (
	"go/ast"
	"go/token"
)

// checkDocComments: every exported name outside tests says what it is and why (style 19):
// funcs, types, methods on exported types, consts and vars. A const or var group's doc comment
// covers the names in it, as godoc shows it.
func checkDocComments(c *fileCtx) []finding {
	if c.test() {
		return nil
	}
	var out []finding
	for _, d := range c.ast.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			out = append(out, c.funcDoc(d)...)
		case *ast.GenDecl:
			out = append(out, c.genDoc(d)...)
		}
	}
	return out
}

// funcDoc checks one func or method.
func (c *fileCtx) funcDoc(fd *ast.FuncDecl) []finding {
	if !fd.Name.IsExported() || fd.Doc != nil {
		return nil
	}
	kind := "func"
	if fd.Recv != nil {
		recv := recvTypeName(fd)
		if !token.IsExported(recv) {
			return nil
		}
		kind = "method"
	}
	return []finding{c.at(fd.Pos(), ruleDoc, "exported %s %s has no doc comment", kind, funcName(fd))}
}

// genDoc checks the exported names of one type, const or var declaration.
func (c *fileCtx) genDoc(gd *ast.GenDecl) []finding {
	if gd.Tok == token.IMPORT {
		return nil
	}
	grouped := gd.Lparen.IsValid()
	var out []finding
	for _, spec := range gd.Specs {
		switch s := spec.(type) {
		case *ast.TypeSpec:
			if s.Name.IsExported() && s.Doc == nil && (grouped || gd.Doc == nil) {
				out = append(out, c.at(s.Pos(), ruleDoc, "exported type %s has no doc comment", s.Name.Name))
			}
		case *ast.ValueSpec:
			if s.Doc != nil || gd.Doc != nil {
				continue
			}
			for _, name := range s.Names {
				if name.IsExported() {
					out = append(out, c.at(name.Pos(), ruleDoc, "exported %s %s has no doc comment", gd.Tok, name.Name))
				}
			}
		}
	}
	return out
}
