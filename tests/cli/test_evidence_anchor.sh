#!/usr/bin/env bash
# The platform's records in the evidence log (anchor.h): consents, their
# revocation, decisions and the access log's head are anchored once each;
# a checkpoint anchors first; the audit finds a decision or a consent edited
# in the database after it was anchored (exit 3), and an anchored decision's
# leaf is proved to an offline verifier.
set -e
. "$(dirname "$0")/lib.sh"
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
export PUHUI_DB="$WORK/anchor.db"
EV="$WORK/anchor.db.evidence"

run 0 init
run 0 gen --enterprises 300 --months 24 --start 2024-01 --seed 5 --out "$WORK/prov"
run 0 ingest --known-on 2026-01-01 "$WORK/prov"
run 0 features refresh --asof 2025-12-31
run 0 model register --model "$F/pmml/province_scorecard.pmml" --name province_pd
run 0 model approve --name province_pd --version 1 --by "model risk committee" --note "fixture"
L1=$(awk -F, 'NR > 1 && $3 == "state_bank" { print $1; exit }' "$WORK/prov/reference/lenders.csv")
sed "s/@LENDER@/$L1/" "$F/market/city_bank.json" >"$WORK/city.json"
run 0 policy load "$WORK/city.json" --activate
run 0 market lpr 3.00% --from 2025-01-01
awk -F, 'NR > 1 && NR <= 21 { print $1 }' "$WORK/prov/feeds/registration.csv" >"$WORK/firms.txt"
run 0 consent grant --enterprises "$WORK/firms.txt" --institution "$L1" --purpose credit \
    --until "$(date -d "300 days" +%F)"
{ echo enterprise,amount,term,purpose,asof
  awk '{ print $1 ",300000,12,working_capital,2025-12-31" }' "$WORK/firms.txt"; } >"$WORK/batch.csv"
run 0 apply --batch "$WORK/batch.csv"
run 0 consent revoke --id 3
DECISIONS=$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM decision")
check "decisions were made" [ "$DECISIONS" -ge 20 ]

# the first sweep anchors everything, the second nothing
run 0 evidence anchor
check "20 grants, 1 revocation, every decision, the head" \
    contains "$OUT" "20 consent grant(s), 1 revocation(s), $DECISIONS decision(s), the access log's head"
run 0 evidence anchor
check "nothing twice" contains "$OUT" "anchored nothing new"
check "one anchor per record" [ "$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM evidence_anchor")" -eq $((20 + 1 + DECISIONS + 1)) ]
# a new revocation and new reads: anchored by the checkpoint before it signs
run 0 consent revoke --id 4
run 0 profile --enterprise "$(sed -n 5p "$WORK/firms.txt")" --as "$L1" --asof 2025-12-31
run 0 evidence checkpoint
check "checkpoint anchors first" contains "$OUT" "0 consent grant(s), 1 revocation(s), 0 decision(s), the access log's head"
check "then signs" contains "$OUT" "puhui.local/evidence"
SIZE=$(sed -n 2p "$EV/checkpoint")
check "the checkpoint covers every leaf" [ "$SIZE" -eq $((20 + 2 + DECISIONS + 2)) ]
run 0 evidence audit
check "all match" contains "$OUT" "$((20 + 2 + DECISIONS + 2)) anchored record(s) match the evidence log"

# a decision's leaf proved to an offline verifier
D=$(sqlite3 "$PUHUI_DB" "SELECT id FROM decision ORDER BY id LIMIT 1")
LEAF=$(sqlite3 "$PUHUI_DB" "SELECT leaf_index FROM evidence_anchor WHERE source = 'decision' AND record = $D")
run 0 evidence prove --index "$LEAF" --out "$WORK/decision.bundle"
cp "$EV/checkpoint" "$WORK/cp"; cp "$EV/log.vkey" "$WORK/vkey"
run 0 evidence verify --bundle "$WORK/decision.bundle" --checkpoint "$WORK/cp" --key "$WORK/vkey"
check "the bundle holds the decision" contains "$(cat "$WORK/decision.bundle")" "leaves"

# tampering: someone with write access removes the guard and edits rows
sqlite3 "$PUHUI_DB" "DROP TRIGGER IF EXISTS decision_frozen; UPDATE decision SET approved = 1 - approved WHERE id = $D;"
sqlite3 "$PUHUI_DB" "DROP TRIGGER IF EXISTS consent_no_update; UPDATE consent SET expires_on = '2099-12-31' WHERE id = 7;"
run 3 evidence audit
check "the edited decision is named" contains "$OUT" "decision $D (leaf $LEAF): the record was changed after it was anchored"
check "the edited consent is named" contains "$OUT" "consent.grant 7 (leaf 7)"
check "counted" contains "$ERR" "2 of $((20 + 2 + DECISIONS + 2)) anchored record(s) no longer match"
finish
