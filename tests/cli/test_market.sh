#!/usr/bin/env bash
# End-to-end: the marketplace on a generated province. Three lenders' policies,
# an approved scorecard, the LPR and a subsidy programme; an application with
# offers ranked by net cost, a decline with its reasons, consent refusal, bad
# applications that store nothing, replay, an appeal, a challenger, a
# simulation, a batch and the market report.
set -e
. "$(dirname "$0")/lib.sh"
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
export PUHUI_DB="$WORK/market.db"

run 0 init
run 0 gen --enterprises 600 --months 24 --start 2024-01 --seed 3 --out "$WORK/prov"
run 0 ingest --known-on 2026-01-01 "$WORK/prov"
# the scheduled peer-median refresh of every day applications are made on
run 0 features refresh --asof "$(seq -f '2025-12-%02g' 1 28 | paste -sd,),2025-12-31"
run 0 model register --model "$F/pmml/province_scorecard.pmml" --name province_pd
run 0 model approve --name province_pd --version 1 --by "model risk committee" --note "fixture"

# three lenders of the province, each with its own policy
L1=$(awk -F, 'NR > 1 && $3 == "state_bank" { print $1; exit }' "$WORK/prov/reference/lenders.csv")
L2=$(awk -F, 'NR > 1 && $3 == "digital_bank" { print $1; exit }' "$WORK/prov/reference/lenders.csv")
L3=$(awk -F, 'NR > 1 && $3 == "state_bank" { n++; if (n == 2) { print $1; exit } }' "$WORK/prov/reference/lenders.csv")
check "three lenders found" [ -n "$L1" ] && [ -n "$L2" ] && [ -n "$L3" ]
sed "s/@LENDER@/$L1/" "$F/market/city_bank.json" >"$WORK/city.json"
sed "s/@LENDER@/$L2/" "$F/market/digital_bank.json" >"$WORK/digital.json"
sed "s/@LENDER@/$L3/" "$F/market/rural_bank.json" >"$WORK/rural.json"
for p in city digital rural; do run 0 policy load "$WORK/$p.json" --activate; done

# no LPR yet: the application is refused and nothing is stored
FIRM=$(awk -F, 'NR == 5 { print $1 }' "$WORK/prov/feeds/registration.csv")
run 2 apply --enterprise "$FIRM" --amount 300,000 --term 12 --purpose working_capital --asof 2025-12-31
check "no LPR" contains "$ERR" "no LPR in force on that day"
run 0 market lpr 3.00% --from 2025-01-01
run 2 market lpr 3.10% --from 2025-01-01
check "an LPR is never replaced" contains "$ERR" "an LPR is recorded from that day already"
run 0 market subsidy "$F/market/subsidy_chongqing.json"
run 0 market facts
check "facts list the features" contains "$OUT" "inflow_12m"

# bad applications fail clearly and store nothing
run 2 apply --enterprise "$FIRM" --amount -5 --term 12 --purpose working_capital --asof 2025-12-31
check "negative amount" contains "$ERR" "field amount, value '-5.00': expected an amount above 0"
run 2 apply --enterprise "$FIRM" --amount 100,000 --term 400 --purpose working_capital --asof 2025-12-31
check "term out of range" contains "$ERR" "field term, value '400': expected 1 to 360 months"
run 2 apply --enterprise "$FIRM" --amount 100,000 --term 12 --purpose holiday --asof 2025-12-31
check "unknown purpose" contains "$ERR" "expected one of working_capital"
UNKNOWN=$("$PUHUI" uscc generate --division 440305 --count 1)
run 2 apply --enterprise "$UNKNOWN" --amount 100,000 --term 12 --purpose trade --asof 2025-12-31
check "unknown enterprise" contains "$ERR" "expected an enterprise registered with the platform"
check "nothing stored" [ "$(sqlite3 "$PUHUI_DB" 'SELECT count(*) FROM application')" = 0 ]

# no consent: no lender is asked, and the firm is told why
run 0 apply --enterprise "$FIRM" --amount 300,000 --term 12 --purpose working_capital --asof 2025-12-31
check "not asked without consent" contains "$OUT" "not asked: no live consent from $FIRM"
check "refusals logged" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM access_log WHERE outcome = 'denied'")" -ge 2 ]

# consents from 150 firms to the three lenders, from today (consent is judged
# on the day of the read), then a batch of applications as of December 2025
awk -F, 'NR > 1 && NR <= 151 { print $1 }' "$WORK/prov/feeds/registration.csv" >"$WORK/firms.txt"
for l in "$L1" "$L2" "$L3"; do
    run 0 consent grant --enterprises "$WORK/firms.txt" --institution "$l" --purpose credit \
        --until "$(date -d "300 days" +%F)"
done
check "150 consents per lender" contains "$OUT" "150 consents granted to $L3 for credit assessment"
{ head -2 "$WORK/firms.txt"; echo "91370102NOTACODE00"; } >"$WORK/some.txt"
run 2 consent grant --enterprises "$WORK/some.txt" --institution "$L1" --purpose monitoring --until "$(date -d "300 days" +%F)"
check "a bad line stops the run, named" contains "$ERR" "some.txt:3: "
check "the grants before it stand" contains "$OUT" "2 consents granted"
{ echo enterprise,amount,term,purpose,asof,guarantor
  awk '{ print $1 ",300000,12,working_capital,2025-12-" sprintf("%02d", NR % 28 + 1) "," NR % 2 }' "$WORK/firms.txt"
  echo "$FIRM,-1,12,working_capital,2025-12-31"; } >"$WORK/batch.csv"
run 0 apply --batch "$WORK/batch.csv"
check "batch line per application" [ "$(echo "$OUT" | wc -l)" -eq 151 ]
check "bad batch row skipped with its line" contains "$ERR" "skipped $WORK/batch.csv:152:20: field amount"

# an application with offers: ranked by net APR, subsidy shown
OFFER=$(sqlite3 "$PUHUI_DB" "SELECT a.uscc FROM application a JOIN decision d ON d.application_id = a.id WHERE d.approved = 1 AND d.served = 1 GROUP BY a.id ORDER BY count(*) DESC, a.id LIMIT 1")
run 0 apply --enterprise "$OFFER" --amount 200,000 --term 12 --purpose working_capital --asof 2025-12-31
check "offers table" contains "$OUT" "offers, cheapest for the firm first (net of subsidies)"
check "subsidy explained" contains "$OUT" "interest subsidy"
run 0 --format json apply --enterprise "$OFFER" --amount 200,000 --term 12 --purpose working_capital --asof 2025-12-31
check "json offer" contains "$OUT" '"status": "offer"'
check "json net apr" contains "$OUT" '"net_apr": "0.'

# a decline: at least three reasons, each with its data
DECLINE=$(sqlite3 "$PUHUI_DB" "SELECT d.id FROM decision d WHERE d.approved = 0 AND d.served = 1 AND d.lender = '$L1' ORDER BY d.id LIMIT 1")
REASONS=$(sqlite3 "$PUHUI_DB" "SELECT json_array_length(reasons) FROM decision WHERE id = $DECLINE")
check "a decline has three reasons or more" [ "$REASONS" -ge 3 ]
check "reasons carry data" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE approved = 0 AND reasons NOT LIKE '%=%' AND reasons NOT LIKE '%missing%' AND reasons NOT LIKE '%MODEL:%'")" = 0 ]

# replay every stored decision of the first lender to the identical result
for id in $(sqlite3 "$PUHUI_DB" "SELECT id FROM decision WHERE lender = '$L1' ORDER BY id LIMIT 20"); do
    "$PUHUI" decision replay "$id" >"$WORK/replay" || { cat "$WORK/replay"; false; }
done
check "20 decisions replayed identically" true
run 0 decision replay "$DECLINE"
check "replay identical" contains "$OUT" "identical (score, PD, outcome and the"
run 0 decision show "$DECLINE"
check "trace shows the steps" contains "$OUT" '"steps"'

# an appeal, decided by a reviewer
run 0 appeal open --decision "$DECLINE" --grounds "December sales were not yet reported"
check "appeal opened" contains "$OUT" "appeal 1 opened on decision $DECLINE"
run 2 appeal decide --appeal 1 --reviewer "Li Wei" --outcome overturn --reason "checked"
check "overturn needs a limit" contains "$ERR" "expected a limit above 0"
run 0 appeal decide --appeal 1 --reviewer "Li Wei" --outcome overturn --reason "statements checked" --limit 150,000 --rate 4.5%
run 0 appeal list
check "appeal listed" contains "$OUT" "overturned"
check "decision unchanged" [ "$(sqlite3 "$PUHUI_DB" "SELECT approved FROM decision WHERE id = $DECLINE")" = 0 ]

# a challenger for the city bank: a cheaper version 2 on half the applications
sed 's/"version": 1/"version": 2/; s/"80bp"/"60bp"/' "$WORK/city.json" >"$WORK/city2.json"
run 0 policy load "$WORK/city2.json"
run 0 policy challenger --lender "$L1" --name "inclusive working-capital loan" --version 2 --share 50%
run 0 apply --batch "$WORK/batch.csv"
check "both outcomes recorded" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE role = 'challenger'")" -ge 100 ]
check "challenger served some" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE role = 'challenger' AND served = 1")" -ge 20 ]
check "champion served some" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision d JOIN application a ON a.id = d.application_id WHERE d.role = 'champion' AND d.served = 1 AND d.lender = '$L1' AND a.id > 160")" -ge 20 ]

# across model kinds: the digital bank's version 2 reads an XGBoost model of
# the platform's features, approved through the same registry gate
run 0 model register --model "$F/models/province_xgb.json" --name province_gbdt
sed 's/"version": 1/"version": 2/; s/"model": "province_pd"/"model": "province_gbdt"/' \
    "$WORK/digital.json" >"$WORK/digital2.json"
run 0 policy load "$WORK/digital2.json"
run 0 policy challenger --lender "$L2" --name "payment-flow credit loan" --version 2 --share 50%
BEFORE=$(sqlite3 "$PUHUI_DB" "SELECT max(id) FROM decision")
run 0 apply --batch "$WORK/batch.csv"
check "a draft model is never used: the challenger cannot run" \
    [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE id > $BEFORE AND model = 'province_gbdt'")" = 0 ]
run 0 model approve --name province_gbdt --version 1 --by "model risk committee" --note "fixture"
BEFORE=$(sqlite3 "$PUHUI_DB" "SELECT max(id) FROM decision")
run 0 apply --batch "$WORK/batch.csv"
check "the tree model decides the challenger's share" \
    [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE id > $BEFORE AND lender = '$L2' AND role = 'challenger' AND model = 'province_gbdt'")" -ge 50 ]
check "the scorecard the champion's" \
    [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE id > $BEFORE AND lender = '$L2' AND role = 'champion' AND model = 'province_pd'")" -ge 50 ]
check "a tree model gives a PD and no points" \
    [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE id > $BEFORE AND model = 'province_gbdt' AND (pd IS NULL OR score IS NOT NULL)")" = 0 ]
check "its declines read in the catalogue's words" \
    [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE id > $BEFORE AND model = 'province_gbdt' AND approved = 0 AND reasons LIKE '%MODEL:%' AND reasons NOT LIKE '% is 0.%'")" -ge 1 ]

# simulate a stricter version over what was decided
sed 's/"version": 1/"version": 3/; s/"< 550"/"< 640"/' "$WORK/city.json" >"$WORK/city3.json"
run 0 policy load "$WORK/city3.json"
run 0 policy simulate --lender "$L1" --name "inclusive working-capital loan" --version 3
check "simulation compares approval rates" contains "$OUT" "approval rate"
check "simulation lists changes" contains "$OUT" "the decisions that would change"
check "simulation stores nothing" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision WHERE policy_version = 3")" = 0 ]

# the market view
run 0 market report --from 2025-12-01 --to 2025-12-31
check "report by lender" contains "$OUT" "all lenders"
check "credit loans column" contains "$OUT" "credit loans"
check "decline reasons" contains "$OUT" "the most frequent decline reasons by lender"

finish
