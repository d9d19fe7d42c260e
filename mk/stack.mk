# The local stack's verbs (docker-compose.yml, Dockerfile, terraform/). Included by the Makefile.

COMPOSE         ?= docker compose
COMPOSE_PROD    := -f docker-compose.yml -f docker-compose.prod.yml
COMPOSE_OFFLINE := -f docker-compose.yml -f .ci/compose.offline.yml
TOOLS_CACHE     ?= $(HOME)/.cache/objects-api
# The host's terraform, else the last release `go install` accepts (enough for `fmt`).
TERRAFORM       ?= $(or $(shell command -v terraform 2>/dev/null),$(TOOLS_CACHE)/bin/terraform)

.PHONY: up down logs smoke up-prod up-offline stack-test terraform-fmt

up: ## Build and start the stack (DynamoDB Local, table job, API on :8080); waits until healthy.
	$(COMPOSE) up --build -d --wait

down: ## Stop the stack and delete its volumes (data is in memory anyway).
	$(COMPOSE) down -v --remove-orphans

logs: ## Follow the stack's logs.
	$(COMPOSE) logs -f

BASE ?= http://localhost:8080
smoke: ## The README's curl flow against a running API (BASE=http://localhost:8080).
	scripts/smoke.sh $(BASE)

up-prod: ## The stack with the prod image (scratch, UID 65532, read-only) instead of air.
	$(COMPOSE) $(COMPOSE_PROD) up --build -d --wait

up-offline: ## The stack with no registry at all: local stand-in images (Linux, root; see README).
	.ci/seed-images.sh
	$(COMPOSE) $(COMPOSE_OFFLINE) up --build -d --wait

stack-test: ## Stack test: up, curl flow, hot reload, restarts, clean tree, prod image (needs Docker).
	scripts/stack-test.sh

terraform-fmt: $(TERRAFORM) ## terraform fmt -check on terraform/.
	$(TERRAFORM) fmt -check -recursive -diff terraform

$(TOOLS_CACHE)/bin/terraform:
	GOBIN=$(TOOLS_CACHE)/bin $(GO) install github.com/hashicorp/terraform@v1.5.7

test: terraform-fmt stack-test
