package contract

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// flatten turns kin-openapi's nested errors (MultiError, RequestError, SecurityRequirementsError,
// SchemaError) into one Problem per leaf, each with the JSON pointer of the value at fault. It
// walks the tree by concrete type because it needs every leaf, not the first match errors.As
// would give. prefix names where the problems are (a parameter, the request body).
func flatten(err error, prefix string) []Problem {
	switch e := err.(type) {
	case openapi3.MultiError:
		var out []Problem
		for _, child := range e {
			out = append(out, flatten(child, prefix)...)
		}
		return out
	case *openapi3filter.RequestError:
		where := requestErrorPlace(e)
		if e.Err == nil {
			return []Problem{{Message: join(prefix, where, e.Reason)}}
		}
		return flatten(e.Err, join(prefix, where, e.Reason))
	case *openapi3filter.SecurityRequirementsError:
		var out []Problem
		for _, child := range e.Errors {
			out = append(out, flatten(child, prefix)...)
		}
		return out
	case *openapi3filter.ResponseError:
		if e.Err == nil {
			return []Problem{{Message: join(prefix, e.Reason)}}
		}
		return flatten(e.Err, join(prefix, e.Reason))
	case *openapi3.SchemaError:
		// allOf failures arrive as a SchemaError whose Origin is a plain error wrapping the
		// SchemaError at fault: report that one, under the outer pointer.
		var inner *openapi3.SchemaError
		if e.Origin != nil && errors.As(e.Origin, &inner) && inner != e {
			return []Problem{{Path: pointer(append(e.JSONPointer(), inner.JSONPointer()...)), Message: join(prefix, schemaReason(inner))}}
		}
		return []Problem{{Path: pointer(e.JSONPointer()), Message: join(prefix, schemaReason(e))}}
	default:
		// kin-openapi wraps some schema errors in plain fmt errors ("doesn't match schema due
		// to: ...", for allOf): reach the SchemaError so the schema and value dump, which may
		// hold a secret, stays out of the report.
		var se *openapi3.SchemaError
		if errors.As(err, &se) {
			return []Problem{{Path: pointer(se.JSONPointer()), Message: join(prefix, schemaReason(se))}}
		}
		return []Problem{{Message: join(prefix, err.Error())}}
	}
}

// requestErrorPlace names the part of the request a RequestError is about.
func requestErrorPlace(e *openapi3filter.RequestError) string {
	switch {
	case e.Parameter != nil:
		return fmt.Sprintf("%s parameter %q", e.Parameter.In, e.Parameter.Name)
	case e.RequestBody != nil:
		return "request body"
	}
	return ""
}

// schemaReason is the SchemaError's reason without the schema and value dump that Error()
// appends (the value may be a secret).
func schemaReason(e *openapi3.SchemaError) string {
	if e.Origin != nil {
		if _, nested := e.Origin.(*openapi3.SchemaError); !nested {
			return e.Origin.Error()
		}
	}
	if e.Reason != "" {
		return e.Reason
	}
	return fmt.Sprintf("does not match the schema's %q", e.SchemaField)
}

// pointer renders a JSON pointer (RFC 6901) from its reference tokens; "" is the whole body.
func pointer(tokens []string) string {
	if len(tokens) == 0 {
		return ""
	}
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		b.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return b.String()
}

// join concatenates the non-empty parts with ": ".
func join(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ": ")
}
