#!/usr/bin/env bash
# End-to-end: the loan book on a real marketplace (the set-up of
# test_market.sh, smaller): offers accepted once, declined and shadow
# decisions and an expired offer refused, bad servicing refused with the
# field and value named and nothing stored, a revolving line drawn over its
# limit and while frozen, prepayment, renewal by the product's rule, close of
# business in order and idempotent, and a loan driven to default whose loss
# the guarantor and the pool share to the fen (puhui risk-share).
set -e
. "$(dirname "$0")/lib.sh"
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
export PUHUI_DB="$WORK/loan.db"

run 0 init
run 0 gen --enterprises 300 --months 24 --start 2024-01 --seed 3 --out "$WORK/prov"
run 0 ingest --known-on 2026-01-01 "$WORK/prov"
run 0 features refresh --asof 2025-12-31
run 0 model register --model "$F/pmml/province_scorecard.pmml" --name province_pd
run 0 model approve --name province_pd --version 1 --by "model risk committee" --note "fixture"
L1=$(awk -F, 'NR > 1 && $3 == "state_bank" { print $1; exit }' "$WORK/prov/reference/lenders.csv")
sed "s/@LENDER@/$L1/" "$F/market/city_bank.json" >"$WORK/city.json"
run 0 policy load "$WORK/city.json" --activate
# a challenger on half the applications: its decisions are shadows
sed 's/"version": 1/"version": 2/; s/"80bp"/"60bp"/' "$WORK/city.json" >"$WORK/city2.json"
run 0 policy load "$WORK/city2.json"
run 0 policy challenger --lender "$L1" --name "inclusive working-capital loan" --version 2 --share 50%
run 0 market lpr 3.00% --from 2025-01-01
run 0 market subsidy "$F/market/subsidy_chongqing.json"
awk -F, 'NR > 1 && NR <= 61 { print $1 }' "$WORK/prov/feeds/registration.csv" >"$WORK/firms.txt"
run 0 consent grant --enterprises "$WORK/firms.txt" --institution "$L1" --purpose credit \
    --until "$(date -d "300 days" +%F)"
{ echo enterprise,amount,term,purpose,asof,guarantor
  awk '{ print $1 ",300000,12,working_capital,2025-12-31,1" }' "$WORK/firms.txt"; } >"$WORK/batch.csv"
run 0 apply --batch "$WORK/batch.csv"

q() { sqlite3 "$PUHUI_DB" "$1"; }
# served approved offers (with a guarantor), a served decline, a shadow
OFFERS=$(q "SELECT id FROM decision WHERE approved = 1 AND served = 1 ORDER BY id LIMIT 4")
read -r A1 A2 A3 A4 <<<"$(echo $OFFERS)"
DECLINED=$(q "SELECT id FROM decision WHERE approved = 0 AND served = 1 ORDER BY id LIMIT 1")
SHADOW=$(q "SELECT id FROM decision WHERE approved = 1 AND served = 0 ORDER BY id LIMIT 1")
check "four offers, a decline and a shadow" [ -n "$A4" ] && [ -n "$DECLINED" ] && [ -n "$SHADOW" ]

# The state a refused command must leave alone: the trial balance and the
# book, loan by loan. `refused` runs a command expected to fail (exit 2),
# checks that the error names FIELD and VALUE, then that nothing moved and
# the ledger still verifies.
state() { "$PUHUI" ledger trial-balance --on 2027-12-31; "$PUHUI" loan list; }
refused() {
    local what=$1 field=$2 value=$3
    shift 3
    local before
    before=$(state)
    run 2 "$@"
    local err=$ERR
    check "$what: names field $field" contains "$ERR" "field $field, value '$value'"
    check "$what: nothing stored" [ "$(state)" = "$before" ]
    run 0 ledger verify
    ERR=$err
}
# fen as yuan with grouping, as the CLI prints them
yuan() { awk -v f="$1" 'BEGIN { printf "%.2f", f / 100 }' | sed ':a;s/^\([0-9]\+\)\([0-9]\{3\}\)/\1,\2/;ta'; }

# ---- booking ---------------------------------------------------------------------------------
run 0 loan accept --decision "$A1" --on 2025-12-31
check "loan 1 booked" contains "$OUT" "loan 1 booked on 2025-12-31 from decision $A1"
check "with the 2:8 scheme" contains "$OUT" "scheme bank_guarantor_2_8"
refused "accepted twice" decision "$A1" loan accept --decision "$A1" --on 2025-12-31
check "the second accept names the loan" contains "$ERR" "the offer was accepted already: loan 1"
refused "declined" decision "$DECLINED" loan accept --decision "$DECLINED" --on 2025-12-31
check "a decline is said so" contains "$ERR" "the lender declined this application"
refused "shadow" decision "$SHADOW" loan accept --decision "$SHADOW" --on 2025-12-31
check "a shadow is said so" contains "$ERR" "a shadow decision"
refused "expired" on 2026-02-15 loan accept --decision "$A2" --on 2026-02-15
check "the window is named" contains "$ERR" "it was open 2025-12-31 to 2026-01-29 (30 days"
run 0 loan accept --decision "$A2" --on 2025-12-31
run 0 loan accept --decision "$A3" --on 2025-12-31
check "three term loans" [ "$(q "SELECT count(*) FROM loan WHERE method <> 'revolving'")" = 3 ]

# ---- bad servicing ---------------------------------------------------------------------------
refused "unknown loan" loan 99 loan repay --loan 99 --amount 5 --on 2025-12-31
check "an unknown loan is said so" contains "$ERR" "no loan with that id"
refused "negative amount" amount -5.00 loan repay --loan 2 --amount -5 --on 2025-12-31
check "a positive amount is expected" contains "$ERR" "expected a repayment of more than 0"
refused "zero amount" amount 0.00 loan repay --loan 2 --amount 0 --on 2025-12-31
refused "more than is due" amount 1,000.00 loan repay --loan 2 --amount 1,000 --on 2025-12-31
check "what is due is named" contains "$ERR" "more than is owed: 0.00 is due today; to repay principal early, prepay"

# ---- close of business -----------------------------------------------------------------------
run 0 cob --through 2026-01-10
check "11 days closed" contains "$OUT" "closed 11 days, 2025-12-31 to 2026-01-10"
before=$(state)
run 0 cob --through 2026-01-10
check "through again closes nothing" contains "$OUT" "no open day to close through 2026-01-10"
check "and changes nothing" [ "$(state)" = "$before" ]
refused "a closed day" date 2026-01-10 cob --date 2026-01-10
check "the next open day is named" contains "$ERR" "that day is closed already; the next open day is 2026-01-11"
refused "a day out of order" date 2026-01-12 cob --date 2026-01-12
check "days close in order" contains "$ERR" "days close in order: the next open day is 2026-01-11"
run 0 cob --date 2026-01-11
check "the next day closes" contains "$OUT" "closed 1 day, 2026-01-11 to 2026-01-11"
refused "before the last COB" on 2026-01-05 loan repay --loan 2 --amount 5 --on 2026-01-05
check "the open day is named" contains "$ERR" "expected the open business day 2026-01-12: the days before it are closed"
refused "a day still to close" on 2026-01-20 loan repay --loan 2 --amount 5 --on 2026-01-20
check "the days to close first are named" contains "$ERR" "expected the open business day 2026-01-12: close the days before 2026-01-20 first"

# ---- prepayment ------------------------------------------------------------------------------
run 0 loan prepay --loan 2 --amount 50,000
check "partial prepayment reduces principal" contains "$OUT" "principal before due"
check "the loan stays open" [ "$(q "SELECT status FROM loan_state WHERE loan_id = 2")" = active ]
run 0 loan prepay --loan 2 --full
check "full prepayment closes it" contains "$OUT" "the loan is repaid"
refused "a closed loan" loan 2 loan repay --loan 2 --amount 5
check "closed is said so" contains "$ERR" "the loan is closed: no event can change it"

# ---- renewal ---------------------------------------------------------------------------------
# what loan N owes now (yuan, no grouping): overdue principal, interest
# due, penalty and the guarantee fee, plus the interest accrued with "all"
owed() {
    "$PUHUI" loan show --loan "$1" | awk -v all="${2:-}" '
        /^(principal overdue|interest due|penalty|guarantee fee owed) / ||
        (all != "" && /^interest accrued /) { v = $NF; gsub(",", "", v); s += v }
        END { printf "%.2f", s }'
}
before=$(state)
run 2 loan renew --loan 3 --term 12
check "renewal with interest owed: named" contains "$ERR" "field renewal, value '"
check "interest first" contains "$ERR" "interest, penalty and fees must be paid before a renewal"
check "renewal with interest owed: nothing stored" [ "$(state)" = "$before" ]
OWED=$(echo "$ERR" | sed -n "s/.*field renewal, value '\([0-9,.]*\)'.*/\1/p" | tr -d ,.)
run 0 loan prepay --loan 3 --amount "$(yuan $((OWED + 100)) | tr -d ,)"
refused "renewal too early" renewal "dpd <= 30 and months_on_book >= 6 and renewals < 2" \
    loan renew --loan 3 --term 12
check "the rule's facts are given" contains "$ERR" "0 months on book"

# ---- a revolving line ------------------------------------------------------------------------
PRODUCT=$(q "SELECT product FROM loan WHERE id = 1")
RULE="dpd <= 30 and months_on_book >= 6 and renewals < 2"
printf '{"products": [{"name": "default"}, {"name": "%s", "method": "revolving", "renewal": "%s"}]}\n' \
    "$PRODUCT" "$RULE" \
    >"$WORK/products.json"
run 0 loan products "$WORK/products.json"
run 0 loan accept --decision "$A4" --on 2026-01-12
check "a revolving line" contains "$OUT" "loan 4 booked on 2026-01-12"
check "booked as a line" contains "$OUT" ", revolving,"
LIMIT=$(q "SELECT amount_fen FROM loan WHERE id = 4")
run 0 loan draw --loan 4 --amount 10,000
check "a draw" contains "$OUT" "loan 4: drew 10,000.00 yuan"
OVER=$((LIMIT - 1000000 + 1))
refused "a draw over the limit" amount "$(yuan $OVER)" loan draw --loan 4 --amount "$(yuan $OVER)"
check "the amount available is named" contains "$ERR" \
    "over the limit: the line is $(yuan "$LIMIT"), $(yuan $((LIMIT - 1000000))) is available"
run 0 loan freeze --loan 4 --reason "late tax filings"
refused "a draw on a frozen line" amount 10.00 loan draw --loan 4 --amount 10
check "frozen is said so" contains "$ERR" "the line is frozen"
run 0 loan unfreeze --loan 4
run 0 loan draw --loan 4 --amount 10
run 0 ledger verify

# ---- months of servicing: loan 3 kept current, loan 1 never repaid ----------------------------
for end in 2026-01-31 2026-02-28 2026-03-31 2026-04-30 2026-05-31 2026-06-30; do
    "$PUHUI" cob --through "$end" >/dev/null
    due=$(owed 3)
    # the fee accrued since the instalment is not due yet: repay what the
    # refusal says is due
    if ! "$PUHUI" loan repay --loan 3 --amount "$due" >>"$WORK/repaid" 2>"$WORK/due"; then
        due=$(sed -n 's/.*more than is owed: \([0-9,.]*\) is due today.*/\1/p' "$WORK/due" | tr -d ,)
        "$PUHUI" loan repay --loan 3 --amount "$due" >>"$WORK/repaid"
    fi
done
check "loan 3 is current" [ "$(q "SELECT dpd FROM loan_state WHERE loan_id = 3")" = 0 ]
run 0 loan prepay --loan 3 --amount "$(awk -v a="$(owed 3 all)" 'BEGIN { printf "%.2f", a + 1 }')"
run 0 loan renew --loan 3 --term 12
check "renewed after six months" contains "$OUT" "loan 3 renewed as loan 5 for 12 months"
check "not a restructuring" [ "$(q "SELECT restructured FROM loan WHERE id = 5")" = 0 ]
run 0 ledger verify

# ---- default and risk sharing -----------------------------------------------------------------
LOSS=$(q "SELECT amount_fen FROM loan WHERE id = 1")
check "loan 1 defaulted whole" [ "$(q "SELECT loss_fen FROM loan_share WHERE loan_id = 1")" = "$LOSS" ]
GUARANTOR=$(q "SELECT guarantor FROM loan WHERE id = 1")
POOL=$(q "SELECT pool FROM loan WHERE id = 1")
POOL_CAPITAL=$(q "SELECT capital_fen FROM risk_pool WHERE pool = '$POOL'")
# every default's loss, split 2:8, then the pool pays its share of the
# bank's part: floors, the bank the rest; summed by party
G=0 B=0 PL=0
while IFS='|' read -r loss bp; do
    g=$((loss * 8000 / 10000)); b=$((loss - g)); p=$((b * bp / 10000))
    G=$((G + g)); B=$((B + b - p)); PL=$((PL + p))
done <<<"$(q "SELECT s.loss_fen, l.pool_bp FROM loan_share s JOIN loan l ON l.id = s.loan_id WHERE l.pool = '$POOL' AND l.scheme = 'bank_guarantor_2_8'")"
check "every default was under the 2:8 scheme with the pool" \
    [ "$(q "SELECT count(*) FROM loan_share")" = "$(q "SELECT count(*) FROM loan_share s JOIN loan l ON l.id = s.loan_id WHERE l.pool = '$POOL' AND l.scheme = 'bank_guarantor_2_8' AND l.guarantor = '$GUARANTOR'")" ]
run 0 risk-share
check "the guarantor's part" contains "$OUT" "$GUARANTOR"
check "the split to the fen: guarantor" contains "$OUT" "guarantor    $(yuan "$G")"
check "the split to the fen: pool" contains "$OUT" "pool         $(yuan "$PL")"
check "the split to the fen: bank" contains "$OUT" "bank         $(yuan "$B")"
check "the pool's balance" contains "$OUT" "$POOL  $(yuan "$POOL_CAPITAL")  $(yuan "$PL")  $(yuan $((POOL_CAPITAL - PL)))"
run 0 --format json risk-share
check "json: pool paid" contains "$OUT" "\"paid_out\": \"$(yuan "$PL" | tr -d ,)\""
check "json: pool balance" contains "$OUT" "\"balance\": \"$(yuan $((POOL_CAPITAL - PL)) | tr -d ,)\""
check "json: guarantor compensated" contains "$OUT" "\"compensated\": \"$(yuan "$G" | tr -d ,)\""
run 0 ledger verify
run 0 ledger trial-balance --on 2027-12-31
check "the trial balance is zero" contains "$OUT" "debits equal credits"

finish
