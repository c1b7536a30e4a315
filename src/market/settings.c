/*
 * Market settings kept in the store: the LPR by date, the subsidy programme
 * in force, the challenger routes; and the checks of an application's own
 * fields.
 */
#include "market_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "puhui/enterprise.h"
#include "puhui/governance.h"
#include "puhui/policy_store.h"
#include "puhui/uscc.h"

ph_status market_check_schema(ph_store *store, ph_error *err)
{
    int version = 0;
    ph_status st = ph_store_schema_version(store, &version, err);
    if (st == PH_OK && version < MARKET_SCHEMA)
        st = ph_error_set(err, PH_ESCHEMA, "schema_version", NULL,
                          "the marketplace needs schema version %d or later, the database "
                          "has %d; run `puhui init`",
                          MARKET_SCHEMA, version);
    return st;
}

ph_status market_bind_period(ph_stmt *stmt, int first, ph_date from, ph_date to,
                             ph_error *err)
{
    char a[PH_DATE_FORMAT_MAX] = "0000-01-01", b[PH_DATE_FORMAT_MAX] = "9999-12-31";
    ph_status st = from ? ph_date_format(from, a, sizeof(a), err) : PH_OK;
    if (st == PH_OK && to)
        st = ph_date_format(to, b, sizeof(b), err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, first, a, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, first + 1, b, -1, err);
    return st;
}

void market_institution_name(ph_store *store, const char *id, char *buf, size_t size)
{
    /* the id stands in for a name that cannot be read or does not fit */
    if (ph_institution_name(store, id, buf, size, NULL) != PH_OK)
        snprintf(buf, size, "%s", id);
}

/* ---- the application's own fields --------------------------------------------------- */

static const char *const PURPOSES[] = {"working_capital", "equipment", "trade",
                                       "expansion", "agriculture", "green_upgrade", NULL};

const char *ph_application_purpose(size_t i)
{
    return i < sizeof(PURPOSES) / sizeof(PURPOSES[0]) ? PURPOSES[i] : NULL;
}

#define MAX_AMOUNT_FEN ((ph_money)100000000 * PH_FEN_PER_YUAN)

ph_status ph_application_check(const ph_application *app, ph_error *err)
{
    if (app == NULL || app->uscc == NULL || app->purpose == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_application_check: NULL application, uscc or purpose");
    ph_status st = ph_uscc_validate(app->uscc, strlen(app->uscc), err);
    if (st != PH_OK)
        return st;
    if (app->amount <= 0 || app->amount > MAX_AMOUNT_FEN) {
        char buf[PH_MONEY_FORMAT_MAX];
        if (ph_money_format(app->amount, 0, buf, sizeof(buf), NULL) != PH_OK)
            buf[0] = '\0';
        return ph_error_set(err, PH_EINVAL, "amount", buf,
                            "expected an amount above 0 and at most 100,000,000.00 yuan");
    }
    if (app->term < 1 || app->term > 360) {
        char buf[24];
        snprintf(buf, sizeof(buf), "%lld", (long long)app->term);
        return ph_error_set(err, PH_EINVAL, "term", buf, "expected 1 to 360 months");
    }
    if (app->guarantor != 0 && app->guarantor != 1)
        return ph_error_set(err, PH_EINVAL, "guarantor", NULL, "expected 0 or 1");
    for (size_t i = 0; PURPOSES[i]; i++)
        if (strcmp(PURPOSES[i], app->purpose) == 0)
            return PH_OK;
    return ph_error_set(err, PH_EINVAL, "purpose", app->purpose,
                        "expected one of working_capital, equipment, trade, expansion, "
                        "agriculture, green_upgrade");
}

/* ---- LPR ------------------------------------------------------------------------------ */

ph_status market_finish(ph_store *store, ph_status st, ph_error *err)
{
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        (void)ph_store_rollback(store, NULL);
    return st;
}

ph_status market_finish_unit(ph_store *store, ph_status st, ph_error *err)
{
    /* ph_store_rollback would undo only a savepoint left open inside the
     * unit and keep the unit's transaction (and its write lock) open */
    ph_status end = ph_store_end_unit(store, st == PH_OK, st == PH_OK ? err : NULL);
    return st != PH_OK ? st : end;
}

ph_status market_last_id(ph_store *store, const char *table, int64_t *id, ph_error *err)
{
    char sql[64];
    snprintf(sql, sizeof(sql), "SELECT max(id) FROM %s", table);
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, sql, &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK)
        *id = ph_stmt_column_int64(stmt, 0);
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_market_set_lpr(ph_store *store, ph_date from, ph_rate lpr, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_market_set_lpr: NULL store");
    char day[11], rate[32], now[24];
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
        st = ph_utc_now(now, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
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

/* ---- the subsidy programme ---------------------------------------------------------------- */

ph_status ph_market_load_subsidy(ph_store *store, const char *path, int64_t *id, ph_error *err)
{
    if (store == NULL || path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_load_subsidy: NULL store or path");
    const ph_ctx *ctx = ph_store_ctx(store);
    char *data = NULL, sum[PH_REGISTRY_CHECKSUM_HEX], now[24];
    size_t len = 0;
    ph_subsidy_programme *prog = NULL;
    ph_status st = market_check_schema(store, err);
    if (st == PH_OK)
        st = ph_read_file(ctx, path, "subsidy programme", &data, &len, err);
    if (st == PH_OK)
        st = ph_subsidy_programme_load_text(ctx, data, len, path, &prog, err);
    if (st == PH_OK)
        st = ph_utc_now(now, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK) {
        ph_free(ctx, data);
        ph_subsidy_programme_free(prog);
        return st;
    }
    ph_registry_checksum(data, len, sum);
    const char *slash = strrchr(path, '/');
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, "SELECT id, checksum FROM subsidy_programme WHERE name = ? "
                                 "AND version = ?", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, ph_subsidy_programme_name(prog), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, ph_subsidy_programme_version(prog), err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    int64_t got = 0;
    if (st == PH_OK) {
        got = ph_stmt_column_int64(stmt, 0);
        if (strcmp(ph_stmt_column_text(stmt, 1), sum) != 0)
            st = ph_error_set(err, PH_EEXISTS, "version", NULL,
                              "subsidy programme '%s' version %lld is loaded already with "
                              "other contents; give the new document a new version",
                              ph_subsidy_programme_name(prog),
                              (long long)ph_subsidy_programme_version(prog));
    } else if (st == PH_DONE) {
        ph_stmt_free(stmt);
        stmt = NULL;
        st = ph_store_prepare(store, "INSERT INTO subsidy_programme (name, version, checksum, "
                                     "document, file, loaded_at) VALUES (?, ?, ?, ?, ?, ?)",
                              &stmt, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 1, ph_subsidy_programme_name(prog), -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 2, ph_subsidy_programme_version(prog), err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 3, sum, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_blob(stmt, 4, data, len, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 5, slash ? slash + 1 : path, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 6, now, -1, err);
        if (st == PH_OK)
            st = ph_stmt_step(stmt, err);
        if (st == PH_DONE)
            st = market_last_id(store, "subsidy_programme", &got, err);
    }
    ph_stmt_free(stmt);
    st = market_finish(store, st, err);
    ph_free(ctx, data);
    ph_subsidy_programme_free(prog);
    if (st == PH_OK && id != NULL)
        *id = got;
    return st;
}

/* ---- challengers ------------------------------------------------------------------------- */

ph_status ph_market_set_challenger(ph_store *store, const char *lender, const char *name,
                                   int64_t version, int64_t share_bp, ph_error *err)
{
    if (store == NULL || lender == NULL || name == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_set_challenger: NULL store, lender or name");
    if (share_bp < 0 || share_bp > 10000) {
        char buf[24];
        snprintf(buf, sizeof(buf), "%lld", (long long)share_bp);
        return ph_error_set(err, PH_EINVAL, "share", buf,
                            "expected a share of 0 to 10000 basis points (0 removes the "
                            "challenger)");
    }
    ph_status st = market_check_schema(store, err);
    ph_policy_entry *entry = NULL;
    if (st == PH_OK && share_bp > 0) {
        st = ph_policy_store_get(store, lender, name, version, NULL, &entry, err);
        if (st == PH_OK && entry->active)
            st = ph_error_set(err, PH_EINVAL, "version", NULL,
                              "version %lld is the active (champion) version; a challenger "
                              "must be another stored version", (long long)version);
        ph_policy_entry_free(entry);
    }
    char now[PH_UTC_MAX];
    if (st == PH_OK)
        st = ph_utc_now(now, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, share_bp > 0
                                     ? "INSERT OR REPLACE INTO policy_challenger (lender, name, "
                                       "version, share_bp, set_at) VALUES (?1, ?2, ?3, ?4, ?5)"
                                     : "DELETE FROM policy_challenger WHERE lender = ?1 AND "
                                       "name = ?2",
                          &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, lender, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, name, -1, err);
    if (st == PH_OK && share_bp > 0) {
        st = ph_stmt_bind_int64(stmt, 3, version, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, 4, share_bp, err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, 5, now, -1, err);
    }
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = PH_OK;
    ph_stmt_free(stmt);
    return market_finish(store, st, err);
}
