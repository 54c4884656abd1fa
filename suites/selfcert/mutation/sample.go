package mutation

import (
	"slices"
	"sort"
	"strings"
)

// Sample picks n mutants deterministically, spread over operators and files: it goes round the
// operators, and for each takes the mutant (in ID order, which is a hash and so unrelated to
// position) of the file sampled least so far. The same mutant set always gives the same sample.
// must are included first (when present in ms).
func Sample(ms []*Mutant, n int, must ...*Mutant) []*Mutant {
	if n <= 0 || n >= len(ms) {
		return ms
	}
	byOp := map[string][]*Mutant{}
	for _, m := range ms {
		byOp[m.Operator] = append(byOp[m.Operator], m)
	}
	for _, list := range byOp {
		sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	}
	picked := map[*Mutant]bool{}
	perFile := map[string]int{}
	var out []*Mutant
	take := func(m *Mutant) {
		picked[m] = true
		perFile[m.File]++
		out = append(out, m)
	}
	for _, m := range must {
		if m != nil && slices.Contains(ms, m) && !picked[m] && len(out) < n {
			take(m)
		}
	}
	for len(out) < n {
		progress := false
		for _, op := range Operators() {
			if len(out) >= n {
				break
			}
			var best *Mutant
			for _, m := range byOp[op] {
				if !picked[m] && (best == nil || perFile[m.File] < perFile[best.File]) {
					best = m
				}
			}
			if best != nil {
				take(best)
				progress = true
			}
		}
		if !progress {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].File < out[j].File || out[i].File == out[j].File && out[i].Line < out[j].Line
	})
	return out
}

// NonceReplayCheck returns the mutant that removes the nonce-replay refusal of CAI-2.4 (the
// `if ...nonces.contains(...) { return ... }` check of useNonce), a mutant the pack must kill;
// nil when the code no longer has it.
func NonceReplayCheck(ms []*Mutant) []*Mutant {
	for _, m := range ms {
		if m.File == "fixtures/refchannel/signing.go" && m.Func == "service.useNonce" && m.Operator == OpRemoveCheck && strings.Contains(m.Original, "nonces.contains") {
			return []*Mutant{m}
		}
	}
	return nil
}
