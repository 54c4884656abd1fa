package engine

import (
	"regexp"
	"sync"

	"github.com/theory/jsonpath"
	"github.com/vektah/gqlparser/v2/ast"
)

// caches hold what a pack reuses across cases (compiled JSONPaths, regular expressions,
// validated GraphQL documents); the pack is immutable, so entries never go stale.
type caches struct {
	paths   sync.Map // string -> *jsonpath.Path
	regexps sync.Map // string -> *regexp.Regexp
	docs    sync.Map // string -> gqlDoc
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
