/*
 * The market view (docs/domain.md#supervision): per lender, over a period, how many
 * applications it decided and approved, at what average price, how many of
 * its offers were credit (unsecured) loans and went to first-time
 * borrowers, and why it declined. Sums are exact: fen and 1e-8 rates
 * multiplied in 128 bits.
 */
#include "market_internal.h"
#include "core/i128.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One decline reason code and how often it was given. */
typedef struct reason_tally {
    char *code;
    int64_t count;
} reason_tally;

/* Working sums per lender while rows are read. The strings are the
 * accumulator's (ph_malloc'd) until they are handed to the report. */
typedef struct lender_acc {
    ph_market_lender_stats s;
    char *lender;
    i128 rate_x_amount, net_x_amount;
    reason_tally *codes; /* every code given, whole */
    size_t n_codes, cap_codes;
} lender_acc;

typedef struct report_build {
    const ph_ctx *ctx;
    lender_acc *acc;
    size_t n, cap;
} report_build;

static lender_acc *lender_of(report_build *b, const char *lender, ph_error *err)
{
    for (size_t i = 0; i < b->n; i++)
        if (strcmp(b->acc[i].lender, lender) == 0)
            return &b->acc[i];
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 8;
        lender_acc *grown = ph_realloc(b->ctx, b->acc, cap * sizeof(*grown));
        if (grown == NULL) {
            ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the report");
            return NULL;
        }
        b->acc = grown;
        b->cap = cap;
    }
    lender_acc *a = &b->acc[b->n];
    memset(a, 0, sizeof(*a));
    a->lender = ph_strdup(b->ctx, lender);
    if (a->lender == NULL) {
        ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the report");
        return NULL;
    }
    b->n++;
    return a;
}

static void acc_free(const ph_ctx *ctx, lender_acc *a)
{
    for (size_t i = 0; i < a->n_codes; i++)
        ph_free(ctx, a->codes[i].code);
    ph_free(ctx, a->codes);
    ph_free(ctx, a->lender);
}

/* Count `code` n more times. */
static ph_status count_code(const ph_ctx *ctx, lender_acc *a, const char *code, int64_t n,
                            ph_error *err)
{
    for (size_t i = 0; i < a->n_codes; i++)
        if (strcmp(a->codes[i].code, code) == 0) {
            a->codes[i].count += n;
            return PH_OK;
        }
    if (a->n_codes == a->cap_codes) {
        size_t cap = a->cap_codes ? 2 * a->cap_codes : 8;
        reason_tally *grown = ph_realloc(ctx, a->codes, cap * sizeof(*grown));
        if (grown == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the report");
        a->codes = grown;
        a->cap_codes = cap;
    }
    char *copy = ph_strdup(ctx, code);
    if (copy == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the report");
    a->codes[a->n_codes++] = (reason_tally){copy, n};
    return PH_OK;
}

static ph_status count_reasons(const ph_ctx *ctx, lender_acc *a, const char *json,
                               ph_error *err)
{
    json_t *arr = json_loads(json ? json : "[]", 0, NULL);
    size_t i;
    json_t *r;
    ph_status st = PH_OK;
    json_array_foreach(arr, i, r) {
        const char *code = json_string_value(json_object_get(r, "code"));
        if (code != NULL && st == PH_OK)
            st = count_code(ctx, a, code, 1, err);
    }
    json_decref(arr);
    return st;
}

/* The served decisions of the period, one row each. */
static ph_status read_decisions(ph_store *store, report_build *b, ph_date from, ph_date to,
                                ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT d.lender, d.approved, d.offer_fen, d.rate, d.net_apr, a.guarantor, "
        "json_extract(a.facts, '$.first_loan'), d.role, d.reasons FROM decision d "
        "JOIN application a ON a.id = d.application_id WHERE d.served = 1 AND a.asof "
        "BETWEEN ?1 AND ?2 ORDER BY d.id",
        &stmt, err);
    if (st == PH_OK)
        st = market_bind_period(stmt, 1, from, to, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        lender_acc *a = lender_of(b, ph_stmt_column_text(stmt, 0), err);
        if (a == NULL) {
            st = PH_ENOMEM;
            break;
        }
        a->s.asked++;
        a->s.challenger += strcmp(ph_stmt_column_text(stmt, 7), "challenger") == 0;
        if (!ph_stmt_column_int64(stmt, 1)) {
            st = count_reasons(b->ctx, a, ph_stmt_column_text(stmt, 8), err);
            continue;
        }
        int64_t offer = ph_stmt_column_int64(stmt, 2);
        a->s.approved++;
        a->s.offered += offer;
        a->rate_x_amount += (i128)ph_stmt_column_int64(stmt, 3) * offer;
        a->net_x_amount += (i128)ph_stmt_column_int64(stmt, 4) * offer;
        a->s.credit_offers += ph_stmt_column_int64(stmt, 5) == 0;
        a->s.first_time += ph_stmt_column_int64(stmt, 6) == 1;
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* Applications, those with an offer, and per lender the ones it was not asked. */
static ph_status read_applications(ph_store *store, report_build *b, ph_market_report *r,
                                   ph_date from, ph_date to, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT a.not_asked, EXISTS (SELECT 1 FROM decision d WHERE d.application_id = a.id "
        "AND d.served = 1 AND d.approved = 1) FROM application a WHERE a.asof BETWEEN ?1 AND ?2",
        &stmt, err);
    if (st == PH_OK)
        st = market_bind_period(stmt, 1, from, to, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        r->applications++;
        r->with_offer += ph_stmt_column_int64(stmt, 1) != 0;
        json_t *arr = json_loads(ph_stmt_column_text(stmt, 0), 0, NULL);
        size_t i;
        json_t *o;
        json_array_foreach(arr, i, o) {
            const char *lender = json_string_value(json_object_get(o, "lender"));
            lender_acc *a = lender ? lender_of(b, lender, err) : NULL;
            if (a != NULL)
                a->s.not_asked++;
            else if (lender != NULL)
                st = PH_ENOMEM;
        }
        json_decref(arr);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* Distinct firms per lender among the applications it decided (served
 * decisions), and among every application of the period: the cell sizes the
 * server checks against PH_MARKET_MIN_FIRMS before it shows a row. */
static ph_status read_firms(ph_store *store, report_build *b, ph_market_report *r, ph_date from,
                            ph_date to, ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(
        store,
        "SELECT d.lender, COUNT(DISTINCT a.uscc) FROM decision d JOIN application a ON a.id = "
        "d.application_id WHERE d.served = 1 AND a.asof BETWEEN ?1 AND ?2 GROUP BY d.lender",
        &stmt, err);
    if (st == PH_OK)
        st = market_bind_period(stmt, 1, from, to, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        lender_acc *a = lender_of(b, ph_stmt_column_text(stmt, 0), err);
        if (a == NULL)
            st = PH_ENOMEM;
        else
            a->s.firms = ph_stmt_column_int64(stmt, 1);
    }
    ph_stmt_free(stmt);
    if (st != PH_DONE)
        return st;
    stmt = NULL;
    st = ph_store_prepare(store,
                          "SELECT COUNT(DISTINCT a.uscc) FROM application a WHERE a.asof "
                          "BETWEEN ?1 AND ?2",
                          &stmt, err);
    if (st == PH_OK)
        st = market_bind_period(stmt, 1, from, to, err);
    if (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK)
        r->firms = ph_stmt_column_int64(stmt, 0);
    ph_stmt_free(stmt);
    return st == PH_OK || st == PH_DONE ? PH_OK : st;
}

static ph_rate weighted(i128 sum, ph_money amount)
{
    if (amount <= 0)
        return 0;
    i128 q = sum / amount, rem = sum % amount;
    if (2 * rem > amount || (2 * rem == amount && (q & 1)))
        q++; /* half-even */
    return (ph_rate)q;
}

/* The top reasons of an accumulator: indexes into a->codes, most first. */
static size_t top_reasons(lender_acc *a, size_t top[PH_MARKET_REPORT_REASONS])
{
    size_t n = 0;
    for (size_t k = 0; k < PH_MARKET_REPORT_REASONS; k++) {
        size_t best = a->n_codes;
        for (size_t i = 0; i < a->n_codes; i++)
            if (a->codes[i].count > 0 &&
                (best == a->n_codes || a->codes[i].count > a->codes[best].count))
                best = i;
        if (best == a->n_codes)
            break;
        top[n++] = best;
        a->codes[best].count = -a->codes[best].count; /* taken; restored below */
    }
    for (size_t i = 0; i < a->n_codes; i++)
        if (a->codes[i].count < 0)
            a->codes[i].count = -a->codes[i].count;
    return n;
}

/* Fold every lender into the total (the last entry). */
static ph_status total(const ph_ctx *ctx, report_build *b, lender_acc *t, ph_error *err)
{
    memset(t, 0, sizeof(*t));
    ph_status st = PH_OK;
    for (size_t i = 0; i < b->n; i++) {
        lender_acc *a = &b->acc[i];
        t->s.asked += a->s.asked;
        t->s.not_asked += a->s.not_asked;
        t->s.approved += a->s.approved;
        t->s.offered += a->s.offered;
        t->s.credit_offers += a->s.credit_offers;
        t->s.first_time += a->s.first_time;
        t->s.challenger += a->s.challenger;
        t->rate_x_amount += a->rate_x_amount;
        t->net_x_amount += a->net_x_amount;
        for (size_t k = 0; st == PH_OK && k < a->n_codes; k++)
            st = count_code(ctx, t, a->codes[k].code, a->codes[k].count, err);
    }
    return st;
}

/* The stats of one accumulator, with strings the report owns. */
static ph_status finish_stats(ph_store *store, lender_acc *a, const char *lender,
                              const char *name, ph_market_lender_stats *out, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    *out = a->s;
    out->avg_rate = weighted(a->rate_x_amount, a->s.offered);
    out->avg_net_apr = weighted(a->net_x_amount, a->s.offered);
    out->lender = ph_strdup(ctx, lender);
    if (name != NULL) {
        out->lender_name = ph_strdup(ctx, name);
    } else {
        char *registered = NULL;
        ph_status st = market_institution_name(store, lender, &registered, err);
        out->lender_name = registered;
        if (st != PH_OK)
            return st;
    }
    size_t top[PH_MARKET_REPORT_REASONS];
    out->n_reasons = top_reasons(a, top);
    int bad = out->lender == NULL || out->lender_name == NULL;
    for (size_t k = 0; k < out->n_reasons; k++) {
        out->reason_code[k] = ph_strdup(ctx, a->codes[top[k]].code);
        out->reason_count[k] = a->codes[top[k]].count;
        bad |= out->reason_code[k] == NULL;
    }
    return bad ? ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the report")
               : PH_OK;
}

static int by_lender(const void *x, const void *y)
{
    return strcmp(((const lender_acc *)x)->lender, ((const lender_acc *)y)->lender);
}

ph_status ph_market_report_build(ph_store *store, ph_date from, ph_date to,
                                 ph_market_report **out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_report_build: NULL argument");
    ph_status st = market_check_schema(store, err);
    if (st != PH_OK)
        return st;
    const ph_ctx *ctx = ph_store_ctx(store);
    report_build b = {ctx, NULL, 0, 0};
    ph_market_report *r = ph_calloc(ctx, 1, sizeof(*r));
    if (r == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the report");
    r->ctx = ctx;
    st = read_decisions(store, &b, from, to, err);
    if (st == PH_OK)
        st = read_applications(store, &b, r, from, to, err);
    if (st == PH_OK)
        st = read_firms(store, &b, r, from, to, err);
    lender_acc *t = st == PH_OK ? ph_calloc(ctx, 1, sizeof(*t)) : NULL;
    if (st == PH_OK && t == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the report");
    if (st == PH_OK)
        r->lenders = ph_calloc(ctx, b.n + 1, sizeof(ph_market_lender_stats));
    if (st == PH_OK && r->lenders == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the report");
    if (st == PH_OK) {
        if (b.n > 1) /* qsort's base must not be NULL, even for no lender (an empty period) */
            qsort(b.acc, b.n, sizeof(lender_acc), by_lender);
        r->n_lenders = b.n; /* the total is lenders[n]: freed with them */
        st = total(ctx, &b, t, err);
        t->s.firms = r->firms;
        for (size_t i = 0; st == PH_OK && i <= b.n; i++) {
            lender_acc *a = i < b.n ? &b.acc[i] : t;
            st = finish_stats(store, a, i < b.n ? a->lender : "",
                              i < b.n ? NULL : "all lenders", &r->lenders[i], err);
        }
    }
    if (t != NULL)
        acc_free(ctx, t);
    ph_free(ctx, t);
    for (size_t i = 0; i < b.n; i++)
        acc_free(ctx, &b.acc[i]);
    ph_free(ctx, b.acc);
    if (st != PH_OK) {
        ph_market_report_free(r);
        return st;
    }
    *out = r;
    return PH_OK;
}

void ph_market_report_free(ph_market_report *r)
{
    if (r == NULL)
        return;
    for (size_t i = 0; r->lenders != NULL && i <= r->n_lenders; i++) {
        ph_market_lender_stats *s = &r->lenders[i];
        ph_free(r->ctx, (void *)(uintptr_t)s->lender);
        ph_free(r->ctx, (void *)(uintptr_t)s->lender_name);
        for (size_t k = 0; k < s->n_reasons; k++)
            ph_free(r->ctx, (void *)(uintptr_t)s->reason_code[k]);
    }
    ph_free(r->ctx, r->lenders);
    ph_free(r->ctx, r);
}
