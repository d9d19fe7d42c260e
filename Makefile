# The verbs a person types. `make help` lists them. Two test verbs:
#   make test    the developer's fast loop: vet, go test -short, lint (no Docker)
#   make check   everything CI proves: CHECK_STEPS below, in order, each suite once
# Stack, Tilt, devcontainer, lint and bench verbs live in mk/*.mk, included below.

SHELL := /bin/bash
.DEFAULT_GOAL := help

GO            ?= go
# go.mod's `go` line is the project's Go. Every go command here runs that toolchain, the tools
# built with `go install` included (golangci-lint and govulncheck type-check with the Go they were
# built with): a machine whose own Go is older, or that sets GOTOOLCHAIN=local, gets it from the
# module proxy (cached after the first time), as Go's default `auto` would.
GO_VERSION    := $(shell sed -n 's/^go //p' go.mod)
export GOTOOLCHAIN := go$(GO_VERSION)
DYNALITE_DIR  := tools/dynalite
DYNALITE_BIN  := $(DYNALITE_DIR)/node_modules/.bin/dynalite
# Used by the Go test harness to start the test backend.
export DYNALITE_BIN := $(abspath $(DYNALITE_BIN))

# The offline switch (docs/OFFLINE.md): OFFLINE=1, on the command line or in the environment, makes
# every verb use the stand-in images of offline/images.env (built by offline/build-images.sh) and
# the offline table job (offline/compose.yml) instead of anything a registry serves.
OFFLINE ?=
export OFFLINE
ifeq ($(OFFLINE),1)
include offline/images.env
export DYNAMODB_LOCAL_IMAGE TERRAFORM_IMAGE GOLANG_IMAGE DYNAMODB_ADMIN_IMAGE OFFLINE_DEBIAN_IMAGE
OFFLINE_IMAGES := offline-images
endif

# What `make check` runs, in this order, stopping at the first failure; each entry is a make
# target and each suite appears once. Cheapest first: Go checks, static checks, Docker suites.
CHECK_STEPS := \
	vet lint vulncheck secrets test-race fuzz bench-smoke \
	terraform-fmt actionlint \
	stack-test persistence-test browser-test debug-test devcontainer-test

.PHONY: help
help: ## List the verbs.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(DYNALITE_BIN): $(DYNALITE_DIR)/package-lock.json
	npm ci --prefix $(DYNALITE_DIR) --no-audit --no-fund
	@touch $@

.PHONY: deps build vet test-short test-race fuzz test check offline-images

deps: $(DYNALITE_BIN) ## Install the Go modules and the pinned test backend (dynalite).
	$(GO) mod download

build: ## Build the API binary into bin/api.
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-X github.com/acme/objects-api/src/httpapi.BuildVersion=$$(git describe --always --dirty 2>/dev/null)" -o bin/api ./src/cmd/api

vet: deps ## go vet on the whole module.
	$(GO) vet ./...

test-short: deps ## go test -short ./...: every package, long tests skipped (results cached by go).
	$(GO) test -short ./...

test-race: deps ## go test -race ./...: every test, long ones included, never cached.
	$(GO) test -race -count=1 ./...

FUZZTIME     ?= 20s
# package:target, each package under src/
FUZZ_TARGETS := httpapi:FuzzParseID httpapi:FuzzRoutes http1:FuzzRawRequest object:FuzzAppendJSON
fuzz: deps ## Fuzz each target for FUZZTIME (20s); a failing input lands in its package's testdata/fuzz.
	@for pt in $(FUZZ_TARGETS); do \
	  pkg=$${pt%%:*}; target=$${pt#*:}; \
	  echo "fuzz: $$target in src/$$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) ./src/$$pkg/ || exit 1; \
	done

test: vet test-short lint ## The fast loop: vet, go test -short ./..., lint (no Docker needed).

check: deps ## Everything CI proves: the CHECK_STEPS in order, stopping at the first failure; prints each step's time.
	@done_steps=(); for step in $(CHECK_STEPS); do \
	  t0=$$SECONDS; echo "::: check: $$step"; \
	  if ! $(MAKE) --no-print-directory $$step; then \
	    printf '::: check: %s\n' "$${done_steps[@]}"; \
	    echo "::: check: FAILED at $$step after $$((SECONDS - t0))s; later steps not run"; exit 1; \
	  fi; \
	  done_steps+=("$$(printf '%-18s %4ds' $$step $$((SECONDS - t0)))"); \
	done; \
	printf '::: check: %s\n' "$${done_steps[@]}"; echo "::: check: all $${#done_steps[@]} steps passed"

offline-images: ## Build the offline mode's stand-in images (Linux, root; see docs/OFFLINE.md).
	offline/build-images.sh

include $(wildcard mk/*.mk)
