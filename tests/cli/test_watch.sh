#!/usr/bin/env bash
# End-to-end: the early warning over a small generated province (puhui watch,
# puhui warning). A year of feeds is ingested, a book of lines and term loans
# imported, monitoring consents granted for three quarters of the borrowers,
# and two hand-made feed files give one firm a strongly negative day (a pause
# on its line) and a truck unloading off route (a freeze). Then:
#  - rule sets: the default printed, a bad document and an unknown feed refused
#    with their file, line and column, a set loaded and activated;
#  - a replay: alerts only for consented firms, the gate logged once per firm,
#    lender and wall-clock day, the freeze on the line and the alert's story;
#  - a replay cut in two with --checkpoint / --resume writes the same alerts;
#  - --follow consumes new files, reports a late row with its file and line,
#    and stops cleanly on SIGTERM;
#  - the backtest against truth/defaults.csv beside the naive baseline.
set -e
. "$(dirname "$0")/lib.sh"
export PUHUI_DB="$WORK/w.db"
PROV="$WORK/prov"

run 0 init
run 0 gen --enterprises 600 --months 12 --start 2024-01 --seed 5 --out "$PROV"
run 0 ingest --known-on 2025-01-01 "$PROV"
L1=$(awk -F, 'NR == 2 { print $1 }' "$PROV/reference/lenders.csv")
L2=$(awk -F, 'NR == 3 { print $1 }' "$PROV/reference/lenders.csv")
# 200 borrowers: odd rows a revolving line, even rows a term loan; two lenders
{ echo reference,uscc,lender,product,method,amount,rate,term,booked_on
  awk -F, -v l1="$L1" -v l2="$L2" 'NR > 1 && NR <= 201 {
      printf "R-%d,%s,%s,micro,%s,200000.00,5%%,24,2024-01-01\n", NR, $1, (NR % 3 ? l1 : l2),
             (NR % 2 ? "revolving" : "equal_installment") }' "$PROV/feeds/registration.csv"
} >"$WORK/loans.csv"
run 0 loan import "$WORK/loans.csv"
awk -F, 'NR > 1 && NR <= 151 { print $1 }' "$PROV/feeds/registration.csv" >"$WORK/consented.txt"
awk -F, 'NR > 151 && NR <= 201 { print $1 }' "$PROV/feeds/registration.csv" >"$WORK/unconsented.txt"
for l in "$L1" "$L2"; do
    run 0 consent grant --enterprises "$WORK/consented.txt" --institution "$l" \
        --purpose monitoring --until "$(date -d '300 days' +%F)"
done
# a consented firm with a line at L1: row 5 of the registration (odd, 5 % 3 = 2 -> L1)
FIRM=$(awk -F, 'NR == 5 { print $1 }' "$PROV/feeds/registration.csv")
LINE=$(sqlite3 "$PUHUI_DB" "SELECT id FROM loan WHERE uscc = '$FIRM'")
printf 'uscc,date,mentions,score\n%s,2024-05-10,6,-0.8000\n' "$FIRM" >"$WORK/public_opinion.csv"
# two unloadings off route within 30 days: the default set freezes the line
printf 'trip_id,seq,uscc,date,vehicle,event,on_route,division,km\nT1,1,%s,2024-09-02,LU-A12345,depart,Y,370102,0\nT1,2,%s,2024-09-02,LU-A12345,unload,N,370102,40\nT2,1,%s,2024-09-12,LU-A12345,depart,Y,370102,0\nT2,2,%s,2024-09-12,LU-A12345,unload,N,370102,35\n' \
    "$FIRM" "$FIRM" "$FIRM" "$FIRM" >"$WORK/logistics_gps.csv"
run 0 ingest --known-on 2025-01-01 "$WORK/public_opinion.csv" "$WORK/logistics_gps.csv"

# ---- rule sets ------------------------------------------------------------------------------
run 0 warning rules default
echo "$OUT" >"$WORK/default.json"
check "the default set is printed to copy and edit" contains "$OUT" '"name": "province default"'
run 0 warning rules show
check "without an active set the built-in default runs" contains "$OUT" "the built-in default: no set is active"
check "show names the feeds a consent must cover" contains "$OUT" "public_opinion"
check "show names the platform's own record apart" contains "$OUT" "and the platform's own records (no consent names them): voucher_late_settlements"
printf '{"name": "bad", "version": 1,\n "rules": [\n  {"id": "a", "kind": "event", "feed": "nowhere",\n   "when": "1 = 1", "level": "red"}]}\n' >"$WORK/bad.json"
run 2 warning rules load "$WORK/bad.json"
check "an unknown feed: file, line, column, member, value, expected" \
    contains "$ERR" "bad.json:3:32: field rules[0].feed, value 'nowhere': expected a feed serving monitoring: registration,"
printf '{"name": "bad", "version": 1,\n "rules": [{"id": "a", "kind": "event",\n  "feed": "litigation", "when": "case_typ = 1", "level": "red"}]}\n' >"$WORK/bad2.json"
run 2 warning rules load "$WORK/bad2.json"
check "a condition that does not compile says where and what" contains "$ERR" "unknown variable 'case_typ'"
run 1 warning rules load "$WORK/nothing.json"
check "a missing file is named" contains "$ERR" "nothing.json"
check "nothing bad was stored" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM warning_rules")" = 0 ]
sed 's/"version": 2/"version": 3/' "$WORK/default.json" >"$WORK/v2.json"
run 0 warning rules load "$WORK/v2.json" --activate
check "a set loaded and activated" contains "$OUT" "it is the active set"
run 0 warning rules load "$WORK/v2.json"
check "loading the same bytes again changes nothing" contains "$OUT" "already loaded with the same bytes"
sed 's/-0.5/-0.6/' "$WORK/v2.json" >"$WORK/v2b.json"
run 2 warning rules load "$WORK/v2b.json"
check "a version never changes" contains "$ERR" "is already loaded with checksum"
run 0 warning rules list
check "list shows the active version" contains "$OUT" "province default"
run 0 warning rules show --text
check "show --text gives the stored bytes" cmp -s "$WORK/v2.json" <(echo "$OUT")
cp "$PUHUI_DB" "$WORK/base.db"

# ---- a replay -------------------------------------------------------------------------------
run 0 watch --from 2024-01-01 --to 2024-12-31
echo "$OUT" | sed 's/^/# /'
check "the run used the active set" contains "$OUT" "rule set: province default version 3"
check "the consented borrowers are watched" contains "$OUT" "150 watched (150 firm-lender pairs"
check "the gate: one check per pair" contains "$OUT" "consent gate: 150 checks logged, 0 refused"
frozen=$(echo "$OUT" | sed -n 's/^lines: \([0-9]*\) frozen, \([0-9]*\) paused.*/\1 \2/p')
check "lines frozen and paused ($frozen)" awk -v x="$frozen" 'BEGIN { split(x, a, " "); exit !(a[1] >= 1 && a[2] >= 1) }'
check "as many freeze events as lines a freeze holds" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM warning_alert_event WHERE event = 'freeze'")" = "${frozen%% *}" ]
check "alerts by rule" contains "$OUT" "alerts by rule"
none=$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM warning_alert WHERE uscc IN ($(sed "s/.*/'&'/" "$WORK/unconsented.txt" | paste -sd,))")
check "borrowers without consent get no alert" [ "$none" = 0 ]
logged=$(sqlite3 "$PUHUI_DB" "SELECT count(*), count(DISTINCT uscc || institution_id) FROM access_log WHERE purpose = 'monitoring'")
check "the access log: one entry per firm and lender ($logged)" [ "$logged" = "150|150" ]
run 0 watch --from 2024-01-01 --to 2024-03-31
check "a second run the same day logs nothing" contains "$OUT" "consent gate: 0 checks logged"
check "still one entry per pair" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM access_log WHERE purpose = 'monitoring'")" = 150 ]
check "the line is frozen in the book" [ "$(sqlite3 "$PUHUI_DB" "SELECT flags & 1 FROM loan_state WHERE loan_id = $LINE")" = 1 ]
FREEZE=$(sqlite3 "$PUHUI_DB" "SELECT min(id) FROM warning_alert WHERE rule = 'gps_unload_off_route' AND uscc = '$FIRM'")
run 0 warning alert show "$FREEZE"
check "the freeze alert's evidence" contains "$OUT" '"event":"unload"'
check "and its action on the line" contains "$OUT" "freeze"
check "the loan named" contains "$OUT" "on loan $LINE"
check "and the firm's colour now" contains "$OUT" "the firm's colour now: "
run 0 warning alerts --level yellow
check "alerts by level filter" contains "$OUT" "gps_unload_off_route"
run 0 warning alerts --by level
check "counts by level" contains "$OUT" "yellow"
run 0 --format json warning alerts --rule opinion_negative --limit 5
check "json alerts" contains "$OUT" '"action": "pause_draws"'
run 0 warning alert ack "$FREEZE" --by "Li Wei"
run 0 warning alert escalate "$FREEZE" --by "Li Wei" --reason "goods diverted?"
run 2 warning alert close "$FREEZE" --by "Zhao"
check "closing needs a reason" contains "$ERR" "closing an alert needs a reason"
run 0 warning alert close "$FREEZE" --by "Zhao" --reason "inspected on site; collateral seized"
run 2 warning alert close "$FREEZE" --by "Zhao" --reason "again"
check "a closed alert stays closed" contains "$ERR" "it is closed (by Zhao on"
run 2 warning alert ack 999999 --by "Zhao"
check "an unknown alert" contains "$ERR" "no alert has this id"
run 0 warning alert show "$FREEZE"
check "the alert's events" contains "$OUT" "inspected on site; collateral seized"

# ---- a replay cut in two writes the same alerts ---------------------------------------------
cp "$WORK/base.db" "$WORK/one.db"
cp "$WORK/base.db" "$WORK/two.db"
run 0 --db "$WORK/one.db" watch --from 2024-01-01 --to 2024-12-31
run 0 --db "$WORK/two.db" watch --from 2024-01-01 --to 2024-07-15 --checkpoint "$WORK/cut.bin"
check "the checkpoint is written" test -s "$WORK/cut.bin"
run 2 --db "$WORK/two.db" watch --from 2024-08-01 --to 2024-12-31 --resume "$WORK/cut.bin"
check "a resume starts the day after the checkpoint" contains "$ERR" "the checkpoint closed 2024-07-15"
run 0 --db "$WORK/two.db" watch --resume "$WORK/cut.bin" --to 2024-12-31
check "resumed on 2024-07-16" contains "$OUT" "days 2024-07-16 .. 2024-12-31"
"$PUHUI" --db "$WORK/one.db" --format json warning alerts >"$WORK/one.json"
"$PUHUI" --db "$WORK/two.db" --format json warning alerts >"$WORK/two.json"
check "D1..D3 equals D1..D2 + resume to D3, byte for byte ($(grep -c '"id"' "$WORK/one.json") alerts)" \
    cmp -s "$WORK/one.json" "$WORK/two.json"
printf 'garbage' >"$WORK/junk.bin"
run 2 --db "$WORK/two.db" watch --resume "$WORK/junk.bin" --to 2024-12-31
check "a bad checkpoint is refused" contains "$ERR" "checkpoint"

# ---- following new files ----------------------------------------------------------------------
cp "$WORK/base.db" "$WORK/f.db"
run 0 --db "$WORK/f.db" watch --follow --once
files=$(sqlite3 "$WORK/f.db" "SELECT count(*) FROM ingest_file WHERE state = 'done'")
check "follow consumed every ingested file ($files)" contains "$OUT" "files consumed: $files;"
check "and reached the end of the data (the last month of the credit bureau, known 10 days after)" contains "$OUT" "2025-01-10"
OTHER=$(awk -F, 'NR == 7 { print $1 }' "$PROV/feeds/registration.csv")
mkdir -p "$WORK/late"
printf 'uscc,date,mentions,score\n%s,2024-06-01,3,-0.9000\n%s,2025-01-12,4,-0.9000\n' "$OTHER" "$OTHER" \
    >"$WORK/late/public_opinion.csv"
run 0 --db "$WORK/f.db" ingest --known-on 2025-01-13 "$WORK/late/public_opinion.csv"
run 0 --db "$WORK/f.db" watch --follow --once
check "a late row: file, line, feed, day and the day reached" \
    contains "$ERR" "late/public_opinion.csv:2: feed public_opinion, firm $OTHER, day 2024-06-02: before 2025-01-10"
check "it is skipped, the rest taken" contains "$OUT" "late rows skipped: 1"
check "the session goes on" [ "$(sqlite3 "$WORK/f.db" "SELECT count(*) FROM warning_run WHERE mode = 'follow'")" = 1 ]
set +e
"$PUHUI" --db "$WORK/f.db" watch --follow --interval 1 >"$WORK/follow.out" 2>"$WORK/follow.err" &
pid=$!
sleep 2
kill -TERM "$pid"
wait "$pid"
code=$?
set -e
check "SIGTERM stops the follower cleanly (exit $code)" [ "$code" = 0 ]
check "it says it stops" grep -q "stopping" "$WORK/follow.err"
check "the session is closed" [ "$(sqlite3 "$WORK/f.db" "SELECT finished_at IS NOT NULL FROM warning_run WHERE mode = 'follow'")" = 1 ]
run 2 watch --follow --from 2024-01-01
check "--follow takes no --from" contains "$ERR" "--follow keeps its own checkpoint"

# ---- the backtest ---------------------------------------------------------------------------
run 0 --db "$WORK/base.db" warning backtest --truth "$PROV/truth/defaults.csv" --from 2024-01-01 --to 2024-12-31
echo "$OUT" | sed 's/^/# /'
check "side by side with the naive baseline" contains "$OUT" "naive days past due v1"
check "over the firms watched" contains "$OUT" "monitored: the firms watched"
check "lead times" contains "$OUT" "lead from the first red"
check "precision of red" contains "$OUT" "precision of red (%)"
check "false alarms" contains "$OUT" "false alarms per 1,000 firms per month"
run 0 --db "$WORK/base.db" warning backtest --truth "$PROV/truth/defaults.csv" --from 2024-01-01 --to 2024-12-31 --all-firms
check "--all-firms says so" contains "$OUT" "every registered firm (--all-firms)"
check "each rule's own figures" contains "$OUT" "by rule (province default"
run 0 --db "$WORK/base.db" --format json warning backtest --truth "$PROV/truth/defaults.csv" --from 2024-01-01 --to 2024-12-31 --all-firms
# every monitored feed reaches the engine, the monthly credit bureau included
# (its rows are dated a lag after the month: a slip there once dropped them all)
bureau=$(echo "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(min(sum(r["firms"] for r in d["by_rule"] if r["rule"] == "bureau_new_overdue"), d["baseline"]["onsets"] + d["baseline"]["onsets_excluded"]))')
check "the credit bureau's rows reach both rule sets ($bureau)" [ "$bureau" -gt 0 ]
check "the backtest writes nothing" [ "$(sqlite3 "$WORK/base.db" "SELECT (SELECT count(*) FROM warning_alert) + (SELECT count(*) FROM warning_run)")" = 0 ]
printf 'uscc,default_date\n%s,2024-13-01\n' "$FIRM" >"$WORK/bad_truth.csv"
run 2 --db "$WORK/base.db" warning backtest --truth "$WORK/bad_truth.csv" --from 2024-01-01 --to 2024-12-31
check "a bad truth file is located" contains "$ERR" "bad_truth.csv:2:20: field default_date, value '2024-13-01'"
finish
