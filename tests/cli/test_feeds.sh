#!/usr/bin/env bash
# End-to-end: puhui feeds (list, show, doc) and the committed docs/formats,
# which must be exactly what `puhui feeds doc` writes: a stale copy fails here.
set -e
. "$(dirname "$0")/lib.sh"
FORMATS="$(cd "$(dirname "$0")/../.." && pwd)/docs/formats"

run 0 feeds list
check "list has a header" contains "$OUT" "name                       path                            frequency  key"
check "list shows vat_invoices" contains "$OUT" "vat_invoices               feeds/vat_invoices.csv          monthly    uscc,month"
check "list shows the truth file names" contains "$OUT" "truth_pd                   truth/pd.csv"
check "list has every feed" [ "$(echo "$OUT" | wc -l)" -eq 31 ]
run 0 --format json feeds list
check "json list" contains "$OUT" '"path": "truth/dirty.csv"'
check "json column count is a number" contains "$OUT" '"columns": 16'
command -v python3 >/dev/null && check "json list is valid" python3 -c 'import json,sys; assert len(json.load(open(sys.argv[1]))) == 30' "$WORK/out"

run 0 feeds show tax_grades
check "show has the title" contains "$OUT" "# tax_grades — 纳税信用等级"
check "show has the key" contains "$OUT" '| key | `uscc`, `year` |'
check "show lists enum values" contains "$OUT" '| 3 | `grade` | enum |  | yes | `A`, `B`, `M`, `C`, `D` |'
run 0 feeds show truth_dirty
check "truth pages warn" contains "$OUT" "a model must never read this file"

run 0 feeds doc --out "$WORK/formats"
check "doc says what it wrote" contains "$OUT" "wrote 31 files to $WORK/formats"
check "docs/formats is up to date (regenerate with: puhui feeds doc --out docs/formats)" \
    diff -r "$FORMATS" "$WORK/formats"
run 0 feeds doc --out="$WORK/formats"
check "doc overwrites an existing directory" diff -r "$FORMATS" "$WORK/formats"

run 2 feeds show no_such_feed
check "unknown feed named" contains "$ERR" "field feed, value 'no_such_feed': no such feed in the catalog"
check "unknown feed hint" contains "$ERR" "'puhui feeds list' shows the feeds"
run 2 feeds show
check "show needs a name" contains "$ERR" "'feeds show' needs a feed name"
run 2 feeds show vat_invoices extra
check "show takes one name" contains "$ERR" "unexpected argument 'extra' for 'feeds'"
run 2 feeds doc
check "doc needs --out" contains "$ERR" "'feeds doc' needs --out DIR"
run 2 feeds doc --out
check "--out needs a value" contains "$ERR" "--out needs a value"
run 2 feeds doc --out "$WORK/x" --bogus
check "unknown option named" contains "$ERR" "unknown option '--bogus' for 'feeds'"
run 1 feeds doc --out "$WORK/missing/parent"
check "unwritable directory named" contains "$ERR" "$WORK/missing/parent: cannot create the directory: No such file or directory"
: >"$WORK/file"
run 1 feeds doc --out "$WORK/file"
check "a file in the way is named" contains "$ERR" "$WORK/file/README.md: cannot open for writing: Not a directory"
run 2 feeds list extra
check "list takes no arguments" contains "$ERR" "unexpected argument 'extra' for 'feeds'"
run 2 feeds
check "feeds needs a verb" contains "$ERR" "'feeds' takes 'list', 'show' or 'doc'"
run 0 feeds --help
check "help for feeds" contains "$OUT" "usage: puhui feeds list"

finish
