package cai

import (
	"errors"
	"net/url"
	"regexp"
)

// dataKeyPattern is the hex form of the 16-byte SM4 data key.
var dataKeyPattern = regexp.MustCompile(`^[0-9a-fA-F]{32}$`)

// Profiles a declaration may name.
const (
	ProfileREST    = "rest"
	ProfileGraphQL = "graphql"
)

// Validate checks every field of the declaration and returns all problems joined, each a
// *DeclarationError naming file, line and field.
func (d *Declaration) Validate() error {
	return errors.Join(d.validate()...)
}

// validate returns every problem of the declaration's values.
func (d *Declaration) validate() []error {
	if errs := d.validateSizes(); len(errs) > 0 {
		return errs
	}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	if d.CAIVersion != "1" {
		add(d.problem("caiVersion", `must be "1", got %q`, d.CAIVersion))
	}
	if !ValidChannelNo(d.ChannelNo) {
		add(d.problem("channelNo", "must be 10 digits, got %q", d.ChannelNo))
	}
	switch {
	case d.Name == "":
		add(d.problem("name", "required"))
	case !printable(d.Name):
		add(d.problem("name", "holds a control character or invalid UTF-8 (a display name is one line of printable text)"))
	}
	add(d.validateBaseURL())
	add(d.validateProfiles())
	add(d.validateRegions())
	add(d.validateCertificates())
	add(d.validateSandbox())
	return errs
}

// validateBaseURL requires an absolute https URL without query or fragment.
func (d *Declaration) validateBaseURL() error {
	if d.BaseURL == "" {
		return d.problem("baseURL", "required")
	}
	u, err := url.Parse(d.BaseURL)
	if err != nil {
		return d.problem("baseURL", "not a URL: %v", err)
	}
	if u.Scheme != "https" || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return d.problem("baseURL", "must be an https URL with host and path only, got %q", d.BaseURL)
	}
	return nil
}

// validateProfiles requires a non-empty subset of rest, graphql.
func (d *Declaration) validateProfiles() error {
	if len(d.Profiles) == 0 {
		return d.problem("profiles", "at least one of %q, %q required", ProfileREST, ProfileGraphQL)
	}
	seen := map[string]bool{}
	for _, p := range d.Profiles {
		if p != ProfileREST && p != ProfileGraphQL {
			return d.problem("profiles", "unknown profile %q (known: %s, %s)", p, ProfileREST, ProfileGraphQL)
		}
		if seen[p] {
			return d.problem("profiles", "profile %q listed twice", p)
		}
		seen[p] = true
	}
	return nil
}

// validateRegions requires at least one 6-digit region, none twice.
func (d *Declaration) validateRegions() error {
	if len(d.Regions) == 0 {
		return d.problem("regions", "at least one region code required")
	}
	seen := map[string]bool{}
	for _, r := range d.Regions {
		if !ValidRegion(r) {
			return d.problem("regions", "region must be 6 digits (GB/T 2260), got %q", r)
		}
		if seen[r] {
			return d.problem("regions", "region %q listed twice", r)
		}
		seen[r] = true
	}
	return nil
}

// validateCertificates requires both certificates to parse and the channel key to be SM2.
// Whether the chain is good is a conformance question (CAI-2.7), checked by a probe, not here.
func (d *Declaration) validateCertificates() error {
	var errs []error
	if d.Certificate == "" {
		errs = append(errs, d.problem("certificate", "required (PEM)"))
	} else if _, err := d.ChannelPublicKey(); err != nil {
		errs = append(errs, d.problem("certificate", "%v", err))
	}
	if d.RARoot == "" {
		errs = append(errs, d.problem("raRoot", "required (PEM)"))
	} else if _, err := d.RARootCert(); err != nil {
		errs = append(errs, d.problem("raRoot", "%v", err))
	}
	return errors.Join(errs...)
}

// validateSandbox checks the data key and its check value, the QR lifetime and the optional
// TLS CA.
func (d *Declaration) validateSandbox() error {
	var errs []error
	if !dataKeyPattern.MatchString(d.Sandbox.DataKey) {
		// Never echo the key: it is secret even when malformed.
		errs = append(errs, d.problem("sandbox.dataKey", "must be 32 hex characters (16-byte SM4 key), got %d characters", len(d.Sandbox.DataKey)))
	}
	if err := d.validateDataKeyCheck(); err != nil {
		errs = append(errs, err)
	}
	if q := d.Sandbox.QRLifetimeSeconds; q < 1 || q > MaxQRLifetimeMillis/1000 {
		errs = append(errs, d.problem("sandbox.qrLifetimeSeconds", "must be 1..%d, got %d", MaxQRLifetimeMillis/1000, q))
	}
	if d.Sandbox.TLSCA != "" {
		if _, err := d.TLSRoots(); err != nil {
			errs = append(errs, d.problem("sandbox.tlsCA", "%v", err))
		}
	}
	return errors.Join(errs...)
}
