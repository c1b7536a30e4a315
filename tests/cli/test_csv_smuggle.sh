#!/usr/bin/env bash
# End-to-end: a NUL byte inside a quote that never closes cannot smuggle the
# next physical line in as a row. The quote runs to the end of the file, so
# the whole rest of the file is one bad record, quarantined at line 2, and
# feed_vat_invoices stays empty.
set -e
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "not ok - test_csv_smuggle.sh needs sqlite3 (apt-get install sqlite3)"; exit 1; }

DB="$WORK/x.db"
run 0 gen --enterprises 50 --months 3 --out "$WORK/p"
run 0 --db "$DB" init
run 0 --db "$DB" ingest "$WORK/p/feeds/registration.csv"

mkdir -p "$WORK/one"
src="$WORK/p/feeds/vat_invoices.csv"
smuggled=$(sed -n 3p "$src")
{
    sed -n 1p "$src"
    sed -n 2p "$src" | sed 's/,[^,]*$/,"ab/' | tr -d '\n'
    printf '\0\n'
    printf '%s\n' "$smuggled"
} >"$WORK/one/vat_invoices.csv"
check "line 2 ends in an open quote and a NUL" \
    [ "$(sed -n 2p "$WORK/one/vat_invoices.csv" | tail -c 5 | od -An -tx1 | tr -d ' \n')" = 226162000a ]

run 0 --db "$DB" ingest "$WORK/one/vat_invoices.csv"
check "one bad record, nothing accepted" contains "$OUT" "1 rows: 0 accepted, 0 unchanged, 0 superseded, 1 rejected"
check "the smuggled line is not a row" \
    [ "$(sqlite3 "$DB" 'SELECT count(*) FROM feed_vat_invoices')" -eq 0 ]
check "quarantined once, at line 2, as broken quoting" \
    [ "$(sqlite3 "$DB" "SELECT group_concat(line || ' ' || reason) FROM quarantine WHERE feed = 'vat_invoices'")" = "2 malformed_record" ]
finish
