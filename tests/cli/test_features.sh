#!/usr/bin/env bash
# End-to-end: puhui features (export, panel, refresh, list, show, doc) on a small
# database filled with plain SQL, and the committed docs/features.md, which
# must be exactly what `puhui features doc` writes.
set -e
. "$(dirname "$0")/lib.sh"
DOC="$(cd "$(dirname "$0")/../.." && pwd)/docs/features.md"
DB="$WORK/puhui.db"
A=913701020AQ1PNXK8L
Z=92370102FT9Q9EXL4R

run 0 features list
check "list has a header" contains "$OUT" "name                      unit    dimension            higher   description"
check "list shows a feature" contains "$OUT" "inflow_growth_3m          ratio   digital_footprint    better"
check "list has every feature" [ "$(echo "$OUT" | wc -l)" -eq 66 ]

run 0 features doc
check "docs/features.md is up to date (regenerate with: puhui features doc --out docs/features.md)" \
    diff "$DOC" "$WORK/out"
run 0 features doc --out "$WORK/features.md"
check "doc --out writes the same" diff "$DOC" "$WORK/features.md"

run 0 --db "$DB" init
command -v python3 >/dev/null || { check "python3 is needed to fill the database" false; finish; exit 1; }
python3 - "$DB" "$A" "$Z" <<'PY'
import sqlite3, sys
db, a, z = sys.argv[1:]
c = sqlite3.connect(db)
for uscc, region, ind in ((a, 370102, "C13"), (z, 370102, "F52")):
    c.execute("INSERT INTO feed_registration VALUES (?, 'n', 'company', ?, ?, '2020-03-10', 100,"
              " 'M', 1980, 5, 100, 100, 'micro', 'general', 'active', NULL, '2020-03-11', 1, 1, 0)",
              (uscc, region, ind))
for month, fen, known in (("2025-01", 100000, "2025-02-15"), ("2025-02", 200000, "2025-03-15"),
                          ("2025-03", 300000, "2025-04-15")):
    c.execute("INSERT INTO feed_vat_invoices VALUES (?, ?, ?, 1, 0, 0, 1, 0.5, ?, 1, 1, 0)",
              (a, month, fen, known))
c.commit()
PY
peer_dates() { python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM feature_peer_date").fetchone()[0])' "$DB"; }

run 0 --db "$DB" features --asof 2025-04-15 --out "$WORK/f.csv"
check "export says what it wrote" contains "$OUT" "wrote 2 rows (1 as-of date, 65 features) to $WORK/f.csv"
check "header: uscc, asof, then the catalogue" [ "$(head -1 "$WORK/f.csv" | cut -d, -f1-5)" = "uscc,asof,has_vat,has_tax,has_social_security" ]
check "header has every feature" [ "$(head -1 "$WORK/f.csv" | tr ',' '\n' | wc -l)" -eq 67 ]
check "one row per enterprise" [ "$(wc -l <"$WORK/f.csv")" -eq 3 ]
ROW_A=$(grep "^$A" "$WORK/f.csv")
check "A's sales of 3 months" [ "$(echo "$ROW_A" | cut -d, -f12)" = "6000.00" ]
check "A's coverage" contains "$ROW_A" "$A,2025-04-15,1,0,0,0,0,0,0.166667,"
ROW_Z=$(grep "^$Z" "$WORK/f.csv")
check "Z: flags 0, sales missing (empty), counts 0" contains "$ROW_Z" "$Z,2025-04-15,0,0,0,0,0,0,0.000000,61,0,,,,"
run 0 --db "$DB" features --asof=2025-04-15 --out "$WORK/g.csv" --threads 1
check "the same export twice is byte-identical" cmp "$WORK/f.csv" "$WORK/g.csv"

run 0 --db "$DB" features --from 2025-01 --to 2025-04 --out "$WORK/panel.csv"
check "panel: one row per enterprise and month" contains "$OUT" "wrote 8 rows (4 as-of dates, 65 features)"
check "panel dates are month ends" [ "$(cut -d, -f2 "$WORK/panel.csv" | sort -u | tr '\n' ' ')" = "2025-01-31 2025-02-28 2025-03-31 2025-04-30 asof " ]
check "panel: A in March has January and February" [ "$(grep "^$A,2025-03-31" "$WORK/panel.csv" | cut -d, -f12)" = "4500.00" ]
check "panel rows at 2025-04-30 equal the single date's" \
    [ "$(grep ",2025-04-30," "$WORK/panel.csv" | cut -d, -f3-)" = "$("$PUHUI" --db "$DB" features --asof 2025-04-30 --out "$WORK/h.csv" >/dev/null && tail -n +2 "$WORK/h.csv" | cut -d, -f3-)" ]
run 0 --db "$DB" --format json features --asof 2025-04-15 --out "$WORK/f.csv"
check "json summary" contains "$OUT" '"rows": 2'

# a read never writes: before any refresh, show fails and names the command
run 2 --db "$DB" features show --enterprise "$A" --asof 2025-04-15
check "no refresh: the read fails and names the command" contains "$ERR" \
    "field asof, value '2025-04-15': no peer-median refresh on or before this date: run \`puhui features refresh --asof 2025-04-15\`"
check "an export stores no peer medians" [ "$(peer_dates)" = "0" ]
run 0 --db "$DB" features refresh --asof 2025-04-15
check "refresh says what it stored" contains "$OUT" "stored the peer medians of 1 as-of date (2025-04-15)"
check "refresh stored the date" [ "$(peer_dates)" = "1" ]
run 0 --db "$DB" features show --enterprise "$A" --asof 2025-04-15
check "a fresh refresh: no note" [ -z "$ERR" ]
check "show names the firm and date" contains "$OUT" "$A as of 2025-04-15"
check "show: value and unit" contains "$OUT" "sales_3m                   6000.00  yuan"
check "show: top buyer" contains "$OUT" "top_buyer_share_3m        0.500000  ratio"
run 0 --db "$DB" features show --enterprise "$Z" --asof 2025-04-15
check "show: missing is said" contains "$OUT" "power_kwh_3m               missing  kWh"

# a later date reads the latest earlier refresh and says so; nothing is stored
run 0 --db "$DB" features show --enterprise "$A" --asof 2025-04-20
check "an earlier refresh is used, and said" contains "$ERR" \
    "note: peer medians from the refresh of 2025-04-15 (none on 2025-04-20)"
check "the read stored nothing" [ "$(peer_dates)" = "1" ]
run 0 --db "$DB" --format json features refresh --asof 2025-04-15,2025-04-30 --threads 1
check "refresh: several dates, json" [ "$(python3 -c 'import json,sys; print(json.load(sys.stdin)["refreshed"])' <"$WORK/out")" = "['2025-04-15', '2025-04-30']" ]
check "two dates stored" [ "$(peer_dates)" = "2" ]
# ---- progress: on a terminal (forced with PUHUI_PROGRESS=1), never in a pipe -------------------
PUHUI_PROGRESS=1 run 0 --db "$DB" features refresh --asof 2025-04-30
check "refresh: progress of the feeds read, in tables" \
    contains "$ERR" "puhui features refresh, reading the feeds: 15 / 15 tables, "
check "then of the firms' peer values, ending with the time taken" \
    grep -Eq "puhui features refresh, peer values: 2 / 2 firms, .* elapsed" <<<"$ERR"
PUHUI_PROGRESS=1 run 0 --db "$DB" features --from 2025-01 --to 2025-04 --out "$WORK/p.csv"
check "a panel: progress of the firms whose features are written" \
    grep -Eq "puhui features, features: 2 / 2 firms, .* elapsed" <<<"$ERR"
check "the file is that of an unmetered run" cmp "$WORK/panel.csv" "$WORK/p.csv"
run 0 --db "$DB" features refresh --asof 2025-04-30
check "no progress when standard error is not a terminal" [ -z "$ERR" ]
run 0 --db "$DB" features --from 2025-01 --to 2025-04 --out "$WORK/p.csv"
check "nor for a panel" [ -z "$ERR" ]

run 2 --db "$DB" features refresh
check "refresh needs dates" contains "$ERR" "'features refresh' needs --asof DATE[,DATE...]"
run 2 --db "$DB" features refresh --asof 2025-04-15,2025-04-31
check "refresh: a bad date named" contains "$ERR" "field --asof, value '2025-04-31'"
run 2 --db "$DB" features refresh --asof 2025-04-15,2025-04-15
check "refresh: a date twice" contains "$ERR" "expected each as-of date once, got it twice"

run 2 --db "$DB" features --asof 2025-02-30 --out "$WORK/x.csv"
check "bad date named" contains "$ERR" "field --asof, value '2025-02-30'"
run 2 --db "$DB" features --asof 2025-01-31 --from 2025-01 --to 2025-02 --out "$WORK/x.csv"
check "--asof or a panel" contains "$ERR" "give either --asof DATE or --from YYYY-MM --to YYYY-MM"
run 2 --db "$DB" features --from 2025-01 --out "$WORK/x.csv"
check "a panel needs both ends" contains "$ERR" "a panel needs both --from and --to"
run 2 --db "$DB" features --from 2025-03 --to 2025-01 --out "$WORK/x.csv"
check "backwards panel" contains "$ERR" "--to must be from --from to 4095 months after it, got 2025-03 to 2025-01"
run 2 --db "$DB" features --from 2025-13 --to 2026-01 --out "$WORK/x.csv"
check "bad month named" contains "$ERR" "field --from, value '2025-13'"
run 2 --db "$DB" features --asof 2025-01-31
check "export needs --out" contains "$ERR" "'features' needs --out FILE.csv"
run 2 --db "$DB" features --asof 2025-01-31 --out "$WORK/x.csv" --threads 0
check "threads range" contains "$ERR" "--threads takes a whole number from 1 to 8, got '0'"
run 1 --db "$DB" features --asof 2025-01-31 --out "$WORK/no/such/dir.csv"
check "unwritable output named" contains "$ERR" "$WORK/no/such/dir.csv: cannot open for writing: No such file or directory"
run 2 --db "$DB" features show --enterprise "$A"
check "show needs both" contains "$ERR" "'features show' needs --enterprise USCC and --asof DATE"
run 2 --db "$DB" features show --enterprise 913701020AQ1PNXK8X --asof 2025-04-15
check "bad code named" contains "$ERR" "field uscc, value '913701020AQ1PNXK8X'"
run 2 --db "$DB" features show --enterprise 91370281FKAW4U0T0X --asof 2025-04-15
check "unknown firm" contains "$ERR" "no registration of this enterprise is known on 2025-04-15"
run 2 --db "$WORK/none.db" features --asof 2025-01-31 --out "$WORK/x.csv"
check "missing database" contains "$ERR" "run \`puhui init\` first"
run 2 features bogus
check "unknown verb" contains "$ERR" "'features' takes 'list', 'show', 'doc', 'refresh' or --asof/--from/--to with --out"
run 0 features --help
check "help" contains "$OUT" "usage: puhui features --asof DATE --out FILE.csv"

finish
