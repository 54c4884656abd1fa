// Package codecheck is chanconf's code-quality gate: its tests parse every Go file of the
// module (go/parser, go/ast) and fail on what the style notes forbid, listing each offence as
// `file:line: rule: detail`. The package has no code of its own, only tests, so the checks never
// reach a binary; run them with `go test ./internal/codecheck`.
//
// The rules (see rules_test.go) are os-exit, console-output, getenv, init-func, mutable-global,
// doc-comment, func-length, file-length, error-string-compare, bad-name and context-value. A line
// that must break one says so where it does it, with a reason:
//
//	defer os.Stdout.Sync() //codecheck:allow console-output the fd itself is under test
//
// on the line or on the line above. An allow comment without a reason, naming an unknown rule or
// suppressing nothing is itself a finding (rule allow-comment).
package codecheck
