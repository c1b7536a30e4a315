#!/usr/bin/env bash
# End-to-end: lender policies in the database (load, idempotent and
# conflicting reloads, list, activate, show) and the usage errors of each
# policy subcommand.
set -e
. "$(dirname "$0")/lib.sh"
F=${PUHUI_FIXTURES:-$(dirname "$0")/../fixtures}
POLICY=$F/policies/brief_bank.json
LENDER="91370000MA3C5EXAMPLE (illustrative city commercial bank)"
NAME="inclusive working-capital loan"
export PUHUI_DB="$WORK/policy.db"

run 2 policy list
check "no database yet" contains "$ERR" "puhui init"
run 0 init

# load, then the same bytes again: a no-op reported as such
run 0 policy load "$POLICY"
check "loaded" contains "$OUT" "policy $LENDER / $NAME version 3 loaded: "
check "not active yet" contains "$OUT" "it is not active"
run 0 policy load "$POLICY" --activate
check "same bytes: nothing changed" contains "$OUT" "version 3 already loaded with the same bytes (nothing changed)"
check "activated on reload" contains "$OUT" "it is the active version"

# other bytes under the same version are refused
sed 's/"0.85%"/"0.95%"/' "$POLICY" > "$WORK/changed.json"
run 2 policy load "$WORK/changed.json"
check "conflict names the version" contains "$ERR" "policy $LENDER / $NAME version 3 is already loaded with checksum "
check "conflict gives both checksums" contains "$ERR" "this file's is "

# a policy that does not load is not stored
sed 's/"lender"/"lendr"/' "$POLICY" > "$WORK/bad.json"
run 2 policy load "$WORK/bad.json"
check "loader's error" contains "$ERR" "bad.json: unknown member 'lendr'"
run 1 policy load "$WORK/missing.json"
check "missing file" contains "$ERR" "missing.json"

# version 4 and the list
sed 's/"version": 3/"version": 4/' "$POLICY" > "$WORK/v4.json"
run 0 policy load "$WORK/v4.json"
run 0 policy list
check "list header" contains "$OUT" "lender"
check "list v3 active" contains "$OUT" "$NAME        3  yes"
check "list v4" contains "$OUT" "$NAME        4      "
run 0 policy list --lender nobody
check "other lender: nothing" [ "$(echo "$OUT" | wc -l)" -eq 1 ]

# activate v4; show defaults to the active version
run 0 policy activate --lender "$LENDER" --name "$NAME" --version 4
check "activated" contains "$OUT" "version 4 is now the active version"
run 0 policy show --lender "$LENDER" --name "$NAME"
check "show active" contains "$OUT" "version 4 (active)"
check "show product" contains "$OUT" "max_amount (yuan)  3,000,000.00"
check "show fee" contains "$OUT" "guarantee_fee      0.85%"
check "show inputs" contains "$OUT" "court_enforcement    bool"
check "show steps" contains "$OUT" "  13  formula      rate"
run 0 policy show --lender "$LENDER" --name "$NAME" --version 3
check "show v3" contains "$OUT" "version 3 (not active)"
run 0 --format json policy show --lender "$LENDER" --name "$NAME" --version 3
check "json" contains "$OUT" '"version": 3'

# errors
run 2 policy activate --lender "$LENDER" --name "$NAME" --version 9
check "unknown version" contains "$ERR" "has no version 9 loaded"
run 2 policy show --lender "$LENDER" --name other
check "no active version" contains "$ERR" "has no active version of policy other"
run 2 policy activate --lender "$LENDER" --name "$NAME"
check "activate needs version" contains "$ERR" "'policy activate' needs --lender, --name and --version"
run 2 policy activate --lender "$LENDER" --name "$NAME" --version zero
check "bad version" contains "$ERR" "--version"
run 2 policy show --name "$NAME"
check "show needs lender" contains "$ERR" "'policy show' needs --lender and --name"
run 2 policy load
check "load needs file" contains "$ERR" "'policy load' needs a FILE"
run 2 policy load "$POLICY" --bogus
check "unknown option" contains "$ERR" "--bogus"
run 2 policy
check "subcommands" contains "$ERR" "'policy' takes 'load', 'list', 'activate', 'show', 'challenger' or 'simulate'"
run 0 help policy
check "help usage" contains "$OUT" "usage: puhui policy load FILE [--activate]"
finish
