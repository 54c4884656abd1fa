# Builds and installs chanconf with its version and revision stamped (see scripts/release.sh).
# `go install ./cmd/chanconf` works too, but a binary built that way names no release.

.PHONY: release install test

release: ## bin/chanconf, stamped
	scripts/release.sh bin/chanconf

install: release ## copies the stamped binary into $(go env GOBIN), else $(go env GOPATH)/bin
	@dir="$$(go env GOBIN)"; [ -n "$$dir" ] || dir="$$(go env GOPATH)/bin"; \
	mkdir -p "$$dir" && install -m 0755 bin/chanconf "$$dir/chanconf" && echo "installed $$dir/chanconf"

test: ## every test of the project (what .ci/run runs, without the race run)
	go test ./...
