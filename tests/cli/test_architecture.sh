#!/usr/bin/env bash
# The module map in docs/architecture.md matches the code: every module in
# src/ has a row, every public header belongs to one row, planned modules do
# not exist yet, and no module includes the header of a module in a later row
# (lower layers never call upward) or a private header of another module
# that its row does not name as shared inside the library.
set -e
. "$(dirname "$0")/lib.sh"
root=$(cd "$(dirname "$0")/../.." && pwd)
map="$root/docs/architecture.md"

# One line per row of the layers table: index module status headers...
rows=$(awk -F'|' '/^\|[^|]*\| `src\/[a-z_]+`/ {
        gsub(/[` ]/, "", $3); sub(/^src\//, "", $3)
        status = $(NF-1); gsub(/ /, "", status)
        hdrs = ""; n = split($4, parts, "`")
        for (i = 2; i <= n; i += 2) hdrs = hdrs " " parts[i]
        print ++row, $3, status, hdrs }' "$map")
check "the layers table has rows" [ -n "$rows" ]

row_of() { echo "$rows" | awk -v m="$1" '$2 == m { print $1 }'; }
status_of() { echo "$rows" | awk -v m="$1" '$2 == m { print $3 }'; }
module_of_header() {
    echo "$rows" | awk -v h="$1" '{ for (i = 4; i <= NF; i++) if ($i == h) print $2 }'
}

for dir in "$root"/src/*/; do
    m=$(basename "$dir")
    check "src/$m has a row marked built" [ "$(status_of "$m")" = built ]
done
for m in $(echo "$rows" | awk '$3 != "built" { print $2 }'); do
    check "planned module src/$m does not exist yet" [ ! -d "$root/src/$m" ]
done
for h in "$root"/include/puhui/*.h; do
    name=$(basename "$h")
    [ "$name" = puhui.h ] && continue
    owners=$(module_of_header "$name" | wc -l)
    check "include/puhui/$name belongs to exactly one module" [ "$owners" -eq 1 ]
done

for m in $(echo "$rows" | awk '$3 == "built" { print $2 }'); do
    for h in $(echo "$rows" | awk -v m="$m" '$2 == m { for (i = 4; i <= NF; i++) print $i }'); do
        check "$h of src/$m exists" [ -f "$root/include/puhui/$h" -o -f "$root/src/$m/$h" ]
    done
done

# A public header includes only headers of its own module's row or above.
for h in "$root"/include/puhui/*.h; do
    name=$(basename "$h")
    [ "$name" = puhui.h ] && continue
    mine=$(row_of "$(module_of_header "$name")")
    [ -n "$mine" ] || continue
    upward=""
    for inc in $(grep -hoE '#include "puhui/[a-z_0-9]+\.h"' "$h" | sed -E 's/#include "puhui\///; s/"$//'); do
        owner=$(module_of_header "$inc")
        [ -n "$owner" ] && [ "$(row_of "$owner")" -gt "$mine" ] && upward="$upward $inc($owner)"
    done
    check "include/puhui/$name includes nothing above its module${upward:+:$upward}" [ -z "$upward" ]
done

for dir in "$root"/src/*/; do
    m=$(basename "$dir")
    mine=$(row_of "$m")
    [ -n "$mine" ] || continue
    upward=""
    for inc in $(grep -rhoE '#include "[a-z_]+/[a-z_0-9]+\.h"' "$dir" | sed -E 's/#include "//; s/"$//' | sort -u); do
        case "$inc" in
        puhui/*)
            owner=$(module_of_header "${inc#puhui/}")
            [ -n "$owner" ] || continue
            [ "$(row_of "$owner")" -le "$mine" ] || upward="$upward $inc($owner)"
            ;;
        "$m"/*) ;;
        *)
            owner=$(module_of_header "${inc#*/}")
            if [ "$owner" != "${inc%%/*}" ]; then
                upward="$upward $inc(private)"
            elif [ "$(row_of "$owner")" -gt "$mine" ]; then
                upward="$upward $inc($owner)"
            fi
            ;;
        esac
    done
    check "src/$m includes nothing above it and no other module's private header${upward:+:$upward}" [ -z "$upward" ]
done
# The CLI parses and prints; the modules that own the tables run the SQL.
sql_in_cli=$(grep -lE 'ph_store_(prepare|exec)' "$root"/cli/*.c || true)
check "the CLI holds no SQL${sql_in_cli:+: $sql_in_cli}" [ -z "$sql_in_cli" ]
finish
