package probes

import (
	"slices"
	"strings"
	"testing"
)

func TestDefault(t *testing.T) {
	got := Default()
	var names []string
	for n := range got {
		names = append(names, n)
	}
	slices.Sort(names)
	want := []string{NameForbiddenHeaders, NameHSTS, NamePlainHTTP, NameTLSCertificate, NameTLSCiphers, NameTLSVersions}
	if !slices.Equal(names, want) {
		t.Fatalf("Default() names = %v, want %v", names, want)
	}
	delete(got, NameHSTS)
	if _, ok := Default()[NameHSTS]; !ok {
		t.Fatal("Default() shares its map between calls")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		probe   string
		with    string
		wantErr string // "" = valid
	}{
		{NameTLSVersions, "", ""},
		{NameTLSVersions, "null", ""},
		{NameTLSVersions, "{}", ""},
		{NameTLSVersions, "timeout: 3s", ""},
		{NameTLSVersions, "timeout: 61s", "must be between"},
		{NameTLSVersions, "timeout: -1s", "must be between"},
		{NameTLSVersions, "timeout: soon", "cannot unmarshal"},
		{NameTLSVersions, "timeot: 3s", `probe tls-versions: line 1: unknown parameter "timeot" (known: timeout)`},
		{NameTLSVersions, "timeout: 3s\ntimeout: 4s", `probe tls-versions: line 2: parameter "timeout" given twice`},
		{NameTLSVersions, "[1, 2]", "parameters must be a mapping"},
		{NameTLSCiphers, "timeout: 1s", ""},
		{NameTLSCiphers, "suites: [x]", "unknown parameter"},
		{NameTLSCertificate, "", ""},
		{NameTLSCertificate, "host: x", "unknown parameter"},
		{NamePlainHTTP, "paths: [/health]\ntimeout: 2s", ""},
		{NamePlainHTTP, "paths: []", "paths must not be empty"},
		{NamePlainHTTP, "paths: [health]", "must start with /"},
		{NamePlainHTTP, "path: /health", `unknown parameter "path" (known: paths, timeout)`},
		{NameHSTS, "minMaxAge: 31536000", ""},
		{NameHSTS, "minMaxAge: 0", "must be positive"},
		{NameHSTS, "minMaxAge: year", "cannot unmarshal"},
		{NameHSTS, "requests: []", "requests must not be empty"},
		{NameHSTS, "requests: [{method: get, path: /health}]", "method must be upper case"},
		{NameHSTS, "requests: [{method: GET, path: health}]", "path must start with /"},
		{NameHSTS, "requests: [{method: GET, path: /health, sign: false}]", `line 1: unknown parameter "sign" (known: body, contentType, headers, method, path, signed)`},
		{NameHSTS, "requests: [{method: GET, path: /x, body: '{', contentType: application/json, signed: true}]", ""},
		{NameHSTS, "requests: [{method: GET, path: /x, headers: {Origin: https://a.example}}]", ""},
		{NameForbiddenHeaders, "forbid: [{name: Server, matches: '[0-9]'}]", ""},
		{NameForbiddenHeaders, "headers: {Origin: https://a.example}\nforbid: [{name: X-Powered-By, matches: .}]\nrequests: [{method: OPTIONS, path: /cards}]", ""},
		{NameForbiddenHeaders, "", "forbid must list at least one rule"},
		{NameForbiddenHeaders, "forbid: [{name: Server}]", "name and matches are required"},
		{NameForbiddenHeaders, "forbid: [{name: Server, matches: '('}]", "forbid[0] (Server)"},
		{NameForbiddenHeaders, "forbid: [{name: Server, match: x}]", `unknown parameter "match"`},
		{NameForbiddenHeaders, "forbid: [{name: Server, matches: x}]\nrequests: []", "requests must not be empty"},
	}
	probes := Default()
	for _, tt := range tests {
		t.Run(tt.probe+" "+tt.with, func(t *testing.T) {
			err := probes[tt.probe].Validate(node(t, tt.with))
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("unexpected error: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
			}
		})
	}
}
