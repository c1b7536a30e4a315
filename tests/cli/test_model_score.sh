#!/usr/bin/env bash
# End-to-end: `puhui model score` on every model kind (XGBoost JSON, LightGBM
# text, PMML scorecard), probabilities equal to XGBoost's own within 1e-6,
# reasons with --explain, the registry gate (--registered refuses a model
# until it is approved) and the errors of bad models and bad input.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_model_score.sh needs python3"; exit 1; }
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
M=$F/models
export PUHUI_DB="$WORK/score.db"

# max |ours - expected| over the rows, joined by id: ours_csv expected_csv
max_diff() {
    python3 - "$1" "$2" <<'PY'
import csv, sys
ours = {r[next(iter(r))]: float(r["pd"]) for r in csv.DictReader(open(sys.argv[1]))}
exp = {r["firm_id"]: float(r["probability"]) for r in csv.DictReader(open(sys.argv[2]))}
assert ours.keys() == exp.keys(), "ids differ"
print(max(abs(ours[k] - exp[k]) for k in exp))
PY
}
below() { python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$1" "$2"; }

for model in xgb_small.json xgb_forest.json lgb_from_xgb.txt lgb_small.txt; do
    expected=$M/${model%.*}.expected.csv
    run 0 model score --model "$M/$model" --input "$M/input.csv" --id firm_id --out "$WORK/s.csv"
    check "$model: 160 rows scored" [ "$(($(wc -l <"$WORK/s.csv") - 1))" = 160 ]
    diff=$(max_diff "$WORK/s.csv" "$expected")
    check "$model: PD within 1e-6 of the expected ($diff)" below "$diff" 1e-6
done
# A model carrying learner.attributes.puhui_calibration says so, with its method.
run 0 model score --model "$M/xgb_small_calibrated.json" --input "$M/input.csv" --id firm_id \
    --out "$WORK/c.csv"
check "the summary names the calibration" contains "$OUT" \
    "with xgboost model $M/xgb_small_calibrated.json (8 features, calibrated: isotonic) ->"
check "calibrated PDs differ from the raw ones" [ "$(max_diff "$WORK/c.csv" \
    "$M/xgb_small.expected.csv" | python3 -c 'print(float(input()) > 0.01)')" = True ]
run 0 model score --model "$M/xgb_small.json" --input "$M/input.csv" --id firm_id \
    --out "$WORK/s.csv" --explain 3
check "an uncalibrated model says nothing of calibration" [ "${OUT#*calibrated}" = "$OUT" ]
check "header with three reasons" [ "$(head -1 "$WORK/s.csv")" = \
    "firm_id,pd,reason_1,value_1,impact_1,text_1,reason_2,value_2,impact_2,text_2,reason_3,value_3,impact_3,text_3" ]
check "a tree model has no score column: pd follows the id" \
    [ "$(awk -F, 'NR == 2 { print ($2 > 0 && $2 < 1) }' "$WORK/s.csv")" = 1 ]
# The first reason is the largest positive TreeSHAP value of the row.
top=$(python3 - "$WORK/s.csv" "$M/xgb_small.contribs.csv" <<'PY'
import csv, sys
ours = list(csv.DictReader(open(sys.argv[1])))
contribs = list(csv.DictReader(open(sys.argv[2])))
bad = 0
for o, c in zip(ours, contribs):
    pos = {k: float(v) for k, v in c.items() if k not in ("firm_id", "bias") and float(v) > 0}
    best = max(pos, key=pos.get) if pos else ""
    if o["reason_1"] != best or (best and abs(float(o["impact_1"]) - pos[best]) > 1e-5):
        bad += 1
print(bad)
PY
)
check "reason 1 is XGBoost's largest adverse contribution on every row" [ "$top" = 0 ]

# a PMML scorecard from another tool: points, no PD without a scale
cat >"$WORK/shop.csv" <<'CSV'
id,monthly_sales,sector,staff,years_trading
a,1000,retail,3,2
CSV
run 0 model score --model "$F/pmml/shop_other_tool.pmml" --input "$WORK/shop.csv" --id id \
    --out "$WORK/p.csv" --explain 1
check "a scorecard has a score column" [ "$(head -1 "$WORK/p.csv" | cut -d, -f1-3)" = id,score,pd ]
check "points given" [ -n "$(awk -F, 'NR == 2 { print $2 }' "$WORK/p.csv")" ]
check "no PD without a scale" [ -z "$(awk -F, 'NR == 2 { print $3 }' "$WORK/p.csv")" ]

# the registry: refused until approved
run 0 init
run 0 model register --model "$M/xgb_small.json" --name pd
run 2 model score --registered pd --input "$M/input.csv" --out "$WORK/r.csv"
check "draft refused for decisions" contains "$ERR" "an unapproved model cannot be used for decisions"
check "nothing written when refused" [ ! -e "$WORK/r.csv" ]
run 0 model approve --name pd --version 1 --by tester --note "fixture"
run 0 model score --registered pd@1 --input "$M/input.csv" --id firm_id --out "$WORK/r.csv"
check "approved: scored from the registry" contains "$OUT" "registry:pd@1"
run 0 model score --model "$M/xgb_small.json" --input "$M/input.csv" --id firm_id --out "$WORK/f.csv"
check "same scores as the file" cmp -s "$WORK/r.csv" "$WORK/f.csv"
run 2 model score --registered pd@x --input "$M/input.csv" --out "$WORK/r.csv"
check "bad version" contains "$ERR" "expected NAME@VERSION with a version of 1 or more"

# --threads: the same bytes whatever the thread count (6,400 rows, so the
# rows are split among the threads), with reasons, for a forest and a scorecard
python3 - "$M/input.csv" "$WORK/big.csv" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
with open(sys.argv[2], "w") as out:
    out.write(lines[0] + "\n")
    for k in range(40):
        for line in lines[1:]:
            out.write("%s_%d%s\n" % (line.split(",", 1)[0], k, line[line.index(","):]))
PY
for model in xgb_forest.json lgb_small.txt; do
    run 0 model score --model "$M/$model" --input "$WORK/big.csv" --id firm_id --out "$WORK/t1.csv" \
        --explain 2
    check "$model: 6400 rows" [ "$(($(wc -l <"$WORK/t1.csv") - 1))" = 6400 ]
    for n in 2 3 7; do
        run 0 model score --model "$M/$model" --input "$WORK/big.csv" --id firm_id \
            --out "$WORK/tn.csv" --explain 2 --threads $n
        check "$model: --threads $n writes the bytes of one thread" cmp -s "$WORK/t1.csv" "$WORK/tn.csv"
    done
done
printf 'id,monthly_sales,sector,staff,years_trading\n' >"$WORK/shop_big.csv"
for i in $(seq 1 3000); do
    printf 's%d,%d,%s,%d,%d\n' $i $((i * 37 % 5000)) $([ $((i % 3)) = 0 ] && echo retail || echo wholesale) \
        $((i % 9)) $((i % 15))
done >>"$WORK/shop_big.csv"
run 0 model score --model "$F/pmml/shop_other_tool.pmml" --input "$WORK/shop_big.csv" --id id \
    --out "$WORK/p1.csv" --explain 1
run 0 model score --model "$F/pmml/shop_other_tool.pmml" --input "$WORK/shop_big.csv" --id id \
    --out "$WORK/p2.csv" --explain 1 --threads 2
check "scorecard: --threads 2 writes the bytes of one thread" cmp -s "$WORK/p1.csv" "$WORK/p2.csv"
run 2 model score --model "$M/xgb_small.json" --input "$M/input.csv" --out "$WORK/u.csv" --threads 0
check "threads range" contains "$ERR" "--threads"

# progress: drawn when asked (PUHUI_PROGRESS=1, as on a terminal), never in a pipe
PUHUI_PROGRESS=1 run 0 model score --model "$M/xgb_forest.json" --input "$WORK/big.csv" \
    --out "$WORK/u.csv"
check "progress: reading and scoring" contains "$ERR" "scoring: 6,400 / 6,400 rows"
unset PUHUI_PROGRESS # the default: standard error here is a file, not a terminal
run 0 model score --model "$M/xgb_forest.json" --input "$WORK/big.csv" \
    --out "$WORK/u.csv"
check "no progress in a pipe" [ -z "$ERR" ]

# Input from a pipe: only the id and the model's features are parsed, so a
# stray column that turns to text late costs nothing; a feature that does is
# an error naming it, its line and value (a pipe cannot be read twice).
awk -F, 'BEGIN { OFS = "," } NR == 1 { print $0, "note"; next } { print $0, (NR < 100 ? NR : "text") }' \
    "$M/input.csv" >"$WORK/noted.csv"
mkfifo "$WORK/fifo"
cat "$WORK/noted.csv" >"$WORK/fifo" &
run 0 model score --model "$M/xgb_small.json" --input "$WORK/fifo" --id firm_id --out "$WORK/n.csv"
wait
check "piped input with a stray text column scores every row" \
    [ "$(($(wc -l <"$WORK/n.csv") - 1))" = 160 ]
feature=$(head -1 "$M/input.csv" | cut -d, -f2)
awk -F, -v OFS=, 'NR == 120 { $2 = "n/a-ish" } { print }' "$M/input.csv" >"$WORK/late.csv"
cat "$WORK/late.csv" >"$WORK/fifo" &
run 2 model score --model "$M/xgb_small.json" --input "$WORK/fifo" --id firm_id --out "$WORK/n.csv"
wait
check "piped input: the line of the text" contains "$ERR" "fifo:120:"
check "piped input: the feature and its value" \
    contains "$ERR" "field $feature, value 'n/a-ish': expected a number"
rm -f "$WORK/fifo" "$WORK/noted.csv" "$WORK/late.csv" "$WORK/n.csv"
rm -f "$WORK/u.csv" "$WORK/t1.csv" "$WORK/tn.csv" "$WORK/big.csv"

# bad models and bad input
head -c 500 "$M/xgb_small.json" >"$WORK/truncated.json"
run 2 model score --model "$WORK/truncated.json" --input "$M/input.csv" --out "$WORK/t.csv"
check "truncated JSON: where" contains "$ERR" "truncated.json"
check "nothing written for a bad model" [ ! -e "$WORK/t.csv" ]
sed 's/binary:logistic/reg:squarederror/' "$M/xgb_small.json" >"$WORK/reg.json"
run 2 model score --model "$WORK/reg.json" --input "$M/input.csv" --out "$WORK/t.csv"
check "unknown objective named" contains "$ERR" "reg:squarederror"
cut -d, -f1-3 "$M/input.csv" >"$WORK/narrow.csv"
run 2 model score --model "$M/xgb_small.json" --input "$WORK/narrow.csv" --out "$WORK/t.csv"
check "missing feature named" contains "$ERR" "which is missing from input $WORK/narrow.csv"
echo "not a model" >"$WORK/junk.txt"
run 2 model score --model "$WORK/junk.txt" --input "$M/input.csv" --out "$WORK/t.csv"
check "unknown format" contains "$ERR" "expected a PMML document"
run 2 model score --model "$M/xgb_small.json" --out "$WORK/t.csv"
check "needs input" contains "$ERR" "'model score' needs --input and --out"
run 2 model score --model "$M/xgb_small.json" --registered pd --input "$M/input.csv" --out "$WORK/t.csv"
check "model or registered" contains "$ERR" "takes --model FILE or --registered NAME[@VERSION]"
run 2 model score --model "$M/xgb_small.json" --input "$M/input.csv" --out "$WORK/t.csv" --explain 99
check "explain range" contains "$ERR" "--explain"
finish
