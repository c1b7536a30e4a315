/* Listing the quarantine: `puhui ingest --rejected`. */
#include <string.h>

#include "puhui/schema.h"

#include "ingest/ingest_internal.h"

ph_status ph_ingest_each_rejected(ph_store *store, const char *feed, uint64_t limit,
                                  ph_rejected_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ingest_each_rejected: store and fn must not be NULL");
    if (feed != NULL && !ph_schema_feed_stored(ph_feed_find(feed)))
        return ph_error_set(err, PH_EINVAL, "feed", feed,
                            "expected the name of an ingested feed (see 'puhui feeds list')");
    ph_status st = ph_store_require_schema(store, 9, "the quarantine", err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT id, file_id, feed, path, line, field, value, reason, detail, "
                              "raw, field_number FROM quarantine WHERE (?1 IS NULL OR feed = ?1) ORDER BY id "
                              "LIMIT ?2",
                              &s, err);
    if (st == PH_OK)
        st = feed ? ph_stmt_bind_text(s, 1, feed, -1, err) : ph_stmt_bind_null(s, 1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 2, limit == 0 || limit > INT64_MAX ? -1 : (int64_t)limit,
                                err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_rejected_row row = {
            ph_stmt_column_int64(s, 0), ph_stmt_column_int64(s, 1), ph_stmt_column_text(s, 2),
            ph_stmt_column_text(s, 3),  ph_stmt_column_int64(s, 4), ph_stmt_column_text(s, 5),
            ph_stmt_column_text(s, 6),  ph_stmt_column_text(s, 7),  ph_stmt_column_text(s, 8),
            ph_stmt_column_text(s, 9),  ph_stmt_column_int64(s, 10),
        };
        st = fn(user, &row, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}
