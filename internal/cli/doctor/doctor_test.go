package doctor

import (
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdDoctor(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    Options
		wantErr string
	}{
		{"defaults", nil, nil, Options{Timeout: 10 * time.Second, MaxSkew: 5 * time.Second}, ""},
		{"every flag", []string{"--target", "https://c.example/cai/v1", "--declaration", "d.yaml", "--timeout", "2s", "--max-skew", "1s"}, nil,
			Options{Target: "https://c.example/cai/v1", Declaration: "d.yaml", Timeout: 2 * time.Second, MaxSkew: time.Second}, ""},
		{"from the environment", nil, map[string]string{cmdutil.EnvTarget: "https://e.example/cai/v1", cmdutil.EnvDeclaration: "e.yaml"},
			Options{Target: "https://e.example/cai/v1", Declaration: "e.yaml", Timeout: 10 * time.Second, MaxSkew: 5 * time.Second}, ""},
		{"flags win over the environment", []string{"--declaration", "f.yaml"}, map[string]string{cmdutil.EnvDeclaration: "e.yaml"},
			Options{Declaration: "f.yaml", Timeout: 10 * time.Second, MaxSkew: 5 * time.Second}, ""},
		{"target without declaration", []string{"--target", "https://c.example/cai/v1"}, nil, Options{}, "--target needs --declaration"},
		{"negative timeout", []string{"--timeout", "-1s"}, nil, Options{}, "must not be negative"},
		{"argument", []string{"extra"}, nil, Options{}, "unknown command"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, Getenv: func(k string) string { return tt.env[k] }}
			got, err := clitest.ParseArgs(f, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got == nil {
				t.Fatalf("error %v, options %+v", err, got)
			}
			if got.Target != tt.want.Target || got.Declaration != tt.want.Declaration || got.Timeout != tt.want.Timeout ||
				got.MaxSkew != tt.want.MaxSkew || got.IO != ios || got.Now == nil {
				t.Errorf("options %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestRunDoctor(t *testing.T) {
	srv, decl := clitest.Reference(t, refchannel.Options{})
	tests := []struct {
		name     string
		opts     Options
		wantCode cmdutil.ExitCode
		want     []string
	}{
		{"ready", Options{Target: srv.URL, Declaration: decl}, cmdutil.ExitConformant,
			[]string{"OK       signed request: signed GET", "ready: the channel can be tested"}},
		{"closed port", Options{Target: "https://" + clitest.ClosedAddr(t) + "/cai/v1", Declaration: decl}, cmdutil.ExitUsage,
			[]string{"PROBLEM  tcp:", "fix: nothing listens on", "SKIPPED  tls:", "not ready: 6 of 9 checks did not pass",
				"the channel is not ready to be tested: 6 problems"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			tt.opts.IO, tt.opts.Now = ios, time.Now
			err := Run(t.Context(), &tt.opts)
			text := out.String()
			if err != nil {
				text += err.Error()
			}
			if got := cmdutil.Classify(err); got != tt.wantCode {
				t.Fatalf("exit %d, want %d\n%s", got, tt.wantCode, text)
			}
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("output lacks %q:\n%s", w, text)
				}
			}
		})
	}
}
