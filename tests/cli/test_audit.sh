#!/bin/bash
# puhui audit keygen / checkpoint / verify --key, end to end on a real database:
# the secret key stays in a file, checkpoints are signed notes, and the unsigned
# tail, a forged checkpoint and a missing trigger are reported with exit code 1.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_audit.sh needs python3"; exit 1; }
DB="$WORK/p.db"
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()' "$1" "$2"; }

run 0 --db "$DB" init
run 0 uscc generate --count 1
U=$OUT
sql "$DB" "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES ('$U', 'A', 370102, 'C');
           INSERT INTO institution (id, name, kind) VALUES ('BANK01', 'one', 'commercial_bank');
           INSERT INTO feed_payments_daily VALUES ('$U', '2025-03-02', 3, 1234567, 1, 5, '2025-03-03', 1, 3, 1);"
export PUHUI_DB="$DB"
run 0 consent grant --enterprise "$U" --institution BANK01 --purpose credit --sources payments_daily \
    --raw --until "$(date -d '300 days' +%F)"
run 0 records --enterprise "$U" --as BANK01 --feed payments_daily --on 2025-12-31
run 0 audit list
check "list shows the data date next to the time" contains "$OUT" "data_on"
check "the data date is the read's" contains "$OUT" "2025-12-31  BANK01"

# --- keygen ----------------------------------------------------------------------------
run 0 audit keygen --out "$WORK/k.key"
PUB=$(echo "$OUT" | sed -n 's/^public key (base64): //p')
check "public key in base64" [ "${#PUB}" -eq 44 ]
check "secret key file is 0600" [ "$(stat -c %a "$WORK/k.key")" = 600 ]
check "secret key file format" grep -q '^PRIVATE+KEY+puhui-access-log+[0-9a-f]\{8\}+' "$WORK/k.key"
cp "$WORK/k.key" "$WORK/k.copy"
run 2 audit keygen --out "$WORK/k.key"
check "keygen refuses to overwrite" contains "$ERR" "refusing to overwrite an existing key file"
check "the key is untouched" cmp -s "$WORK/k.key" "$WORK/k.copy"
run 2 audit keygen
check "keygen needs --out" contains "$ERR" "'audit keygen' needs --out FILE"

# --- checkpoint -------------------------------------------------------------------------
run 0 audit checkpoint --key "$WORK/k.key"
check "checkpoint is a signed note" contains "$OUT" "puhui-access-log
1
"
check "signature line" contains "$OUT" "— puhui-access-log "
echo "nonsense" > "$WORK/bad.key"
chmod 644 "$WORK/bad.key"
run 2 audit checkpoint --key "$WORK/bad.key"
check "a key file others can read is refused, naming file and mode" contains "$ERR" \
    "field file, value '$WORK/bad.key': permissions 0644 are too open"
chmod 600 "$WORK/bad.key"
run 2 audit checkpoint --key "$WORK/bad.key"
check "bad key file named with what is expected" contains "$ERR" \
    "field file, value '$WORK/bad.key': line 1: not a checkpoint secret key; expected one line PRIVATE+KEY+puhui-access-log+"

# --- verify --key -----------------------------------------------------------------------
run 0 audit verify --key "$PUB"
check "signed, no tail" contains "$OUT" "signed checkpoints: 1 verified; entries 1..1 are signed; unsigned tail: 0 entries"
run 0 records --enterprise "$U" --as BANK01 --feed payments_daily
run 0 audit verify --key "$PUB"
check "a later entry is the unsigned tail" contains "$OUT" "unsigned tail: 1 entry after the last signed checkpoint"
run 0 --format json audit verify --key "$PUB"
check "json tail" contains "$OUT" '"unsigned_tail": 1'
run 0 audit keygen --out "$WORK/other.key"
OTHER=$(echo "$OUT" | sed -n 's/^public key (base64): //p')
run 1 audit verify --key "$OTHER"
check "wrong public key rejected" contains "$ERR" "checkpoint 1 is not signed by the key given"
run 0 audit checkpoint --key "$WORK/other.key"
run 1 audit verify --key "$PUB"
check "checkpoint by another key rejected" contains "$ERR" "checkpoint 2 is not signed by the key given"
run 0 audit verify --key "$PUB,$OTHER"
check "both keys after a rotation" contains "$OUT" "signed checkpoints: 2 verified"
run 2 audit verify --key nope
check "bad public key" contains "$ERR" "field key, value 'nope': expected the checkpoint public key"
run 0 audit verify --head "$(sqlite3 "$DB" 'SELECT hash FROM access_log WHERE seq = 1' 2>/dev/null ||
                             python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT hash FROM access_log WHERE seq = 1").fetchone()[0])' "$DB")"

# --- triggers ---------------------------------------------------------------------------
sql "$DB" "DROP TRIGGER access_checkpoint_no_delete"
run 1 audit verify
check "missing trigger fails verify" contains "$ERR" \
    "FAILED: the append-only protection of the access log is gone: trigger access_checkpoint_no_delete is missing"
run 1 audit checkpoint --key "$WORK/k.key"
check "a log that fails verify is not signed" contains "$ERR" "trigger access_checkpoint_no_delete is missing"
finish
