package run

import (
	"bytes"
	"context"
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
		wantErr  []string // lines ErrOut must contain
		exact    bool     // ErrOut must be exactly wantErr
	}{
		{name: "conformant, quiet", change: func(o *Options) { o.Quiet = true }, wantCode: cmdutil.ExitConformant,
			wantErr: []string{"verdict: CONFORMANT", "report: OUT/report.json", "report: OUT/junit.xml", "report: OUT/report.html",
				"report: OUT/evidence.har", "report: OUT/findings.sarif"}, exact: true},
		{name: "fault, summary", change: func(o *Options) { o.ReferenceFaults = []string{"cache-control-missing"} },
			wantCode: cmdutil.ExitNonconformant,
			wantErr: []string{"SEC-HDR-901\tFAIL\t", "FAIL SEC-HDR-901  Responses forbid caching", "  clauses: CAI-11.2 (MUST)",
				"verdict: NONCONFORMANT", "report: OUT/findings.sarif"}},
		{name: "filtered run is incomplete", change: func(o *Options) { o.Focus = "^FUN-HLT-901$"; o.Quiet = true },
			wantCode: cmdutil.ExitIncomplete, wantErr: []string{"verdict: INCOMPLETE"}},
		{name: "broken pack", change: func(o *Options) { o.PackDir = clitest.BrokenPack(t) }, wantCode: cmdutil.ExitUsage,
			wantErr: []string{"FUN-BRK-901: clauses[1]: unknown clause"}},
		{name: "bad label filter", change: func(o *Options) { o.LabelFilter = "((" }, wantCode: cmdutil.ExitUsage},
		{name: "unknown profile", change: func(o *Options) { o.Profile = "soap" }, wantCode: cmdutil.ExitUsage},
		{name: "missing declaration", change: func(o *Options) { o.Target = "https://127.0.0.1:1/cai/v1"; o.Declaration = "/no/such.yaml" },
			wantCode: cmdutil.ExitUsage},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts, out, stderr := testOptions(t)
			tt.change(opts)
			err := Run(t.Context(), opts)
			if got := cmdutil.Classify(err); got != tt.wantCode {
				t.Fatalf("exit %d (%v), want %d", got, err, tt.wantCode)
			}
			errOut := strings.ReplaceAll(stderr.String(), opts.OutDir, "OUT")
			for _, want := range tt.wantErr {
				if !strings.Contains(errOut, want) {
					t.Errorf("stderr lacks %q:\n%s", want, errOut)
				}
			}
			if tt.exact && errOut != strings.Join(tt.wantErr, "\n")+"\n" {
				t.Errorf("quiet stderr is\n%s\nwant only the verdict and the paths", errOut)
			}
			if out.Len() != 0 {
				t.Errorf("run wrote to stdout: %q", out)
			}
		})
	}
}

func TestRunRunDefaultOutDir(t *testing.T) {
	t.Chdir(t.TempDir())
	opts, _, _ := testOptions(t)
	opts.OutDir, opts.Quiet = "", true
	if err := Run(t.Context(), opts); err != nil {
		t.Fatal(err)
	}
	found, err := filepath.Glob(filepath.Join("chanconf-out", "*", "report.json"))
	if err != nil || len(found) != 1 || !regexp.MustCompile(`^chanconf-out/\d{8}T\d{6}Z/report\.json$`).MatchString(filepath.ToSlash(found[0])) {
		t.Fatalf("reports %v (%v), want one chanconf-out/<UTC timestamp>/report.json", found, err)
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
