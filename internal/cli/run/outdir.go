package run

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cmdutil"
)

// defaultOutParent is the folder the default report folders are made in.
const defaultOutParent = "chanconf-out"

// newRunID names one run: its UTC start to the second and 8 random hex digits, so that runs
// started in the same second (CI matrix jobs, a script's loop) never share a name. The same ID
// names the default report folder and the run in the channel's logs (X-Conformance-Run-Id).
func newRunID(now time.Time) (string, error) {
	var b [4]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("run ID: %w", err)
	}
	return now.UTC().Format(outDirLayout) + "-" + hex.EncodeToString(b[:]), nil
}

// outputNames are the files a run writes into its folder; --force removes only these (and the
// temporary files of an interrupted write of one of them).
func outputNames() []string {
	var names []string
	for _, rf := range bundle.ReportFiles() {
		names = append(names, rf.Name)
	}
	return append(names, bundleFile)
}

// isOutputFile reports whether name is a file a run writes, or the temporary file
// cmdutil.WriteFileAtomic makes for one (".report.json.tmp-123").
func isOutputFile(name string) bool {
	for _, n := range outputNames() {
		if name == n || strings.HasPrefix(name, "."+n+".tmp-") {
			return true
		}
	}
	return false
}

// prepareOutDir creates the report folder before anything runs, so that a run is never lost to
// an unwritable --out at the end, and so that two runs never write into one folder: the default
// folder (chanconf-out/<run ID>/) is created exclusively, and an --out that already holds files
// is refused unless --force, which first removes the reports of the earlier run. --force never
// removes what chanconf did not write: a folder holding anything else is refused, naming it.
func prepareOutDir(opts *Options, runID string) (string, error) {
	if opts.OutDir == "" {
		dir := filepath.Join(defaultOutParent, runID)
		if err := os.MkdirAll(defaultOutParent, 0o755); err != nil {
			return "", cmdutil.Usagef("output folder: %w", err)
		}
		if err := os.Mkdir(dir, 0o755); err != nil {
			return "", cmdutil.Usagef("output folder: %w (give --out DIR)", err)
		}
		return dir, nil
	}
	dir := opts.OutDir
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", cmdutil.Usagef("--out: %w", err)
		}
		return dir, nil
	case err != nil:
		return "", cmdutil.Usagef("--out: %w", err)
	case len(entries) == 0:
		return dir, nil
	case !opts.Force:
		return "", cmdutil.Usagef("--out %s is not empty (%s): reports of two runs would mix; "+
			"give another folder, or --force to remove the earlier run's reports first", dir, listEntries(entries))
	}
	return dir, emptyOutDir(dir, entries)
}

// emptyOutDir removes the reports of an earlier run from dir, after checking that every entry
// is one: anything else (a subfolder, a file chanconf does not write) refuses the whole --force.
func emptyOutDir(dir string, entries []fs.DirEntry) error {
	var foreign []fs.DirEntry
	for _, e := range entries {
		if !e.Type().IsRegular() || !isOutputFile(e.Name()) {
			foreign = append(foreign, e)
		}
	}
	if len(foreign) > 0 {
		return cmdutil.Usagef("--force: refusing to empty --out %s: it holds %s, which chanconf does not write, "+
			"so it does not look like a chanconf output folder; give an empty or new folder",
			dir, listEntries(foreign))
	}
	for _, e := range entries {
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			return cmdutil.Usagef("--force: %w", err)
		}
	}
	return nil
}

// maxNamed bounds the entries a refusal names.
const maxNamed = 5

// listEntries names up to maxNamed entries (folders with a trailing slash), sorted.
func listEntries(entries []fs.DirEntry) string {
	var names []string
	for _, e := range entries {
		n := e.Name()
		if e.IsDir() {
			n += "/"
		}
		names = append(names, n)
	}
	slices.Sort(names)
	if len(names) > maxNamed {
		return fmt.Sprintf("%s and %d more", strings.Join(names[:maxNamed], ", "), len(names)-maxNamed)
	}
	return strings.Join(names, ", ")
}
