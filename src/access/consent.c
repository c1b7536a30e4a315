/*
 * Consent: grant, revoke, list. A consent row is never deleted: revocation
 * stamps revoked_at, so the history of what an enterprise allowed, and
 * when it stopped, stays readable for the enterprise and the regulator.
 */
#include <stdio.h>
#include <string.h>

#include "access/access_internal.h"
#include "puhui/enterprise.h"

ph_status access_abort(ph_store *store, ph_status st)
{
    (void)ph_store_rollback(store, NULL);
    return st;
}

ph_status access_check_registered(ph_store *store, const char *uscc,
                                  const char *institution_id, ph_error *err)
{
    int found = 1;
    ph_status st = uscc ? ph_enterprise_exists(store, uscc, &found, err) : PH_OK;
    if (st != PH_OK)
        return st;
    if (!found)
        return ph_error_set(err, PH_ENOTFOUND, "enterprise", uscc,
                            "expected an enterprise registered in the database (table "
                            "enterprise)");
    st = institution_id ? ph_institution_exists(store, institution_id, &found, err) : PH_OK;
    if (st != PH_OK)
        return st;
    if (!found)
        return ph_error_set(err, PH_ENOTFOUND, "institution", institution_id,
                            "expected an institution registered in the database (table "
                            "institution)");
    return PH_OK;
}

/* "2918346" as "2,918,346": day counts in errors are read by people. */
static void format_count(int64_t n, char *buf, size_t size)
{
    char digits[24];
    int len = snprintf(digits, sizeof(digits), "%lld", (long long)n);
    size_t used = 0;
    for (int i = 0; i < len && used + 2 < size; i++) {
        if (i > 0 && digits[i - 1] != '-' && (len - i) % 3 == 0)
            buf[used++] = ',';
        buf[used++] = digits[i];
    }
    buf[used] = '\0';
}

/* The limits of consent_limits.c: granted_on no earlier than
 * max_backdate_days before today nor later than max_ahead_days after it,
 * expires_on no later than max_days after granted_on. */
static ph_status check_limits(unsigned purpose, ph_date today, ph_date granted, ph_date expires,
                              ph_error *err)
{
    const ph_consent_limit *limit = ph_consent_limit_for(purpose);
    if (limit == NULL) {
        const char *name = ph_feed_purpose_name(purpose);
        char value[24];
        snprintf(value, sizeof(value), "%s", name != NULL ? name : "?");
        if (name == NULL)
            snprintf(value, sizeof(value), "0x%x", purpose);
        return ph_error_set(err, PH_EINVAL, "purpose", value,
                            "no grant limits are defined for purpose %s; add its row to "
                            "src/access/consent_limits.c (docs/consent.md#grant-limits)",
                            value);
    }
    char first[PH_DATE_FORMAT_MAX], last[PH_DATE_FORMAT_MAX], now[PH_DATE_FORMAT_MAX];
    char count[32];
    (void)ph_date_format(granted, first, sizeof(first), NULL);
    (void)ph_date_format(expires, last, sizeof(last), NULL);
    (void)ph_date_format(today, now, sizeof(now), NULL);
    if ((int64_t)today - granted > limit->max_backdate_days) {
        format_count((int64_t)today - granted, count, sizeof(count));
        return ph_error_set(err, PH_EINVAL, "granted_on", first,
                            "expected a date at most %d days before today %s: a consent may "
                            "be recorded at most %d days after it was given "
                            "(docs/consent.md#grant-limits); %s is %s days before today",
                            (int)limit->max_backdate_days, now,
                            (int)limit->max_backdate_days, first, count);
    }
    if ((int64_t)granted - today > limit->max_ahead_days) {
        format_count((int64_t)granted - today, count, sizeof(count));
        return ph_error_set(err, PH_EINVAL, "granted_on", first,
                            "expected a date at most %d days after today %s: a consent may "
                            "be recorded at most %d days before it begins "
                            "(docs/consent.md#grant-limits); %s is %s days after today",
                            (int)limit->max_ahead_days, now, (int)limit->max_ahead_days,
                            first, count);
    }
    if ((int64_t)expires - granted > limit->max_days) {
        format_count((int64_t)expires - granted, count, sizeof(count));
        return ph_error_set(err, PH_EINVAL, "expires_on", last,
                            "expected a date at most %d days after granted_on %s: a %s consent "
                            "may last at most %d days (docs/consent.md#grant-limits); %s is %s "
                            "days after it",
                            (int)limit->max_days, first, ph_purpose_title(purpose),
                            (int)limit->max_days, last, count);
    }
    return PH_OK;
}

/* Everything about the terms that can be checked without the database. */
static ph_status check_terms(const ph_ctx *ctx, const ph_consent_terms *t, ph_date *granted,
                             ph_date *expires, char *sources, size_t sources_size,
                             ph_error *err)
{
    ph_status st = access_check_purpose(t->purpose, err);
    if (st != PH_OK)
        return st;
    if (t->sources == 0)
        return ph_error_set(err, PH_EINVAL, "sources", NULL,
                            "expected at least one source (feed names, or all)");
    st = ph_source_set_format(t->sources, sources, sources_size, err);
    if (st != PH_OK)
        return st;
    ph_source_set unfit = t->sources & ~ph_source_set_for_purpose(t->purpose);
    if (unfit != 0) {
        /* name the first one through the parser, which explains the purposes */
        char names[PH_SOURCE_SET_FORMAT_MAX];
        ph_source_set ignored;
        st = ph_source_set_format(unfit, names, sizeof(names), err);
        if (st == PH_OK)
            st = ph_source_set_parse(names, t->purpose, &ignored, err);
        return st != PH_OK ? st : ph_error_set(err, PH_EINVAL, "sources", names,
                                               "expected sources used for %s",
                                               ph_purpose_title(t->purpose));
    }
    if (t->raw_access != 0 && t->raw_access != 1) {
        char value[24];
        snprintf(value, sizeof(value), "%d", t->raw_access);
        return ph_error_set(err, PH_EINVAL, "raw_access", value, "expected 0 or 1");
    }
    if (t->expires_on == 0)
        return ph_error_set(err, PH_EINVAL, "expires_on", NULL,
                            "expected the last day the consent is valid");
    ph_date today = 0;
    st = ph_ctx_today(ctx, &today, err);
    if (st == PH_OK)
        st = access_resolve_date(ctx, t->granted_on, granted, err);
    if (st == PH_OK)
        st = access_resolve_date(ctx, t->expires_on, expires, err);
    if (st != PH_OK)
        return st;
    if (*expires < *granted) {
        char from[PH_DATE_FORMAT_MAX], until[PH_DATE_FORMAT_MAX];
        (void)ph_date_format(*granted, from, sizeof(from), NULL);
        (void)ph_date_format(*expires, until, sizeof(until), NULL);
        return ph_error_set(err, PH_EINVAL, "expires_on", until,
                            "expected a date on or after granted_on %s", from);
    }
    return check_limits(t->purpose, today, *granted, *expires, err);
}

static ph_status insert_consent(ph_store *store, const ph_consent_terms *t, const char *sources,
                                ph_date granted, ph_date expires, int64_t *id, ph_error *err)
{
    char from[PH_DATE_FORMAT_MAX], until[PH_DATE_FORMAT_MAX], now[PH_UTC_MAX];
    ph_status st = ph_date_format(granted, from, sizeof(from), err);
    if (st == PH_OK)
        st = ph_date_format(expires, until, sizeof(until), err);
    if (st == PH_OK)
        st = ph_ctx_utc_now(ph_store_ctx(store), now, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store,
                          "INSERT INTO consent (uscc, institution_id, purpose, sources, "
                          "raw_access, granted_on, expires_on, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                          &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, t->uscc, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, t->institution_id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, ph_feed_purpose_name(t->purpose), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 4, sources, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 5, t->raw_access, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 6, from, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 7, until, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 8, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(stmt, id, err);
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_consent_grant(ph_store *store, const ph_consent_terms *terms, int64_t *id,
                           ph_error *err)
{
    if (store == NULL || terms == NULL || terms->uscc == NULL ||
        terms->institution_id == NULL || id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_consent_grant: store, terms, terms->uscc, "
                            "terms->institution_id and id must not be NULL");
    ph_date granted = 0, expires = 0;
    char sources[PH_SOURCE_SET_FORMAT_MAX];
    ph_status st = check_terms(ph_store_ctx(store), terms, &granted, &expires, sources,
                               sizeof(sources), err);
    if (st != PH_OK)
        return st;
    st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    int64_t new_id = 0;
    st = access_check_registered(store, terms->uscc, terms->institution_id, err);
    if (st == PH_OK)
        st = insert_consent(store, terms, sources, granted, expires, &new_id, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        return access_abort(store, st);
    *id = new_id;
    return PH_OK;
}

/* Stamp revoked_at on consent `id`, which must exist and be unrevoked. */
static ph_status revoke_one(ph_store *store, int64_t id, ph_error *err)
{
    char value[24];
    snprintf(value, sizeof(value), "%lld", (long long)id);
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT revoked_at FROM consent WHERE id = ?", &stmt,
                                    err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "id", value,
                          "expected the id of a consent; there is no consent %s", value);
    else if (st == PH_OK && !ph_stmt_column_is_null(stmt, 0))
        st = ph_error_set(err, PH_EINVAL, "id", value,
                          "expected a consent not yet revoked; consent %s was revoked at %s",
                          value, ph_stmt_column_text(stmt, 0));
    ph_stmt_free(stmt);
    if (st != PH_OK)
        return st;
    char now[PH_UTC_MAX];
    st = ph_ctx_utc_now(ph_store_ctx(store), now, err);
    if (st == PH_OK)
        st = ph_store_prepare(store, "UPDATE consent SET revoked_at = ? WHERE id = ?", &stmt,
                              err);
    if (st == PH_OK) {
        st = ph_stmt_bind_text(stmt, 1, now, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 2, id, err);
        if (st == PH_OK)
            st = ph_stmt_step(stmt, err);
        ph_stmt_free(stmt);
    }
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_consent_revoke(ph_store *store, int64_t id, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_consent_revoke: store must not be NULL");
    ph_status st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = revoke_one(store, id, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    return st == PH_OK ? PH_OK : access_abort(store, st);
}

ph_status ph_consent_revoke_matching(ph_store *store, const char *uscc,
                                     const char *institution_id, unsigned purpose,
                                     int64_t *revoked, ph_error *err)
{
    if (store == NULL || uscc == NULL || institution_id == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_consent_revoke_matching: store, uscc and institution_id must "
                            "not be NULL");
    ph_status st = access_check_purpose(purpose, err);
    if (st != PH_OK)
        return st;
    char now[PH_UTC_MAX];
    st = ph_ctx_utc_now(ph_store_ctx(store), now, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store,
                          "UPDATE consent SET revoked_at = ? WHERE uscc = ? AND "
                          "institution_id = ? AND purpose = ? AND revoked_at IS NULL",
                          &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, uscc, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, institution_id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 4, ph_feed_purpose_name(purpose), -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    int64_t count = st == PH_DONE ? ph_store_changes(store) : 0;
    if (st == PH_DONE && count == 0)
        st = ph_error_set(err, PH_ENOTFOUND, "consent", NULL,
                          "expected a consent not yet revoked from %s to institution %s for "
                          "%s; there is none",
                          uscc, institution_id, ph_purpose_title(purpose));
    else if (st == PH_DONE)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        return access_abort(store, st);
    if (revoked != NULL)
        *revoked = count;
    return PH_OK;
}

/* --- listing ------------------------------------------------------------------ */

static ph_status report_row(ph_stmt *stmt, ph_consent_fn fn, void *user, ph_error *err)
{
    ph_consent c;
    memset(&c, 0, sizeof(c));
    c.id = ph_stmt_column_int64(stmt, 0);
    c.uscc = ph_stmt_column_text(stmt, 1);
    c.institution_id = ph_stmt_column_text(stmt, 2);
    const char *purpose = ph_stmt_column_text(stmt, 3);
    ph_status st = ph_purpose_parse(purpose ? purpose : "", &c.purpose, err);
    c.sources = access_sources_from_text(ph_stmt_column_text(stmt, 4));
    c.raw_access = ph_stmt_column_int64(stmt, 5) != 0;
    const char *from = ph_stmt_column_text(stmt, 6), *until = ph_stmt_column_text(stmt, 7);
    if (st == PH_OK)
        st = ph_date_parse(from ? from : "", from ? strlen(from) : 0, &c.granted_on, err);
    if (st == PH_OK)
        st = ph_date_parse(until ? until : "", until ? strlen(until) : 0, &c.expires_on, err);
    if (st != PH_OK) {
        char where[48];
        snprintf(where, sizeof(where), "consent %lld", (long long)c.id);
        ph_error_locate(err, where, 0, 0);
        return st;
    }
    c.created_at = ph_stmt_column_text(stmt, 8);
    c.revoked_at = ph_stmt_column_text(stmt, 9);
    return fn(user, &c, err);
}

ph_status ph_consent_list(ph_store *store, const ph_consent_filter *filter, ph_consent_fn fn,
                          void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_consent_list: store and fn must not be NULL");
    ph_consent_filter all;
    memset(&all, 0, sizeof(all));
    const ph_consent_filter *f = filter ? filter : &all;
    const char *purpose = NULL;
    if (f->purpose != 0 && (purpose = ph_feed_purpose_name(f->purpose)) == NULL) {
        char v[24];
        snprintf(v, sizeof(v), "%u", f->purpose);
        return ph_error_set(err, PH_EINVAL, "purpose", v,
                            "expected 0 (every purpose) or one purpose bit");
    }
    char asof[PH_DATE_FORMAT_MAX] = "";
    if (f->live_only) {
        /* live today, by the wall clock: the gate's rule (gate.c) */
        ph_date day = 0;
        ph_status st = ph_ctx_today(ph_store_ctx(store), &day, err);
        if (st == PH_OK)
            st = ph_date_format(day, asof, sizeof(asof), err);
        if (st != PH_OK)
            return st;
    }
    char sql[512];
    snprintf(sql, sizeof(sql),
             "SELECT id, uscc, institution_id, purpose, sources, raw_access, granted_on, "
             "expires_on, created_at, revoked_at FROM consent WHERE 1 = 1%s%s%s%s%s ORDER BY id",
             f->id ? " AND id = ?" : "", f->uscc ? " AND uscc = ?" : "", f->institution_id ? " AND institution_id = ?" : "",
             purpose ? " AND purpose = ?" : "",
             f->live_only ? " AND revoked_at IS NULL AND granted_on <= ? AND expires_on >= ?"
                          : "");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, sql, &stmt, err);
    int param = 1;
    if (st == PH_OK && f->id)
        st = ph_stmt_bind_int64(stmt, param++, f->id, err);
    if (st == PH_OK && f->uscc)
        st = ph_stmt_bind_text(stmt, param++, f->uscc, -1, err);
    if (st == PH_OK && f->institution_id)
        st = ph_stmt_bind_text(stmt, param++, f->institution_id, -1, err);
    if (st == PH_OK && purpose)
        st = ph_stmt_bind_text(stmt, param++, purpose, -1, err);
    if (st == PH_OK && f->live_only) {
        st = ph_stmt_bind_text(stmt, param++, asof, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, param++, asof, -1, err);
    }
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK)
        st = report_row(stmt, fn, user, err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}
