#!/usr/bin/env bash
# End-to-end: puhui ingest loads a generated dirty province (every line of
# truth/dirty.csv quarantined with its reason, nothing else), a second run
# changes nothing, --rejected lists what was refused, JSON output has the
# counts, and bad paths, headers and checksums are refused with a message.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_ingest.sh needs python3 (apt-get install python3)"; exit 1; }

DB="$WORK/hub.db"
run 0 gen --out "$WORK/p" --enterprises 800 --months 3 --dirty 0.01
run 2 --db "$DB" ingest "$WORK/p"
check "ingest before init says to run init" contains "$ERR" "puhui init"
run 0 --db "$DB" init
run 0 --db "$DB" ingest --known-on 2024-04-30 "$WORK/p"
check "registration comes first" contains "$(sed -n 2p <<<"$OUT")" "registration"
check "the totals line" contains "$OUT" "known on 2024-04-30"
check "truth is never ingested" bash -c "! grep -q truth/ <<<\"\$1\"" _ "$OUT"

# every damaged line quarantined with its reason, and no other line
python3 - "$DB" "$WORK/p" <<'PY' >"$WORK/truth.txt"
import csv, os, sqlite3, sys
db, root = sqlite3.connect(sys.argv[1]), os.path.realpath(sys.argv[2])
want = {"bad_check_char": "bad_uscc", "malformed_number": "bad_number",
        "date_out_of_range": "bad_date", "unknown_code": "unknown_code",
        "truncated_line": "wrong_field_count", "mis_encoded_text": "invalid_utf8",
        "duplicate_row": "duplicate_key"}
got = {(os.path.relpath(p, root), l): r for p, l, r in db.execute("SELECT path, line, reason FROM quarantine")}
listed = {(r["file"], int(r["line"])): want[r["kind"]]
          for r in csv.DictReader(open(os.path.join(root, "truth/dirty.csv"), encoding="utf-8", errors="replace"))}
print("match" if got == listed and len(listed) > 20 else "differ: %d listed, %d quarantined" % (len(listed), len(got)))
PY
check "quarantine = truth/dirty.csv" contains "$(cat "$WORK/truth.txt")" "match"

run 0 --db "$DB" --format json ingest --known-on 2024-04-30 "$WORK/p"
echo "$OUT" >"$WORK/again.json"
check "a second run changes nothing" contains \
    "$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(r["accepted"]+r["superseded"] for r in d), sum(r["unchanged"] for r in d) > 0)' "$WORK/again.json")" "0 True"

run 0 --db "$DB" ingest --rejected --feed registration --limit 3
check "--rejected lists file:line and reason" contains "$OUT" "registration.csv:"
check "--rejected shows the header" contains "$OUT" "location"
check "--limit 3" [ "$(($(wc -l <<<"$OUT") - 1))" -eq 3 ]
run 2 --db "$DB" ingest --rejected --feed nope
check "unknown --feed" contains "$ERR" "expected the name of an ingested feed"

# a single file by name, CSV and JSON Lines
mkdir -p "$WORK/one"
head -3 "$WORK/p/feeds/registration.csv" >"$WORK/one/registration.csv"
run 0 --db "$WORK/one.db" init
run 0 --db "$WORK/one.db" ingest "$WORK/one/registration.csv"
check "two rows accepted" contains "$OUT" "2 rows: 2 accepted"
python3 - "$WORK/one/registration.csv" >"$WORK/one/registration.jsonl" <<'PY'
import csv, json, sys
for row in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    print(json.dumps({k: (v if v else None) for k, v in row.items()}, ensure_ascii=False))
PY
run 0 --db "$WORK/one.db" ingest "$WORK/one/registration.jsonl"
check "the same rows as JSON Lines are unchanged" contains "$OUT" "2 rows: 0 accepted, 2 unchanged"

# refusals
printf 'a,b\n' >"$WORK/one/loans.csv"
run 2 --db "$WORK/one.db" ingest "$WORK/one/loans.csv"
check "unknown feed names the known ones" contains "$ERR" "'loans' is not a feed that is ingested; expected the file name of one of: registration"
printf 'uscc,name\n' >"$WORK/one/vat_invoices.csv"
run 2 --db "$WORK/one.db" ingest "$WORK/one/vat_invoices.csv"
check "a header missing a column" contains "$ERR" "missing column 'month'"
printf 'x' >>"$WORK/p/feeds/penalties.csv"
run 2 --db "$DB" ingest "$WORK/p"
check "a changed file is refused" contains "$ERR" "feeds/penalties.csv': checksum mismatch"
run 2 --db "$DB" ingest
check "no path" contains "$ERR" "name at least one feed file or directory"
run 2 --db "$DB" ingest --known-on 2024-13-01 "$WORK/one/registration.csv"
check "bad --known-on" contains "$ERR" "field known_on, value '2024-13-01'"
run 2 --db "$DB" ingest --feed x "$WORK/p"
check "--feed without --rejected" contains "$ERR" "--feed and --limit go with --rejected"

# the bad-row limits, the column of a quarantined field, empty files alike
mkdir -p "$WORK/lim"
head -2 "$WORK/p/feeds/registration.csv" >"$WORK/lim/registration.csv"
cp "$WORK/lim/registration.csv" "$WORK/one/registration.csv"
USCC=$(sed -n 2p "$WORK/lim/registration.csv" | cut -d, -f1)
{ echo "uscc,month,sales_amount,sales_invoices,purchase_amount,purchase_invoices,distinct_buyers,top_buyer_share"
  for m in 01 02 03 04 05 06; do echo "$USCC,2024-$m,x$m,1,1.00,1,1,"; done
  echo "$USCC,2024-07,1.00,1,1.00,1,1,"; } >"$WORK/lim/vat_invoices.csv"
run 0 --db "$WORK/lim.db" init
run 2 --db "$WORK/lim.db" ingest --max-rejects 5 "$WORK/lim/registration.csv" "$WORK/lim/vat_invoices.csv"
check "past --max-rejects: refused, naming file, counts and limit" contains "$ERR" \
    "lim/vat_invoices.csv: refused: 6 bad rows in its first 7 records, more than the limit of 5 (--max-rejects); none of its rows were kept"
check "the refused file's hint" contains "$ERR" "the refused file was rolled back"
run 0 --db "$WORK/lim.db" ingest --rejected
check "nothing of a refused file is quarantined" [ "$(($(wc -l <<<"$OUT") - 1))" -eq 0 ]
run 0 --db "$WORK/lim.db" ingest --max-rejects 6 --max-reject-share 100% "$WORK/lim/vat_invoices.csv"
check "at the limit: accepted" contains "$OUT" "7 rows: 1 accepted, 0 unchanged, 0 superseded, 6 rejected"
run 0 --db "$WORK/lim.db" ingest --rejected --limit 1
check "--rejected gives the column number and name" grep -Eq "vat_invoices.csv:2 +vat_invoices +3 +sales_amount +x01 +bad_number" <<<"$OUT"
# a stray quote that would swallow the rest of the file refuses it
mkdir -p "$WORK/lim/quote"
{ echo "uscc,month,sales_amount,sales_invoices,purchase_amount,purchase_invoices,distinct_buyers,top_buyer_share"
  echo "$USCC,2023-01,1.00,1,1.00,1,1,"
  echo "$USCC,2023-02,\"1.00,1,1.00,1,1,"
  for m in 03 04 05 06 07 08 09 10 11 12; do echo "$USCC,2023-$m,1.00,1,1.00,1,1,"; done
} >"$WORK/lim/quote/vat_invoices.csv"
run 2 --db "$WORK/lim.db" ingest "$WORK/lim/quote/vat_invoices.csv"
check "an unclosed quote refuses the file, naming the line" contains "$ERR" \
    "quote/vat_invoices.csv: refused: the quote opened at line 3 is never closed, so the bad record starting at line 3 runs to the end of the file (11 lines)"
check "the unclosed quote's hint" contains "$ERR" "fix its quoting"
run 2 --db "$WORK/lim.db" ingest --max-reject-share 120% "$WORK/lim/vat_invoices.csv"
check "bad --max-reject-share" contains "$ERR" "expected 0% to 100%"
: >"$WORK/lim/penalties.csv"
: >"$WORK/lim/tax_payments.jsonl"
run 2 --db "$WORK/lim.db" ingest "$WORK/lim/penalties.csv"
check "an empty CSV is refused" contains "$ERR" "the file is empty"
run 2 --db "$WORK/lim.db" ingest "$WORK/lim/tax_payments.jsonl"
check "an empty JSONL is refused alike" contains "$ERR" "the file is empty (nothing but blank lines); expected a feed file"
# ---- progress: bytes of input committed, drawn on a terminal (forced with PUHUI_PROGRESS=1) --------
run 0 --db "$WORK/prog.db" init
run 0 gen --out "$WORK/pp" --enterprises 300 --months 2
TOTAL=$(python3 -c 'import json,os,sys; r=sys.argv[1]; m=json.load(open(os.path.join(r,"manifest.json")))
files=[f["path"] for f in m["files"] if not f["path"].startswith("truth/")]
print("%.1f" % (sum(os.path.getsize(os.path.join(r,p)) for p in files) / 1048576.0))' "$WORK/pp")
PUHUI_PROGRESS=1 run 0 --db "$WORK/prog.db" ingest --batch-rows 500 "$WORK/pp"
check "the progress line counts bytes of input up to their total, with a rate" \
    contains "$ERR" "puhui ingest: $TOTAL / $TOTAL MiB, "
check "and ends with the time it took" contains "$ERR" " elapsed"
unset PUHUI_PROGRESS # the default: standard error here is a file, not a terminal
run 0 --db "$WORK/prog.db" ingest "$WORK/pp"
check "no progress line when standard error is not a terminal" [ -z "$ERR" ]

run 0 help ingest
check "help" contains "$OUT" "puhui ingest --rejected"
finish
