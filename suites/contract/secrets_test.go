package contract

import (
	"os"
	"slices"
	"testing"
)

func TestSecretValues(t *testing.T) {
	names := map[string]bool{"sessionToken": true, "keys": true}
	tests := []struct {
		name, raw string
		want      []string
	}{
		{"plain", `{"sessionToken":"s1","other":"x"}`, []string{"s1"}},
		// A decoded map keeps the last member only; both are secrets (issue 11 finding 11).
		{"duplicate member", `{"sessionToken":"decoy","sessionToken":"real"}`, []string{"decoy", "real"}},
		{"nested", `{"data":{"createSession":{"sessionToken":"s2","expiresAt":"t"}}}`, []string{"s2"}},
		{"in arrays", `[{"a":[1,{"sessionToken":"s3"}]},{"sessionToken":"s4"}]`, []string{"s3", "s4"}},
		{"secret container", `{"keys":{"k":"v1","l":["v2",3]},"after":"no"}`, []string{"v1", "v2"}},
		{"key named like a value", `{"x":"sessionToken","y":"z"}`, nil},
		{"cut off", `{"sessionToken":"s5","b":[`, []string{"s5"}},
		// A body cut inside the token (a reset, a timeout): the part that came is a secret too.
		{"cut inside the value", `{"a":1,"sessionToken": "partial-tok`, []string{"partial-tok"}},
		{"escaped quote", `{"sessionToken":"a\"b"}`, []string{`a\"b`, `a"b`}},
		{"not JSON", `<html>sessionToken</html>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SecretValues([]byte(tt.raw), names); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestContractSecretMembers(t *testing.T) {
	spec, err := os.ReadFile("../../specs/essc/v1/openapi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o, err := NewOpenAPI(spec, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := o.SecretMembers(), []string{"faceToken", "realNameToken", "sessionToken"}; !slices.Equal(got, want) {
		t.Errorf("OpenAPI secret members %q, want %q", got, want)
	}
	sdl, err := os.ReadFile("../../specs/essc/v1/schema.graphql")
	if err != nil {
		t.Fatal(err)
	}
	g, err := NewGraphQL(sdl)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := g.SecretMembers(), []string{"faceToken", "realNameToken", "sessionToken"}; !slices.Equal(got, want) {
		t.Errorf("GraphQL secret members %q, want %q", got, want)
	}
}
