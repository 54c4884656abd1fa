// Package contract checks exchanges against the contracts a spec pack ships: the OpenAPI document
// (requests and responses of the REST profile, through kin-openapi) and the GraphQL SDL (documents
// through gqlparser, responses by a walk of the response alongside the operation's selection set,
// which gqlparser does not do).
//
// A conformance tool must never pass silently: wherever a library would return "no error" for
// something it did not look at (a HEAD request, a redirect, a response without a schema), the
// checkers here return a Result that says NotChecked and why.
package contract
