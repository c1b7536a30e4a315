/*
 * Reading the ledger: the trial balance at a date, one loan's balance and
 * statement, and the journal listing. Value dates are stored as ISO text,
 * so "on or before D" is a text comparison that the indexes serve.
 */
#include <stdio.h>
#include <string.h>

#include "ledger/ledger_internal.h"

static const char *text0(ph_stmt *stmt, int col)
{
    const char *t = ph_stmt_column_text(stmt, col);
    return t ? t : "";
}

static ph_status bind_day(ph_stmt *stmt, int index, ph_date d, const char *field, ph_error *err)
{
    char day[PH_DATE_FORMAT_MAX];
    ph_status st = ledger_check_date(d, field, err);
    if (st == PH_OK)
        st = ph_date_format(d, day, sizeof(day), err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, index, day, -1, err);
    return st;
}

static ph_date parse_day(const char *text)
{
    ph_date d = 0;
    ph_date_parse(text, strlen(text), &d, NULL);
    return d;
}

ph_status ph_ledger_trial_balance(ph_store *s, ph_date on, ph_ledger_balance_fn fn, void *user,
                                  ph_error *err)
{
    if (s == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_trial_balance: store and fn must not be NULL");
    ph_status st = ledger_require_schema(s, err);
    ph_stmt *stmt = NULL;
    /* SUM over BIGINT stays an integer in both databases; SQLite raises on
     * overflow rather than wrapping */
    if (st == PH_OK)
        st = ph_store_prepare(s,
                              "SELECT l.account, l.product, l.party, SUM(l.debit), SUM(l.credit) "
                              "FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id "
                              "WHERE e.value_date <= ? GROUP BY l.account, l.product, l.party "
                              "ORDER BY l.account, l.product, l.party",
                              &stmt, err);
    if (st == PH_OK)
        st = bind_day(stmt, 1, on, "on", err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_ledger_balance b;
        b.account = text0(stmt, 0);
        const ph_ledger_account *acc = ph_ledger_account_find(b.account);
        b.name = acc ? acc->name : "?";
        b.product = text0(stmt, 1);
        b.party = text0(stmt, 2);
        b.debit = ph_stmt_column_int64(stmt, 3);
        b.credit = ph_stmt_column_int64(stmt, 4);
        if (__builtin_sub_overflow(b.debit, b.credit, &b.balance)) {
            st = ph_error_set(err, PH_ERANGE, "account", b.account,
                              "the balance does not fit in 64-bit fen");
            break;
        }
        if (fn(&b, user) != 0) {
            st = PH_DONE;
            break;
        }
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status check_loan_account(int64_t loan_id, const char *account, ph_error *err)
{
    char value[24];
    if (loan_id <= 0) {
        snprintf(value, sizeof(value), "%lld", (long long)loan_id);
        return ph_error_set(err, PH_EINVAL, "loan_id", value, "expected a loan's id (> 0)");
    }
    const ph_ledger_account *acc = ph_ledger_account_find(account);
    if (acc == NULL || !acc->loan_level)
        return ph_error_set(err, PH_EINVAL, "account", account ? account : "(null)",
                            "expected a loan-level account of the chart (1231, 1301, 1302, "
                            "1311, 1312, 1313 or 1314)");
    return PH_OK;
}

ph_status ph_ledger_loan_balance(ph_store *s, int64_t loan_id, const char *account, ph_date on,
                                 ph_money *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_loan_balance: store and out must not be NULL");
    ph_status st = check_loan_account(loan_id, account, err);
    if (st == PH_OK)
        st = ledger_require_schema(s, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(s,
                              "SELECT COALESCE(SUM(s.debit), 0), COALESCE(SUM(s.credit), 0) "
                              "FROM ledger_subledger s JOIN journal_entry e ON e.id = s.entry_id "
                              "WHERE s.loan_id = ? AND s.account = ? AND e.value_date <= ?",
                              &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, loan_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, account, -1, err);
    if (st == PH_OK)
        st = bind_day(stmt, 3, on, "on", err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_money balance = 0;
    if (st == PH_OK) {
        if (__builtin_sub_overflow(ph_stmt_column_int64(stmt, 0), ph_stmt_column_int64(stmt, 1),
                                   &balance))
            st = ph_error_set(err, PH_ERANGE, "account", account,
                              "the balance does not fit in 64-bit fen");
    }
    ph_stmt_free(stmt);
    if (st == PH_OK)
        *out = balance;
    return st == PH_DONE ? ph_error_set(err, PH_ESTORE, NULL, NULL, "a sum returned no row") : st;
}

static ph_status check_range(ph_date from, ph_date to, ph_error *err)
{
    ph_status st = ledger_check_date(from, "from", err);
    if (st == PH_OK)
        st = ledger_check_date(to, "to", err);
    if (st == PH_OK && to < from) {
        char a[PH_DATE_FORMAT_MAX], b[PH_DATE_FORMAT_MAX];
        ph_date_format(from, a, sizeof(a), NULL);
        ph_date_format(to, b, sizeof(b), NULL);
        st = ph_error_set(err, PH_EINVAL, "to", b, "expected a day on or after from (%s)", a);
    }
    return st;
}

/* The rows of one loan (sub-ledger) or of every entry (general ledger) in a
 * range, as journal lines; statement and journal share it. */
static ph_status list_rows(ph_store *s, ph_date from, ph_date to, int64_t loan_id,
                           ph_ledger_journal_fn fn, void *user, ph_error *err)
{
    ph_status st = check_range(from, to, err);
    if (st == PH_OK)
        st = ledger_require_schema(s, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK && loan_id > 0)
        st = ph_store_prepare(
            s,
            "SELECT e.id, e.value_date, e.event, e.memo, COALESCE(e.reverses, 0), s.account, '', "
            "'', s.loan_id, s.debit, s.credit FROM ledger_subledger s "
            "JOIN journal_entry e ON e.id = s.entry_id "
            "WHERE s.loan_id = ? AND e.value_date >= ? AND e.value_date <= ? "
            "ORDER BY e.value_date, e.id, s.id",
            &stmt, err);
    else if (st == PH_OK)
        st = ph_store_prepare(
            s,
            "SELECT e.id, e.value_date, e.event, e.memo, COALESCE(e.reverses, 0), l.account, "
            "l.product, l.party, 0, l.debit, l.credit FROM journal_entry e "
            "JOIN journal_line l ON l.entry_id = e.id "
            "WHERE ? = 0 AND e.value_date >= ? AND e.value_date <= ? "
            "ORDER BY e.value_date, e.id, l.line_no",
            &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, loan_id, err);
    if (st == PH_OK)
        st = bind_day(stmt, 2, from, "from", err);
    if (st == PH_OK)
        st = bind_day(stmt, 3, to, "to", err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_ledger_journal_line l;
        l.entry_id = ph_stmt_column_int64(stmt, 0);
        l.value_date = parse_day(text0(stmt, 1));
        l.event = text0(stmt, 2);
        l.memo = text0(stmt, 3);
        l.reverses = ph_stmt_column_int64(stmt, 4);
        l.account = text0(stmt, 5);
        const ph_ledger_account *acc = ph_ledger_account_find(l.account);
        l.name = acc ? acc->name : "?";
        l.product = text0(stmt, 6);
        l.party = text0(stmt, 7);
        l.loan_id = ph_stmt_column_int64(stmt, 8);
        l.debit = ph_stmt_column_int64(stmt, 9);
        l.credit = ph_stmt_column_int64(stmt, 10);
        if (fn(&l, user) != 0) {
            st = PH_DONE;
            break;
        }
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_ledger_journal(ph_store *s, ph_date from, ph_date to, int64_t loan_id,
                            ph_ledger_journal_fn fn, void *user, ph_error *err)
{
    if (s == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_journal: store and fn must not be NULL");
    if (loan_id < 0) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)loan_id);
        return ph_error_set(err, PH_EINVAL, "loan_id", value,
                            "expected a loan's id (> 0), or 0 for every line");
    }
    return list_rows(s, from, to, loan_id, fn, user, err);
}

typedef struct statement_user {
    ph_ledger_statement_fn fn;
    void *user;
} statement_user;

static int statement_line(const ph_ledger_journal_line *j, void *user)
{
    const statement_user *u = user;
    ph_ledger_statement_line l = {j->entry_id, j->value_date, j->event, j->memo,
                                  j->account,  j->debit,      j->credit};
    return u->fn(&l, u->user);
}

ph_status ph_ledger_loan_statement(ph_store *s, int64_t loan_id, ph_date from, ph_date to,
                                   ph_ledger_statement_fn fn, void *user, ph_error *err)
{
    if (s == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ledger_loan_statement: store and fn must not be NULL");
    if (loan_id <= 0) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)loan_id);
        return ph_error_set(err, PH_EINVAL, "loan_id", value, "expected a loan's id (> 0)");
    }
    statement_user u = {fn, user};
    return list_rows(s, from, to, loan_id, statement_line, &u, err);
}
