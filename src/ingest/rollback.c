/*
 * Taking back what one file committed: its rows in the feed table are
 * deleted, the versions it superseded are put back from the history table,
 * its quarantine entries are deleted, and its ingest_file record ends
 * 'failed' with the reason in `outcome`. Used for a file refused for too
 * many bad rows and for the partial rows of a crashed run whose file was
 * replaced since. Rows of other files are not touched (a later file that
 * superseded one of this file's rows keeps it; the version this file had
 * superseded is chained to that later file): a row this file
 * found unchanged still names the file that wrote it.
 *
 * The caller holds the transaction, so the rollback and whatever decided
 * it commit together.
 */
#include <stdio.h>
#include <string.h>

#include "puhui/schema.h"

#include "ingest/ingest_internal.h"

/* The stored columns of a feed table that its history table also has. */
static void add_columns(ing_text *t, const ph_feed *feed, ph_status *st, ph_error *err)
{
    for (size_t i = 0; i < feed->column_count && *st == PH_OK; i++) {
        char name[96];
        *st = ph_schema_feed_column(&feed->columns[i], name, sizeof(name), err);
        ing_text_add(t, i ? ", " : "", st, err);
        ing_text_add(t, name, st, err);
    }
    ing_text_add(t, ", known_on, file_id, line, row_hash", st, err);
}

static ph_status run(ph_store *store, ing_text *t, int64_t file_id, int64_t *changes,
                     ph_status st, ph_error *err)
{
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, t->data, &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, file_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE)
        st = PH_OK;
    if (st == PH_OK && changes != NULL)
        *changes = ph_store_changes(store);
    ph_stmt_free(s);
    t->len = 0;
    return st;
}

/* " AND <a>.k = <b>.k" for every key column of the feed. */
static void add_key_match(ing_text *t, const ph_feed *feed, const char *a, const char *b,
                          ph_status *st, ph_error *err)
{
    const char *p = feed->key;
    while (*st == PH_OK && p != NULL && *p != '\0') {
        const char *end = strchr(p, ',');
        size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
        char name[64], column[96];
        if (len == 0 || len >= sizeof(name)) {
            *st = ph_error_set(err, PH_EMISUSE, NULL, NULL, "feed %s: a bad key \"%s\"",
                               feed->name, feed->key);
            return;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        int i = ph_feed_column_index(feed, name);
        if (i < 0) {
            *st = ph_error_set(err, PH_EMISUSE, NULL, NULL,
                               "feed %s: key column %s is not a column", feed->name, name);
            return;
        }
        *st = ph_schema_feed_column(&feed->columns[i], column, sizeof(column), err);
        const char *parts[] = {" AND ", a, ".", column, " = ", b, ".", column};
        for (size_t k = 0; k < sizeof(parts) / sizeof(parts[0]); k++)
            ing_text_add(t, parts[k], st, err);
        p = end != NULL ? end + 1 : NULL;
    }
}

/* The version of a key this file's versions stepped out for: the history
 * row of file ?1 that a later file (not ?1 itself) superseded, matched to
 * the history row `outer` by key. */
static void add_successor(ing_text *t, const ph_feed *feed, const char *history,
                          const char *what, const char *outer, ph_status *st, ph_error *err)
{
    ing_text_add(t, "(SELECT ", st, err);
    ing_text_add(t, what, st, err);
    ing_text_add(t, " FROM ", st, err);
    ing_text_add(t, history, st, err);
    ing_text_add(t, " n WHERE n.file_id = ?1 AND n.superseded_by <> ?1", st, err);
    add_key_match(t, feed, "n", outer, st, err);
    ing_text_add(t, " ORDER BY n.superseded_on LIMIT 1)", st, err);
}

/*
 * The order matters (all in the caller's transaction):
 *   1. a version this file superseded whose key a later file C has since
 *      superseded again (C replaced this file's row) is chained to C: it
 *      stays in history, valid until C's row became known, superseded by C;
 *   2. this file's own versions in history (those C superseded, and those
 *      a repeated key of this file superseded) are deleted;
 *   3. this file's current rows are deleted;
 *   4. a version this file superseded whose key has no current row now
 *      (this file's row was the current one) becomes current again.
 * A point-in-time read afterwards sees what it would have seen had the file
 * never been loaded: before C, the version this file had replaced; from C
 * on, C's row. No key ever has two current rows.
 */
ph_status ing_rollback_file(ph_store *store, const ph_feed *feed, int64_t file_id,
                            int64_t *rows_removed, ph_error *err)
{
    char table[96], history[96];
    ph_status st = ph_schema_feed_table(feed, 0, table, sizeof(table), err);
    if (st == PH_OK)
        st = ph_schema_feed_table(feed, 1, history, sizeof(history), err);
    ing_text t = {ph_store_ctx(store), NULL, 0, 0};

    ing_text_add(&t, "UPDATE ", &st, err);
    ing_text_add(&t, history, &st, err);
    ing_text_add(&t, " SET superseded_on = ", &st, err);
    add_successor(&t, feed, history, "n.superseded_on", history, &st, err);
    ing_text_add(&t, ", superseded_by = ", &st, err);
    add_successor(&t, feed, history, "n.superseded_by", history, &st, err);
    ing_text_add(&t, " WHERE superseded_by = ?1 AND file_id <> ?1 AND EXISTS ", &st, err);
    add_successor(&t, feed, history, "1", history, &st, err);
    st = run(store, &t, file_id, NULL, st, err);

    ing_text_add(&t, "DELETE FROM ", &st, err);
    ing_text_add(&t, history, &st, err);
    ing_text_add(&t, " WHERE file_id = ?1", &st, err);
    st = run(store, &t, file_id, NULL, st, err);

    ing_text_add(&t, "DELETE FROM ", &st, err);
    ing_text_add(&t, table, &st, err);
    ing_text_add(&t, " WHERE file_id = ?1", &st, err);
    st = run(store, &t, file_id, rows_removed, st, err);

    ing_text_add(&t, "INSERT INTO ", &st, err);
    ing_text_add(&t, table, &st, err);
    ing_text_add(&t, " (", &st, err);
    add_columns(&t, feed, &st, err);
    ing_text_add(&t, ") SELECT ", &st, err);
    add_columns(&t, feed, &st, err);
    ing_text_add(&t, " FROM ", &st, err);
    ing_text_add(&t, history, &st, err);
    ing_text_add(&t, " WHERE superseded_by = ?1 AND NOT EXISTS (SELECT 1 FROM ", &st, err);
    ing_text_add(&t, table, &st, err);
    ing_text_add(&t, " c WHERE 1 = 1", &st, err);
    add_key_match(&t, feed, "c", history, &st, err);
    ing_text_add(&t, ")", &st, err);
    st = run(store, &t, file_id, NULL, st, err);

    ing_text_add(&t, "DELETE FROM ", &st, err);
    ing_text_add(&t, history, &st, err);
    ing_text_add(&t, " WHERE superseded_by = ?1", &st, err);
    st = run(store, &t, file_id, NULL, st, err);

    ing_text_add(&t, "DELETE FROM quarantine WHERE file_id = ?1", &st, err);
    st = run(store, &t, file_id, NULL, st, err);
    ing_text_free(&t);
    return st;
}

ph_status ing_file_fail(ph_store *store, int64_t file_id, const char *outcome, ph_error *err)
{
    char now[PH_UTC_MAX];
    ph_stmt *s = NULL;
    ph_status st = ph_ctx_utc_now(ph_store_ctx(store), now, err);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                                    "UPDATE ingest_file SET state = 'failed', finished_at = ?, "
                                    "outcome = ? WHERE id = ?",
                                    &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 1, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, outcome, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 3, file_id, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    ph_stmt_free(s);
    return st == PH_DONE ? PH_OK : st;
}
