# Tilt and the VS Code devcontainer: two more ways to run docker-compose.yml (see README).

DEVCONTAINER_DIR := tools/devcontainer
DEVCONTAINER_CLI := $(DEVCONTAINER_DIR)/node_modules/.bin/devcontainer
# Compose files merged after the devcontainer's own in devcontainer-test. Under CI=true: CI's
# stand-in for the terraform job, whose provider cannot be downloaded there (.ci/compose.offline.yml).
DEVCONTAINER_EXTRA_COMPOSE_FILES ?= $(if $(filter true,$(CI)),.ci/compose.offline.yml)

$(DEVCONTAINER_CLI): $(DEVCONTAINER_DIR)/package-lock.json
	npm ci --prefix $(DEVCONTAINER_DIR) --no-audit --no-fund
	@touch $@

.PHONY: tilt-up tilt-down devcontainer-up devcontainer-down devcontainer-test

tilt-up: ## Run the stack under Tilt: UI on http://localhost:10350, API on :8080, hot reload by air.
	tilt up

tilt-down: ## Stop and remove Tilt's stack, volumes included (the table job then starts afresh).
	tilt down --delete-volumes

devcontainer-up: $(DEVCONTAINER_CLI) ## Start the devcontainer from a terminal (what "Reopen in Container" starts).
	$(DEVCONTAINER_CLI) up --workspace-folder .

# The workspace's Go cache volumes are kept (the next workspace starts warm); VOLUMES=1 drops
# them and every other volume of the stack.
devcontainer-down: ## Remove the devcontainer's stack; its volumes too with VOLUMES=1.
	docker compose -f docker-compose.yml -f .devcontainer/compose.devcontainer.yml down --remove-orphans $(if $(filter 1,$(VOLUMES)),--volumes)

devcontainer-test: ## Devcontainer end to end: up, go test + curl + hot reload inside, down (needs Docker).
	DEVCONTAINER_EXTRA_COMPOSE_FILES="$(DEVCONTAINER_EXTRA_COMPOSE_FILES)" scripts/devcontainer-test.sh

test: devcontainer-test
