# `make lint`: golangci-lint v2 with .golangci.yml. The binary is built once per version from the
# Go module proxy into a cache outside the repository (nothing fetched is committed).

GOLANGCI_LINT_VERSION := v2.15.0
GOLANGCI_LINT_DIR     ?= $(HOME)/.cache/objects-api/golangci-lint-$(GOLANGCI_LINT_VERSION)
GOLANGCI_LINT         := $(GOLANGCI_LINT_DIR)/golangci-lint

# `go install module@version` builds it as its own main module, with its own pinned go.sum.
$(GOLANGCI_LINT):
	GOBIN=$(GOLANGCI_LINT_DIR) GOFLAGS=-buildvcs=false $(GO) install github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$(GOLANGCI_LINT_VERSION)

.PHONY: lint
lint: $(GOLANGCI_LINT) ## golangci-lint v2.15.0 (.golangci.yml) on the whole module.
	$(GOLANGCI_LINT) config verify
	$(GOLANGCI_LINT) run ./...
