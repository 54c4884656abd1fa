// Package doctor is chanconf's pre-flight: before a single case runs it checks, one by one,
// everything a run needs from the environment (a valid declaration, DNS, TCP, a trusted TLS
// handshake, synchronised clocks) and that the channel answers at all (health, a signed no-op
// request whose signed refusal verifies with the declared certificate). Each problem comes
// with a hint saying how to fix it. `chanconf doctor` prints the checks; `chanconf run` makes
// the same checks first and turns environment problems into ERROR cases, never FAIL, while a
// problem that is the channel breaking a clause is left to the pack's cases to FAIL.
package doctor

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/suites/engine"
)

// Status is the outcome of one check.
type Status int

// The outcomes of a check.
const (
	// OK: the check passed.
	OK Status = iota
	// Problem: the check failed; Hint says what to do.
	Problem
	// Skipped: an earlier problem made the check impossible.
	Skipped
)

// String names the status as printed.
func (s Status) String() string {
	switch s {
	case OK:
		return "OK"
	case Problem:
		return "PROBLEM"
	}
	return "SKIPPED"
}

// Names of the checks, in the order they run.
const (
	CheckDeclaration = "declaration"
	CheckDNS         = "dns"
	CheckTCP         = "tcp"
	CheckTLS         = "tls"
	CheckHealth      = "health"
	CheckClock       = "clock"
	CheckSigned      = "signed request"
	CheckCertificate = "certificate"
	CheckDataKey     = "data key"
)

// Check is the result of one pre-flight check.
type Check struct {
	Name   string
	Status Status
	// Detail says what was found (never a secret).
	Detail string
	// Hint says how to fix a problem ("" when OK).
	Hint string
	// Environment marks checks whose failure means the channel cannot be judged at all (no
	// route, no handshake, wrong clocks): `run` makes every case ERROR for them. The other
	// checks look at behaviour the pack judges itself, so `run` only warns about them.
	Environment bool
	// Clauses are the CAI clauses a problem shows the channel breaking, when its own answer
	// failed the check (a TLS certificate not valid for the host, a refused TLS 1.2
	// handshake). Such a problem is never Environment: the pack's cases of those clauses must
	// FAIL, so `run` only warns and runs them.
	Clauses []string
}

// Result is every check of one pre-flight, in order.
type Result struct {
	Checks []Check
}

// OK reports whether no check found a problem.
func (r *Result) OK() bool {
	for _, c := range r.Checks {
		if c.Status != OK {
			return false
		}
	}
	return true
}

// EnvironmentProblems returns the environment checks that failed: what makes a run's cases
// ERROR.
func (r *Result) EnvironmentProblems() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Environment && c.Status == Problem {
			out = append(out, c)
		}
	}
	return out
}

// Problems returns every check that did not pass.
func (r *Result) Problems() []Check {
	var out []Check
	for _, c := range r.Checks {
		if c.Status != OK {
			out = append(out, c)
		}
	}
	return out
}

// add appends a check.
func (r *Result) add(c Check) *Check {
	r.Checks = append(r.Checks, c)
	return &r.Checks[len(r.Checks)-1]
}

// Defaults of Config.
const (
	// DefaultTimeout bounds each network check.
	DefaultTimeout = 10 * time.Second
	// DefaultMaxSkew is the clock difference tolerated between chanconf and the channel; the
	// sandbox must be within 1 s of true time (STANDARD.md section 14) and the Date header
	// has whole seconds.
	DefaultMaxSkew = 5 * time.Second
)

// Target is the channel the network checks look at.
type Target struct {
	BaseURL *url.URL
	// Declaration is the channel's (valid) declaration.
	Declaration *cai.Declaration
	// TLS trusts the declared sandbox CA (or the system roots).
	TLS *tls.Config
	// Platform signs the no-op request as the platform gateway and verifies the channel's
	// signed answer (suites/essc).
	Platform engine.Platform
}

// Config tunes the checks. The zero value uses the defaults.
type Config struct {
	// Now is chanconf's clock (default time.Now), compared with the channel's Date header.
	Now func() time.Time
	// Timeout bounds each network check (default DefaultTimeout).
	Timeout time.Duration
	// MaxSkew is the clock difference tolerated (default DefaultMaxSkew).
	MaxSkew time.Duration
	// LookupHost resolves a host name (default net.DefaultResolver.LookupHost).
	LookupHost func(ctx context.Context, host string) ([]string, error)
}

// withDefaults fills the zero fields of c.
func (c Config) withDefaults() Config {
	if c.Now == nil {
		c.Now = time.Now
	}
	if c.Timeout <= 0 {
		c.Timeout = DefaultTimeout
	}
	if c.MaxSkew <= 0 {
		c.MaxSkew = DefaultMaxSkew
	}
	if c.LookupHost == nil {
		c.LookupHost = net.DefaultResolver.LookupHost
	}
	return c
}

// Write prints one line per check, "OK      name: detail", and under each problem a
// "fix:" line with its hint.
func Write(w io.Writer, r *Result) error {
	var b strings.Builder
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%-8s %s: %s\n", c.Status, c.Name, oneLine(c.Detail))
		if c.Status != OK && c.Hint != "" {
			fmt.Fprintf(&b, "%-8s fix: %s\n", "", c.Hint)
		}
	}
	if r.OK() {
		b.WriteString("ready: the channel can be tested\n")
	} else {
		fmt.Fprintf(&b, "not ready: %d of %d checks did not pass\n", len(r.Problems()), len(r.Checks))
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write the checks: %w", err)
	}
	return nil
}

// oneLine joins a multi-line detail with "; ".
func oneLine(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\n", " ; ")), " ")
}
