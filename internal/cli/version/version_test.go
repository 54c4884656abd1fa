package version

import (
	"testing"

	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdVersion(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	f := &cmdutil.Factory{IOStreams: ios, Version: "v1.2.3", Revision: "abc", GoVersion: "go1.26.8"}
	got, err := clitest.ParseArgs(f, NewCmd)
	if err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Version != "v1.2.3" || got.Revision != "abc" || got.GoVersion != "go1.26.8" || got.IO != ios {
		t.Fatalf("options not filled from the factory: %+v", got)
	}
	if _, err := clitest.ParseArgs(f, NewCmd, "extra"); err == nil {
		t.Fatal("extra argument accepted")
	}
}

func TestRunVersion(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	if err := Run(&Options{IO: ios, Version: "v1.2.3", Revision: "abc", GoVersion: "go1.26.8"}); err != nil {
		t.Fatal(err)
	}
	if want := "chanconf v1.2.3 (revision abc, go1.26.8)\n"; out.String() != want {
		t.Fatalf("got %q, want %q", out.String(), want)
	}
}
