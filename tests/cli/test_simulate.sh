#!/usr/bin/env bash
# End-to-end: the province runs forward (puhui simulate) and a modelling
# sample from the book (puhui model sample). A small generated province goes
# through the marketplace in December 2025; then
#  - a hand-made book: a partial repayment past the grace days leaves the
#    penalty posted (it used to be taken back, and the next COB refused the
#    loan), and model sample labels a non-payer bad, payers good, and leaves
#    out firms without a loan, firms already bad and horizons not yet closed;
#  - the simulator on two copies with the same seed: identical output and
#    ledger; the trial balance is zero, the ledger verifies, the NPL ratio is
#    plausible, the compensation rate is reported.
set -e
. "$(dirname "$0")/lib.sh"
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
export PUHUI_DB="$WORK/decided.db"

run 0 init
run 0 gen --enterprises 800 --months 24 --start 2024-01 --seed 3 --out "$WORK/prov"
run 0 ingest --known-on 2026-01-01 "$WORK/prov"
MONDAYS=2025-12-01,2025-12-08,2025-12-15,2025-12-22,2025-12-29
run 0 features refresh --asof "$MONDAYS"
run 0 model register --model "$F/pmml/province_scorecard.pmml" --name province_pd
run 0 model approve --name province_pd --version 1 --by "model risk committee" --note "fixture"
LENDERS="$WORK/prov/reference/lenders.csv"
L1=$(awk -F, 'NR > 1 && $3 == "state_bank" { print $1; exit }' "$LENDERS")
L2=$(awk -F, 'NR > 1 && $3 == "digital_bank" { print $1; exit }' "$LENDERS")
L3=$(awk -F, 'NR > 1 && $3 == "state_bank" { n++; if (n == 2) { print $1; exit } }' "$LENDERS")
sed "s/@LENDER@/$L1/" "$F/market/city_bank.json" >"$WORK/city.json"
sed "s/@LENDER@/$L2/" "$F/market/digital_bank.json" >"$WORK/digital.json"
sed "s/@LENDER@/$L3/" "$F/market/rural_bank.json" >"$WORK/rural.json"
for p in city digital rural; do run 0 policy load "$WORK/$p.json" --activate; done
run 0 market lpr 3.00% --from 2025-01-01
run 0 market subsidy "$F/market/subsidy_chongqing.json"
awk -F, 'NR > 1 && NR <= 401 { print $1 }' "$WORK/prov/feeds/registration.csv" >"$WORK/firms.txt"
for l in "$L1" "$L2" "$L3"; do
    run 0 consent grant --enterprises "$WORK/firms.txt" --institution "$l" --purpose credit \
        --until "$(date -d "300 days" +%F)"
done
{ echo enterprise,amount,term,purpose,asof,guarantor
  awk '{ printf "%s,%d,%d,working_capital,2025-12-%02d,%d\n", $1, 100000 + (NR % 5) * 100000,
         (NR % 7 ? 12 : 24), 1 + 7 * (NR % 5), (NR % 4 == 0) }' "$WORK/firms.txt"; } >"$WORK/batch.csv"
run 0 apply --batch "$WORK/batch.csv" >/dev/null
offers=$(sqlite3 "$PUHUI_DB" "SELECT count(DISTINCT application_id) FROM decision WHERE approved = 1 AND served = 1")
check "the month has offers to accept ($offers)" [ "$offers" -ge 60 ]

# ---- a hand-made book ----------------------------------------------------------------------
cp "$WORK/decided.db" "$WORK/hand.db"
export PUHUI_DB="$WORK/hand.db"
# three firms with an offer dated 2025-12-01: the first never pays, the
# second pays late and in part, the third repays everything in January
mapfile -t D < <(sqlite3 "$PUHUI_DB" "SELECT min(d.id) FROM decision d JOIN application a ON a.id = d.application_id WHERE d.approved = 1 AND d.served = 1 AND a.asof = '2025-12-01' AND a.term = 12 GROUP BY a.uscc ORDER BY a.uscc LIMIT 3")
check "three offers for the hand-made book" [ "${#D[@]}" -eq 3 ]
for d in "${D[@]}"; do run 0 loan accept --decision "$d" --on 2025-12-01; done
firm() { sqlite3 "$PUHUI_DB" "SELECT uscc FROM loan WHERE id = $1"; }
BAD=$(firm 1) LATE=$(firm 2) GOOD=$(firm 3)
run 0 cob --through 2026-01-10
owed=$(sqlite3 "$PUHUI_DB" "SELECT printf('%.2f', (interest_due + principal_due) / 200.0) FROM loan_state WHERE loan_id = 2")
run 0 loan repay --loan 2 --amount "$owed" --on 2026-01-11
check "a partial repayment pays the posted penalty" [ -n "${OUT##*penalty 0.00,*}" ]
run 0 cob --through 2026-01-12
check "the next COB runs after a repayment that paid penalty" contains "$OUT" "closed 2 days"
check "the penalty stays >= 0" [ "$(sqlite3 "$PUHUI_DB" "SELECT penalty >= 0 FROM loan_state WHERE loan_id = 2")" = 1 ]
run 0 loan prepay --loan 2 --full --on 2026-01-13
run 0 loan prepay --loan 3 --full --on 2026-01-13
run 0 cob --through 2026-06-30
check "the non-payer defaulted in the book" [ -n "$(sqlite3 "$PUHUI_DB" "SELECT defaulted_on FROM loan_state WHERE loan_id = 1")" ]
OTHER=$(sed -n 400p "$WORK/firms.txt")
{ echo "uscc,asof,x"
  for f in "$BAD" "$LATE" "$GOOD" "$OTHER"; do echo "$f,2025-12-31,1"; done
  echo "$BAD,2026-05-31,2"
  echo "$GOOD,2026-03-31,3"
  echo "$GOOD,2024-12-31,4"; } >"$WORK/panel.csv"
run 0 model sample --from 2025-12 --to 2026-05 --horizon 4m --bad dpd90 --features "$WORK/panel.csv" \
    --registration "$WORK/prov/feeds/registration.csv" --out "$WORK/sample.csv"
check "sample header keeps the segments" [ "$(head -1 "$WORK/sample.csv")" = "uscc,asof,x,city,industry,owner_gender,bad" ]
label() { awk -F, -v f="$1" -v a="$2" '$1 == f && $2 == a { print $NF }' "$WORK/sample.csv"; }
check "the non-payer is bad within 4 months of 2025-12" [ "$(label "$BAD" 2025-12-31)" = 1 ]
check "the late payer is good" [ "$(label "$LATE" 2025-12-31)" = 0 ]
check "the early repayer is good" [ "$(label "$GOOD" 2025-12-31)" = 0 ]
check "a firm without a loan is left out" [ -z "$(label "$OTHER" 2025-12-31)" ]
check "a firm bad already is left out" [ -z "$(label "$BAD" 2026-05-31)" ]
check "a horizon past the last COB is left out" [ -z "$(label "$GOOD" 2026-03-31)" ]
check "a month outside --from..--to is left out" [ -z "$(label "$GOOD" 2024-12-31)" ]
check "segments filled" [ "$(awk -F, -v f="$GOOD" '$1 == f { print ($4 != "" && $5 != "" && $6 != "") }' "$WORK/sample.csv")" = 1 ]
check "the summary counts" contains "$OUT" "3 rows labelled from the book (1 bad: dpd90 within 4m)"
run 2 model sample --from 2025-12 --to 2025-12 --horizon 0m --features "$WORK/panel.csv" --out "$WORK/x.csv"
check "a bad horizon is refused" contains "$ERR" "--horizon"

# ---- the province runs forward ------------------------------------------------------------
cp "$WORK/decided.db" "$WORK/s1.db"
cp "$WORK/decided.db" "$WORK/s2.db"
run 1 --db "$WORK/s1.db" simulate --province "$WORK/nowhere" --from 2026-01 --months 12
check "a missing province is named" contains "$ERR" "nowhere/truth/"
run 0 --db "$WORK/s1.db" simulate --province "$WORK/prov" --from 2026-01 --months 12 --seed 7
echo "$OUT" >"$WORK/s1.out"
run 0 --db "$WORK/s2.db" simulate --province "$WORK/prov" --from 2026-01 --months 12 --seed 7
echo "$OUT" >"$WORK/s2.out"
check "the same seed gives the same book" cmp -s "$WORK/s1.out" "$WORK/s2.out"
head1=$(sqlite3 "$WORK/s1.db" "SELECT hash FROM journal_entry ORDER BY id DESC LIMIT 1")
head2=$(sqlite3 "$WORK/s2.db" "SELECT hash FROM journal_entry ORDER BY id DESC LIMIT 1")
check "and the same ledger, to the hash" test -n "$head1" -a "$head1" = "$head2"
echo "$OUT" | sed -n '1,3p;/^NPL/p;/^compensation/p;/credit loans/p' | sed 's/^/# /'
check "offers accepted" contains "$OUT" "best offers accepted"
check "firms repay by health" contains "$OUT" "paid on time"
check "the book by category" contains "$OUT" "the book by category"
check "losses by party" contains "$OUT" "losses shared by party"
check "credit share and first-time borrowers" contains "$OUT" "first-time borrowers"
check "compensation rate" contains "$OUT" "compensation rate: "
npl=$(echo "$OUT" | sed -n 's/.*NPL ratio \([0-9.]*\)%.*/\1/p')
check "NPL ratio plausible: 0.3% to 8% (got $npl%)" awk -v x="$npl" 'BEGIN { exit !(x >= 0.3 && x <= 8) }'
loans=$(sqlite3 "$WORK/s1.db" "SELECT count(*) FROM loan WHERE renewal_of IS NULL")
check "every application's best offer booked ($loans of $offers)" [ "$loans" -eq "$offers" ]
check "one loan per application" [ "$(sqlite3 "$WORK/s1.db" "SELECT count(*) FROM loan l JOIN decision d ON d.id = l.decision_id GROUP BY d.application_id HAVING count(*) > 1" | wc -l)" = 0 ]
check "the best offer: none cheaper for the same application" [ "$(sqlite3 "$WORK/s1.db" "SELECT count(*) FROM loan l JOIN decision d ON d.id = l.decision_id JOIN decision o ON o.application_id = d.application_id AND o.approved = 1 AND o.served = 1 AND o.net_apr < d.net_apr")" = 0 ]
run 0 --db "$WORK/s1.db" ledger trial-balance --on 2026-12-31
check "the trial balance is zero" contains "$OUT" "debits equal credits"
run 0 --db "$WORK/s1.db" ledger verify
check "the ledger verifies" contains "$OUT" "ledger intact"
run 2 --db "$WORK/s1.db" simulate --province "$WORK/prov" --from 2026-06 --months 1
check "a closed month is refused" contains "$ERR" "closed through 2026-12-31 already"
finish
