# Thin entry points; the work is in scripts/ and CMake.
#   make run        install what is missing, build, start the demo (https://127.0.0.1:8443)
#   make test       install what is missing, build, run every test
#   make test-asan  the same test suite under AddressSanitizer + UndefinedBehaviorSanitizer
#   make check-thread-safety  build with clang -Wthread-safety (checks SR_GUARDED_BY annotations)
#   make bench      benchmarks (results go in BENCHMARKS.md)
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
CLANG_DIR ?= build-clang
BENCH_DIR ?= build-bench
JOBS ?= 2
DEMO_DIR ?= strongroom-demo
CMAKE_FLAGS ?=

.PHONY: all deps build run test test-asan check-thread-safety bench clean

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

bench:
	@scripts/install-deps.sh build bench
	@cmake -S . -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSTRONGROOM_BENCH=ON >/dev/null
	@ninja -C $(BENCH_DIR) -j$(JOBS)
	@bench/run.sh $(BENCH_DIR)

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(CLANG_DIR) $(BENCH_DIR)
