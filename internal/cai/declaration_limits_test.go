package cai

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// TestDeclarationSizeLimits is issue 11 finding 8: a declaration with a 100 MB name was accepted
// and copied into report.json and report.html. The file and every field are bounded; a problem
// names the field and the limit and never echoes the value.
func TestDeclarationSizeLimits(t *testing.T) {
	valid := validDeclYAML(t)
	list := func(n int) string { return `["` + strings.Repeat(`110000", "`, n-1) + `110000"]` }
	tests := []struct {
		name, from, to, want string
	}{
		{"a name past the file's limit", "name: Test Channel", "name: " + strings.Repeat("n", 2<<20),
			"decl.yaml: (document): more than the 1048576 bytes a declaration may be"},
		{"a long name", "name: Test Channel", "name: " + strings.Repeat("n", 129),
			"decl.yaml:3: name: 129 characters, more than the 128 allowed"},
		{"a name on two lines", "name: Test Channel", `name: "Test\nChannel"`, "decl.yaml:3: name: holds a control character"},
		{"a long base URL", "baseURL: https://127.0.0.1:8443/cai/v1", "baseURL: https://h/" + strings.Repeat("p", 3000),
			"decl.yaml:4: baseURL: 3010 bytes, more than the 2048 allowed"},
		{"too many regions", `regions: ["110000", "310000"]`, "regions: " + list(5000), "regions: 5000 entries, more than the 4096 allowed"},
		{"a long region", `regions: ["110000", "310000"]`, `regions: ["` + strings.Repeat("1", 1000) + `"]`,
			"regions: an entry of 1000 bytes, more than the 64 allowed"},
		{"a long channel number", `channelNo: "1000000001"`, `channelNo: "` + strings.Repeat("1", 500) + `"`,
			"channelNo: 500 bytes, more than the 64 allowed"},
		{"a long data key", `dataKey: "00112233445566778899aabbccddeeff"`, `dataKey: "` + strings.Repeat("0", 500) + `"`,
			"sandbox.dataKey: 500 bytes, more than the 64 allowed"},
		{"a huge certificate", "certificate: |\n", "certificate: |\n  " + strings.Repeat("A", 20<<10) + "\n",
			"certificate: 20", // the folded block keeps the rest, whatever its exact size
		},
		{"a huge TLS CA", "  qrLifetimeSeconds: 5", "  qrLifetimeSeconds: 5\n  tlsCA: " + strings.Repeat("C", 300<<10),
			"sandbox.tlsCA: 307200 bytes, more than the 262144 allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseDeclaration("decl.yaml", []byte(strings.Replace(valid, tt.from, tt.to, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v\nwant %q", err, tt.want)
			}
			if len(err.Error()) > 1000 {
				t.Errorf("the error is %d bytes long: it echoes the value", len(err.Error()))
			}
			var de *DeclarationError
			if !errors.As(err, &de) || de.File != "decl.yaml" {
				t.Errorf("error is not a *DeclarationError naming the file: %#v", err)
			}
		})
	}
	// At the limits, and a name of 128 Chinese characters (384 bytes), the declaration is valid.
	in := strings.Replace(valid, "name: Test Channel", "name: "+strings.Repeat("卡", 128), 1)
	in = strings.Replace(in, `regions: ["110000", "310000"]`, "regions: "+distinctRegions(4096), 1)
	if _, err := ParseDeclaration("decl.yaml", []byte(in)); err != nil {
		t.Errorf("a declaration at the limits: %v", err)
	}
}

// distinctRegions is a YAML list of n distinct six-digit region codes.
func distinctRegions(n int) string {
	codes := make([]string, n)
	for i := range codes {
		codes[i] = `"` + strconv.Itoa(110000+i) + `"`
	}
	return "[" + strings.Join(codes, ", ") + "]"
}

// TestLoadDeclarationRefusesLargeFiles: a file over 1 MiB is refused from its size, unread.
func TestLoadDeclarationRefusesLargeFiles(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.yaml")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, 100<<20); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	_, err := LoadDeclaration(path)
	want := "huge.yaml: (document): the file is 104857600 bytes, more than the 1048576 a declaration may be"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v\nwant %q", err, want)
	}
}

// TestDeclarationYAMLBomb: a billion-laughs declaration (aliases of aliases, 9^9 strings when
// expanded) is refused at once, never expanded: a declaration field has a fixed type, and
// decoding the alias into it fails at its first element, naming the field and its line.
func TestDeclarationYAMLBomb(t *testing.T) {
	var b strings.Builder
	b.WriteString(`a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]` + "\n")
	prev := "a"
	for _, name := range strings.Split("bcdefghi", "") {
		b.WriteString(name + ": &" + name + " [" + strings.TrimSuffix(strings.Repeat("*"+prev+",", 9), ",") + "]\n")
		prev = name
	}
	for _, tt := range []struct{ field, want string }{
		{"name", "bomb.yaml:10: name: wrong type"},
		{"regions", "bomb.yaml:10: regions: wrong type"},
		{"sandbox", "bomb.yaml:10: sandbox.dataKey: must be 32 hex characters"},
	} {
		t.Run(tt.field, func(t *testing.T) {
			var alloc uint64
			var err error
			alloc = allocated(func() { _, err = ParseDeclaration("bomb.yaml", []byte(b.String()+tt.field+": *i\n")) })
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "bomb.yaml:1: a: unknown field") {
				t.Errorf("error %v\nwant %q", err, tt.want)
			}
			if alloc > 16<<20 {
				t.Errorf("refusing the bomb allocated %d MiB", alloc>>20)
			}
		})
	}
}

// allocated returns the bytes f allocates on the heap.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
