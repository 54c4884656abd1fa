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

// IOStreams are the standard streams of a command plus what is known about them. Results (the
// verdict, the summary, report paths, lists, JSON) go to Out; talk (progress, warnings,
// diagnostics) goes to ErrOut, as gh and kubectl do, so `chanconf run | grep report` works.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	outTTY, errTTY bool
	color          ColorEnv
	noColor        bool
}

// ColorEnv is what the environment says about colour, read once by System.
type ColorEnv struct {
	// NoColor: NO_COLOR is set to a non-empty value (https://no-color.org): never colour.
	NoColor bool
	// Force: CLICOLOR_FORCE is set and not "0": colour even when the stream is not a terminal
	// (CI logs that render ANSI), unless NO_COLOR or --no-color.
	Force bool
	// Off: CLICOLOR is "0": no colour unless forced.
	Off bool
	// Dumb: TERM is "dumb" (Emacs shells, some CI runners): no colour and no redrawn progress
	// line unless colour is forced.
	Dumb bool
}

// ReadColorEnv reads NO_COLOR, CLICOLOR_FORCE, CLICOLOR and TERM with getenv.
func ReadColorEnv(getenv func(string) string) ColorEnv {
	force := getenv("CLICOLOR_FORCE")
	return ColorEnv{
		NoColor: getenv("NO_COLOR") != "",
		Force:   force != "" && force != "0",
		Off:     getenv("CLICOLOR") == "0",
		Dumb:    getenv("TERM") == "dumb",
	}
}

// System returns the process's streams, detecting terminals and reading the colour variables.
func System(getenv func(string) string) *IOStreams {
	return &IOStreams{
		In:     os.Stdin,
		Out:    os.Stdout,
		ErrOut: os.Stderr,
		outTTY: isTerminal(os.Stdout),
		errTTY: isTerminal(os.Stderr),
		color:  ReadColorEnv(getenv),
	}
}

// Test returns streams backed by buffers (no terminal), and the buffers, for tests.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut}, in, out, errOut
}

func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }

// SetTerminal overrides terminal detection (tests).
func (s *IOStreams) SetTerminal(out, errOut bool) { s.outTTY, s.errTTY = out, errOut }

// SetColorEnv overrides what the environment says about colour (tests).
func (s *IOStreams) SetColorEnv(c ColorEnv) { s.color = c }

// SetNoColor switches colour off whatever the terminal is (--no-color).
func (s *IOStreams) SetNoColor(v bool) { s.noColor = s.noColor || v }

// IsOutTTY tells whether Out is a terminal.
func (s *IOStreams) IsOutTTY() bool { return s.outTTY }

// IsErrTTY tells whether ErrOut is a terminal.
func (s *IOStreams) IsErrTTY() bool { return s.errTTY }

// colorFor decides colour for a stream, in this order: --no-color and NO_COLOR switch it off;
// CLICOLOR_FORCE switches it on; TERM=dumb and CLICOLOR=0 switch it off; otherwise it is on
// exactly when the stream is a terminal.
func (s *IOStreams) colorFor(tty bool) bool {
	switch {
	case s.noColor || s.color.NoColor:
		return false
	case s.color.Force:
		return true
	case s.color.Dumb || s.color.Off:
		return false
	}
	return tty
}

// ColorEnabled tells whether talk on ErrOut may use ANSI colours (see colorFor).
func (s *IOStreams) ColorEnabled() bool { return s.colorFor(s.errTTY) }

// OutColorEnabled tells whether results on Out may use ANSI colours (see colorFor).
func (s *IOStreams) OutColorEnabled() bool { return s.colorFor(s.outTTY) }

// LiveProgress tells whether a redrawn progress line may be shown: only when both streams are
// terminals and the terminal is not dumb, so piped or CI output stays a stable line format.
func (s *IOStreams) LiveProgress() bool { return s.outTTY && s.errTTY && !s.color.Dumb }
