# Helpers for the CLI end-to-end tests. Source this; $1 of the test is the
# puhui binary. Each check prints "ok"/"not ok" and the test ends with the
# plain "N passed, N failed" line.
set -u
PUHUI=${PUHUI:-$1}
passed=0
failed=0
tmp_root=${PUHUI_TEST_TMP:-/tmp/puhui-test}
mkdir -p "$tmp_root"
WORK=$(mktemp -d "$tmp_root/cli-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# run EXPECTED_EXIT ARGS...: runs puhui, keeps stdout in $OUT and stderr in $ERR
run() {
    local expected=$1
    shift
    set +e
    "$PUHUI" "$@" >"$WORK/out" 2>"$WORK/err"
    local code=$?
    set -e
    OUT=$(cat "$WORK/out")
    ERR=$(cat "$WORK/err")
    check "exit $expected: puhui $*" [ "$code" -eq "$expected" ]
    if [ "$code" -ne "$expected" ]; then
        echo "  stdout: $OUT"
        echo "  stderr: $ERR"
    fi
}

# check DESCRIPTION COMMAND...: records a pass when the command succeeds
check() {
    local what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
        echo "ok - $what"
    else
        failed=$((failed + 1))
        echo "not ok - $what"
    fi
}

contains() { case "$1" in *"$2"*) return 0 ;; esac; echo "  '$2' not in: $1"; return 1; }

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
