package exitcodes

import (
	"strings"
	"testing"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdExitCodes(t *testing.T) {
	ios, _, out, _ := iostreams.Test()
	cmd := NewCmd(&cmdutil.Factory{IOStreams: ios})
	if cmd.Runnable() {
		t.Fatal("a help topic must not be runnable (cobra lists it under Additional help topics)")
	}
	if err := cmd.Help(); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(out.String(), "chanconf exit codes:\n  0  conformant") {
		t.Fatalf("help is %q", out)
	}
}

func TestWrite(t *testing.T) {
	var b strings.Builder
	if err := write(&b); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	if len(lines) != 1+len(cmdutil.ExitCodeDoc()) {
		t.Fatalf("%d lines:\n%s", len(lines), b.String())
	}
	for i, e := range cmdutil.ExitCodeDoc() {
		if want := "  " + string(rune('0'+int(e.Code))) + "  " + e.Meaning; lines[i+1] != want {
			t.Errorf("line %d is %q, want %q", i+2, lines[i+1], want)
		}
	}
}
