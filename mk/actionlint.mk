# `make actionlint`: actionlint on the hosted CI workflows (.github/workflows). The binary is built
# once per version from the Go module proxy into a cache outside the repository (nothing fetched is
# committed), like golangci-lint in mk/lint.mk.

ACTIONLINT_VERSION := v1.7.12
ACTIONLINT_DIR     ?= $(HOME)/.cache/objects-api/actionlint-$(ACTIONLINT_VERSION)
ACTIONLINT         := $(ACTIONLINT_DIR)/actionlint

# `go install module@version` builds it as its own main module, with its own pinned go.sum.
$(ACTIONLINT):
	GOBIN=$(ACTIONLINT_DIR) GOFLAGS=-buildvcs=false $(GO) install github.com/rhysd/actionlint/cmd/actionlint@$(ACTIONLINT_VERSION)

.PHONY: actionlint
# actionlint also runs shellcheck on every `run:` script when shellcheck is on PATH (it is on
# GitHub's hosted runners; `apt-get install shellcheck` elsewhere), and says nothing when not.
actionlint: $(ACTIONLINT) ## actionlint v1.7.12 on .github/workflows (+ shellcheck on run: steps when installed).
	@command -v shellcheck >/dev/null || { [ "$(CI)" != true ] || { echo "actionlint: shellcheck is required when CI=true (.ci/provision.sh installs it)" >&2; exit 1; }; \
	  echo "actionlint: shellcheck not on PATH; run: scripts are not shellchecked"; }
	$(ACTIONLINT) -no-color
