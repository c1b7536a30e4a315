#include "ph_ingest_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

ph_status ph_ingest_test_run(ph_store *store, const char *const *paths, size_t count,
                             const char *known_on, int threads, size_t batch_rows,
                             ph_ingest **out, ph_error *err)
{
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = known_on;
    opts.threads = threads;
    opts.batch_rows = batch_rows;
    ph_ingest *ing = NULL;
    ph_status st = ph_ingest_new(store, &opts, &ing, err);
    if (st == PH_OK)
        st = ph_ingest_paths(ing, paths, count, err);
    if (out != NULL)
        *out = ing;
    else
        ph_ingest_free(ing);
    return st;
}

typedef struct dump {
    char *data;
    size_t len, cap;
} dump;

static void put(dump *d, const char *s)
{
    size_t n = strlen(s);
    if (d->len + n + 1 > d->cap) {
        d->cap = (d->len + n + 1) * 2;
        d->data = realloc(d->data, d->cap);
        assert_non_null(d->data);
    }
    memcpy(d->data + d->len, s, n + 1);
    d->len += n;
}

static void dump_table(ph_store *store, const char *table, const char *skip, dump *d)
{
    char sql[512];
    snprintf(sql, sizeof(sql), "SELECT * FROM %s", table);
    ph_stmt *s = NULL;
    ph_error err;
    ph_assert_ok(ph_store_prepare(store, sql, &s, &err), &err);
    int columns = ph_stmt_column_count(s);
    ph_stmt_free(s);
    size_t used = (size_t)snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY 1", table);
    for (int c = 2; c <= columns && used < sizeof(sql); c++)
        used += (size_t)snprintf(sql + used, sizeof(sql) - used, ", %d", c);
    ph_assert_ok(ph_store_prepare(store, sql, &s, &err), &err);
    put(d, "== ");
    put(d, table);
    put(d, "\n");
    ph_status st;
    while ((st = ph_stmt_step(s, &err)) == PH_OK) {
        for (int c = 0; c < ph_stmt_column_count(s); c++) {
            if (skip != NULL && strcmp(ph_stmt_column_name(s, c), skip) == 0)
                continue;
            const char *v = ph_stmt_column_text(s, c);
            put(d, v ? v : "NULL");
            put(d, "|");
        }
        put(d, "\n");
    }
    assert_int_equal(st, PH_DONE);
    ph_stmt_free(s);
}

char *ph_ingest_test_dump(ph_store *store, const char *skip_column)
{
    dump d = {NULL, 0, 0};
    put(&d, "");
    char table[96];
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        if (!ph_schema_feed_stored(feed))
            continue;
        for (int h = 0; h <= 1; h++) {
            assert_int_equal(ph_schema_feed_table(feed, h, table, sizeof(table), NULL), PH_OK);
            dump_table(store, table, skip_column, &d);
        }
    }
    dump_table(store, "enterprise", skip_column, &d);
    dump_table(store, "institution", skip_column, &d);
    dump_table(store, "quarantine", skip_column, &d);
    return d.data;
}

char *ph_ingest_test_text(ph_store *store, const char *sql)
{
    ph_stmt *s = NULL;
    ph_error err;
    ph_assert_ok(ph_store_prepare(store, sql, &s, &err), &err);
    ph_status st = ph_stmt_step(s, &err);
    char *out = NULL;
    if (st == PH_OK) {
        const char *v = ph_stmt_column_text(s, 0);
        out = strdup(v ? v : "");
    } else {
        assert_int_equal(st, PH_DONE);
        out = strdup("");
    }
    ph_stmt_free(s);
    return out;
}

char *ph_ingest_test_vat_file(const char *dir, const char *sub, int rows, int bad,
                              const char *amount)
{
    char *subdir = ph_test_path(dir, sub);
    mkdir(subdir, 0700);
    char *path = ph_test_path(subdir, "vat_invoices.csv");
    free(subdir);
    size_t cap = (size_t)rows * 96 + sizeof(VAT_HEADER);
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "%s", VAT_HEADER);
    for (int i = 0; i < rows; i++)
        len += (size_t)snprintf(text + len, cap - len, FIRM_A ",%04d-%02d,%s,1,1.00,1,1,\n",
                                1950 + i / 12, i % 12 + 1, i >= rows - bad ? "12x" : amount);
    ph_test_write_file(path, text);
    free(text);
    return path;
}
