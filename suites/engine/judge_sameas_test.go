package engine

import (
	"testing"

	"github.com/chanconf/chanconf/suites/contract"
)

// TestSameBody: requestId never counts; in GraphQL answers the values (not the names) of the
// top-level extensions do not count either; everything else does.
func TestSameBody(t *testing.T) {
	tests := []struct {
		name    string
		a, b    string
		graphQL bool
		want    bool
	}{
		{"REST, other requestId", `{"code":"CARD_NOT_FOUND","message":"m","requestId":"1"}`, `{"code":"CARD_NOT_FOUND","message":"m","requestId":"2"}`, false, true},
		{"REST, other message", `{"code":"CARD_NOT_FOUND","message":"m","requestId":"1"}`, `{"code":"CARD_NOT_FOUND","message":"n","requestId":"1"}`, false, false},
		{"GraphQL, other trace ID in extensions", `{"data":{"card":null},"extensions":{"traceId":"a"}}`, `{"data":{"card":null},"extensions":{"traceId":"b"}}`, true, true},
		{"GraphQL, an extension member only on one side", `{"data":{"card":null},"extensions":{"traceId":"a"}}`, `{"data":{"card":null},"extensions":{"traceId":"b","owner":"x"}}`, true, false},
		{"GraphQL, extensions only on one side", `{"data":{"card":null}}`, `{"data":{"card":null},"extensions":{"traceId":"b"}}`, true, false},
		{"GraphQL, other data", `{"data":{"card":null},"extensions":{"t":"a"}}`, `{"data":{"card":{"cardId":"x"}},"extensions":{"t":"a"}}`, true, false},
		{"REST extensions values count", `{"code":"X","message":"m","extensions":{"t":"a"}}`, `{"code":"X","message":"m","extensions":{"t":"b"}}`, false, false},
		{"not JSON, byte for byte", `oops`, `oops`, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sameBody(&received{Body: contract.NewBody([]byte(tt.a))}, &received{Body: contract.NewBody([]byte(tt.b))}, tt.graphQL); got != tt.want {
				t.Errorf("sameBody = %v, want %v", got, tt.want)
			}
		})
	}
}
