#!/bin/sh
# The main job, on the embedded default (SQLite): what a newcomer runs first.
# Usage: scripts/demo.sh PATH/TO/puhui
set -eu
puhui=${1:-build/puhui}
demo=out/demo
mkdir -p "$demo"
db="$demo/puhui.db"
rm -f "$db" "$db-wal" "$db-shm"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "puhui version"
"$puhui" version

step "create the platform database ($db)"
"$puhui" --db "$db" init

step "what the database holds"
"$puhui" --db "$db" info
