# ttx: the two commands a new machine needs are `make run` and `make test`.
GO       ?= go
# FUZZTIME empty: each target runs the count of executions FUZZ_TARGETS gives it (about 10 s
# each here). A count, not a duration: go1.26's fuzz coordinator can fail a timed run at its
# deadline with "context deadline exceeded" and no crasher (golang/go#75804, fixed in go1.27).
# `make fuzz FUZZTIME=1m` runs each target for a duration instead.
FUZZTIME ?=
BIN      := bin/ttx

.PHONY: run build test vet fuzz bench soak clean

run: build
	./$(BIN) serve

build:
	$(GO) build -o $(BIN) ./cmd/ttx

vet:
	$(GO) vet ./...
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt would change: $$unformatted"; exit 1; fi

test: vet
	$(GO) test -race -count=1 ./...
	$(MAKE) fuzz

# Each fuzz target runs for its count of executions (or FUZZTIME); a crasher is kept under the
# package's testdata/fuzz.
FUZZ_TARGETS := ./scenarios:FuzzLoad:5000x ./scenarios:FuzzWhen:20000x ./scenarios:FuzzFormat:60000x \
  ./scenarios/msel:FuzzImportCSV:3000x ./web:FuzzDecodeClientMessage:20000x
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; budget=$${rest#*:}; \
	  budget=$${FUZZTIME:-$$budget}; \
	  echo "fuzz $$pkg $$name for $$budget"; \
	  $(GO) test -run '^$$' -fuzz "^$$name$$" -fuzztime $$budget $$pkg; \
	done

# make bench: the benchmark driver's table (figures, same-run baselines, ratios), then the
# hot-path Go benchmarks of every package, briefly. docs/performance.md explains the figures.
BENCHTIME ?= 200ms
TTXBENCH_FLAGS ?=
bench:
	$(GO) run ./cmd/ttxbench $(TTXBENCH_FLAGS)
	$(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./...

# A long exercise at high speed with hundreds of clients that drop and reconnect (cmd/ttxsoak).
SOAK_DURATION ?= 2m
SOAK_CLIENTS  ?= 300
SOAK_FLAGS    ?=
soak:
	$(GO) run ./cmd/ttxsoak -duration $(SOAK_DURATION) -clients $(SOAK_CLIENTS) $(SOAK_FLAGS)

clean:
	rm -rf bin
