#!/usr/bin/env bash
# End-to-end: the model report (text and JSON) on a real XGBoost model, the
# registry's life cycle (register, versions, approve, reject, retire, list)
# and the usage errors of each governance subcommand.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_model_gov.sh needs python3"; exit 1; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
XGB=$F/models/xgb_small.json
LGB=$F/models/lgb_small.txt
SAMPLE=$F/governance/sample.csv
BASE=$F/governance/baseline.csv
export PUHUI_DB="$WORK/gov.db"

# the report: text
run 0 model report --model "$XGB" --input "$SAMPLE" --target bad --segment owner_gender,city \
    --baseline "$BASE" --id firm_id
check "AUC with 4 decimals" contains "$OUT" "  AUC      0.7143  (Hunan scenario models need >= 0.85: NOT met)"
check "deciles" contains "$OUT" "Calibration by decile of predicted PD"
check "PSI" contains "$OUT" "  PSI of the PD  0.3435 (shifted"
check "CSI per feature" contains "$OUT" "  months_in_business  deciles      11  0.3695  shifted"
check "fairness by city" contains "$OUT" "  430300     27    40.74%    66.67%   0.91  0.5966   0.71  auc"
check "four-fifths is a screen" contains "$OUT" "a signal to review, not a finding of discrimination"
# JSON, an explicit cut-off
run 0 --format json model report --model "$XGB" --input "$SAMPLE" --target bad --cutoff 0.5 \
    --segment owner_gender
echo "$OUT" > "$WORK/report.json"
check "json: auc" [ "$(json "$WORK/report.json" 'round(d["metrics"]["auc"], 4)')" = "0.7143" ]
check "json: given cut-off" [ "$(json "$WORK/report.json" 'd["cutoff"]["pd"], d["cutoff"]["derived"]')" = "(0.5, False)" ]
check "json: no baseline" [ "$(json "$WORK/report.json" 'd["stability"]')" = "None" ]
check "json: two genders" [ "$(json "$WORK/report.json" 'len(d["fairness"][0]["segments"])')" = "2" ]

# report errors
run 2 model report --model "$XGB" --input "$SAMPLE"
check "report needs --target" contains "$ERR" "'model report' needs --model (or --pd-column), --input and --target"
run 2 model report --model "$XGB" --input "$SAMPLE" --target bad --cutoff 1.5
check "cut-off range" contains "$ERR" "--cutoff takes a number in (0, 1], got '1.5'"
run 2 model report --model "$XGB" --input "$SAMPLE" --target bad --cutoff 0.3 --approval 0.6
check "cut-off or approval" contains "$ERR" "takes --cutoff PD or --approval RATE, not both"
run 2 model report --model "$XGB" --input "$SAMPLE" --target bad --segment province
check "unknown segment" contains "$ERR" "field segment, value 'province'"
run 2 model report --model "$XGB" --input "$SAMPLE" --target owner_gender
check "bad target values" contains "$ERR" "field owner_gender, value 'M'"
run 2 model report --model "$XGB" --input "$SAMPLE" --target bad --colour red
check "unknown option" contains "$ERR" "unknown option '--colour'"

# the registry needs an initialised database
run 2 model list
check "list needs init" contains "$ERR" "run \`puhui init\` first"
run 0 init
run 0 model list
check "empty registry: header only" [ "$(echo "$OUT" | wc -l)" = "1" ]

run 0 model register --model "$XGB" --name pd --data "$SAMPLE" --target bad
check "registered as draft" contains "$OUT" "model pd version 1 registered as a draft: xgboost, "
check "checksum is b2sum's" contains "$OUT" "$(b2sum -l 256 "$XGB" | cut -d' ' -f1)"
check "metrics recorded" contains "$OUT" '"auc":0.714285714285714'
run 0 --format json model register --model "$LGB" --name pd
echo "$OUT" > "$WORK/reg.json"
check "json: version 2" [ "$(json "$WORK/reg.json" 'd["version"], d["kind"], d["state"]')" = "(2, 'lightgbm', 'draft')" ]
run 0 model register --model "$F/pmml/shop_other_tool.pmml" --name shop --version 3
check "a PMML scorecard, version given" contains "$OUT" "model shop version 3 registered as a draft: scorecard, "
run 2 model register --model "$LGB" --name pd --version 2
check "a taken version" contains "$ERR" "model pd already has version 2"
run 2 model register --model "$SAMPLE" --name pd
check "not a model" contains "$ERR" "expected a PMML document"
run 2 model register --model "$XGB" --name "p d"
check "bad name" contains "$ERR" "field name, value 'p d'"
run 2 model register --model "$XGB" --name pd --data "$SAMPLE"
check "--data needs --target" contains "$ERR" "takes --data and --target together"
run 2 model register --model "$XGB"
check "register needs --name" contains "$ERR" "'model register' needs --model and --name"

# decisions
run 2 model approve --name pd --version 1 --by "Li Wei"
check "approval needs a note" contains "$ERR" "a move from draft to approved needs a note"
run 0 model approve --name pd --version 1 --by "Li Wei" --note "AUC 0.71 accepted for the pilot"
check "approved" contains "$OUT" "model pd version 1: draft -> approved by Li Wei at "
run 0 model reject --name pd --version 2 --by "Wang Fang" --note "no calibration evidence"
check "rejected" contains "$OUT" "draft -> rejected by Wang Fang"
run 2 model approve --name pd --version 2 --by "Li Wei" --note "appeal"
check "rejected stays rejected" contains "$ERR" "cannot go from rejected to approved"
run 2 model retire --name pd --version 3 --by "Zhao"
check "unknown version" contains "$ERR" "no version 3 of this model is registered"
run 2 model retire --name pd --version x --by "Zhao"
check "version is a number" contains "$ERR" "--version takes a whole number"
run 2 model approve --name pd --version 1
check "approve needs --by" contains "$ERR" "'model approve' needs --name, --version and --by (and --note)"
run 0 --format json model retire --name pd --version 1 --by "Zhao Min"
echo "$OUT" > "$WORK/ret.json"
check "json: retired" [ "$(json "$WORK/ret.json" 'd["from"], d["to"], d["by"]')" = "('approved', 'retired', 'Zhao Min')" ]

run 0 model list --name pd
check "list: retired with who" contains "$OUT" "retired"
check "list: rejected" contains "$OUT" "rejected"
run 0 --format json model list
echo "$OUT" > "$WORK/list.json"
check "json: by name, then version" [ "$(json "$WORK/list.json" '[(m["name"], m["version"], m["state"], m["by"]) for m in d]')" = "[('pd', 1, 'retired', 'Zhao Min'), ('pd', 2, 'rejected', 'Wang Fang'), ('shop', 3, 'draft', '')]" ]
check "json: auc at registration" [ "$(json "$WORK/list.json" 'd[0]["auc"]')" = "0.7143" ]

# a report of a PD column, no model (a bureau's PD, the province's true PD):
# bads at 0.9 and 0.7, goods at 0.8 and 0.1: 3 of 4 pairs ordered, AUC 0.75
printf 'id,bad,p\nA,1,0.9\nB,0,0.8\nC,1,0.7\nD,0,0.1\n' >"$WORK/col.csv"
run 0 model report --pd-column p --input "$WORK/col.csv" --target bad --id id
check "the column's report" contains "$OUT" "model    p (PD column)"
check "its AUC" contains "$OUT" "AUC      0.7500"
printf 'id,bad,p\nA,1,0.9\nB,0,1.5\n' >"$WORK/badcol.csv"
run 2 model report --pd-column p --input "$WORK/badcol.csv" --target bad --id id
check "a PD out of range is named with its line" contains "$ERR" "badcol.csv:3"
check "and what was expected" contains "$ERR" "field p, value '1.5': expected a probability in [0, 1] on every row"
printf 'id,bad,p\nA,1,0.9\nB,0,\n' >"$WORK/gapcol.csv"
run 2 model report --pd-column p --input "$WORK/gapcol.csv" --target bad --id id
check "a missing PD is named as missing" contains "$ERR" "gapcol.csv:3: field p: expected a probability in [0, 1] on every row, got a missing value"
run 2 model report --pd-column q --input "$WORK/col.csv" --target bad
check "an absent column" contains "$ERR" "field pd column, value 'q'"
run 2 model report --pd-column p --model x.json --input "$WORK/col.csv" --target bad
check "a model or a column, not both" contains "$ERR" "needs --model (or --pd-column)"
finish
