#!/usr/bin/env bash
# End-to-end messages of puhui ingest: a header name spoilt by a second byte
# order mark, a leading space or capitals is named with what is wrong and the
# header found; a NUL inside a value is shown escaped and whole (50\x00.00),
# in the quarantine and in --rejected.
set -e
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "not ok - test_csv_messages.sh needs sqlite3 (apt-get install sqlite3)"; exit 1; }

DB="$WORK/x.db"
run 0 gen --enterprises 50 --months 3 --out "$WORK/p"
run 0 --db "$DB" init
run 0 --db "$DB" ingest "$WORK/p/feeds/registration.csv"
src="$WORK/p/feeds/vat_invoices.csv"
mkdir -p "$WORK/h"
bad="$WORK/h/vat_invoices.csv"
rest="'month', 'sales_amount', 'sales_invoices', 'purchase_amount', 'purchase_invoices', 'distinct_buyers', 'top_buyer_share'; expected the columns of feed vat_invoices, in this order: uscc, month, sales_amount, sales_invoices, purchase_amount, purchase_invoices, distinct_buyers, top_buyer_share"

# header_case NAME HEADER_PREFIX_BYTES FIRST_COLUMN_SHOWN WHAT
header_case() {
    { printf "$2"; sed -n '1s/^uscc//p' "$src"; sed -n 2p "$src"; } >"$bad"
    run 2 --db "$DB" ingest "$bad"
    check "$1: exact message" [ "$(head -1 <<<"$ERR")" = \
        "puhui: error: $bad:1: field header, value 'uscc': missing column 'uscc': column 1 is '$3' ($4); the header has 8 columns: '$3', $rest" ]
    [ "$(head -1 <<<"$ERR")" = "puhui: error: $bad:1: field header, value 'uscc': missing column 'uscc': column 1 is '$3' ($4); the header has 8 columns: '$3', $rest" ] || echo "  got: $ERR"
}
header_case "second byte-order mark" '\xef\xbb\xbf\xef\xbb\xbfuscc' '\xef\xbb\xbfuscc' "a second byte-order mark"
header_case "leading space" ' uscc' ' uscc' "a leading space"
header_case "capitals" 'USCC' 'USCC' "column names are lower case"
header_case "leading no-break space" '\xc2\xa0uscc' '\xc2\xa0uscc' "a leading no-break space"

# a NUL inside a (closed) quoted value: one bad record, shown whole
{
    sed -n 1p "$src"
    sed -n 2p "$src" | awk -F, -v OFS=, '{ $3 = "\"50\001.00\""; print }' | tr '\001' '\000'
    sed -n 3p "$src"
} >"$bad"
run 0 --db "$DB" ingest "$bad"
check "the NUL row refused, the next accepted" contains "$OUT" "2 rows: 1 accepted, 0 unchanged, 0 superseded, 1 rejected"
check "quarantine value and detail, exactly" [ "$(sqlite3 "$DB" "SELECT line || '|' || field || '|' || value || '|' || reason || '|' || detail FROM quarantine WHERE feed = 'vat_invoices'")" = \
    '2|sales_amount|50\x00.00|invalid_utf8|NUL byte (0x00) in a field; expected text (is the file UTF-16 or binary?)' ]
run 0 --db "$DB" ingest --rejected --feed vat_invoices
check "--rejected shows the value escaped" contains "$OUT" 'sales_amount  50\x00.00  invalid_utf8'
finish
