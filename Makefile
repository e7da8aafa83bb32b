# isms: the front door.  `make run` and `make test` are all a new user
# needs; both install what is missing first (tools/deps.sh).
#
#   make run     build (release), create var/isms.db with the reference
#                agency if it does not exist, serve on 127.0.0.1:8080
#   make test    build with ASan + UBSan and run every test through ctest
#   make bench   build (release) and print the benchmark figures
#   make bench-mask  only the masking bench (accuracy, speed, ripgrep)
#   make fuzz    build the libFuzzer targets and run each for FUZZ_SECONDS
#   make check   formatting and the banned-function / output lints
#   make clean   remove build/ (var/ and its database are kept)

DB ?= var/isms.db
LISTEN ?= 127.0.0.1:8080
FUZZ_SECONDS ?= 60
JOBS ?= 2

.PHONY: run test bench bench-mask fuzz check build clean deps-build deps-test e2e-deps

run: deps-build
	@cmake --preset release >/dev/null
	@cmake --build --preset release
	@mkdir -p $(dir $(DB))
	@test -f $(DB) || ./build/release/isms init --db $(DB) --demo
	@./build/release/isms serve --db $(DB) --listen $(LISTEN)

build: deps-build
	@cmake --preset release >/dev/null
	@cmake --build --preset release

test: deps-test e2e-deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan
	@ctest --preset asan -j $(JOBS)

bench: deps-test
	@cmake --preset release >/dev/null
	@cmake --build --preset release
	@python3 bench/bench.py --bin build/release/isms
	@python3 bench/mask.py --build build/release

bench-mask: deps-test
	@cmake --preset release >/dev/null
	@cmake --build --preset release
	@python3 bench/mask.py --build build/release

fuzz: deps-test
	@cmake --preset fuzz >/dev/null
	@cmake --build --preset fuzz
	@# New inputs go to build/fuzz/corpus/<target>; the seeds in
	@# tests/fuzz/corpus stay as committed (merge finds in with -merge=1).
	@for t in build/fuzz/tests/fuzz/fuzz_*; do \
	  n=$$(basename $$t | sed 's/^fuzz_//'); \
	  echo "== $$n"; \
	  mkdir -p build/fuzz/corpus/$$n; \
	  $$t -max_total_time=$(FUZZ_SECONDS) -dict=tests/fuzz/$$n.dict \
	    build/fuzz/corpus/$$n tests/fuzz/corpus/$$n || exit 1; \
	done

check: deps-test
	@tools/checkformat.sh
	@tools/checkbanned.sh
	@tools/checkoutput.sh

e2e-deps:
	@cd tests/e2e && { test -d node_modules/playwright-core || \
	  npm ci --no-audit --no-fund --silent; }

deps-build:
	@tools/deps.sh build

deps-test:
	@tools/deps.sh test

clean:
	rm -rf build
