package engine

import (
	"bytes"
	"regexp"
	"sync"
	"text/template"
	"text/template/parse"

	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/contract"
	"github.com/theory/jsonpath"
	"github.com/vektah/gqlparser/v2/ast"
)

// caches hold what a pack reuses across cases (compiled JSONPaths, regular expressions,
// validated GraphQL documents, template parse trees); the pack is immutable, so entries never go
// stale.
type caches struct {
	paths   sync.Map // string -> *jsonpath.Path
	regexps sync.Map // string -> *regexp.Regexp
	docs    sync.Map // string -> gqlDoc
	trees   sync.Map // template source -> *parse.Tree (nil: not shareable)
	consts  sync.Map // *specs.Value without templates -> constant
	bounded sync.Map // template source -> error (nil: its work is bounded; budget.go)
}

// constant is a decoded operand without templates, or why it does not decode.
type constant struct {
	v   any
	err error
}

// gqlDoc is a validated GraphQL document, or why it did not validate.
type gqlDoc struct {
	doc *ast.QueryDocument
	err error
}

func (c *caches) path(p string) (*jsonpath.Path, error) {
	if v, ok := c.paths.Load(p); ok {
		return v.(*jsonpath.Path), nil
	}
	parsed, err := jsonpath.Parse(p)
	if err != nil {
		return nil, err
	}
	c.paths.Store(p, parsed)
	return parsed, nil
}

func (c *caches) regexp(expr string) (*regexp.Regexp, error) {
	if v, ok := c.regexps.Load(expr); ok {
		return v.(*regexp.Regexp), nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	c.regexps.Store(expr, re)
	return re, nil
}

func (c *caches) document(src string, validate func(string) (*ast.QueryDocument, error)) gqlDoc {
	if v, ok := c.docs.Load(src); ok {
		return v.(gqlDoc)
	}
	doc, err := validate(src)
	d := gqlDoc{doc: doc, err: err}
	c.docs.Store(src, d)
	return d
}

// tree returns the parse tree of template src, parsed once with funcs (which need only the
// right names), or nil when src cannot be shared between cases: it does not parse with funcs
// (the caller parses it again, with the case's functions, for the error) or it defines
// templates of its own.
func (c *caches) tree(src string, funcs template.FuncMap) *parse.Tree {
	if v, ok := c.trees.Load(src); ok {
		return v.(*parse.Tree)
	}
	var tree *parse.Tree
	if t, err := newTemplate().Funcs(funcs).Parse(src); err == nil && len(t.Templates()) == 1 {
		tree = t.Tree
	}
	c.trees.Store(src, tree)
	return tree
}

// constant decodes v, which has no templates, once per run.
func (c *caches) constant(v *specs.Value) (any, error) {
	if got, ok := c.consts.Load(v); ok {
		k := got.(constant)
		return k.v, k.err
	}
	var b bytes.Buffer
	k := constant{err: writeValue(&b, v, func(s string) (string, error) { return s, nil })}
	if k.err == nil {
		k.v, k.err = contract.DecodeJSON(b.Bytes())
	}
	c.consts.Store(v, k)
	return k.v, k.err
}
