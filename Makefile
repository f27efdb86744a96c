# Thin entry points; the work is in scripts/ and CMake.
#   make run        install what is missing, build, start the demo (https://127.0.0.1:8443)
#   make test       install what is missing, build, run every test
#   make test-asan  the same test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make check-thread-safety  build with clang -Wthread-safety (checks SR_GUARDED_BY annotations)
#   make fuzz       run each libFuzzer harness for FUZZ_SECONDS (default 60) with clang
#   make bench      benchmarks (results go in BENCHMARKS.md)
#   make screenshots  render the web UI's main pages into docs/screenshots/
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
CLANG_DIR ?= build-clang
FUZZ_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
BENCH_DIR ?= build-bench
JOBS ?= 2
DEMO_DIR ?= strongroom-demo
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-asan check-thread-safety fuzz bench screenshots clean

all: build

deps:
	@scripts/install-deps.sh build test

build: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) >/dev/null
	@ninja -C $(BUILD_DIR) -j$(JOBS)

run: build
	@$(BUILD_DIR)/strongroom demo --data-dir $(DEMO_DIR)

test: build
	@python3 scripts/check_module_deps.py src/strongroom
	@cd $(BUILD_DIR) && ctest -j$(JOBS) --output-on-failure --timeout 600

test-asan: deps
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSTRONGROOM_SANITIZE=ON >/dev/null
	@ninja -C $(ASAN_DIR) -j$(JOBS)
	@cd $(ASAN_DIR) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest -j$(JOBS) --output-on-failure --timeout 1200

check-thread-safety: deps
	@CXX=clang++ cmake -S . -B $(CLANG_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug >/dev/null
	@ninja -C $(CLANG_DIR) -j$(JOBS) strongroom
	@echo "check-thread-safety: clang -Wthread-safety found no problem"

# New interesting inputs go to $(FUZZ_DIR)/corpus; failures to $(FUZZ_DIR)/artifacts. A failing
# input, once fixed, is added to tests/fuzz/corpus/<harness>/ so `make test` replays it forever.
fuzz:
	@scripts/install-deps.sh build fuzz
	@CXX=clang++ cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRONGROOM_FUZZ=ON >/dev/null
	@ninja -C $(FUZZ_DIR) -j$(JOBS) router_fuzz json_text_fuzz ciphertext_fuzz encoding_fuzz rfc3339_fuzz
	@mkdir -p $(FUZZ_DIR)/artifacts
	@for h in router_fuzz json_text_fuzz ciphertext_fuzz encoding_fuzz rfc3339_fuzz; do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$h; \
	  echo "fuzz: $$h for $(FUZZ_SECONDS) s"; \
	  $(FUZZ_DIR)/tests/fuzz/$$h -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/artifacts/$$h- $(FUZZ_DIR)/corpus/$$h tests/fuzz/corpus/$$h \
	    2>&1 | grep -E "^(stat::number_of_executed_units|stat::new_units_added)|ERROR|FUZZ_CHECK|SUMMARY" || exit 1; \
	done

bench:
	@scripts/install-deps.sh build bench
	@cmake -S . -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRONGROOM_BENCH=ON >/dev/null
	@ninja -C $(BENCH_DIR) -j$(JOBS)
	@bench/run.sh $(BENCH_DIR)

screenshots: build
	@cd web && STRONGROOM_BIN=$(abspath $(BUILD_DIR))/strongroom node tests/screenshots.mjs ../docs/screenshots

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(CLANG_DIR) $(FUZZ_DIR) $(BENCH_DIR)
