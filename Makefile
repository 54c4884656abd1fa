# Builds and installs chanconf with its version and revision stamped (see scripts/release.sh).
# `go install ./cmd/chanconf` works too, but a binary built that way names no release.

.PHONY: release install test

release: ## bin/chanconf, stamped
	scripts/release.sh bin/chanconf

install: release ## copies the stamped binary into $(GOBIN) or $(GOPATH)/bin
	install -m 0755 bin/chanconf "$$(go env GOBIN | grep . || echo "$$(go env GOPATH)/bin")/chanconf"

test:
	.ci/run
