#!/usr/bin/env bash
# End-to-end: puhui key create, list, revoke. The key alone on stdout, its
# shape, the stored hash checked independently (b2sum -l 256 of the key
# text), no plaintext anywhere in the database files, every tenant rule's
# error naming field and value, exit codes, revoking twice.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_key.sh needs python3"; exit 1; }
command -v b2sum >/dev/null || { echo "not ok - test_key.sh needs b2sum (coreutils)"; exit 1; }
DB="$WORK/k.db"

sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()' "$1" "$2"; }
query() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("\n".join("|".join(str(v) for v in r) for r in c.execute(sys.argv[2]))); c.close()' "$1" "$2"; }

run 0 --db "$DB" init
run 0 uscc generate --count 2
U1=$(echo "$OUT" | sed -n 1p)
sql "$DB" "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES
             ('$U1', '济南甲公司', 370102, 'C');
           INSERT INTO institution (id, name, kind) VALUES
             ('BANK01', '齐鲁银行', 'commercial_bank'), ('CBIRC-SD', '山东监管局', 'regulator'),
             ('SDFIN', '山东省地方金融管理局', 'government');"
export PUHUI_DB="$DB"

# --- create: the key alone on stdout ---------------------------------------------------
run 0 key create --role institution --tenant BANK01 --label "credit desk"
KEY1=$OUT
check "stdout is one line" [ "$(printf '%s\n' "$OUT" | wc -l)" -eq 1 ]
check "the key has the shape phk_1_<64 hex>" \
    python3 -c 'import re,sys; sys.exit(0 if re.fullmatch(r"phk_1_[0-9a-f]{64}", sys.argv[1]) else 1)' "$KEY1"
check "stderr says what it is for" contains "$ERR" \
    "key 1 created for institution BANK01; it is shown once and cannot be recovered"
check "stderr does not repeat the key" python3 -c 'import sys; sys.exit(sys.argv[1] in sys.argv[2])' "$KEY1" "$ERR"

run 0 key create --role enterprise --tenant "$U1"
KEY2=$OUT
check "a second key is another secret" [ "${KEY1#phk_1_}" != "${KEY2#phk_2_}" ]
run 0 key create --role regulator
check "the provincial regulator has no tenant" contains "$ERR" "key 3 created for regulator (no tenant)"
run 0 key create --role regulator --tenant CBIRC-SD
run 0 key create --role regulator --tenant SDFIN
run 0 key create --role admin --label ops

# --- what is stored: the BLAKE2b-256 of the key text, never the key ----------------------
HASH=$(printf '%s' "$KEY1" | b2sum -l 256 | cut -d' ' -f1)
check "the stored hash is BLAKE2b-256 of the whole key" \
    [ "$(query "$DB" "SELECT hash FROM api_key WHERE id = 1")" = "$HASH" ]
check "no plaintext key in the database files" \
    python3 -c '
import glob, sys
data = b"".join(open(p, "rb").read() for p in glob.glob(sys.argv[1] + "*"))
sys.exit(any(k.encode() in data or k[6:].encode() in data for k in sys.argv[2:]))' "$DB" "$KEY1" "$KEY2"

# --- list: never a key or its hash ------------------------------------------------------
run 0 key list
check "list shows the columns" contains "$OUT" "id  role"
check "list names the tenant and label" contains "$OUT" "BANK01"
check "list shows the label" contains "$OUT" "credit desk"
check "list never shows a key" python3 -c 'import sys; sys.exit("phk_" in sys.argv[1] or sys.argv[2] in sys.argv[1])' "$OUT" "$HASH"
run 0 --format json key list
check "list as JSON" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])
assert [r["id"] for r in rows] == [1, 2, 3, 4, 5, 6], rows
assert rows[0] == {"id": 1, "role": "institution", "tenant": "BANK01", "label": "credit desk",
                   "created": rows[0]["created"], "revoked": ""}, rows[0]
assert set(rows[0]) == {"id", "role", "tenant", "label", "created", "revoked"}' "$OUT"

# --- tenant rules: errors name the field, the value and what was expected ------------------
run 2 key create --role enterprise --tenant 91370102MA00000009
check "unknown firm" contains "$ERR" "field tenant, value '91370102MA00000009': expected the USCC of an enterprise registered in the database (table enterprise) for an enterprise key"
run 2 key create --role enterprise
check "enterprise without tenant" contains "$ERR" "expected the USCC of a registered enterprise for an enterprise key"
run 2 key create --role institution --tenant NOBANK
check "unknown institution" contains "$ERR" "field tenant, value 'NOBANK': expected an institution registered in the database (table institution)"
run 2 key create --role institution --tenant CBIRC-SD
check "a regulator is not an institution key" contains "$ERR" "this institution is a regulator: create a regulator key"
run 2 key create --role regulator --tenant BANK01
check "a bank is not a regulator" contains "$ERR" "field tenant, value 'BANK01': expected \"\" (the provincial regulator) or an institution of kind regulator or government for a regulator key; this one is a commercial_bank"
run 2 key create --role admin --tenant BANK01
check "admin has no tenant" contains "$ERR" "field tenant, value 'BANK01': expected \"\" (no tenant) for an admin key"
run 2 key create --role root
check "unknown role" contains "$ERR" "field --role, value 'root': expected a role: enterprise, institution, regulator or admin"
run 2 key create --tenant BANK01
check "role required" contains "$ERR" "'key create' needs --role"
run 2 key create --role admin --colour red
check "unknown option" contains "$ERR" "--colour"
check "refusals stored nothing" [ "$(query "$DB" "SELECT COUNT(*) FROM api_key")" = 6 ]
check "refusals printed no key" [ -z "$OUT" ]

# --- revoke --------------------------------------------------------------------------
run 0 key revoke 1
check "revoked" contains "$OUT" "key 1 revoked"
run 0 key list
check "list shows the revocation" python3 -c '
import re, sys
line = [l for l in sys.argv[1].splitlines() if l.lstrip().startswith("1 ")][0]
sys.exit(0 if len(re.findall(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", line)) == 2 else 1)' "$OUT"
run 2 key revoke 1
check "revoking twice is an error naming the key" contains "$ERR" "field id, value '1': key 1 was revoked at "
check "and saying why" contains "$ERR" "a revoked key stays revoked"
run 2 key revoke 99
check "unknown key" contains "$ERR" "field id, value '99': expected the id of an API key"
run 2 key revoke abc
check "not a number" contains "$ERR" "ID takes a whole number"
run 2 key revoke
check "ID required" contains "$ERR" "'key revoke' needs the key's ID"
run 2 key revoke 2 3
check "one ID at a time" contains "$ERR" "unexpected argument '3'"
run 2 key rotate
check "unknown subcommand" contains "$ERR" "expected create, list or revoke"

# --- the table keeps its rules whoever writes to it ----------------------------------------
set +e
sql "$DB" "DELETE FROM api_key WHERE id = 2" 2>"$WORK/sqlerr"
code=$?
set -e
check "a key cannot be deleted" [ "$code" -ne 0 ]
check "the trigger says why" grep -q "keys cannot be deleted, only revoked" "$WORK/sqlerr"
set +e
sql "$DB" "UPDATE api_key SET hash = '$HASH' WHERE id = 2" 2>"$WORK/sqlerr"
code=$?
set -e
check "a hash cannot be replaced" [ "$code" -ne 0 ]
check "the trigger says so" grep -q "a key cannot be changed, only revoked" "$WORK/sqlerr"

# --- an old database ------------------------------------------------------------------
run 2 --db "$WORK/none.db" key list
check "no database" contains "$ERR" "run \`puhui init\` first"

finish
