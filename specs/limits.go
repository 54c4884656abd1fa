package specs

import (
	"fmt"
	"io"
	"io/fs"
)

// Size limits of a pack. A pack is input like any other: a 100 000-case pack must load, but a
// file or a pack without bound must not take the loader's memory (parsed YAML takes about ten
// times the file). A pack over a limit is refused with the file named.
const (
	// MaxPackFileBytes bounds one file of a pack (pack.yaml, a case file, a contract): split a
	// larger case file in several.
	MaxPackFileBytes = 16 << 20
	// MaxPackBytes bounds all the files of a pack together.
	MaxPackBytes = 256 << 20
	// MaxCases bounds the number of cases of a pack.
	MaxCases = 200_000
	// MaxDecodeNodes bounds the YAML values one case (or pack.yaml) decodes to, counting every
	// alias as often as it is followed: a "billion laughs" of nested aliases is refused, not
	// expanded (a real case has a few hundred).
	MaxDecodeNodes = 100_000
)

// readPackFile reads one file of the pack, refusing one over MaxPackFileBytes before reading it.
func readPackFile(fsys fs.FS, name string) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxPackFileBytes {
		return nil, fmt.Errorf("%d bytes, more than the %d a pack file may be (split it)", st.Size(), MaxPackFileBytes)
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxPackFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxPackFileBytes {
		return nil, fmt.Errorf("more than the %d bytes a pack file may be (split it)", MaxPackFileBytes)
	}
	return data, nil
}
