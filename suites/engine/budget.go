package engine

import (
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"text/template"
	"text/template/parse"

	"github.com/chanconf/chanconf/specs"
)

// A template is pack input, and a pack can be hostile or simply wrong: `range 500000000` or
// a string doubled in a loop once took a run to 2.9 GB (issue 11 finding 7). The linter refuses
// what it can see is unbounded (specs: ranges over computed values, nested ranges, template
// recursion, printf widths over 1000); at run time the templates of each attempt at a step
// share one budget, so that what the linter cannot see still stops, with an error: the bytes
// they render and the strings their function calls return, in all.

// maxTemplateBytes is that budget. A pack builds request bodies of 1 MiB and a little more to
// test the channel's limits, which takes about twice that.
const maxTemplateBytes = 16 << 20

// errTemplateBudget is wrapped by the error of a render that went past the budget.
var errTemplateBudget = errors.New("template budget exceeded")

// renderBudget counts the bytes the templates of one attempt have produced.
type renderBudget struct{ used atomic.Int64 }

// reset starts a new attempt.
func (b *renderBudget) reset() { b.used.Store(0) }

// charge adds n bytes produced by what, failing once the attempt has produced more than
// maxTemplateBytes.
func (b *renderBudget) charge(what string, n int) error {
	if b.used.Add(int64(n)) > maxTemplateBytes {
		return fmt.Errorf("%w: the step's templates produce more than %d MiB (at %s): refused", errTemplateBudget, maxTemplateBytes>>20, what)
	}
	return nil
}

// boundedWriter collects a render's output, charging it to the budget: text/template stops
// executing at the first failed write.
type boundedWriter struct {
	strings.Builder
	budget *renderBudget
}

// Write appends p unless the budget is spent.
func (w *boundedWriter) Write(p []byte) (int, error) {
	if err := w.budget.charge("the rendered text", len(p)); err != nil {
		return 0, err
	}
	return w.Builder.Write(p)
}

// budgeted returns funcs with every function charging the strings it returns to b, plus
// text/template's string-building builtins (printf, print, println, html, js, urlquery)
// replaced by charged equivalents: no chain of calls can build more than maxTemplateBytes.
func budgeted(funcs map[string]any, b *renderBudget) map[string]any {
	out := make(map[string]any, len(funcs)+6)
	for name, fn := range builtinStringFuncs() {
		out[name] = charged(name, fn, b)
	}
	for name, fn := range funcs {
		out[name] = charged(name, fn, b)
	}
	return out
}

// builtinStringFuncs are the builtins of text/template that return strings, as functions.
func builtinStringFuncs() map[string]any {
	return map[string]any{
		"printf":   fmt.Sprintf,
		"print":    fmt.Sprint,
		"println":  fmt.Sprintln,
		"html":     func(args ...any) string { return template.HTMLEscapeString(fmt.Sprint(args...)) },
		"js":       func(args ...any) string { return template.JSEscapeString(fmt.Sprint(args...)) },
		"urlquery": func(args ...any) string { return url.QueryEscape(fmt.Sprint(args...)) },
	}
}

// charged wraps fn (any template function: one result, or a result and an error) in a function
// of the same parameters returning (result, error), which charges a string result to b.
func charged(name string, fn any, b *renderBudget) any {
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func || t.NumOut() == 0 || t.NumOut() > 2 {
		return fn // not a function text/template can call: it reports that itself
	}
	in := make([]reflect.Type, t.NumIn())
	for i := range in {
		in[i] = t.In(i)
	}
	errType := reflect.TypeFor[error]()
	ft := reflect.FuncOf(in, []reflect.Type{t.Out(0), errType}, t.IsVariadic())
	return reflect.MakeFunc(ft, func(args []reflect.Value) []reflect.Value {
		var res []reflect.Value
		if t.IsVariadic() {
			res = v.CallSlice(args)
		} else {
			res = v.Call(args)
		}
		errv := reflect.Zero(errType)
		if len(res) == 2 && !res[1].IsNil() {
			return []reflect.Value{res[0], res[1]}
		}
		if res[0].Kind() == reflect.String {
			if err := b.charge(name, res[0].Len()); err != nil {
				return []reflect.Value{reflect.Zero(t.Out(0)), reflect.ValueOf(&err).Elem()}
			}
		}
		return []reflect.Value{res[0], errv}
	}).Interface()
}

// bounds returns why template t (parsed from src) may not be executed: the rules the linter
// applies (specs.TemplateBounds), checked again here once per source, so that a pack that did
// not go through the linter cannot loop without end either.
func (c *caches) bounds(src string, t *template.Template) error {
	if v, ok := c.bounded.Load(src); ok {
		err, _ := v.(error)
		return err
	}
	trees := map[string]*parse.Tree{}
	for _, tt := range t.Templates() {
		trees[tt.Name()] = tt.Tree
	}
	trees[t.Name()] = t.Tree
	var err error
	if errs := specs.TemplateBounds(t.Name(), trees); len(errs) > 0 {
		err = fmt.Errorf("%w: %w", errTemplateBudget, errs[0])
	}
	c.bounded.Store(src, err)
	return err
}
