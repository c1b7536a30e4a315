/*
 * Challenger routes, the `policy_challenger` table: which stored policy
 * version serves what share of a lender's applications beside its active
 * (champion) version.
 */
#include "market_internal.h"

#include <stdio.h>

#include "puhui/policy_store.h"

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
        st = market_begin_write(store, now, err);
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
