// Package essc is the e-SSC platform plugin of the engine (engine.Platform): everything a CAI v1
// pack needs that is specific to the electronic social security card. It signs requests as the
// platform gateway (with the tamper modes of negative tests), mints real-name and face tokens as
// the verifier (with their tamper options), verifies the channel's response signatures against
// the declared certificate, generates each case's citizens, masks their data, and provides the
// e-SSC probes: the personal-data scan (CAI-9.1) and the channel-certificate check (CAI-2.7).
package essc

import (
	"crypto/ecdsa"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"sync"
	"text/template"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/fixtures/personas"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/suites/engine"
)

// Name is the platform name a pack manifest names (`platform: essc`).
const Name = "essc"

// Options configures a Platform. The zero value is usable.
type Options struct {
	// Now is the clock for token times and request timestamps (default time.Now). Tests set it
	// to make tokens reproducible.
	Now func() time.Time
	// Salt is mixed into persona generation with the run ID, so that two harness
	// installations using the same seed against one sandbox do not meet the same citizens.
	Salt string
}

// Platform is the e-SSC engine.Platform for one declared channel. It is safe for concurrent use
// by the cases of a run.
type Platform struct {
	decl       *cai.Declaration
	keys       *keys.Set
	dataKey    []byte
	channelPub *ecdsa.PublicKey
	now        func() time.Time
	salt       string

	// mu guards seen: every persona generated in the run, for the run-wide personal-data scan.
	mu   sync.Mutex
	seen map[string]personas.Persona
}

var _ engine.Platform = (*Platform)(nil)

// New returns the platform for decl (which must be valid) signing with the test keys ks.
func New(decl *cai.Declaration, ks *keys.Set, opts Options) (*Platform, error) {
	if decl == nil || ks == nil {
		return nil, fmt.Errorf("essc: declaration and key set are required")
	}
	if err := decl.Validate(); err != nil {
		return nil, fmt.Errorf("essc: %w", err)
	}
	dk, err := decl.DataKey()
	if err != nil {
		return nil, fmt.Errorf("essc: %w", err)
	}
	pub, err := decl.ChannelPublicKey()
	if err != nil {
		return nil, fmt.Errorf("essc: declared certificate: %w", err)
	}
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Platform{decl: decl, keys: ks, dataKey: dk, channelPub: pub, now: now, salt: opts.Salt,
		seen: map[string]personas.Persona{}}, nil
}

// Name implements engine.Platform.
func (p *Platform) Name() string { return Name }

// Declaration returns the declaration the platform tests against.
func (p *Platform) Declaration() *cai.Declaration { return p.decl }

// TemplateFuncs implements engine.Platform: stand-ins with the signatures of the per-case
// functions, for parsing templates at lint time.
func (p *Platform) TemplateFuncs() template.FuncMap {
	unbound := func(name string) error {
		return fmt.Errorf("%s: only available while a case runs", name)
	}
	return template.FuncMap{
		"realNameToken": func(string, ...string) (string, error) { return "", unbound("realNameToken") },
		"faceToken":     func(string, ...string) (string, error) { return "", unbound("faceToken") },
		"qrClaim":       func(string, string) (any, error) { return nil, unbound("qrClaim") },
		"qrVerify":      func(string) string { return "" },
		"qrFields":      func(string) (string, error) { return "", unbound("qrFields") },
	}
}

// Declared implements engine.Platform: the non-secret declaration data templates see as .d.
func (p *Platform) Declared() map[string]any {
	d := p.decl
	return map[string]any{
		"channelNo":         d.ChannelNo,
		"name":              d.Name,
		"baseURL":           d.BaseURL,
		"regions":           slices.Clone(d.Regions),
		"profiles":          slices.Clone(d.Profiles),
		"level2":            d.Level2,
		"qrLifetimeSeconds": d.Sandbox.QRLifetimeSeconds,
		"otherChannelNo":    OtherChannelNo(d.ChannelNo),
		"unsupportedRegion": UnsupportedRegion(d.Regions),
	}
}

// OtherChannelNo returns a valid 10-digit channel number different from channelNo, for
// audience and channel-mismatch tests.
func OtherChannelNo(channelNo string) string {
	first := byte('9')
	if strings.HasPrefix(channelNo, "9") {
		first = '8'
	}
	if len(channelNo) != 10 {
		return "9000000009"
	}
	return string(first) + channelNo[1:]
}

// UnsupportedRegion returns a real GB/T 2260 code that is not among regions.
func UnsupportedRegion(regions []string) string {
	for _, r := range personas.Regions() {
		if !slices.Contains(regions, r) {
			return r
		}
	}
	return "659001"
}

// Secrets implements engine.Platform: the data key (hex in both cases and base64) and every
// private key PEM, with their one-line base64 bodies.
func (p *Platform) Secrets() []string {
	out := []string{
		hex.EncodeToString(p.dataKey), strings.ToUpper(hex.EncodeToString(p.dataKey)), p.decl.Sandbox.DataKey,
		base64.StdEncoding.EncodeToString(p.dataKey), base64.RawURLEncoding.EncodeToString(p.dataKey),
	}
	for _, pemBytes := range [][]byte{p.keys.PEM.PlatformKey, p.keys.PEM.VerifierKey, p.keys.PEM.ChannelKey,
		p.keys.PEM.AttackerKey, p.keys.PEM.RACAKey} {
		out = append(out, pemSecrets(pemBytes)...)
	}
	return out
}

// pemSecrets returns a PEM block's text, its base64 body on one line and each body line.
func pemSecrets(pemBytes []byte) []string {
	text := string(pemBytes)
	if i := strings.Index(text, "-----BEGIN"); i >= 0 {
		text = text[i:]
	}
	out := []string{strings.TrimSpace(text)}
	var body []string
	for _, line := range strings.Split(text, "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "-----") {
			body = append(body, line)
		}
	}
	out = append(out, strings.Join(body, ""))
	return append(out, body...)
}

// SensitiveHeaders implements engine.Platform.
func (p *Platform) SensitiveHeaders() []string {
	return []string{"Authorization", cai.HeaderSignature}
}

// NewCase implements engine.Platform: fresh personas for the case, a fresh token memo.
func (p *Platform) NewCase(info engine.CaseInfo) (engine.CaseEnv, error) {
	gen := personas.New(info.Seed, p.salt+"|"+info.RunID)
	c := &caseEnv{p: p, info: info, personas: map[string]personas.Persona{}, memo: map[string]string{}}
	for _, name := range info.Personas {
		if _, dup := c.personas[name]; dup {
			return nil, fmt.Errorf("case %s: persona %q listed twice", info.CaseID, name)
		}
		c.personas[name] = gen.For(info.CaseID, name)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, per := range c.personas {
		p.seen[per.IDNo] = per
	}
	return c, nil
}

// KnownPersonas returns every persona generated so far in the run, for the personal-data scan.
func (p *Platform) KnownPersonas() []personas.Persona {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]personas.Persona, 0, len(p.seen))
	for _, per := range p.seen {
		out = append(out, per)
	}
	slices.SortFunc(out, func(a, b personas.Persona) int { return strings.Compare(a.IDNo, b.IDNo) })
	return out
}

// Probes implements engine.Platform.
func (p *Platform) Probes() map[string]engine.Probe {
	return map[string]engine.Probe{
		"personal-data-scan":  personalDataProbe{p: p},
		"channel-certificate": certificateProbe{p: p},
	}
}
