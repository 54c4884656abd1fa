package certify

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// Policy is the certifying authority's list of what a certificate may rest on: the approved
// pack versions (by exact digest) and, optionally, the approved chanconf versions. The ministry
// publishes it; `chanconf verify --policy FILE` applies it.
//
//	approvedPacks:
//	  - {name: essc-cai, version: 1.0.0, sha256: 3f5a...}
//	toolVersions: [v1.0.0, v1.0.1]   # empty or absent: any version
type Policy struct {
	ApprovedPacks []PackApproval `yaml:"approvedPacks"`
	// ToolVersions are the approved chanconf versions; empty approves any.
	ToolVersions []string `yaml:"toolVersions"`
}

// PackApproval is one approved pack: name, version and the SHA-256 of its files
// (specs.Pack.SHA256), all three of which must match.
type PackApproval struct {
	Name    string `yaml:"name"`
	Version string `yaml:"version"`
	SHA256  string `yaml:"sha256"`
}

// DefaultPolicy approves exactly the given pack (the one embedded in this chanconf) and any
// tool version: what `run` and `verify` apply when no policy file is given.
func DefaultPolicy(embedded reports.PackRef) Policy {
	return Policy{ApprovedPacks: []PackApproval{{Name: embedded.Name, Version: embedded.Version, SHA256: embedded.SHA256}}}
}

var digestPattern = regexp.MustCompile(`^[0-9a-f]{64}$`)

// LoadPolicy reads a policy file; see parsePolicy.
func LoadPolicy(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	return parsePolicy(path, data)
}

// parsePolicy decodes a policy strictly (unknown keys are errors, so a misspelt key cannot
// silently approve nothing) and checks every entry; name is used in messages.
func parsePolicy(name string, data []byte) (*Policy, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var p Policy
	if err := dec.Decode(&p); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("policy %s: empty file", name)
		}
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	var errs []error
	if len(p.ApprovedPacks) == 0 {
		errs = append(errs, errors.New("approvedPacks: at least one pack is required"))
	}
	for i, a := range p.ApprovedPacks {
		if a.Name == "" || a.Version == "" {
			errs = append(errs, fmt.Errorf("approvedPacks[%d]: name and version are required", i))
		}
		if !digestPattern.MatchString(a.SHA256) {
			errs = append(errs, fmt.Errorf("approvedPacks[%d]: sha256 must be 64 lowercase hex characters", i))
		}
	}
	for i, v := range p.ToolVersions {
		if strings.TrimSpace(v) == "" {
			errs = append(errs, fmt.Errorf("toolVersions[%d]: empty version", i))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("policy %s: %w", name, err)
	}
	return &p, nil
}

// approvesPack reports whether ref matches an approved pack exactly.
func (p Policy) approvesPack(ref reports.PackRef) bool {
	return slices.Contains(p.ApprovedPacks, PackApproval{Name: ref.Name, Version: ref.Version, SHA256: ref.SHA256})
}

// approvesTool reports whether version is approved (any is, when no version is listed).
func (p Policy) approvesTool(version string) bool {
	return len(p.ToolVersions) == 0 || slices.Contains(p.ToolVersions, version)
}

// describe names the approved packs for a message.
func (p Policy) describe() string {
	if len(p.ApprovedPacks) == 0 {
		return "it approves no pack"
	}
	var parts []string
	for _, a := range p.ApprovedPacks {
		parts = append(parts, fmt.Sprintf("%s %s %s", a.Name, a.Version, short(a.SHA256)))
	}
	return "approved: " + strings.Join(parts, "; ")
}

func short(d string) string {
	if len(d) > 12 {
		return d[:12] + "..."
	}
	return d
}

// PackRefOf identifies the pack at the root of fsys without loading its cases: name and
// version from pack.yaml, digest of its files (specs.Digest). The default policy approves the
// embedded pack by this identity even while a case of it fails to lint.
func PackRefOf(fsys fs.FS) (reports.PackRef, error) {
	_, sum, err := specs.Digest(fsys)
	if err != nil {
		return reports.PackRef{}, fmt.Errorf("pack digest: %w", err)
	}
	data, err := fs.ReadFile(fsys, "pack.yaml")
	if err != nil {
		return reports.PackRef{}, fmt.Errorf("pack identity: %w", err)
	}
	var m struct {
		Name    string `yaml:"name"`
		Version string `yaml:"version"`
	}
	if err := yaml.Unmarshal(data, &m); err != nil {
		return reports.PackRef{}, fmt.Errorf("pack identity: pack.yaml: %w", err)
	}
	return reports.PackRef{Name: m.Name, Version: m.Version, SHA256: sum}, nil
}
