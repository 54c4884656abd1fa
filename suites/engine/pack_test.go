package engine

import (
	"strings"
	"testing"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// TestLoadedPack runs the pack of testdata/, loaded and linted by specs.LoadDir, against the
// stub: the loader's typed values (3 is not "3") reach the engine intact.
func TestLoadedPack(t *testing.T) {
	funcs := TemplateFuncs()
	for k, v := range (fakePlatform{}).TemplateFuncs() {
		funcs[k] = v
	}
	pack, err := specs.LoadDir("testdata", specs.LoadOptions{Funcs: funcs})
	if err != nil {
		t.Fatalf("loading testdata: %v", err)
	}
	s := newStub(t)
	e := newExec(t, s, func(o *Options) { o.Pack = pack })
	want := map[string]struct {
		state reports.State
		msg   string
	}{
		"FUN-THG-001": {reports.Pass, ""},
		"SEC-THG-001": {reports.Fail, "step 2 (other): same-as expected the same response as step \"missing\", got status 404 vs 403"},
		"FUN-HLT-001": {reports.Warn, `step 1 (health): json expected $.status equals 1, got "UP" [T-1.3]`},
	}
	if len(pack.Cases) != len(want) {
		t.Fatalf("%d cases loaded, want %d", len(pack.Cases), len(want))
	}
	for i := range pack.Cases {
		c := &pack.Cases[i]
		o := run(t, e, c)
		w := want[c.ID]
		if o.State != w.state || !strings.Contains(o.Message, w.msg) {
			t.Errorf("%s: got %s %q, want %s containing %q", c.ID, o.State, o.Message, w.state, w.msg)
		}
	}
}
