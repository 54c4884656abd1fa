package runner

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/chanconf/chanconf/specs"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
)

// ginkgoPreview is the selection ginkgo's own preview of the tree makes, in pack order: what
// Preview computed before it stopped building the ginkgo tree.
func ginkgoPreview(t *testing.T, opts Options) []string {
	t.Helper()
	n, err := normalize(opts, false)
	if err != nil {
		t.Fatal(err)
	}
	tree, err := buildTree(n)
	if err != nil {
		t.Fatal(err)
	}
	tree.preview(silentReporterConfig())
	var out []string
	for _, s := range tree.slots {
		if s.selected {
			out = append(out, s.c.ID)
		}
	}
	return out
}

// TestPreviewIsGinkgosSelection: Preview, which no longer registers ginkgo specs (issue 11
// finding 9), selects exactly the cases ginkgo's preview of the same tree selects, on the
// embedded pack, for label filters over every kind of label, focus, profile and declared
// profiles.
func TestPreviewIsGinkgosSelection(t *testing.T) {
	pack, err := specs.Load(esscv1.FS, specs.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		mod  func(*Options)
	}{
		{"all", func(*Options) {}},
		{"level", func(o *Options) { o.LabelFilter = "MUST && security" }},
		{"area and not serial", func(o *Options) { o.LabelFilter = "sessions && !serial" }},
		{"clause", func(o *Options) { o.LabelFilter = "CAI-4.1 || CAI-11.2" }},
		{"case ID", func(o *Options) { o.LabelFilter = "FUN-SES-001" }},
		{"profile label", func(o *Options) { o.LabelFilter = "graphql" }},
		{"regex label", func(o *Options) { o.LabelFilter = "/^SEC-HDR/ || /^FUN-QR/" }},
		{"focus", func(o *Options) { o.Focus = "-00[13]$" }},
		{"profile", func(o *Options) { o.Profile = "rest" }},
		{"declared profiles", func(o *Options) { o.Target.Profiles = []string{"graphql"}; o.LabelFilter = "smoke || functional" }},
		{"nothing", func(o *Options) { o.LabelFilter = "no-such-label" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{Pack: pack, Seed: 7}
			tt.mod(&opts)
			cases, err := Preview(opts)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range cases {
				got = append(got, c.ID)
			}
			if want := ginkgoPreview(t, opts); !slices.Equal(got, want) {
				t.Errorf("Preview selects %d cases %v\nginkgo %d %v", len(got), got, len(want), want)
			}
			if tt.name == "all" && len(got) != len(pack.Cases) || tt.name != "all" && tt.name != "nothing" && len(got) == 0 {
				t.Errorf("%d cases selected: the filter does not exercise the selection", len(got))
			}
		})
	}
}

// TestPreviewStopsWhenCancelled: a cancelled context stops the preview with its cause.
func TestPreviewStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancelCause(context.Background())
	cause := errors.New("SIGTERM")
	cancel(cause)
	if _, err := PreviewContext(ctx, Options{Pack: selectionPack()}); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "SIGTERM") {
		t.Errorf("error %v, want the cancellation's cause", err)
	}
}
