/*
 * Applications and decisions read back as stored, for the API and the
 * console: one row by id, or a lender's queue and a firm's history a page at
 * a time. Pages are keyset pages (ids below the last one seen), so a page
 * costs the same however deep it is and a decision stored meanwhile never
 * shifts the next page.
 */
#include "market_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "json/json_internal.h"

static void id_text(char *buf, size_t size, int64_t id)
{
    snprintf(buf, size, "%lld", (long long)id);
}

/* ---- applications ---------------------------------------------------------------------- */

ph_status ph_market_application_get(ph_store *store, int64_t application_id,
                                    ph_market_application_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_application_get: NULL store or fn");
    ph_status st = market_check_schema(store, err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT id, uscc, amount_fen, term, purpose, guarantor, asof, "
                              "created_at FROM application WHERE id = ?",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, application_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE) {
        char v[24];
        id_text(v, sizeof(v), application_id);
        st = ph_error_set(err, PH_ENOTFOUND, "application", v, "no application %s", v);
    }
    ph_market_application a;
    memset(&a, 0, sizeof(a));
    if (st == PH_OK) {
        a.id = ph_stmt_column_int64(s, 0);
        a.uscc = ph_stmt_column_text(s, 1);
        a.amount = ph_stmt_column_int64(s, 2);
        a.term = ph_stmt_column_int64(s, 3);
        a.purpose = ph_stmt_column_text(s, 4);
        a.guarantor = (int)ph_stmt_column_int64(s, 5);
        a.created_at = ph_stmt_column_text(s, 7);
        const char *asof = ph_stmt_column_text(s, 6);
        st = ph_date_parse(asof, strlen(asof), &a.asof, err);
        if (st != PH_OK)
            st = ph_error_set(err, PH_ESCHEMA, "asof", asof,
                              "application %lld has a stored as-of date that is not a date",
                              (long long)application_id);
    }
    if (st == PH_OK)
        st = fn(user, &a, err);
    ph_stmt_free(s);
    return st;
}

/* ---- decisions ----------------------------------------------------------------------------- */

/* The columns every decision read selects, in the order row_read reads them. */
#define DECISION_COLUMNS                                                                        \
    "SELECT d.id, d.application_id, a.uscc, d.lender, d.policy_name, d.policy_version, "       \
    "d.role, d.served, d.approved, d.limit_fen, d.rate, d.offer_fen, d.apr, d.net_apr, "      \
    "d.score, d.pd, coalesce(d.model, ''), coalesce(d.model_version, 0), a.asof, "             \
    "d.decided_at"
#define DECISION_FROM " FROM decision d JOIN application a ON a.id = d.application_id"

static int64_t int_or_zero(ph_stmt *s, int col, int *present)
{
    int there = !ph_stmt_column_is_null(s, col);
    if (present != NULL)
        *present = there;
    return there ? ph_stmt_column_int64(s, col) : 0;
}

static ph_status row_read(ph_stmt *s, ph_market_decision *d, ph_error *err)
{
    memset(d, 0, sizeof(*d));
    d->id = ph_stmt_column_int64(s, 0);
    d->application_id = ph_stmt_column_int64(s, 1);
    d->uscc = ph_stmt_column_text(s, 2);
    d->lender = ph_stmt_column_text(s, 3);
    d->policy = ph_stmt_column_text(s, 4);
    d->policy_version = ph_stmt_column_int64(s, 5);
    d->role = ph_stmt_column_text(s, 6);
    d->served = (int)ph_stmt_column_int64(s, 7);
    d->approved = (int)ph_stmt_column_int64(s, 8);
    d->limit = int_or_zero(s, 9, &d->has_limit);
    d->rate = int_or_zero(s, 10, &d->has_rate);
    d->amount = int_or_zero(s, 11, NULL);
    d->apr = int_or_zero(s, 12, NULL);
    d->net_apr = int_or_zero(s, 13, NULL);
    d->score = ph_stmt_column_is_null(s, 14) ? NAN : ph_stmt_column_double(s, 14);
    d->pd = ph_stmt_column_is_null(s, 15) ? NAN : ph_stmt_column_double(s, 15);
    d->model = ph_stmt_column_text(s, 16);
    d->model_version = ph_stmt_column_int64(s, 17);
    d->decided_at = ph_stmt_column_text(s, 19);
    const char *asof = ph_stmt_column_text(s, 18);
    if (ph_date_parse(asof, strlen(asof), &d->asof, err) != PH_OK)
        return ph_error_set(err, PH_ESCHEMA, "asof", asof,
                            "decision %lld: its application's stored as-of date is not a date",
                            (long long)d->id);
    return PH_OK;
}

/* The stored reasons ([{"code":..,"text":..}], as decide.c writes them) into
 * out[], pointing into root (which the caller keeps until it is done). */
static ph_status reasons_read(int64_t id, const char *text, json_t **root, ph_quote_reason **out,
                              size_t *n, const ph_ctx *ctx, ph_error *err)
{
    char v[24];
    id_text(v, sizeof(v), id);
    *root = json_loads(text, 0, NULL);
    if (!json_is_array(*root))
        return ph_error_set(err, PH_ESCHEMA, "decision", v,
                            "the stored reasons are not a JSON array");
    size_t count = json_array_size(*root);
    if (count == 0)
        return PH_OK;
    *out = ph_malloc(ctx, count * sizeof(**out));
    if (*out == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for reasons");
    for (size_t i = 0; i < count; i++) {
        json_t *r = json_array_get(*root, i);
        const char *code = json_string_value(json_object_get(r, "code"));
        const char *words = json_string_value(json_object_get(r, "text"));
        if (code == NULL || words == NULL)
            return ph_error_set(err, PH_ESCHEMA, "decision", v,
                                "stored reason %zu has no code or text", i + 1);
        (*out)[i].code = code;
        (*out)[i].text = words;
    }
    *n = count;
    return PH_OK;
}

ph_status ph_market_decision_get(ph_store *store, int64_t decision_id, ph_market_decision_fn fn,
                                 void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_decision_get: NULL store or fn");
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_status st = market_check_schema(store, err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, DECISION_COLUMNS ", d.reasons" DECISION_FROM " WHERE d.id = ?", &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, decision_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE) {
        char v[24];
        id_text(v, sizeof(v), decision_id);
        st = ph_error_set(err, PH_ENOTFOUND, "decision", v, "no decision %s", v);
    }
    ph_market_decision d;
    json_t *root = NULL;
    ph_quote_reason *reasons = NULL;
    if (st == PH_OK)
        st = row_read(s, &d, err);
    if (st == PH_OK)
        st = reasons_read(decision_id, ph_stmt_column_text(s, 20), &root, &reasons,
                          &d.n_reasons, ctx, err);
    if (st == PH_OK) {
        d.reasons = reasons;
        st = fn(user, &d, err);
    }
    ph_free(ctx, reasons);
    json_decref(root);
    ph_stmt_free(s);
    return st;
}

static ph_status check_filter(const ph_market_decision_filter *f, ph_error *err)
{
    char v[24];
    if (f->limit < 0) {
        id_text(v, sizeof(v), f->limit);
        return ph_error_set(err, PH_EINVAL, "limit", v, "expected 0 (all) or more");
    }
    if (f->after < 0) {
        id_text(v, sizeof(v), f->after);
        return ph_error_set(err, PH_EINVAL, "after", v, "expected a decision id");
    }
    if (f->from != 0 && f->to != 0 && f->to < f->from) {
        char day[PH_DATE_FORMAT_MAX] = "";
        (void)ph_date_format(f->to, day, sizeof(day), NULL);
        return ph_error_set(err, PH_EINVAL, "to", day, "expected a date on or after from");
    }
    if (f->outcome != PH_DECISIONS_ANY && f->outcome != PH_DECISIONS_APPROVED &&
        f->outcome != PH_DECISIONS_DECLINED)
        return ph_error_set(err, PH_EINVAL, "approved", NULL, "expected any, approved or declined");
    return PH_OK;
}

ph_status ph_market_decisions_list(ph_store *store, const ph_market_decision_filter *filter,
                                   ph_market_decision_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_decisions_list: NULL store or fn");
    ph_market_decision_filter all;
    memset(&all, 0, sizeof(all));
    const ph_market_decision_filter *f = filter ? filter : &all;
    ph_status st = check_filter(f, err);
    if (st == PH_OK)
        st = market_check_schema(store, err);
    if (st != PH_OK)
        return st;

    /* Only the conditions asked for are written, so that the planner uses
     * the index of the one column given (an "?1 IS NULL OR ..." would hide
     * it). The fragments are constants: no caller text enters the SQL. */
    char sql[1024];
    size_t n = (size_t)snprintf(sql, sizeof(sql), "%s%s WHERE d.id > 0", DECISION_COLUMNS,
                              DECISION_FROM);
    if (f->lender != NULL)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, " AND d.lender = ?");
    if (f->uscc != NULL)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, " AND a.uscc = ?");
    if (f->application_id != 0)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, " AND d.application_id = ?");
    if (f->outcome != PH_DECISIONS_ANY)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, " AND d.approved = ?");
    if (f->served_only)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, " AND d.served = 1");
    if (f->from != 0 || f->to != 0)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, " AND a.asof BETWEEN ? AND ?");
    if (f->after != 0)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, " AND d.id < ?");
    n += (size_t)snprintf(sql + n, sizeof(sql) - n, " ORDER BY d.id DESC");
    if (f->limit != 0)
        (void)snprintf(sql + n, sizeof(sql) - n, " LIMIT ?");

    /* plain "?" bound in the order written: portable to PostgreSQL */
    ph_stmt *s = NULL;
    int i = 1;
    st = ph_store_prepare(store, sql, &s, err);
    if (st == PH_OK && f->lender != NULL)
        st = ph_stmt_bind_text(s, i++, f->lender, -1, err);
    if (st == PH_OK && f->uscc != NULL)
        st = ph_stmt_bind_text(s, i++, f->uscc, -1, err);
    if (st == PH_OK && f->application_id != 0)
        st = ph_stmt_bind_int64(s, i++, f->application_id, err);
    if (st == PH_OK && f->outcome != PH_DECISIONS_ANY)
        st = ph_stmt_bind_int64(s, i++, f->outcome == PH_DECISIONS_APPROVED, err);
    if (st == PH_OK && (f->from != 0 || f->to != 0)) {
        st = market_bind_period(s, i, f->from, f->to, err);
        i += 2;
    }
    if (st == PH_OK && f->after != 0)
        st = ph_stmt_bind_int64(s, i++, f->after, err);
    if (st == PH_OK && f->limit != 0)
        st = ph_stmt_bind_int64(s, i++, f->limit, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_market_decision d;
        st = row_read(s, &d, err);
        if (st == PH_OK)
            st = fn(user, &d, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}
