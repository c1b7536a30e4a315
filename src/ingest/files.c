/* The files an ingestion finished, after a cursor: what a consumer of new
 * rows (`puhui watch --follow`) reads to learn which file_ids are new. */
#include <stdio.h>
#include <string.h>

#include "ingest/ingest_internal.h"

ph_status ph_ingest_files_after(ph_store *store, int64_t after, ph_ingest_file_fn fn, void *user,
                                ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_ingest_files_after: store and fn must not be NULL");
    if (after < 0) {
        char v[24];
        snprintf(v, sizeof(v), "%lld", (long long)after);
        return ph_error_set(err, PH_EINVAL, "after", v, "expected a file id, 0 or more");
    }
    ph_status st = ph_store_require_schema(store, 3, "the ingestion record", err);
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT id, run_id, feed, path, finished_at, rows_read, accepted, "
                              "superseded, rejected FROM ingest_file WHERE id > ? AND "
                              "state = 'done' ORDER BY id",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, after, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK) {
        ph_ingest_file_info f;
        memset(&f, 0, sizeof(f));
        f.id = ph_stmt_column_int64(s, 0);
        f.run_id = ph_stmt_column_int64(s, 1);
        f.feed = ph_stmt_column_text(s, 2);
        f.path = ph_stmt_column_text(s, 3);
        f.finished_at = ph_stmt_column_text(s, 4);
        f.rows = (uint64_t)ph_stmt_column_int64(s, 5);
        f.accepted = (uint64_t)ph_stmt_column_int64(s, 6);
        f.superseded = (uint64_t)ph_stmt_column_int64(s, 7);
        f.rejected = (uint64_t)ph_stmt_column_int64(s, 8);
        if (f.feed == NULL)
            f.feed = "";
        if (f.path == NULL)
            f.path = "";
        st = fn(user, &f, err);
    }
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}
