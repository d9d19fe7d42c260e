# The verbs a person types. `make help` lists them.
# Stack, Tilt and devcontainer verbs live in mk/*.mk, included below.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GO            ?= go
DYNALITE_DIR  := tools/dynalite
DYNALITE_BIN  := $(DYNALITE_DIR)/node_modules/.bin/dynalite
# Used by the Go test harness to start the test backend (src/internal/dynalitetest).
export DYNALITE_BIN := $(abspath $(DYNALITE_BIN))

.PHONY: help
help: ## List the verbs.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

$(DYNALITE_BIN): $(DYNALITE_DIR)/package-lock.json
	npm ci --prefix $(DYNALITE_DIR) --no-audit --no-fund
	@touch $@

.PHONY: deps
deps: $(DYNALITE_BIN) ## Install the Go modules and the pinned test backend (dynalite).
	$(GO) mod download

.PHONY: build
build: ## Build the API binary into bin/api.
	CGO_ENABLED=0 $(GO) build -trimpath -o bin/api ./src/cmd/api

.PHONY: test-go
test-go: deps ## Go tests: handlers, store and the compiled binary against dynalite (or DDB_TEST_ENDPOINT).
	$(GO) vet ./...
	$(GO) test -count=1 -race ./...

.PHONY: test
test: test-go ## Everything CI runs: Go tests, then (from mk/*.mk) the stack and devcontainer tests.

include $(wildcard mk/*.mk)
