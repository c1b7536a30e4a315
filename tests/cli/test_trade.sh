#!/usr/bin/env bash
# End-to-end: puhui order and puhui receipt on a small hand-made store
# (firms, lenders, a supply-chain link and the warehouse feed tables written
# by a Python fixture until the generator's warehouse feeds land): the 80%
# cap refused with the numbers, a payment outside the whitelist refused and
# recorded, the buyer's payment splitting between lender and seller, a
# second pledge refused, a margin call, an IoT alert, evidence leaves; the
# order's and the receipt's histories proved and verified offline, and an
# edited event row making the proof fail (exit 3).
set -e
. "$(dirname "$0")/lib.sh"
export PUHUI_DB="$WORK/trade.db"
SELLER=913301000A0RGM1C3D
BUYER=913301000GYMM8Y680
SUPPLIER=913301000PXHRUW0XM
STRANGER=913301000YWDYFRR3U
OWNER=9133010016UA43PK6F

run 0 init
/usr/bin/python3 - "$PUHUI_DB" <<PY
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES
 ('$SELLER', 'Seller', 330100, 'C'), ('$BUYER', 'Buyer', 330100, 'C'),
 ('$SUPPLIER', 'Supplier', 330100, 'C'), ('$STRANGER', 'Stranger', 330100, 'F'),
 ('$OWNER', 'Owner', 330100, 'F');
INSERT INTO institution (id, name, kind) VALUES ('BANK01', 'Bank one', 'commercial_bank'),
 ('BANK02', 'Bank two', 'rural_bank');
INSERT INTO feed_supply_chain (chain_id, core_uscc, tier, supplier_uscc, buyer_uscc, since,
 annual_volume_fen, known_on, file_id, line, row_hash) VALUES
 ('SC0001', '$BUYER', 2, '$SUPPLIER', '$SELLER', '2024-01-01', 100000000, '2025-01-01', 0, 1, 0);
INSERT INTO feed_warehouse_lots VALUES ('WH0001', 'L00000001', '$OWNER', 'copper', 100000,
 '2026-01-05', NULL, 30.2741, 120.1551, 500, '2026-01-05', 0, 1, 0);
INSERT INTO feed_commodity_prices VALUES ('copper', '2026-01-01', 6800, '2026-01-01', 0, 1, 0),
 ('copper', '2026-02-01', 5200, '2026-02-01', 0, 2, 0);
INSERT INTO feed_warehouse_iot VALUES
 ('WH0001', 'L00000001', '2026-02-01', 100010, 12.0, 30.2741, 120.1551, '2026-02-01', 0, 1, 0),
 ('WH0001', 'L00000001', '2026-02-02', 80000, 12.0, 30.2741, 120.1551, '2026-02-02', 0, 2, 0),
 ('WH0001', 'L00000001', '2026-02-03', 100000, 12.0, 30.3000, 120.1551, '2026-02-03', 0, 3, 0);
""")
db.commit()
PY

# ---- order financing
run 0 order confirm --id PO1 --buyer $BUYER --seller $SELLER --amount 1000000.00 \
    --confirmed 2026-03-01 --due 2026-05-30
check "confirmed" contains "$OUT" "order PO1 confirmed"
check "a leaf" contains "$OUT" "evidence: leaf"
run 2 order advance PO1 --lender BANK01 --amount 900000.00 --rate 4% --on 2026-03-02
check "the cap with the numbers" contains "$ERR" "900,000.00 yuan is 90.00% of order PO1's 1,000,000.00 yuan; expected at most 80.00%: 800,000.00 yuan"
run 0 order advance PO1 --lender BANK01 --amount 800000.00 --rate 4% --on 2026-03-02
check "advanced, a loan" contains "$OUT" "advanced by BANK01, loan"
run 0 order pay PO1 --to $SUPPLIER --amount 300000.00 --on 2026-03-02
run 2 order pay PO1 --to $STRANGER --amount 10000.00 --on 2026-03-02
check "refused in words" contains "$ERR" "refused, and the refusal recorded"
run 0 order events PO1
check "the refusal is recorded" contains "$OUT" "pay_refused"
run 0 cob --through 2026-05-29
run 0 order settle PO1 --amount 1000000.00 --on 2026-05-30
check "the lender first, the rest to the seller" contains "$OUT" "to the lender (loan repaid)"

# ---- warehouse receipts
run 0 receipt register --warehouse WH0001 --lot L00000001 --on 2026-01-10
check "registered" contains "$OUT" "receipt R000001 registered"
run 2 receipt register --warehouse WH0001 --lot L00000001 --on 2026-01-11
check "the same lot again" contains "$ERR" "is receipt R000001 already"
run 0 receipt pledge R000001 --lender BANK01 --amount 3000000.00 --on 2026-01-12
run 2 receipt pledge R000001 --lender BANK02 --amount 100.00 --on 2026-01-13
check "a second pledge refused" contains "$ERR" "it is pledged to BANK01"
run 0 receipt value R000001 --on 2026-01-20
check "valuation" contains "$OUT" "= 5,100,000.00 yuan"
run 0 receipt margin --on 2026-02-02
check "a margin call" contains "$OUT" "MARGIN CALL"
run 0 receipt iot --from 2026-02-01 --to 2026-02-28
check "weight alert" contains "$OUT" "weight_drop"
check "geofence alert" contains "$OUT" "geofence"
run 0 receipt release R000001 --on 2026-02-10
run 0 receipt events R000001
check "events with leaves" contains "$OUT" "release"

# ---- the evidence: an order's and a receipt's histories proved, checked offline
EV="$PUHUI_DB.evidence"
check "the log made by the first event has its key pair" [ -f "$EV/log.key" -a -f "$EV/log.vkey" ]
run 0 evidence checkpoint
mkdir "$WORK/participant"
P="$WORK/participant"
cp "$EV/checkpoint" "$EV/log.vkey" "$P/"
run 0 order prove PO1 --out "$P/po1.json"
check "order proved" contains "$OUT" "events of order PO1 recomputed from the database match the evidence log"
check "bundle written" contains "$OUT" "bundle written to $P/po1.json"
run 0 receipt prove R000001 --out "$P/r1.json"
check "receipt proved" contains "$OUT" "events of receipt R000001 recomputed from the database match"
for b in po1 r1; do
    run 0 --db "$WORK/no-such.db" evidence verify --bundle "$P/$b.json" --checkpoint "$P/checkpoint" --key "$P/log.vkey"
    check "$b verified offline" contains "$OUT" "verified:"
done
check "verify touched no database" [ ! -e "$WORK/no-such.db" ]
run 2 receipt prove R000001 --out "$P/x.json" --size 0
check "a bad size" contains "$ERR" "--size takes a whole number from 1"
run 2 order prove PO9 --out "$P/x.json"
check "an unknown order" contains "$ERR" "no events of this order to prove"

# an event recorded after the checkpoint is past its tree
run 0 order confirm --id PO2 --buyer $BUYER --seller $SELLER --amount 10.00 \
    --confirmed 2026-06-01 --due 2026-07-01
run 2 order prove PO2
check "past the checkpoint" contains "$ERR" "past the checkpoint's"
# --no-evidence: no leaf, so nothing to prove
run 0 order confirm --id PO3 --buyer $BUYER --seller $SELLER --amount 10.00 \
    --confirmed 2026-06-01 --due 2026-07-01 --no-evidence
check "no leaf recorded" [ "$OUT" = "order PO3 confirmed" ]
run 2 order prove PO3 --size 1
check "recorded without a log" contains "$ERR" "was recorded without an evidence log"
# a log made by 'evidence init' under another name serves the trade commands too
run 0 evidence init --evidence "$WORK/named" --name other.local/evidence
run 0 order confirm --id PO4 --buyer $BUYER --seller $SELLER --amount 10.00 \
    --confirmed 2026-06-01 --due 2026-07-01 --evidence "$WORK/named"
check "the named log's leaf 0" contains "$OUT" "evidence: leaf 0"

# someone with the database drops the append-only triggers and edits the
# recorded refusal and the pledge: each proof now fails (exit 3), naming the event
/usr/bin/python3 - "$PUHUI_DB" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
DROP TRIGGER order_event_no_update;
UPDATE order_event SET counterparty = (SELECT counterparty FROM order_event WHERE type = 'pay'
  LIMIT 1) WHERE type = 'pay_refused';
DROP TRIGGER receipt_event_no_update;
UPDATE receipt_event SET amount = 100 WHERE type = 'pledge';
""")
db.commit()
PY
run 3 order prove PO1 --out "$P/po1-again.json"
check "the edited refusal is named" contains "$ERR" "(pay_refused of order PO1) is leaf"
check "...as a changed row" contains "$ERR" "the stored row no longer gives the leaf the evidence log holds"
check "no bundle for a failed proof" [ ! -e "$P/po1-again.json" ]
run 3 receipt prove R000001 --out "$P/r1-again.json"
check "the edited pledge is named" contains "$ERR" "(pledge of receipt R000001) is leaf"
finish
