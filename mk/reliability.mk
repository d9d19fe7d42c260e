# Reliability: bad input (fuzzing), limits, backend faults, leaks and lost writes, proven by
# tests that also write docs/RELIABILITY.md (src/internal/reliability/mkreport renders it from
# `go test -json`). The seed corpora and the short fault runs are ordinary `go test` and run in
# test-go; `make reliability` runs them again for the report. Under CI=true (or
# RELIABILITY_LONG=1) the loads are larger, the 30 s ReadTimeout check runs, and each fuzz
# target is fuzzed for FUZZTIME.

RELIABILITY_LONG ?= $(if $(filter true,$(CI)),1,0)
FUZZTIME         ?= 30s
FUZZ_TARGETS     := FuzzParseID FuzzRoutes FuzzRawRequest
# go test -json streams (repository-local tmp/, ignored by git).
RELIABILITY_OUT  ?= tmp/reliability
# The httpapi tests that log observations (the package's other tests run in test-go).
RELIABILITY_HTTPAPI_TESTS := ^(Fuzz.*|TestLimits|TestUnknownMethods|TestMalformedRequestsNotEchoed|TestUnknownQueryParameters)$$

.PHONY: reliability fuzz

reliability: deps ## Fault/limit/fuzz-corpus tests (+ fuzzing when CI=true), then docs/RELIABILITY.md from the run.
	@rm -rf $(RELIABILITY_OUT) && mkdir -p $(RELIABILITY_OUT)
	@rc=0; \
	export RELIABILITY_LONG=$(RELIABILITY_LONG); \
	echo "reliability: go test ./src/httpapi (observations) and ./src/internal/reliability/... (RELIABILITY_LONG=$(RELIABILITY_LONG))"; \
	$(GO) test -json -count=1 -timeout 10m -run '$(RELIABILITY_HTTPAPI_TESTS)' ./src/httpapi/ > $(RELIABILITY_OUT)/httpapi.json || rc=1; \
	$(GO) test -json -count=1 -timeout 20m ./src/internal/reliability/... > $(RELIABILITY_OUT)/reliability.json || rc=1; \
	if [ "$(RELIABILITY_LONG)" = 1 ]; then \
	  for target in $(FUZZ_TARGETS); do \
	    echo "reliability: fuzzing $$target for $(FUZZTIME)"; \
	    $(GO) test -json -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) ./src/httpapi/ > $(RELIABILITY_OUT)/fuzz-$$target.json || rc=1; \
	  done; \
	fi; \
	$(GO) run ./src/internal/reliability/mkreport -o docs/RELIABILITY.md \
	  -commit "$$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" $(if $(filter 1,$(RELIABILITY_LONG)),-long) \
	  $(RELIABILITY_OUT)/*.json || rc=1; \
	if [ $$rc != 0 ]; then \
	  echo "reliability: FAILED; failing tests:"; \
	  grep -h '"Action":"fail"' $(RELIABILITY_OUT)/*.json | grep -o '"Test":"[^"]*"' | sort -u || true; \
	  echo "reliability: full logs in $(RELIABILITY_OUT)/*.json (go test -json)"; \
	fi; \
	exit $$rc

fuzz: deps ## Fuzz each target for FUZZTIME (default 30s); a failing input lands in src/httpapi/testdata/fuzz.
	@for target in $(FUZZ_TARGETS); do \
	  echo "fuzz: $$target for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) ./src/httpapi/ || exit 1; \
	done

test: reliability
