package runner

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/onsi/ginkgo/v2"
	"github.com/onsi/ginkgo/v2/extensions/globals"
	"github.com/onsi/ginkgo/v2/types"
	"github.com/onsi/gomega"
)

// Tree is the ginkgo spec tree of one run of a pack: one It per case, inside Describe(suite) and
// Describe(area), each waiting on its case's future. Run and the `go test` conformance suite
// both build it with BuildTree, so that they select and judge cases identically. A Tree is
// executed at most once.
type Tree struct {
	n           *normalized
	slots       []*slot // pack order
	byText      map[string]*slot
	description string
	g           gomega.Gomega
	executed    bool
}

// slot is one case of the tree.
type slot struct {
	c      *specs.Case
	text   string
	labels []string
	// skip, when set, is why the case will not execute even if ginkgo selects its spec (focus,
	// profile, undeclared profile); the spec then calls Skip(skip).
	skip string
	// selected is set by the preview: the case executes.
	selected bool
	fut      *future
}

// BuildTree validates opts, resets ginkgo's global suite and registers the pack's spec tree in
// it. Bad filters are *UsageError; a case whose labels ginkgo would reject is an error naming
// its file and line (ginkgo itself would exit the process).
func BuildTree(opts Options) (*Tree, error) {
	n, err := normalize(opts, true)
	if err != nil {
		return nil, err
	}
	return buildTree(n)
}

func buildTree(n *normalized) (*Tree, error) {
	t := &Tree{n: n, byText: map[string]*slot{}, g: gomega.NewGomega(ginkgo.Fail),
		description: fmt.Sprintf("chanconf %s %s", n.Pack.Manifest.Name, n.Pack.Manifest.Version)}
	for i := range n.Pack.Cases {
		s, err := n.newSlot(&n.Pack.Cases[i])
		if err != nil {
			return nil, err
		}
		if _, dup := t.byText[s.text]; dup {
			return nil, fmt.Errorf("%s: case %s: duplicate case ID", source(s.c), s.c.ID)
		}
		t.byText[s.text] = s
		t.slots = append(t.slots, s)
	}
	globals.Reset()
	t.register()
	return t, nil
}

// newSlot prepares one case's spec: its text, validated labels and the reason, if any, why it
// will not execute.
func (n *normalized) newSlot(c *specs.Case) (*slot, error) {
	labels, err := caseLabels(c)
	if err != nil {
		return nil, err
	}
	return &slot{c: c, text: c.ID + ": " + c.Title, labels: labels, skip: n.skipReason(c), fut: newFuture()}, nil
}

// skipReason says why c will not execute whatever ginkgo's label filter selects, or "".
func (n *normalized) skipReason(c *specs.Case) string {
	profile := caseProfile(c)
	switch {
	case n.focus != nil && !n.focus.MatchString(c.ID):
		return fmt.Sprintf("filtered out: ID does not match --focus %q", n.Focus)
	case n.Profile != "" && profile != "any" && profile != n.Profile:
		return fmt.Sprintf("filtered out: profile %q is not --profile %q", profile, n.Profile)
	case profile != "any" && len(n.Target.Profiles) > 0 && !slices.Contains(n.Target.Profiles, profile):
		return fmt.Sprintf("profile %q not declared by the channel (declared: %s)", profile, strings.Join(n.Target.Profiles, ", "))
	}
	return ""
}

// caseProfile is the case's profile, "any" when it has none.
func caseProfile(c *specs.Case) string {
	if c.Profile == "" {
		return "any"
	}
	return c.Profile
}

// caseLabels returns the ginkgo labels of c: its ID, clause IDs, level, suite, area, profile,
// "serial" for serial cases and its own labels, each checked the way ginkgo checks them.
func caseLabels(c *specs.Case) ([]string, error) {
	derived := append([]string{c.ID}, c.Clauses...)
	derived = append(derived, string(c.Level), string(c.Suite), c.Area, caseProfile(c))
	if c.Serial || c.Final {
		derived = append(derived, "serial")
	}
	var out []string
	add := func(l string) error {
		clean, err := types.ValidateAndCleanupLabel(l, types.CodeLocation{})
		if err != nil {
			return fmt.Errorf("%s: case %s: %q cannot be a label: %w", source(c), c.ID, l, plain(err))
		}
		if !slices.Contains(out, clean) {
			out = append(out, clean)
		}
		return nil
	}
	for _, l := range derived {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if err := add(l); err != nil {
			return nil, err
		}
	}
	for _, l := range c.Labels {
		if err := add(l); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// source is a case's "file:line" in the pack.
func source(c *specs.Case) string { return fmt.Sprintf("%s:%d", c.Pos.File, c.Pos.Line) }

// register declares the tree in ginkgo's (freshly reset) global suite.
func (t *Tree) register() {
	for _, suite := range groups(t.slots, func(s *slot) string { return string(s.c.Suite) }) {
		ginkgo.Describe(orDefault(string(suite[0].c.Suite), "no suite"), func() {
			for _, area := range groups(suite, func(s *slot) string { return s.c.Area }) {
				ginkgo.Describe(orDefault(area[0].c.Area, "no area"), func() {
					for _, s := range area {
						ginkgo.It(s.text, t.decorations(s)...)
					}
				})
			}
		})
	}
}

// decorations are the It arguments of s: labels, pack location, body, timeout and, for serial
// cases, Serial plus a low priority so that ginkgo judges them after the others, the order in
// which the pool executes them.
func (t *Tree) decorations(s *slot) []any {
	args := []any{
		ginkgo.Label(s.labels...),
		types.CodeLocation{FileName: s.c.Pos.File, LineNumber: s.c.Pos.Line},
		t.body(s),
		ginkgo.SpecTimeout(t.specTimeout(s.c)),
	}
	switch {
	case s.c.Final:
		args = append(args, ginkgo.Serial, ginkgo.SpecPriority(-2))
	case s.c.Serial:
		args = append(args, ginkgo.Serial, ginkgo.SpecPriority(-1))
	}
	return args
}

// specTimeout bounds how long an It waits for its outcome. The pool resolves every future within
// the case's timeout plus abandonAfter of its start, and a case starts by the time ginkgo reaches
// its spec; the extra case timeout covers one predecessor whose spec gave up early.
func (t *Tree) specTimeout(c *specs.Case) time.Duration {
	return 2*t.n.timeoutFor(c) + t.n.abandonAfter + time.Second
}

// body is the It body of s: wait for the outcome, then judge it.
func (t *Tree) body(s *slot) func(ginkgo.SpecContext) {
	return func(ctx ginkgo.SpecContext) {
		if s.skip != "" {
			ginkgo.Skip(s.skip)
		}
		if !s.selected {
			ginkgo.Skip("filtered out: not selected when the run was previewed")
		}
		o, interrupted, ok := s.fut.wait(ctx)
		if !ok {
			ginkgo.Fail(fmt.Sprintf("%s: no outcome before the spec ended: %v", s.c.ID, ctx.Err()))
		}
		if interrupted {
			ginkgo.AbortSuite(fmt.Sprintf("%s: %s", s.c.ID, o.Message))
		}
		t.judge(s, o)
	}
}

// judge turns an outcome into the spec's result: PASS passes, SKIP skips, WARN and WAIVED pass
// with a report entry (ginkgo would count a failure), FAIL and ERROR fail with the message.
func (t *Tree) judge(s *slot, o Outcome) {
	switch o.State {
	case reports.Skip:
		ginkgo.Skip(o.Message)
	case reports.Warn, reports.Waived:
		ginkgo.AddReportEntry(o.State.String(), fmt.Sprintf("%s [%s %s] %s", s.c.ID, s.c.Level, source(s.c), o.Message))
		return
	}
	t.g.Expect(o.State.String()).To(gomega.Equal(reports.Pass.String()), failureText(s.c, o))
}

// failureText is the spec failure message: case, level, clauses, pack location and message.
func failureText(c *specs.Case, o Outcome) string {
	return fmt.Sprintf("%s %s [%s %s] at %s: %s", c.ID, o.State, c.Level, strings.Join(c.Clauses, ", "), source(c), o.Message)
}

// groups splits slots into runs of equal key, in order of first appearance of each key.
func groups(slots []*slot, key func(*slot) string) [][]*slot {
	var keys []string
	by := map[string][]*slot{}
	for _, s := range slots {
		k := key(s)
		if _, seen := by[k]; !seen {
			keys = append(keys, k)
		}
		by[k] = append(by[k], s)
	}
	out := make([][]*slot, 0, len(keys))
	for _, k := range keys {
		out = append(out, by[k])
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
