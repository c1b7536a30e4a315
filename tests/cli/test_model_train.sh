#!/usr/bin/env bash
# End-to-end: 'puhui model train-scorecard' on a small CSV made here (the
# training log, the PMML, the options that shape the card) and on German
# credit when the shared data is there; then the usage and input errors.
set -e
. "$(dirname "$0")/lib.sh"

# 400 firms: x (0/1, some -999, some missing), sector (A/B), an id, a leak.
# Odds good:bad 9, 3, 3, 1 over the (x, sector) cells: x=1 and B are risky.
CSV="$WORK/firms.csv"
awk 'BEGIN {
    print "firm_id,x,sector,leak,status";
    split("10 25 25 50", bads, " ");
    id = 0;
    for (cell = 0; cell < 4; cell++) {
        x = cell % 2; s = cell < 2 ? "A" : "B";
        for (i = 0; i < 100; i++) {
            bad = i < bads[cell + 1];
            v = x;
            if (i % 20 == 7) v = -999;
            if (i % 25 == 3) v = "";
            printf "F%04d,%s,%s,%d,%s\n", id++, v, s, bad, bad ? "defaulted" : "repaid";
        }
    }
}' >"$CSV"

run 0 model train-scorecard --input "$CSV" --target status --bad defaulted --id firm_id \
    --exclude leak --special -999 --out "$WORK/card.pmml" --summary -
check "log: rows and bads" contains "$OUT" "training: 400 rows, 110 bad (27.50%), target status (bad = 'defaulted')"
check "log: x kept" contains "$OUT" "x (numeric, field x)"
check "log: sector kept" contains "$OUT" "sector (categorical, field sector)"
check "log: special bin" contains "$OUT" "  = -999"
check "log: missing bin" contains "$OUT" "  missing"
check "log: unseen levels" contains "$OUT" "  any other value"
check "log: the id is not a variable" [ -z "$(echo "$OUT" | grep -E '^(firm_id|leak) ')" ]
check "log: converged" contains "$OUT" "converged in"
check "PMML written" [ -s "$WORK/card.pmml" ]
PMML=$(cat "$WORK/card.pmml")
check "PMML: a scorecard" contains "$PMML" "<Scorecard"
check "PMML: characteristic x" contains "$PMML" "name=\"x\""
check "PMML: no temporary left" [ ! -e "$WORK/card.pmml.tmp" ]

# the log to a file, a one-line report on stdout; rounded points
run 0 model train-scorecard --input "$CSV" --target status --bad defaulted --id firm_id \
    --exclude leak --round-points --base-points 500 --base-odds 20 --pdo 40 \
    --out "$WORK/round.pmml" --summary "$WORK/round.txt"
check "report line" contains "$OUT" "wrote $WORK/round.pmml: scorecard scorecard, 2 characteristics, trained on 400 rows (110 bad)"
LOG=$(cat "$WORK/round.txt")
check "scale in the log" contains "$LOG" "scale: 500 points at odds 20:1 (good:bad), 40 points to double the odds"
check "whole points" [ -z "$(awk '$4 ~ /\.[0-9]*[1-9]/ && NF >= 5 && $1 ~ /^[0-9]+$/' "$WORK/round.txt")" ]

# a direction against the data pools x's ranges: too weak; a floor nothing reaches
run 0 model train-scorecard --input "$CSV" --target status --bad defaulted --id firm_id \
    --exclude leak --direction x=decreasing --out "$WORK/dir.pmml" --summary -
check "direction given, x too weak then" [ -n "$(echo "$OUT" | grep -E '^x +numeric +3 decreasing \(given\) .*dropped: IV 0.0030 below the floor 0.02')" ]
run 2 model train-scorecard --input "$CSV" --target status --bad defaulted --id firm_id \
    --exclude leak --min-iv 3 --out "$WORK/none.pmml" --summary "$WORK/none.txt"
check "IV floor named" contains "$ERR" "no variable reaches the IV floor 3: the best is"
check "no model on failure" [ ! -e "$WORK/none.pmml" ]
check "no empty log on failure" [ ! -e "$WORK/none.txt" ]

# German credit (shared data), the log to stdout
GERMAN=${PUHUI_SHARED_DIR:-$(dirname "$0")/../../../shared}/data/germancredit.csv
if [ -f "$GERMAN" ]; then
    run 0 model train-scorecard --input "$GERMAN" --target creditability \
        --out "$WORK/german.pmml" --summary -
    check "german: checking account kept" contains "$OUT" "status_of_existing_checking_account (categorical"
    check "german: foreign_worker dropped (37 'no' rows < 5%)" \
        [ -n "$(echo "$OUT" | grep -E '^foreign_worker .*dropped: a single bin after binning')" ]
    check "german: PMML" contains "$(cat "$WORK/german.pmml")" "<Characteristic name=\"duration_in_month\""
else
    echo "ok - skipped German credit: $GERMAN is absent"
fi

# a weak but real variable: w raises the bad rate in both s cells (IV about
# 0.008, under the default floor 0.02); dropped with what it would add
WEAK="$WORK/weak.csv"
awk 'BEGIN {
    print "id,s,w,bad";
    split("50 60 150 170", bads, " ");
    id = 0;
    for (cell = 0; cell < 4; cell++)
        for (i = 0; i < 500; i++)
            printf "%d,%d,%d,%d\n", id++, int(cell / 2), cell % 2, i < bads[cell + 1];
}' >"$WEAK"
run 0 model train-scorecard --input "$WEAK" --target bad --id id --out "$WORK/weak.pmml"
check "table: one characteristic, the AUC" contains "$OUT" "wrote $WORK/weak.pmml: scorecard scorecard, 1 characteristics, trained on 2000 rows (430 bad), training AUC 0."
check "table: w dropped with a positive AUC if kept" \
    [ -n "$(echo "$OUT" | grep -E '^w +iv +0\.00[0-9]+ +\+0\.0[0-9]*[1-9][0-9]* +IV 0\.00[0-9]+ below the floor 0\.02')" ]
check "table: says how it is measured" contains "$OUT" "no validation split"
run 0 --format json model train-scorecard --input "$WEAK" --target bad --id id --out "$WORK/weak.pmml"
check "json: w dropped for its IV" contains "$OUT" '"variable": "w",
      "reason": "iv",'
check "json: a positive AUC gain" [ -n "$(echo "$OUT" | grep -E '"auc_gain_if_kept": 0\.0*[1-9]')" ]
check "json: a positive coefficient if kept" [ -n "$(echo "$OUT" | grep -E '"coefficient_if_kept": [0-9]')" ]
check "json: the training AUC" contains "$OUT" '"training_auc": 0.'
run 0 model train-scorecard --input "$WEAK" --target bad --id id --min-iv 0 --out "$WORK/weak0.pmml"
check "--min-iv 0 keeps w" contains "$OUT" "2 characteristics"
run 0 model train-scorecard --input "$WEAK" --target bad --id id --monotone off --bins 4 \
    --max-correlation 0.9 --max-vif 10 --out "$WORK/weak1.pmml" --summary -
check "log: monotone off" contains "$OUT" "numeric bins merged to a monotone bad rate: off"
check "log: w not monotone" [ -n "$(echo "$OUT" | grep -E '^w +numeric +2 not monotone ')" ]
check "log: --bins" contains "$OUT" "binning: 4 fine classes"
check "log: --max-correlation, --max-vif" contains "$OUT" "|r| <= 0.9, VIF <= 10"
check "log: AUC if kept column" [ -n "$(echo "$OUT" | grep -E '^w .* \+0\.0[0-9]+  dropped: IV')" ]
run 0 model train-scorecard --input "$WEAK" --target bad --id id --monotone off,s=on \
    --out "$WORK/weak2.pmml" --summary -
check "per variable: s monotone" [ -n "$(echo "$OUT" | grep -E '^s +numeric +2 increasing ')" ]
check "per variable: w not" [ -n "$(echo "$OUT" | grep -E '^w +numeric +2 not monotone ')" ]

# progress on a terminal (forced), never in a pipe
PUHUI_PROGRESS=1 run 0 model train-scorecard --input "$WEAK" --target bad --id id --out "$WORK/weak.pmml"
check "progress counts steps: 2 binned, the fit, 1 trial" contains "$ERR" "puhui model train-scorecard: 4 / 4 steps"
check "and reading the CSV is metered first" contains "$ERR" "reading: 0.0 / 0.0 MiB"
run 0 model train-scorecard --input "$WEAK" --target bad --id id --out "$WORK/weak.pmml"
check "no progress in a pipe" [ -z "$ERR" ]

# tuning errors, located
run 2 model train-scorecard --input "$WEAK" --target bad --out "$WORK/x.pmml" --bins 1
check "--bins too few" contains "$ERR" "--bins takes a whole number of classes from 2 to 1000, got '1'"
run 2 model train-scorecard --input "$WEAK" --target bad --out "$WORK/x.pmml" --bins 2x
check "--bins not a number" contains "$ERR" "--bins takes a whole number of classes from 2 to 1000, got '2x'"
run 2 model train-scorecard --input "$WEAK" --target bad --out "$WORK/x.pmml" --monotone maybe
check "--monotone word" contains "$ERR" "--monotone takes on, off or COL=on|off (comma-separated), got 'maybe'"
run 2 model train-scorecard --input "$WEAK" --target bad --id id --out "$WORK/x.pmml" --monotone w=maybe
check "--monotone COL=word" contains "$ERR" "field monotone_by_variable, value 'w=maybe': expected NAME=on or NAME=off"
run 2 model train-scorecard --input "$WEAK" --target bad --id id --out "$WORK/x.pmml" --monotone nope=on
check "--monotone unknown column" contains "$ERR" "field monotone_by_variable, value 'nope': expected a column of $WEAK"
run 2 model train-scorecard --input "$WEAK" --target bad --out "$WORK/x.pmml" --min-iv -1
check "--min-iv negative" contains "$ERR" "field min_iv, value '-1': expected an IV of 0 or more"
run 2 --format json model train-scorecard --input "$WEAK" --target bad --out "$WORK/x.pmml" --summary -
check "--summary - with json" contains "$ERR" "--summary - and --format json both write to standard output"

# usage and input errors
run 2 model train-scorecard --input "$CSV" --target status
check "needs --out" contains "$ERR" "model train-scorecard needs --input FILE.csv, --target COL and --out MODEL.pmml"
run 2 model train-scorecard --input "$CSV" --target status --out "$WORK/x.pmml" --bogus
check "unknown option" contains "$ERR" "unknown option '--bogus'"
run 2 model train-scorecard --input "$CSV" --target status --out "$WORK/x.pmml" --min-iv abc
check "bad number" contains "$ERR" "--min-iv takes a number, got 'abc'"
run 2 model train-scorecard --input "$CSV" --target status --out "$WORK/x.pmml" --summary
check "value needed" contains "$ERR" "--summary needs a value"
run 2 model train-scorecard --input "$CSV" --target status --bad defaulted --out "$WORK/x.pmml" \
    --id nope
check "unknown id" contains "$ERR" "--id nope: $CSV has no column of this name"
run 2 model train-scorecard --input "$CSV" --target status --bad defaulted --out "$WORK/x.pmml" \
    --exclude firm_id,nope
check "unknown excluded column" contains "$ERR" "field exclude, value 'nope': expected a column of $CSV"
run 2 model train-scorecard --input "$CSV" --target status --bad defaulted --out "$WORK/x.pmml" \
    --exclude firm_id --direction x=up
check "bad direction" contains "$ERR" "field directions, value 'x=up': expected NAME=increasing or NAME=decreasing"
run 2 model train-scorecard --input "$CSV" --target status --out "$WORK/x.pmml"
check "target words" contains "$ERR" "firms.csv:2: field status, value 'defaulted': expected 1/bad/yes/true/default for bad"
run 2 model train-scorecard --input "$CSV" --target status --bad defaulted --out "$WORK/x.pmml" \
    --numeric sector
check "forced numeric" contains "$ERR" "field sector, value 'A': expected a number"
run 1 model train-scorecard --input "$WORK/absent.csv" --target status --out "$WORK/x.pmml"
check "missing input" contains "$ERR" "absent.csv"
check "no model left by errors" [ ! -e "$WORK/x.pmml" ]
finish
