# Thin wrapper around CMake. The two set-up commands are `make demo` and
# `make check`; both run the bootstrap first, so a fresh Debian machine needs
# nothing else.
BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all bootstrap build demo check test asan bench install clean fuzz-build fuzz fuzz-smoke

all: build

bootstrap:
	@sh scripts/bootstrap.sh

build: bootstrap
	@cmake -S . -B $(BUILD) -DPH_WERROR=ON $(CMAKE_ARGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS) -- --no-print-directory

demo: build
	@sh scripts/demo.sh $(BUILD)/puhui

test: build
	ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

asan: bootstrap
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DPH_WERROR=ON -DPH_SANITIZE=ON \
		-DPH_BUILD_BENCH=OFF $(CMAKE_ARGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS) -- --no-print-directory
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS)

# Every test, then the same suite under AddressSanitizer + UBSan, then the
# fuzz targets over their seeds and briefly beyond.
check: test asan
check: fuzz-smoke

# libFuzzer targets (tests/fuzz, docs/fuzzing.md): clang, the library under
# ASan + UBSan. `make fuzz` runs each FUZZ_SECONDS (600); findings go to
# build-fuzz/findings/<target>/. `make fuzz-smoke` runs the committed seeds,
# then FUZZ_SMOKE_SECONDS (30) each, and fails on any finding.
fuzz-build: bootstrap
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DPH_FUZZ=ON -DPH_WERROR=ON \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_ARGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS) -- --no-print-directory

fuzz: fuzz-build
	@FUZZ_BUILD=$(abspath $(FUZZ_BUILD)) sh scripts/fuzz.sh run

fuzz-smoke: fuzz-build
	@FUZZ_BUILD=$(abspath $(FUZZ_BUILD)) sh scripts/fuzz.sh smoke

bench: build
	@sh scripts/bench.sh $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
