# The local stack's verbs (docker-compose.yml, Dockerfile, terraform/). Included by the Makefile.
# scripts/compose.sh is `docker compose` that explains a failed `up`; the Makefile chose the files.

TOOLS_CACHE     ?= $(HOME)/.cache/objects-api
# The host's terraform, else the last release `go install` accepts (enough for `fmt`).
TERRAFORM       ?= $(or $(shell command -v terraform 2>/dev/null),$(TOOLS_CACHE)/bin/terraform)

.PHONY: up down logs smoke up-prod stack-test terraform-fmt compose-config

# Where the API answers, once `up` has waited for it (docker-compose.yml publishes it there).
API_URL_HINT = echo "The API is up: curl http://127.0.0.1:$(or $(API_PORT),8080)/objects   (logs: docker compose logs -f api)"

up: $(STACK_IMAGES) ## Build and start the stack (DynamoDB Local, table job, API on :8080); waits until healthy.
	scripts/compose.sh up --build -d --wait
	@$(API_URL_HINT)

# With the persistence file always, so that a plain `make down` also deletes the data a PERSIST=1
# stack kept: the table job's state (terraform-data) never outlives the table it describes. With
# every profile, so that the table browser (`make tools-up`) stops with the rest.
down: COMPOSE_FILE := $(call with_compose_file,$(CURDIR)/docker-compose.persist.yml)
down: ## Stop the stack (table browser included) and delete its volumes; PERSIST=1 make down keeps them (the data and the table job's state).
	@echo "down: $(if $(filter 1,$(PERSIST)),keeping the volumes (PERSIST=1),deleting the volumes: DynamoDB Local's data and the table job's state)"
	@scripts/compose.sh --profile '*' down $(if $(filter 1,$(PERSIST)),,-v) --remove-orphans

logs: ## Follow the stack's logs.
	scripts/compose.sh logs -f

smoke: ## The README's curl flow against a running API (BASE=URL; default localhost on API_PORT, 8080).
	scripts/smoke.sh $(BASE)

up-prod: COMPOSE_FILE := $(call with_compose_file,$(CURDIR)/docker-compose.prod.yml)
up-prod: export VERSION := $(VERSION)
up-prod: $(STACK_IMAGES) ## The stack with the prod image (scratch, UID 65532, read-only) instead of air.
	scripts/compose.sh up --build -d --wait
	@$(API_URL_HINT)

stack-test: $(STACK_IMAGES) ## Stack test: up, curl flow, hot reload, restarts, clean tree, prod image (needs Docker).
	scripts/stack-test.sh

# Every variant a verb can merge, checked by compose itself: the files parse, merge and interpolate.
COMPOSE_VARIANTS := docker-compose.prod.yml docker-compose.debug.yml docker-compose.persist.yml .devcontainer/compose.devcontainer.yml
compose-config: ## docker compose config -q on the stack the Makefile chose, alone and with each variant file merged, every profile on.
	@for f in "" $(COMPOSE_VARIANTS); do \
	  echo "compose-config: $(notdir $(subst :, ,$(COMPOSE_FILE)))$${f:+ + $$f}"; \
	  COMPOSE_FILE="$(COMPOSE_FILE)$${f:+:$(CURDIR)/$$f}" docker compose --profile '*' config -q || exit 1; \
	done

terraform-fmt: $(TERRAFORM) ## terraform fmt -check on terraform/.
	$(TERRAFORM) fmt -check -recursive -diff terraform

$(TOOLS_CACHE)/bin/terraform:
	GOBIN=$(TOOLS_CACHE)/bin $(GO) install github.com/hashicorp/terraform@v1.5.7
