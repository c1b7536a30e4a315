#!/usr/bin/env bash
# The test platform for the server's tests (tests/http, tests/browser and the
# handler tests test_api_*): a small province with two lenders, a month of
# decisions, consents and a few loans, built through the real CLI.
#
#   tests/http/platform.sh PUHUI_BIN DIR
#
# writes DIR/platform.db and DIR/platform.env (NAME=value lines naming the
# firms, lenders, decisions and loans the tests use as "own" and "another
# tenant's" rows, ALERT_A / ALERT_B, an early-warning alert of each lender,
# and VOUCHER_A / VOUCHER_B, a voucher part each lender financed, held by
# VFIRM_A / VFIRM_B), and DIR/platform.db.evidence, the evidence log with a
# signed checkpoint over the vouchers' events. Tests copy the db (and the log)
# before writing to them. About 30 s.
set -euo pipefail
PUHUI=$(realpath "$1")
DIR=$2
HERE=$(cd "$(dirname "$0")" && pwd)
F=${PUHUI_FIXTURES:-$HERE/../fixtures}
mkdir -p "$DIR"
DIR=$(realpath "$DIR")
rm -rf "$DIR"/platform.db* "$DIR/platform.env"
export PUHUI_DB="$DIR/platform.db.building"
rm -rf "$PUHUI_DB"*
p() { "$PUHUI" "$@" >/dev/null; }
q() { sqlite3 "$PUHUI_DB" "$1"; }

p init
p gen --enterprises 300 --months 24 --start 2024-01 --seed 7 --out "$DIR/prov"
p ingest --known-on 2026-01-01 "$DIR/prov"
p features refresh --asof 2025-12-31
p model register --model "$F/pmml/province_scorecard.pmml" --name province_pd
p model approve --name province_pd --version 1 --by "model risk committee" --note "test platform"
LENDERS="$DIR/prov/reference/lenders.csv"
LENDER_A=$(awk -F, 'NR > 1 && $3 == "state_bank" { print $1; exit }' "$LENDERS")
LENDER_B=$(awk -F, 'NR > 1 && $3 == "digital_bank" { print $1; exit }' "$LENDERS")
sed "s/@LENDER@/$LENDER_A/" "$F/market/city_bank.json" >"$DIR/policy_a.json"
sed "s/@LENDER@/$LENDER_B/" "$F/market/digital_bank.json" >"$DIR/policy_b.json"
p policy load "$DIR/policy_a.json" --activate
p policy load "$DIR/policy_b.json" --activate
p market lpr 3.00% --from 2025-01-01
p market subsidy "$F/market/subsidy_chongqing.json"

# 120 firms consent to both lenders; the first 60 apply with a guarantor,
# the next 60 without.
awk -F, 'NR > 1 && NR <= 121 { print $1 }' "$DIR/prov/feeds/registration.csv" >"$DIR/firms.txt"
UNTIL=$(date -d "300 days" +%F)
for L in "$LENDER_A" "$LENDER_B"; do
    p consent grant --enterprises "$DIR/firms.txt" --institution "$L" --purpose credit --until "$UNTIL"
done
{ echo enterprise,amount,term,purpose,asof,guarantor
  awk 'NR <= 60 { print $1 ",300000,12,working_capital,2025-12-31,1" }
       NR > 60 { print $1 ",200000,12,trade,2025-12-31,0" }' "$DIR/firms.txt"; } >"$DIR/batch.csv"
p apply --batch "$DIR/batch.csv"

# own and other rows: FIRM_A has a served offer at LENDER_A; FIRM_B one at LENDER_B
offer_at() {
    q "SELECT d.id || ' ' || a.uscc FROM decision d JOIN application a ON a.id = d.application_id
       WHERE d.lender = '$1' AND d.served = 1 AND d.approved = 1 $2 ORDER BY d.id LIMIT 1"
}
read -r DECISION_A FIRM_A <<<"$(offer_at "$LENDER_A" "")"
read -r DECISION_B FIRM_B <<<"$(offer_at "$LENDER_B" "AND a.uscc <> '$FIRM_A'")"
DECLINE_A=$(q "SELECT d.id FROM decision d WHERE d.lender = '$LENDER_A' AND d.served = 1
               AND d.approved = 0 ORDER BY d.id LIMIT 1")
p loan accept --decision "$DECISION_A" --on 2025-12-31
p loan accept --decision "$DECISION_B" --on 2025-12-31
LOAN_A=$(q "SELECT id FROM loan WHERE decision_id = $DECISION_A")
LOAN_B=$(q "SELECT id FROM loan WHERE decision_id = $DECISION_B")
# three more offers of LENDER_A's become loans, so its book has some weight
for d in $(q "SELECT d.id FROM decision d JOIN application a ON a.id = d.application_id
              WHERE d.lender = '$LENDER_A' AND d.served = 1 AND d.approved = 1
              AND a.uscc NOT IN ('$FIRM_A', '$FIRM_B') ORDER BY d.id LIMIT 3"); do
    p loan accept --decision "$d" --on 2025-12-31
done
# and four of LENDER_B's, so both lenders have borrowers to watch
for d in $(q "SELECT d.id FROM decision d JOIN application a ON a.id = d.application_id
              WHERE d.lender = '$LENDER_B' AND d.served = 1 AND d.approved = 1
              AND a.uscc NOT IN (SELECT uscc FROM loan) ORDER BY d.id LIMIT 4"); do
    p loan accept --decision "$d" --on 2025-12-31
done
p cob --through 2026-01-10
# Early warning: every borrower lets its lender monitor it, and the watch
# replays the platform's feeds (2024-01 .. 2025-12, which end where the book
# begins) with the book of 2025-12-31 for every day, so both lenders have
# alerts (about a second).
q "SELECT DISTINCT uscc || ' ' || lender FROM loan ORDER BY 1" | while read -r u l; do
    p consent grant --enterprise "$u" --institution "$l" --purpose monitoring --until "$UNTIL"
done
p watch --from 2024-01-01 --to 2025-12-31 --book-on 2025-12-31
ALERT_A=$(q "SELECT min(id) FROM warning_alert WHERE institution_id = '$LENDER_A'")
ALERT_B=$(q "SELECT min(id) FROM warning_alert WHERE institution_id = '$LENDER_B'")
# Supply-chain finance: a core enterprise issues a voucher to a tier-1
# supplier (VFIRM_A), which splits it and passes one part to its own
# supplier (VFIRM_B); VFIRM_A's part is financed at lender A, VFIRM_B's at
# lender B; the evidence log (<db>.evidence, made by the first event) is
# checkpointed, so the server can prove every event.
read -r CORE VFIRM_A VFIRM_B <<<"$(q "SELECT s1.core_uscc, s1.supplier_uscc, s2.supplier_uscc
    FROM feed_supply_chain s1
    JOIN feed_supply_chain s2 ON s2.buyer_uscc = s1.supplier_uscc AND s2.supplier_uscc <> s1.supplier_uscc
    JOIN enterprise e1 ON e1.uscc = s1.supplier_uscc JOIN enterprise e2 ON e2.uscc = s2.supplier_uscc
    JOIN feed_core_enterprises c ON c.uscc = s1.core_uscc
    JOIN institution i ON i.id = s1.core_uscc AND i.kind = 'core_enterprise'
    WHERE s1.tier = 1 AND s1.buyer_uscc = s1.core_uscc ORDER BY 1, 2, 3 LIMIT 1" | tr '|' ' ')"
p voucher issue --issuer "$CORE" --to "$VFIRM_A" --amount 1000000 --maturity 2026-06-30 \
    --on 2025-12-01 --ref AP-PLATFORM-1
ROOT=$(q "SELECT id FROM voucher WHERE parent_id IS NULL ORDER BY seq LIMIT 1")
p voucher split "$ROOT" --from "$VFIRM_A" --parts 300000,700000 --on 2025-12-02
read -r PART_1 PART_2 <<<"$(q "SELECT id FROM voucher WHERE parent_id = '$ROOT' ORDER BY seq" | tr '\n' ' ')"
p voucher transfer "$PART_2" --from "$VFIRM_A" --to "$VFIRM_B" --on 2025-12-03
VOUCHER_B=$(q "SELECT id FROM voucher WHERE parent_id = '$PART_2'")
VOUCHER_A=$PART_1
p voucher finance "$VOUCHER_A" --from "$VFIRM_A" --lender "$LENDER_A" --on 2025-12-10
p voucher finance "$VOUCHER_B" --from "$VFIRM_B" --lender "$LENDER_B" --on 2025-12-10
p evidence checkpoint

# a firm with no consent and no application, for refusals
FIRM_C=$(awk -F, 'NR == 200 { print $1 }' "$DIR/prov/feeds/registration.csv")

cat >"$DIR/platform.env" <<ENV
FIRM_A=$FIRM_A
FIRM_B=$FIRM_B
FIRM_C=$FIRM_C
LENDER_A=$LENDER_A
LENDER_B=$LENDER_B
DECISION_A=$DECISION_A
DECISION_B=$DECISION_B
DECLINE_A=$DECLINE_A
LOAN_A=$LOAN_A
LOAN_B=$LOAN_B
ALERT_A=$ALERT_A
ALERT_B=$ALERT_B
VFIRM_A=$VFIRM_A
VFIRM_B=$VFIRM_B
VOUCHER_A=$VOUCHER_A
VOUCHER_B=$VOUCHER_B
REGULATOR=
ASOF=2025-12-31
OPEN_DAY=2026-01-11
ENV
for v in FIRM_A FIRM_B FIRM_C LENDER_A LENDER_B DECISION_A DECISION_B DECLINE_A LOAN_A LOAN_B \
         ALERT_A ALERT_B VFIRM_A VFIRM_B VOUCHER_A VOUCHER_B; do
    [ -n "${!v}" ] || { echo "platform.sh: $v is empty" >&2; exit 1; }
done
rm -rf "$DIR/prov"
mv "$PUHUI_DB" "$DIR/platform.db"
mv "$PUHUI_DB.evidence" "$DIR/platform.db.evidence"
rm -f "$PUHUI_DB"-wal "$PUHUI_DB"-shm
echo "platform.sh: $DIR/platform.db ($(cat "$DIR/platform.env" | tr '\n' ' '))"
