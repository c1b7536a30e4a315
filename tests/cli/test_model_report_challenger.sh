#!/usr/bin/env bash
# End-to-end: `model report --challenger`, two models on the same rows side
# by side (XGBoost against LightGBM, and a scorecard trained here against
# XGBoost); the numbers agree with the single-model reports, the swap-set
# cells add up, and the printed promotion commands work on the registry.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_model_report_challenger.sh needs python3"; exit 1; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
XGB=$F/models/xgb_small.json
LGB=$F/models/lgb_small.txt
SAMPLE=$F/governance/sample.csv
BASE=$F/governance/baseline.csv
export PUHUI_DB="$WORK/gov.db"

# text: every section
run 0 model report --model "$XGB" --challenger "$LGB" --input "$SAMPLE" --target bad \
    --segment owner_gender,city --baseline "$BASE" --id firm_id
check "both models named" contains "$OUT" "  challenger  $LGB (lightgbm)"
check "metrics with differences" contains "$OUT" "  AUC                    0.7143      0.5810     -0.1333"
check "PSI of each" contains "$OUT" "  PSI of the PD          0.3435      0.1211     -0.2224"
check "DeLong" contains "$OUT" "AUC difference -0.1333, DeLong standard error 0.0778 (z -1.71, p 0.0867)"
check "calibration of both" contains "$OUT" "Calibration by decile of each model's own PD"
check "fairness of both" contains "$OUT" "  430300     27    40.74%             66.67%   0.91  auc                 92.59%   1.00  auc"
check "swap sets" contains "$OUT" "Swap sets at equal approval rates"
check "swap cell" contains "$OUT" "   70.00%  both approve       49    16    32.65%"
check "approved bad rates, ties at a cut-off approved together" \
    contains "$OUT" "   90.00%             72               80             33.33%               38.75%      +5.42%"
check "how to promote" contains "$OUT" "To deploy the challenger: puhui model register --model $LGB --name NAME"
check "through the approval gate" contains "$OUT" ", then puhui model approve --name NAME --version N"

# JSON: consistent with itself and with the single-model reports
run 0 --format json model report --model "$XGB" --challenger "$LGB" --input "$SAMPLE" \
    --target bad --segment owner_gender --id firm_id --approve 0.25,0.6,1
echo "$OUT" >"$WORK/cmp.json"
run 0 --format json model report --model "$XGB" --input "$SAMPLE" --target bad --id firm_id
echo "$OUT" >"$WORK/a.json"
run 0 --format json model report --model "$LGB" --input "$SAMPLE" --target bad --id firm_id
echo "$OUT" >"$WORK/b.json"
check "champion AUC is the single report's" \
    [ "$(json "$WORK/cmp.json" 'd["champion"]["metrics"]["auc"]')" = "$(json "$WORK/a.json" 'd["metrics"]["auc"]')" ]
check "challenger Brier is the single report's" \
    [ "$(json "$WORK/cmp.json" 'd["challenger"]["metrics"]["brier"]')" = "$(json "$WORK/b.json" 'd["metrics"]["brier"]')" ]
check "DeLong's difference is the reports' difference" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
m = {r["metric"]: r for r in d["metrics"]}
diff = d["challenger"]["metrics"]["auc"] - d["champion"]["metrics"]["auc"]
sys.exit(not (abs(m["auc"]["difference"] - diff) < 1e-12 and abs(d["auc_difference"]["difference"] - diff) < 1e-12))' "$WORK/cmp.json"
check "three swap sets of 20, 48 and 80 rows each" \
    [ "$(json "$WORK/cmp.json" '[s["approved"] for s in d["swap_sets"]]')" = "[20, 48, 80]" ]
check "cells sum to the rows; each model's approved and bads add up" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
rows, bads = d["champion"]["metrics"]["rows"], d["champion"]["metrics"]["bads"]
for s in d["swap_sets"]:
    c = {x["cell"]: x for x in s["cells"]}
    assert sum(x["rows"] for x in s["cells"]) == rows, s
    assert sum(x["bads"] for x in s["cells"]) == bads, s
    for who in ("champion", "challenger"):
        mine = [c["both approve"], c[who + " only"]]
        assert sum(x["rows"] for x in mine) == s[who + "_approved"], s
        assert s[who + "_approved"] >= s["approved"], s
        rate = sum(x["bads"] for x in mine) / s[who + "_approved"]
        assert abs(rate - s[who + "_bad_rate"]) < 1e-12, (who, s)
' "$WORK/cmp.json"
check "everyone approved at 100%" [ "$(json "$WORK/cmp.json" 'd["swap_sets"][2]["cells"][0]["rows"]')" = "80" ]
check "no PSI row without a baseline" [ "$(json "$WORK/cmp.json" '[r["metric"] for r in d["metrics"]]')" = "['auc', 'gini', 'ks', 'brier', 'cutoff', 'approval_rate']" ]
check "fairness of each" [ "$(json "$WORK/cmp.json" 'len(d["champion"]["fairness"][0]["segments"]), len(d["challenger"]["fairness"][0]["segments"])')" = "(2, 2)" ]

# two kinds: a scorecard trained here against XGBoost
run 0 model train-scorecard --input "$BASE" --target bad --id firm_id --exclude owner_gender,city \
    --out "$WORK/card.pmml"
run 0 --format json model report --model "$WORK/card.pmml" --challenger "$XGB" --input "$SAMPLE" \
    --target bad --id firm_id
echo "$OUT" >"$WORK/kinds.json"
check "scorecard against xgboost" [ "$(json "$WORK/kinds.json" 'd["champion"]["kind"], d["challenger"]["kind"]')" = "('scorecard', 'xgboost')" ]
check "challenger's AUC as its own report" [ "$(json "$WORK/kinds.json" 'd["challenger"]["metrics"]["auc"]')" = "$(json "$WORK/a.json" 'd["metrics"]["auc"]')" ]

# the promotion the report prints goes through the registry's gate
run 0 init
reg=$(json "$WORK/cmp.json" 'd["promote"]["register"]')
eval "set -- ${reg#puhui } " && run 0 "${@/NAME/pd}"
check "registered as a draft" contains "$OUT" "model pd version 1 registered as a draft: lightgbm"
run 0 model approve --name pd --version 1 --by "Li Wei" --note "challenger beats champion"
check "approved" contains "$OUT" "model pd version 1: draft -> approved by Li Wei"

# errors
run 2 model report --model "$XGB" --input "$SAMPLE" --target bad --approve 0.5
check "--approve needs --challenger" contains "$ERR" "--approve sets the swap sets' rates, which need --challenger"
run 2 model report --model "$XGB" --challenger "$LGB" --input "$SAMPLE" --target bad --approve 0.5,1.5
check "--approve range" contains "$ERR" "--approve takes a number in (0, 1], got '1.5'"
run 2 model report --model "$XGB" --challenger "$F/models/province_xgb.json" --input "$SAMPLE" --target bad
check "which model lacks a feature" contains "$ERR" "challenger $F/models/province_xgb.json: field feature, value 'has_vat'"
finish
