# Developer tools around the stack (docs/TOOLS.md): seed, export and import the table
# (src/cmd/objects-data), the table browser (compose profile `tools`), opt-in persistence
# (PERSIST=1, docker-compose.persist.yml). Included by the Makefile.

.PHONY: seed export import tools-up browser-test persistence-test

# The persistence switch: PERSIST=1 (command line or environment) makes scripts/compose.sh, and so
# every stack verb, merge docker-compose.persist.yml; `make tilt-up PERSIST=1` too.
PERSIST ?=
export PERSIST

# The stack's DynamoDB Local on the host, and the table, region and dummy keys docker-compose.yml
# gives the API (its x-* anchors are their one place). Override any on the command line, e.g.
# `make seed DDB_ENDPOINT_URL=http://127.0.0.1:18000`; the environment does not override them,
# so AWS credentials in your shell are never sent to the local stack by accident.
compose_anchor = $(shell sed -n 's/^x-$(1): &$(1) *//p' docker-compose.yml)
compose_credential = $(shell sed -n 's/^  $(1): *//p' docker-compose.yml | head -1)
seed export import: export DDB_ENDPOINT_URL = http://127.0.0.1:$(or $(DYNAMODB_PORT),8000)
seed export import: export DDB_TABLE_NAME = $(call compose_anchor,table-name)
seed export import: export DDB_HASH_KEY_NAME = $(call compose_anchor,hash-key-name)
seed export import: export AWS_REGION = $(call compose_anchor,region)
seed export import: export AWS_ACCESS_KEY_ID = $(call compose_credential,AWS_ACCESS_KEY_ID)
seed export import: export AWS_SECRET_ACCESS_KEY = $(call compose_credential,AWS_SECRET_ACCESS_KEY)

N ?= 1000
OBJECTS_DATA := bin/objects-data
# Rebuilt every time (go build's cache makes that quick), so it is never stale.
OBJECTS_DATA_BUILD = $(GO) build -o $(OBJECTS_DATA) ./src/cmd/objects-data

seed: ## Write N random objects (N=1000) into the running stack's table.
	@$(OBJECTS_DATA_BUILD)
	$(OBJECTS_DATA) seed -n $(N)

export: ## Write every object of the running stack's table to FILE, as GET /objects answers.
	@test -n "$(FILE)" || { echo "make export: say where, e.g. make export FILE=objects.json" >&2; exit 2; }
	@$(OBJECTS_DATA_BUILD)
	$(OBJECTS_DATA) export $(FILE)

import: ## Load FILE (from make export or GET /objects) into the running stack's table; idempotent. VERBATIM=1: ids and ts as they are.
	@test -n "$(FILE)" || { echo "make import: say which file, e.g. make import FILE=objects.json" >&2; exit 2; }
	@$(OBJECTS_DATA_BUILD)
	$(OBJECTS_DATA) import $(if $(VERBATIM),-verbatim) $(FILE)

tools-up: $(OFFLINE_IMAGES) ## The stack plus the table browser, dynamodb-admin, on http://localhost:8001.
	scripts/compose.sh --profile tools up --build -d --wait

browser-test: $(OFFLINE_IMAGES) ## Table browser test: tools profile up, seed, headless Chromium finds the ids (needs Docker).
	scripts/browser-test.sh

persistence-test: $(OFFLINE_IMAGES) ## Persistence test: PERSIST=1 up, seed, restart, down/up keep the data (needs Docker).
	scripts/persistence-test.sh
