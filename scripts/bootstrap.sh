#!/bin/sh
# Install what puhui needs to build and test, from Debian's packages.
# python3-xgboost, python3-sklearn and python3-pandas make the model tests' fixtures and run the
# benchmark's peer (tests read the committed fixtures; never the product).
# clang builds the check's second compiler configuration; libclang-rt-dev is
# its compiler-rt runtime (the sanitizers, when clang builds with them, and
# libFuzzer for `make fuzz` and `make fuzz-smoke`).
# chromium, wrk and curl serve the online platform's checks (issue 18): the browser tests drive
# Debian's chromium through playwright-core, bench/bench_http.sh loads the server with wrk, and
# `make demo` calls the API with curl; fonts-noto-cjk lets chromium draw the console's Chinese (the
# screenshots under out/console/ show boxes without it). Node.js + npm run the HTTP and browser tests and fetch their
# dev dependencies (package-lock.json: ajv, playwright-core, echarts); Debian's nodejs is
# installed only when no `node` is on the PATH, so a newer node already there is kept.
# Idempotent: installs only what is missing, so `make` stays fast once set up.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="gcc clang libclang-rt-dev make cmake pkg-config libc6-dev
libsqlite3-dev libjansson-dev libxml2-dev libevent-dev libsodium-dev libcmocka-dev
libxgboost-dev
sqlite3 python3
python3-numpy python3-xgboost python3-sklearn python3-pandas
chromium fonts-noto-cjk wrk curl"
command -v node >/dev/null 2>&1 || PACKAGES="$PACKAGES nodejs npm"

missing=""
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

# The npm dev dependencies, when node_modules is missing or older than the lock file
# (npm ci recreates the directory, so its time says when it was last installed).
npm_install() {
    if [ -f package-lock.json ] && command -v npm >/dev/null 2>&1; then
        if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
            echo "bootstrap: npm ci (package-lock.json)"
            npm ci --no-audit --no-fund --loglevel=error
        fi
    fi
}

if [ -z "$missing" ]; then
    npm_install
    exit 0
fi

echo "bootstrap: installing$missing"
if [ "$(id -u)" -eq 0 ]; then
    SUDO=""
elif command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
else
    echo "bootstrap: missing packages:$missing" >&2
    echo "bootstrap: run as root, or install them with: apt-get install$missing" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
npm_install
