package reports

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// ColorScheme says how the console shows colour. The zero value is plain text, which is what
// pipes, files and CI logs get.
type ColorScheme struct {
	// Enabled writes ANSI colour codes (a terminal that accepts colour, no NO_COLOR).
	Enabled bool
	// Tags writes colours as visible tags, "{red}FAIL{/}", instead of ANSI codes, so tests can
	// assert which text is coloured how. It wins over Enabled.
	Tags bool
}

// The colours the console uses, named as in Tags mode.
const (
	colorRed     = "red"
	colorGreen   = "green"
	colorYellow  = "yellow"
	colorBlue    = "blue"
	colorMagenta = "magenta"
	colorGray    = "gray"
	colorBold    = "bold"
)

func ansiCode(color string) string {
	switch color {
	case colorRed:
		return "31"
	case colorGreen:
		return "32"
	case colorYellow:
		return "33"
	case colorBlue:
		return "34"
	case colorMagenta:
		return "35"
	case colorGray:
		return "90"
	}
	return "1"
}

// paint wraps s in color according to the scheme; plain text when colour is off.
func (cs ColorScheme) paint(color, s string) string {
	switch {
	case s == "":
		return s
	case cs.Tags:
		return "{" + color + "}" + s + "{/}"
	case cs.Enabled:
		return "\x1b[" + ansiCode(color) + "m" + s + "\x1b[0m"
	}
	return s
}

func stateColor(s State) string {
	switch s {
	case Pass:
		return colorGreen
	case Fail, Invalid:
		return colorRed
	case Warn:
		return colorYellow
	case Error:
		return colorMagenta
	case Waived:
		return colorBlue
	}
	return colorGray
}

func verdictColor(v Verdict) string {
	switch v {
	case Conformant:
		return colorGreen
	case Nonconformant:
		return colorRed
	}
	return colorYellow
}

// Console is the console reporter: progress while the run goes, one line per case that did not
// pass, and the summary at the end. It only writes to the writer it was given (the CLI passes
// ErrOut); it is safe for concurrent use by the runner's workers.
type Console struct {
	// Live redraws one progress line with "\r" (a terminal). Off, Progress writes nothing and
	// every line is final, so logs stay stable and greppable.
	Live bool
	// Verbose prints a line for every finished case, PASS included.
	Verbose bool

	mu       sync.Mutex
	w        io.Writer
	cs       ColorScheme
	progress int // width of the progress line on screen, 0 when none
	err      error
	// causes are the ERROR causes already shown by CaseFinished: a cause is shown once.
	causes map[string]bool
}

// NewConsole returns a console reporter writing to w with colour scheme cs. Set Live and Verbose
// before the run starts.
func NewConsole(w io.Writer, cs ColorScheme) *Console {
	return &Console{w: w, cs: cs}
}

// Err returns the first write error met, since reporting methods are called from places that
// cannot handle one (the run goes on; the CLI checks Err at the end).
func (c *Console) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *Console) write(s string) {
	if c.err != nil {
		return
	}
	if _, err := io.WriteString(c.w, s); err != nil {
		c.err = fmt.Errorf("write console output: %w", err)
	}
}

// clearProgress blanks the live progress line so a final line can take its place.
func (c *Console) clearProgress() {
	if c.progress > 0 {
		c.write("\r" + strings.Repeat(" ", c.progress) + "\r")
		c.progress = 0
	}
}

// Progress shows how far the run is, on one line redrawn in place; only in Live mode.
func (c *Console) Progress(done, total, failed int, elapsed time.Duration) {
	if !c.Live {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	plain := fmt.Sprintf("[%d/%d] %d failed, %s", done, total, failed, elapsed.Truncate(time.Second))
	line := plain
	if failed > 0 {
		line = strings.Replace(plain, fmt.Sprintf("%d failed", failed), c.cs.paint(colorRed, fmt.Sprintf("%d failed", failed)), 1)
	}
	c.write("\r" + line + strings.Repeat(" ", max(c.progress-len(plain), 0)))
	c.progress = len(plain)
}

// CaseFinished prints `ID<TAB>STATE<TAB>first line of the message` for a case that did not pass
// (every case when Verbose). The format is stable: scripts may cut it. An ERROR whose cause
// (CauseKey) was already shown is not repeated: a wrong port would otherwise print the same
// refusal for every case; the summary counts the cases of each cause.
func (c *Console) CaseFinished(k Case) {
	if k.State == Pass && !c.Verbose {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if k.State == Error {
		key, _ := CauseKey(k.Message)
		if c.causes[key] {
			return
		}
		if c.causes == nil {
			c.causes = map[string]bool{}
		}
		c.causes[key] = true
	}
	c.clearProgress()
	c.write(k.ID + "\t" + c.cs.paint(stateColor(k.State), k.State.String()) + "\t" + firstLine(k.Message) + "\n")
}

// Summary prints the end of run: a table by area, each failure with its clauses, failed checks
// (expected vs actual) and rerun command, the run's identity, the verdict with its reasons, and
// the paths of the reports written.
func (c *Console) Summary(r *Report, paths []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearProgress()
	cr := canonical(r)
	c.write("\n")
	c.areaTable(cr)
	c.failures(cr)
	c.observations(cr)
	c.identity(cr)
	c.verdict(cr)
	for _, p := range paths {
		c.write("report: " + p + "\n")
	}
}

// areaTable prints PASS FAIL WARN SKIP ERROR (and WAIVED when any) per area, then the totals.
func (c *Console) areaTable(r *Report) {
	states := []State{Pass, Fail, Warn, Skip, Error}
	if r.Cases.Count(Waived) > 0 {
		states = append(states, Waived)
	}
	rows := tallyBy(r.Cases, areaKey)
	rows = append(rows, tally{Key: "total", Summary: Summarize(r.Cases)})
	width := len("AREA")
	for _, t := range rows {
		width = max(width, len(t.Key))
	}
	header := fmt.Sprintf("%-*s", width, "AREA")
	for _, s := range states {
		header += fmt.Sprintf("  %6s", s)
	}
	c.write(header + "\n")
	for _, t := range rows {
		line := fmt.Sprintf("%-*s", width, t.Key)
		for _, s := range states {
			cell := fmt.Sprintf("%6d", t.Of(s))
			if t.Of(s) > 0 && s != Pass && s != Skip {
				cell = strings.Repeat(" ", len(cell)-len(fmt.Sprint(t.Of(s)))) + c.cs.paint(stateColor(s), fmt.Sprint(t.Of(s)))
			}
			line += "  " + cell
		}
		c.write(line + "\n")
	}
}

// failures prints each FAIL and WARN and never-judged case (by ID) with what explains it,
// and the ERROR cases grouped by cause: a cause of several cases is printed once, with their
// number, its fix and their IDs.
func (c *Console) failures(r *Report) {
	for _, s := range []State{Fail, Error, Warn, Invalid} {
		if s == Error {
			c.causeBlocks(r)
			continue
		}
		for _, k := range r.Cases.WithState(s) {
			c.caseBlock(k)
		}
	}
}

// consoleCauseIDs is how many case IDs the console names for a cause of several cases.
const consoleCauseIDs = 8

// causeBlocks prints the ERROR causes of r: a cause of one case as that case's block, a cause
// of several once with their count, its fix and their IDs.
func (c *Console) causeBlocks(r *Report) {
	causes := r.Causes
	if causes == nil {
		causes = GroupCauses(r.Cases)
	}
	for _, g := range causes {
		if g.Count == 1 {
			for _, k := range r.Cases.WithState(Error) {
				if k.ID == g.Cases[0] {
					c.caseBlock(k)
				}
			}
			continue
		}
		c.write(fmt.Sprintf("\n%s %s  %s\n", c.cs.paint(stateColor(Error), Error.String()),
			c.cs.paint(colorBold, fmt.Sprintf("%d cases", g.Count)), g.Key))
		if g.Fix != "" {
			c.write("  fix: " + g.Fix + "\n")
		}
		c.write("  cases: " + idList(g.Cases, consoleCauseIDs) + "\n")
	}
}

// caseBlock prints one case that did not pass: its clauses, message, failed checks and rerun.
func (c *Console) caseBlock(k Case) {
	c.write("\n" + c.cs.paint(stateColor(k.State), k.State.String()) + " " + c.cs.paint(colorBold, k.ID) + "  " + k.Title + "\n")
	c.write("  clauses: " + orDash(clauseList(k)) + " (" + orDash(k.Level) + ")\n")
	if msg := firstLine(k.Message); msg != "" {
		c.write("  " + msg + "\n")
	}
	for _, ch := range failedChecks(k) {
		c.write("  - " + checkLine(ch) + "\n")
	}
	if k.Rerun != "" {
		c.write("  rerun: " + k.Rerun + "\n")
	}
}

// observations names each cross-cutting rule seen broken once, with the number of exchanges,
// the case that reports it and one example, however many cases saw it.
func (c *Console) observations(r *Report) {
	if len(r.Observations) == 0 {
		return
	}
	c.write("\nbroken rules seen across the run (failed by their owner case, not by the cases that saw them):\n")
	for _, o := range r.Observations {
		c.write("  " + c.cs.paint(colorRed, o.Clause) + " " + observationLine(o) + "\n")
	}
}

// observationLine is "in N exchanges, reported by CASE; e.g. EXCHANGE: what": one line per rule.
func observationLine(o Observation) string {
	var b strings.Builder
	fmt.Fprintf(&b, "in %d exchange", o.Count)
	if o.Count != 1 {
		b.WriteString("s")
	}
	if o.Owner != "" {
		b.WriteString(", reported by " + o.Owner)
	} else {
		b.WriteString(", reported by no case of this run")
	}
	if len(o.ExchangeIDs) > 0 {
		b.WriteString("; e.g. " + o.ExchangeIDs[0] + ": " + o.Example)
	}
	return b.String()
}

// identity prints what was tested with what: pack digest, tool, seed, filters.
func (c *Console) identity(r *Report) {
	c.write(fmt.Sprintf("\npack %s %s sha256:%s\n", r.Pack.Name, r.Pack.Version, r.Pack.SHA256))
	c.write(fmt.Sprintf("tool %s %s (%s), seed %d\n", orDefault(r.Tool.Name, "chanconf"), r.Tool.Version, r.Tool.Revision, r.Seed))
	c.write(fmt.Sprintf("target %s (channel %s, profiles %s)\n", r.Target.BaseURL, r.Target.ChannelNo,
		orDash(strings.Join(r.Target.Profiles, ", "))))
	if f := filterFlags(r.Filters); f != "" {
		c.write(f + "\n")
	}
}

func (c *Console) verdict(r *Report) {
	c.write("\nverdict: " + c.cs.paint(verdictColor(r.Verdict), r.Verdict.String()) + "\n")
	short := map[string]string{} // a cause's reason repeats the ERROR block above: shortened
	for _, g := range r.Causes {
		short[causeReason(g)] = fmt.Sprintf("%d cases errored: see \"ERROR %d cases\" above", g.Count, g.Count)
	}
	for _, reason := range r.Reasons {
		if s, ok := short[reason]; ok {
			reason = s
		}
		c.write("  " + reason + "\n")
	}
}

// Finish clears the live progress line, when one is shown, so that whatever is printed next
// (on this stream or another sharing the terminal) starts on a clean line.
func (c *Console) Finish() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.clearProgress()
}
