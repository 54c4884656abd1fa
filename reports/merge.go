package reports

import (
	"fmt"
	"slices"
)

// rerunStates are the states whose cases `run --rerun-failed` repeats: every case that was
// judged and did not pass. SKIP is left out (a skipped case was not attempted; re-running a
// filtered run's skips is a new run, not a re-run).
func rerunStates() []State { return []State{Fail, Warn, Error, Waived, Invalid} }

// ToRerun returns the IDs of r's cases in rerunStates, sorted.
func ToRerun(r *Report) []string {
	var ids []string
	for _, c := range r.Cases.WithState(rerunStates()...) {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	return ids
}

// Merge builds the merged report of a re-run: base with every case that rerun executed
// replaced by its new result, the earlier result kept in Attempts (oldest first). Cases rerun
// skipped (not selected) keep their base result. The merged report records rerunOf (the path
// of base) in Filters.RerunOf, keeps base's other filters, takes rerun's exchanges (base's
// are not in report.json) and is judged again. A merged report is never certifiable: it is
// the best of several attempts, not one run. Neither input is modified.
func Merge(base, rerun *Report, rerunOf string) (*Report, error) {
	if base.Pack.SHA256 != rerun.Pack.SHA256 {
		return nil, fmt.Errorf("merge re-run: pack %s %s (%s) differs from the earlier report's %s %s (%s)",
			rerun.Pack.Name, rerun.Pack.Version, short(rerun.Pack.SHA256), base.Pack.Name, base.Pack.Version, short(base.Pack.SHA256))
	}
	if base.Target.ChannelNo != rerun.Target.ChannelNo {
		return nil, fmt.Errorf("merge re-run: channel %s differs from the earlier report's channel %s",
			rerun.Target.ChannelNo, base.Target.ChannelNo)
	}
	fresh := map[string]Case{}
	for _, c := range rerun.Cases {
		if c.State != Skip {
			fresh[c.ID] = c
		}
	}
	m := *base
	m.Tool = rerun.Tool
	// The merged results come from both runs: keep every fault switch either was made with.
	m.Target = rerun.Target
	m.Target.Reference = base.Target.Reference || rerun.Target.Reference
	m.Target.Faults = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(base.Target.Faults), rerun.Target.Faults...))))
	m.Target.Variants = slices.Compact(slices.Sorted(slices.Values(append(slices.Clone(base.Target.Variants), rerun.Target.Variants...))))
	m.FinishedAt = rerun.FinishedAt
	// Cases the base run left unfinished are ERROR there, hence re-run: only the re-run's
	// interruption still leaves cases unjudged.
	m.Interrupted = rerun.Interrupted
	m.Filters.RerunOf = rerunOf
	m.Eligibility = nil
	m.Exchanges = slices.Clone(rerun.Exchanges)
	m.Cases = make(Cases, 0, len(base.Cases))
	for _, old := range base.Cases {
		c, ok := fresh[old.ID]
		if !ok {
			m.Cases = append(m.Cases, old)
			continue
		}
		c.Attempts = append(slices.Clone(old.Attempts), Attempt{State: old.State, Message: old.Message, RunAt: formatTime(base.StartedAt)})
		m.Cases = append(m.Cases, c)
		delete(fresh, old.ID)
	}
	for _, c := range rerun.Cases.Sorted() {
		if _, left := fresh[c.ID]; left {
			return nil, fmt.Errorf("merge re-run: case %s is not in the earlier report", c.ID)
		}
	}
	Judge(&m)
	return &m, nil
}
