/*
 * Interest-subsidy programmes kept in the store, the `subsidy_programme`
 * table: a document is checked (subsidy_load.c), then stored once per name
 * and version with its checksum; the same document again is a no-op, other
 * contents under a stored version an error.
 */
#include "market_internal.h"

#include <string.h>


ph_status ph_market_load_subsidy(ph_store *store, const char *path, int64_t *id, ph_error *err)
{
    if (store == NULL || path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_load_subsidy: NULL store or path");
    const ph_ctx *ctx = ph_store_ctx(store);
    char *data = NULL, sum[PH_CHECKSUM_HEX], now[PH_UTC_MAX];
    size_t len = 0;
    ph_subsidy_programme *prog = NULL;
    ph_status st = market_check_schema(store, err);
    if (st == PH_OK)
        st = ph_read_file(ctx, path, "subsidy programme", &data, &len, err);
    if (st == PH_OK)
        st = ph_subsidy_programme_load_text(ctx, data, len, path, &prog, err);
    if (st == PH_OK)
        st = market_begin_write(store, now, err);
    if (st != PH_OK) {
        ph_free(ctx, data);
        ph_subsidy_programme_free(prog);
        return st;
    }
    ph_checksum_hex(data, len, sum);
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
        const char *stored = ph_stmt_column_text(stmt, 1);
        if (stored == NULL || strcmp(stored, sum) != 0)
            st = ph_error_set(err, PH_EEXISTS, "version", NULL,
                              "subsidy programme '%s' version %lld is loaded already with "
                              "other contents; give the new document a new version",
                              ph_subsidy_programme_name(prog),
                              (long long)ph_subsidy_programme_version(prog));
    } else if (st == PH_DONE) {
        ph_stmt_free(stmt);
        stmt = NULL;
        st = ph_store_prepare(store, "INSERT INTO subsidy_programme (name, version, checksum, "
                                     "document, file, loaded_at) VALUES (?, ?, ?, ?, ?, ?) "
                                     "RETURNING id",
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
            st = ph_stmt_step_id(stmt, &got, err);
    }
    ph_stmt_free(stmt);
    st = market_finish(store, st, err);
    ph_free(ctx, data);
    ph_subsidy_programme_free(prog);
    if (st == PH_OK && id != NULL)
        *id = got;
    return st;
}
