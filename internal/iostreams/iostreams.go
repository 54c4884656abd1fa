// Package iostreams owns every byte chanconf writes to the console. Commands get an *IOStreams
// instead of touching os.Stdout/os.Stderr, so tests can capture output and terminal behaviour
// (colour, live progress) can be forced either way.
package iostreams

import (
	"bytes"
	"io"
	"os"

	"golang.org/x/term"
)

// IOStreams are the standard streams of a command plus what is known about them. Data (lists,
// JSON) goes to Out; talk (progress, warnings, "wrote report to ...") goes to ErrOut.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY, errTTY bool
	noColor        bool
}

// System returns the process's streams, detecting terminals and honouring NO_COLOR.
func System(getenv func(string) string) *IOStreams {
	return &IOStreams{
		In:      os.Stdin,
		Out:     os.Stdout,
		ErrOut:  os.Stderr,
		outTTY:  isTerminal(os.Stdout),
		errTTY:  isTerminal(os.Stderr),
		noColor: getenv("NO_COLOR") != "",
	}
}

// Test returns streams backed by buffers (no terminal), and the buffers, for tests.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// SetTerminal overrides terminal detection (tests, and --no-color handling).
func (s *IOStreams) SetTerminal(out, errOut bool) { s.outTTY, s.errTTY = out, errOut }

// SetNoColor switches colour off whatever the terminal is (--no-color).
func (s *IOStreams) SetNoColor(v bool) { s.noColor = s.noColor || v }

// IsOutTTY tells whether Out is a terminal.
func (s *IOStreams) IsOutTTY() bool { return s.outTTY }

// IsErrTTY tells whether ErrOut is a terminal.
func (s *IOStreams) IsErrTTY() bool { return s.errTTY }

// ColorEnabled tells whether talk on ErrOut may use ANSI colours: only on a terminal, never with
// NO_COLOR or --no-color.
func (s *IOStreams) ColorEnabled() bool { return s.errTTY && !s.noColor }

// LiveProgress tells whether a redrawn progress line may be shown: only when both streams are
// terminals, so piped or CI output stays a stable line format.
func (s *IOStreams) LiveProgress() bool { return s.outTTY && s.errTTY }
