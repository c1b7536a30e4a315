/* The checks every way into the ledger shares: one spelling of what a valid
 * line, event and date are, and of the errors that say so. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/ledger_internal.h"

ph_status ledger_require_schema(ph_store *s, ph_error *err)
{
    return ph_store_require_schema(s, LEDGER_SCHEMA, "the general ledger", err);
}

ph_status ledger_check_event(const char *event, ph_error *err)
{
    size_t len = strlen(event);
    int ok = len >= 1 && len <= PH_LEDGER_EVENT_MAX;
    for (size_t i = 0; ok && i < len; i++) {
        char c = event[i];
        ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    }
    if (!ok)
        return ph_error_set(err, PH_EINVAL, "event", event,
                            "expected a short word of lower-case letters, digits and '_' "
                            "(1 to %d bytes), such as disburse, repay, accrue or cob",
                            PH_LEDGER_EVENT_MAX);
    return PH_OK;
}

ph_status ledger_check_date(ph_date d, const char *field, ph_error *err)
{
    char day[PH_DATE_FORMAT_MAX];
    if (ph_date_format(d, day, sizeof(day), NULL) == PH_OK)
        return PH_OK;
    char value[24];
    snprintf(value, sizeof(value), "%ld", (long)d);
    return ph_error_set(err, PH_EINVAL, field, value,
                        "expected a day between 0001-01-01 and 9999-12-31");
}

ph_status ledger_add(ph_money a, ph_money b, ph_money *sum, const char *field, ph_error *err)
{
    if (__builtin_add_overflow(a, b, sum))
        return ph_error_set(err, PH_ERANGE, field, NULL,
                            "the total does not fit in 64-bit fen");
    return PH_OK;
}

static ph_status line_error(ph_error *err, size_t index, const char *member, const char *value,
                            const char *detail)
{
    char field[48];
    snprintf(field, sizeof(field), "lines[%zu].%s", index, member);
    return ph_error_set(err, PH_EINVAL, field, value, "%s", detail);
}

static ph_status check_text(const char *text, size_t index, const char *member, ph_error *err)
{
    if (text != NULL && strlen(text) > PH_LEDGER_TEXT_MAX) {
        char detail[96];
        snprintf(detail, sizeof(detail), "expected at most %d bytes", PH_LEDGER_TEXT_MAX);
        return line_error(err, index, member, text, detail);
    }
    return PH_OK;
}

ph_status ledger_check_line(const ph_ledger_line *l, size_t index, int *account, ph_error *err)
{
    char value[24];
    int a = ledger_account_index(l->account);
    if (a < 0)
        return line_error(err, index, "account", l->account ? l->account : "(null)",
                          "expected an account code of the chart of accounts, such as 1001 "
                          "or 1301 (puhui ledger trial-balance lists them; docs/ledger.md)");
    const ph_ledger_account *acc = ledger_account_at(a);
    if (acc->loan_level && l->loan_id <= 0) {
        snprintf(value, sizeof(value), "%lld", (long long)l->loan_id);
        char detail[160];
        snprintf(detail, sizeof(detail),
                 "account %s (%s) is kept per loan: expected the loan's id (> 0)", acc->code,
                 acc->name);
        return line_error(err, index, "loan_id", value, detail);
    }
    if (l->debit < 0 || l->credit < 0) {
        snprintf(value, sizeof(value), "%lld", (long long)(l->debit < 0 ? l->debit : l->credit));
        return line_error(err, index, l->debit < 0 ? "debit" : "credit", value,
                          "expected an amount of 0 or more fen");
    }
    if ((l->debit > 0) == (l->credit > 0)) {
        snprintf(value, sizeof(value), "%lld", (long long)l->debit);
        return line_error(err, index, "debit", value,
                          l->debit > 0 ? "a line is a debit or a credit, not both: expected "
                                         "credit 0 beside a debit"
                                       : "expected a debit or a credit above 0 (both are 0)");
    }
    ph_status st = check_text(l->product, index, "product", err);
    if (st == PH_OK)
        st = check_text(l->party, index, "party", err);
    if (st == PH_OK)
        *account = a;
    return st;
}

static int text_cmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

static int line_cmp(const void *pa, const void *pb)
{
    const gl_line *a = pa, *b = pb;
    int c = strcmp(ledger_account_at(a->account)->code, ledger_account_at(b->account)->code);
    if (c == 0)
        c = text_cmp(a->product, b->product);
    if (c == 0)
        c = text_cmp(a->party, b->party);
    return c;
}

void ledger_sort_lines(gl_line *lines, size_t n)
{
    if (n > 1)
        qsort(lines, n, sizeof(*lines), line_cmp);
}
