#!/usr/bin/env bash
# dist/puhui.service is a unit systemd accepts (systemd-analyze verify), its
# ExecStart is a `puhui serve` command line this binary accepts, and it stops
# the server with SIGTERM (the graceful shutdown).
set -e
. "$(dirname "$0")/lib.sh"
UNIT="$(dirname "$0")/../../dist/puhui.service"
check "the unit exists" [ -f "$UNIT" ]
exec_line=$(awk -F= '$1 == "ExecStart" { sub(/^ExecStart=/, ""); print }' "$UNIT")
check "ExecStart runs puhui serve" contains "$exec_line" "puhui serve --listen"
check "stopped by SIGTERM" grep -qx "KillSignal=SIGTERM" "$UNIT"
# the options of ExecStart are ones this binary knows: `serve --help` lists each
for opt in $(echo "$exec_line" | grep -o -- '--[a-z-]*'); do
    run 0 serve --help
    check "serve knows $opt" contains "$OUT$ERR" "$opt"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    sed "s|/usr/local/bin/puhui|$(realpath "$PUHUI")|" "$UNIT" >"$WORK/puhui.service"
    set +e
    verify=$(systemd-analyze verify "$WORK/puhui.service" 2>&1)
    set -e
    # user and group need not exist on the build machine; anything else is a defect
    verify=$(echo "$verify" | grep -v -e "User=" -e "Group=" -e "^$" || true)
    check "systemd-analyze verify finds nothing" [ -z "$verify" ]
    [ -z "$verify" ] || echo "  $verify"
else
    echo "ok - systemd-analyze verify skipped: systemd-analyze is not installed"
fi
finish
