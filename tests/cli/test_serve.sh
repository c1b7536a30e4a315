#!/usr/bin/env bash
# puhui serve over real HTTP with curl: the public routes, problem+json for
# 404/405/401, the limits (413, 431), request ids, the access log, and a
# graceful SIGTERM that finishes a reply in flight and exits 0.
set -e
. "$(dirname "$0")/lib.sh"
command -v curl >/dev/null || { echo "skip: no curl"; exit 0; }
PY=/usr/bin/python3
DB="$WORK/serve.db"
run 0 --db "$DB" init
mkdir -p "$WORK/console/js"
printf '<!doctype html><title>puhui</title>\n' >"$WORK/console/index.html"
printf 'console.log(1);\n' >"$WORK/console/js/app.js"
printf 'secret\n' >"$WORK/outside.txt"
# A big file to download slowly while the server is told to stop.
head -c 30000000 /dev/urandom >"$WORK/console/big.bin"

SERVER_PID=
start_server() { # extra options...
    : >"$WORK/serve.err"
    "$PUHUI" --db "$DB" serve --listen 127.0.0.1:0 --threads 2 --console "$WORK/console" \
        --access-log "$WORK/access.log" "$@" 2>"$WORK/serve.err" &
    SERVER_PID=$!
    for _ in $(seq 1 100); do
        grep -q 'serving on' "$WORK/serve.err" 2>/dev/null && break
        sleep 0.05
    done
    PORT=$(sed -n 's|.*serving on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/serve.err")
    BASE="http://127.0.0.1:$PORT"
}
stop_server() {
    kill -TERM "$SERVER_PID" 2>/dev/null || true
    set +e
    wait "$SERVER_PID"
    STOP_CODE=$?
    set -e
}
trap 'kill -KILL $SERVER_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

# req NAME CURL-ARGS...: status in $CODE, headers in $HDRS, body in $BODY
req() {
    set +e
    CODE=$(curl -s -o "$WORK/body" -D "$WORK/hdrs" -w '%{http_code}' "$@")
    set -e
    BODY=$(cat "$WORK/body")
    HDRS=$(tr -d '\r' <"$WORK/hdrs")
}
is_problem() { # STATUS: the body is a problem document of that status
    echo "$HDRS" | grep -qi '^content-type: application/problem+json' &&
        $PY -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["status"]==int(sys.argv[2]), d; assert d["type"].startswith("urn:puhui:problem:"); assert d["request_id"]' "$BODY" "$1"
}

start_server
check "the server says where it listens" [ -n "$PORT" ]
check "stderr line names the threads" contains "$(cat "$WORK/serve.err")" "(2 threads)"

req "$BASE/healthz"
check "healthz 200" [ "$CODE" = 200 ]
check "healthz body" [ "$BODY" = '{"status":"ok"}' ]
check "every answer has X-Request-Id" grep -qi '^x-request-id: ' "$WORK/hdrs"
req "$BASE/readyz"
check "readyz 200 ready" contains "$CODE $BODY" '200 {"status":"ready","schema":'
req "$BASE/openapi.json"
# through a file: the document is larger than one argument may be (128 KiB)
printf '%s' "$BODY" >"$WORK/openapi.json"
check "openapi.json is the embedded 3.1 document" $PY -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["openapi"]=="3.1.0" and "/healthz" in d["paths"]' "$WORK/openapi.json"

# the evidence log is <db>.evidence by default; there is none here: 404 problems
req "$BASE/v1/evidence/checkpoint"
check "no evidence log: the checkpoint is a 404 problem" is_problem 404
req "$BASE/v1/evidence/key"
check "no evidence log: the key is a 404 problem" is_problem 404

req "$BASE/console/"
check "console index" contains "$CODE $HDRS" "200"
check "console index is html" contains "$HDRS" "text/html"
req "$BASE/console/js/app.js"
check "console js type" contains "$CODE $HDRS" "text/javascript"
req --path-as-is "$BASE/console/../outside.txt"
check "console: .. cannot escape" [ "$CODE" = 404 ]
req "$BASE/console/%2e%2e/outside.txt"
check "console: encoded .. cannot escape" [ "$CODE" = 404 ]
check "console: nothing outside leaks" [ "$(grep -c secret "$WORK/body")" = 0 ]
req "$BASE/console/missing.js"
check "console missing file is a 404 problem" is_problem 404

req "$BASE/no/such/path"
check "unknown path 404" [ "$CODE" = 404 ]
check "404 is problem+json" is_problem 404
req "$BASE/caf$(printf '\xc3\xa9')\"q"
check "a path with a quote is a 404" [ "$CODE" = 404 ]
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
printf 'GET /x\xff\x01 HTTP/1.0\r\n\r\n' >&3
raw_status=$(head -1 <&3 | tr -d '\r')
exec 3<&-
check "a path with raw bytes is a 404" [ "$raw_status" = "HTTP/1.0 404 Not Found" ]
req -X POST "$BASE/healthz"
check "wrong method 405" [ "$CODE" = 405 ]
check "405 is problem+json" is_problem 405
check "405 has Allow: GET" contains "$HDRS" "Allow: GET"
req "$BASE/v1/whoami"
check "no key 401" [ "$CODE" = 401 ]
check "401 is problem+json" is_problem 401
check "401 has WWW-Authenticate: Bearer" contains "$HDRS" "WWW-Authenticate: Bearer"
req -H 'Authorization: Bearer phk_1_00' "$BASE/v1/whoami"
check "bad key 401" [ "$CODE" = 401 ]
check "a bad key is not echoed" [ "$(grep -c phk_1_00 "$WORK/body")" = 0 ]

# A real key: whoami answers with its role; revoked, it is refused.
KEY=$("$PUHUI" --db "$DB" key create --role admin --label test 2>/dev/null)
req -H "Authorization: Bearer $KEY" "$BASE/v1/whoami"
check "a live key is accepted" [ "$CODE" = 200 ]
check "whoami says admin" contains "$BODY" '"role":"admin"'
"$PUHUI" --db "$DB" key revoke "$(echo "$KEY" | cut -d_ -f2)" 2>/dev/null
req -H "Authorization: Bearer $KEY" "$BASE/v1/whoami"
check "a revoked key is refused at once" [ "$CODE" = 401 ]

# Limits: a body over --max-body (here the default 1 MiB) is refused before anything runs.
before=$("$PUHUI" --db "$DB" info --format json | $PY -c 'import json,sys; print(sum(t["rows"] for t in json.load(sys.stdin)["tables"]))')
head -c 1100000 /dev/zero | tr '\0' ' ' >"$WORK/big.json"
req -X POST -H 'Content-Type: application/json' --data-binary @"$WORK/big.json" "$BASE/v1/whoami"
check "oversize body 413" [ "$CODE" = 413 ]
check "413 is problem+json" is_problem 413
check "413 names the body" contains "$BODY" '"field":"body"'
after=$("$PUHUI" --db "$DB" info --format json | $PY -c 'import json,sys; print(sum(t["rows"] for t in json.load(sys.stdin)["tables"]))')
check "nothing stored by the refused request" [ "$before" = "$after" ]
headers=()
for i in $(seq 1 70); do headers+=(-H "X-Filler-$i: $i"); done
req "${headers[@]}" "$BASE/healthz"
check "too many headers 431" [ "$CODE" = 431 ]
check "431 is problem+json" is_problem 431
long=$(head -c 20000 /dev/zero | tr '\0' a)
req -H "X-Long: $long" "$BASE/healthz"
check "too many header bytes 431" [ "$CODE" = 431 ]

# Request ids: a sane one is echoed; an insane one is replaced.
req -H 'X-Request-Id: abc-123_x.y' "$BASE/healthz"
check "sane X-Request-Id echoed" contains "$HDRS" "X-Request-Id: abc-123_x.y"
req -H 'X-Request-Id: bad id<script>' "$BASE/healthz"
check "insane X-Request-Id replaced" [ "$(echo "$HDRS" | grep -ci 'x-request-id: bad')" = 0 ]
check "a replacement id is made" grep -qi '^x-request-id: [0-9a-f]\{8\}-' "$WORK/hdrs"

req "$BASE/metrics"
check "metrics 200" [ "$CODE" = 200 ]
check "metrics is text 0.0.4" contains "$HDRS" "text/plain; version=0.0.4"
check "metrics count healthz" contains "$BODY" 'puhui_http_requests_total{route="/healthz",method="GET",status="200"}'
check "metrics histogram" contains "$BODY" 'puhui_http_request_duration_seconds_bucket{route="/healthz",le="0.0005"}'
check "metrics refusals" contains "$BODY" 'puhui_http_refusals_total{reason="unauthenticated"} 3'
check "metrics 413 refusal" contains "$BODY" 'puhui_http_refusals_total{reason="body_too_large"} 1'
check "metrics in flight" contains "$BODY" 'puhui_http_in_flight 1'
check "metrics store errors" contains "$BODY" 'puhui_store_errors_total 0'
requests_sent=24

# SIGTERM while a reply is being written: it is finished, then exit 0.
curl -s --limit-rate 10M -o "$WORK/big.out" "$BASE/console/big.bin" &
CURL_PID=$!
sleep 1
check "the download is still running when SIGTERM comes" kill -0 "$CURL_PID"
stop_server
wait "$CURL_PID" || true
check "SIGTERM: exit 0" [ "$STOP_CODE" = 0 ]
check "SIGTERM: the reply in flight was finished" cmp -s "$WORK/big.out" "$WORK/console/big.bin"

# The access log: one JSON line per request, with the fields of docs/api.md.
lines=$(wc -l <"$WORK/access.log")
check "one access-log line per request ($lines)" [ "$lines" -eq $((requests_sent + 1)) ]
check "every access-log line parses as JSON with its fields" $PY -c '
import json, sys
for line in open(sys.argv[1]):
    d = json.loads(line)
    for k in ("ts", "request_id", "method", "path", "route", "status", "bytes", "dur_us", "role", "tenant", "key_id"):
        assert k in d, (k, line)
' "$WORK/access.log"
check "the log names the key's role" grep -q '"role":"admin","tenant":"","key_id":1' "$WORK/access.log"
check "the log escapes quotes in the path" grep -qF '"path":"/caf%c3%a9\"q"' "$WORK/access.log"
check "the log escapes raw and control bytes in the path" grep -qF '"path":"/x\u00ff\u0001"' "$WORK/access.log"
check "the log records a refusal" grep -q '"refused":"unauthenticated"' "$WORK/access.log"
check "the log keeps the client's request id" grep -q '"request_id":"abc-123_x.y"' "$WORK/access.log"

# A port in use is an error that names it.
start_server --max-connections 1
# Over --max-connections: one keep-alive connection held open, the next is 503.
$PY - "$PORT" <<'PYEOF' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
s.recv(4096)
time.sleep(2)
PYEOF
HOLDER=$!
sleep 0.5
req "$BASE/healthz"
check "over max connections 503" [ "$CODE" = 503 ]
check "503 is problem+json" is_problem 503
check "503 has Retry-After" contains "$HDRS" "Retry-After: 1"
wait "$HOLDER" || true
sleep 0.2
req "$BASE/healthz"
check "a closed connection is no longer counted" [ "$CODE" = 200 ]
run 1 --db "$DB" serve --listen "127.0.0.1:$PORT"
check "port in use names the address" contains "$ERR" "127.0.0.1:$PORT"
stop_server
run 2 --db "$DB" serve --listen nonsense
check "a bad address is an input error naming it" contains "$ERR" "nonsense"
run 2 --db "$DB" serve --listen 127.0.0.1:0 --evidence "$WORK/no-such-dir"
check "--evidence must be a directory" contains "$ERR" "--evidence $WORK/no-such-dir: not a directory"

# ---- review of issue 18: HEAD, the key's bytes, the query, methods, the drain, EMFILE ----
start_server
KEY2=$("$PUHUI" --db "$DB" key create --role admin --label edges 2>/dev/null)
# raw REQUEST-BYTES (python escapes): every answer on one connection, as
# "STATUS|content-length|body length|allow" lines; HEAD answers read no body.
raw() {
    $PY - "$PORT" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
data = sys.argv[2].encode().decode("unicode_escape").encode("latin-1")
s.sendall(data)
s.settimeout(1.0)
buf = b""
try:
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
except socket.timeout:
    pass
methods = [line.split(b" ")[0] for line in data.split(b"\r\n") if line.split(b" ")[-1:] == [b"HTTP/1.1"]]
for m in methods:
    head, sep, buf = buf.partition(b"\r\n\r\n")
    if not sep:
        print("TRUNCATED"); break
    lines = head.decode("latin-1").split("\r\n")
    h = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
    n = 0 if m == b"HEAD" else int(h.get("content-length", "0"))
    body, buf = buf[:n], buf[n:]
    print("%s|%s|%d|%s|%s" % (lines[0].split(" ")[1], h.get("content-length", "-"), len(body),
                              h.get("allow", ""), body.decode("latin-1")[:60]))
if buf:
    print("EXCESS %d" % len(buf))
EOF
}
out=$(raw 'HEAD /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n')
check "HEAD: the GET's Content-Length and no body" contains "$out" '200|15|0|'
check "HEAD: the next answer on the connection parses" contains "$out" '200|15|15||{"status":"ok"}'
check "HEAD: nothing in excess" [ "$(echo "$out" | grep -c EXCESS)" = 0 ]
out=$(raw "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $KEY2\\x00junk\r\n\r\n")
check "a key followed by a NUL byte and more is 401" contains "$out" '401|'
out=$(raw "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $KEY2\r\n\r\n")
check "the same key alone is 200" contains "$out" '200|'
out=$(raw "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer $KEY2\r\nAuthorization: Bearer phk_1_00\r\n\r\n")
check "two Authorization headers are 401" contains "$out" '401|'
req -H "Authorization: Bearer $KEY2" -H "Authorization: Bearer $KEY2" "$BASE/v1/whoami"
check "two Authorization headers: a problem naming the header" contains "$CODE $BODY" '401 '
check "two Authorization headers: says why" contains "$BODY" 'one Authorization header'
req -X POST -H "Authorization: Bearer $KEY2" --data '{}' "$BASE/v1/applications"
check "403 detail: 'an admin key'" contains "$CODE $BODY" '403 '
check "403 detail: 'an admin key'" contains "$BODY" 'an admin key may not create application'
req "$BASE/healthz?limit=500&limit=abc"
check "a repeated parameter is 400" [ "$CODE" = 400 ]
check "a repeated parameter is named" contains "$BODY" '"field":"limit"'
req "$BASE/healthz?limit=1%00"
check "an escaped NUL is 400 naming the parameter" contains "$CODE $BODY" '400 '
check "an escaped NUL names the parameter" contains "$BODY" '"field":"limit"'
req "$BASE/healthz?x=%zz"
check "a bad escape is 400 naming the parameter" contains "$CODE $BODY" '"field":"x"'
req "$BASE/healthz?v=1&a%20b=c%2Fd"
check "a well-formed query is fine" [ "$CODE" = 200 ]
for m in TRACE OPTIONS PUT DELETE; do
    req -X "$m" "$BASE/healthz"
    check "$m is a 405 problem" is_problem 405
    check "$m: Allow lists HEAD with GET" contains "$HDRS" "Allow: GET, HEAD"
done
req "$BASE/metrics"
check "405s are counted" contains "$BODY" 'puhui_http_refusals_total{reason="method_not_allowed"} 4'
req -I "$BASE/readyz"
check "curl -I: HEAD 200" [ "$CODE" = 200 ]
check "curl -I: Content-Length given" grep -qi '^content-length: [1-9]' "$WORK/hdrs"

# A client pipelines 50 requests and closes without reading any answer: the
# stop that follows does not wait for the replies that can never be written.
$PY - "$PORT" <<'EOF'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.sendall(b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n" * 50)
time.sleep(0.5)
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
s.close()
time.sleep(0.3)
EOF
t0=$(date +%s%N)
stop_server
t1=$(date +%s%N)
check "SIGTERM after a client vanished: exit 0" [ "$STOP_CODE" = 0 ]
check "405s are logged" grep -q '"method":"TRACE".*"status":405' "$WORK/access.log"
check "SIGTERM after a client vanished: well under the 10 s timeout ($(( (t1 - t0) / 1000000 )) ms)" \
    [ $(( (t1 - t0) / 1000000 )) -lt 3000 ]

# Requests on their way when SIGTERM comes, on open connections, are answered.
start_server
$PY - "$PORT" "$SERVER_PID" <<'EOF' >"$WORK/drain.out"
import os, signal, socket, sys, time
port, pid = int(sys.argv[1]), int(sys.argv[2])
conns = [socket.create_connection(("127.0.0.1", port)) for _ in range(40)]
for c in conns:  # one answered request each: every connection is open and known
    c.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
    c.recv(4096)
for c in conns:  # a request on its way: its head is in, its end comes just after the stop
    c.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n")
time.sleep(0.1)
os.kill(pid, signal.SIGTERM)
time.sleep(0.05)
for c in conns:
    c.sendall(b"\r\n")
answered = 0
for c in conns:
    c.settimeout(5)
    try:
        if c.recv(4096).startswith(b"HTTP/1.1 200"):
            answered += 1
    except OSError:
        pass
print(answered)
EOF
stop_server
check "requests on their way at SIGTERM are answered ($(cat "$WORK/drain.out")/40)" [ "$(cat "$WORK/drain.out")" = 40 ]
check "the drain exits 0" [ "$STOP_CODE" = 0 ]

# Out of file descriptors: the server pauses accepting, logs once, and
# answers again once connections close.
(
    ulimit -n 48
    exec "$PUHUI" --db "$DB" serve --listen 127.0.0.1:0 --threads 1 2>"$WORK/emfile.err"
) &
SERVER_PID=$!
for _ in $(seq 1 100); do
    grep -q 'serving on' "$WORK/emfile.err" 2>/dev/null && break
    sleep 0.05
done
PORT=$(sed -n 's|.*serving on http://127.0.0.1:\([0-9]*\)/.*|\1|p' "$WORK/emfile.err")
$PY - "$PORT" <<'EOF'
import socket, sys, time
conns = []
for _ in range(80):
    try:
        conns.append(socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1))
    except OSError:
        pass
time.sleep(2)
for c in conns:
    c.close()
time.sleep(0.5)
EOF
emfile_lines=$(wc -l <"$WORK/emfile.err")
check "EMFILE: the log stays small ($emfile_lines lines)" [ "$emfile_lines" -lt 10 ]
check "EMFILE: one line says so" grep -q 'cannot accept connections: Too many open files' "$WORK/emfile.err"
BASE="http://127.0.0.1:$PORT"
req --max-time 5 "$BASE/healthz"
check "EMFILE: /healthz answers once connections close" [ "$CODE" = 200 ]
stop_server
check "EMFILE: exit 0" [ "$STOP_CODE" = 0 ]
finish
