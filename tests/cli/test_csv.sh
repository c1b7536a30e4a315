#!/usr/bin/env bash
# End-to-end: puhui csv check on good and bad feed files.
set -e
. "$(dirname "$0")/lib.sh"

printf '\xef\xbb\xbfuscc,name,amount\r\n91350100M000100Y43,"福州,示例 ""A""",12345.67\r\n91370102MA3C7XY51X,"two\nlines",1\r\n' >"$WORK/good.csv"
printf 'uscc,name,amount\n91350100M000100Y43,"a\xff",1\n' >"$WORK/gbk.csv"
printf 'uscc,name\nx,y,z\n' >"$WORK/ragged.csv"
printf 'uscc,name\n"x,y\n' >"$WORK/open.csv"

run 0 csv check "$WORK/good.csv"
check "good file counted" contains "$OUT" "2        3    "
check "good file ok" contains "$OUT" "  ok"
run 2 csv check "$WORK/gbk.csv"
check "bad byte located" contains "$OUT" "gbk.csv:2:22: field name, value 'a\\xff': invalid UTF-8 byte 0xff"
run 2 csv check "$WORK/ragged.csv"
check "ragged row located" contains "$OUT" "ragged.csv:2:5: record has 3 fields, expected 2 as in the header"
run 2 csv check "$WORK/open.csv"
check "open quote located" contains "$OUT" "quoted field opened at line 2 column 1 is never closed"
run 1 csv check "$WORK/none.csv"
check "missing file named" contains "$OUT" "none.csv: cannot open for reading: No such file or directory"
run 2 csv check "$WORK/good.csv" --require uscc,region
check "missing column named" contains "$OUT" "missing column 'region'; the header has 3 columns: 'uscc', 'name', 'amount'"
run 0 --format json csv check "$WORK/good.csv" --require name
check "json output" contains "$OUT" '"records": 2'
run 2 csv check
check "needs a file" contains "$ERR" "needs at least one file"
run 2 csv check --delimiter ab "$WORK/good.csv"
check "delimiter is one character" contains "$ERR" "--delimiter takes one character"

finish
