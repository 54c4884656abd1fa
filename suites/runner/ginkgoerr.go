package runner

import (
	"errors"
	"strings"

	"github.com/onsi/ginkgo/v2/formatter"
	"github.com/onsi/ginkgo/v2/types"
)

// plainError is a ginkgo error rendered without colour markup or source excerpts:
// types.GinkgoError.Error() always emits ANSI escapes and reads the Go source line of its code
// location, neither of which belongs in chanconf's console output.
type plainError struct {
	text string
	err  error
}

func (e *plainError) Error() string { return e.text }

// Unwrap returns ginkgo's original error.
func (e *plainError) Unwrap() error { return e.err }

// plain converts a ginkgo error into a one-paragraph, colourless error; other errors are
// returned unchanged.
func plain(err error) error {
	var ge types.GinkgoError
	if !errors.As(err, &ge) {
		return err
	}
	f := formatter.New(formatter.ColorModeNone)
	text := strings.ToLower(ge.Heading)
	for _, line := range strings.Split(f.F(ge.Message), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			text += ": " + line
		}
	}
	return &plainError{text: text, err: err}
}
