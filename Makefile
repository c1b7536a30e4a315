# Thin wrapper around CMake. The two set-up commands are `make demo` and
# `make check`; both run the bootstrap first, so a fresh Debian machine needs
# nothing else.
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all bootstrap build demo check test asan bench install clean

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

# Every test, then the same suite under AddressSanitizer + UBSan.
check: test asan

bench: build
	@sh scripts/bench.sh $(BUILD)

install: build
	cmake --install $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
