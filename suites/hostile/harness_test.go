package hostile

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/hostileproxy"
	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli/run"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// maxPeakHeap is the bound on the heap of the whole test process (harness, proxy and reference
// channel together) while a run faces a behaviour: issue 11 requires under 512 MB.
const maxPeakHeap = 512 << 20

// outcome is what one run through the proxy gave.
type outcome struct {
	code     cmdutil.ExitCode
	err      error
	report   *reports.Report
	har      []byte
	proxy    *hostileproxy.Proxy
	peakHeap uint64
	outDir   string
}

// runThrough starts the reference channel and the proxy with behaviour, runs chanconf run
// (focus: a case-ID regular expression, "" for the whole pack) through it, and returns what it
// gave. The request timeout (3 s) is short so that slow behaviours cost little, yet long enough
// for a loaded CI machine to answer the allowed ones in time.
func runThrough(t testing.TB, behaviour, focus string) *outcome {
	t.Helper()
	srv, err := refchannel.New(refchannel.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	up, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	decl := *srv.Declaration()
	roots, err := decl.TLSRoots()
	if err != nil {
		t.Fatal(err)
	}
	p, err := hostileproxy.New(hostileproxy.Options{Upstream: up, UpstreamTLS: tlsTrusting(roots), Behaviour: behaviour, Stall: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	decl.BaseURL = p.URL + up.Path
	decl.Sandbox.TLSCA = string(p.TLS.CAPEM)
	data, err := decl.Encode()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	declPath := filepath.Join(dir, "declaration.yaml")
	if err := os.WriteFile(declPath, data, 0o600); err != nil {
		t.Fatal(err)
	}
	ios, _, _, _ := iostreams.Test()
	opts := &run.Options{
		IO: ios, Now: time.Now, PackFS: esscv1.FS, PackRoot: esscv1.Root,
		Tool:   reports.Tool{Name: "chanconf", Version: "hostile-test"},
		Target: decl.BaseURL, Declaration: declPath, OutDir: filepath.Join(dir, "out"),
		Focus: focus, Concurrency: 8, RequestTimeout: 3 * time.Second, CaseTimeout: 60 * time.Second, Quiet: true,
	}
	out := &outcome{proxy: p, outDir: opts.OutDir}
	stop := sampleHeap(&out.peakHeap)
	out.err = run.Run(context.Background(), opts)
	stop()
	out.code = cmdutil.Classify(out.err)
	if raw, err := os.ReadFile(filepath.Join(opts.OutDir, "report.json")); err == nil {
		out.report = &reports.Report{}
		if err := json.Unmarshal(raw, out.report); err != nil {
			t.Fatalf("report.json: %v", err)
		}
	}
	out.har, _ = os.ReadFile(filepath.Join(opts.OutDir, "evidence.har"))
	return out
}

// tlsTrusting is a client configuration trusting roots.
func tlsTrusting(roots *x509.CertPool) *tls.Config {
	return &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
}

// sampleHeap records the largest live heap seen until the returned stop is called.
func sampleHeap(peak *uint64) (stop func()) {
	var max atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > max.Load() {
				max.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() {
		close(done)
		wg.Wait()
		*peak = max.Load()
	}
}

// state returns the state of case id in the report.
func (o *outcome) state(id string) (reports.State, string) {
	for _, c := range o.report.Cases {
		if c.ID == id {
			return c.State, c.Message
		}
	}
	return -1, "not in the report"
}

// observed reports whether case id recorded a rule breach for the rule's owner case.
func (o *outcome) observed(id string) bool {
	for _, c := range o.report.Cases {
		if c.ID != id {
			continue
		}
		for _, ch := range c.Checks {
			if ch.Outcome == reports.Observed {
				return true
			}
		}
	}
	return false
}
