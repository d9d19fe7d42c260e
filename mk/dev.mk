# Tilt and the VS Code devcontainer: two more ways to run docker-compose.yml (see README). Both run
# the stack the Makefile chose (COMPOSE_FILE, COMPOSE_PROFILES, COMPOSE_ENV_FILES).

DEVCONTAINER_DIR := tools/devcontainer
DEVCONTAINER_CLI := $(DEVCONTAINER_DIR)/node_modules/.bin/devcontainer

# The workspace's user (devcontainer.json's remoteUser): root when the checkout belongs to root
# (Docker and the clone as root), as no other user could write it or run git in it; else the
# image's `vscode`, which the CLI gives the host user's UID. A value in the environment wins.
ifndef DEVCONTAINER_USER
DEVCONTAINER_USER := $(if $(shell find . -maxdepth 0 -user 0),root,vscode)
endif
export DEVCONTAINER_USER

# `make tilt-ci`'s bound on the whole run (tilt ci --timeout): the stack up and every resource ready.
TILT_CI_TIMEOUT ?= 15m

$(DEVCONTAINER_CLI): $(DEVCONTAINER_DIR)/package-lock.json
	npm ci --prefix $(DEVCONTAINER_DIR) --no-audit --no-fund
	@touch $@

.PHONY: tilt-up tilt-down tilt-ci devcontainer-up devcontainer-down devcontainer-shell devcontainer-test

tilt-up: $(STACK_IMAGES) ## Run the stack under Tilt: UI on http://localhost:10350, API on :8080, hot reload by air.
	tilt up

tilt-down: ## Stop and remove Tilt's stack, volumes included (the table job then starts afresh).
	tilt down --delete-volumes

tilt-ci: $(STACK_IMAGES) ## Tilt in batch mode: the stack up, every resource ready, exit (non-zero on a failure or after TILT_CI_TIMEOUT).
	tilt ci --timeout $(TILT_CI_TIMEOUT)

devcontainer-up: $(DEVCONTAINER_CLI) $(STACK_IMAGES) ## Start the devcontainer from a terminal (what "Reopen in Container" starts).
	scripts/devcontainer.sh up

devcontainer-shell: $(DEVCONTAINER_CLI) ## A bash in the running devcontainer's workspace, as the user of VS Code's terminal.
	scripts/devcontainer.sh shell

devcontainer-down: $(DEVCONTAINER_CLI) ## Remove the devcontainer's stack but keep the workspace's Go caches (VOLUMES=1: those too).
	VOLUMES=$(VOLUMES) scripts/devcontainer.sh down

devcontainer-test: $(DEVCONTAINER_CLI) $(STACK_IMAGES) ## Devcontainer end to end: up, go test + curl + hot reload inside, down (needs Docker).
	scripts/devcontainer-test.sh
