package specs_test

import (
	"errors"
	"fmt"
	"testing/fstest"

	"github.com/chanconf/chanconf/specs"
)

// miniPack is a one-case pack in memory.
func miniPack(caseFile string) fstest.MapFS {
	return fstest.MapFS{
		"pack.yaml": {Data: []byte(`name: mini
version: 1.0.0
title: A one-case pack
platform: test
contracts: {openapi: openapi.yaml}
profiles: [rest]
cases: ["cases/*.yaml"]
errorCode: $.code
clauses:
  - {id: T-1.1, level: MUST, suite: functional, title: The health check answers}
`)},
		"openapi.yaml": {Data: []byte(`openapi: 3.0.3
info: {title: mini, version: "1"}
paths:
  /health:
    get:
      operationId: getHealth
      responses:
        "200": {description: up}
`)},
		"cases/health.yaml": {Data: []byte(caseFile)},
	}
}

func ExampleLoad() {
	fsys := miniPack(`cases:
  - id: FUN-HEALTH-001
    title: The health check answers 200
    clauses: [T-1.1]
    level: MUST
    suite: functional
    profile: any
    steps:
      - name: health
        call: {operation: getHealth}
        expect: {status: 200}
`)
	pack, err := specs.Load(fsys, specs.LoadOptions{Root: "example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range pack.Cases {
		s := c.Steps[0]
		fmt.Printf("%s:%d: %s %s -> %v\n", c.Pos.File, c.Pos.Line, c.ID, s.Call.Operation, s.Expect.Status)
	}
	fmt.Println(len(pack.Files), "files, digest", len(pack.SHA256), "hex digits")
	// Output:
	// cases/health.yaml:2: FUN-HEALTH-001 getHealth -> [200]
	// 3 files, digest 64 hex digits
}

func ExampleLoad_errors() {
	fsys := miniPack(`cases:
  - id: FUN-HEALTH-001
    title: The health check answers 200
    clauses: [T-1.1]
    level: MUST
    suite: functional
    profile: any
    steps:
      - name: health
        call: {operation: getHelth}
        expect: {status: 200, json: [{path: $.status, equals: up, matches: "^up$"}]}
`)
	_, err := specs.Load(fsys, specs.LoadOptions{Root: "example"})
	var errs specs.Errors
	if errors.As(err, &errs) {
		for _, e := range errs {
			fmt.Println(e)
		}
	}
	// Output:
	// example/cases/health.yaml:10:27: FUN-HEALTH-001: steps[0].call.operation: unknown operationId "getHelth"
	// example/cases/health.yaml:11:38: FUN-HEALTH-001: steps[0].expect.json[0]: 2 operators (equals, matches); want exactly one
}

func ExampleError() {
	withCase := &specs.Error{File: "cases/sessions.yaml", Line: 12, Col: 9, CaseID: "FUN-SES-001",
		Field: "steps[0].call.operation", Err: errors.New(`unknown operationId "createSesion"`)}
	noCase := &specs.Error{File: "pack.yaml", Line: 3, Col: 1, Field: "title", Err: errors.New("missing title")}
	fmt.Println(withCase)
	fmt.Println(noCase)
	fmt.Println(specs.Errors{withCase, noCase})
	// Output:
	// cases/sessions.yaml:12:9: FUN-SES-001: steps[0].call.operation: unknown operationId "createSesion"
	// pack.yaml:3:1: title: missing title
	// cases/sessions.yaml:12:9: FUN-SES-001: steps[0].call.operation: unknown operationId "createSesion"
	// pack.yaml:3:1: title: missing title
}
