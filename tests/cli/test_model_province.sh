#!/usr/bin/env bash
# End-to-end, the whole modelling path on the synthetic province: ingest,
# point-in-time features month by month, a labelled sample
# (scripts/model_sample.awk), a scorecard trained on 2024-06..2024-09, and the
# report on 2024-12, a later month it never saw: out-of-time AUC >= 0.75.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_model_province.sh needs python3"; exit 1; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export PUHUI_DB="$WORK/prov.db"

run 0 gen --enterprises 6000 --months 24 --start 2024-01 --seed 11 --out "$WORK/prov"
run 0 init
run 0 ingest --known-on 2026-01-01 "$WORK/prov"
run 0 features --from 2024-06 --to 2024-12 --out "$WORK/panel.csv"
awk -f "$ROOT/scripts/model_sample.awk" "$WORK/prov/truth/defaults.csv" \
    "$WORK/prov/feeds/registration.csv" "$WORK/panel.csv" >"$WORK/sample.csv"
check "sample header ends with the segments and the outcome" \
    contains "$(head -1 "$WORK/sample.csv")" ",city,industry,owner_gender,bad"
awk -F, 'NR == 1 || $2 <= "2024-09-30"' "$WORK/sample.csv" >"$WORK/train.csv"
awk -F, 'NR == 1 || $2 == "2024-12-31"' "$WORK/sample.csv" >"$WORK/later.csv"
bads=$(awk -F, 'NR > 1 { n += $NF } END { print n }' "$WORK/later.csv")
check "the later month has defaults to find ($bads)" [ "$bads" -ge 40 ]

run 0 model train-scorecard --input "$WORK/train.csv" --target bad --id uscc \
    --exclude asof,city,industry,owner_gender --out "$WORK/card.pmml"
check "a scorecard written" contains "$OUT" "characteristics, trained on"
check "segments are not inputs" [ "$(grep -c 'name="owner_gender"' "$WORK/card.pmml")" = 0 ]

run 0 --format json model report --model "$WORK/card.pmml" --input "$WORK/later.csv" \
    --target bad --segment owner_gender --baseline "$WORK/train.csv"
echo "$OUT" >"$WORK/report.json"
auc=$(json "$WORK/report.json" 'round(d["metrics"]["auc"], 4)')
echo "# out-of-time AUC on 2024-12: $auc"
check "out-of-time AUC >= 0.75 (got $auc)" python3 -c "import sys; sys.exit(float('$auc') < 0.75)"
psi=$(json "$WORK/report.json" 'round(d["stability"]["psi"], 4)')
check "PD stable against training (PSI $psi < 0.25)" python3 -c "import sys; sys.exit(float('$psi') >= 0.25)"
finish
