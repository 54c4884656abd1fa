package run

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/keys"
	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
	"github.com/chanconf/chanconf/reports"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
	"github.com/chanconf/chanconf/suites/essc"
)

func TestNewCmdRun(t *testing.T) {
	env := map[string]string{}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(*Options) bool
		wantErr string
	}{
		{name: "defaults", args: nil, want: func(o *Options) bool {
			return o.Concurrency == 16 && o.Target == "" && o.OutDir == "" && !o.Quiet && o.Seed == 0
		}},
		{name: "every flag", args: []string{"--target", "https://c.example/cai/v1", "--declaration", "d.yaml",
			"--pack", "p", "--out", "o", "--label-filter", "smoke", "--focus", "SES", "--profile", "rest",
			"--concurrency", "4", "--seed", "7", "--request-timeout", "2s", "--case-timeout", "1m",
			"--no-color", "--quiet"},
			want: func(o *Options) bool {
				return o.Target == "https://c.example/cai/v1" && o.Declaration == "d.yaml" && o.PackDir == "p" &&
					o.OutDir == "o" && o.LabelFilter == "smoke" && o.Focus == "SES" && o.Profile == "rest" &&
					o.Concurrency == 4 && o.Seed == 7 && o.RequestTimeout == 2*time.Second &&
					o.CaseTimeout == time.Minute && o.NoColor && o.Quiet
			}},
		{name: "faults repeat", args: []string{"--reference-fault", "hsts-missing", "--reference-fault", "bola-card", "--reference-latency", "20ms"},
			want: func(o *Options) bool {
				return slices.Equal(o.ReferenceFaults, []string{"hsts-missing", "bola-card"}) && o.ReferenceLatency == 20*time.Millisecond
			}},
		{name: "variants repeat", args: []string{"--reference-variant", "tls13-only", "--reference-variant", "level2-off"},
			want: func(o *Options) bool {
				return slices.Equal(o.ReferenceVariants, []string{"tls13-only", "level2-off"})
			}},
		{name: "target from the environment", env: map[string]string{cmdutil.EnvTarget: "https://e.example/cai/v1", cmdutil.EnvDeclaration: "e.yaml"},
			want: func(o *Options) bool { return o.Target == "https://e.example/cai/v1" && o.Declaration == "e.yaml" }},
		{name: "flags win over the environment", args: []string{"--target", "https://f.example/cai/v1", "--declaration", "f.yaml"},
			env:  map[string]string{cmdutil.EnvTarget: "https://e.example/cai/v1", cmdutil.EnvDeclaration: "e.yaml"},
			want: func(o *Options) bool { return o.Target == "https://f.example/cai/v1" && o.Declaration == "f.yaml" }},
		{name: "target alone", args: []string{"--target", "https://c.example/cai/v1"}, wantErr: "go together"},
		{name: "declaration alone", args: []string{"--declaration", "d.yaml"}, wantErr: "go together"},
		{name: "fault with target", args: []string{"--target", "https://c", "--declaration", "d", "--reference-fault", "hsts-missing"}, wantErr: "only to the embedded"},
		{name: "latency with target", args: []string{"--target", "https://c", "--declaration", "d", "--reference-latency", "1s"}, wantErr: "only to the embedded"},
		{name: "unknown fault", args: []string{"--reference-fault", "nope"}, wantErr: `unknown fault "nope"`},
		{name: "variant with target", args: []string{"--target", "https://c", "--declaration", "d", "--reference-variant", "tls13-only"}, wantErr: "only to the embedded"},
		{name: "unknown variant", args: []string{"--reference-variant", "nope"}, wantErr: `unknown variant "nope"`},
		{name: "zero concurrency", args: []string{"--concurrency", "0"}, wantErr: "at least 1"},
		{name: "quiet and verbose", args: []string{"-q", "-v"}, wantErr: "exclude each other"},
		{name: "argument", args: []string{"extra"}, wantErr: "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			e := env
			if tt.env != nil {
				e = tt.env
			}
			f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, Getenv: func(k string) string { return e[k] }}
			got, err := clitest.ParseArgs(f, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got == nil || !tt.want(got) {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}

// testOptions are the options of a run of the mini pack against the embedded reference channel.
func testOptions(t *testing.T) (opts *Options, out, errOut *bytes.Buffer) {
	t.Helper()
	ios, _, out, errOut := iostreams.Test()
	return &Options{
		IO: ios, Now: time.Now, PackFS: esscv1.FS, PackRoot: esscv1.Root,
		Tool:    reports.Tool{Name: "chanconf", Version: "test"},
		PackDir: clitest.MiniPack(t), OutDir: t.TempDir(), Concurrency: 4,
	}, out, errOut
}

func TestRunRun(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*Options)
		wantCode cmdutil.ExitCode
		wantOut  []string // lines stdout must contain (results)
		wantErr  []string // lines stderr must contain (progress, diagnostics)
		exact    bool     // stdout must be exactly wantOut and stderr empty
	}{
		{name: "conformant, quiet", change: func(o *Options) { o.Quiet = true }, wantCode: cmdutil.ExitConformant,
			wantOut: []string{"verdict: CONFORMANT", "report: OUT/report.json", "report: OUT/junit.xml", "report: OUT/report.html",
				"report: OUT/evidence.har", "report: OUT/findings.sarif"}, exact: true},
		// Issue 12 finding 7: --quiet names the failing cases with their clauses, on stdout.
		{name: "fault, quiet", change: func(o *Options) { o.ReferenceFaults = []string{"cache-control-missing"}; o.Quiet = true },
			wantCode: cmdutil.ExitNonconformant,
			wantOut: []string{"verdict: NONCONFORMANT", "FAIL FUN-HLT-901 (CAI-13.1)", "FAIL FUN-SES-901 (CAI-4.1)", "FAIL SEC-HDR-901 (CAI-11.2)",
				"report: OUT/report.json", "report: OUT/junit.xml", "report: OUT/report.html", "report: OUT/evidence.har", "report: OUT/findings.sarif"},
			exact: true},
		// Issue 12 finding 7: the summary and verdict on stdout, the per-case lines on stderr.
		{name: "fault, summary", change: func(o *Options) { o.ReferenceFaults = []string{"cache-control-missing"} },
			wantCode: cmdutil.ExitNonconformant,
			wantErr:  []string{"SEC-HDR-901\tFAIL\t"},
			wantOut: []string{"FAIL SEC-HDR-901  Responses forbid caching", "  clauses: CAI-11.2 (MUST)",
				"verdict: NONCONFORMANT", "report: OUT/findings.sarif"}},
		// Issue 12 finding 5: a filtered run that found nothing wrong is "partial" (5), not 3.
		{name: "filtered run that passed is partial", change: func(o *Options) { o.Focus = "^FUN-HLT-901$"; o.Quiet = true },
			wantCode: cmdutil.ExitPartial, wantOut: []string{"verdict: INCOMPLETE"}},
		{name: "filtered run that failed is nonconformant", change: func(o *Options) {
			o.Focus, o.ReferenceFaults = "^SEC-HDR-901$", []string{"cache-control-missing"}
		}, wantCode: cmdutil.ExitNonconformant},
		{name: "filtered run against a dead target is incomplete", change: func(o *Options) {
			o.LabelFilter = "health"
			o.Target, o.Declaration = "https://"+clitest.ClosedAddr(t)+"/cai/v1", referenceDeclaration(t)
		}, wantCode: cmdutil.ExitIncomplete},
		// Issue 12 finding 5: a filter matching nothing is a usage error naming it.
		{name: "label filter matching nothing", change: func(o *Options) { o.LabelFilter = "no-such-label" }, wantCode: cmdutil.ExitUsage,
			wantErr: []string{"--label-filter no-such-label matched no case of pack chanconf-e2e"}},
		{name: "focus matching nothing", change: func(o *Options) { o.Focus = "^FUN-NOPE" }, wantCode: cmdutil.ExitUsage,
			wantErr: []string{"--focus '^FUN-NOPE' matched no case"}},
		{name: "json summary", change: func(o *Options) { o.ReferenceFaults = []string{"cache-control-missing"}; o.Format = formatJSON },
			wantCode: cmdutil.ExitNonconformant, wantOut: []string{`"verdict": "NONCONFORMANT"`, `"exitCode": 1`}},
		{name: "broken pack", change: func(o *Options) { o.PackDir = clitest.BrokenPack(t) }, wantCode: cmdutil.ExitUsage,
			wantErr: []string{"FUN-BRK-901: clauses[1]: unknown clause"}},
		{name: "bad label filter", change: func(o *Options) { o.LabelFilter = "((" }, wantCode: cmdutil.ExitUsage},
		{name: "unknown profile", change: func(o *Options) { o.Profile = "soap" }, wantCode: cmdutil.ExitUsage},
		{name: "bad format", change: func(o *Options) { o.Format = "xml" }, wantCode: cmdutil.ExitUsage, wantErr: []string{"--format must be text or json"}},
		{name: "missing declaration", change: func(o *Options) { o.Target = "https://127.0.0.1:1/cai/v1"; o.Declaration = "/no/such.yaml" },
			wantCode: cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, stdout, stderr := testOptions(t)
			tt.change(opts)
			err := Run(t.Context(), opts)
			if got := cmdutil.Classify(err); got != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d\n%s", got, err, tt.wantCode, stderr)
			}
			errOut := strings.ReplaceAll(stderr.String()+errText(err), opts.OutDir, "OUT")
			out := strings.ReplaceAll(stdout.String(), opts.OutDir, "OUT")
			for _, want := range tt.wantErr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			for _, want := range tt.wantOut {
				if !strings.Contains(out, want) {
					t.Errorf("stdout lacks %q:\n%s", want, out)
				}
			}
			if tt.exact && (out != strings.Join(tt.wantOut, "\n")+"\n" || stderr.Len() != 0) {
				t.Errorf("quiet stdout is\n%s\nstderr\n%s\nwant only the verdict, failing cases and paths on stdout", out, stderr)
			}
		})
	}
}

// TestRunWarnsOfAWrongDataKey: issue 12 finding 3, a wrong data key gave 89 FAILs reading
// "expected 201, got 401" with no hint. The pre-flight now says what is wrong before the run.
func TestRunWarnsOfAWrongDataKey(t *testing.T) {
	srv, _ := clitest.Reference(t, refchannel.Options{})
	d := srv.Declaration()
	key := bytes.Repeat([]byte{0xab}, 16)
	kcv, err := cai.KeyCheckValue(key)
	if err != nil {
		t.Fatal(err)
	}
	d.Sandbox.DataKey, d.Sandbox.DataKeyCheck = hex.EncodeToString(key), kcv
	data, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "wrong-key.yaml")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	opts, _, stderr := testOptions(t)
	opts.Target, opts.Declaration, opts.Focus = srv.URL, path, "^FUN-SES-901$"
	err = Run(t.Context(), opts)
	if cmdutil.Classify(err) != cmdutil.ExitNonconformant {
		t.Fatalf("exit %d (%v), want 1: the session case fails", cmdutil.Classify(err), err)
	}
	for _, want := range []string{"warning: pre-flight data key:", "TOKEN_DECRYPT_FAILED", "the declared sandbox.dataKey is not the key the channel's sandbox uses"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr.String(), hex.EncodeToString(key)) {
		t.Error("the data key was printed")
	}
}

// referenceDeclaration writes the declaration of a reference channel and returns its path.
func referenceDeclaration(t *testing.T) string {
	t.Helper()
	_, decl := clitest.Reference(t, refchannel.Options{})
	return decl
}

func TestRunRunDefaultOutDir(t *testing.T) {
	t.Chdir(t.TempDir())
	opts, _, _ := testOptions(t)
	opts.OutDir, opts.Quiet = "", true
	if err := Run(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	found, err := filepath.Glob(filepath.Join("chanconf-out", "*", "report.json"))
	if err != nil || len(found) != 1 || !regexp.MustCompile(`^chanconf-out/\d{8}T\d{6}Z-[0-9a-f]{8}/report\.json$`).MatchString(filepath.ToSlash(found[0])) {
		t.Fatalf("reports %v (%v), want one chanconf-out/<UTC timestamp>-<8 hex>/report.json", found, err)
	}
	// Issue 12 finding 1: three runs in the same second wrote one folder. Now each run has its
	// own ID, and a folder that exists already is never reused.
	frozen := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	seen := map[string]bool{}
	for range 3 {
		id, err := newRunID(frozen)
		if err != nil {
			t.Fatal(err)
		}
		dir, err := prepareOutDir(&Options{}, id)
		if err != nil || seen[dir] || !strings.HasPrefix(dir, filepath.Join("chanconf-out", "20260102T030405Z-")) {
			t.Fatalf("run %s: folder %s (%v), seen %v", id, dir, err, seen)
		}
		seen[dir] = true
		if _, err := prepareOutDir(&Options{}, id); cmdutil.Classify(err) != cmdutil.ExitUsage {
			t.Errorf("a default folder that exists was reused: %v", err)
		}
	}
}

// TestRunOutFolderReuse: issue 12 finding 1, an --out reused left an old CONFORMANT bundle.zip
// beside a new NONCONFORMANT report.json. A non-empty --out is refused; --force empties it, and
// only when everything in it is a chanconf report.
func TestRunOutFolderReuse(t *testing.T) {
	opts, _, _ := testOptions(t)
	opts.Quiet, opts.Bundle = true, true
	if err := Run(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	opts.Bundle = false
	err := Run(t.Context(), opts)
	if cmdutil.Classify(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "is not empty (bundle.zip, evidence.har,") ||
		!strings.Contains(err.Error(), "--force") {
		t.Fatalf("a reused --out: %v, want a usage error naming its files and --force", err)
	}
	opts.Force = true
	if err := Run(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(opts.OutDir, bundleFile)); err == nil {
		t.Error("--force left the earlier run's bundle.zip beside the new reports")
	}
	precious := filepath.Join(opts.OutDir, "notes.txt")
	if err := os.WriteFile(precious, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	err = Run(t.Context(), opts)
	if cmdutil.Classify(err) != cmdutil.ExitUsage || !strings.Contains(err.Error(), "it holds notes.txt, which chanconf does not write") {
		t.Fatalf("--force on a folder with a foreign file: %v", err)
	}
	if _, err := os.Stat(filepath.Join(opts.OutDir, "report.json")); err != nil {
		t.Errorf("a refused --force removed reports: %v", err)
	}
	if _, err := os.Stat(precious); err != nil {
		t.Errorf("a refused --force removed a foreign file: %v", err)
	}
}

func TestRerunCommand(t *testing.T) {
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"reference", Options{}, "chanconf run --focus '^FUN-SES-001$'"},
		{"faults and pack", Options{PackDir: "my pack", ReferenceFaults: []string{"hsts-missing", "bola-card"}},
			"chanconf run --focus '^FUN-SES-001$' --pack 'my pack' --reference-fault hsts-missing --reference-fault bola-card"},
		{"variants", Options{ReferenceVariants: []string{"tls13-only", "level2-off"}},
			"chanconf run --focus '^FUN-SES-001$' --reference-variant tls13-only --reference-variant level2-off"},
		{"candidate", Options{Target: "https://c.example/cai/v1", Declaration: "it's.yaml"},
			`chanconf run --focus '^FUN-SES-001$' --target https://c.example/cai/v1 --declaration 'it'\''s.yaml'`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := rerunCommand(&tt.opts)("FUN-SES-001"); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
	if got := rerunCommand(&Options{})("A.B+1"); got != `chanconf run --focus '^A\.B\+1$'` {
		t.Errorf("regexp metacharacters of an ID not escaped: %s", got)
	}
}

// TestPreflight makes the pre-flight of run (the checks of chanconf doctor) against broken
// set-ups: environment problems are an error (every case ERROR), a misbehaving channel only
// warns (its cases must FAIL), and so does a TLS certificate that does not chain to the
// declared CA, which breaks CAI-1.5.
func TestPreflight(t *testing.T) {
	srv, decl := clitest.Reference(t, refchannel.Options{})
	_, faultyDecl := clitest.Reference(t, refchannel.Options{Faults: []string{"resp-sign-default-id"}})
	otherCA, err := keys.NewTLS()
	if err != nil {
		t.Fatal(err)
	}
	untrusted := filepath.Join(t.TempDir(), "untrusted.yaml")
	d := srv.Declaration()
	d.Sandbox.TLSCA = string(otherCA.CAPEM)
	data, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(untrusted, data, 0o600); err != nil {
		t.Fatal(err)
	}
	late := func() time.Time { return time.Now().Add(time.Hour) }
	tests := []struct {
		name        string
		url, decl   string
		now         func() time.Time
		wantErr     string
		wantWarning string
	}{
		{"reachable and trusted", srv.URL, decl, time.Now, "", ""},
		{"untrusted certificate", srv.URL, untrusted, time.Now, "", "pre-flight tls: TLS handshake"},
		{"closed port", "https://" + clitest.ClosedAddr(t) + "/cai/v1", decl, time.Now, "unreachable: tcp: cannot connect", ""},
		{"clock an hour off", srv.URL, decl, late, "not testable: clock:", "TIMESTAMP_OUT_OF_WINDOW"},
		{"responses signed wrongly", "", faultyDecl, time.Now, "", "pre-flight signed request: signed GET"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tgt, err := essc.Open(t.Context(), essc.TargetOptions{URL: tt.url, DeclarationPath: tt.decl})
			if err != nil {
				t.Fatal(err)
			}
			defer tgt.Close()
			err, warnings := preflight(t.Context(), tgt, tt.now, 5*time.Second)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr) || !strings.Contains(err.Error(), "(fix: ")):
				t.Fatalf("error %v, want one containing %q and a fix", err, tt.wantErr)
			}
			if w := strings.Join(warnings, "\n"); !strings.Contains(w, tt.wantWarning) || (tt.wantWarning == "" && w != "") {
				t.Errorf("warnings %q, want %q", w, tt.wantWarning)
			}
		})
	}
	tgt, err := essc.Open(t.Context(), essc.TargetOptions{URL: srv.URL, DeclarationPath: decl})
	if err != nil {
		t.Fatal(err)
	}
	defer tgt.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err, _ := preflight(ctx, tgt, time.Now, time.Second); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled pre-flight: %v", err)
	}
}

// TestRunTLSViolationFailsNotErrors: a channel whose TLS certificate is not valid for its host
// breaks CAI-1.5; the pre-flight must leave that to the pack's case, which FAILs (exit 1),
// rather than make every case ERROR (INCOMPLETE, exit 3) as it did for any failed handshake.
func TestRunTLSViolationFailsNotErrors(t *testing.T) {
	opts, _, stderr := testOptions(t)
	opts.PackDir, opts.Focus = "", "^SEC-TLS-005$"
	opts.ReferenceFaults = []string{"tls-cert-wrong-host"}
	err := Run(t.Context(), opts)
	if code := cmdutil.Classify(err); code != cmdutil.ExitNonconformant {
		t.Fatalf("exit %d (%v), want 1\n%s", code, err, stderr)
	}
	if !strings.Contains(stderr.String(), "SEC-TLS-005\tFAIL\t") || !strings.Contains(stderr.String(), "the cases of CAI-1.5 judge it") {
		t.Errorf("console:\n%s", stderr)
	}
}
