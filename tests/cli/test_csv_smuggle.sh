#!/usr/bin/env bash
# End-to-end: a NUL byte inside a quote that never closes cannot smuggle the
# next physical line in as a row. The quote runs to the end of the file, so
# the whole rest of the file would be one bad record: the file is refused as
# a whole (naming the line where the quote opened), nothing of it is kept,
# and feed_vat_invoices stays empty.
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

run 2 --db "$DB" ingest "$WORK/one/vat_invoices.csv"
check "refused: the quote opened at line 2 never closes" contains "$ERR" \
    "one/vat_invoices.csv: refused: the quote opened at line 2 is never closed"
check "the smuggled line is not a row" \
    [ "$(sqlite3 "$DB" 'SELECT count(*) FROM feed_vat_invoices')" -eq 0 ]
check "nothing of the refused file is quarantined" \
    [ "$(sqlite3 "$DB" "SELECT count(*) FROM quarantine WHERE feed = 'vat_invoices'")" -eq 0 ]
finish
