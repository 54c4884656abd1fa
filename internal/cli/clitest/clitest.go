// Package clitest holds the fixtures of chanconf's command tests: a small spec pack that loads
// and runs in well under a second, a deliberately broken pack, reference channels with a known
// declaration, a loopback port nobody listens on, and ParseArgs, the argv-to-Options step of
// every TestNewCmd<X>. It is imported by tests only.
package clitest

import (
	"embed"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cmdutil"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

//go:embed testdata
var testdata embed.FS

// MiniCases are the case IDs of MiniPack, in pack order.
func MiniCases() []string { return []string{"FUN-HLT-901", "SEC-HDR-901", "FUN-SES-901"} }

// MiniPack writes the end-to-end test pack (three cases: health, Cache-Control, a session with
// a real-name token) with the embedded pack's contracts into a temporary directory and returns
// it.
func MiniPack(t testing.TB) string {
	t.Helper()
	dir := copyTree(t, "testdata/minipack")
	for _, name := range []string{"openapi.yaml", "schema.graphql"} {
		data, err := esscv1.FS.ReadFile(name)
		if err != nil {
			t.Fatalf("read embedded %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// BigPack writes MiniPack with n more cases (the health case copied, all in one area, a
// thousand a file: the scale of issue 13) into a temporary directory and returns it.
func BigPack(t testing.TB, n int) string {
	t.Helper()
	dir := MiniPack(t)
	if err := WriteBigCases(filepath.Join(dir, "cases"), n); err != nil {
		t.Fatal(err)
	}
	return dir
}

// WriteBigCases writes n copies of the health case, FUN-B00000-000 on, into files big-NNNNN.yaml
// of dir, a thousand a file.
func WriteBigCases(dir string, n int) error {
	for file := 0; file*1000 < n; file++ {
		var b strings.Builder
		b.WriteString("cases:\n")
		for i := file * 1000; i < min(n, (file+1)*1000); i++ {
			fmt.Fprintf(&b, `  - id: FUN-B%05d-%03d
    title: The health check answers UP, copy %d
    clauses: [CAI-13.1]
    level: MUST
    suite: functional
    area: health
    labels: [health, big]
    profile: any
    steps:
      - name: get health
        call: {operation: getHealth}
        expect:
          status: [200]
          json:
            - {path: $.status, equals: UP}
`, i/1000, i%1000, i)
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("big-%05d.yaml", file)), []byte(b.String()), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// BrokenPack writes a pack with known problems (no contract; in case FUN-BRK-901 an unknown
// clause on line 4 and an unknown key on line 14 of cases/broken.yaml) into a temporary
// directory and returns it.
func BrokenPack(t testing.TB) string {
	t.Helper()
	return copyTree(t, "testdata/brokenpack")
}

// copyTree copies an embedded directory into a fresh temporary directory.
func copyTree(t testing.TB, root string) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(testdata, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(dir, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		data, err := testdata.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, data, 0o644)
	})
	if err != nil {
		t.Fatalf("copy %s: %v", root, err)
	}
	return dir
}

// DataKey is the sandbox data key of the channels Reference starts: a known secret that tests
// look for in every output.
func DataKey() []byte {
	return []byte{0x5e, 0xc7, 0xe7, 0x00, 0xda, 0x7a, 0x4b, 0xe1, 0x13, 0x37, 0xc0, 0xde, 0x0f, 0xf1, 0xce, 0x42}
}

// Reference starts a reference channel with DataKey (and opts) for the test's lifetime and
// writes its declaration into a temporary file; it returns the server and the file's path.
func Reference(t testing.TB, opts refchannel.Options) (*refchannel.Server, string) {
	t.Helper()
	opts.DataKey = DataKey()
	srv, err := refchannel.New(opts)
	if err != nil {
		t.Fatalf("start the reference channel: %v", err)
	}
	t.Cleanup(srv.Close)
	data, err := srv.Declaration().Encode()
	if err != nil {
		t.Fatalf("encode the declaration: %v", err)
	}
	path := filepath.Join(t.TempDir(), "declaration.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return srv, path
}

// ClosedAddr returns a loopback address that was free a moment ago and has no listener: a
// channel that is down.
func ClosedAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// ParseArgs builds a subcommand with newCmd(f, runF), executes it with args (what follows the
// subcommand's name on the command line) and returns the Options its run function would have
// been given: nil, with the error, when the command refused the arguments. Cobra's own
// messages go to f's streams.
func ParseArgs[O any](f *cmdutil.Factory, newCmd func(*cmdutil.Factory, func(*O) error) *cobra.Command, args ...string) (*O, error) {
	var got *O
	cmd := newCmd(f, func(o *O) error { got = o; return nil })
	cmd.SetArgs(args)
	cmd.SetOut(f.IOStreams.Out)
	cmd.SetErr(f.IOStreams.ErrOut)
	if err := cmd.Execute(); err != nil {
		return nil, err
	}
	return got, nil
}
