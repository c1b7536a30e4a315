/*
 * The registry tables `enterprise` and `institution`: every read and the
 * writers' upserts (enterprise.h). No other module names these tables.
 */
#include <string.h>

#include "puhui/enterprise.h"

/* 1 when the query with one text parameter returns a row. */
static ph_status row_exists(ph_store *store, const char *sql, const char *value, int *found,
                            ph_error *err)
{
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, sql, &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, value, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    if (st == PH_OK || st == PH_DONE) {
        *found = st == PH_OK;
        return PH_OK;
    }
    return st;
}

ph_status ph_enterprise_exists(ph_store *store, const char *uscc, int *found, ph_error *err)
{
    if (store == NULL || uscc == NULL || found == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_enterprise_exists: store, uscc and found must not be NULL");
    return row_exists(store, "SELECT 1 FROM enterprise WHERE uscc = ?", uscc, found, err);
}

ph_status ph_institution_exists(ph_store *store, const char *id, int *found, ph_error *err)
{
    if (store == NULL || id == NULL || found == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_institution_exists: store, id and found must not be NULL");
    return row_exists(store, "SELECT 1 FROM institution WHERE id = ?", id, found, err);
}

int ph_institution_kind_lends(const char *kind)
{
    static const char *const LENDING[] = {"state_bank",   "commercial_bank", "rural_bank",
                                          "village_bank", "micro_lender",    "digital_bank"};
    for (size_t i = 0; kind != NULL && i < sizeof(LENDING) / sizeof(LENDING[0]); i++)
        if (strcmp(kind, LENDING[i]) == 0)
            return 1;
    return 0;
}

ph_status ph_institution_kind(ph_store *store, const char *id, char kind[PH_INSTITUTION_KIND_MAX],
                              int *found, ph_error *err)
{
    if (store == NULL || id == NULL || kind == NULL || found == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_institution_kind: store, id, kind and found must not be NULL");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT kind FROM institution WHERE id = ?", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_OK) {
        const char *text = ph_stmt_column_text(stmt, 0);
        size_t len = text ? strlen(text) : 0;
        if (len >= PH_INSTITUTION_KIND_MAX)
            st = ph_error_set(err, PH_ERANGE, "kind", text,
                              "expected an institution kind shorter than %d bytes",
                              PH_INSTITUTION_KIND_MAX);
        else {
            memcpy(kind, text ? text : "", len + 1);
            *found = 1;
        }
    } else if (st == PH_DONE) {
        *found = 0;
        st = PH_OK;
    }
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_institution_name(ph_store *store, const char *id, char **out, ph_error *err)
{
    if (out != NULL)
        *out = NULL;
    if (store == NULL || id == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_institution_name: store, id and out must not be NULL");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT name FROM institution WHERE id = ?", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, id, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "institution", id,
                          "expected an institution registered in the database (table "
                          "institution)");
    if (st == PH_OK) {
        const char *name = ph_stmt_column_text(stmt, 0);
        *out = ph_strdup(ph_store_ctx(store), name ? name : "");
        if (*out == NULL)
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for a name");
    }
    ph_stmt_free(stmt);
    return st;
}

ph_status ph_enterprise_each(ph_store *store, ph_enterprise_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_enterprise_each: store and fn must not be NULL");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT uscc FROM enterprise ORDER BY uscc", &stmt, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK)
        st = fn(user, ph_stmt_column_text(stmt, 0), err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_enterprise_each_place(ph_store *store, ph_enterprise_place_fn fn, void *user,
                                   ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_enterprise_each_place: store and fn must not be NULL");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store,
                                    "SELECT uscc, region_code, industry_section FROM enterprise "
                                    "ORDER BY uscc",
                                    &stmt, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        const char *section = ph_stmt_column_text(stmt, 2);
        st = fn(user, ph_stmt_column_text(stmt, 0), (int32_t)ph_stmt_column_int64(stmt, 1),
                section != NULL ? section[0] : '\0', err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_institution_each(ph_store *store, ph_institution_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_institution_each: store and fn must not be NULL");
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, "SELECT id, name, kind FROM institution ORDER BY id",
                                    &stmt, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK)
        st = fn(user, ph_stmt_column_text(stmt, 0), ph_stmt_column_text(stmt, 1),
                ph_stmt_column_text(stmt, 2), err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_enterprise_upsert_prepare(ph_store *store, ph_stmt **out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_enterprise_upsert_prepare: store and out must not be NULL");
    return ph_store_prepare(
        store,
        "INSERT INTO enterprise (uscc, name, region_code, industry_section, "
        "industry_division, size_class, registered_on, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, region_code = "
        "excluded.region_code, industry_section = excluded.industry_section, "
        "industry_division = excluded.industry_division, size_class = excluded.size_class, "
        "registered_on = excluded.registered_on, status = excluded.status",
        out, err);
}

ph_status ph_institution_upsert_prepare(ph_store *store, ph_stmt **out, ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_institution_upsert_prepare: store and out must not be NULL");
    return ph_store_prepare(store,
                            "INSERT INTO institution (id, name, kind) VALUES (?, ?, ?) "
                            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, "
                            "kind = excluded.kind",
                            out, err);
}
