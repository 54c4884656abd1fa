package selfcert

import (
	"testing"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdSelfcertHasMutate(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	cmd := NewCmd(&cmdutil.Factory{IOStreams: ios})
	sub, _, err := cmd.Find([]string{"mutate"})
	if err != nil || sub.Name() != "mutate" {
		t.Fatalf("selfcert mutate: %v, found %v", err, sub)
	}
}
