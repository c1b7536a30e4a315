#!/bin/bash
# puhui loan import and puhui loan repay --batch on a real database: a book
# imported, imported again (nothing added), refusals located in the file
# (line, column, field, value), and a repayment batch run twice (each
# repayment applied once, the second run reports them as applied already).
set -e
. "$(dirname "$0")/lib.sh"
DB="$WORK/p.db"
export PUHUI_DB="$DB"
FIRM=913701020A0RGM1C3T

run 0 init
cat > "$WORK/book.csv" <<CSV
reference,uscc,lender,product,method,amount,rate,term,booked_on,guarantor,guarantee_fee
L-1,$FIRM,BANK01,micro,equal_installment,"100,000.00",4.35%,12,2026-01-05,,
L-2,$FIRM,BANK01,micro,revolving,50000.00,5%,12,2026-01-05,G-1,1%
L-3,$FIRM,BANK02,micro,interest_only,20000.00,0.05,6,2026-01-06,,
CSV
run 0 loan import "$WORK/book.csv"
check "three loans imported" contains "$OUT" "3 loans imported (ids 1 to 3), 0 already in the book; 120,000.00 yuan disbursed in 2 ledger entries"
run 0 loan import "$WORK/book.csv"
check "the same file again adds nothing" contains "$OUT" "0 loans imported, 3 already in the book"
run 0 ledger verify
check "the ledger holds" contains "$OUT" "ledger intact: 2 entries"

cat > "$WORK/bad.csv" <<CSV
reference,uscc,lender,product,method,amount,rate,term,booked_on
X-1,$FIRM,B,micro,equal_installment,100.00,4%,12,2026-01-05
X-2,$FIRM,B,micro,equal_installment,100.00,4%,0,2026-01-05
CSV
run 2 loan import "$WORK/bad.csv"
check "a refused row is located in the file" contains "$ERR" "bad.csv:3:60: field term, value '0': expected a term of 1 to 360 months"
cat > "$WORK/bad2.csv" <<CSV
reference,uscc,lender,product,method,amount,rate,term,booked_on
X-1,$FIRM,B,micro,equal_installment,1OO.00,4%,12,2026-01-05
CSV
run 2 loan import "$WORK/bad2.csv"
check "a field that does not parse is located" contains "$ERR" "bad2.csv:2:50: field amount, value '1OO.00'"
run 0 loan list
check "nothing of the refused files is stored" bash -c "! grep -q ' B ' <<<'$OUT'"

# --- a repayment batch, run twice ----------------------------------------------------------
run 0 cob --through 2026-02-06
cat > "$WORK/pay.csv" <<CSV
reference,loan,on,amount
P-1,1,2026-02-07,"1,000.00"
P-2,3,2026-02-07,50.00
P-3,1,2026-02-07,abc
CSV
run 2 loan repay --batch "$WORK/pay.csv"
check "first run applies two" contains "$OUT" "2 repayments applied, 0 applied already, 1 refused"
check "the refused one is located" contains "$ERR" "pay.csv:4:18: field amount, value 'abc'"
run 2 loan repay --batch "$WORK/pay.csv"
check "second run applies none" contains "$OUT" "0 repayments applied, 2 applied already, 1 refused"
check "and says which were in" contains "$OUT" "pay.csv:2:1: field reference, value 'P-1': applied already: loan 1 repaid 1000.00 yuan on 2026-02-07"
run 2 loan repay --batch "$WORK/pay.csv" --loan 1
check "--batch takes the loans from the file" contains "$ERR" "takes the loan, day and amount from the file"
finish
