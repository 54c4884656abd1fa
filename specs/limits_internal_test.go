package specs

import (
	"strings"
	"testing"
	"testing/fstest"
)

// TestCaseCountLimit: a pack with more cases than the limit (MaxCases, here 2) is refused at
// the first case past it, which is named, and the cases past it are not decoded.
func TestCaseCountLimit(t *testing.T) {
	one := func(id string) string {
		return "  - {id: " + id + ", title: t, clauses: [T-1.1], level: MUST, suite: functional, profile: any, steps: [{name: h, call: {operation: getHealth}}]}\n"
	}
	fsys := fstest.MapFS{
		"pack.yaml": {Data: []byte("name: mini\nversion: 1.0.0\ntitle: t\nplatform: test\ncontracts: {openapi: openapi.yaml}\n" +
			"profiles: [rest]\ncases: [\"cases/*.yaml\"]\nerrorCode: $.code\nclauses:\n  - {id: T-1.1, level: MUST, suite: functional, title: t}\n")},
		"openapi.yaml": {Data: []byte("openapi: 3.0.3\ninfo: {title: mini, version: \"1\"}\npaths:\n  /health:\n    get:\n" +
			"      operationId: getHealth\n      responses:\n        \"200\": {description: up}\n")},
		"cases/a.yaml": {Data: []byte("cases:\n" + one("FUN-A-001") + one("FUN-A-002") + one("FUN-A-003") + one("FUN-A-004"))},
	}
	if _, err := load(fsys, LoadOptions{}, 4); err != nil {
		t.Fatalf("four cases at a limit of four: %v", err)
	}
	_, err := load(fsys, LoadOptions{}, 2)
	if err == nil || !strings.Contains(err.Error(), "cases/a.yaml:4:5: more than the 2 cases a pack may hold") || strings.Count(err.Error(), "\n") != 0 {
		t.Errorf("error %v", err)
	}
}
