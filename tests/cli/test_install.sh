#!/usr/bin/env bash
# `make install` gives a usable library: install into a scratch prefix, build
# examples/embed.c against it with pkg-config (shared and static), run both.
set -e
. "$(dirname "$0")/lib.sh"
build_dir=$(dirname "$PUHUI")
source_dir=$(cd "$(dirname "$0")/../.." && pwd)
prefix="$WORK/prefix"

if nm -D "$build_dir/libpuhui.so" 2>/dev/null | grep -q __asan_; then
    # A sanitizer build's library needs the sanitizer runtime in every
    # program linked with it; the plain build runs this test.
    echo "skipped: sanitizer build"
    echo "0 passed, 0 failed, 1 skipped"
    exit 0
fi

check "cmake --install" cmake --install "$build_dir" --prefix "$prefix" >/dev/null
check "header installed" [ -f "$prefix/include/puhui/puhui.h" ]
pc_dir=$(dirname "$(find "$prefix" -name puhui.pc | head -1)")
check "puhui.pc installed" [ -f "$pc_dir/puhui.pc" ]
export PKG_CONFIG_PATH="$pc_dir"
check "pkg-config knows puhui" [ "$(pkg-config --modversion puhui)" = "0.1.0" ]

# shellcheck disable=SC2046
check "build against the shared library" \
    cc -std=c11 -Wall -Werror "$source_dir/examples/embed.c" $(pkg-config --cflags --libs puhui) \
    -o "$WORK/embed"
set +e
out=$(LD_LIBRARY_PATH="$(pkg-config --variable=libdir puhui)" "$WORK/embed" "$WORK/e.db" 2>&1)
code=$?
set -e
check "shared program runs" [ "$code" -eq 0 ]
check "interest computed" contains "$out" "is 4,812.50"

# shellcheck disable=SC2046
check "build against the static library" \
    cc -std=c11 -Wall -Werror "$source_dir/examples/embed.c" \
    $(pkg-config --cflags puhui) "$(pkg-config --variable=libdir puhui)/libpuhui.a" \
    $(pkg-config --static --libs-only-l puhui | sed 's/-lpuhui//') -o "$WORK/embed-static"
check "static program runs" "$WORK/embed-static" "$WORK/s.db"

# Only the public API is exported: every exported symbol is ph_-prefixed.
exported=$(nm -D --defined-only "$build_dir/libpuhui.so" | awk '$2 ~ /[TDBR]/ {print $3}')
check "exports only ph_ symbols" [ -z "$(echo "$exported" | grep -v '^ph_' | grep -v '^_' || true)" ]

finish
