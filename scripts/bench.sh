#!/bin/sh
# Run every benchmark built under BUILD (default build/), one after another
# so they do not compete for the machine's cores: the CSV reader, then the
# province generator at its defaults (100,000 enterprises x 24 months: about
# 1.7 GB written to $TMPDIR and removed, 10-15 s on 2 cores), then ingestion
# of a 20,000 x 24 province (about 7 million rows, ingested twice: first load,
# then all unchanged), the feature store (100,000 x 24, its database built
# once under $TMPDIR and kept), one institution's profile read (20,000 x 24,
# 1,000 reads; target under 5 ms each), scorecard training (300,000 rows x 16
# variables built in memory, best of 3; target under 2 s), tree-model scoring
# against XGBoost (500 trees of depth 6, 50 features, 1,000,000 rows, one
# thread each; the XGBoost side, bench/peer_xgboost.py, trains the model and
# times XGBoost: about 3 minutes in all, 200 MB in $TMPDIR, removed), then any
# others; bench_gbdt_shap through bench/peer_gbdt.py (train-gbdt against
# scikit-learn on German credit and against python3-xgboost's training speed,
# TreeSHAP against pred_contribs: about 2 minutes, 45 MB in $TMPDIR, removed);
# bench_warning (the early-warning engine: 100,000 firms x 24 months through
# the default rule set, the same two windowed rules in SQLite window functions
# in memory, then the 1,000,000-firm province's 24 months: about 5 minutes,
# 1.3 GB of memory, SQLite's sort spills in $TMPDIR); bench_evidence (the
# evidence log: 1,000,000 durable appends, 100,000 proofs of each kind; about
# 5 s, 200 MB in $TMPDIR, removed).
# The full-size province (1,000,000 x 24, about 17 GB) is left to be run by
# hand:
#   build/bench_gen --enterprises 1000000
# and so is the evidence log at 10 million leaves (about 30 s, 1.8 GB):
#   build/bench_evidence --leaves 10000000
set -eu
build=${1:-build}
first="bench_csv bench_gen bench_ingest bench_features bench_profile"
first="$first bench_scorecard_train bench_model_score"
src=$(cd "$(dirname "$0")/.." && pwd)
found=0
run_bench() {
    [ -x "$1" ] || return 0
    found=1
    echo "== $(basename "$1")"
    case "$(basename "$1")" in
    bench_model_score) "$1" --peer "$src/bench/peer_xgboost.py" ;;
    # the helper of peer_gbdt.py, which trains with puhui and its peers
    bench_gbdt_shap) /usr/bin/python3 "$src/bench/peer_gbdt.py" --puhui "$build/puhui" --shap "$1" ;;
    *) "$1" ;;
    esac
}
for name in $first; do
    run_bench "$build/$name"
done
for bench in "$build"/bench_*; do
    case " $first " in *" $(basename "$bench") "*) continue ;; esac
    run_bench "$bench"
done
[ "$found" -eq 1 ] || { echo "no benchmarks built under $build" >&2; exit 1; }
