/*
 * Reading the book: one loan, a list, a schedule, and the book's summary by
 * category with the NPL ratio, provisions and coverage, subsidies paid and
 * losses shared (docs/loans.md#the-book).
 */
#include "loan_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "core/i128.h"

void ph_loan_info_free(const ph_ctx *ctx, ph_loan_info *info)
{
    if (info == NULL)
        return;
    char **owned[] = {&info->uscc,   &info->lender, &info->product, &info->method,
                      &info->scheme, &info->guarantor, &info->pool,  &info->status};
    for (size_t i = 0; i < sizeof(owned) / sizeof(owned[0]); i++) {
        ph_free(ctx, *owned[i]);
        *owned[i] = NULL;
    }
}

static ph_status fill_info(const ph_ctx *ctx, const loan_contract *c, const loan_row *r,
                           ph_loan_info *out, ph_error *err)
{
    memset(out, 0, sizeof(*out));
    out->id = c->id;
    out->decision_id = c->decision_id;
    out->renewal_of = c->renewal_of;
    out->uscc = ph_strdup(ctx, c->uscc);
    out->lender = ph_strdup(ctx, c->lender);
    out->product = ph_strdup(ctx, c->product);
    out->method = ph_strdup(ctx, ph_schedule_method_name(c->method));
    out->scheme = ph_strdup(ctx, c->scheme);
    out->guarantor = ph_strdup(ctx, c->guarantor);
    out->pool = ph_strdup(ctx, c->pool);
    out->status = ph_strdup(ctx, loan_status_name(r->status));
    out->amount = c->amount;
    out->rate = r->s.rate;
    out->penalty_rate = r->s.penalty_rate;
    out->guarantee_fee = c->guarantee_fee;
    out->subsidy_rate = c->subsidy_rate;
    out->term = c->term;
    out->booked_on = c->booked_on;
    out->maturity_on = c->maturity_on;
    out->restructured = c->restructured;
    out->state = r->s;
    out->state.schedule = NULL;
    out->fee_receivable = r->fee_receivable;
    out->last_event_on = r->last_event_on;
    if (out->uscc == NULL || out->lender == NULL || out->product == NULL || out->method == NULL ||
        out->scheme == NULL || out->guarantor == NULL || out->pool == NULL ||
        out->status == NULL) {
        ph_loan_info_free(ctx, out);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    return PH_OK;
}

ph_status ph_loan_get(ph_store *store, int64_t loan_id, ph_loan_info *out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_get: NULL argument");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    loan_contract c;
    loan_row r;
    if (st == PH_OK)
        st = loan_contract_read(store, loan_id, &c, err);
    if (st == PH_OK)
        st = loan_row_read(store, loan_id, &r, err);
    if (st == PH_OK)
        st = fill_info(ph_store_ctx(store), &c, &r, out, err);
    return st;
}

/* The ids of the loans (of one firm or lender when not NULL) after
 * `after`, at most `limit` of them (0: all), by id. */
static ph_status loan_ids(ph_store *store, const char *uscc, const char *lender, int64_t after,
                          int64_t limit, int64_t **out, size_t *n_out, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT id FROM loan WHERE (? IS NULL OR uscc = ?) AND "
                                    "(? IS NULL OR lender = ?) AND id > ? ORDER BY id LIMIT ?",
                                    &s, err);
    for (int i = 0; st == PH_OK && i < 2; i++) {
        const char *v = i == 0 ? uscc : lender;
        st = v ? ph_stmt_bind_text(s, 2 * i + 1, v, -1, err) : ph_stmt_bind_null(s, 2 * i + 1, err);
        if (st == PH_OK)
            st = v ? ph_stmt_bind_text(s, 2 * i + 2, v, -1, err)
                   : ph_stmt_bind_null(s, 2 * i + 2, err);
    }
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 5, after, err);
    if (st == PH_OK) /* LIMIT -1 is no limit in SQLite; a large bound is portable */
        st = ph_stmt_bind_int64(s, 6, limit > 0 ? limit : INT64_MAX, err);
    /* Ids first (the statement must be done before the reads below). */
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        if (n == cap) {
            cap = cap ? 2 * cap : 64;
            int64_t *g = ph_realloc(ctx, ids, cap * sizeof(*g));
            if (g == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                break;
            }
            ids = g;
        }
        ids[n++] = ph_stmt_column_int64(s, 0);
    }
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    if (st != PH_OK) {
        ph_free(ctx, ids);
        return st;
    }
    *out = ids;
    *n_out = n;
    return PH_OK;
}

static ph_status list_loans(ph_store *store, const char *uscc, const char *lender, int64_t after,
                            int64_t limit, ph_loan_fn fn, void *user, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    int64_t *ids = NULL;
    size_t n = 0;
    if (st == PH_OK)
        st = loan_ids(store, uscc, lender, after, limit, &ids, &n, err);
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        ph_loan_info info;
        st = ph_loan_get(store, ids[i], &info, err);
        if (st != PH_OK)
            break;
        int stop = fn(&info, user);
        ph_loan_info_free(ctx, &info);
        if (stop)
            break;
    }
    ph_free(ctx, ids);
    return st;
}

ph_status ph_loan_list(ph_store *store, const char *uscc, const char *lender, ph_loan_fn fn,
                       void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_list: NULL argument");
    return list_loans(store, uscc, lender, 0, 0, fn, user, err);
}

ph_status ph_loan_list_page(ph_store *store, const char *uscc, const char *lender, int64_t after,
                            int64_t limit, ph_loan_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_list_page: NULL argument");
    if (after < 0 || limit < 1) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)(after < 0 ? after : limit));
        return ph_error_set(err, PH_EINVAL, after < 0 ? "after" : "limit", v,
                            after < 0 ? "expected a loan id, 0 or more"
                                      : "expected 1 or more loans a page");
    }
    return list_loans(store, uscc, lender, after, limit, fn, user, err);
}

ph_status ph_loan_schedule(ph_store *store, int64_t loan_id, ph_instalment_fn fn, void *user,
                           ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_schedule: NULL argument");
    loan_row r;
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    if (st == PH_OK)
        st = loan_row_read(store, loan_id, &r, err);
    /* The current version holds the instalments from the rebuild on; the
     * earlier ones come from the versions before it. */
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT k, due_on, period_start, principal, interest, balance_after "
                              "FROM loan_schedule c WHERE loan_id = ? AND version = (SELECT "
                              "MAX(version) FROM loan_schedule v WHERE v.loan_id = c.loan_id AND "
                              "v.k = c.k AND v.version <= ?) ORDER BY k",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, loan_id, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, r.schedule_version, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_instalment x;
        x.k = (int32_t)ph_stmt_column_int64(s, 0);
        const char *a = ph_stmt_column_text(s, 1);
        st = ph_date_parse(a, strlen(a), &x.due_on, err);
        const char *b = ph_stmt_column_text(s, 2);
        if (st == PH_OK)
            st = ph_date_parse(b, strlen(b), &x.period_start, err);
        x.principal = ph_stmt_column_int64(s, 3);
        x.interest = ph_stmt_column_int64(s, 4);
        x.balance_after = ph_stmt_column_int64(s, 5);
        if (st == PH_OK && fn(&x, user))
            break;
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

static ph_rate ratio(ph_money num, ph_money den)
{
    if (den <= 0)
        return 0;
    int64_t r = 0;
    return i128_to_i64(i128_div_round((i128)num * 100000000, (i128)den, PH_ROUND_HALF_UP), &r)
               ? r
               : 0;
}

enum { LAST_DAY = 2932896 }; /* 9999-12-31: every posting */

static int sum_subsidy(const ph_ledger_balance *b, void *user)
{
    if (strcmp(b->account, ACC_SUBSIDY_RECEIVABLE) == 0)
        *(ph_money *)user += b->debit;
    return 0;
}

/* Add one (status, category) group's row (columns from `col`) to b. */
static void add_group(ph_book_summary *b, ph_stmt *s, int col)
{
    const char *status = ph_stmt_column_text(s, col);
    int64_t cat = ph_stmt_column_int64(s, col + 1), n = ph_stmt_column_int64(s, col + 2);
    b->defaulted += ph_stmt_column_int64(s, col + 5);
    if (strcmp(status, "active") != 0) {
        b->closed += n;
        return;
    }
    if (cat < 0 || cat >= PH_CATEGORY_COUNT)
        return;
    b->category[cat].loans += n;
    b->category[cat].exposure += ph_stmt_column_int64(s, col + 3);
    b->category[cat].provision += ph_stmt_column_int64(s, col + 4);
}

/* The totals, NPL and ratios from the categories. */
static void finish_summary(ph_book_summary *b)
{
    for (int c = 0; c < PH_CATEGORY_COUNT; c++) {
        b->loans += b->category[c].loans;
        b->exposure += b->category[c].exposure;
        b->provision += b->category[c].provision;
        if (c >= PH_CATEGORY_SUBSTANDARD)
            b->npl += b->category[c].exposure;
    }
    b->npl_ratio = ratio(b->npl, b->exposure);
    b->coverage = ratio(b->provision, b->npl);
}

/* The (status, category) groups: of the whole book (lender NULL), of one
 * lender, or (by_lender) of every lender, its id first, by lender. */
#define GROUP_COLUMNS                                                                          \
    "s.status, s.category, COUNT(*), SUM(s.principal + s.principal_due), SUM(s.provision), "    \
    "SUM(CASE WHEN s.defaulted_on IS NULL THEN 0 ELSE 1 END) "

static ph_status prepare_groups(ph_store *store, const char *lender, int by_lender, ph_stmt **s,
                                ph_error *err)
{
    ph_status st;
    if (by_lender)
        return ph_store_prepare(store,
                                "SELECT l.lender, " GROUP_COLUMNS
                                "FROM loan_state s JOIN loan l ON l.id = s.loan_id "
                                "GROUP BY l.lender, s.status, s.category ORDER BY l.lender",
                                s, err);
    if (lender == NULL)
        return ph_store_prepare(store,
                                "SELECT " GROUP_COLUMNS "FROM loan_state s GROUP BY s.status, "
                                "s.category",
                                s, err);
    st = ph_store_prepare(store,
                          "SELECT " GROUP_COLUMNS "FROM loan_state s JOIN loan l ON l.id = "
                          "s.loan_id WHERE l.lender = ? GROUP BY s.status, s.category",
                          s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(*s, 1, lender, -1, err);
    return st;
}

/* Losses shared, by party: the whole book's or one lender's. */
static ph_status read_shared(ph_store *store, const char *lender, ph_book_summary *b,
                             ph_error *err)
{
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT COALESCE(SUM(h.bank_fen), 0), COALESCE(SUM(h.guarantor_fen), 0), "
        "COALESCE(SUM(h.reguarantor_fen), 0), COALESCE(SUM(h.government_fen), 0), "
        "COALESCE(SUM(h.pool_fen), 0) FROM loan_share h JOIN loan l ON l.id = h.loan_id "
        "WHERE ? IS NULL OR l.lender = ?",
        &s, err);
    for (int i = 1; st == PH_OK && i <= 2; i++)
        st = lender ? ph_stmt_bind_text(s, i, lender, -1, err) : ph_stmt_bind_null(s, i, err);
    if (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK)
        for (int p = 0; p < PH_PARTY_COUNT; p++)
            b->shared[p] = ph_stmt_column_int64(s, p);
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status summary_of(ph_store *store, const char *lender, ph_book_summary *out,
                            ph_error *err)
{
    ph_book_summary b;
    memset(&b, 0, sizeof(b));
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = prepare_groups(store, lender, 0, &s, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK)
        add_group(&b, s, 0);
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    finish_summary(&b);
    if (st == PH_OK)
        st = read_shared(store, lender, &b, err);
    /* What the programmes owe the platform for the subsidies and awards it
     * paid the firms: the subsidy receivable's debits, from the ledger (the
     * whole book's only: the ledger's parties are firms, not lenders). */
    if (st == PH_OK && lender == NULL)
        st = ph_ledger_trial_balance(store, LAST_DAY, sum_subsidy, &b.subsidy_paid, err);
    if (st == PH_OK)
        *out = b;
    return st;
}

ph_status ph_book_summary_get(ph_store *store, ph_book_summary *out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_book_summary_get: NULL argument");
    return summary_of(store, NULL, out, err);
}

ph_status ph_book_summary_lender(ph_store *store, const char *lender, ph_book_summary *out,
                                 ph_error *err)
{
    if (store == NULL || lender == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_book_summary_lender: NULL argument");
    return summary_of(store, lender, out, err);
}

ph_status ph_book_lenders(ph_store *store, ph_book_lender_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_book_lenders: NULL argument");
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = prepare_groups(store, NULL, 1, &s, err);
    /* The groups come by lender: a lender's summary is complete when the
     * next lender's first row (or the end) is read. */
    char *current = NULL;
    ph_book_summary b;
    memset(&b, 0, sizeof(b));
    int stop = 0;
    while (st == PH_OK && !stop) {
        st = ph_stmt_step(s, err);
        const char *lender = st == PH_OK ? ph_stmt_column_text(s, 0) : NULL;
        if (current != NULL && (lender == NULL || strcmp(lender, current) != 0)) {
            finish_summary(&b);
            if (st == PH_OK || st == PH_DONE)
                stop = fn(current, &b, user);
            ph_free(ctx, current);
            current = NULL;
            memset(&b, 0, sizeof(b));
        }
        if (st != PH_OK || stop)
            break;
        if (current == NULL) {
            current = ph_strdup(ctx, lender ? lender : "");
            if (current == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
                break;
            }
        }
        add_group(&b, s, 1);
    }
    ph_free(ctx, current);
    ph_stmt_free(s);
    return st == PH_DONE || st == PH_OK ? PH_OK : st;
}

/* ---- spans: who owed whom, when ------------------------------------------------------------- */

static ph_status span_date(ph_stmt *s, int col, ph_date *out, ph_error *err)
{
    const char *text = ph_stmt_column_text(s, col);
    if (text == NULL)
        return ph_error_set(err, PH_EINVAL, ph_stmt_column_name(s, col), "NULL",
                            "expected a date YYYY-MM-DD in the loan book");
    return ph_date_parse(text, strlen(text), out, err);
}

ph_status ph_loan_each_span(ph_store *store, ph_loan_span_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_each_span: NULL argument");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT l.id, l.uscc, l.lender, l.method, l.booked_on, s.status, "
                              "s.last_event_on, s.flags FROM loan l JOIN loan_state s "
                              "ON s.loan_id = l.id ORDER BY l.id",
                              &s, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_loan_span span;
        memset(&span, 0, sizeof(span));
        span.id = ph_stmt_column_int64(s, 0);
        span.uscc = ph_stmt_column_text(s, 1);
        span.lender = ph_stmt_column_text(s, 2);
        const char *method = ph_stmt_column_text(s, 3);
        span.revolving = method != NULL &&
                         strcmp(method, ph_schedule_method_name(PH_METHOD_REVOLVING)) == 0;
        const char *status = ph_stmt_column_text(s, 5);
        span.flags = (uint32_t)ph_stmt_column_int64(s, 7);
        st = span_date(s, 4, &span.booked_on, err);
        if (st == PH_OK && (status == NULL || strcmp(status, loan_status_name(LOAN_ACTIVE)) != 0))
            st = span_date(s, 6, &span.ended_on, err);
        if (st == PH_OK)
            st = fn(user, &span, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_loan_find_reference(ph_store *store, const char *reference, int64_t *loan_id,
                                 ph_error *err)
{
    if (store == NULL || reference == NULL || loan_id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_find_reference: NULL argument");
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, "SELECT id FROM loan WHERE reference = ?", &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, reference, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    *loan_id = st == PH_OK ? ph_stmt_column_int64(s, 0) : 0;
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}
