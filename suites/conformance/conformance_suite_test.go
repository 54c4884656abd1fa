package conformance_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/reports"
	esscv1 "github.com/chanconf/chanconf/specs/essc/v1"
	"github.com/chanconf/chanconf/suites/engine"
	"github.com/chanconf/chanconf/suites/essc"
	"github.com/chanconf/chanconf/suites/runner"
)

func TestConformance(t *testing.T) {
	RegisterFailHandler(Fail)
	ctx := t.Context()

	pack, err := cmdutil.LoadPack(cmdutil.PackSource{FS: esscv1.FS, Root: esscv1.Root})
	if err != nil {
		t.Fatalf("load the embedded pack: %v", err)
	}
	// Both variables are declared in internal/cmdutil.Env; without them the embedded reference
	// channel is tested.
	target, err := essc.Open(ctx, essc.TargetOptions{
		URL:             os.Getenv("CHANCONF_TARGET"),
		DeclarationPath: os.Getenv("CHANCONF_DECLARATION"),
	})
	if err != nil {
		t.Fatalf("open the target: %v", err)
	}
	defer target.Close()

	sc, rc := GinkgoConfiguration()
	exec, err := engine.New(engine.Options{
		Pack:     pack,
		Platform: target.Platform,
		BaseURL:  target.BaseURL,
		TLS:      target.TLS,
		Profiles: target.Declaration.Profiles,
		RunID:    fmt.Sprintf("go-test-%d", sc.RandomSeed),
		Seed:     sc.RandomSeed,
		Probes:   cmdutil.Probes(target.Platform),
	})
	if err != nil {
		t.Fatalf("engine: %v", err)
	}
	defer exec.CloseIdleConnections()
	tree, err := runner.BuildTree(runner.Options{
		Pack:        pack,
		Runner:      exec,
		LabelFilter: sc.LabelFilter,
		Focus:       strings.Join(sc.FocusStrings, "|"),
		Seed:        sc.RandomSeed,
		Target: reports.Target{
			BaseURL:   target.BaseURL.String(),
			ChannelNo: target.Declaration.ChannelNo,
			Name:      target.Declaration.Name,
			Profiles:  target.Declaration.Profiles,
			Reference: target.Reference,
			Faults:    target.Faults,
		},
		Tool: reports.Tool{Name: "chanconf", Version: "go test"},
	})
	if err != nil {
		t.Fatalf("build the spec tree: %v", err)
	}
	rep, err := tree.Execute(ctx, t, rc)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	t.Logf("verdict %s: %+v", rep.Verdict, rep.Summary)
	filtered := rep.Filters != (reports.Filters{})
	if !filtered && rep.Verdict != reports.Conformant {
		t.Errorf("verdict %s:\n%s", rep.Verdict, strings.Join(rep.Reasons, "\n"))
	}
}
