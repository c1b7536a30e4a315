#!/usr/bin/env bash
# End-to-end: digital claim vouchers (puhui voucher). A core enterprise, a
# chain of suppliers four tiers deep, a lender and the LPR are put in a fresh
# database; then a voucher is issued, split, passed down the tiers, financed
# (two processes race for the same part: exactly one wins), settled late,
# and its lineage printed. Bad input is refused with a located message: a
# split that does not sum, a transfer outside the chain, financing after
# maturity. Every event is in the evidence log; an edited event row makes
# `voucher prove` fail.
set -e
. "$(dirname "$0")/lib.sh"
export PUHUI_DB="$WORK/v.db"
command -v sqlite3 >/dev/null || { echo "ok - skipped: sqlite3 not installed"; finish; exit 0; }

run 0 init
CORE=91370100MA3C000001
T1=91370102MA3C000011
T2=91370102MA3C000012
T3=91370102MA3C000013
T4=91370102MA3C000014
FAR=91370102MA3C000099
sqlite3 "$PUHUI_DB" <<SQL
INSERT INTO institution (id, name, kind) VALUES ('$CORE', '山东重工', 'core_enterprise'),
  ('BANK01', '齐鲁银行', 'commercial_bank'), ('BANK02', '村镇银行', 'village_bank');
INSERT INTO feed_core_enterprises (uscc, name, industry_code, region_code, rating,
  annual_procurement_fen, known_on, file_id, line, row_hash)
  VALUES ('$CORE', '山东重工', 'C34', 370100, 'AA+', 100000000000, '2025-01-01', 1, 1, 0);
INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES
  ('$T1', '一级', 370102, 'C'), ('$T2', '二级', 370102, 'C'), ('$T3', '三级', 370102, 'C'),
  ('$T4', '四级', 370102, 'C'), ('$FAR', '局外', 370102, 'C');
INSERT INTO feed_supply_chain (chain_id, core_uscc, tier, supplier_uscc, buyer_uscc, since,
  annual_volume_fen, known_on, file_id, line, row_hash) VALUES
  ('SC1', '$CORE', 1, '$T1', '$CORE', '2020-01-01', 1, '2025-01-01', 1, 1, 0),
  ('SC1', '$CORE', 2, '$T2', '$T1', '2020-01-01', 1, '2025-01-01', 1, 2, 0),
  ('SC1', '$CORE', 3, '$T3', '$T2', '2020-01-01', 1, '2025-01-01', 1, 3, 0),
  ('SC1', '$CORE', 4, '$T4', '$T3', '2020-01-01', 1, '2025-01-01', 1, 4, 0);
SQL
run 0 market lpr 3.10 --from 2025-01-01

run 0 voucher issue --issuer "$CORE" --to "$T1" --amount 1000000 --maturity 2025-09-30 \
    --on 2025-03-01 --ref AP-001
check "issued V000001" contains "$OUT" "issued V000001: 1,000,000.00 yuan"
check "grade AA+" contains "$OUT" "grade AA+"
run 2 voucher issue --issuer BANK01 --to "$T1" --amount 1 --maturity 2025-09-30 --on 2025-03-01
check "only a core enterprise issues" contains "$ERR" "only a core enterprise issues vouchers"

run 2 voucher split V000001 --from "$T1" --parts 300000,699999 --on 2025-03-02
check "split must sum" contains "$ERR" \
    "field parts, value '999,999.00': parts sum to 999,999.00 yuan but voucher V000001 is 1,000,000.00"
run 0 voucher split V000001 --from "$T1" --parts 300000,700000 --on 2025-03-02
check "split into two" contains "$OUT" "split V000001 into 2 parts: V000002 300,000.00, V000003 700,000.00"

run 2 voucher transfer V000003 --from "$T1" --to "$FAR" --on 2025-03-03
check "transfer outside the chain" contains "$ERR" \
    "field to, value '$FAR': this firm does not supply $T1"
run 0 voucher transfer V000003 --from "$T1" --to "$T2" --on 2025-03-03
check "tier 2" contains "$OUT" "new part V000004, 700,000.00 yuan, tier 2"
run 0 voucher transfer V000004 --from "$T2" --to "$T3" --on 2025-03-04
run 2 voucher transfer V000005 --from "$T3" --to "$T4" --on 2025-03-05 --max-tier 3
check "max tier" contains "$ERR" "past the maximum of 3"
run 0 voucher transfer V000005 --from "$T3" --to "$T4" --on 2025-03-05
check "tier 4" contains "$OUT" "new part V000006, 700,000.00 yuan, tier 4"
run 0 voucher split V000006 --from "$T4" --parts 200000,500000 --on 2025-03-06

run 2 voucher finance V000007 --from "$T4" --lender BANK01 --on 2025-10-01
check "financing after maturity" contains "$ERR" \
    "field on, value '2025-10-01': voucher V000007 matured on 2025-09-30; after maturity it can only be settled"

# two processes race to finance the same part
"$PUHUI" voucher finance V000008 --from "$T4" --lender BANK01 --on 2025-03-31 \
    >"$WORK/a.out" 2>"$WORK/a.err" & A=$!
"$PUHUI" voucher finance V000008 --from "$T4" --lender BANK02 --on 2025-03-31 \
    >"$WORK/b.out" 2>"$WORK/b.err" & B=$!
set +e; wait $A; CA=$?; wait $B; CB=$?; set -e
check "exactly one financing wins ($CA, $CB)" [ $((CA + CB)) -eq 2 ]
check "the loser is told" grep -q "is financed" "$WORK/a.err" "$WORK/b.err"
check "one financing row" [ "$(sqlite3 "$PUHUI_DB" "SELECT COUNT(*) FROM voucher_financing")" = 1 ]
run 2 voucher finance V000008 --from "$T4" --lender BANK01 --on 2025-04-01
check "second financing refused" contains "$ERR" "cannot finance voucher V000008: it is financed"
# 500,000.00 x (3.10% + 0.50%) x 183 days / 360 = 9,150.00
check "discount" grep -q "discount 9,150.00, advance 490,850.00" "$WORK/a.out" "$WORK/b.out"

run 0 voucher lineage V000004
check "lineage root" contains "$OUT" "voucher V000001 issued by $CORE, grade AA+, 1,000,000.00 yuan"
check "lineage tree" contains "$OUT" "      └─ V000008"
check "leaves sum" contains "$OUT" "3 current parts sum to 1,000,000.00 yuan = the face 1,000,000.00"
run 0 voucher show V000008
check "show financed" contains "$OUT" "financed     at BANK"
run 0 voucher list --current --holder "$T4"
check "list current" contains "$OUT" "V000007"

run 2 voucher settle V000001 --on 2025-09-29
check "settle before maturity" contains "$ERR" "the issuer settles at or after maturity"
run 0 voucher settle V000001 --on 2025-10-03
check "settled" contains "$OUT" "3 parts paid, 1,000,000.00 yuan"
run 0 voucher late --from 2025-10-01 --to 2025-10-31
check "late settlements" contains "$OUT" "V000008"

# the evidence: every event is a leaf; an edited row no longer proves
LEAVES=$(sqlite3 "$PUHUI_DB" "SELECT COUNT(*) FROM voucher_event WHERE leaf_index IS NOT NULL")
check "every event logged" [ "$LEAVES" = "$(sqlite3 "$PUHUI_DB" "SELECT COUNT(*) FROM voucher_event")" ]
run 0 voucher prove V000008 --size "$LEAVES"
check "proved" contains "$OUT" "events of the tree of V000008 recomputed from the database match"
# the log the first event made has its key pair: sign, prove against the
# checkpoint, verify offline
check "the new log got its keys" [ -f "$PUHUI_DB.evidence/log.key" -a -f "$PUHUI_DB.evidence/log.vkey" ]
run 0 evidence checkpoint
run 0 voucher prove V000008 --out "$WORK/v8.json"
check "against the checkpoint" contains "$OUT" "included in its tree of $LEAVES leaves; bundle written to $WORK/v8.json"
run 0 evidence verify --bundle "$WORK/v8.json" --checkpoint "$PUHUI_DB.evidence/checkpoint" \
    --key "$PUHUI_DB.evidence/log.vkey"
check "verified offline" contains "$OUT" "verified: $LEAVES leaves"
sqlite3 "$PUHUI_DB" "DROP TRIGGER voucher_event_no_update;
  UPDATE voucher_event SET counterparty = '$FAR' WHERE type = 'transfer' AND voucher_id = 'V000004'"
run 3 voucher prove V000008 --size "$LEAVES"
check "tampering detected" contains "$ERR" "the stored row no longer gives the leaf the evidence log holds"
finish
