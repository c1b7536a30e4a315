#!/usr/bin/env bash
# End-to-end: help, version, init, info, global options, exit codes.
set -e
. "$(dirname "$0")/lib.sh"
DB="$WORK/p.db"

run 0 help
check "help lists init" contains "$OUT" "init"
check "help states exit codes" contains "$OUT" "2 usage error or bad input"
run 0 init --help
check "command help" contains "$OUT" "usage: puhui init"
run 0 version
check "version" contains "$OUT" "puhui 0.1.0"
run 0 --format json version
check "version json" contains "$OUT" '"schema":'

run 2 frobnicate
check "unknown command named" contains "$ERR" "unknown command 'frobnicate'"
run 2 --format xml info
check "bad format named" contains "$ERR" "--format takes 'json' or 'table', got 'xml'"
run 2 info --db
check "missing --db value" contains "$ERR" "--db needs a database path"
run 2 --db "$DB" init extra
check "extra argument" contains "$ERR" "unexpected argument 'extra' for 'init'"

run 2 --db "$DB" info
check "info on missing db says what to do" contains "$ERR" "puhui init"
check "info did not create the db" [ ! -e "$DB" ]

run 0 --db "$DB" init
check "init created" contains "$OUT" "created $DB"
run 0 --db "$DB" init
check "init again is a no-op" contains "$OUT" "is up to date"
run 0 --db "$DB" info
check "info shows schema" contains "$OUT" "schema    version"
check "info lists enterprise table" contains "$OUT" "enterprise"
run 0 info --format=json --db="$DB"
check "info json has tables" contains "$OUT" '"tables":'
command -v python3 >/dev/null && check "info json is valid" python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$WORK/out"

PUHUI_DB="$DB" run 0 info
check "PUHUI_DB is honoured" contains "$OUT" "$DB"

printf 'not a database, just text %.0s' $(seq 1 200) >"$WORK/junk.db"
run 2 --db "$WORK/junk.db" info
check "junk file is refused with the path" contains "$ERR" "junk.db"

finish
