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

# Which stack the verbs run is chosen here, the compose way, and nowhere else: COMPOSE_FILE (the
# compose files merged, in order), COMPOSE_PROFILES and COMPOSE_ENV_FILES (image variables) are
# exported to every verb; `docker compose` honours them itself, and the scripts, the Tiltfile and
# the devcontainer read them. Two switches, on the command line or in the environment:
#   OFFLINE=1  stand-in images (offline/images.env) and the offline table job (offline/README.md)
#   PERSIST=1  DynamoDB Local keeps its data in a volume (docs/TOOLS.md)
# The same for your own shell, `tilt up` or `docker compose`: eval "$$(make -s compose-env OFFLINE=1)"
COMPOSE_FILE ?= $(CURDIR)/docker-compose.yml
# with_compose_file F: COMPOSE_FILE with F merged last, unless it is there (a sub-make inherits it).
with_compose_file = $(if $(filter $(1),$(subst :, ,$(COMPOSE_FILE))),$(COMPOSE_FILE),$(COMPOSE_FILE):$(1))
ifeq ($(OFFLINE),1)
COMPOSE_FILE := $(call with_compose_file,$(CURDIR)/offline/compose.yml)
export COMPOSE_ENV_FILES := $(CURDIR)/offline/images.env
# What every stack verb needs first: the stand-ins, and the table job's binary.
STACK_IMAGES := offline-images
endif
ifeq ($(PERSIST),1)
COMPOSE_FILE := $(call with_compose_file,$(CURDIR)/docker-compose.persist.yml)
endif
export COMPOSE_FILE

# The version the API binary reports (GET /, the startup log): `make build`, and the prod image of
# `make up-prod` (the Dockerfile's VERSION build argument).
VERSION ?= $(shell git describe --always --dirty 2>/dev/null)

# What `make check` runs, in this order, stopping at the first failure; each entry is a make
# target and each suite appears once. Cheapest first: Go checks, static checks, Docker suites.
CHECK_STEPS := \
	vet lint vulncheck secrets test-race fuzz bench-smoke \
	terraform-fmt actionlint compose-config \
	stack-test persistence-test browser-test debug-test devcontainer-test

.PHONY: help
help: ## List the verbs.
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(DYNALITE_BIN): $(DYNALITE_DIR)/package-lock.json
	npm ci --prefix $(DYNALITE_DIR) --no-audit --no-fund
	@touch $@

.PHONY: deps build vet test-short test-race fuzz test check offline-images compose-env

deps: $(DYNALITE_BIN) ## Install the Go modules and the pinned test backend (dynalite).
	$(GO) mod download

build: ## Build the API binary into bin/api.
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags "-X github.com/acme/objects-api/src/httpapi.BuildVersion=$(VERSION)" -o bin/api ./src/cmd/api

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

offline-images: ## Build the offline mode's stand-in images and its table job's binary (Linux, root; offline/README.md).
	offline/build-images.sh
	CGO_ENABLED=0 $(GO) build -o bin/objects-data ./src/cmd/objects-data

compose-env: ## Print the stack's compose variables as shell exports (eval "$$(make -s compose-env OFFLINE=1)").
	@for v in COMPOSE_FILE COMPOSE_PROFILES COMPOSE_ENV_FILES; do \
	  [ -n "$${!v:-}" ] && printf 'export %s=%q\n' "$$v" "$${!v}"; \
	done; true

include $(wildcard mk/*.mk)
