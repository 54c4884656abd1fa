package reports

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
)

// writers lists every writer, the console summary included, as one signature.
func writers() map[string]func(w *bytes.Buffer, r *Report) error {
	return map[string]func(w *bytes.Buffer, r *Report) error{
		"json":  func(w *bytes.Buffer, r *Report) error { return WriteJSON(w, r) },
		"junit": func(w *bytes.Buffer, r *Report) error { return WriteJUnit(w, r) },
		"html":  func(w *bytes.Buffer, r *Report) error { return WriteHTML(w, r) },
		"har":   func(w *bytes.Buffer, r *Report) error { return WriteHAR(w, r) },
		"sarif": func(w *bytes.Buffer, r *Report) error { return WriteSARIF(w, r) },
		"console": func(w *bytes.Buffer, r *Report) error {
			c := NewConsole(w, ColorScheme{})
			c.Summary(r, []string{"report.json"})
			return c.Err()
		},
	}
}

func render(t *testing.T, write func(*bytes.Buffer, *Report) error, r *Report) string {
	t.Helper()
	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestWritersDeterministic: the same report twice, or with cases and exchanges in another
// order (another seed), gives identical bytes, and the input is left as it was.
func TestWritersDeterministic(t *testing.T) {
	for name, write := range writers() {
		t.Run(name, func(t *testing.T) {
			r := sampleReport()
			before, _ := json.Marshal(r)
			first := render(t, write, r)
			if after, _ := json.Marshal(r); !bytes.Equal(before, after) {
				t.Error("writer modified its input")
			}
			if second := render(t, write, sampleReport()); first != second {
				t.Errorf("two writes differ:\n%s", firstDiff(first, second))
			}
			shuffled := sampleReport()
			slices.Reverse(shuffled.Cases)
			slices.Reverse(shuffled.Exchanges)
			if third := render(t, write, shuffled); first != third {
				t.Errorf("output depends on input order:\n%s", firstDiff(first, third))
			}
		})
	}
}

// TestWritersIdentifyTheRun: every format names the pack digest, the seed and the tool version.
func TestWritersIdentifyTheRun(t *testing.T) {
	for name, write := range writers() {
		t.Run(name, func(t *testing.T) {
			out := render(t, write, sampleReport())
			for _, want := range []string{strings.Repeat("ab", 32), "42", "1.2.3", "waivers.yaml"} {
				if name == "console" && want == "waivers.yaml" {
					want = "waived by waivers.yaml"
				}
				if !strings.Contains(out, want) {
					t.Errorf("%s output lacks %q", name, want)
				}
			}
		})
	}
}

// TestWritersAddNoSecrets: the engine redacts before filling the report, and writers add no
// data of their own, so the planted session token appears in no output. The negative control
// (the same report unredacted) shows each writer does render the places it was planted in.
func TestWritersAddNoSecrets(t *testing.T) {
	for name, write := range writers() {
		t.Run(name, func(t *testing.T) {
			if out := render(t, write, sampleReport()); strings.Contains(out, plantedSecret) {
				t.Errorf("%s output contains the planted secret", name)
			}
			if out := render(t, write, unredacted()); !strings.Contains(out, plantedSecret) {
				t.Errorf("negative control: %s output of an unredacted report lacks the secret, so the check above proves nothing", name)
			}
		})
	}
}

type shortWriter struct{ n int }

func (s *shortWriter) Write(p []byte) (int, error) {
	if s.n <= 0 {
		return 0, errors.New("device full")
	}
	s.n--
	return len(p), nil
}

// TestWritersReportWriteErrors: a failing writer is an error naming the format, not a silent
// truncated file.
func TestWritersReportWriteErrors(t *testing.T) {
	for name, write := range map[string]func(*shortWriter, *Report) error{
		"json":  func(w *shortWriter, r *Report) error { return WriteJSON(w, r) },
		"junit": func(w *shortWriter, r *Report) error { return WriteJUnit(w, r) },
		"html":  func(w *shortWriter, r *Report) error { return WriteHTML(w, r) },
		"har":   func(w *shortWriter, r *Report) error { return WriteHAR(w, r) },
		"sarif": func(w *shortWriter, r *Report) error { return WriteSARIF(w, r) },
	} {
		t.Run(name, func(t *testing.T) {
			err := write(&shortWriter{}, sampleReport())
			if err == nil || !strings.Contains(err.Error(), "device full") {
				t.Errorf("err = %v", err)
			}
		})
	}
}
