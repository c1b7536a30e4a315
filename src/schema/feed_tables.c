/*
 * The data hub's feed tables, generated from the feed catalog (src/feed):
 * the catalog describes each source once, and its columns, types and keys
 * become the table here, so ingestion, validation, documentation and storage
 * cannot disagree.
 *
 * Every feed of the feeds/ and reference/ areas gets two tables:
 *   feed_<name>          the current version of every row, by natural key
 *   feed_<name>_history  the versions a correction superseded
 * Truth files are never stored: no model may read them.
 *
 * A released migration must not change, and these tables are built from the
 * catalog, so a catalog change to a stored feed (a new format version) must
 * come with a new migration that alters its table, and a feed added to the
 * catalog gets its tables from a new migration (FEED_SINCE below), never
 * from migration 3: a database made before the feed existed is then brought
 * up to date by the same statements that build a fresh one.
 */
#include <string.h>

#include "puhui/feed.h"
#include "puhui/schema.h"

#include "schema/schema_internal.h"

/* Columns every stored row carries besides the feed's own (see schema.h). */
static const char ROW_META_COLUMNS[] = "  known_on TEXT NOT NULL,\n"
                                       "  file_id INTEGER NOT NULL,\n"
                                       "  line INTEGER NOT NULL,\n"
                                       "  row_hash INTEGER NOT NULL";

int ph_schema_feed_stored(const ph_feed *feed)
{
    return feed != NULL &&
           (feed->area == PH_FEED_AREA_FEEDS || feed->area == PH_FEED_AREA_REFERENCE);
}

/* The migration that creates the tables of each feed added to the catalog
 * after migration 3, which created those of every feed it had then. A new
 * stored feed gets a row here with the version of its migration. */
static const struct {
    const char *feed;
    int version;
} FEED_SINCE[] = {
    {"logistics_gps", 14}, /* issue 19: post-loan early warning */
    {"public_opinion", 14},
    {"warehouse_lots", 16}, /* issue 20: warehouse receipts */
    {"warehouse_iot", 16},
    {"commodity_prices", 16},
};

#define FEED_TABLES_FIRST 3 /* migration 3, "data hub feeds" */

int ph_schema_feed_version(const ph_feed *feed)
{
    if (!ph_schema_feed_stored(feed))
        return 0;
    for (size_t i = 0; i < sizeof(FEED_SINCE) / sizeof(FEED_SINCE[0]); i++)
        if (strcmp(FEED_SINCE[i].feed, feed->name) == 0)
            return FEED_SINCE[i].version;
    return FEED_TABLES_FIRST;
}

ph_status ph_schema_feed_table(const ph_feed *feed, int history, char *buf, size_t size,
                               ph_error *err)
{
    if (feed == NULL || buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_schema_feed_table: feed and buf must not be NULL");
    if (!ph_schema_feed_stored(feed))
        return ph_error_set(err, PH_EINVAL, "feed", feed->name,
                            "expected a feed of the feeds/ or reference/ area; %s/ files are "
                            "not stored",
                            ph_feed_area_name(feed->area));
    int n = snprintf(buf, size, "feed_%s%s", feed->name, history ? "_history" : "");
    if (n < 0 || (size_t)n >= size)
        return ph_error_set(err, PH_EMISUSE, "buf", NULL,
                            "expected room for %d bytes, got %zu", n + 1, size);
    return PH_OK;
}

ph_status ph_schema_feed_column(const ph_feed_column *col, char *buf, size_t size,
                                ph_error *err)
{
    if (col == NULL || buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_schema_feed_column: col and buf must not be NULL");
    int n = snprintf(buf, size, "%s%s", col->name, col->type == PH_FIELD_MONEY ? "_fen" : "");
    if (n < 0 || (size_t)n >= size)
        return ph_error_set(err, PH_EMISUSE, "buf", NULL,
                            "expected room for %d bytes, got %zu", n + 1, size);
    return PH_OK;
}

const char *ph_schema_feed_sql_type(ph_field_type type)
{
    switch (ph_schema_feed_storage(type)) {
    case PH_STORAGE_INTEGER:
        return "INTEGER";
    case PH_STORAGE_REAL:
        return "REAL";
    case PH_STORAGE_TEXT:
        break;
    }
    return "TEXT";
}

/* A growing SQL text; `failed` records an allocation failure once. */
typedef struct sql_text {
    const ph_ctx *ctx;
    char *data;
    size_t len, cap;
    int failed;
} sql_text;

static void sql_append(sql_text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->failed)
        return;
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap : 1024;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = ph_realloc(t->ctx, t->data, cap);
        if (grown == NULL) {
            t->failed = 1;
            return;
        }
        t->data = grown;
        t->cap = cap;
    }
    memcpy(t->data + t->len, s, n + 1);
    t->len += n;
}

/* The key's columns, as SQL column names joined by ", ". */
static void append_key(sql_text *t, const ph_feed *feed)
{
    char name[96];
    const char *p = feed->key;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        char col_name[64];
        memcpy(col_name, p, n < sizeof(col_name) ? n : sizeof(col_name) - 1);
        col_name[n < sizeof(col_name) ? n : sizeof(col_name) - 1] = '\0';
        int idx = ph_feed_column_index(feed, col_name);
        if (idx >= 0 && ph_schema_feed_column(&feed->columns[idx], name, sizeof(name), NULL) ==
                            PH_OK)
            sql_append(t, name);
        else
            sql_append(t, col_name);
        p += n;
        if (*p == ',') {
            sql_append(t, ", ");
            p++;
        }
    }
}

static void append_columns(sql_text *t, const ph_feed *feed)
{
    char name[96];
    for (size_t i = 0; i < feed->column_count; i++) {
        const ph_feed_column *col = &feed->columns[i];
        (void)ph_schema_feed_column(col, name, sizeof(name), NULL);
        sql_append(t, "  ");
        sql_append(t, name);
        sql_append(t, " ");
        sql_append(t, ph_schema_feed_sql_type(col->type));
        if (col->required)
            sql_append(t, " NOT NULL");
        sql_append(t, ",\n");
    }
    sql_append(t, ROW_META_COLUMNS);
}

/* CREATE TABLE feed_X (...) WITHOUT ROWID, its history table and indexes.
 * WITHOUT ROWID: rows live in the key's B-tree, so a lookup by key (every
 * ingested row makes one) touches one tree, and data arriving in key order
 * is appended. */
static void append_feed_ddl(sql_text *t, const ph_feed *feed)
{
    char table[96], history[96];
    (void)ph_schema_feed_table(feed, 0, table, sizeof(table), NULL);
    (void)ph_schema_feed_table(feed, 1, history, sizeof(history), NULL);

    sql_append(t, "CREATE TABLE ");
    sql_append(t, table);
    sql_append(t, " (\n");
    append_columns(t, feed);
    sql_append(t, ",\n  PRIMARY KEY (");
    append_key(t, feed);
    sql_append(t, ")\n) WITHOUT ROWID;\n");

    sql_append(t, "CREATE TABLE ");
    sql_append(t, history);
    sql_append(t, " (\n");
    append_columns(t, feed);
    sql_append(t, ",\n  superseded_on TEXT NOT NULL,\n"
                  "  superseded_by INTEGER NOT NULL\n);\n");
    sql_append(t, "CREATE INDEX ");
    sql_append(t, history);
    sql_append(t, "_key ON ");
    sql_append(t, history);
    sql_append(t, " (");
    append_key(t, feed);
    sql_append(t, ");\n");

    /* Reading one firm's rows must not scan the feed: index every USCC
     * column the key does not start with. Migration 5 added the same index
     * to the history tables of migration 3's feeds (feature reads as of a
     * past day look there too); a later feed's tables get it at once. */
    size_t lead = strcspn(feed->key, ",");
    for (size_t i = 0; i < feed->column_count; i++) {
        const char *name = feed->columns[i].name;
        if (feed->columns[i].type != PH_FIELD_USCC ||
            (strlen(name) == lead && strncmp(feed->key, name, lead) == 0))
            continue;
        for (int h = 0; h < 2; h++) {
            if (h == 1 && ph_schema_feed_version(feed) == FEED_TABLES_FIRST)
                break;
            const char *on = h ? history : table;
            sql_append(t, "CREATE INDEX ");
            sql_append(t, on);
            sql_append(t, "_");
            sql_append(t, name);
            sql_append(t, " ON ");
            sql_append(t, on);
            sql_append(t, " (");
            sql_append(t, name);
            sql_append(t, ");\n");
        }
    }
}

/* The DDL of the stored feeds whose tables migration `version` creates
 * (every version when `version` is 0), in catalog order. */
static ph_status feed_ddl(const ph_ctx *ctx, int version, char **out, ph_error *err)
{
    sql_text t = {ctx, NULL, 0, 0, 0};
    for (size_t i = 0; i < ph_feed_count(); i++) {
        int since = ph_schema_feed_version(ph_feed_at(i));
        if (since != 0 && (version == 0 || since == version))
            append_feed_ddl(&t, ph_feed_at(i));
    }
    if (t.failed || t.data == NULL) {
        ph_free(ctx, t.data);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory building feed tables");
    }
    *out = t.data;
    return PH_OK;
}

ph_status ph_schema_feed_ddl(const ph_ctx *ctx, char **out, ph_error *err)
{
    if (ctx == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_schema_feed_ddl: ctx and out must not be NULL");
    return feed_ddl(ctx, 0, out, err);
}

static ph_status create_feed_tables(ph_store *store, int version, ph_error *err)
{
    char *sql = NULL;
    ph_status st = feed_ddl(ph_store_ctx(store), version, &sql, err);
    if (st != PH_OK)
        return st;
    st = ph_store_exec(store, sql, err);
    ph_free(ph_store_ctx(store), sql);
    return st;
}

ph_status schema_create_feed_tables(ph_store *store, ph_error *err)
{
    return create_feed_tables(store, FEED_TABLES_FIRST, err);
}

ph_status schema_create_early_warning_feed_tables(ph_store *store, ph_error *err)
{
    return create_feed_tables(store, 14, err);
}

ph_status schema_create_warehouse_feed_tables(ph_store *store, ph_error *err)
{
    return create_feed_tables(store, 16, err);
}
