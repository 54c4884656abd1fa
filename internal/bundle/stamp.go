package bundle

import "strings"

// The version and revision a release build stamps with the linker (make release, or
// scripts/release.sh):
//
//	go build -ldflags "-X github.com/chanconf/chanconf/internal/bundle.stampedVersion=v1.0.1 \
//	  -X github.com/chanconf/chanconf/internal/bundle.stampedRevision=<commit>" ./cmd/chanconf
//
// Go's own build information says "(devel)" for `go run` and for builds with VCS stamping off,
// which is evidence pointing at no code; a stamped build names its release and commit in
// `chanconf version`, report.json, tool.json and the SARIF tool.driver.version. Empty (the
// default) leaves Go's build information as it is.
var (
	stampedVersion  string
	stampedRevision string
)

// applyStamp overrides t's version and revision with the stamped ones, when set. A stamped
// revision ending in "-dirty" marks a build from a tree with uncommitted changes.
func applyStamp(t *Tool) {
	if stampedVersion != "" {
		t.Version = stampedVersion
	}
	if stampedRevision != "" {
		rev, dirty := strings.CutSuffix(stampedRevision, "-dirty")
		t.Revision, t.Modified = rev, dirty
	}
}
