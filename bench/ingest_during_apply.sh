#!/usr/bin/env bash
# What a decision sees while an ingest runs (docs/marketplace.md, "One
# snapshot per decision").
#
# A province is generated and ingested without its daily payments feed; the
# marketplace is set up (the province scorecard, the city bank's policy, the
# LPR, one credit consent per firm). Then the same batch of applications is
# decided twice on copies of that database: once alone, and once while
# another process ingests payments_daily (the largest feed) into the same
# database. The second run reports how many decisions were made while the
# ingest was committing, how many of them saw the payments and how many did
# not, and that none failed: each decision reads one snapshot (its facts are
# all from before one ingest commit or all from after it), and waits for an
# ingest batch that holds the write lock rather than reading around it.
#
#   bench/ingest_during_apply.sh [PUHUI] [ENTERPRISES] [MONTHS]
# Defaults: build/puhui, 3000 firms, 24 months. Needs sqlite3. Everything is
# written under a temporary directory that is removed at the end (KEEP=1
# keeps it).
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
puhui=$(realpath "${1:-$src/build/puhui}")
firms=${2:-3000}
months=${3:-24}
fx=$src/tests/fixtures
work=$(mktemp -d "${TMPDIR:-/tmp}/puhui-snapshot.XXXXXX")
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$work"' EXIT
db=$work/base.db
p() { "$puhui" --db "$db" "$@"; }

echo "setting up: $firms firms x $months months in $work"
"$puhui" gen --enterprises "$firms" --months "$months" --start 2024-01 --seed 11 \
    --out "$work/prov" >/dev/null
p init >/dev/null
feeds=()
for f in "$work"/prov/reference/*.csv "$work"/prov/feeds/*.csv; do
    [ "$(basename "$f")" = payments_daily.csv ] || feeds+=("$f")
done
p ingest --known-on 2026-01-01 "${feeds[@]}" >/dev/null
asof=$(awk -F, 'NR > 1 && $2 > m { m = $2 } END { print m }' "$work/prov/feeds/vat_invoices.csv")
asof=$(date -d "$asof-01 +1 month -1 day" +%F)
p features refresh --asof "$asof" >/dev/null
p model register --model "$fx/pmml/province_scorecard.pmml" --name province_pd >/dev/null
p model approve --name province_pd --version 1 --by bench --note bench >/dev/null
lender=$(awk -F, 'NR > 1 && $3 == "state_bank" { print $1; exit }' \
    "$work/prov/reference/lenders.csv")
sed "s/@LENDER@/$lender/" "$fx/market/city_bank.json" >"$work/city.json"
p policy load "$work/city.json" --activate >/dev/null
p market lpr 3.00% --from 2024-01-01 >/dev/null
awk -F, 'NR > 1 { print $1 }' "$work/prov/feeds/registration.csv" >"$work/firms.txt"
p consent grant --enterprises "$work/firms.txt" --institution "$lender" --purpose credit \
    --until "$(date -d '300 days' +%F)" >/dev/null
{ echo enterprise,amount,term,purpose,asof
  awk -v d="$asof" '{ print $1 ",300000,12,working_capital," d }' "$work/firms.txt"
} >"$work/batch.csv"
payments=$(($(wc -l <"$work/prov/feeds/payments_daily.csv") - 1))
echo "decisions: $firms applications as of $asof; ingest: payments_daily, $payments rows"

# How many of the run's decisions read payment data (the facts' inflow is
# not null), and when they were stored.
saw_payments() {
    sqlite3 "$1" "SELECT count(*) FROM application WHERE facts LIKE '%\"inflow_3m\":%' AND facts NOT LIKE '%\"inflow_3m\":null%'"
}

cp "$db" "$work/alone.db"
/usr/bin/time -f "%e s wall, %U s user, %S s system" -o "$work/alone.time" \
    "$puhui" --db "$work/alone.db" apply --batch "$work/batch.csv" >/dev/null 2>"$work/alone.err" || true
echo "alone:         $(tail -n 1 "$work/alone.err"); $(cat "$work/alone.time")"

cp "$db" "$work/both.db"
start=$(date +%s.%N)
/usr/bin/time -f "%e s wall, %U s user, %S s system" -o "$work/ingest.time" \
    "$puhui" --db "$work/both.db" ingest --known-on 2026-01-01 \
    "$work/prov/feeds/payments_daily.csv" >/dev/null 2>"$work/ingest.err" &
ingest_pid=$!
/usr/bin/time -f "%e s wall, %U s user, %S s system" -o "$work/both.time" \
    "$puhui" --db "$work/both.db" apply --batch "$work/batch.csv" >/dev/null 2>"$work/both.err" || true
apply_end=$(date +%s.%N)
wait "$ingest_pid" || echo "ingest failed: $(cat "$work/ingest.err")"
ingest_end=$(stat -c %Y "$work/ingest.time")
echo "during ingest: $(tail -n 1 "$work/both.err"); $(cat "$work/both.time")"
echo "ingest:        $(cat "$work/ingest.time")"
busy=$(grep -c -i 'busy\|locked' "$work/both.err" || true)
echo "applications stored: $(sqlite3 "$work/both.db" 'SELECT count(*) FROM application'), of which" \
    "$(saw_payments "$work/both.db") read payment data and" \
    "$(sqlite3 "$work/both.db" "SELECT count(*) FROM application WHERE facts LIKE '%\"inflow_3m\":null%'")" \
    "read none; lock errors: $busy"
echo "(alone, none could read payments: $(saw_payments "$work/alone.db") did)"
awk -v s="$start" -v a="$apply_end" -v i="$ingest_end" \
    'BEGIN { printf "apply finished %.1f s after the start; the ingest %s\n", a - s, (i > a ? "after it" : "before it") }'
