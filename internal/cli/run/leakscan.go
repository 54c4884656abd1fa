package run

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// maxScanBytes bounds what the leak scan reads of one output file or bundle entry: chanconf's
// own outputs, bounded by the evidence limits, are far smaller.
const maxScanBytes = 1 << 30

// minLeakLen keeps short values (a digit, a word) from counting as leaked secrets.
const minLeakLen = 8

// leakScanner finds any form of a secret value (verbatim, JSON-, HTML-, URL-escaped) in text.
type leakScanner struct {
	repl *strings.Replacer
}

// leakMark replaces a secret in the scanner's output; text never contains it otherwise (NUL
// bytes are not in chanconf's text outputs, and a file that has them is scanned all the same:
// the count of marks before and after tells).
const leakMark = "\x00"

func newLeakScanner(secrets []string) *leakScanner {
	seen := map[string]bool{}
	var pairs []string
	add := func(s string) {
		if len(s) >= minLeakLen && !seen[s] {
			seen[s] = true
			pairs = append(pairs, s, leakMark)
		}
	}
	for _, s := range secrets {
		add(s)
		add(html.EscapeString(s))
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		if b, err := json.Marshal(s); err == nil {
			add(string(b[1 : len(b)-1]))
		}
	}
	if len(pairs) == 0 {
		return &leakScanner{}
	}
	return &leakScanner{repl: strings.NewReplacer(pairs...)}
}

// leaks reports whether text holds a secret.
func (l *leakScanner) leaks(text string) bool {
	if l.repl == nil {
		return false
	}
	return strings.Count(l.repl.Replace(text), leakMark) != strings.Count(text, leakMark)
}

// scanOutputs reads every written output (a .zip bundle entry by entry) and returns an error
// naming the first file that holds a secret value seen during the run: the run then refuses
// to finish (exit 4), because its outputs are meant to be shared. The value itself is never
// printed.
func scanOutputs(paths []string, secrets []string) error {
	l := newLeakScanner(secrets)
	for _, p := range paths {
		names, err := l.scanFile(p)
		if err != nil {
			return fmt.Errorf("scanning %s for secrets: %w", p, err)
		}
		if len(names) > 0 {
			return fmt.Errorf("secret leak: %s contains a secret value (a token, key or signature) seen during the run, in %s; "+
				"do not share the outputs of this run, and report this chanconf bug", p, strings.Join(names, ", "))
		}
	}
	return nil
}

// scanFile returns the names of the parts of the file at p that hold a secret: the file
// itself, or the entries of a zip.
func (l *leakScanner) scanFile(p string) ([]string, error) {
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		return l.scanZip(p)
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxScanBytes))
	if err != nil {
		return nil, err
	}
	if l.leaks(string(data)) {
		return []string{filepath.Base(p)}, nil
	}
	return nil, nil
}

func (l *leakScanner) scanZip(p string) ([]string, error) {
	zr, err := zip.OpenReader(p)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var found []string
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		var buf bytes.Buffer
		_, err = io.Copy(&buf, io.LimitReader(rc, maxScanBytes))
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		if l.leaks(buf.String()) {
			found = append(found, filepath.Base(p)+":"+f.Name)
		}
	}
	return found, nil
}
