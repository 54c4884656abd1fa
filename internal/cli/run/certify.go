package run

import (
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/chanconf/chanconf/internal/bundle"
	"github.com/chanconf/chanconf/internal/cai"
	"github.com/chanconf/chanconf/internal/certify"
	"github.com/chanconf/chanconf/internal/cmdutil"
	"github.com/chanconf/chanconf/internal/waivers"
	"github.com/chanconf/chanconf/reports"
	"github.com/chanconf/chanconf/specs"
)

// bundleFile is the name of the certification bundle in the output folder.
const bundleFile = "bundle.zip"

// validateCertify refuses certification flag combinations that cannot mean anything: a
// certifying run is the full pack, unmodified, signed.
func validateCertify(opts *Options) error {
	if opts.RerunFailed != "" && (opts.Focus != "" || opts.LabelFilter != "") {
		return cmdutil.Usagef("--rerun-failed selects the cases to run itself: drop --focus and --label-filter")
	}
	if !opts.Certify {
		return nil
	}
	var modifiers []string
	for _, f := range []struct {
		flag string
		set  bool
	}{
		{"--label-filter", opts.LabelFilter != ""}, {"--focus", opts.Focus != ""}, {"--profile", opts.Profile != ""},
		{"--reference-fault", len(opts.ReferenceFaults) > 0}, {"--reference-latency", opts.ReferenceLatency != 0},
		{"--waivers", opts.Waivers != ""}, {"--rerun-failed", opts.RerunFailed != ""},
	} {
		if f.set {
			modifiers = append(modifiers, f.flag)
		}
	}
	if len(modifiers) > 0 {
		return cmdutil.Usagef("--certify runs the full pack unfiltered, unwaived and in one run against an unbroken channel: remove %s",
			strings.Join(modifiers, ", "))
	}
	if opts.SignKey == "" {
		return cmdutil.Usagef("--certify needs --sign-key FILE to sign the bundle (make a key pair with 'chanconf keygen --out DIR')")
	}
	return nil
}

// extras are the certification inputs of a run, loaded before anything runs so that a bad
// file is exit 2, not a lost run.
type extras struct {
	key     *bundle.SigningKey
	waivers *waivers.File
	// base is the report --rerun-failed repeats the failures of.
	base *reports.Report
}

// loadExtras reads --sign-key, --waivers and --rerun-failed.
func loadExtras(opts *Options) (*extras, error) {
	x := &extras{}
	var err error
	if opts.SignKey != "" {
		if x.key, err = bundle.LoadSigningKey(opts.SignKey); err != nil {
			return nil, cmdutil.Usagef("--sign-key: %w", err)
		}
	}
	if opts.Waivers != "" {
		if x.waivers, err = waivers.Load(opts.Waivers); err != nil {
			return nil, cmdutil.Usagef("--waivers: %w", err)
		}
	}
	if opts.RerunFailed != "" {
		if x.base, err = bundle.ReadReport(opts.RerunFailed); err != nil {
			return nil, cmdutil.Usagef("--rerun-failed: %w", err)
		}
	}
	return x, nil
}

// wantsBundle reports whether the run writes bundle.zip.
func (o *Options) wantsBundle() bool { return o.Bundle || o.Certify || o.SignKey != "" }

// rerunFocus returns the focus expression that selects exactly the cases of base that did not
// pass, or a usage error when there are none.
func rerunFocus(base *reports.Report, pack *specs.Pack, path string) (string, error) {
	if base.Pack.SHA256 != pack.SHA256 {
		return "", cmdutil.Usagef("--rerun-failed %s was made with pack %s %s (%s), not with this pack %s %s (%s)",
			path, base.Pack.Name, base.Pack.Version, base.Pack.SHA256, pack.Manifest.Name, pack.Manifest.Version, pack.SHA256)
	}
	ids := reports.ToRerun(base)
	if len(ids) == 0 {
		return "", cmdutil.Usagef("--rerun-failed %s: every case passed or was skipped, nothing to re-run", path)
	}
	quoted := make([]string, len(ids))
	for i, id := range ids {
		quoted[i] = regexp.QuoteMeta(id)
	}
	return "^(" + strings.Join(quoted, "|") + ")$", nil
}

// checkBaseChannel refuses to re-run the failures of another channel's report before anything
// is sent: reports.Merge would refuse the merge only after the whole re-run.
func (x *extras) checkBaseChannel(path, channelNo string) error {
	if x.base == nil || x.base.Target.ChannelNo == channelNo {
		return nil
	}
	return cmdutil.Usagef("--rerun-failed %s is a report of channel %s, not of this channel %s",
		path, x.base.Target.ChannelNo, channelNo)
}

// finish turns the runner's report into the one written: merged with the earlier report
// (--rerun-failed), waived (--waivers), and with its eligibility decided by internal/certify,
// the function `verify` uses. Warnings (expired waivers) go to w.
func (x *extras) finish(w io.Writer, opts *Options, pack *specs.Pack, rep *reports.Report) (*reports.Report, error) {
	if x.base != nil {
		merged, err := reports.Merge(x.base, rep, opts.RerunFailed)
		if err != nil {
			return nil, cmdutil.Usagef("--rerun-failed: %w", err)
		}
		rep = merged
	}
	if x.waivers != nil {
		for _, warn := range x.waivers.Apply(rep, opts.Now()) {
			fmt.Fprintf(w, "warning: %s\n", warn)
		}
	}
	var approved reports.PackRef
	if opts.PackFS != nil {
		approved, _ = certify.PackRefOf(opts.PackFS)
	}
	evidence := certify.NoBundle
	switch {
	case x.key != nil:
		evidence = certify.SignedBundle
	case opts.wantsBundle():
		evidence = certify.UnsignedBundle
	}
	e := certify.Evaluate(certify.Input{Report: rep, Cases: certify.CaseRefs(pack), Policy: certify.DefaultPolicy(approved), Evidence: evidence})
	rep.Eligibility = &e
	return rep, nil
}

// writeBundle writes bundle.zip into dir (signed when a key was given) and returns its path.
func (x *extras) writeBundle(dir string, opts *Options, rep *reports.Report, decl *cai.Declaration, pack *specs.Pack) (string, error) {
	tool := bundle.ToolFromBuild()
	tool.Name, tool.Version, tool.Revision, tool.GoVersion = opts.Tool.Name, opts.Tool.Version, opts.Tool.Revision, opts.Tool.GoVersion
	data, err := bundle.Build(bundle.Input{Report: rep, Declaration: decl, Pack: pack, Tool: tool}, x.key)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, bundleFile)
	err = cmdutil.WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
	return path, err
}
