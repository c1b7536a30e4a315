#!/usr/bin/env bash
# End-to-end: a generated province ingested, a consent granted, the profile
# read by the lender (table and JSON), refused without consent and logged.
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_profile.sh needs python3 (apt-get install python3)"; exit 1; }
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }
export PUHUI_DB="$WORK/p.db"
not_contains() { case "$1" in *"$2"*) echo "  '$2' in: $1"; return 1 ;; esac; return 0; }

run 0 gen --enterprises 300 --months 12 --start 2025-01 --seed 7 --out "$WORK/prov"
run 0 init
run 0 ingest --known-on 2026-01-01 "$WORK/prov"
FIRM=$(awk -F, 'NR == 2 { print $1 }' "$WORK/prov/feeds/registration.csv")
OTHER=$(awk -F, 'NR == 3 { print $1 }' "$WORK/prov/feeds/registration.csv")
BANK=$(awk -F, 'NR == 2 { print $1 }' "$WORK/prov/reference/lenders.csv")

# no consent: refused with what is missing, exit 2, and the refusal is logged
run 2 profile --enterprise "$FIRM" --as "$BANK" --asof 2025-12-31
check "refusal names the firm and institution" contains "$ERR" \
    "no live consent from $FIRM for institution $BANK"
check "refusal hints at consent" contains "$ERR" "hint: the enterprise must grant a consent first"

run 0 consent grant --enterprise "$FIRM" --institution "$BANK" --purpose credit \
    --sources registration,vat_invoices,tax_payments --until "$(date -d "300 days" +%F)"
run 0 features refresh --asof 2025-12-31
run 0 profile --enterprise "$FIRM" --as "$BANK" --asof 2025-12-31
check "the day's refresh: no note" not_contains "$OUT" "peer medians"
check "the five dimensions" contains "$OUT" "five dimensions (0-100, higher is better)"
for dim in operating_stability industry_prosperity credit_history digital_footprint policy_fit; do
    check "dimension $dim" contains "$OUT" "$dim"
done
check "payments withheld, not zero" contains "$OUT" "has_payments         not consented"
check "consented sources" contains "$OUT" "sources consented: registration,vat_invoices,tax_payments"
check "sub-class shown" contains "$OUT" "sub-class"

run 0 --format json profile --enterprise "$FIRM" --as "$BANK" --asof 2025-12-31
check "json: five dimensions" [ "$(json "$WORK/out" 'len(d["dimensions"])')" = "5" ]
check "json: class is one of four" [ "$(json "$WORK/out" '[r["value"] for r in d["enterprise"] if r["field"] == "class"][0].split()[1] in ("high_potential_tech", "stable_manufacturing", "volatile_services", "in_transition")')" = "True" ]
check "json: not consented" [ "$(json "$WORK/out" 'd["sources_not_consented"].count("payments_daily")')" = "1" ]

# another firm: still refused; the log holds the denial, the reads and verifies
run 2 profile --enterprise "$OTHER" --as "$BANK" --asof 2025-12-31
run 0 audit list --enterprise "$FIRM"
check "the firm sees the denied and the partial reads" [ "$(echo "$OUT" | grep -c 'profile asof 2025-12-31')" = "3" ]
run 0 audit verify
check "log verified" contains "$OUT" "hash chain verified"

# usage errors
run 2 profile --enterprise "$FIRM"
check "needs --as" contains "$ERR" "profile needs --enterprise USCC and --as INSTITUTION"
run 2 profile --enterprise "$FIRM" --as "$BANK" --asof 2025-13-01
check "bad date named" contains "$ERR" "--asof"
run 2 profile --enterprise "$FIRM" --as "$BANK" --asof 2025-12-31 --on 2025-12-31
check "no read date for consent" contains "$ERR" "--on is gone: consent is judged on the day of the read"
run 2 profile --enterprise "$FIRM" --as "$BANK" --purpose lending
check "bad purpose named" contains "$ERR" "purpose"
# a read never writes: with no peer-median refresh on or before the date the
# read fails and names the command (no misleading ingest hint); after an
# earlier refresh it uses that one and says so
run 2 profile --enterprise "$FIRM" --as "$BANK" --asof 2025-12-20
check "no refresh: named" contains "$ERR" "run \`puhui features refresh --asof 2025-12-20\`"
check "no refresh: no ingest hint" not_contains "$ERR" "ingest the firm's registration"
run 0 features refresh --asof 2025-12-15
run 0 profile --enterprise "$FIRM" --as "$BANK" --asof 2025-12-20
check "an earlier refresh is shown" contains "$OUT" "from the refresh of 2025-12-15 (none on 2025-12-20)"
run 0 --format json profile --enterprise "$FIRM" --as "$BANK" --asof 2025-12-20
check "json: the refresh used" [ "$(json "$WORK/out" '[r["value"] for r in d["enterprise"] if r["field"] == "peer medians"][0]')" = "from the refresh of 2025-12-15 (none on 2025-12-20)" ]

finish
