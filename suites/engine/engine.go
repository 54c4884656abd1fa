package engine

import (
	"crypto/tls"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"text/template"
	"time"

	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
	"github.com/chanconf/chanconf/suites/contract"
	"github.com/theory/jsonpath"
)

// Defaults applied by New when the corresponding option is zero.
const (
	// DefaultRequestTimeout bounds one HTTP exchange.
	DefaultRequestTimeout = 10 * time.Second
	// DefaultMaxBodyBytes caps a response body read; a longer body is the channel's failure
	// (CAI-11.7 allows at most 1 MiB) and the rest is never read.
	DefaultMaxBodyBytes int64 = 1 << 20
)

// Options configures an Executor. Pack, Platform and BaseURL are required.
type Options struct {
	// Pack is the loaded pack whose cases Run executes; its contracts are compiled by New.
	Pack *specs.Pack
	// Platform supplies signing, tokens, personas and masks.
	Platform Platform
	// BaseURL is the target's declared base URL (e.g. https://127.0.0.1:8443/cai/v1); every
	// path of the pack is relative to it.
	BaseURL *url.URL
	// TLS is the client TLS configuration trusting the target; it is used by the default
	// transport and handed to probes.
	TLS *tls.Config
	// Profiles are the profiles the channel declared; a case of another profile is SKIPped.
	// Empty means every profile runs.
	Profiles []string
	// RunID identifies the run; it is sent in X-Conformance-Run-Id and visible as .run.
	RunID string
	// Seed makes persona generation reproducible (passed to Platform.NewCase).
	Seed int64
	// RequestTimeout bounds each exchange (default DefaultRequestTimeout).
	RequestTimeout time.Duration
	// MaxBodyBytes caps each response body read (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// Probes are the probes a case may call by name (the caller merges generic and platform
	// probes).
	Probes map[string]Probe
	// Now is the clock for signing, templates and timestamps (default time.Now).
	Now func() time.Time
	// Transport sends the requests (tests inject one); the default is an http.Transport with
	// TLS, no proxy and connection pools sized for a concurrent run.
	Transport http.RoundTripper
}

// Executor runs cases of one pack against one target. It is safe for concurrent use: the
// runner's workers share one Executor.
type Executor struct {
	opts   Options
	client *http.Client
	// fresh sends the one retry after a connection-level failure, on a new connection.
	fresh     *http.Client
	openapi   *contract.OpenAPI
	graphql   *contract.GraphQL
	errorCode *jsonpath.Path
	unsigned  map[string]bool
	sensitive map[string]bool // canonical header names
	secrets   *runSecrets     // the platform's run-wide secrets, compiled once
	funcs     map[string]any  // engine template functions bound to opts.Now
	// parseFuncs are funcs plus the platform's stand-ins: every name a template may call, for
	// parsing each template once per run (caches.tree).
	parseFuncs template.FuncMap
	// declared is the platform's declaration data (.d), read once: it does not change in a run.
	declared map[string]any
	caches   caches
	// book records what the run has seen of the pack's cross-cutting rules; owners names the
	// owner case of each rule clause (observe.go).
	book   *ruleBook
	owners map[string]string

	// evidence counts the bytes recorded so far, against EvidenceRunBytes.
	evidence atomic.Int64
	// secretMembers are the JSON member names the contracts mark secret (x-secret, @secret):
	// their values are redacted wherever they appear, whatever a case captured.
	secretMembers map[string]bool
	// seen gathers every secret value met in the run (minted, captured, received), for the
	// post-write scan of the outputs (SeenSecrets).
	seenMu sync.Mutex
	seen   map[string]bool

	mu        sync.Mutex
	exchanges []reports.Exchange
}

// New checks the options and compiles the pack's contracts once for the whole run.
func New(opts Options) (*Executor, error) {
	if err := checkOptions(&opts); err != nil {
		return nil, err
	}
	e := &Executor{
		opts:      opts,
		unsigned:  map[string]bool{},
		sensitive: map[string]bool{},
		secrets:   newRunSecrets(opts.Platform.Secrets()),
		funcs:     templateFuncs(opts.Now),
		declared:  opts.Platform.Declared(),
		book:      newRuleBook(),
		owners:    ruleOwners(opts.Pack),
	}
	e.parseFuncs = template.FuncMap{}
	maps.Copy(e.parseFuncs, e.funcs)
	maps.Copy(e.parseFuncs, opts.Platform.TemplateFuncs())
	if err := e.compileContracts(); err != nil {
		return nil, err
	}
	e.secretMembers, e.seen = map[string]bool{}, map[string]bool{}
	if e.openapi != nil {
		for _, m := range e.openapi.SecretMembers() {
			e.secretMembers[m] = true
		}
	}
	if e.graphql != nil {
		for _, m := range e.graphql.SecretMembers() {
			e.secretMembers[m] = true
		}
	}
	if p := opts.Pack.Manifest.ErrorCode; p != "" {
		path, err := jsonpath.Parse(p)
		if err != nil {
			return nil, fmt.Errorf("pack %s: errorCode %q: %w", opts.Pack.Root, p, err)
		}
		e.errorCode = path
	}
	for _, op := range opts.Pack.Manifest.Unsigned {
		e.unsigned[op] = true
	}
	for _, h := range opts.Platform.SensitiveHeaders() {
		e.sensitive[http.CanonicalHeaderKey(h)] = true
	}
	e.client = newClient(opts.Transport)
	e.fresh = newClient(freshTransport(opts.Transport))
	return e, nil
}

func checkOptions(opts *Options) error {
	var missing []string
	if opts.Pack == nil {
		missing = append(missing, "Pack")
	}
	if opts.Platform == nil {
		missing = append(missing, "Platform")
	}
	if opts.BaseURL == nil {
		missing = append(missing, "BaseURL")
	}
	if len(missing) > 0 {
		return fmt.Errorf("engine: missing options: %s", strings.Join(missing, ", "))
	}
	if want := opts.Pack.Manifest.Platform; want != "" && want != opts.Platform.Name() {
		return fmt.Errorf("engine: pack %s is for platform %q, not %q", opts.Pack.Root, want, opts.Platform.Name())
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = DefaultRequestTimeout
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Transport == nil {
		opts.Transport = defaultTransport(opts.TLS)
	}
	return nil
}

func (e *Executor) compileContracts() error {
	p := e.opts.Pack
	var errs []error
	if len(p.OpenAPI) > 0 {
		o, err := contract.NewOpenAPI(p.OpenAPI, e.opts.BaseURL)
		if err != nil {
			errs = append(errs, fmt.Errorf("pack %s: %w", p.Root, err))
		}
		e.openapi = o
	}
	if len(p.GraphQL) > 0 {
		g, err := contract.NewGraphQL(p.GraphQL)
		if err != nil {
			errs = append(errs, fmt.Errorf("pack %s: %w", p.Root, err))
		}
		e.graphql = g
	}
	return errors.Join(errs...)
}

// Exchanges returns a copy of every exchange recorded so far, redacted, in recording order.
// A case's exchanges are published after each of its steps, once that step's secret captures
// are known.
func (e *Executor) Exchanges() []reports.Exchange {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]reports.Exchange(nil), e.exchanges...)
}

// SeenSecrets returns every secret value of the run: the platform's, and each one minted,
// captured as secret or received in a member the contract marks secret. After writing its
// outputs, a run scans them for these values (none may remain).
func (e *Executor) SeenSecrets() []string {
	e.seenMu.Lock()
	defer e.seenMu.Unlock()
	out := append([]string(nil), e.opts.Platform.Secrets()...)
	for s := range e.seen {
		out = append(out, s)
	}
	return out
}

// remember adds secret values to the run's seen set.
func (e *Executor) remember(sets ...[]string) {
	e.seenMu.Lock()
	defer e.seenMu.Unlock()
	for _, set := range sets {
		for _, s := range set {
			if len(s) >= minSecretLen {
				e.seen[s] = true
			}
		}
	}
}

// CloseIdleConnections closes the transports' idle connections (at the end of a run).
func (e *Executor) CloseIdleConnections() {
	e.client.CloseIdleConnections()
	e.fresh.CloseIdleConnections()
}

func (e *Executor) publish(xs []reports.Exchange) {
	if len(xs) == 0 {
		return
	}
	e.mu.Lock()
	e.exchanges = append(e.exchanges, xs...)
	e.mu.Unlock()
}
