# The debugger: the API under Delve (docker-compose.debug.yml); attach with .vscode/launch.json.
# Included by the Makefile; both verbs honour OFFLINE=1 through scripts/compose.sh.

.PHONY: up-debug debug-test

up-debug: $(OFFLINE_IMAGES) ## The stack with the API under Delve on 127.0.0.1:2345 (DEBUG_PORT); air still reloads.
	scripts/compose.sh --debug up --build -d --wait

debug-test: $(OFFLINE_IMAGES) ## Debugger test: a DAP client breaks in GET /object/:id, reads the id, continues (needs Docker).
	scripts/debug-test.sh
