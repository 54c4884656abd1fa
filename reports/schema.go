package reports

import (
	"bytes"
	_ "embed" // for the report.json schema
)

//go:embed schema/report.schema.json
var schemaJSON []byte

// SchemaJSON returns the JSON Schema (draft 2020-12) of report.json, field by field, for
// `verify` and for anyone validating a report outside chanconf. It returns a fresh copy each
// call, so no caller can change what another sees.
func SchemaJSON() []byte { return bytes.Clone(schemaJSON) }
