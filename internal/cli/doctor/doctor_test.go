package doctor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestDoctor(t *testing.T) {
	srv, decl := clitest.Reference(t, refchannel.Options{})
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode cmdutil.ExitCode
		want     []string
	}{
		{"ready", []string{"--target", srv.URL, "--declaration", decl}, nil, 0,
			[]string{"OK       signed request: signed GET", "ready: the channel can be tested"}},
		{"from the environment", nil, map[string]string{"CHANCONF_TARGET": srv.URL, "CHANCONF_DECLARATION": decl}, 0, []string{"ready"}},
		{"closed port", []string{"--target", "https://" + clitest.ClosedAddr(t) + "/cai/v1", "--declaration", decl}, nil, 2,
			[]string{"PROBLEM  tcp:", "fix: nothing listens on", "SKIPPED  tls:", "not ready: 5 of 7 checks did not pass"}},
		{"target without declaration", []string{"--target", srv.URL}, nil, 2, []string{"--target needs --declaration"}},
		{"negative timeout", []string{"--timeout", "-1s"}, nil, 2, []string{"must not be negative"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, out, _ := iostreams.Test()
			f := &cmdutil.Factory{IOStreams: ios, Now: time.Now, Getenv: func(k string) string { return tt.env[k] }}
			cmd := NewCmd(f, nil)
			cmd.SetArgs(tt.args)
			cmd.SetOut(ios.Out)
			cmd.SetErr(ios.ErrOut)
			err := cmd.ExecuteContext(context.Background())
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
