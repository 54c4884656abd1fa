// Package esscv1 is the CAI v1 spec pack (the unified functional and security access test
// specification for e-SSC channels) compiled into the binary.
//
// The pack is embedded so that `chanconf run` works with no files beside the binary: a vendor
// certifies against exactly the bytes that were approved for this release, and the report's pack
// digest identifies them. `chanconf run --pack DIR` loads another version of the pack from disk
// instead (a draft of the next version, or a fixed copy during an appeal).
package esscv1

import "embed"

// FS holds the pack: the manifest, the contracts, the normative standard and the case files.
//
//go:embed pack.yaml openapi.yaml schema.graphql STANDARD.md catalog.yaml cases
var FS embed.FS

// Root names the embedded pack in messages and reports (a loaded directory is named by its path).
const Root = "embedded:essc/v1"
