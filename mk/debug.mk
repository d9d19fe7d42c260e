# The debugger: the API under Delve (docker-compose.debug.yml), attach with .vscode/launch.json.
# Included by the Makefile.

COMPOSE_DEBUG := -f docker-compose.yml -f docker-compose.debug.yml

.PHONY: up-debug debug-test

up-debug: ## The stack with the API under Delve on 127.0.0.1:2345 (air still reloads); attach: README.
	$(COMPOSE) $(COMPOSE_DEBUG) up --build -d --wait

debug-test: ## Debugger test: a DAP client breaks in GET /object/:id, reads the id, continues (needs Docker).
	scripts/debug-test.sh
