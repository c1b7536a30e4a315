#!/bin/sh
# The main job, on the embedded default (SQLite): what a newcomer runs first.
# Usage: scripts/demo.sh PATH/TO/puhui
set -eu
puhui=${1:-build/puhui}
demo=out/demo
mkdir -p "$demo"
db="$demo/puhui.db"
rm -f "$db" "$db-wal" "$db-shm"

if [ -t 1 ]; then bold=$(printf '\033[1m'); plain=$(printf '\033[0m'); else bold=; plain=; fi
step() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

step "puhui version"
"$puhui" version

step "create the platform database ($db)"
"$puhui" --db "$db" init

step "what the database holds"
"$puhui" --db "$db" info

step "Unified Social Credit Codes: three for Lixia district (370102), then two with typos"
codes=$("$puhui" uscc generate --division 370102 --count 3)
echo "$codes"
# shellcheck disable=SC2086
"$puhui" uscc check $codes 91350100M000100Y44 9135010OM000100Y43 || true

step "money to the fen: 100,000 yuan at LPR 3.00% + 85bp for 30 days (RMB convention, ACT/360)"
"$puhui" interest --principal 100,000 --rate 3.85% --days 30
"$puhui" interest --principal 120 --rate 3.85% --days 30 --rounding half-even

step "the 2011 SME size rule"
"$puhui" size --industry C --employees 19 --revenue 2,800,000
"$puhui" size --industry F52 --employees 12 --revenue 1,200,000
"$puhui" size --industry E --revenue 70,000,000 --assets 60,000,000

step "bad input is named, not guessed (exit code 2)"
"$puhui" interest --principal 12.345 --rate 3.85% --days 30 || true

step "feed files: a clean CSV, and one exported in GBK instead of UTF-8"
printf 'uscc,name,month,sales\n%s,"济南示例商贸有限公司",2025-11,"128,400.00"\n' \
    "$(echo "$codes" | head -1)" >"$demo/vat_good.csv"
printf 'uscc,name,month,sales\n%s,"\274\303\304\317",2025-11,9000.00\n' \
    "$(echo "$codes" | tail -1)" >"$demo/vat_gbk.csv"
"$puhui" csv check "$demo/vat_good.csv" "$demo/vat_gbk.csv" --require uscc,month,sales || true

province="$demo/province"
step "a synthetic province: 20,000 firms over 24 months from 2024-01, seed 1 ($province)"
"$puhui" gen --enterprises 20000 --months 24 --seed 1 --out "$province" --force
echo
head -3 "$province/feeds/registration.csv" "$province/feeds/payments_daily.csv"
echo
echo "the manifest's first file entry (check it with: b2sum -l 256 $province/feeds/registration.csv):"
sed -n '/"files": \[/,/}/p' "$province/manifest.json"
echo
echo "truth/ holds what the feeds were drawn from (each firm's health, its true PD, its default date),"
echo "to score models and early warnings against; a model must never read it."
