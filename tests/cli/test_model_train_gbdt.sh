#!/usr/bin/env bash
# puhui model train-gbdt: trains on libxgboost with an out-of-time
# validation slice, writes XGBoost JSON that `puhui model score` reads, prints
# the summary; each bad input is an error naming the file, field and value.
set -e
. "$(dirname "$0")/lib.sh"

# A panel of 3000 rows over six month-ends: two catalogue features that
# drive the bad rate, noise, a segment, a few missing values.
awk -v n=3000 'BEGIN {
    srand(5); print "id,asof,segment,months_without_sales_12m,sales_growth_3m,noise,empty,default_12m"
    split("2024-01-31 2024-02-29 2024-03-31 2024-04-30 2024-05-31 2024-06-30", d, " ")
    split("retail factory farm", s, " ")
    for (i = 1; i <= n; i++) {
        a = int(rand() * 6); g = (rand() - 0.5) * 2; seg = s[1 + int(rand() * 3)]
        logit = -2 + 0.5 * a - 1.2 * g + (seg == "farm" ? 0.5 : 0)
        bad = rand() < 1 / (1 + exp(-logit)) ? 1 : 0
        gs = rand() < 0.1 ? "" : sprintf("%.4f", g)
        printf "F%05d,%s,%s,%d,%s,%.3f,,%d\n", i, d[1 + int((i - 1) * 6 / n)], seg, a, gs, rand(), bad
    }
}' >"$WORK/panel.csv"
common=(model train-gbdt --input "$WORK/panel.csv" --target default_12m --id id --threads 1)

run 0 "${common[@]}" --exclude empty --time asof --valid-from 2024-06-01 --out "$WORK/m.json"
check "the model line" contains "$OUT" "wrote $WORK/m.json: XGBoost binary:logistic"
check "the out-of-time slice" contains "$OUT" "validation slice: out of time: asof >= 2024-06-01"
check "training rows and bad rate" contains "$OUT" "training   2500 rows"
check "validation rows" contains "$OUT" "validation 500 rows"
check "one-hot columns named COL=LEVEL" contains "$OUT" "segment=farm"
check "higher worse is +1 from the catalogue" \
    grep -qE '^months_without_sales_12m +\+1 +catalogue' <<<"$OUT"
check "higher better is -1 from the catalogue" grep -qE '^sales_growth_3m +-1 +catalogue' <<<"$OUT"
check "no catalogue entry, no constraint" grep -qE '^noise +0 +none' <<<"$OUT"
check "the model is XGBoost JSON" grep -q '"binary:logistic"' "$WORK/m.json"
check "no temporary file left" [ ! -e "$WORK/m.json.tmp" ]
check "refitted on every row" contains "$OUT" "trees refitted on every row"
check "calibrated on the validation slice" contains "$OUT" 'calibration {"method":"platt"'
check "the calibration is stored with the model" grep -q 'puhui_calibration' "$WORK/m.json"

# Overrides (repeatable, comma lists), the random slice, the search.
run 0 "${common[@]}" --exclude empty,segment,asof --monotone noise=+1 \
    --monotone months_without_sales_12m=0,sales_growth_3m=-1 --search 3 --out "$WORK/r.json"
check "the random slice is said" contains "$OUT" "a seeded random 20% of rows"
check "an override shows where it came from" grep -qE '^noise +\+1 +--monotone' <<<"$OUT"
check "an override to 0" grep -qE '^months_without_sales_12m +0 +--monotone' <<<"$OUT"
check "the search table" contains "$OUT" "search candidates"
check "one candidate chosen" [ "$(grep -cE ' \*$' <<<"$OUT")" -eq 1 ]
run 0 model score --model "$WORK/r.json" --input "$WORK/panel.csv" --id id --out "$WORK/s.csv"
check "puhui scores the trained model" [ "$(wc -l <"$WORK/s.csv")" -eq 3001 ]
run 0 "${common[@]}" --exclude empty,segment,asof --monotone off --out "$WORK/o.json"
check "--monotone off" grep -qE '^months_without_sales_12m +0 +none' <<<"$OUT"
run 0 model score --model "$WORK/o.json" --input "$WORK/panel.csv" --out "$WORK/cal.csv"
check "scoring applies the stored calibration" contains "$OUT" "calibrated: platt"

# Errors.
run 2 "${common[@]}" --time asof --out "$WORK/e.json"
check "an all-missing feature is named" contains "$ERR" "field empty"
check "... with what to do" contains "$ERR" "missing on every row of $WORK/panel.csv"
check "no model written on error" [ ! -e "$WORK/e.json" ]
run 2 "${common[@]}" --exclude empty --monotone noise=+1,noise=-1 --out "$WORK/e.json"
check "contradictory constraints" contains "$ERR" "value 'noise': contradictory constraints"
run 2 "${common[@]}" --exclude empty --monotone segment=+1 --out "$WORK/e.json"
check "a constraint on a column that is not a feature" contains "$ERR" "not a feature"
run 2 "${common[@]}" --exclude empty --refit maybe --out "$WORK/e.json"
check "--refit takes on or off" contains "$ERR" "--refit takes on or off, got 'maybe'"
run 2 "${common[@]}" --exclude empty --calibration beta --out "$WORK/e.json"
check "--calibration names its choices" contains "$ERR" "--calibration takes platt, isotonic or none, got 'beta'"
echo '{"max_depth": 3, "depth": 2}' >"$WORK/p.json"
run 2 "${common[@]}" --exclude empty --params "$WORK/p.json" --out "$WORK/e.json"
check "an unknown parameter is named" contains "$ERR" "$WORK/p.json: field depth"
check "... with the allowed ones" contains "$ERR" "expected one of max_depth, eta (learning_rate)"
run 2 "${common[@]}" --exclude empty --time asof --valid-from 2025-01-01 --out "$WORK/e.json"
check "no validation rows" contains "$ERR" "no validation rows"
check "... saying the latest date" contains "$ERR" "the latest is 2024-06-30"
sed 's/,0$/,0/; 3s/,[01]$/,2/' "$WORK/panel.csv" >"$WORK/two.csv"
run 2 model train-gbdt --input "$WORK/two.csv" --target default_12m --id id --exclude empty \
    --out "$WORK/e.json"
check "a target other than 0/1 names its line and value" contains "$ERR" "two.csv:3"
check "... and the value" contains "$ERR" "'2'"
awk -F, 'BEGIN { OFS = "," } NR > 1 { $8 = 0 } { print }' "$WORK/panel.csv" >"$WORK/zero.csv"
run 2 model train-gbdt --input "$WORK/zero.csv" --target default_12m --id id --exclude empty \
    --out "$WORK/e.json"
check "a constant target" contains "$ERR" "field default_12m, value '0': the target is constant"
run 2 model train-gbdt --input "$WORK/panel.csv" --target default_12m --valid-from 2024-06-01 \
    --out "$WORK/e.json"
check "--valid-from needs --time" contains "$ERR" "--valid-from needs --time"

# The progress line ends at its total once early stopping cut the rounds short.
PUHUI_PROGRESS=1 "$PUHUI" "${common[@]}" --exclude empty --time asof --out "$WORK/p.json" \
    2>"$WORK/progress" >/dev/null
last=$(tr '\r' '\n' <"$WORK/progress" | grep 'train-gbdt:' | tail -1)
check "the progress line ends at its total: $last" \
    grep -qE 'train-gbdt: ([0-9,]+) / \1 rounds' <<<"$last"

run 0 help model
check "help names train-gbdt" contains "$OUT" "puhui model train-gbdt"
finish
