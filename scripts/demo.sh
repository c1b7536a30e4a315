#!/bin/sh
# The main job, on the embedded default (SQLite): what a newcomer runs first.
# Usage: scripts/demo.sh PATH/TO/puhui
set -eu
puhui=${1:-build/puhui}
demo=out/demo
mkdir -p "$demo"
db="$demo/puhui.db"
rm -rf "$db" "$db-wal" "$db-shm" "$db.evidence" "$demo/participant"

if [ -t 1 ]; then bold=$(printf '\033[1m'); plain=$(printf '\033[0m'); else bold=; plain=; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

step "puhui version"
"$puhui" version

step "create the platform database ($db)"
"$puhui" --db "$db" init

step "what the database holds"
"$puhui" --db "$db" info

step "Unified Social Credit Codes: three for Lixia district (370102), then two with typos"
codes=$("$puhui" uscc generate --division 370102 --count 3)
echo "$codes"
# shellcheck disable=SC2086
"$puhui" uscc check $codes 91350100M000100Y44 9135010OM000100Y43 || true

step "money to the fen: 100,000 yuan at LPR 3.00% + 85bp for 30 days (RMB convention, ACT/360)"
"$puhui" interest --principal 100,000 --rate 3.85% --days 30
"$puhui" interest --principal 120 --rate 3.85% --days 30 --rounding half-even

step "the 2011 SME size rule"
"$puhui" size --industry C --employees 19 --revenue 2,800,000
"$puhui" size --industry F52 --employees 12 --revenue 1,200,000
"$puhui" size --industry E --revenue 70,000,000 --assets 60,000,000

step "bad input is named, not guessed (exit code 2)"
"$puhui" interest --principal 12.345 --rate 3.85% --days 30 || true

step "feed files: a clean CSV, and one exported in GBK instead of UTF-8"
printf 'uscc,name,month,sales\n%s,"济南示例商贸有限公司",2025-11,"128,400.00"\n' \
    "$(echo "$codes" | head -1)" >"$demo/vat_good.csv"
printf 'uscc,name,month,sales\n%s,"\274\303\304\317",2025-11,9000.00\n' \
    "$(echo "$codes" | tail -1)" >"$demo/vat_gbk.csv"
"$puhui" csv check "$demo/vat_good.csv" "$demo/vat_gbk.csv" --require uscc,month,sales || true

province="$demo/province"
# 36 months: two years of history to assess and lend on (2024-2025), and the
# year the book runs (2026), whose feeds the early warning watches.
step "a synthetic province: 20,000 firms over 36 months from 2024-01, seed 1, 0.1% dirty rows ($province)"
"$puhui" gen --enterprises 20000 --months 36 --seed 1 --dirty 0.001 --out "$province" --force
echo
head -3 "$province/feeds/registration.csv" "$province/feeds/payments_daily.csv"
echo
echo "the manifest's first file entry (check it with: b2sum -l 256 $province/feeds/registration.csv):"
sed -n '/"files": \[/,/}/p' "$province/manifest.json"
echo
echo "truth/ holds what the feeds were drawn from (each firm's health, its true PD, its default date),"
echo "to score models and early warnings against; a model must never read it."

step "the data hub takes the province in: every field checked, bad rows quarantined, good rows land"
echo "(a dated row is known from its date plus its feed's lag, so the 2026 rows stay out of every"
echo " decision dated 2025; snapshots are known from 2026-01-01; about half a minute)"
"$puhui" --db "$db" ingest --known-on 2026-01-01 "$province"

step "quarantine: each bad row with its file, line, field, value and reason (first 6)"
"$puhui" --db "$db" ingest --rejected --limit 6
echo "every one of them is listed in $province/truth/dirty.csv, and nothing else was refused"

step "ingesting a file again changes nothing (idempotent by natural key)"
"$puhui" --db "$db" ingest --known-on 2026-01-01 "$province/feeds/tax_grades.csv"

step "consents the scenario implies"
# Firms with a loan still open at the window end let their lender monitor them;
# 200 firms applying for credit let three province-wide lenders assess them.
# Consent is judged on the day of the read (the wall clock), so the consents
# are granted today, never on the simulated window's dates: a monitoring
# consent for the loan's remaining term (at most 1096 days), a credit consent
# for 300 days (docs/consent.md#grant-limits).
awk -F, 'NR > 1 && $6 <= "2025-12-31" && $7 > "2025-12-31" { print $2, $3, $7 }' \
    "$province/feeds/credit_loans.csv" | sort -u -k1,2 | head -150 >"$demo/open_loans.txt"
window_end=$(date -d 2025-12-31 +%s)
while read -r firm lender maturity; do
    term_days=$(( ($(date -d "$maturity" +%s) - window_end) / 86400 ))
    [ "$term_days" -le 1096 ] || term_days=1096
    "$puhui" --db "$db" consent grant --enterprise "$firm" --institution "$lender" \
        --purpose monitoring --until "$(date -d "$term_days days" +%F)" >/dev/null
done <"$demo/open_loans.txt"
awk -F, 'NR > 1 && $4 == 370000 { print $1 }' "$province/reference/lenders.csv" | head -3 \
    >"$demo/lenders.txt"
awk -F, 'NR > 1 && NR % 100 == 2 { print $1 }' "$province/feeds/registration.csv" \
    | grep -v -F -f "$demo/open_loans.txt" | head -200 >"$demo/applicants.txt" || true
while read -r lender; do
    while read -r firm; do
        "$puhui" --db "$db" consent grant --enterprise "$firm" --institution "$lender" \
            --purpose credit --until "$(date -d '300 days' +%F)" >/dev/null 2>&1 || true
    done <"$demo/applicants.txt"
done <"$demo/lenders.txt"
echo "$(wc -l <"$demo/open_loans.txt") monitoring consents (open loans), and credit consents from" \
    "$(wc -l <"$demo/applicants.txt") applicants to $(wc -l <"$demo/lenders.txt") lenders"
"$puhui" --db "$db" consent list --enterprise "$(head -1 "$demo/applicants.txt")" --live

step "point-in-time features of every firm as of 2025-12-31 ($demo/features.csv)"
"$puhui" --db "$db" features --asof 2025-12-31 --out "$demo/features.csv"
echo "the day's peer medians (industry and city), stored for single-firm reads by the scheduled refresh:"
"$puhui" --db "$db" features refresh --asof 2025-12-31
echo "coverage: how much of each firm the platform can see (a firm with none is never 'no risk')"
awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^has_/ || $i == "coverage_share") col[i] = $i; next }
         { n++; for (i in col) { if (col[i] == "coverage_share") { share += $i; if ($i < 0.34) thin++ } else seen[i] += $i } }
         END { for (i in col) if (col[i] != "coverage_share") printf "  %-22s %6d firms (%4.1f%%)\n", col[i], seen[i], 100 * seen[i] / n
               printf "  %-22s %6.3f (mean); %d firms see under a third of the main sources\n", "coverage_share", share / n, thin }' \
    "$demo/features.csv" | sort

firm=$(head -1 "$demo/applicants.txt")
lender=$(head -1 "$demo/lenders.txt")
step "the profile lender $lender receives for applicant $firm (derived values only)"
"$puhui" --db "$db" profile --enterprise "$firm" --as "$lender" --asof 2025-12-31

step "without consent the same read is refused, and the refusal is logged (exit code 2)"
other=$(awk -F, 'NR == 3 { print $1 }' "$province/feeds/registration.csv")
"$puhui" --db "$db" profile --enterprise "$other" --as "$lender" --asof 2025-12-31 || true

step "the firm sees who looked at its data; the access log's hash chain is intact"
"$puhui" --db "$db" audit list --enterprise "$firm"
"$puhui" --db "$db" audit verify

step "the platform signs the log's head with its key (kept outside the database)"
rm -f "$demo/checkpoint.key"
pubkey=$("$puhui" audit keygen --out "$demo/checkpoint.key" | sed -n 's/^public key (base64): //p')
"$puhui" --db "$db" audit checkpoint --key "$demo/checkpoint.key"
"$puhui" --db "$db" audit verify --key "$pubkey"

models="$demo/models"
mkdir -p "$models"
step "risk models: a modelling sample from the feature store"
echo "every firm at each month end from 2024-06 to 2024-12, as the platform knew it then;"
echo "outcome bad = default within the next 12 months (scripts/model_sample.awk)"
"$puhui" --db "$db" features --from 2024-06 --to 2024-12 --out "$models/panel.csv"
awk -f scripts/model_sample.awk "$province/truth/defaults.csv" \
    "$province/feeds/registration.csv" "$models/panel.csv" >"$models/sample.csv"
# Train on 2024-06..2024-09; judge on 2024-12, a later month the model never saw.
awk -F, 'NR == 1 || $2 <= "2024-09-30"' "$models/sample.csv" >"$models/train.csv"
awk -F, 'NR == 1 || $2 == "2024-12-31"' "$models/sample.csv" >"$models/later.csv"
echo "training sample: $(($(wc -l <"$models/train.csv") - 1)) firm-months;" \
    "out-of-time month 2024-12: $(($(wc -l <"$models/later.csv") - 1)) firms"

step "train a scorecard: fine classes, monotone bins, WOE/IV, selection, logistic regression"
echo "(600 points at 50:1 good:bad, 20 points to double the odds; segments are never inputs)"
"$puhui" model train-scorecard --input "$models/train.csv" --target bad --id uscc \
    --exclude asof,city,industry,owner_gender --out "$models/province.pmml" \
    --summary "$models/summary.txt"
sed -n '/^variable/,/^$/p' "$models/summary.txt" | awk 'NR == 1 || / kept/' | head -12
echo "... the full summary (bins, WOE, points, every dropped variable and why): $models/summary.txt"
echo "the model is a standard PMML 4.4 Scorecard: $models/province.pmml"

step "the regulator's report on the later month: discrimination, calibration, stability, fairness"
"$puhui" model report --model "$models/province.pmml" --input "$models/later.csv" --target bad \
    --segment owner_gender,city --baseline "$models/train.csv" --id uscc \
    | awk '/^Calibration/ { skip = 1 } /^Stability/ { skip = 0 } /^Characteristic/ { skip = 1 }
           /^Fairness/ { skip = 0 } !skip'

# The riskiest firms of a scored CSV: id, PD and the reasons' sentences.
# Sentences may hold commas (the CSV quotes them), so fields are split here
# with quotes honoured rather than by awk -F,.
show_riskiest() { # FILE PD_COLUMN FIRST_TEXT_COLUMN [SCORE_COLUMN]
    sort -t, -k"$2" -g -r "$1" | head -2 | awk -v pd="$2" -v text="$3" -v score="${4:-0}" '
        function split_csv(line, f,    n, i, c, quoted, cell) {
            n = 0; cell = ""; quoted = 0
            for (i = 1; i <= length(line); i++) {
                c = substr(line, i, 1)
                if (quoted && c == "\"" && substr(line, i + 1, 1) == "\"") { cell = cell c; i++ }
                else if (c == "\"") quoted = !quoted
                else if (c == "," && !quoted) { f[++n] = cell; cell = "" }
                else cell = cell c
            }
            f[++n] = cell
            return n
        }
        { n = split_csv($0, f)
          printf "%s  PD %.1f%%", f[1], 100 * f[pd]
          if (score) printf "  score %.0f", f[score]
          printf "\n"
          for (i = text; i <= n; i += 4) printf "    - %s\n", f[i] }'
}

step "score the later month with reasons a credit officer can read to the firm"
"$puhui" model score --model "$models/province.pmml" --input "$models/later.csv" --id uscc \
    --out "$models/scored.csv" --explain 3
show_riskiest "$models/scored.csv" 3 7 2

step "a model trained elsewhere: XGBoost on the same features, explained by exact TreeSHAP"
echo "(tests/fixtures/models/province_xgb.json: 120 trees trained on this sample by"
echo " tests/fixtures/models/make_province_xgb.py; scored here on two threads, the same bytes as one)"
"$puhui" model score --model tests/fixtures/models/province_xgb.json --input "$models/later.csv" \
    --id uscc --out "$models/xgb_scored.csv" --explain 3 --threads 2
show_riskiest "$models/xgb_scored.csv" 2 6
"$puhui" model report --model tests/fixtures/models/province_xgb.json --input "$models/later.csv" \
    --target bad --id uscc | sed -n '/^Performance/,/^  KS/p'

step "the registry: a model is used for decisions only once approved"
"$puhui" --db "$db" model register --model "$models/province.pmml" --name province_pd \
    --data "$models/train.csv" --target bad | grep -v '^training data\|^features'
"$puhui" --db "$db" model score --registered province_pd --input "$models/later.csv" \
    --out "$models/decided.csv" || true
"$puhui" --db "$db" model approve --name province_pd --version 1 --by "model risk committee" \
    --note "out-of-time AUC and fairness reviewed"
"$puhui" --db "$db" model score --registered province_pd --input "$models/later.csv" \
    --id uscc --out "$models/decided.csv"
"$puhui" --db "$db" model list

step "a challenger trained in the platform: boosted trees on XGBoost's C API"
echo "(the same sample; September 2024 is the validation slice for early stopping, then the"
echo " model is refitted on every row; monotone constraints from the feature catalogue; a Platt"
echo " calibration fitted on September is stored with it. Left out: the year-on-year columns,"
echo " which have no data before 2025, and the supply-chain records, which consent never lets a"
echo " lender read for credit. Learning rate 0.1 and at most 400 rounds keep the demo short.)"
left_out="city,industry,owner_gender,sales_yoy_3m,power_yoy_3m,inflow_yoy_3m"
left_out="$left_out,industry_growth_12m,region_growth_12m,chain_member,chain_tier"
"$puhui" model train-gbdt --input "$models/train.csv" --target bad --id uscc \
    --exclude "$left_out" --time asof \
    --params tests/fixtures/models/gbdt_demo_params.json --threads 2 \
    --out "$models/gbdt.json" | sed -n '1,5p'

step "champion against challenger on December 2024, with the truth's ceiling"
"$puhui" model report --model "$models/province.pmml" --challenger "$models/gbdt.json" \
    --input "$models/later.csv" --target bad --id uscc --approve 0.7 \
    | awk '/^Metrics/ { show = 1 } /^Calibration/ { show = 0 } /^Swap sets/ { show = 1 }
           /^To deploy/ { show = 0 } show'
# The generator's true 12-month PD of each firm at 2024-12 (truth/, never an input):
# what no model of this province can beat.
awk -F, 'NR == FNR { if ($2 == "2024-12") pd[$1] = $3; next }
         FNR == 1 { print "uscc,bad,true_pd"; next } ($1 in pd) { print $1 "," $NF "," pd[$1] }' \
    "$province/truth/pd.csv" "$models/later.csv" >"$models/truth_later.csv"
printf 'the truth ceiling, the true PD of the same firms:'
"$puhui" model report --pd-column true_pd --input "$models/truth_later.csv" --target bad \
    --id uscc | sed -n 's/^  AUC  */ AUC /p'

step "the better model passes the registry's gate, and a lender's policy names it"
"$puhui" --db "$db" model register --model "$models/gbdt.json" --name province_gbdt \
    --data "$models/train.csv" --target bad | grep -v '^training data\|^features'
"$puhui" --db "$db" model approve --name province_gbdt --version 1 \
    --by "model risk committee" --note "out-of-time AUC, swap sets and fairness reviewed against the scorecard"
echo "(the digital bank's policy below reads its pd from province_gbdt; the others keep the scorecard)"

step "the marketplace: three lenders' policies as data, the LPR and a subsidy programme"
market="$demo/market"
mkdir -p "$market"
lenders_csv="$province/reference/lenders.csv"
bank=$(awk -F, 'NR > 1 && $3 == "state_bank" { print $1; exit }' "$lenders_csv")
digital=$(awk -F, 'NR > 1 && $3 == "digital_bank" { print $1; exit }' "$lenders_csv")
rural=$(awk -F, 'NR > 1 && $3 == "state_bank" { n++; if (n == 2) { print $1; exit } }' "$lenders_csv")
for p in city_bank:$bank digital_bank:$digital rural_bank:$rural; do
    sed "s/@LENDER@/${p#*:}/" "tests/fixtures/market/${p%%:*}.json" >"$market/${p%%:*}.json"
    [ "${p%%:*}" = digital_bank ] &&
        sed -i 's/"model": "province_pd"/"model": "province_gbdt"/' "$market/digital_bank.json"
    "$puhui" --db "$db" policy load "$market/${p%%:*}.json" --activate | head -1
done
"$puhui" --db "$db" policy list
"$puhui" --db "$db" market lpr 3.00% --from 2025-01-01
"$puhui" --db "$db" market subsidy tests/fixtures/market/subsidy_chongqing.json

# A month of applications: every loan the province's firms took out in
# December 2025 becomes an application (amount, term, with a guarantor when
# the loan was guaranteed), plus one credit-white firm in 25 asking for its
# first loan; each applicant authorises the three lenders. The platform
# refreshes its features weekly, so an application is assessed on the data as
# of the Monday of its week (1, 8, 15, 22 or 29 December: point in time).
awk -F, 'NR > 1 && substr($6, 1, 7) == "2025-12" && $4 != "bill_discount" {
        split($6, a, "-"); split($7, b, "-");
        term = (b[1] - a[1]) * 12 + (b[2] - a[2]); if (term < 1) term = 12;
        amount = $8; sub(/\.[0-9]*$/, "", amount);
        printf "%s,%s,%d,working_capital,2025-12-%02d,%d\n", $2, amount, term,
               1 + 7 * int((a[3] - 1) / 7), ($5 == "guaranteed") }' \
    "$province/feeds/credit_loans.csv" >"$market/borrowers.csv"
awk -F, 'NR > 1 { print $2 }' "$province/feeds/credit_loans.csv" | LC_ALL=C sort -u \
    >"$market/with_loans.txt"
# the firms the hub registered: the registration rows but the bad ones the
# generator injected (truth/dirty.csv lists them; ingest quarantined each)
awk -F, 'FNR == NR { if ($1 == "feeds/registration.csv") bad[$2]; next }
         FNR > 1 && !(FNR in bad) { print $1 "," $14 }' \
    "$province/truth/dirty.csv" "$province/feeds/registration.csv" | LC_ALL=C sort -u \
    >"$market/registered.csv"
LC_ALL=C sort -t, -k1,1 "$market/borrowers.csv" \
    | LC_ALL=C join -t, -o 1.1,1.2,1.3,1.4,1.5,1.6 - "$market/registered.csv" \
    >"$market/borrowers.tmp"
mv "$market/borrowers.tmp" "$market/borrowers.csv"
awk -F, '$2 != "medium" { print $1 }' "$market/registered.csv" \
    | LC_ALL=C comm -23 - "$market/with_loans.txt" | awk 'NR % 25 == 0 {
        printf "%s,%d,12,%s,2025-12-%02d,0\n", $1, 100000 + (NR % 4) * 100000,
               (NR % 3 ? "working_capital" : "trade"), 1 + 7 * (NR % 5) }' >"$market/first_time.csv"
{ echo enterprise,amount,term,purpose,asof,guarantor
  cat "$market/borrowers.csv" "$market/first_time.csv"; } >"$market/applications.csv"
cut -d, -f1 "$market/borrowers.csv" "$market/first_time.csv" | sort -u >"$market/applicants.txt"
for lender in "$bank" "$digital" "$rural"; do
    "$puhui" --db "$db" consent grant --enterprises "$market/applicants.txt" \
        --institution "$lender" --purpose credit --until "$(date -d '300 days' +%F)"
done
echo "$(wc -l <"$market/borrowers.csv") applications from firms that borrowed in December 2025," \
    "$(wc -l <"$market/first_time.csv") from credit-white firms asking for a first loan"

step "a month of the province through the marketplace, with a challenger on half the city bank's traffic"
sed 's/"version": 1/"version": 2/; s/"80bp"/"60bp"/; s/"1.20%"/"1.00%"/' \
    "$market/city_bank.json" >"$market/city_bank_v2.json"
"$puhui" --db "$db" policy load "$market/city_bank_v2.json" | head -1
"$puhui" --db "$db" policy challenger --lender "$bank" --name "inclusive working-capital loan" \
    --version 2 --share 50%
echo "each Monday's peer medians for the province, stored by the scheduled refresh:"
"$puhui" --db "$db" features refresh --asof 2025-12-01,2025-12-08,2025-12-15,2025-12-22,2025-12-29
"$puhui" --db "$db" apply --batch "$market/applications.csv" >"$market/decided.csv"
"$puhui" --db "$db" market report --from 2025-12-01 --to 2025-12-31

step "one application: offers ranked by the firm's net cost after the subsidy"
firm=$(awk -F, 'NR > 1 && $3 >= 2 { print $2; exit }' "$market/decided.csv")
"$puhui" --db "$db" apply --enterprise "$firm" --amount 300,000 --term 12 \
    --purpose working_capital --asof 2025-12-29

step "a declined application: at least three reasons, with the data behind them"
declined=$(awk -F, 'NR > 1 && $3 == 0 { print $2; exit }' "$market/decided.csv")
"$puhui" --db "$db" apply --enterprise "$declined" --amount 300,000 --term 12 \
    --purpose working_capital --asof 2025-12-29

step "every decision is stored with its full trace, replays to the identical result, and can be appealed"
last=$("$puhui" --db "$db" --format json apply --enterprise "$declined" --amount 300,000 \
    --term 12 --purpose working_capital --asof 2025-12-29 \
    | awk -F': ' '/"decision_id"/ { gsub(/,/, "", $2); if ($2 > 0) { print $2; exit } }')
"$puhui" --db "$db" decision replay "$last"
"$puhui" --db "$db" appeal open --decision "$last" --grounds "December sales were not yet reported"
"$puhui" --db "$db" appeal decide --appeal 1 --reviewer "credit officer Li Wei" \
    --outcome uphold --reason "the December figures do not change the tax grade"
"$puhui" --db "$db" appeal list

step "what a stricter score cut-off would have done to the month (nothing is stored)"
sed 's/"version": 1/"version": 3/; s/"< 550"/"< 600"/; s/the 550 this/the 600 this/' \
    "$market/city_bank.json" >"$market/city_bank_v3.json"
"$puhui" --db "$db" policy load "$market/city_bank_v3.json" | head -1
"$puhui" --db "$db" policy simulate --lender "$bank" --name "inclusive working-capital loan" \
    --version 3 --from 2025-12-01 --to 2025-12-31 | head -12

step "the loan book: every firm takes up its best offer and the province runs forward a year"
echo "(repayments by each firm's latent health, defaults by the generator's hazard, a close of"
echo " business every day; about a minute)"
"$puhui" --db "$db" simulate --province "$province" --from 2026-01 --months 12 --seed 1
echo
echo "the same book at any time: puhui loan book"

step "the general ledger: the trial balance is zero, the hash chain and every sub-ledger check out"
"$puhui" --db "$db" ledger trial-balance --on 2026-12-31 | tail -2
"$puhui" --db "$db" ledger verify

step "risk sharing: losses by party, each guarantor's leverage and compensation rate, the pools"
"$puhui" --db "$db" risk-share

step "one loan's statement (its sub-ledger), June to early July 2026"
"$puhui" --db "$db" loan statement --loan 1 --from 2026-06-01 --to 2026-07-10

step "a modelling sample from the book: labels from the platform's own records, not truth/"
"$puhui" --db "$db" model sample --from 2025-12 --to 2025-12 --horizon 12m --bad dpd90 \
    --features "$demo/features.csv" --registration "$province/feeds/registration.csv" \
    --out "$models/book_sample.csv"

step "supply-chain finance: claim vouchers from three core enterprises, passed down five tiers (docs/supply_chain.md)"
# Every voucher, order and receipt event is a leaf of the evidence log
# (docs/evidence.md), a Merkle tree kept beside the database with its key.
# The third chain starts at a borrower of the book: its core enterprise pays
# late, which the early warning below sees.
"$puhui" --db "$db" evidence init --name puhui.demo/evidence
"$puhui" --db "$db" loan list | awk 'NR > 2 && $9 == "active" { print $2 }' | sort -u \
    >"$demo/book_firms.txt"
python3 scripts/demo_chain_paths.py "$province/feeds/supply_chain.csv" \
    "$province/feeds/registration.csv" "$demo/book_firms.txt" >"$demo/chains.txt"
# say ARGS...: run puhui, show what it says, keep it in $out; the nth voucher id in it
say() { out=$("$puhui" --db "$db" "$@"); printf '%s\n' "$out"; }
vid() { printf '%s\n' "$out" | grep -o 'V[0-9]\{6\}' | sed -n "${1:-1}p"; }
n=0
roots=
while read -r core t1 t2 t3 t4 t5; do
    n=$((n + 1))
    amount=$((1200000 - n * 200000))
    echo
    echo "-- core enterprise $core pays its tier-1 supplier with a voucher of $amount yuan"
    say voucher issue --issuer "$core" --to "$t1" --amount "$amount" --maturity 2026-09-30 \
        --on 2026-03-02 --ref "PAYABLE-2026-0$n"
    root=$(vid 1)
    roots="$roots $root"
    say voucher split "$root" --from "$t1" --parts "$((amount * 6 / 10)),$((amount * 4 / 10))" \
        --on 2026-03-10
    keep=$(vid 2) part=$(vid 3)
    holder=$t1 day=16
    for next in "$t2" "$t3" "$t4" "$t5"; do
        say voucher transfer "$part" --from "$holder" --to "$next" --on "2026-03-$day"
        part=$(vid 2) holder=$next day=$((day + 3))
    done
    # the third tier-1 supplier keeps its 60% to maturity
    [ "$n" -lt 3 ] &&
        "$puhui" --db "$db" voucher finance "$keep" --from "$t1" --lender "$bank" --on 2026-04-15
    "$puhui" --db "$db" voucher finance "$part" --from "$holder" --lender "$rural" --on 2026-05-06
    last_part=$part last_holder=$holder
done <"$demo/chains.txt"
first=$(echo $roots | cut -d' ' -f1)
late=$(echo $roots | cut -d' ' -f3)

echo
echo "-- what is refused, with the reason (exit code 2; nothing is stored)"
"$puhui" --db "$db" voucher finance "$last_part" --from "$last_holder" --lender "$digital" \
    --on 2026-05-07 || true
set -- $(sed -n 1p "$demo/chains.txt")
other=$(sed -n 2p "$demo/chains.txt" | cut -d' ' -f4)
say voucher issue --issuer "$1" --to "$2" --amount 50000 --maturity 2026-09-30 --on 2026-06-01 \
    --ref PAYABLE-2026-09 >/dev/null
small=$(vid 1)
"$puhui" --db "$db" voucher split "$small" --from "$2" --parts 30000,19999.99 --on 2026-06-02 || true
"$puhui" --db "$db" voucher transfer "$small" --from "$2" --to "$other" --on 2026-06-02 || true
"$puhui" --db "$db" voucher finance "$small" --from "$2" --lender "$bank" --on 2026-10-01 || true

echo
echo "-- at maturity each core enterprise pays every part: to the bank that financed it, else its"
echo "   holder; the third pays 19 days late (the early warning below hears of it)"
for v in $roots $small; do
    on=2026-09-30
    [ "$v" = "$late" ] && on=2026-10-19
    "$puhui" --db "$db" voucher settle "$v" --on "$on"
done
echo
echo "\$ puhui voucher late --from 2026-09-01 --to 2026-12-31"
"$puhui" --db "$db" voucher late --from 2026-09-01 --to 2026-12-31

echo
echo "-- one voucher's lineage: from the issue to every part, whose faces sum to the face value"
"$puhui" --db "$db" voucher lineage "$first"

step "post-loan early warning: the book watched over 2026 by the default rules (docs/warning.md)"
# Today is the book's first business day of 2027: every borrower with a live
# loan also holds a working-capital line at its lender (随借随还), and every
# borrower lets its lender monitor it (consent judged today, for three years).
"$puhui" --db "$db" loan list | awk 'NR > 2 && $9 == "active" { print $2, $3 }' | sort -u \
    >"$demo/active.txt"
{ echo reference,uscc,lender,product,method,amount,rate,term,booked_on
  awk '{ printf "LINE-%s,%s,%s,working capital line,revolving,100000.00,4.35%%,12,2027-01-01\n",
         $1, $1, $2 }' "$demo/active.txt"; } >"$demo/lines.csv"
"$puhui" --db "$db" loan import "$demo/lines.csv"
"$puhui" --db "$db" loan list | awk 'NR > 2 && NF >= 10 { print $3, $2 }' | sort -u >"$demo/borrowers.txt"
for lender in $(cut -d' ' -f1 "$demo/borrowers.txt" | sort -u); do
    awk -v l="$lender" '$1 == l { print $2 }' "$demo/borrowers.txt" >"$demo/borrowers_one.txt"
    "$puhui" --db "$db" consent grant --enterprises "$demo/borrowers_one.txt" \
        --institution "$lender" --purpose monitoring --until "$(date -d '1095 days' +%F)"
done
echo
echo "the rules (puhui warning rules default; a lender loads its own with puhui warning rules load):"
"$puhui" --db "$db" warning rules show | head -18
echo
echo "\$ puhui watch --from 2026-01-01 --to 2026-12-31   (the year's feeds, in time order; about 10 s)"
"$puhui" --db "$db" watch --from 2026-01-01 --to 2026-12-31
echo
"$puhui" --db "$db" warning alerts --by level
echo
echo "the core enterprise's late voucher payment, told to the lender of the firm it paid late:"
"$puhui" --db "$db" warning alerts --rule voucher_paid_late

step "one red alert: the values the rule read, and the line it froze"
red=$("$puhui" --db "$db" --format json warning alerts --level red | python3 -c '
import json, sys
alerts = [a for a in json.load(sys.stdin) if a["action"] == "freeze"]
print(alerts[0]["id"] if alerts else "")')
if [ -n "$red" ]; then
    "$puhui" --db "$db" warning alert show "$red"
    line=$("$puhui" --db "$db" --format json warning alerts --level red | python3 -c '
import json, sys
print(next(a["loan"] for a in json.load(sys.stdin) if a["id"] == int(sys.argv[1])))' "$red")
    echo
    echo "\$ puhui loan draw --loan $line --amount 10,000"
    "$puhui" --db "$db" loan draw --loan "$line" --amount 10,000 || true
    "$puhui" --db "$db" warning alert ack "$red" --by "account manager Wang Fang" \
        --reason "called the firm; visit booked"
fi

step "the backtest: the rules against the simulation's defaults, beside a baseline that watches only days past due"
echo "-- the book's borrowers over 2026 (few defaults: a small book)"
"$puhui" --db "$db" warning backtest --truth "$province/truth/defaults.csv" \
    --from 2026-01-01 --to 2026-12-31 | sed -n '/^figure/,/^false alarms/p'
echo
echo "-- every firm of the province over 2025-2026 (about 40 s)"
"$puhui" --db "$db" warning backtest --truth "$province/truth/defaults.csv" \
    --from 2025-01-01 --to 2026-12-31 --all-firms

step "order financing: 80% of a confirmed order at most, paid only to the seller's own suppliers"
set -- $(sed -n 2p "$demo/chains.txt")
buyer=$1 seller=$2 supplier=$3
stranger=$(sed -n 1p "$demo/chains.txt" | cut -d' ' -f3)
"$puhui" --db "$db" order confirm --id PO-2026-1228 --buyer "$buyer" --seller "$seller" \
    --amount 2,000,000 --confirmed 2026-12-28 --due 2027-01-29
"$puhui" --db "$db" order advance PO-2026-1228 --lender "$bank" --amount 1,700,000 --rate 3.85% \
    --on 2027-01-01 || true
"$puhui" --db "$db" order advance PO-2026-1228 --lender "$bank" --amount 1,600,000 --rate 3.85% \
    --on 2027-01-01
"$puhui" --db "$db" order pay PO-2026-1228 --to "$supplier" --amount 900,000 --on 2027-01-04
"$puhui" --db "$db" order pay PO-2026-1228 --to "$stranger" --amount 100,000 --on 2027-01-04 || true
echo "(the book closes every business day up to the order's due day)"
"$puhui" --db "$db" cob --through 2027-01-28 >/dev/null
"$puhui" --db "$db" order settle PO-2026-1228 --amount 2,000,000 --on 2027-01-29
"$puhui" --db "$db" order events PO-2026-1228

step "warehouse receipts: one registry, one pledge per lot, valuation, and the sensors' alert"
set -- $(awk -F, 'NR == FNR { if (FNR > 1 && $7 == "") stored[$1 "," $2] = $6; next }
     FNR > 1 && $3 >= "2026-06-01" && stored[$1 "," $2] != "" {
         print $1, $2, stored[$1 "," $2], $3; exit }' \
    "$province/feeds/warehouse_lots.csv" "$province/truth/warehouse_anomalies.csv")
wh=$1 lot=$2 from=$(date -d "$3 + 1 day" +%F) to=$(date -d "$4 + 10 days" +%F)
say receipt register --warehouse "$wh" --lot "$lot" --on "$from"
r=$(printf '%s\n' "$out" | grep -o 'R[0-9]\{6\}' | head -1)
say receipt value "$r" --on "$from"
value=$(printf '%s\n' "$out" | sed -n 's/.* = \([0-9,.]*\) yuan;.*/\1/p' | tr -d ,)
"$puhui" --db "$db" receipt pledge "$r" --lender "$bank" --on "$from" \
    --amount "$(awk -v v="$value" 'BEGIN { printf "%.2f", v * 0.6 }')"
"$puhui" --db "$db" receipt pledge "$r" --lender "$rural" --amount 1,000 --on "$from" || true
echo
echo "\$ puhui receipt iot --from $from --to $to   (the lot's daily weight, temperature and position)"
"$puhui" --db "$db" receipt iot --from "$from" --to "$to"
"$puhui" --db "$db" receipt margin --on "$to"

step "evidence: the platform signs the log; a supplier checks one voucher's history offline"
"$puhui" --db "$db" evidence checkpoint
"$puhui" --db "$db" voucher prove "$first" --out "$demo/voucher.bundle"
participant="$demo/participant"
mkdir -p "$participant"
cp "$db.evidence/checkpoint" "$db.evidence/log.vkey" "$demo/voucher.bundle" "$participant/"
puhui_path=$(cd "$(dirname "$puhui")" && pwd)/$(basename "$puhui")
echo
echo "\$ puhui evidence verify --bundle voucher.bundle --checkpoint checkpoint --key log.vkey"
echo "(on the supplier's own machine: no database, no log, only these three files)"
(cd "$participant" && "$puhui_path" evidence verify --bundle voucher.bundle \
    --checkpoint checkpoint --key log.vkey)
echo
echo "-- a bundle whose leaf was moved (exit code 3), and one with a broken hash (exit code 2)"
sed '0,/"index": 0,/s//"index": 1,/' "$participant/voucher.bundle" >"$participant/moved.bundle"
(cd "$participant" && "$puhui_path" evidence verify --bundle moved.bundle \
    --checkpoint checkpoint --key log.vkey) || true
sed '0,/"proof": \[/{n;s/"[^"]*"/"not base64!"/}' "$participant/voucher.bundle" \
    >"$participant/broken.bundle"
(cd "$participant" && "$puhui_path" evidence verify --bundle broken.bundle \
    --checkpoint checkpoint --key log.vkey) || true
echo
echo "\$ puhui evidence audit   (every anchored consent, decision and access-log head against the log)"
"$puhui" --db "$db" evidence audit

step "the platform online: puhui serve, and the API called as a firm, a lender and the regulator"
port=${PUHUI_DEMO_PORT:-8080}
if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    # something answers there already: take a free port instead
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
base="http://127.0.0.1:$port"
"$puhui" --db "$db" serve --listen "127.0.0.1:$port" --threads 2 --access-log "$demo/access.log" \
    2>"$demo/serve.log" &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 100); do curl -s -o /dev/null "$base/readyz" && break; sleep 0.1; done
curl -sS "$base/readyz"; echo
# a live loan: its firm and its lender get keys, and so does the regulator
# shellcheck disable=SC2046
set -- $("$puhui" --db "$db" loan list | awk '$9 == "active" { print $1, $2, $3; exit }')
loan=$1 firm=$2 lender=$3
firm_key=$("$puhui" --db "$db" key create --role enterprise --tenant "$firm" --label demo)
bank_key=$("$puhui" --db "$db" key create --role institution --tenant "$lender" --label demo)
regulator_key=$("$puhui" --db "$db" key create --role regulator --label demo)
umask 077
printf 'firm %s\nlender %s\nregulator %s\n' "$firm_key" "$bank_key" "$regulator_key" >"$demo/keys.txt"
umask 022
# call KEY PATH [LINES [MEMBER]]: GET with the key; the answer (or its MEMBER) as
# indented JSON, its first LINES lines
call() {
    echo "\$ curl -H 'Authorization: Bearer phk_…' $base$2${4:+   (member $4)}"
    curl -sS -H "Authorization: Bearer $1" "$base$2" | python3 -c '
import json, sys
doc = json.load(sys.stdin)
doc = doc[sys.argv[2]] if sys.argv[2] else doc
lines = json.dumps(doc, ensure_ascii=False, indent=1).splitlines()
print("\n".join(lines[:int(sys.argv[1])] + (["  …"] if len(lines) > int(sys.argv[1]) else [])))' \
        "${3:-14}" "${4:-}"
}
echo
echo "-- the firm $firm: its loan, and who read its data"
call "$firm_key" "/v1/loans/$loan" 22
call "$firm_key" "/v1/access-log?limit=1" 14
echo
echo "-- its lender $lender: the book by category, its early-warning alerts; another lender's loan is not found (and logged)"
call "$bank_key" "/v1/portfolio" 12
call "$bank_key" "/v1/alerts/summary" 14
other=$("$puhui" --db "$db" loan list | awk -v l="$lender" 'NR > 2 && $3 != l { print $1; exit }')
call "$bank_key" "/v1/loans/$other" 12
echo
echo "-- the regulator: the market by city, every lender's NPL colour, the alerts by colour (aggregates only)"
call "$regulator_key" "/v1/market/segments?by=city" 18
call "$regulator_key" "/v1/portfolio" 20 lenders
call "$regulator_key" "/v1/alerts/summary" 14
echo "\$ curl $base/metrics | grep puhui_http_requests_total"
curl -sS "$base/metrics" | grep '^puhui_http_requests_total' | head -6
echo
echo "the console: $base/console/  (sign in with a key from $demo/keys.txt; docs/console.md)"
echo "the API: docs/api.md, and $base/openapi.json"
if [ -t 0 ] && [ -t 1 ] && [ "${PUHUI_DEMO_KEEP_SERVING:-1}" != 0 ]; then
    echo "the server keeps serving until Ctrl-C"
    wait "$server" || true
else
    kill -TERM "$server"
    wait "$server" && echo "puhui serve stopped on SIGTERM (exit 0); its access log: $demo/access.log"
fi
trap - EXIT INT TERM
