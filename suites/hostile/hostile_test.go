package hostile

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/fixtures/hostileproxy"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
)

// focused is the default subset of the pack a behaviour is tried on: a REST and a GraphQL
// functional case, the health case and a header case (a few requests of every kind), with the
// owner cases of the cross-cutting rules (SEC-RUL-*), which report a rule seen broken in
// another case's exchange.
const focused = `^(FUN-SES-001|FUN-GQL-001|FUN-HLT-001|SEC-HDR-001|SEC-RUL-\d+)$`

// tlsCases are the cases whose probes make their own TLS handshakes.
const tlsCases = `^(SEC-TLS-001|SEC-TLS-002|SEC-TLS-005|FUN-HLT-001|FUN-SES-001|SEC-RUL-\d+)$`

// scenario is one behaviour and what a run through it must give.
type scenario struct {
	behaviour string
	focus     string
	// reason is a text the message of every case that met the behaviour contains ("" : any).
	reason string
	// mustFail are cases that must FAIL (the clause owner of the rule broken).
	mustFail []string
}

func scenarios() []scenario {
	return []scenario{
		{behaviour: "slow-headers", focus: focused, reason: "did not answer in time, twice"},
		{behaviour: "slow-body", focus: focused, reason: "did not finish its answer in time"},
		{behaviour: "endless-body", focus: focused, reason: "larger than the standard allows", mustFail: []string{"SEC-RUL-008"}},
		{behaviour: "huge-body", focus: focused, reason: "larger than the standard allows", mustFail: []string{"SEC-RUL-008"}},
		{behaviour: "gzip-bomb", focus: focused, reason: "not valid JSON", mustFail: []string{"SEC-RUL-004"}},
		{behaviour: "reset-mid-body", focus: focused, reason: "cut its answer off, twice"},
		{behaviour: "close-without-answer", focus: focused, reason: "closed the connection without answering, twice"},
		{behaviour: "header-flood", focus: focused, reason: "response headers exceed 65536 bytes"},
		{behaviour: "set-cookie-flood", focus: focused, reason: "response headers exceed 65536 bytes"},
		{behaviour: "deep-json", focus: focused, reason: "nested deeper"},
		{behaviour: "html-content-type", focus: focused, reason: "Content-Type", mustFail: []string{"SEC-RUL-005"}},
		{behaviour: "plain-content-type", focus: focused, reason: "Content-Type", mustFail: []string{"SEC-RUL-005"}},
		{behaviour: "graphql-html", focus: "", reason: "Content-Type", mustFail: []string{"SEC-HDR-008", "SEC-RUL-005"}},
		// Focused: padded past 1 MiB, every answer of the whole pack costs ~40 s on two cores.
		{behaviour: "oversized-unsigned", focus: `^(SEC-HDR-00[1-8]|SEC-MSG-001|FUN-SES-001|FUN-GQL-001|FUN-HLT-001|SEC-RUL-\d+)$`,
			reason: "larger than the standard allows", mustFail: []string{"SEC-HDR-007", "SEC-RUL-008"}},
		{behaviour: "truncated-json", focus: focused, reason: ""},
		{behaviour: "malformed-status", focus: focused, reason: "not valid HTTP"},
		{behaviour: "bad-chunked", focus: focused, reason: "the channel"},
		{behaviour: "1xx-storm", focus: focused, reason: "the channel"},
		{behaviour: "stalled-handshake", focus: tlsCases, reason: "stalled", mustFail: []string{"SEC-TLS-001", "SEC-TLS-002"}},
		{behaviour: "echoed-secrets", focus: focused},
		{behaviour: "duplicate-secret", focus: focused, reason: "signature"},
		{behaviour: "close-idle", focus: focused},
	}
}

// TestHostileChannel runs chanconf run through the proxy for every behaviour (issue 11
// findings 1, 2, 4, 5, 6, 10, 11): a hostile answer is the channel's FAIL (exit 1, never
// INCOMPLETE), no case that received one PASSes, an allowed one fails nothing, no secret it
// echoes reaches the outputs, and the heap stays under 512 MB.
func TestHostileChannel(t *testing.T) {
	all := hostileproxy.Names()
	if len(all) < 20 {
		t.Fatalf("%d behaviours, want at least 20", len(all))
	}
	for _, sc := range scenarios() {
		all = slices.DeleteFunc(all, func(n string) bool { return n == sc.behaviour })
		t.Run(sc.behaviour, func(t *testing.T) {
			o := runThrough(t, sc.behaviour, sc.focus)
			if o.report == nil {
				t.Fatalf("no report.json: %v", o.err)
			}
			if o.peakHeap > maxPeakHeap {
				t.Errorf("peak heap %d MB, want under %d MB", o.peakHeap>>20, maxPeakHeap>>20)
			}
			if o.proxy.Answers() == 0 {
				t.Fatal("no request met the behaviour: the scenario tests nothing")
			}
			if o.proxy.Hostile() {
				checkHostile(t, sc, o)
			} else {
				checkAllowed(t, o)
			}
			checkNoLeak(t, o)
		})
	}
	if len(all) > 0 {
		t.Errorf("behaviours without a scenario: %v", all)
	}
}

// checkHostile: exit 1, every case that met the behaviour not PASS (FAIL unless the pre-flight
// or a probe says otherwise), with the reason, and the named clause owners FAIL.
func checkHostile(t *testing.T, sc scenario, o *outcome) {
	t.Helper()
	if testing.Verbose() {
		for _, c := range o.report.Cases {
			if c.State != reports.Skip || strings.HasPrefix(c.Message, "not judged") {
				t.Logf("%s %s: %.200s", c.ID, c.State, c.Message)
			}
		}
	}
	if o.code != cmdutil.ExitNonconformant {
		t.Errorf("exit %d (%v), want %d (NONCONFORMANT)", o.code, o.err, cmdutil.ExitNonconformant)
	}
	cases := o.proxy.Cases()
	if sc.behaviour == "stalled-handshake" {
		cases = []string{"SEC-TLS-001", "SEC-TLS-002"}
	}
	for _, id := range cases {
		state, msg := o.state(id)
		// A PASS is allowed only when the breach was recorded against a cross-cutting rule
		// (Observed), which the rule's owner case reports; a SKIP only when the case could not
		// be judged because of the breach ("not judged", blamed on the rule's clause).
		notJudged := state == reports.Skip && strings.HasPrefix(msg, "not judged")
		if (state == reports.Pass && !o.observed(id)) || (state == reports.Skip && !notJudged) || state < 0 {
			t.Errorf("%s met the behaviour and is %s (%s) without an observed rule breach", id, state, msg)
		}
		if state == reports.Error {
			t.Errorf("%s is ERROR (%s): a hostile answer is the channel's failure", id, msg)
		}
	}
	reasonSeen := sc.reason == ""
	for _, c := range o.report.Cases {
		if strings.Contains(c.Message, sc.reason) {
			reasonSeen = true
		}
	}
	if !reasonSeen {
		t.Errorf("no case message mentions %q", sc.reason)
	}
	for _, id := range sc.mustFail {
		if state, msg := o.state(id); state != reports.Fail {
			t.Errorf("%s is %s (%s), want FAIL", id, state, msg)
		}
	}
}

// checkAllowed: a behaviour the standard allows fails nothing (exit 5: a filtered run that
// passed), every request the channel read is an exchange of the evidence (no silent retry),
// and nothing it echoed reached the outputs.
func checkAllowed(t *testing.T, o *outcome) {
	t.Helper()
	if o.code != cmdutil.ExitPartial {
		t.Errorf("exit %d (%v), want %d: an allowed behaviour must fail nothing", o.code, o.err, cmdutil.ExitPartial)
		for _, c := range o.report.Cases {
			if c.State != reports.Pass && c.State != reports.Skip {
				t.Logf("%s %s: %s", c.ID, c.State, c.Message)
			}
		}
	}
}

// clearToken matches a sessionToken member or a bearer credential whose value is not redacted.
var clearToken = regexp.MustCompile(`sessionToken\\?":\\?"[^\[\\"]|Bearer [^\[]`)

// checkNoLeak: the run did not refuse to finish over a leak (exit 4), and the evidence holds
// no session token, decoy included, in clear.
func checkNoLeak(t *testing.T, o *outcome) {
	t.Helper()
	if o.code == cmdutil.ExitInternal {
		t.Errorf("exit 4: %v", o.err)
	}
	if bytes.Contains(o.har, []byte("decoy-")) {
		t.Error("evidence.har holds a decoy session token")
	}
	if m := clearToken.Find(o.har); m != nil {
		t.Errorf("evidence.har holds a session token in clear: %.40s...", m)
	}
}
