# Developer tools around the stack (docs/TOOLS.md): seed, export and import the table
# (src/cmd/objects-data), the table browser (compose profile `tools`), opt-in persistence
# (PERSIST=1, docker-compose.persist.yml). Included by the Makefile.

.PHONY: seed export import tools-up browser-test persistence-test

N ?= 1000

seed: ## Write N random objects (N=1000) into the running stack's table.
	scripts/data.sh seed -n $(N)

export: ## Write every object of the running stack's table to FILE, as GET /objects answers.
	@test -n "$(FILE)" || { echo "make export: say where, e.g. make export FILE=objects.json" >&2; exit 2; }
	scripts/data.sh export $(FILE)

import: ## Load FILE (from make export or GET /objects) into the running stack's table; idempotent. VERBATIM=1: ids and ts as they are.
	@test -n "$(FILE)" || { echo "make import: say which file, e.g. make import FILE=objects.json" >&2; exit 2; }
	scripts/data.sh import $(if $(VERBATIM),-verbatim) $(FILE)

tools-up: $(STACK_IMAGES) ## The stack plus the table browser, dynamodb-admin, on http://localhost:8001.
	COMPOSE_PROFILES=tools scripts/compose.sh up --build -d --wait
	@$(API_URL_HINT)
	@echo "The table browser: http://localhost:$(or $(DYNAMODB_ADMIN_PORT),8001)/tables/objects"

browser-test: $(STACK_IMAGES) ## Table browser test: tools profile up, seed, headless Chromium finds the ids (needs Docker).
	scripts/browser-test.sh

persistence-test: $(STACK_IMAGES) ## Persistence test: PERSIST=1 up, seed, restart, down/up keep the data (needs Docker).
	scripts/persistence-test.sh
