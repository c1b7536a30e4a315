# Thin wrapper around CMake. The two set-up commands are `make demo` and
# `make check`; both run the bootstrap first, so a fresh Debian machine needs
# nothing else.
BUILD         ?= build
ASAN_BUILD    ?= build-asan
RELEASE_BUILD ?= build-release
CLANG_BUILD   ?= build-clang
FUZZ_BUILD    ?= build-fuzz
JOBS          ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS    ?=

SANITIZER_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
                UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# One build configuration, in its own directory, with -Werror: configure,
# build, run the whole suite. $(call configure_build_test,DIR,CMAKE OPTIONS,TEST ENV)
define configure_build_test
	@cmake -S . -B $(1) -DPH_WERROR=ON $(2) $(CMAKE_ARGS) >/dev/null
	@cmake --build $(1) -j $(JOBS) -- --no-print-directory
	$(3) ctest --test-dir $(1) --output-on-failure -j $(JOBS)
endef

.PHONY: all bootstrap build demo check test asan release clang bench install clean \
        fuzz-build fuzz fuzz-smoke

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

# The same suite under AddressSanitizer + UBSan (gcc, unoptimised).
asan: bootstrap
	$(call configure_build_test,$(ASAN_BUILD),-DCMAKE_BUILD_TYPE=Debug -DPH_SANITIZE=ON \
		-DPH_BUILD_BENCH=OFF,$(SANITIZER_ENV))

# What users build: gcc -O3 (Release), benchmarks included, so that warnings
# only the optimiser finds (-Wmaybe-uninitialized) break the check too.
release: bootstrap
	$(call configure_build_test,$(RELEASE_BUILD),-DCMAKE_BUILD_TYPE=Release -DPH_BUILD_BENCH=ON)

# The same with clang, whose warnings differ from gcc's.
clang: bootstrap
	$(call configure_build_test,$(CLANG_BUILD),-DCMAKE_C_COMPILER=clang)

# Every configuration: the default build, ASan + UBSan, gcc Release, clang;
# then the fuzz targets over their seeds and briefly beyond.
check: test asan release clang fuzz-smoke

# libFuzzer targets (tests/fuzz, docs/fuzzing.md): clang, the library under
# ASan + UBSan. `make fuzz` runs each FUZZ_SECONDS (600); findings go to
# build-fuzz/findings/<target>/. `make fuzz-smoke` runs the committed seeds,
# then FUZZ_SMOKE_SECONDS (30) each, and fails on any finding.
fuzz-build: bootstrap
	@cmake -S . -B $(FUZZ_BUILD) -DCMAKE_C_COMPILER=clang -DPH_FUZZ=ON -DPH_WERROR=ON \
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
	rm -rf $(BUILD) $(ASAN_BUILD) $(RELEASE_BUILD) $(CLANG_BUILD) $(FUZZ_BUILD)
