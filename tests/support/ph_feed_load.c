/* See ph_feed_load.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ph_feed_load.h"

/* known_on of a row: its time column + lag, or the snapshot date. */
static ph_status row_known_on(const ph_feed *feed, int time_col, const char *text, size_t len,
                              ph_date snapshot, ph_date *out, ph_error *err)
{
    if (time_col < 0) {
        *out = snapshot;
        return PH_OK;
    }
    ph_date d;
    ph_status st;
    if (feed->columns[time_col].type == PH_FIELD_MONTH) {
        ph_month m;
        st = ph_month_parse(text, len, &m, err);
        if (st == PH_OK)
            st = ph_month_last_day(m, &d, err);
    } else {
        st = ph_date_parse(text, len, &d, err);
    }
    if (st == PH_OK)
        st = ph_date_add_days(d, feed->lag_days, out, err);
    return st;
}

static ph_status bind_field(ph_stmt *stmt, int index, const ph_feed_column *col,
                            const char *text, size_t len, ph_error *err)
{
    if (len == 0)
        return ph_stmt_bind_null(stmt, index, err);
    switch (col->type) {
    case PH_FIELD_MONEY: {
        ph_money fen;
        ph_status st = ph_money_parse(text, len, &fen, err);
        return st == PH_OK ? ph_stmt_bind_int64(stmt, index, fen, err) : st;
    }
    case PH_FIELD_INT:
    case PH_FIELD_REGION:
    case PH_FIELD_DIVISION:
        return ph_stmt_bind_int64(stmt, index, strtoll(text, NULL, 10), err);
    case PH_FIELD_SHARE:
    case PH_FIELD_DECIMAL:
        return ph_stmt_bind_double(stmt, index, strtod(text, NULL), err);
    default:
        return ph_stmt_bind_text(stmt, index, text, (long)len, err);
    }
}

static ph_status load_feed(ph_store *store, const ph_feed *feed, const char *dir,
                           ph_date snapshot, uint64_t *rows, ph_error *err)
{
    char path[4096], table[96], sql[4096];
    snprintf(path, sizeof(path), "%s/%s", dir, feed->path);
    FILE *probe = fopen(path, "r");
    if (probe == NULL)
        return PH_OK; /* a feed this run did not write */
    fclose(probe);
    ph_status st = ph_schema_feed_table(feed, 0, table, sizeof(table), err);
    if (st != PH_OK)
        return st;
    size_t n = (size_t)snprintf(sql, sizeof(sql), "INSERT INTO %s VALUES (", table);
    for (size_t i = 0; i < feed->column_count + 4; i++)
        n += (size_t)snprintf(sql + n, sizeof(sql) - n, "%s?", i ? ", " : "");
    snprintf(sql + n, sizeof(sql) - n, ")");
    int time_col = feed->time_column ? ph_feed_column_index(feed, feed->time_column) : -1;

    ph_csv_options opts;
    ph_csv_options_init(&opts);
    ph_csv_reader *csv = NULL;
    ph_stmt *stmt = NULL;
    st = ph_csv_open_file(ph_store_ctx(store), path, &opts, &csv, err);
    if (st == PH_OK)
        st = ph_store_prepare(store, sql, &stmt, err);
    while (st == PH_OK && (st = ph_csv_next(csv, err)) == PH_OK) {
        ph_date known = snapshot;
        for (size_t i = 0; st == PH_OK && i < feed->column_count; i++) {
            const char *text;
            size_t len;
            st = ph_csv_field(csv, i, &text, &len, err);
            if (st == PH_OK)
                st = bind_field(stmt, (int)i + 1, &feed->columns[i], text, len, err);
            if (st == PH_OK && (int)i == time_col)
                st = row_known_on(feed, time_col, text, len, snapshot, &known, err);
        }
        char date[PH_DATE_FORMAT_MAX];
        int c = (int)feed->column_count;
        if (st == PH_OK)
            st = ph_date_format(known, date, sizeof(date), err);
        if (st == PH_OK)
            st = ph_stmt_bind_text(stmt, c + 1, date, -1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, c + 2, 1, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, c + 3, (int64_t)ph_csv_line(csv), err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(stmt, c + 4, 0, err);
        if (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_DONE) {
            st = PH_OK;
            (*rows)++;
        }
    }
    ph_stmt_free(stmt);
    ph_csv_free(csv);
    if (st != PH_DONE)
        ph_error_locate(err, path, 0, 0);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_test_load_feeds(ph_store *store, const char *dir, ph_date snapshot,
                             uint64_t *rows, ph_error *err)
{
    uint64_t count = 0;
    ph_status st = ph_store_exec(store, "PRAGMA synchronous=OFF", err);
    for (size_t i = 0; st == PH_OK && i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        if (!ph_schema_feed_stored(feed))
            continue;
        st = ph_store_begin(store, err);
        if (st == PH_OK)
            st = load_feed(store, feed, dir, snapshot, &count, err);
        if (st == PH_OK)
            st = ph_store_commit(store, err);
        else
            ph_store_rollback(store, NULL);
    }
    if (st == PH_OK && rows != NULL)
        *rows = count;
    return st;
}
