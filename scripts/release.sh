#!/bin/sh
# Builds a release binary of chanconf with its version and revision stamped (README "Install").
#
#   scripts/release.sh [OUTPUT]          # default OUTPUT: bin/chanconf
#   VERSION=v1.0.1 scripts/release.sh    # the version to stamp; default from git (see below)
#
# The version is the git tag on HEAD (v1.0.1), else a Go pseudo-version naming the commit
# (v0.0.0-20260101120000-abcdef123456), with "+dirty" when the tree has uncommitted changes.
# The revision is the full commit hash ("-dirty" appended likewise). `chanconf version`,
# report.json, tool.json and findings.sarif then name them.
set -eu
cd "$(dirname "$0")/.."
out=${1:-bin/chanconf}
pkg=github.com/chanconf/chanconf/internal/bundle
if git rev-parse --git-dir >/dev/null 2>&1; then
	rev=$(git rev-parse HEAD)
	dirty=""
	if [ -n "$(git status --porcelain --untracked-files=no)" ]; then dirty=yes; fi
	if tag=$(git describe --tags --exact-match --match 'v[0-9]*' 2>/dev/null); then
		ver=$tag
	else
		ver="v0.0.0-$(TZ=UTC git log -1 --format=%cd --date=format-local:%Y%m%d%H%M%S)-$(git rev-parse --short=12 HEAD)"
	fi
	if [ -n "$dirty" ]; then ver="$ver+dirty"; rev="$rev-dirty"; fi
else
	ver=unknown
	rev=unknown
fi
ver=${VERSION:-$ver}
go build -ldflags "-X $pkg.stampedVersion=$ver -X $pkg.stampedRevision=$rev" -o "$out" ./cmd/chanconf
echo "built $out: chanconf $ver (revision $rev)"
