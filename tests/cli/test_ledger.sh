#!/bin/bash
# puhui ledger end to end on a real database: manual entries, the trial
# balance at dates, the journal, a reversal (once, never of a reversal), and
# verify finding a row changed around the dropped triggers (exit code 1).
set -e
. "$(dirname "$0")/lib.sh"
command -v python3 >/dev/null || { echo "not ok - test_ledger.sh needs python3"; exit 1; }
DB="$WORK/p.db"
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()' "$1" "$2"; }
export PUHUI_DB="$DB"

run 0 init
run 0 ledger verify
check "an empty ledger verifies, head is the genesis" contains "$OUT" "head: 0000000000000000000000000000000000000000000000000000000000000000"

run 0 ledger post --on 2026-01-02 --event funding --memo "paid-in capital" \
    --line 1001:dr:1,000,000.00 --line 3001:cr:1,000,000.00
check "first entry is 1" contains "$OUT" "entry 1 posted"
run 0 ledger post --on 2026-01-10 --event subsidy --line 1224:dr:50.00::prog1 --line 2241:cr:50.00::FIRM1
check "second entry is 2" contains "$OUT" "entry 2 posted"

# --- refusals: nothing stored ------------------------------------------------------------
run 2 ledger post --on 2026-01-10 --event fix --line 1001:dr:5.00 --line 3001:cr:4.99
check "unbalanced is refused with both totals" contains "$ERR" "field lines, value '500/499': an entry must balance"
run 2 ledger post --on 2026-01-10 --event fix --line 9999:dr:5.00 --line 3001:cr:5.00
check "unknown account named with its line" contains "$ERR" "field lines[0].account, value '9999'"
run 2 ledger post --on 2026-01-10 --event fix --line 1301:dr:5.00 --line 1001:cr:5.00
check "loan-level accounts are the loans' own" contains "$ERR" "account 1301 (loan_principal) is kept per loan"
run 2 ledger post --on 2026-01-10 --event Fix --line 1001:dr:5.00 --line 3001:cr:5.00
check "event must be a short word" contains "$ERR" "field event, value 'Fix'"
run 0 ledger verify
check "refusals stored nothing" contains "$OUT" "ledger intact: 2 entries, 4 lines"

# --- trial balance at dates --------------------------------------------------------------
run 0 ledger trial-balance --on 2026-01-05
check "before the subsidy: cash only" contains "$OUT" "1001     cash"
check "... and no subsidy yet" bash -c "! grep -q subsidy <<<'$OUT'"
check "it balances" contains "$OUT" "debits equal credits: the ledger balances"
run 0 ledger trial-balance --on 2026-01-31
check "the subsidy receivable by programme" contains "$OUT" "1224     subsidy_receivable           prog1         50.00"
check "totals" contains "$OUT" "total                                        1,000,050.00  1,000,050.00           0.00"
run 0 --format json ledger trial-balance --on 2026-01-31
check "json rows" contains "$OUT" '"account": "2241"'
run 2 ledger trial-balance --on 2026-02-30
check "a bad date is a usage error" contains "$ERR" "--on takes a date YYYY-MM-DD, got '2026-02-30'"

# --- journal -------------------------------------------------------------------------------
run 0 ledger journal --from 2026-01-10 --to 2026-01-31
check "journal lists the range's lines" contains "$OUT" "2  2026-01-10  subsidy  1224"
check "... and not the others" bash -c "! grep -q funding <<<'$OUT'"
run 0 ledger journal --loan 7
check "a loan without rows has an empty statement" bash -c "[ \$(printf '%s\n' '$OUT' | wc -l) -le 1 ]"

# --- reverse -----------------------------------------------------------------------------
run 0 ledger reverse --entry 2 --reason "wrong programme" --on 2026-01-11
check "reversal is entry 3" contains "$OUT" "entry 3 reverses entry 2"
run 0 ledger trial-balance --on 2026-01-31
check "the subsidy is gone from the balance" contains "$OUT" "1224     subsidy_receivable           prog1         50.00         50.00           0.00"
run 2 ledger reverse --entry 2 --reason again --on 2026-01-12
check "an entry is reversed once" contains "$ERR" "entry 2 was reversed already, by entry 3"
run 2 ledger reverse --entry 3 --reason undo --on 2026-01-12
check "a reversal is never reversed" contains "$ERR" "a reversal is never reversed"
run 2 ledger reverse --entry 42 --reason x --on 2026-01-12
check "unknown entry" contains "$ERR" "field entry, value '42': no journal entry has this id"
run 2 ledger reverse --entry 1
check "reverse needs a reason" contains "$ERR" "'ledger reverse' needs --entry N and --reason TEXT"

# --- verify: tampering ---------------------------------------------------------------------
run 0 ledger verify
HEAD=$(echo "$OUT" | sed -n 's/^head: //p')
check "head is a hash" [ "${#HEAD}" -eq 64 ]
set +e
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("UPDATE journal_line SET debit = 1 WHERE entry_id = 1"); c.commit()' "$DB" 2>"$WORK/py.err"
set -e
check "the triggers refuse an edit" grep -q "journal_line is append-only: rows cannot be changed" "$WORK/py.err"
cp "$DB" "$WORK/backup.db"
sql "$DB" "DROP TRIGGER journal_line_no_update; UPDATE journal_line SET credit = 99999999 WHERE entry_id = 1 AND account = '3001';"
run 1 ledger verify
check "an edited line is found, with its entry" contains "$ERR" "ledger verification FAILED at entry 1: entry 1 was altered"
cp "$WORK/backup.db" "$DB"
sql "$DB" "DROP TRIGGER journal_entry_no_delete;"
run 1 ledger verify
check "a dropped trigger is found" contains "$ERR" "trigger journal_entry_no_delete on journal_entry is missing"
run 1 --format json ledger verify
check "json says not intact" contains "$OUT" '"intact": false'

finish
