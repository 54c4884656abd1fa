package cai

import (
	"fmt"
	"io"
	"os"
	"unicode"
	"unicode/utf8"
)

// Size limits of a declaration (STANDARD.md section 0). A declaration is the vendor's file and
// is copied into every report: a 100 MB name once made a 105 MB report.json and report.html
// (issue 11 finding 8). The whole file is bounded before it is parsed, and each field after,
// with the field and the limit named and the value never echoed.
const (
	// MaxDeclarationBytes bounds the declaration file.
	MaxDeclarationBytes = 1 << 20
	// MaxNameRunes bounds the display name, in characters.
	MaxNameRunes = 128
	// MaxBaseURLBytes bounds baseURL.
	MaxBaseURLBytes = 2048
	// MaxRegions bounds the regions list (China has about 3 200 county-level divisions).
	MaxRegions = 4096
	// MaxCertificateBytes bounds the certificate and raRoot PEM.
	MaxCertificateBytes = 16 << 10
	// MaxTLSCABytes bounds sandbox.tlsCA (a few PEM certificates).
	MaxTLSCABytes = 256 << 10
	// maxShortField bounds the fields of fixed form (caiVersion, channelNo, profiles' items,
	// regions' items, the data key and its check value), so that a wrong one is echoed whole
	// in its error and a huge one is not.
	maxShortField = 64
)

// readDeclarationFile reads path, refusing a file over MaxDeclarationBytes before reading it.
func readDeclarationFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("declaration: %w", err)
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > MaxDeclarationBytes {
		return nil, &DeclarationError{File: path, Field: "(document)",
			Err: fmt.Errorf("the file is %d bytes, more than the %d a declaration may be", st.Size(), MaxDeclarationBytes)}
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxDeclarationBytes+1))
	if err != nil {
		return nil, fmt.Errorf("declaration: %w", err)
	}
	return data, nil
}

// validateSizes returns a problem for every field over its limit. When there is one, the other
// rules are not checked: their messages quote the values.
func (d *Declaration) validateSizes() []error {
	var errs []error
	long := func(field string, n, limit int, unit string) {
		if n > limit {
			errs = append(errs, d.problem(field, "%d %s, more than the %d allowed", n, unit, limit))
		}
	}
	for _, f := range []struct {
		field string
		value string
		limit int
	}{
		{"caiVersion", d.CAIVersion, maxShortField}, {"channelNo", d.ChannelNo, maxShortField},
		{"baseURL", d.BaseURL, MaxBaseURLBytes}, {"certificate", d.Certificate, MaxCertificateBytes},
		{"raRoot", d.RARoot, MaxCertificateBytes}, {"sandbox.dataKey", d.Sandbox.DataKey, maxShortField},
		{"sandbox.dataKeyCheck", d.Sandbox.DataKeyCheck, maxShortField}, {"sandbox.tlsCA", d.Sandbox.TLSCA, MaxTLSCABytes},
	} {
		long(f.field, len(f.value), f.limit, "bytes")
	}
	long("name", utf8.RuneCountInString(d.Name), MaxNameRunes, "characters")
	long("regions", len(d.Regions), MaxRegions, "entries")
	long("profiles", len(d.Profiles), 2, "entries")
	for _, list := range []struct {
		field  string
		values []string
	}{{"regions", d.Regions}, {"profiles", d.Profiles}} {
		for _, v := range list.values {
			if len(v) > maxShortField {
				errs = append(errs, d.problem(list.field, "an entry of %d bytes, more than the %d allowed", len(v), maxShortField))
				break
			}
		}
	}
	return errs
}

// printable reports whether s is valid UTF-8 without control characters.
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}
