#!/usr/bin/env bash
# End-to-end: puhui consent, records and audit. Consents granted and revoked,
# raw records refused and allowed, every read logged, the log re-verified
# independently (Python's hashlib, following docs/consent.md) and tampering
# (edit, delete middle, delete last against a published head, reorder) caught
# with the exact entry.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_consent.sh needs python3 (apt-get install python3)"; exit 1; }
DB="$WORK/p.db"

# sql DB SCRIPT: run SQL on a database the way an operator (or an attacker) would
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()' "$1" "$2"; }
# json FILE EXPR: evaluate a Python expression on the JSON document d
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

run 0 --db "$DB" init
run 0 uscc generate --count 2
U1=$(echo "$OUT" | sed -n 1p)
U2=$(echo "$OUT" | sed -n 2p)
sql "$DB" "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES
             ('$U1', '济南甲公司', 370102, 'C'), ('$U2', '济南乙公司', 370102, 'F');
           INSERT INTO institution (id, name, kind) VALUES
             ('BANK01', '齐鲁银行', 'commercial_bank'), ('BANK02', '村镇银行', 'village_bank');
           INSERT INTO feed_payments_daily VALUES
             ('$U1', '2025-03-02', 3, 1234567, 1, 5, '2025-03-03', 1, 3, 1),
             ('$U1', '2025-03-01', 2, 100, 0, 0, '2025-03-02', 1, 2, 2),
             ('$U2', '2025-03-01', 9, 999, 9, 999, '2025-03-02', 1, 4, 3);"
export PUHUI_DB="$DB"

# Dates relative to today (the process's local day, as puhui's): consent is
# judged on the wall clock, which the test cannot set, so nothing is fixed.
day() { date -d "$1 days" +%F; }
TODAY=$(day 0)
FROM=$(day -10)
UNTIL=$(day 170)

# --- grant -------------------------------------------------------------------------
run 0 consent grant --enterprise "$U1" --institution BANK01 --purpose credit \
    --sources payments_daily,vat_invoices --from "$FROM" --until "$UNTIL"
check "grant says what was granted" contains "$OUT" \
    "consent 1 granted: $U1 lets BANK01 use vat_invoices,payments_daily for credit assessment (features only, no raw records), from $FROM to $UNTIL inclusive"
run 0 --format json consent grant --enterprise "$U1" --institution BANK01 --purpose credit \
    --sources payments_daily --raw --from "$FROM" --until "$UNTIL"
check "grant json has the id" [ "$(json "$WORK/out" 'd["id"]')" = "2" ]
check "grant json has raw" [ "$(json "$WORK/out" 'd["raw"]')" = "True" ]
run 0 consent grant --enterprise "$U1" --institution BANK02 --purpose supply_chain \
    --until "$(day 300)"
check "all is every source of the purpose, written out" contains "$OUT" \
    "use registration,vat_invoices,payments_daily,supply_chain,warehouse_lots,warehouse_iot,commodity_prices,core_enterprises for supply-chain finance"

run 2 consent grant --enterprise 91370102MA00000000 --institution BANK01 --purpose credit --until "$UNTIL"
check "unknown enterprise named" contains "$ERR" \
    "field enterprise, value '91370102MA00000000': expected an enterprise registered in the database"
run 2 consent grant --enterprise "$U1" --institution NOBANK --purpose credit --until "$UNTIL"
check "unknown institution named" contains "$ERR" "field institution, value 'NOBANK': expected an institution registered"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose marketing --until "$UNTIL"
check "unknown purpose named" contains "$ERR" \
    "field purpose, value 'marketing': expected credit, monitoring or supply_chain"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose monitoring --sources patents --until "$UNTIL"
check "source outside the purpose named" contains "$ERR" \
    "field sources, value 'patents': expected a source used for post-loan monitoring; patents serves credit only"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose credit --sources truth_pd --until "$UNTIL"
check "truth files are never sources" contains "$ERR" "truth/ files are never shared"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose credit --sources nope --until "$UNTIL"
check "unknown source named" contains "$ERR" "field sources, value 'nope': expected the name of a feed"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose credit --from 2025-06-01 --until 2025-05-31
check "until before from" contains "$ERR" \
    "field expires_on, value '2025-05-31': expected a date on or after granted_on 2025-06-01"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose credit --until 2025-02-30
check "bad date names the option" contains "$ERR" "field --until, value '2025-02-30'"
# the grant limits (docs/consent.md#grant-limits)
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose credit --from 1949-01-01 --until 1949-12-31
check "backdating limited" contains "$ERR" \
    "field granted_on, value '1949-01-01': expected a date at most 30 days before today $TODAY: a consent may be recorded at most 30 days after it was given (docs/consent.md#grant-limits); 1949-01-01 is"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose credit --until 9999-12-31
check "duration limited" contains "$ERR" \
    "field expires_on, value '9999-12-31': expected a date at most 366 days after granted_on $TODAY: a credit assessment consent may last at most 366 days (docs/consent.md#grant-limits); 9999-12-31 is"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose credit
check "until is required" contains "$ERR" "'consent grant' needs --until DATE"
run 2 consent grant --enterprise "$U1" --institution BANK01 --purpose credit --until "$UNTIL" --live
check "options of another subcommand refused" contains "$ERR" "unknown option '--live' for 'consent'"
run 2 consent frobnicate
check "unknown subcommand" contains "$ERR" "'consent' takes 'grant', 'revoke' or 'list'"
check "nothing stored by refused grants" [ "$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT COUNT(*) FROM consent").fetchone()[0])' "$DB")" = "3" ]

# an expired consent (4) and a pending one (5), both for monitoring
run 0 consent grant --enterprise "$U1" --institution BANK01 --purpose monitoring \
    --sources payments_daily --raw --from "$(day -30)" --until "$(day -1)"
run 0 consent grant --enterprise "$U1" --institution BANK01 --purpose monitoring \
    --sources payments_daily --raw --from "$(day 10)" --until "$(day 100)"

# --- list: live today, whatever date anyone asks about ---------------------------------
run 0 consent list --enterprise "$U1" --institution BANK01 --live
check "live list has both credit consents" [ "$(echo "$OUT" | wc -l)" -eq 3 ]
check "list shows the state" contains "$OUT" "$FROM  $UNTIL  live"
run 0 --format json consent list --live
check "the expired and the pending consent are not live" [ "$(json "$WORK/out" '[c["id"] for c in d]')" = "[1, 2, 3]" ]
run 0 --format json consent list --live --institution BANK02
check "filters combine" [ "$(json "$WORK/out" '[c["id"] for c in d]')" = "[3]" ]
run 0 consent list
check "expired consents are listed as expired" contains "$OUT" "$(day -30)  $(day -1)  expired"
check "pending consents are listed as pending" contains "$OUT" "$(day 10)  $(day 100)  pending"
run 2 consent list --live --asof 2025-01-01
check "no list as of another day" contains "$ERR" "--asof is gone: a consent is live or not on the day of the read (today)"

# --- records: raw rows only under raw access ------------------------------------------
run 2 records --enterprise "$U2" --as BANK01 --feed payments_daily --on "$TODAY"
check "no consent: refused, naming what is missing" contains "$ERR" \
    "puhui: error: no live consent from $U2 for institution BANK01 to read raw records of payments_daily for credit assessment"
run 2 records --enterprise "$U1" --as BANK01 --feed vat_invoices --on "$TODAY"
check "raw not granted" contains "$ERR" \
    "no live consent from $U1 for institution BANK01 to read raw records of vat_invoices for credit assessment; consent 1 does not grant raw records"
run 0 records --enterprise "$U1" --as BANK01 --feed payments_daily --on "$TODAY"
check "records header from the catalogue" contains "$OUT" "uscc                date        inflow_count  inflow_amount  outflow_count  outflow_amount"
check "money in yuan" contains "$OUT" "$U1  2025-03-02             3       12345.67              1            0.05"
check "only this firm's rows" [ "$(echo "$OUT" | wc -l)" -eq 3 ]
check "the read is logged" contains "$ERR" "(read logged as access-log entry 3)"
run 0 --format json records --enterprise "$U1" --as BANK01 --feed payments_daily --limit 1 --on "$TODAY"
check "json records, limit" [ "$(json "$WORK/out" '[(r["date"], r["inflow_amount"], r["inflow_count"]) for r in d]')" = "[('2025-03-01', '1.00', 2)]" ]
# consent is judged today: backdating the read into the expired consent, or
# dating it into the pending one, does not help
run 2 records --enterprise "$U1" --as BANK01 --feed payments_daily --purpose monitoring --on "$(day -15)"
check "expired and pending, judged today" contains "$ERR" \
    "; consent 4 expired on $(day -1); consent 5 is valid only from $(day 10) (consent is judged on the day of the read, $TODAY, not on the data date $(day -15))"
run 2 records --enterprise "$U1" --as BANK01 --feed payments_daily --purpose monitoring --on "$TODAY"
check "wrong purpose" contains "$ERR" "; consent 1 is for credit assessment; consent 2 is for credit assessment"
run 0 records --enterprise "$U1" --as BANK01 --feed payments_daily --on 2020-01-31
check "a live consent reads data as of an old date" contains "$OUT" "$U1  2025-03-02"
run 2 records --enterprise "$U1" --as BANK01 --feed risk_pools
check "a feed without firms" contains "$ERR" "field feed, value 'risk_pools': expected a feed whose rows are about an enterprise"
run 2 records --enterprise "$U1" --as BANK01
check "records needs a feed" contains "$ERR" "'records' needs --enterprise USCC, --as INSTITUTION and --feed NAME"

# revocation takes effect at once
run 0 consent revoke --id 2
check "revoke says so" contains "$OUT" "consent 2 revoked: it refuses every read from now on"
run 2 records --enterprise "$U1" --as BANK01 --feed payments_daily --on "$TODAY"
check "revoked consent refuses at once" contains "$ERR" "; consent 2 was revoked at 20"
run 2 consent revoke --id 2
check "revoking twice" contains "$ERR" "field id, value '2': expected a consent not yet revoked; consent 2 was revoked at"
run 2 consent revoke --id 99
check "unknown id" contains "$ERR" "field id, value '99': expected the id of a consent; there is no consent 99"
run 0 consent revoke --enterprise "$U1" --institution BANK01 --purpose credit
check "revoke by triple" contains "$OUT" "1 consent from $U1 to BANK01 for credit assessment revoked"
run 2 consent revoke --enterprise "$U1" --institution BANK01 --purpose credit
check "nothing left to revoke" contains "$ERR" "there is none"
run 2 consent revoke --id 1 --purpose credit
check "revoke takes one form" contains "$ERR" "'consent revoke' takes either --id N or all of --enterprise, --institution and --purpose"

# --- audit list ---------------------------------------------------------------------------
ENTRIES=8
run 0 audit list --enterprise "$U1"
check "the firm sees who looked" contains "$OUT" "BANK01       $U1  credit      allowed  records payments_daily"
check "refusals are listed with the reason" contains "$OUT" "denied   records vat_invoices    vat_invoices    yes            no live consent from $U1"
run 0 --format json audit list --enterprise "$U1" --limit 2
check "newest first, limited" [ "$(json "$WORK/out" '[e["seq"] for e in d]')" = "[$ENTRIES, $((ENTRIES - 1))]" ]
run 0 --format json audit list --enterprise "$U2"
check "the other firm's log" [ "$(json "$WORK/out" '[(e["seq"], e["outcome"]) for e in d]')" = "[(1, 'denied')]" ]
run 2 audit list --limit 0
check "limit must be positive" contains "$ERR" "--limit takes a whole number from 1"

# --- audit verify -------------------------------------------------------------------------
run 0 audit verify
check "intact" contains "$OUT" "access log intact: $ENTRIES entries, hash chain verified"
run 0 --format json audit verify
HEAD=$(json "$WORK/out" 'd["head"]')
check "json head" [ "$(json "$WORK/out" '(d["intact"], d["entries"], d["head_seq"])')" = "(True, $ENTRIES, $ENTRIES)" ]

# A regulator re-verifies the chain with nothing but the documented encoding.
reverify() {
    python3 - "$1" <<'PY'
import hashlib, sqlite3, struct, sys
db = sqlite3.connect(sys.argv[1])
prev, last_version = "0" * 64, 1
rows = db.execute("SELECT seq, hash_version, at, data_on, institution_id, uscc, purpose,"
                  " outcome, what, sources, raw, consents, reason, prev_hash, hash"
                  " FROM access_log ORDER BY seq").fetchall()
for n, (seq, version, at, data_on, *fields, prev_hash, stored) in enumerate(rows, 1):
    assert seq == n, f"entry {n} is missing"
    assert version in (1, 2) and version >= last_version, f"entry {seq} was altered"
    assert (data_on is None) == (version == 1), f"entry {seq} was altered"
    assert prev_hash == prev, f"entry {seq} does not follow entry {seq - 1}"
    dated = [at, data_on] if version == 2 else [at]
    h = hashlib.blake2b(digest_size=32)
    for f in [f"puhui-access-log-v{version}", str(seq), *dated, *map(str, fields), prev_hash]:
        b = f.encode("utf-8")
        h.update(struct.pack(">Q", len(b)) + b)
    assert h.hexdigest() == stored, f"entry {seq} was altered"
    prev, last_version = stored, version
print(len(rows), prev)
PY
}
check "independent re-verification (docs/consent.md)" [ "$(reverify "$DB")" = "$ENTRIES $HEAD" ]
run 0 audit verify --head "$HEAD" --expect-count $ENTRIES
run 2 audit verify --head nothex
check "bad head" contains "$ERR" "field head, value 'nothex': expected 64 hexadecimal digits"

# tampering, each on a copy, around the triggers
tampered() {
    cp "$DB" "$WORK/t.db"
    sql "$WORK/t.db" "DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete; $1"
}
run 2 --db "$WORK/none.db" audit verify
check "verify needs a database" contains "$ERR" "puhui init"

tampered "UPDATE access_log SET institution_id = 'BANK02' WHERE seq = 4"
run 1 --db "$WORK/t.db" audit verify
check "edit caught at its entry" contains "$ERR" "puhui: error: access log verification FAILED at entry 4: entry 4 was altered: its contents hash to"
refuted() { ! reverify "$1" 2>/dev/null; }
check "python agrees" refuted "$WORK/t.db"

tampered "DELETE FROM access_log WHERE seq = 5"
run 1 --db "$WORK/t.db" audit verify
check "deleted middle entry caught" contains "$ERR" "FAILED at entry 5: entry 5 is missing: the log goes from entry 4 to entry 6"

tampered "DELETE FROM access_log WHERE seq = $ENTRIES"
run 1 --db "$WORK/t.db" audit verify
check "dropped triggers are reported" contains "$ERR" "triggers access_log_no_update, access_log_no_delete are missing"
sql "$WORK/t.db" "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'x'); END;
                  CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT 1; END;"
run 1 --db "$WORK/t.db" audit verify
check "triggers not as the schema creates them are reported" contains "$ERR" \
    "triggers access_log_no_update, access_log_no_delete are missing or not as the schema creates them"
sql "$WORK/t.db" "DROP TRIGGER access_log_no_update; DROP TRIGGER access_log_no_delete;
                  CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only: entries cannot be changed'); END;
                  CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log BEGIN SELECT RAISE(ABORT, 'access_log is append-only: entries cannot be deleted'); END;"
run 0 --db "$WORK/t.db" audit verify
check "a deleted last entry is invisible without an anchor" contains "$OUT" "$((ENTRIES - 1)) entries"
run 1 --db "$WORK/t.db" audit verify --head "$HEAD"
check "published head catches the deleted last entry" contains "$ERR" \
    "FAILED at entry $ENTRIES: no entry has the published head hash $HEAD"
run 1 --db "$WORK/t.db" audit verify --expect-count $ENTRIES
check "published count catches it too" contains "$ERR" \
    "FAILED at entry $ENTRIES: entry $ENTRIES is missing: the log ends at entry $((ENTRIES - 1)) but $ENTRIES entries were published"
run 1 --format json --db "$WORK/t.db" audit verify --expect-count $ENTRIES
check "json failure report" [ "$(json "$WORK/out" '(d["intact"], d["bad_seq"])')" = "(False, $ENTRIES)" ]

tampered "UPDATE access_log SET seq = -3 WHERE seq = 3; UPDATE access_log SET seq = 3 WHERE seq = 6;
          UPDATE access_log SET seq = 6 WHERE seq = -3"
run 1 --db "$WORK/t.db" audit verify
check "reorder caught" contains "$ERR" "FAILED at entry 3: entry 3 was altered"

run 0 audit verify
check "the original is untouched" contains "$OUT" "access log intact: $ENTRIES entries"
set +e
python3 -c 'import sqlite3,sys; sqlite3.connect(sys.argv[1]).execute("DELETE FROM access_log")' "$DB" 2>"$WORK/err"
set -e
check "triggers refuse deletion" contains "$(cat "$WORK/err")" "access_log is append-only: entries cannot be deleted"

run 0 help audit
check "audit help mentions the head" contains "$OUT" "--head HASH"
run 0 help
check "help lists consent" contains "$OUT" "consent"
finish
