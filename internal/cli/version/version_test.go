package version

import (
	"testing"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdVersion(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	var got *Options
	cmd := NewCmd(&cmdutil.Factory{IOStreams: ios, Version: "v1.2.3", Revision: "abc"}, func(o *Options) error { got = o; return nil })
	cmd.SetArgs([]string{})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Version != "v1.2.3" || got.Revision != "abc" {
		t.Fatalf("options not filled from the factory: %+v", got)
	}
	cmd.SetArgs([]string{"extra"})
	if err := cmd.Execute(); err == nil {
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
