#!/usr/bin/env bash
# The server under load, with wrk on the same machine (docs/api.md#speed).
#
#   bench/bench_http.sh [BUILD_DIR] [SECONDS]
#
# 1. GET /healthz: `puhui serve --threads 1` against bench/peer_evhttp, a
#    bare one-thread evhttp server answering the same bytes, in the same run,
#    alternating A B A B A B; the ratio of the best runs is the figure (target
#    >= 0.9). The server's CPU seconds come from /proc beside the wall time,
#    and CPU per request (less noisy on a shared machine) is printed too.
# 2. Decisions over HTTP: 120 firms (each with its own enterprise key) apply
#    against the platform's lenders with consent checks and stored traces,
#    `puhui serve --threads 2`, wrk with 2 connections per core; requests/s,
#    p50 and p99, non-2xx answers (must be 0).
# The platform is tests/http/platform.sh's, built under $TMPDIR and removed.
set -euo pipefail
BUILD=$(realpath "${1:-build}")
SECS=${2:-10}
SRC=$(cd "$(dirname "$0")/.." && pwd)
PUHUI=$BUILD/puhui
PEER=$BUILD/peer_evhttp
for tool in wrk curl sqlite3; do
    command -v $tool >/dev/null || { echo "bench_http: $tool is not installed (make bootstrap)" >&2; exit 1; }
done
[ -x "$PEER" ] || { echo "bench_http: $PEER not built (cmake -DPH_BUILD_BENCH=ON)" >&2; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/puhui-bench-http-XXXXXX")
PIDS=""
cleanup() { for p in $PIDS; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

bash "$SRC/tests/http/platform.sh" "$PUHUI" "$WORK" >/dev/null 2>&1
export PUHUI_DB=$WORK/platform.db
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$1/healthz" && return 0; sleep 0.05; done; return 1; }
cpu_of() { awk '{ print $14 + $15 }' "/proc/$1/stat"; } # utime + stime, clock ticks
TICK=$(getconf CLK_TCK)
max() { awk -v a="$1" -v b="$2" 'BEGIN { print (a > b) ? a : b }'; }

start_puhui() { # THREADS -> sets PORT, PID
    PORT=$(free_port)
    "$PUHUI" serve --listen "127.0.0.1:$PORT" --threads "$1" --access-log "$WORK/access-$PORT.log" \
        2>"$WORK/serve-$PORT.err" &
    PID=$!
    PIDS="$PIDS $PID"
    wait_port "$PORT" || { cat "$WORK/serve-$PORT.err" >&2; exit 1; }
}

# run_wrk NAME PID URL [wrk args...]: prints requests/s, wall and server CPU
# seconds, server CPU per request, p50/p99 and the answers that were not 2xx
# (wrk's non-2xx plus its socket errors); sets LAST_RPS and LAST_CPU_US.
run_wrk() {
    local name=$1 pid=$2 url=$3
    shift 3
    local c0 c1 out
    c0=$(cpu_of "$pid")
    out=$(wrk --latency -d "${SECS}s" "$@" "$url")
    c1=$(cpu_of "$pid")
    echo "$out" >"$WORK/wrk-$name.txt"
    local rps p50 p99 non err total cpu
    rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
    total=$(echo "$out" | awk '/requests in/ { print $1 }')
    p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
    p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
    non=$(echo "$out" | awk '/Non-2xx/ { print $NF }')
    err=$(echo "$out" | awk '/Socket errors/ { n = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) n += $i; print n }')
    cpu=$(awk -v a="$c0" -v b="$c1" -v t="$TICK" 'BEGIN { print (b - a) / t }')
    LAST_RPS=$rps
    LAST_CPU_US=$(awk -v c="$cpu" -v n="$total" 'BEGIN { printf "%.2f", (n > 0 ? c * 1e6 / n : 0) }')
    printf '%-18s %9s req/s  %3s s wall  %6.2f s server CPU  %6s us CPU/req  p50 %-8s p99 %-8s non-2xx %s\n' \
        "$name" "$rps" "$SECS" "$cpu" "$LAST_CPU_US" "$p50" "$p99" "$(( ${non:-0} + ${err:-0} ))"
}
min() { awk -v a="$1" -v b="$2" 'BEGIN { print (a < b) ? a : b }'; }

echo "== GET /healthz: puhui serve --threads 1 against a bare evhttp server (wrk -t1 -c64, ${SECS}s each)"
start_puhui 1
P_PORT=$PORT P_PID=$PID
BODY=$(curl -s "http://127.0.0.1:$P_PORT/healthz")
E_PORT=$(free_port)
"$PEER" "$E_PORT" "$BODY" >/dev/null &
E_PID=$!
PIDS="$PIDS $E_PID"
wait_port "$E_PORT"
best_p=0 best_e=0 cpu_p=1e9 cpu_e=1e9
for round in 1 2 3; do
    run_wrk "puhui-healthz-$round" "$P_PID" "http://127.0.0.1:$P_PORT/healthz" -t1 -c64
    best_p=$(max "$LAST_RPS" "$best_p")
    cpu_p=$(min "$LAST_CPU_US" "$cpu_p")
    run_wrk "evhttp-healthz-$round" "$E_PID" "http://127.0.0.1:$E_PORT/healthz" -t1 -c64
    best_e=$(max "$LAST_RPS" "$best_e")
    cpu_e=$(min "$LAST_CPU_US" "$cpu_e")
done
printf 'healthz ratio puhui / bare evhttp: %.3f (best %.0f / %.0f req/s; target >= 0.9)\n' \
    "$(awk -v a="$best_p" -v b="$best_e" 'BEGIN { print a / b }')" "$best_p" "$best_e"
printf 'healthz CPU per request: puhui %s us, bare evhttp %s us (best runs): evhttp / puhui %.3f\n' \
    "$cpu_p" "$cpu_e" "$(awk -v a="$cpu_p" -v b="$cpu_e" 'BEGIN { print b / a }')"
kill "$P_PID" "$E_PID"; wait "$P_PID" "$E_PID" 2>/dev/null || true

echo "== POST /v1/applications: 120 firms, 2 lenders, consent checks, stored traces (puhui serve --threads 2)"
ASOF=$(awk -F= '$1 == "ASOF" { print $2 }' "$WORK/platform.env")
{
    echo 'local keys, bodies = {}, {}'
    while read -r uscc; do
        key=$("$PUHUI" key create --role enterprise --tenant "$uscc" --label bench 2>/dev/null)
        echo "keys[#keys + 1] = \"$key\""
        echo "bodies[#bodies + 1] = '{\"amount\":\"200000.00\",\"term\":12,\"purpose\":\"working_capital\",\"asof\":\"$ASOF\",\"guarantor\":true}'"
    done <"$WORK/firms.txt"
    cat <<'LUA'
local n = 0
request = function()
    n = n + 1
    local i = (n % #keys) + 1
    return wrk.format("POST", "/v1/applications",
        {["Authorization"] = "Bearer " .. keys[i], ["Content-Type"] = "application/json"}, bodies[i])
end
LUA
} >"$WORK/apply.lua"
before=$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM application")
start_puhui 2
run_wrk "decisions" "$PID" "http://127.0.0.1:$PORT/v1/applications" -t1 -c4 -s "$WORK/apply.lua"
after=$(sqlite3 "$PUHUI_DB" "SELECT count(*) FROM application")
echo "applications stored during the run: $((after - before))"
kill -TERM "$PID"; wait "$PID" || { echo "bench_http: puhui serve did not stop cleanly" >&2; exit 1; }
