#!/usr/bin/env bash
# The soak test (docs/api.md#speed): the server under a steady mixed load at
# half its measured peak for SECONDS (default 600), then: every answer 2xx,
# no socket errors, and the server's resident memory flat (the last sample
# at most 20% above the sample taken after the first minute's warm-up).
# Outside `make check` (ten minutes); the closing note of issue 18 quotes it.
#
#   scripts/soak.sh [BUILD_DIR] [SECONDS]
set -euo pipefail
BUILD=$(realpath "${1:-build}")
SECS=${2:-600}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PUHUI=$BUILD/puhui
WORK=$(mktemp -d "${TMPDIR:-/tmp}/puhui-soak-XXXXXX")
PID=""
cleanup() { [ -n "$PID" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
bash "$SRC/tests/http/platform.sh" "$PUHUI" "$WORK" >/dev/null 2>&1
export PUHUI_DB=$WORK/platform.db
ASOF=$(awk -F= '$1 == "ASOF" { print $2 }' "$WORK/platform.env")

# 70% applications, 30% the firm's own decisions list; DELAY_MS paces each connection
lua() {
    echo 'local keys = {}'
    while read -r uscc; do
        echo "keys[#keys + 1] = \"$("$PUHUI" key create --role enterprise --tenant "$uscc" 2>/dev/null)\""
    done <"$WORK/firms.txt"
    cat <<LUA
local body = '{"amount":"200000.00","term":12,"purpose":"working_capital","asof":"$ASOF","guarantor":true}'
local n = 0
request = function()
    n = n + 1
    local h = {["Authorization"] = "Bearer " .. keys[(n % #keys) + 1], ["Content-Type"] = "application/json"}
    if n % 10 < 7 then return wrk.format("POST", "/v1/applications", h, body) end
    return wrk.format("GET", "/v1/decisions?limit=10", h)
end
delay = function() return tonumber(os.getenv("DELAY_MS") or "0") end
LUA
}
lua >"$WORK/soak.lua"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$PUHUI" serve --listen "127.0.0.1:$PORT" --threads 2 --access-log "$WORK/access.log" 2>"$WORK/serve.err" &
PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.05; done
URL="http://127.0.0.1:$PORT/"

DELAY_MS=0 wrk -t1 -c4 -d10s -s "$WORK/soak.lua" "$URL" >"$WORK/peak.txt"
peak=$(awk '/Requests\/sec/ { print $2 }' "$WORK/peak.txt")
# wrk's latency column in ms ("8.44ms", "1.02s", "900us")
lat=$(awk '$1 == "Latency" { v = $2; u = v; sub(/[0-9.]+/, "", u); sub(/[a-z]+$/, "", v);
      print (u == "s") ? v * 1000 : (u == "us") ? v / 1000 : v; exit }' "$WORK/peak.txt")
CONNS=4
# each connection waits DELAY between answers: 4 connections at (DELAY + latency) each
# make half the peak rate
DELAY=$(awk -v p="$peak" -v c="$CONNS" -v l="$lat" 'BEGIN { d = c * 1000 / (p / 2) - l;
        printf "%d", d < 1 ? 1 : d }')
echo "soak: peak ${peak} req/s (mean latency ${lat} ms); now ${SECS}s at about half ($CONNS connections, ${DELAY} ms between requests each)"

rss() { awk '/VmRSS/ { print $2 }' "/proc/$PID/status"; }
( t=0; while kill -0 "$PID" 2>/dev/null && [ $t -le "$SECS" ]; do echo "$t $(rss)"; sleep 10; t=$((t + 10)); done ) \
    >"$WORK/rss.txt" &
SAMPLER=$!
c0=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
DELAY_MS=$DELAY wrk -t1 -c"$CONNS" -d"${SECS}s" --latency -s "$WORK/soak.lua" "$URL" >"$WORK/wrk.txt"
c1=$(awk '{ print $14 + $15 }' "/proc/$PID/stat")
wait "$SAMPLER" || true
cat "$WORK/wrk.txt"
non2xx=$(awk '/Non-2xx/ { print $NF }' "$WORK/wrk.txt"); non2xx=${non2xx:-0}
sockerr=$(awk '/Socket errors/ { print $0 }' "$WORK/wrk.txt")
rss60=$(awk '$1 == 60 { print $2 }' "$WORK/rss.txt"); rss60=${rss60:-$(head -1 "$WORK/rss.txt" | cut -d' ' -f2)}
rsslast=$(tail -1 "$WORK/rss.txt" | cut -d' ' -f2)
rssmax=$(sort -k2 -n "$WORK/rss.txt" | tail -1 | cut -d' ' -f2)
echo "soak: server CPU $(awk -v a="$c0" -v b="$c1" -v t="$(getconf CLK_TCK)" 'BEGIN { print (b - a) / t }') s over ${SECS}s"
echo "soak: RSS after 60 s ${rss60} KB, at the end ${rsslast} KB, highest ${rssmax} KB"
echo "soak: $(awk '/Requests\/sec/ { print $2 }' "$WORK/wrk.txt") req/s sustained against a peak of ${peak} req/s"
echo "soak: non-2xx ${non2xx}; ${sockerr:-no socket errors}"
kill -TERM "$PID"; wait "$PID"; status=$?; PID=""
[ "$status" -eq 0 ] || { echo "soak: FAIL: the server exited $status on SIGTERM"; exit 1; }
[ "$non2xx" -eq 0 ] && [ -z "$sockerr" ] || { echo "soak: FAIL: errors"; exit 1; }
awk -v a="$rss60" -v b="$rsslast" 'BEGIN { exit !(b <= a * 1.2) }' || { echo "soak: FAIL: memory grew"; exit 1; }
echo "soak: PASS"
