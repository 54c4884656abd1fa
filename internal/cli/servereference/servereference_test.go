package servereference

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chanconf/chanconf/fixtures/refchannel"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/cli/clitest"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/iostreams"
)

func TestNewCmdServeReference(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		want    func(*Options) bool
		wantErr string
	}{
		{"defaults", []string{"--declaration-out", "d.yaml"}, func(o *Options) bool {
			// QRLifetime 0 is the channel's default (5 s) or the lifetime a variant sets.
			return o.Addr == "127.0.0.1:8443" && o.DeclarationOut == "d.yaml" && o.QRLifetime == 0 && o.Latency == 0 &&
				o.Faults == nil && o.Variants == nil
		}, ""},
		{"variants", []string{"--declaration-out", "d.yaml", "--variant", "tls13-only", "--reference-variant", "level2-off"}, func(o *Options) bool {
			return slices.Equal(o.Variants, []string{"tls13-only", "level2-off"})
		}, ""},
		{"unknown variant", []string{"--declaration-out", "d.yaml", "--variant", "nope"}, nil, `unknown variant "nope"`},
		{"every flag", []string{"--addr", "127.0.0.1:0", "--declaration-out", "d.yaml", "--fault", "hsts-missing",
			"--fault", "bola-card", "--latency", "20ms", "--qr-lifetime", "2s"}, func(o *Options) bool {
			return o.Addr == "127.0.0.1:0" && slices.Equal(o.Faults, []string{"hsts-missing", "bola-card"}) &&
				o.Latency == 20*time.Millisecond && o.QRLifetime == 2*time.Second
		}, ""},
		{"no declaration file", nil, nil, "--declaration-out is required"},
		{"unknown fault", []string{"--declaration-out", "d.yaml", "--fault", "nope"}, nil, `unknown fault "nope"`},
		{"negative latency", []string{"--declaration-out", "d.yaml", "--latency", "-1s"}, nil, "must not be negative"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ios, _, _, _ := iostreams.Test()
			got, err := clitest.ParseArgs(&cmdutil.Factory{IOStreams: ios}, NewCmd, tt.args...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || cmdutil.Classify(err) != cmdutil.ExitUsage {
					t.Fatalf("error %v, want usage error %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.want(got) {
				t.Fatalf("error %v, options %+v", err, got)
			}
		})
	}
}

// TestRunServeReference runs the command with a context that is already cancelled: it starts
// the channel, writes the declaration, says where it serves, and stops at once.
func TestRunServeReference(t *testing.T) {
	ios, _, out, errOut := iostreams.Test()
	decl := filepath.Join(t.TempDir(), "reference.yaml")
	var started *refchannel.Server
	opts := &Options{
		IO: ios, Addr: "127.0.0.1:0", DeclarationOut: decl, Faults: []string{"hsts-missing"}, QRLifetime: 3 * time.Second,
		Start: func(o refchannel.Options) (*refchannel.Server, error) {
			if !slices.Equal(o.Faults, []string{"hsts-missing"}) || o.QRLifetime != 3*time.Second || o.Addr != "127.0.0.1:0" {
				t.Errorf("channel options %+v", o)
			}
			s, err := refchannel.New(o)
			started = s
			return s, err
		},
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := Run(ctx, opts); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(decl)
	if err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("declaration %v, %v: want mode 0600", info, err)
	}
	d, err := cai.LoadDeclaration(decl)
	if err != nil {
		t.Fatalf("the written declaration does not load: %v", err)
	}
	if d.BaseURL != started.URL || d.Sandbox.TLSCA == "" || d.Sandbox.QRLifetimeSeconds != 3 {
		t.Errorf("declaration baseURL %q (server %q), tlsCA set %v, qr lifetime %d", d.BaseURL, started.URL, d.Sandbox.TLSCA != "", d.Sandbox.QRLifetimeSeconds)
	}
	want := "reference channel at " + started.URL + "\ndeclaration written to " + decl + "\nserving until interrupted\n"
	if errOut.String() != want || out.Len() != 0 {
		t.Errorf("stderr %q, stdout %q; want stderr %q", errOut, out, want)
	}
	key, _ := d.DataKey()
	if strings.Contains(errOut.String(), d.Sandbox.DataKey) || len(key) != 16 {
		t.Errorf("the data key reached the console or is malformed")
	}
}

func TestRunServeReferenceBadAddress(t *testing.T) {
	ios, _, _, _ := iostreams.Test()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	err := Run(ctx, &Options{IO: ios, Start: refchannel.New, Addr: "256.0.0.1:x", DeclarationOut: filepath.Join(t.TempDir(), "d.yaml"), QRLifetime: 5 * time.Second})
	if cmdutil.Classify(err) != cmdutil.ExitUsage {
		t.Fatalf("error %v, want a usage error", err)
	}
}
