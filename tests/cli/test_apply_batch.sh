#!/usr/bin/env bash
# End-to-end: `apply --batch` reads its optional guarantor column strictly.
# The flag changes the price, so only 1, 0 or an empty field are accepted;
# anything else, or a field more, skips the row with an error naming the
# file, line, column, field and value, and stores nothing for it.
set -e
. "$(dirname "$0")/lib.sh"
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
export PUHUI_DB="$WORK/batch.db"

run 0 init
run 0 gen --enterprises 40 --months 13 --start 2024-12 --seed 3 --out "$WORK/prov"
run 0 ingest --known-on 2026-01-01 "$WORK/prov"
run 0 model register --model "$F/pmml/province_scorecard.pmml" --name province_pd
run 0 model approve --name province_pd --version 1 --by "model risk committee" --note "fixture"
L1=$(awk -F, 'NR > 1 && $3 == "state_bank" { print $1; exit }' "$WORK/prov/reference/lenders.csv")
sed "s/@LENDER@/$L1/" "$F/market/city_bank.json" >"$WORK/city.json"
run 0 policy load "$WORK/city.json" --activate
run 0 market lpr 3.00% --from 2025-01-01
run 0 features refresh --asof 2025-12-31
FIRM=$(awk -F, 'NR == 2 { print $1 }' "$WORK/prov/feeds/registration.csv")
echo "$FIRM" >"$WORK/firms.txt"
run 0 consent grant --enterprises "$WORK/firms.txt" --institution "$L1" --purpose credit \
    --until "$(date -d '300 days' +%F)"

applications() { sqlite3 "$PUHUI_DB" 'SELECT count(*) FROM application'; }
guarantors() { sqlite3 "$PUHUI_DB" "SELECT count(*) FROM application WHERE guarantor = 1"; }

# the accepted values: 1, 0, empty and an absent column
{ echo enterprise,amount,term,purpose,asof,guarantor
  echo "$FIRM,300000,12,working_capital,2025-12-31,1"
  echo "$FIRM,300000,12,working_capital,2025-12-31,0"
  echo "$FIRM,300000,12,working_capital,2025-12-31,"
  echo "$FIRM,300000,12,working_capital,2025-12-31"; } >"$WORK/good.csv"
run 0 apply --batch "$WORK/good.csv"
check "four applications decided" contains "$ERR" "4 applications decided"
check "four stored" [ "$(applications)" = 4 ]
check "one with a guarantor" [ "$(guarantors)" = 1 ]

# each bad value: the row is skipped with file:line:column, field, value and
# what was expected; nothing is stored for it
PREFIX="$FIRM,300000,12,working_capital,2025-12-31"
COLUMN=$((${#PREFIX} + 2))
bad() { # VALUE DESCRIPTION
    local value=$1 what=$2 before
    before=$(applications)
    { echo enterprise,amount,term,purpose,asof,guarantor; echo "$PREFIX,$value"; } >"$WORK/bad.csv"
    run 2 apply --batch "$WORK/bad.csv"
    check "$what: skipped" contains "$ERR" "0 applications decided (0 with at least one offer), 1 skipped"
    check "$what: nothing stored" [ "$(applications)" = "$before" ]
}
for value in 2 yes -1; do
    bad "$value" "guarantor '$value'"
    check "guarantor '$value': named" contains "$ERR" \
        "puhui: skipped $WORK/bad.csv:2:$COLUMN: field guarantor, value '$value': expected 1 (a guarantor takes part), 0 or empty (none)"
done
bad "1,extra" "an extra field"
check "an extra field: named" contains "$ERR" \
    "puhui: skipped $WORK/bad.csv:2:$((COLUMN + 2)): field line, value 'extra': expected at most 6 fields"

# a bad row among good ones: the others are decided, the bad one skipped
{ echo enterprise,amount,term,purpose,asof,guarantor
  echo "$PREFIX,1"
  echo "$PREFIX,yes"
  echo "$PREFIX,0"; } >"$WORK/mixed.csv"
BEFORE=$(applications)
run 0 apply --batch "$WORK/mixed.csv"
check "mixed: two decided, one skipped" contains "$ERR" "2 applications decided"
check "mixed: the bad line named" contains "$ERR" "mixed.csv:3:$COLUMN: field guarantor, value 'yes'"
check "mixed: two stored" [ "$(applications)" = $((BEFORE + 2)) ]

# long lines are read whole: a 600-byte row is one row (here a bad one,
# named at its own line), a row longer than 64 KiB is skipped with its line
# named, and every later line keeps its own number
LONG=$(head -c 580 /dev/zero | tr '\0' x)
HUGE=$(head -c 70000 /dev/zero | tr '\0' y)
{ echo enterprise,amount,term,purpose,asof,guarantor
  echo "$FIRM,300000,12,$LONG,2025-12-31,1"
  echo "$PREFIX,$HUGE"
  echo "$PREFIX,yes"
  echo "$PREFIX,1"; } >"$WORK/long.csv"
check "long: the test line is over 600 bytes" [ "$(sed -n 2p "$WORK/long.csv" | wc -c)" -gt 600 ]
BEFORE=$(applications)
run 0 apply --batch "$WORK/long.csv"
check "long: one decided, three skipped" contains "$ERR" "1 applications decided (1 with at least one offer), 3 skipped"
check "long: the 600-byte row is one row" [ "$(grep -c 'long.csv:2:' <<<"$ERR")" = 1 ]
check "long: the 600-byte row named by its field" contains "$ERR" "long.csv:2:$((${#FIRM} + 12)): field purpose"
check "long: the too-long line named" contains "$ERR" \
    "puhui: skipped $WORK/long.csv:3: line 3 is longer than 65536 bytes"
check "long: the next error names its own line" contains "$ERR" "long.csv:4:$COLUMN: field guarantor, value 'yes'"
check "long: no error for the good line or beyond" [ "$(grep -c "long.csv:[5-9]:" <<<"$ERR")" = 0 ]
check "long: one stored" [ "$(applications)" = $((BEFORE + 1)) ]

# the limit exactly, with CRLF ends: 65536 bytes is a row (parsed, here
# refused for its guarantor), 65537 bytes is too long
PAD=$((65536 - ${#PREFIX} - 1))
{ printf 'enterprise,amount,term,purpose,asof,guarantor\r\n'
  printf '%s,%s\r\n' "$PREFIX" "$(head -c $PAD /dev/zero | tr '\0' z)"
  printf '%s,%s\r\n' "$PREFIX" "$(head -c $((PAD + 1)) /dev/zero | tr '\0' z)"
  printf '%s,1\r\n' "$PREFIX"; } >"$WORK/edge.csv"
run 0 apply --batch "$WORK/edge.csv"
check "edge: 65536 bytes is parsed" contains "$ERR" "edge.csv:2:$COLUMN: field guarantor"
check "edge: 65537 bytes is too long" contains "$ERR" "edge.csv:3: line 3 is longer than 65536 bytes"
check "edge: the last row decided" contains "$ERR" "1 applications decided (1 with at least one offer), 2 skipped"

finish
