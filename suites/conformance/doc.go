// Package conformance runs the embedded CAI v1 pack as an ordinary `go test` ginkgo suite:
//
//	go test ./suites/conformance                      # against the embedded reference channel
//	CHANCONF_TARGET=https://sandbox.example/cai/v1 CHANCONF_DECLARATION=channel.yaml \
//	    go test ./suites/conformance -ginkgo.label-filter=security -ginkgo.v
//
// The suite (conformance_suite_test.go) loads the pack, the probes and the engine as
// `chanconf run` does (internal/cmdutil) and builds the same spec tree (runner.BuildTree), so a
// case passes or fails here exactly as it does there. ginkgo's flags apply:
// -ginkgo.label-filter, -ginkgo.seed, -ginkgo.v, -ginkgo.no-color; -ginkgo.focus is a regular
// expression on case IDs (as chanconf's --focus). The package has no code of its own.
package conformance
