/*
 * A firm's registration as the platform knew it on a day: the one
 * point-in-time read that the market's facts, the profile and anyone else
 * reading a single firm's registration use (enterprise.h).
 *
 * The firm's versions are few (the current row and what corrections
 * superseded), so all of them are read through the uscc key and the rule of
 * schema.h picks the one that holds on the day.
 */
#include <stdio.h>
#include <string.h>

#include "puhui/enterprise.h"
#include "puhui/feed.h"
#include "puhui/schema.h"

/* The current row first, then the superseded versions; the last column is
 * NULL for the current row. */
static const char VERSIONS_SQL[] =
    "SELECT name, entity_type, region_code, industry_code, registered_on, size_class, status, "
    "status_date, known_on, NULL FROM feed_registration WHERE uscc = ?1 UNION ALL "
    "SELECT name, entity_type, region_code, industry_code, registered_on, size_class, status, "
    "status_date, known_on, superseded_on FROM feed_registration_history WHERE uscc = ?1";

enum { COL_NAME, COL_ENTITY, COL_REGION, COL_INDUSTRY, COL_REGISTERED, COL_SIZE, COL_STATUS,
       COL_STATUS_DATE, COL_KNOWN, COL_SUPERSEDED };

static ph_status column_date(ph_stmt *stmt, int col, ph_date *out, ph_error *err)
{
    *out = 0;
    const char *s = ph_stmt_column_text(stmt, col);
    if (s == NULL)
        return PH_OK;
    ph_status st = ph_date_parse(s, strlen(s), out, err);
    if (st != PH_OK)
        ph_error_set(err, PH_EINVAL, ph_stmt_column_name(stmt, col), s,
                     "expected a date YYYY-MM-DD in table feed_registration");
    return st == PH_OK ? PH_OK : PH_EINVAL;
}

/* A text column into a field; NULL is "". */
static ph_status column_text(ph_stmt *stmt, int col, char *buf, size_t size, ph_error *err)
{
    const char *s = ph_stmt_column_text(stmt, col);
    size_t len = s ? strlen(s) : 0;
    if (len >= size)
        return ph_error_set(err, PH_ERANGE, ph_stmt_column_name(stmt, col), s,
                            "expected at most %zu bytes in table feed_registration", size - 1);
    memcpy(buf, s ? s : "", len + 1);
    return PH_OK;
}

static ph_status read_version(ph_stmt *stmt, ph_registration *r, ph_error *err)
{
    ph_status st = column_text(stmt, COL_NAME, r->name, sizeof(r->name), err);
    if (st == PH_OK)
        st = column_text(stmt, COL_ENTITY, r->entity_type, sizeof(r->entity_type), err);
    if (st == PH_OK)
        st = column_text(stmt, COL_INDUSTRY, r->industry_code, sizeof(r->industry_code), err);
    if (st == PH_OK)
        st = column_text(stmt, COL_SIZE, r->size_class, sizeof(r->size_class), err);
    if (st == PH_OK)
        st = column_text(stmt, COL_STATUS, r->status, sizeof(r->status), err);
    if (st == PH_OK)
        st = column_date(stmt, COL_REGISTERED, &r->registered_on, err);
    if (st == PH_OK)
        st = column_date(stmt, COL_STATUS_DATE, &r->status_date, err);
    r->region_code = (int)ph_stmt_column_int64(stmt, COL_REGION);
    return st;
}

ph_status ph_registration_asof(ph_store *store, const char *uscc, ph_date asof,
                               ph_registration *out, ph_error *err)
{
    if (store == NULL || uscc == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_registration_asof: store, uscc and out must not be NULL");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, VERSIONS_SQL, &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, uscc, -1, err);
    int found = 0;
    ph_registration best;
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_date known, superseded = 0;
        int history = !ph_stmt_column_is_null(stmt, COL_SUPERSEDED);
        st = column_date(stmt, COL_KNOWN, &known, err);
        if (st == PH_OK && history)
            st = column_date(stmt, COL_SUPERSEDED, &superseded, err);
        if (st != PH_OK)
            break;
        ph_version_span span = ph_schema_version_span(known, history, superseded);
        if (!ph_schema_version_holds(span, asof) || (found && known <= best.known_on))
            continue;
        st = read_version(stmt, &best, err);
        best.known_on = known;
        found = 1;
    }
    ph_stmt_free(stmt);
    if (st != PH_DONE)
        return st;
    if (!found) {
        char day[PH_DATE_FORMAT_MAX] = "";
        (void)ph_date_format(asof, day, sizeof(day), NULL);
        return ph_error_set(err, PH_ENOTFOUND, "enterprise", uscc,
                            "expected an enterprise registered with the platform by %s", day);
    }
    /* A status counts from the day it took effect, as the features count
     * it (status_abnormal): before that the firm was operating. */
    if (best.status_date > asof) {
        snprintf(best.status, sizeof(best.status), "%s", ph_business_status_name(PH_BUSINESS_ACTIVE));
        best.status_date = 0;
    }
    snprintf(best.uscc, sizeof(best.uscc), "%s", uscc);
    *out = best;
    return PH_OK;
}
