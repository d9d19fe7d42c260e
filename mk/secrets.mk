# `make secrets`: gitleaks (pinned in tools/gitleaks/go.mod) with its default rules (AWS key ids,
# private keys, generic high-entropy secrets...) on every file git would commit: the tracked files
# as they are in the working tree plus untracked ones not ignored. The local stack's credentials are
# the obvious dummies localkey/localsecret, which no rule matches, so there is no .gitleaks.toml.

SECRETS_DIR ?= $(HOME)/.cache/objects-api/secrets

.PHONY: secrets

secrets: ## gitleaks (pinned) on every file git would commit; fails on anything that looks like a secret.
	@set -euo pipefail; \
	$(GO) -C tools/gitleaks build -o "$(SECRETS_DIR)/bin/" tool; \
	tree=$$(mktemp -d); trap 'rm -rf "$$tree"' EXIT; \
	git ls-files -z -co --exclude-standard | tar --null -T - --ignore-failed-read -cf - 2>/dev/null | tar -xf - -C "$$tree"; \
	echo "secrets: gitleaks $$($(GO) -C tools/gitleaks list -m -f '{{.Version}}' github.com/zricethezav/gitleaks/v8) on $$(find "$$tree" -type f | wc -l) files"; \
	"$(SECRETS_DIR)/bin/gitleaks" dir "$$tree" --no-banner --redact --verbose --exit-code 1
