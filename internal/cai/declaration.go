package cai

import (
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emmansun/gmsm/smx509"
	"go.yaml.in/yaml/v3"
)

// Declaration is a channel's declaration file (STANDARD.md section 0): what the vendor claims
// about the candidate channel. The harness tests the channel against it and certifies exactly
// the declared profiles, regions and options. Sandbox.DataKey is secret; use Redacted before
// showing a declaration anywhere.
type Declaration struct {
	CAIVersion string   `yaml:"caiVersion"`
	ChannelNo  string   `yaml:"channelNo"`
	Name       string   `yaml:"name"`
	BaseURL    string   `yaml:"baseURL"`
	Profiles   []string `yaml:"profiles"`
	Regions    []string `yaml:"regions"`
	Level2     bool     `yaml:"level2"`
	// Certificate is the channel's SM2 certificate, PEM.
	Certificate string `yaml:"certificate"`
	// RARoot is the RA root certificate the channel certificate must chain to, PEM.
	RARoot  string  `yaml:"raRoot"`
	Sandbox Sandbox `yaml:"sandbox"`

	// source and lines remember where the declaration was read from, so that Validate can
	// name the file and line of every problem; both are empty for a declaration built in code.
	source string
	lines  map[string]int
}

// Sandbox is the sandbox section of a declaration: the test-only secrets and settings the
// harness needs to drive the channel.
type Sandbox struct {
	// DataKey is the channel's SM4 data key, 32 hex characters (secret).
	DataKey string `yaml:"dataKey"`
	// DataKeyCheck is the data key's check value (KeyCheckValue), 6 hex characters: required
	// since CAI 1.0.1 so that a mistyped data key is refused before a run instead of failing
	// every case that opens a real-name token. It is not secret.
	DataKeyCheck string `yaml:"dataKeyCheck"`
	// QRLifetimeSeconds is the channel's QR lifetime in the sandbox, 1..60.
	QRLifetimeSeconds int `yaml:"qrLifetimeSeconds"`
	// TLSCA is the PEM CA to trust for the channel's TLS certificate; empty means the system
	// roots (a publicly trusted certificate).
	TLSCA string `yaml:"tlsCA"`
}

// DeclarationError is one problem of a declaration, located by file, line and field.
type DeclarationError struct {
	File  string
	Line  int
	Field string
	Err   error
}

// Error prints "file:line: field: problem" (line omitted when unknown).
func (e *DeclarationError) Error() string {
	loc := e.File
	if loc == "" {
		loc = "declaration"
	}
	if e.Line > 0 {
		loc = fmt.Sprintf("%s:%d", loc, e.Line)
	}
	return fmt.Sprintf("%s: %s: %v", loc, e.Field, e.Err)
}

// Unwrap returns the problem.
func (e *DeclarationError) Unwrap() error { return e.Err }

// declFields returns the declaration's field names, as written in YAML.
func declFields() []string {
	return []string{"caiVersion", "channelNo", "name", "baseURL", "profiles", "regions",
		"level2", "certificate", "raRoot", "sandbox"}
}

// sandboxFields returns the keys of the sandbox section.
func sandboxFields() []string {
	return []string{"dataKey", "dataKeyCheck", "qrLifetimeSeconds", "tlsCA"}
}

// LoadDeclaration reads and parses a declaration file; see ParseDeclaration.
func LoadDeclaration(path string) (*Declaration, error) {
	data, err := readDeclarationFile(path)
	if err != nil {
		return nil, err
	}
	return ParseDeclaration(path, data)
}

// ParseDeclaration decodes a declaration strictly (unknown or repeated keys and wrong types
// are errors) and validates it, within the size limits of declaration_limits.go. name is the file name used in messages. All problems are
// returned together (errors.Join of *DeclarationError), each naming file, line and field.
func ParseDeclaration(name string, data []byte) (*Declaration, error) {
	if len(data) > MaxDeclarationBytes {
		return nil, &DeclarationError{File: name, Field: "(document)",
			Err: fmt.Errorf("more than the %d bytes a declaration may be", MaxDeclarationBytes)}
	}
	d := &Declaration{source: name, lines: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &DeclarationError{File: name, Field: "(document)", Err: err}
	}
	if len(doc.Content) == 0 {
		return nil, &DeclarationError{File: name, Field: "(document)", Err: errors.New("empty declaration")}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, &DeclarationError{File: name, Line: root.Line, Field: "(document)", Err: errors.New("must be a mapping")}
	}
	d.lines[""] = root.Line
	errs := d.decodeMapping(root, "", declFields(), d.topTarget)
	if sb := findKey(root, "sandbox"); sb != nil && sb.Kind == yaml.MappingNode {
		errs = append(errs, d.decodeMapping(sb, "sandbox.", sandboxFields(), d.sandboxTarget)...)
	}
	// Validate too, but do not report a field twice: one whose decoding failed is only
	// reported with the decoding problem.
	failed := map[string]bool{}
	for _, e := range errs {
		var de *DeclarationError
		if errors.As(e, &de) {
			failed[de.Field] = true
		}
	}
	for _, e := range d.validate() {
		var de *DeclarationError
		if !errors.As(e, &de) || !failed[de.Field] {
			errs = append(errs, e)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return d, nil
}

// findKey returns the value node of key in mapping m, or nil.
func findKey(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}

// decodeMapping decodes the known keys of m into the pointers target returns, recording lines
// under prefix+key and reporting unknown, repeated and mistyped keys.
func (d *Declaration) decodeMapping(m *yaml.Node, prefix string, known []string, target func(string) any) []error {
	var errs []error
	seen := map[string]bool{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		field := prefix + k.Value
		switch {
		case !slices.Contains(known, k.Value):
			errs = append(errs, &DeclarationError{File: d.source, Line: k.Line, Field: field,
				Err: fmt.Errorf("unknown field (known: %v)", known)})
			continue
		case seen[k.Value]:
			errs = append(errs, &DeclarationError{File: d.source, Line: k.Line, Field: field, Err: errors.New("repeated field")})
			continue
		}
		seen[k.Value] = true
		d.lines[field] = v.Line
		ptr := target(k.Value)
		if ptr == nil {
			continue
		}
		if err := v.Decode(ptr); err != nil {
			errs = append(errs, &DeclarationError{File: d.source, Line: v.Line, Field: field, Err: typeProblem(err)})
		}
	}
	return errs
}

// typeProblem shortens yaml's type errors to their message.
func typeProblem(err error) error {
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		return fmt.Errorf("wrong type: %s", te.Errors[0])
	}
	return err
}

// topTarget returns where a top-level key decodes to; sandbox is walked separately.
func (d *Declaration) topTarget(key string) any {
	switch key {
	case "caiVersion":
		return &d.CAIVersion
	case "channelNo":
		return &d.ChannelNo
	case "name":
		return &d.Name
	case "baseURL":
		return &d.BaseURL
	case "profiles":
		return &d.Profiles
	case "regions":
		return &d.Regions
	case "level2":
		return &d.Level2
	case "certificate":
		return &d.Certificate
	case "raRoot":
		return &d.RARoot
	}
	return nil
}

// sandboxTarget returns where a sandbox key decodes to.
func (d *Declaration) sandboxTarget(key string) any {
	switch key {
	case "dataKey":
		return &d.Sandbox.DataKey
	case "dataKeyCheck":
		return &d.Sandbox.DataKeyCheck
	case "qrLifetimeSeconds":
		return &d.Sandbox.QRLifetimeSeconds
	case "tlsCA":
		return &d.Sandbox.TLSCA
	}
	return nil
}

// Source is the file name the declaration was parsed from ("" when built in code).
func (d *Declaration) Source() string { return d.source }

// problem builds a DeclarationError for field at its recorded line (or its parent's line when
// the field is missing).
func (d *Declaration) problem(field string, format string, args ...any) error {
	line, ok := d.lines[field]
	if !ok && strings.HasPrefix(field, "sandbox.") {
		line, ok = d.lines["sandbox"]
	}
	if !ok {
		line = d.lines[""]
	}
	return &DeclarationError{File: d.source, Line: line, Field: field, Err: fmt.Errorf(format, args...)}
}

// DataKey returns the 16-byte SM4 data key.
func (d *Declaration) DataKey() ([]byte, error) {
	if !dataKeyPattern.MatchString(d.Sandbox.DataKey) {
		return nil, errors.New("sandbox.dataKey: must be 32 hex characters")
	}
	return hex.DecodeString(d.Sandbox.DataKey)
}

// ChannelCert parses the declared channel certificate.
func (d *Declaration) ChannelCert() (*smx509.Certificate, error) {
	return ParseCertificatePEM([]byte(d.Certificate))
}

// ChannelPublicKey returns the SM2 key of the declared channel certificate, the key that must
// verify the channel's response and QR signatures.
func (d *Declaration) ChannelPublicKey() (*ecdsa.PublicKey, error) {
	cert, err := d.ChannelCert()
	if err != nil {
		return nil, err
	}
	return SM2PublicKey(cert)
}

// RARootCert parses the declared RA root certificate.
func (d *Declaration) RARootCert() (*smx509.Certificate, error) {
	return ParseCertificatePEM([]byte(d.RARoot))
}

// TLSRoots returns a pool holding exactly the certificates of sandbox.tlsCA, or nil (meaning
// "use the system roots") when none is declared.
func (d *Declaration) TLSRoots() (*x509.CertPool, error) {
	if d.Sandbox.TLSCA == "" {
		return nil, nil
	}
	pool := x509.NewCertPool()
	rest := []byte(d.Sandbox.TLSCA)
	n := 0
	for {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type != PEMCertificate {
			continue
		}
		cert, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("tls CA certificate %d: %w", n+1, err)
		}
		pool.AddCert(cert)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("tls CA: %w of type %q", ErrNoPEM, PEMCertificate)
	}
	return pool, nil
}

// QRLifetime is the declared sandbox QR lifetime.
func (d *Declaration) QRLifetime() time.Duration {
	return time.Duration(d.Sandbox.QRLifetimeSeconds) * time.Second
}

// Redacted returns a copy whose data key is replaced by "[REDACTED]", for showing and reports.
func (d *Declaration) Redacted() Declaration {
	c := *d
	c.Profiles = slices.Clone(d.Profiles)
	c.Regions = slices.Clone(d.Regions)
	if c.Sandbox.DataKey != "" {
		c.Sandbox.DataKey = "[REDACTED]"
	}
	return c
}
