# Tilt and the VS Code devcontainer: two more ways to run docker-compose.yml (see README). Both run
# the stack the Makefile chose (COMPOSE_FILE, COMPOSE_PROFILES, COMPOSE_ENV_FILES).

DEVCONTAINER_DIR := tools/devcontainer
DEVCONTAINER_CLI := $(DEVCONTAINER_DIR)/node_modules/.bin/devcontainer

$(DEVCONTAINER_CLI): $(DEVCONTAINER_DIR)/package-lock.json
	npm ci --prefix $(DEVCONTAINER_DIR) --no-audit --no-fund
	@touch $@

.PHONY: tilt-up tilt-down devcontainer-up devcontainer-down devcontainer-test

tilt-up: $(STACK_IMAGES) ## Run the stack under Tilt: UI on http://localhost:10350, API on :8080, hot reload by air.
	tilt up

tilt-down: ## Stop and remove Tilt's stack, volumes included (the table job then starts afresh).
	tilt down --delete-volumes

devcontainer-up: $(DEVCONTAINER_CLI) $(STACK_IMAGES) ## Start the devcontainer from a terminal (what "Reopen in Container" starts).
	scripts/devcontainer.sh up

devcontainer-down: $(DEVCONTAINER_CLI) ## Remove the devcontainer's stack but keep the workspace's Go caches (VOLUMES=1: those too).
	VOLUMES=$(VOLUMES) scripts/devcontainer.sh down

devcontainer-test: $(DEVCONTAINER_CLI) $(STACK_IMAGES) ## Devcontainer end to end: up, go test + curl + hot reload inside, down (needs Docker).
	scripts/devcontainer-test.sh
