#!/bin/bash
# puhui evidence: init, append, checkpoint, prove, consistency and the offline
# verify, end to end; a tampered leaf, a forged checkpoint, another key and a
# malformed bundle are refused with their exit codes (3: does not verify, 2:
# malformed input).
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_evidence.sh needs python3"; exit 1; }
DB="$WORK/p.db"
EV="$DB.evidence"
export PUHUI_DB="$DB"

run 2 evidence
check "a subcommand is asked for" contains "$ERR" "needs a subcommand"
run 2 evidence append "$WORK/none.json"
check "no log yet: init is suggested" contains "$ERR" "puhui evidence init"

run 0 evidence init --name test.local/evidence
check "init prints the verifier key" contains "$OUT" "verifier key (publish it): test.local/evidence+"
check "the log is beside the database" [ -f "$EV/meta" ]
check "secret key file is 0600" [ "$(stat -c %a "$EV/log.key")" = 600 ]
check "verifier key file" grep -q '^test.local/evidence+[0-9a-f]\{8\}+' "$EV/log.vkey"
run 2 evidence init
check "init never replaces the key" contains "$ERR" "refusing to overwrite"

for i in 0 1 2 3 4 5 6; do
    printf '{"type":"voucher.issue","id":"V%06d","amounts":["1000.00"]}' "$i" >"$WORK/e$i.json"
done
run 0 evidence append "$WORK/e0.json" "$WORK/e1.json" "$WORK/e2.json" "$WORK/e3.json" "$WORK/e4.json"
check "append prints each leaf's index" contains "$OUT" "leaf 4: $WORK/e4.json"
run 0 evidence checkpoint
check "a C2SP checkpoint" contains "$OUT" "test.local/evidence
5
"
check "signed" contains "$OUT" "— test.local/evidence "
cp "$EV/checkpoint" "$WORK/cp5"
run 0 evidence append "$WORK/e5.json" "$WORK/e6.json"
run 0 evidence prove --index 1,3 --out "$WORK/b.json"
check "proved against the last checkpoint (5), not the log (7)" contains "$OUT" "tree of 5 leaves"

# --- readers take no lock: prove and consistency while another process holds the writer's ------
python3 -c 'import fcntl, sys, time
f = open(sys.argv[1], "a")
fcntl.flock(f, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(60)' "$EV/lock" "$WORK/locked" &
HOLDER=$!
for _ in $(seq 100); do [ -e "$WORK/locked" ] && break; sleep 0.05; done
check "another process holds the writer's lock" [ -e "$WORK/locked" ]
run 0 evidence prove --index 1 --out "$WORK/b1.json"
check "prove reads beside the writer" contains "$OUT" "tree of 5 leaves"
run 0 evidence consistency --from 2 --to 5
run 0 evidence check
check "check recomputes the committed leaves" contains "$OUT" "7 committed leaves checked"
kill "$HOLDER"
wait "$HOLDER" 2>/dev/null || true

# --- the offline verifier: only the three files ------------------------------------------------
mkdir "$WORK/participant"
cp "$WORK/b.json" "$WORK/cp5" "$EV/log.vkey" "$WORK/participant/"
P="$WORK/participant"
run 0 --db "$WORK/no-such.db" evidence verify --bundle "$P/b.json" --checkpoint "$P/cp5" --key "$P/log.vkey"
check "verified" contains "$OUT" "verified: 2 leaves are in the log test.local/evidence at tree size 5"
check "no database was touched" [ ! -e "$WORK/no-such.db" ]
run 2 evidence verify --bundle "$P/b.json" --checkpoint "$P/cp5"
check "the key is required" contains "$ERR" "needs --bundle B --checkpoint C --key VKEY"

# a leaf's bytes changed (V000001 -> V000009): the proof no longer reaches the root
python3 - "$P/b.json" "$P/tampered.json" <<'PY'
import base64, json, sys
b = json.load(open(sys.argv[1]))
data = base64.b64decode(b["leaves"][0]["data"]).replace(b"V000001", b"V000009")
b["leaves"][0]["data"] = base64.b64encode(data).decode()
json.dump(b, open(sys.argv[2], "w"), indent=2)
PY
run 3 evidence verify --bundle "$P/tampered.json" --checkpoint "$P/cp5" --key "$P/log.vkey"
check "the tampered leaf is named" contains "$ERR" "leaf 1 (the bundle's leaves[0]) is not in the checkpoint's tree of 5 leaves"
# a checkpoint whose size was edited: the signature fails
sed 's/^5$/6/' "$P/cp5" >"$P/forged"
run 3 evidence verify --bundle "$P/b.json" --checkpoint "$P/forged" --key "$P/log.vkey"
check "the forged checkpoint is refused" contains "$ERR" "does not verify"
# another log's key (a second log)
run 0 evidence init --evidence "$WORK/other" --name other.local/evidence
run 3 evidence verify --bundle "$P/b.json" --checkpoint "$P/cp5" --key "$WORK/other/log.vkey"
check "another key: no signature by it" contains "$ERR" "no signature by the key other.local/evidence"
# a malformed bundle: located
python3 - "$P/b.json" "$P/bad.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
b["leaves"][1]["proof"][0] = "not base64!"
json.dump(b, open(sys.argv[2], "w"), indent=2)
PY
run 2 evidence verify --bundle "$P/bad.json" --checkpoint "$P/cp5" --key "$P/log.vkey"
check "the malformed proof is located" contains "$ERR" "$P/bad.json:"
check "...and named" contains "$ERR" "field leaves[1].proof[0]"
run 2 evidence verify --bundle "$P/cp5" --checkpoint "$P/cp5" --key "$P/log.vkey"
check "not JSON" contains "$ERR" "invalid JSON"

# --- consistency between the two checkpoints ----------------------------------------------------
run 0 evidence checkpoint
run 0 evidence consistency --from 5
check "a consistency proof from 5 to 7" contains "$OUT" '"size2": 7'
cp "$EV/checkpoint" "$P/cp7"
run 0 evidence consistency --from 5 --out "$P/c57.json"
run 0 evidence verify --consistency "$P/c57.json" --old "$P/cp5" --checkpoint "$P/cp7" --key "$P/log.vkey"
check "the new checkpoint extends the old one" contains "$OUT" "at tree size 7 extends its tree at size 5"
# a forked log: same origin and key, other leaves - its checkpoint at 7 is not an extension
run 0 evidence init --evidence "$WORK/fork" --key "$WORK/fork-own.key" --name test.local/evidence
cp "$EV/log.key" "$WORK/fork.key"
for i in 0 1 2 3 4; do run 0 evidence append --evidence "$WORK/fork" "$WORK/e$i.json"; done
printf 'rewritten' >"$WORK/r.json"
run 0 evidence append --evidence "$WORK/fork" "$WORK/r.json" "$WORK/e6.json"
run 0 evidence checkpoint --evidence "$WORK/fork" --key "$WORK/fork.key"
cp "$WORK/fork/checkpoint" "$P/fork7"
run 3 evidence verify --consistency "$P/c57.json" --old "$P/cp5" --checkpoint "$P/fork7" --key "$P/log.vkey"
check "a fork is caught" contains "$ERR" "does not extend the older one"
run 3 evidence verify --consistency "$P/c57.json" --old "$P/cp5" --checkpoint "$P/cp5" --key "$P/log.vkey"
check "sizes that do not match the proof" contains "$ERR" "the checkpoints sign 5 and 5"
run 2 evidence verify --consistency "$P/c57.json" --old "$P/cp5" --key "$P/log.vkey"
check "consistency needs both checkpoints" contains "$ERR" "needs --consistency FILE --old"
run 2 evidence consistency --from 0
check "from the empty tree: refused" contains "$ERR" "empty tree"
run 2 evidence prove --index 9 --out "$WORK/x.json"
check "a leaf past the checkpoint" contains "$ERR" "leaf 9 is not in a tree of 7 leaves"

# --- check finds damage inside the committed leaves --------------------------------------------
printf '\377' | dd of="$EV/hashes" bs=1 seek=40 conv=notrunc status=none
run 1 evidence check
check "check names the damaged leaf" contains "$ERR" "damaged at leaf 1"

finish
