#!/bin/sh
# Run the libFuzzer targets of tests/fuzz (built by `make fuzz-build` into
# build-fuzz/). docs/fuzzing.md is the guide.
#
#   scripts/fuzz.sh run   [target...]  fuzz each target FUZZ_SECONDS (600)
#   scripts/fuzz.sh smoke [target...]  each committed seed once, then
#                                      FUZZ_SMOKE_SECONDS (30) of fuzzing;
#                                      fails on any finding
#
# Targets are named without the fuzz_ prefix (csv, jsonl, pmml, ...); none
# given means all. A run keeps what it learns in build-fuzz/corpus/<target>/
# (the committed seeds in tests/fuzz/corpus/<target>/ are read, never
# written) and its findings in build-fuzz/findings/<target>/; the log of each
# target is build-fuzz/logs/<target>.log. A smoke run keeps its scratch
# corpus, findings and log in build-fuzz/smoke/<target>/. One line per
# target sums it up.
# FUZZ_JOBS targets run at once (1), each under `nice -n 10`.
set -eu

MODE=${1:-}
[ $# -gt 0 ] && shift
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${FUZZ_BUILD:-$ROOT/build-fuzz}
BIN=$BUILD/tests/fuzz
SEEDS=$ROOT/tests/fuzz/corpus
SECONDS_RUN=${FUZZ_SECONDS:-600}
SECONDS_SMOKE=${FUZZ_SMOKE_SECONDS:-30}
JOBS=${FUZZ_JOBS:-1}
# Memory per input and per process: the loaders must refuse what would need
# more, so going over is a finding (an oom-* file).
RSS_MB=${FUZZ_RSS_MB:-2048}
MALLOC_MB=${FUZZ_MALLOC_MB:-$RSS_MB}
TIMEOUT=${FUZZ_TIMEOUT:-10}

case $MODE in
run | smoke) ;;
*)
    echo "usage: $0 run|smoke [target...]" >&2
    exit 2
    ;;
esac

if [ $# -eq 0 ]; then
    set -- $(cd "$BIN" && ls fuzz_* 2>/dev/null | sed 's/^fuzz_//')
    [ $# -gt 0 ] || { echo "fuzz: no targets in $BIN (run make fuzz-build)" >&2; exit 2; }
fi

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# The options every run shares: the dictionary when there is one, the limits,
# where findings go.
common_flags() {
    t=$1 findings=$2
    printf '%s ' "-artifact_prefix=$findings/" "-timeout=$TIMEOUT" \
        "-rss_limit_mb=$RSS_MB" "-malloc_limit_mb=$MALLOC_MB" -print_final_stats=1
    [ -f "$ROOT/tests/fuzz/$t.dict" ] && printf '%s ' "-dict=$ROOT/tests/fuzz/$t.dict"
    return 0
}

# The numbers of a finished run, read from its log: libFuzzer's final
# statistics (plain mode) or the last status line (fork mode).
summary() {
    # sh has no local variables: these names are summary's own.
    s_name=$1 s_secs=$2 s_corpus=$3 s_found=$4 s_log=$5
    s_execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$s_log" | tail -n 1)
    s_rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$s_log" | tail -n 1)
    if [ -z "$s_execs" ]; then
        # fork mode: "#EXECS: cov: .. corp: N exec/s R ... time: Ts"
        s_last=$(grep -E '^#[0-9]+: cov:' "$s_log" | tail -n 1)
        s_execs=$(printf '%s' "$s_last" | sed -n 's/^#\([0-9]*\):.*/\1/p')
        s_rate=$(printf '%s' "$s_last" | sed -n 's/.* exec\/s:\{0,1\} \([0-9]*\).*/\1/p')
    fi
    s_size=$(find "$s_corpus" -type f 2>/dev/null | wc -l)
    s_findings=$(find "$s_found" -type f 2>/dev/null | wc -l)
    printf 'fuzz %-9s %5ss  %10s execs  %7s exec/s  corpus %5s  findings %s\n' \
        "$s_name" "$s_secs" "${s_execs:-?}" "${s_rate:-?}" "$s_size" "$s_findings"
    [ "$s_findings" -eq 0 ]
}

# run: keep going after a finding (fork mode) so the whole time is spent
# and every distinct crash is kept; the corpus grows in build-fuzz/corpus.
run_one() {
    t=$1
    mkdir -p "$BUILD/corpus/$t" "$BUILD/findings/$t" "$BUILD/logs"
    start=$(date +%s)
    # shellcheck disable=SC2046
    nice -n 10 "$BIN/fuzz_$t" $(common_flags "$t" "$BUILD/findings/$t") \
        -max_total_time="$SECONDS_RUN" -fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1 \
        "$BUILD/corpus/$t" "$SEEDS/$t" >"$BUILD/logs/$t.log" 2>&1 || true
    summary "$t" $(($(date +%s) - start)) "$BUILD/corpus/$t" "$BUILD/findings/$t" \
        "$BUILD/logs/$t.log" || true
}

# smoke: the seeds, then a short run from them, all in build-fuzz/smoke/
# (a scratch corpus, its findings, its log) so a long run's are left alone;
# libFuzzer stops and fails at the first finding.
smoke_one() {
    t=$1
    dir=$BUILD/smoke/$t
    rm -rf "$dir"
    mkdir -p "$dir/corpus" "$dir/findings"
    start=$(date +%s)
    status=0
    # shellcheck disable=SC2046
    # libFuzzer runs every seed first (and keeps the one that fails).
    nice -n 10 "$BIN/fuzz_$t" $(common_flags "$t" "$dir/findings") \
        -max_total_time="$SECONDS_SMOKE" "$dir/corpus" "$SEEDS/$t" >"$dir/log" 2>&1 || status=1
    if ! summary "$t" $(($(date +%s) - start)) "$dir/corpus" "$dir/findings" "$dir/log" ||
        [ $status -ne 0 ]; then
        echo "fuzz $t: FAILED; see $dir/log and $dir/findings/" >&2
        return 1
    fi
}

failed=0
pids=""
for t in "$@"; do
    [ -x "$BIN/fuzz_$t" ] || { echo "fuzz: no target fuzz_$t in $BIN" >&2; exit 2; }
    if [ "$MODE" = run ]; then
        run_one "$t" &
    else
        smoke_one "$t" &
    fi
    pids="$pids $!"
    # At most JOBS targets at once: wait for the oldest.
    set -- $pids
    if [ $# -ge "$JOBS" ]; then
        wait "$1" || failed=1
        shift
        pids="$*"
    fi
done
for pid in $pids; do
    wait "$pid" || failed=1
done
exit $failed
