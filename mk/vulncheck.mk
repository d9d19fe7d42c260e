# `make vulncheck`: govulncheck on every binary we ship, offline, against a pinned copy of the Go
# vulnerability database. Both pins live in tools/vulncheck/go.mod: govulncheck, and the database
# module golang.org/x/vulndb, whose data/osv/ holds every OSV entry and whose cmd/indexdb (the Go
# team's indexer) lays them out as govulncheck's index/ + ID/ database. The hosted workflow passes
# VULNCHECK_DB=https://vuln.go.dev, so advisories newer than the pin still fail a pull request.

VULNCHECK_DIR    ?= $(HOME)/.cache/objects-api/vulncheck
VULNCHECK_DB     ?=
SHIPPED_BINARIES := ./src/cmd/api ./src/cmd/objects-data

.PHONY: vulncheck vulndb-update

# The tools are built with the project's Go (GOTOOLCHAIN, Makefile): govulncheck type-checks with
# the Go it was built with, and that toolchain's go must come first on PATH for the packages it
# loads. Rebuilt every time (the build cache makes it quick), so never stale.
vulncheck: ## govulncheck (pinned) on the binaries we ship against the pinned Go vulnerability database; fails on a reachable vulnerability.
	@set -euo pipefail; \
	bin=$(VULNCHECK_DIR)/bin; mkdir -p "$$bin"; \
	$(GO) -C tools/vulncheck build -o "$$bin/" tool; \
	db="$(VULNCHECK_DB)"; \
	if [ -z "$$db" ]; then \
	  $(GO) -C tools/vulncheck mod download golang.org/x/vulndb; \
	  read -r version date dir < <($(GO) -C tools/vulncheck list -m -f '{{.Version}} {{.Time.Format "2006-01-02T15:04:05Z"}} {{.Dir}}' golang.org/x/vulndb); \
	  db=$(VULNCHECK_DIR)/db-$$version; \
	  if [ ! -s "$$db/index/db.json" ]; then \
	    rm -rf "$$db.tmp"; "$$bin/indexdb" -vulns "$$dir/data/osv" -out "$$db.tmp"; \
	    : "The repository's entries carry no modification time (they are stamped when published):"; \
	    : "the database is as of the pinned commit."; \
	    rm -f "$$db.tmp"/index/*.gz; printf '{"modified":"%s"}' "$$date" > "$$db.tmp/index/db.json"; \
	    mv "$$db.tmp" "$$db"; \
	  fi; \
	  echo "vulncheck: Go vulnerability database golang.org/x/vulndb $$version, as of $$date"; \
	  db=file://$$db; \
	fi; \
	echo "vulncheck: $$("$$bin/govulncheck" -version | grep -m1 -E '^Scanner') with $$($(GO) env GOVERSION), on $(SHIPPED_BINARIES)"; \
	PATH="$$($(GO) env GOROOT)/bin:$$PATH" "$$bin/govulncheck" -db "$$db" $(SHIPPED_BINARIES)

vulndb-update: ## Move the vulnerability database and govulncheck pins (tools/vulncheck/go.mod) to the newest the module proxy serves.
	$(GO) -C tools/vulncheck get golang.org/x/vulndb@latest golang.org/x/vuln@latest
	$(GO) -C tools/vulncheck mod tidy
	@$(GO) -C tools/vulncheck list -m -f '{{.Path}} {{.Version}} ({{.Time.Format "2006-01-02"}})' golang.org/x/vuln golang.org/x/vulndb
