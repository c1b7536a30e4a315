/*
 * The one-year loan prime rate by date, the `lpr` table: recorded from a
 * day on, never replaced, and read as the rate in force on a day.
 */
#include "market_internal.h"

#include <stdio.h>
#include <string.h>

ph_status ph_market_set_lpr(ph_store *store, ph_date from, ph_rate lpr, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_set_lpr: NULL store");
    char day[11], rate[32], now[PH_UTC_MAX];
    ph_status st = market_check_schema(store, err);
    if (st == PH_OK)
        st = ph_date_format(from, day, sizeof(day), err);
    if (st == PH_OK && (lpr <= 0 || lpr > 20 * PH_RATE_PERCENT)) {
        snprintf(rate, sizeof(rate), "%lld", (long long)lpr);
        st = ph_error_set(err, PH_EINVAL, "lpr", rate, "expected a rate above 0 and at most 20%%");
    }
    if (st == PH_OK)
        st = ph_rate_format_percent(lpr, rate, sizeof(rate), err);
    if (st == PH_OK)
        st = market_begin_write(store, now, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, "INSERT OR IGNORE INTO lpr (effective_on, rate, set_at) "
                                 "VALUES (?, ?, ?)", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, rate, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_store_changes(store) == 1
                 ? PH_OK
                 : ph_error_set(err, PH_EEXISTS, "from", day,
                                "an LPR is recorded from that day already; rates are never "
                                "replaced, record the next one from a later day");
    ph_stmt_free(stmt);
    return market_finish(store, st, err);
}

ph_status ph_market_lpr(ph_store *store, ph_date on, ph_rate *out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_lpr: NULL argument");
    char day[11];
    ph_status st = market_check_schema(store, err);
    if (st == PH_OK)
        st = ph_date_format(on, day, sizeof(day), err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, "SELECT rate FROM lpr WHERE effective_on <= ? "
                                     "ORDER BY effective_on DESC LIMIT 1", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, day, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "lpr", day,
                          "no LPR in force on that day; record one with `puhui market lpr "
                          "RATE --from DATE`");
    else if (st == PH_OK) {
        const char *text = ph_stmt_column_text(stmt, 0);
        st = ph_rate_parse_percent(text, strlen(text), out, err);
    }
    ph_stmt_free(stmt);
    return st;
}
