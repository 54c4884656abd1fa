package mutation

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"sort"
	"strings"
	"time"
)

// commitOf names the source the mutants came from: the git commit, "+dirty" when the
// working tree has changes, or "unknown" without git.
func commitOf(tc Toolchain) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "-C", tc.Root, "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	status, err := exec.CommandContext(ctx, "git", "-C", tc.Root, "status", "--porcelain", "--", "fixtures").Output()
	if err == nil && len(strings.TrimSpace(string(status))) > 0 {
		commit += "+dirty"
	}
	return commit
}

// WriteJSON writes the campaign as indented JSON (mutation.json).
func WriteJSON(w io.Writer, c *Campaign) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("write mutation.json: %w", err)
	}
	return nil
}

// WriteTable writes the campaign as Markdown: the score line, the counts per file and per
// operator, then the survivors, timeouts and errors, each with file:line, operator, original
// and mutated text.
func WriteTable(w io.Writer, c *Campaign) error {
	var b strings.Builder
	s := c.Summary
	fmt.Fprintf(&b, "# Mutation campaign %s\n\n", c.Date.Format("2006-01-02 15:04 UTC"))
	fmt.Fprintf(&b, "- commit: %s; packages: %s; seed %d; jobs %d; timeout %s", c.Commit, strings.Join(c.Dirs, ", "), c.Seed, c.Jobs, c.Timeout)
	if c.Sample > 0 {
		fmt.Fprintf(&b, "; sample of %d out of %d mutants", c.Sample, c.Generated)
	}
	fmt.Fprintf(&b, "\n- build %.0f s, runs %.0f s\n", c.BuildSeconds, c.RunSeconds)
	fmt.Fprintf(&b, "- **score %.1f %%** (killed / (killed + survived)): %d killed, %d survived, %d timeouts, %d errors, %d equivalent, %d did not compile, %d in all\n",
		100*s.Score, s.Killed, s.Survived, s.Timeout, s.Error, s.Equivalent, s.Uncompiled, s.Total)
	if c.Unstable {
		b.WriteString("- **UNSTABLE**: a control run of the unmutated code was not CONFORMANT; kills may be the machine's doing\n")
	}
	if len(c.StaleEquivalents) > 0 {
		fmt.Fprintf(&b, "- stale equivalent entries (no such mutant any more): %s\n", strings.Join(c.StaleEquivalents, ", "))
	}
	writeBreakdown(&b, "file", c, func(r Result) string { return r.File })
	writeBreakdown(&b, "operator", c, func(r Result) string { return r.Operator })
	for _, st := range []string{StatusSurvived, StatusTimeout, StatusError} {
		writeList(&b, st, c)
	}
	_, err := io.WriteString(w, b.String())
	if err != nil {
		return fmt.Errorf("write the mutation table: %w", err)
	}
	return nil
}

// writeBreakdown writes killed/survived counts grouped by key.
func writeBreakdown(b *strings.Builder, name string, c *Campaign, key func(Result) string) {
	type row struct{ killed, survived, other int }
	rows := map[string]*row{}
	var order []string
	for _, r := range c.Mutants {
		k := key(r)
		if rows[k] == nil {
			rows[k] = &row{}
			order = append(order, k)
		}
		switch r.Status {
		case StatusKilled:
			rows[k].killed++
		case StatusSurvived:
			rows[k].survived++
		default:
			rows[k].other++
		}
	}
	fmt.Fprintf(b, "\n| %s | killed | survived | score | other |\n|---|---:|---:|---:|---:|\n", name)
	for _, k := range sortedKeys(order) {
		r := rows[k]
		score := "-"
		if r.killed+r.survived > 0 {
			score = fmt.Sprintf("%.0f %%", 100*float64(r.killed)/float64(r.killed+r.survived))
		}
		fmt.Fprintf(b, "| %s | %d | %d | %s | %d |\n", k, r.killed, r.survived, score, r.other)
	}
}

// writeList writes the mutants of one status.
func writeList(b *strings.Builder, status string, c *Campaign) {
	var rows []Result
	for _, r := range c.Mutants {
		if r.Status == status {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## %s (%d)\n\n| id | where | function | operator | original | mutated |\n|---|---|---|---|---|---|\n", status, len(rows))
	for _, r := range rows {
		fmt.Fprintf(b, "| %s | %s | %s | %s | `%s` | `%s` |\n", r.ID, r.Location(), r.Func, r.Operator, cell(r.Original), cell(r.Mutated))
	}
}

// cell makes text safe inside a Markdown table cell and code span.
func cell(s string) string {
	return strings.NewReplacer("|", "\\|", "`", "'").Replace(s)
}

// sortedKeys returns keys sorted.
func sortedKeys(keys []string) []string {
	out := append([]string(nil), keys...)
	sort.Strings(out)
	return out
}
