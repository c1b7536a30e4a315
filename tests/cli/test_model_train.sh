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
