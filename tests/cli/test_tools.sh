#!/usr/bin/env bash
# End-to-end: the core-type commands (uscc, interest, size) and their errors.
set -e
. "$(dirname "$0")/lib.sh"

run 0 uscc check 91350100M000100Y43
check "standard's example is valid" contains "$OUT" "91350100M000100Y43  yes"
run 2 uscc check 91350100M000100Y43 91350100M000100Y44
check "bad check char explained" contains "$OUT" "check character is '4', expected '3'"
run 2 uscc check 9135010OM000100Y43
check "forbidden letter named" contains "$OUT" "position 8: character 'O' is not allowed"
run 2 uscc
check "uscc needs a verb" contains "$ERR" "'uscc' takes 'check' or 'generate'"

run 0 uscc generate --division 370102 --count 3 --serial 7
generated=$OUT
check "three codes" [ "$(echo "$generated" | wc -l)" -eq 3 ]
# shellcheck disable=SC2086
run 0 uscc check $generated
check "generated codes validate" contains "$OUT" "370102 历下区"
run 0 uscc generate --division 370102 --count 3 --serial 7
check "generation is deterministic" [ "$OUT" = "$generated" ]
run 2 uscc generate --division 990000
check "bad division refused" contains "$ERR" "division_code"
run 2 uscc generate --count 0
check "count range" contains "$ERR" "--count takes a whole number from 1 to 1000000, got '0'"

run 0 interest --principal 100,000 --rate 3.85% --days 30
check "interest to the fen" contains "$OUT" "interest 320.83 yuan"
run 0 interest --principal 120 --rate 3.85% --days 30
check "38.5 fen rounds half-up to 0.39" contains "$OUT" "interest 0.39 yuan"
run 0 interest --principal 120 --rate 385bp --days 30 --rounding half-even
check "38.5 fen rounds half-even to 0.38" contains "$OUT" "interest 0.38 yuan"
run 0 interest --principal 100000 --rate 0.0365 --from 2024-01-01 --to 2025-01-01 --daycount ACT/365
check "a leap year at ACT/365" contains "$OUT" "for 366 days"
check "ACT/365 amount" contains "$OUT" "interest 3,660.00 yuan"
run 0 --format json interest --principal 1 --rate 3% --days 1
check "json interest" contains "$OUT" '"interest": "0.00"'
run 2 interest --principal 12.345 --rate 3% --days 3
check "fen precision enforced" contains "$ERR" "field --principal, value '12.345': expected at most 2 decimal places"
run 2 interest --principal 100 --rate 3% --from 2023-02-29 --to 2023-03-01
check "impossible date" contains "$ERR" "2023-02-29"
run 2 interest --principal 100 --rate 3%
check "days required" contains "$ERR" "--principal, --rate and --days"
run 2 interest --principal 100 --rate 3% --days 3 --from 2024-01-01 --to 2024-02-01
check "days and dates exclusive" contains "$ERR" "either --days, or both --from and --to"

run 0 size --industry C --employees 19 --revenue 50,000,000
check "19 employees in industry is micro" contains "$OUT" "micro (微型)"
run 0 size --industry C --employees 20 --revenue 3,000,000
check "20 and 300万 is small" contains "$OUT" "small (小型)"
run 0 size --industry C --employees 20 --revenue 2,999,999.99
check "one fen under 300万 is micro" contains "$OUT" "micro (微型)"
run 0 size --industry F52 --employees 50 --revenue 5,000,000
check "retail medium" contains "$OUT" "medium (中型) under the 2011 rule for retail"
run 2 size --industry E --employees 3
check "missing measure named" contains "$ERR" "needs --revenue"
run 2 size --industry F --employees 3 --revenue 1
check "division needed" contains "$ERR" "section F needs the division"
run 0 size --industry K7020 --employees 150 --revenue 6,000,000
check "property management has its own rule" contains "$OUT" "small (小型) under the 2011 rule for property management"
run 2 size --industry E --revenue -5 --assets 1
check "negative revenue refused" contains "$ERR" "--revenue takes an amount of zero or more, got '-5'"
run 2 size --industry Z
check "unknown section" contains "$ERR" "field --industry, value 'Z': 'Z' is not a section letter (expected A to T)"

finish
