# `make bench`: the API measured against the DynamoDB backend's own ceiling in one run
# (docs/BENCHMARKS.md). Not a check (shared machines are too noisy for timing targets), but
# `make check` runs the same harness with tiny phases (bench-smoke) so that it cannot rot.

# Where result.json and the API and dynalite logs go: ignored by git.
BENCH_OUT ?= tmp/bench

.PHONY: bench bench-smoke bench-micro

bench: deps ## Load-test the API vs direct DynamoDB calls on a fresh dynalite (~2 min): one table + $(BENCH_OUT)/result.json.
	$(GO) run ./src/cmd/bench -out $(BENCH_OUT)

bench-smoke: deps ## The bench harness with tiny phases (seconds); fails on any error or incomplete phase.
	$(GO) run ./src/cmd/bench -smoke -out $(BENCH_OUT)-smoke

bench-micro: deps ## Go microbenchmarks (handlers, list encoding, store), 6 counts for benchstat.
	@mkdir -p $(dir $(BENCH_OUT))
	$(GO) test -run '^$$' -bench . -benchmem -count 6 ./src/httpapi ./src/store | tee $(BENCH_OUT)-micro.txt
