package essc

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"text/template"

	"github.com/chanconf/chanconf/fixtures/personas"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/suites/engine"
)

// caseEnv is one case's e-SSC state: its personas and the tokens minted for it.
type caseEnv struct {
	p        *Platform
	info     engine.CaseInfo
	personas map[string]personas.Persona

	// mu guards memo and secrets: template functions may run from concurrent steps.
	mu      sync.Mutex
	memo    map[string]string
	secrets []string
}

var _ engine.CaseEnv = (*caseEnv)(nil)

// persona returns the case's persona called name.
func (c *caseEnv) persona(name string) (personas.Persona, error) {
	per, ok := c.personas[name]
	if !ok {
		known := make([]string, 0, len(c.personas))
		for k := range c.personas {
			known = append(known, k)
		}
		sort.Strings(known)
		return per, fmt.Errorf("unknown persona %q (case %s declares: %s)", name, c.info.CaseID, strings.Join(known, ", "))
	}
	return per, nil
}

// Personas implements engine.CaseEnv: .p.<name>.<field>.
func (c *caseEnv) Personas() map[string]map[string]string {
	regions := c.p.decl.Regions
	region2 := regions[0]
	if len(regions) > 1 {
		region2 = regions[1]
	}
	out := make(map[string]map[string]string, len(c.personas))
	for name, per := range c.personas {
		out[name] = map[string]string{
			"key":         per.Key,
			"idNo":        per.IDNo,
			"name":        per.Name,
			"phone":       per.Phone,
			"bankAccount": per.BankAccount,
			"region":      regions[0],
			"region2":     region2,
			"idRegion":    per.Region,
			"device":      per.Device,
			"subject":     per.Subject,
			"sex":         per.Sex,
			"birth":       per.Birth,
			"badIdNo":     personas.WithBadCheckChar(per.IDNo),
		}
	}
	return out
}

// Funcs implements engine.CaseEnv: the template functions bound to this case.
func (c *caseEnv) Funcs() template.FuncMap {
	return template.FuncMap{
		"realNameToken": func(persona string, opts ...string) (string, error) {
			return c.token(cai.TypRealName, persona, opts)
		},
		"faceToken": func(persona string, opts ...string) (string, error) {
			return c.token(cai.TypFace, persona, opts)
		},
		"qrClaim":  QRClaim,
		"qrVerify": c.p.QRVerify,
		"qrFields": QRFields,
	}
}

// Mask implements engine.CaseEnv.
func (c *caseEnv) Mask(kind, persona string) (string, error) {
	per, err := c.persona(persona)
	if err != nil {
		return "", err
	}
	switch kind {
	case "idNo":
		return cai.MaskIDNo(per.IDNo), nil
	case "name":
		return cai.MaskName(per.Name), nil
	case "phone":
		return cai.MaskPhone(per.Phone), nil
	case "bankAccount":
		return cai.MaskBankAccount(per.BankAccount), nil
	}
	return "", fmt.Errorf("unknown mask kind %q (known: idNo, name, phone, bankAccount)", kind)
}

// Secrets implements engine.CaseEnv: every token minted in the case so far.
func (c *caseEnv) Secrets() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.secrets)
}

// remember records a minted token as a secret and, when memoKey is set, memoises it.
func (c *caseEnv) remember(memoKey, tok string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.secrets = append(c.secrets, tok)
	if memoKey != "" {
		c.memo[memoKey] = tok
	}
}

// memoised returns a token minted earlier under memoKey.
func (c *caseEnv) memoised(memoKey string) (string, bool) {
	if memoKey == "" {
		return "", false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	tok, ok := c.memo[memoKey]
	return tok, ok
}
