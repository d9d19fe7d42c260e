# The debugger: the API under Delve (docker-compose.debug.yml); attach with .vscode/launch.json.
# Included by the Makefile.

.PHONY: up-debug debug-test

up-debug: COMPOSE_FILE := $(call with_compose_file,$(CURDIR)/docker-compose.debug.yml)
up-debug: $(STACK_IMAGES) ## The stack with the API under Delve on 127.0.0.1:2345 (DEBUG_PORT); air still reloads.
	scripts/compose.sh up --build -d --wait
	@$(API_URL_HINT)
	@echo "Delve listens on 127.0.0.1:$(or $(DEBUG_PORT),2345): VS Code's Attach to the API (host), or dlv connect 127.0.0.1:$(or $(DEBUG_PORT),2345)"

debug-test: $(STACK_IMAGES) ## Debugger test: a DAP client breaks in GET /object/:id, reads the id, continues (needs Docker).
	scripts/debug-test.sh
