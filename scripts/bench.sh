#!/bin/sh
# Run every benchmark built under BUILD (default build/), one after another
# so they do not compete for the machine's cores.
set -eu
build=${1:-build}
found=0
for bench in "$build"/bench_*; do
    [ -x "$bench" ] || continue
    found=1
    echo "== $(basename "$bench")"
    "$bench"
done
[ "$found" -eq 1 ] || { echo "no benchmarks built under $build" >&2; exit 1; }
