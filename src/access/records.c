/*
 * Raw records: the one way an institution sees a feed's rows rather than
 * derived features (data minimisation, 数据可用不可见). The gate is asked
 * for raw access first, so the read is logged before any row leaves.
 * Rows come back in the feed's own file format (money in yuan, shares with
 * their decimals), so what an institution receives reads like the source.
 */
#include <stdio.h>
#include <string.h>

#include "puhui/money.h"
#include "puhui/schema.h"

#include "access/access_internal.h"

/* Room for the SELECT of any feed of the catalogue. */
#define RECORDS_SQL_MAX 4096
/* Room for one formatted number: money, int or decimal. */
#define NUMBER_TEXT_MAX 48

typedef struct sql_buf {
    char data[RECORDS_SQL_MAX];
    size_t len;
    int overflow;
} sql_buf;

static void sql_add(sql_buf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->overflow || b->len + n + 1 > sizeof(b->data)) {
        b->overflow = 1;
        return;
    }
    memcpy(b->data + b->len, s, n + 1);
    b->len += n;
}

static void sql_add_column(sql_buf *b, const ph_feed_column *col)
{
    char name[96];
    if (ph_schema_feed_column(col, name, sizeof(name), NULL) != PH_OK)
        b->overflow = 1;
    else
        sql_add(b, name);
}

/* SELECT <columns> FROM feed_x WHERE (u1 = ?1 OR u2 = ?1 ...) ORDER BY <key> [LIMIT ?2].
 * *uscc_params receives how many uscc placeholders were written. */
static ph_status build_select(const ph_feed *feed, int64_t limit, sql_buf *b, int *uscc_params,
                              ph_error *err)
{
    char table[96];
    ph_status st = ph_schema_feed_table(feed, 0, table, sizeof(table), err);
    if (st != PH_OK)
        return ph_error_set(err, PH_EINVAL, "feed", feed->name,
                            "expected a feed stored by the platform; %s/ files are never shared",
                            ph_feed_area_name(feed->area));
    sql_add(b, "SELECT ");
    for (size_t i = 0; i < feed->column_count; i++) {
        if (i)
            sql_add(b, ", ");
        sql_add_column(b, &feed->columns[i]);
    }
    sql_add(b, " FROM ");
    sql_add(b, table);
    sql_add(b, " WHERE (");
    int params = 0;
    for (size_t i = 0; i < feed->column_count; i++) {
        if (feed->columns[i].type != PH_FIELD_USCC)
            continue;
        sql_add(b, params ? " OR " : "");
        sql_add_column(b, &feed->columns[i]);
        sql_add(b, " = ?");
        params++;
    }
    if (params == 0)
        return ph_error_set(err, PH_EINVAL, "feed", feed->name,
                            "expected a feed whose rows are about an enterprise (with a USCC "
                            "column); %s holds none",
                            feed->name);
    sql_add(b, ") ORDER BY ");
    const char *p = feed->key;
    while (*p != '\0') {
        size_t n = strcspn(p, ",");
        char key[64];
        snprintf(key, sizeof(key), "%.*s", (int)n, p);
        int idx = ph_feed_column_index(feed, key);
        if (idx < 0)
            b->overflow = 1; /* the catalogue's own tests keep keys valid */
        else
            sql_add_column(b, &feed->columns[idx]);
        p += n;
        if (*p == ',') {
            sql_add(b, ", ");
            p++;
        }
    }
    if (limit > 0)
        sql_add(b, " LIMIT ?");
    if (b->overflow)
        return ph_error_set(err, PH_ERANGE, "feed", feed->name,
                            "expected a feed whose query fits in %d bytes and whose key names "
                            "its columns",
                            RECORDS_SQL_MAX);
    *uscc_params = params;
    return PH_OK;
}

/* Column i of the current row as the feed's file would write it. */
static const char *format_value(ph_stmt *stmt, int i, const ph_feed_column *col, char *scratch)
{
    if (ph_stmt_column_is_null(stmt, i))
        return NULL;
    if (col->type == PH_FIELD_MONEY) {
        if (ph_money_format(ph_stmt_column_int64(stmt, i), 0, scratch, NUMBER_TEXT_MAX, NULL) !=
            PH_OK)
            return NULL;
        return scratch;
    }
    switch (ph_schema_feed_storage(col->type)) {
    case PH_STORAGE_INTEGER:
        snprintf(scratch, NUMBER_TEXT_MAX, "%lld", (long long)ph_stmt_column_int64(stmt, i));
        return scratch;
    case PH_STORAGE_REAL:
        snprintf(scratch, NUMBER_TEXT_MAX, "%.*f", col->decimals,
                 ph_stmt_column_double(stmt, i));
        return scratch;
    case PH_STORAGE_TEXT:
        break;
    }
    return ph_stmt_column_text(stmt, i);
}

static ph_status emit_rows(ph_store *store, const ph_feed *feed, const sql_buf *sql,
                           int uscc_params, const ph_records_request *req, ph_record_fn fn,
                           void *user, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    const char **values = ph_calloc(ctx, feed->column_count, sizeof(*values));
    char *scratch = ph_malloc(ctx, feed->column_count * NUMBER_TEXT_MAX);
    ph_stmt *stmt = NULL;
    ph_status st = (values && scratch)
                       ? ph_store_prepare(store, sql->data, &stmt, err)
                       : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading rows");
    for (int i = 1; st == PH_OK && i <= uscc_params; i++)
        st = ph_stmt_bind_text(stmt, i, req->uscc, -1, err);
    if (st == PH_OK && req->limit > 0)
        st = ph_stmt_bind_int64(stmt, uscc_params + 1, req->limit, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        for (size_t i = 0; i < feed->column_count; i++)
            values[i] = format_value(stmt, (int)i, &feed->columns[i],
                                     scratch + i * NUMBER_TEXT_MAX);
        st = fn(user, feed, values, err);
    }
    ph_stmt_free(stmt);
    ph_free(ctx, scratch);
    ph_free(ctx, (void *)values);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_records_read(ph_store *store, const ph_records_request *req, ph_record_fn fn,
                          void *user, ph_access_grant *grant, ph_error *err)
{
    if (store == NULL || req == NULL || fn == NULL || req->feed == NULL ||
        req->institution_id == NULL || req->uscc == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_records_read: store, req, fn, req->feed, req->institution_id "
                            "and req->uscc must not be NULL");
    const ph_feed *feed = ph_feed_find(req->feed);
    if (feed == NULL)
        return ph_error_set(err, PH_EINVAL, "feed", req->feed,
                            "expected the name of a feed of the catalogue (see 'puhui feeds "
                            "list')");
    if (req->limit < 0) {
        char value[24];
        snprintf(value, sizeof(value), "%lld", (long long)req->limit);
        return ph_error_set(err, PH_EINVAL, "limit", value,
                            "expected a positive number of rows, or 0 for all");
    }
    sql_buf sql;
    memset(&sql, 0, sizeof(sql));
    int uscc_params = 0;
    ph_status st = build_select(feed, req->limit, &sql, &uscc_params, err);
    if (st != PH_OK)
        return st;
    char what[128];
    snprintf(what, sizeof(what), "records %s", feed->name);
    ph_access_request access;
    memset(&access, 0, sizeof(access));
    access.institution_id = req->institution_id;
    access.uscc = req->uscc;
    access.purpose = req->purpose;
    access.raw = 1;
    access.on = req->on;
    access.what = what;
    access.mode = PH_ACCESS_STRICT;
    st = ph_source_set_add(&access.sources, feed->name, err);
    ph_access_grant granted;
    if (st == PH_OK)
        st = ph_access_check(store, &access, &granted, err);
    if (st == PH_OK)
        st = emit_rows(store, feed, &sql, uscc_params, req, fn, user, err);
    if (st == PH_OK && grant != NULL)
        *grant = granted;
    return st;
}
