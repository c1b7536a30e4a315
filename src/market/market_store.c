/*
 * The marketplace's way with its store: the schema version it needs, how a
 * transaction or a unit ends, a period bound as dates, and an
 * institution's display name. Shared by every file that reads or writes
 * the market's tables.
 */
#include "market_internal.h"

#include "puhui/enterprise.h"

#include <stdio.h>

ph_status market_check_schema(ph_store *store, ph_error *err)
{
    return ph_store_require_schema(store, MARKET_SCHEMA, "the marketplace", err);
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

ph_status market_institution_name(ph_store *store, const char *id, char **out, ph_error *err)
{
    /* the id stands in for a name that is not registered; a failed read
     * (out of memory, the store) is returned, not hidden */
    ph_error why;
    ph_error_clear(&why);
    ph_status st = ph_institution_name(store, id, out, &why);
    if (st == PH_ENOTFOUND) {
        *out = ph_strdup(ph_store_ctx(store), id);
        st = *out ? PH_OK : ph_error_set(&why, PH_ENOMEM, NULL, NULL, "out of memory for a name");
    }
    if (st != PH_OK && err != NULL)
        *err = why;
    return st;
}

ph_status market_begin_write(ph_store *store, char now[PH_UTC_MAX], ph_error *err)
{
    ph_status st = ph_ctx_utc_now(ph_store_ctx(store), now, err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    return st;
}

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
