/*
 * Events from the feed tables: each monitored feed's rows, read in its own
 * time order by one query, merged across feeds by day (ties in the engine's
 * feed order), so the engine sees one stream in time order.
 *
 * A row becomes an event as warning.h says: its day is the day the
 * platform could know it — the feed's time column (a month: its last day)
 * plus the feed's lag (docs/formats: credit_status 10 days, litigation 3,
 * the daily feeds 1) — so a replay acts only on what was known, and a
 * backtest's lead times are not flattered by data that had not arrived; its firm the feed's `uscc` column, its
 * values the catalogue's int, money, share, decimal and enum columns in
 * order (money in fen as stored, share and decimal from the REAL column to
 * 1e-8 units, an enum as its position in the column's list). Empty fields
 * are 0. credit_status holds a row per loan and month: its rows are summed
 * per firm and month in SQL (money summed, everything else the largest), so
 * a firm with three loans is one event with its worst days past due.
 *
 * The platform's own records (feeds.c) are not feed tables: their rows are
 * read through the module that owns them, a month at a time like the rest,
 * into a buffer, and merged the same way (after every catalogue feed on a
 * tie). voucher_late_settlements is ph_voucher_late_settlements: an event
 * of the part's holder (paid_to; a part paid to its financier is about no
 * registered firm and is skipped and counted), dated the day paid (the
 * platform records it that day: no lag), its fields days_late and amount.
 * A follow reads ingest files only, so it does not read them.
 *
 * Memory: one row per feed, and a month of a record's rows. A replay reads
 * a month of rows at a time (the database sorts a month, not the history);
 * a follow reads the rows of the new files, one query per feed.
 */
#include <stdio.h>
#include <string.h>

#include "puhui/feed.h"
#include "puhui/schema.h"
#include "puhui/value.h"
#include "puhui/voucher.h"

#include "monitor/monitor_internal.h"
#include "monitor/watch_internal.h"

/* Feeds whose rows are per loan, summed to one event per firm and period. */
static const char *const AGGREGATED[] = {"credit_status"};

typedef struct feed_reader {
    int feed;                 /* ph_warn_feed_index */
    const ph_feed *f;
    int monthly;              /* the time column is a MONTH */
    int lag;                  /* the feed's lag: an event is dated when the platform knows it */
    size_t nfields;
    const ph_feed_column *field[PH_WARN_FIELDS];
    char table[96];
    char sql[2048];
    ph_stmt *stmt;
    int active;               /* the statement may have rows for the current chunk */
    int has_head;
    watch_row head;
    char uscc[19];
    /* a platform record: the chunk's rows, read through its module */
    int record;
    watch_row *rows;          /* rows[next .. nrows) are still to come */
    char (*row_uscc)[19];
    size_t nrows, next, rows_cap;
} feed_reader;

struct watch_source {
    ph_store *store;
    const ph_ctx *ctx;
    const watch_firms *firms;
    feed_reader *r;
    size_t n;
    int by_files;
    int64_t after, upto;
    ph_date from, to;
    ph_month month, last_month; /* the chunk being read, the last one */
    int started;
    int64_t skipped;
    char last_uscc[19];
};

uint64_t watch_rules_feeds(const ph_warn_rules *rules)
{
    uint64_t bits = 0;
    size_t n = ph_warn_rules_count(rules);
    for (size_t i = 0; i < n; i++) {
        const ph_warn_rule_info *info = ph_warn_rules_at(rules, i);
        int f = info != NULL && info->feed != NULL ? ph_warn_feed_index(info->feed) : -1;
        if (f >= 0 && f < 64)
            bits |= (uint64_t)1 << f;
    }
    return bits;
}

/* ---- building a feed's query ------------------------------------------------------------- */

static int aggregated(const ph_feed *f)
{
    for (size_t i = 0; i < sizeof(AGGREGATED) / sizeof(AGGREGATED[0]); i++)
        if (strcmp(AGGREGATED[i], f->name) == 0)
            return 1;
    return 0;
}

/* The firm's column: "uscc", else the first USCC column. */
static const char *firm_column(const ph_feed *f)
{
    if (ph_feed_column_index(f, "uscc") >= 0)
        return "uscc";
    for (size_t i = 0; i < f->column_count; i++)
        if (f->columns[i].type == PH_FIELD_USCC)
            return f->columns[i].name;
    return NULL;
}

/* Append the strings (up to a NULL) to buf, cut at its size. */
static void cat(char *buf, size_t size, const char *a, const char *b, const char *c)
{
    const char *parts[] = {a, b, c};
    size_t len = strlen(buf);
    for (size_t i = 0; i < 3 && parts[i] != NULL; i++) {
        size_t n = strlen(parts[i]);
        if (len + n + 1 > size)
            n = len + 1 < size ? size - len - 1 : 0;
        memcpy(buf + len, parts[i], n);
        len += n;
        buf[len] = '\0';
    }
}

static void record_fields(feed_reader *r)
{
    r->nfields = ph_warn_field_count((size_t)r->feed);
    for (size_t i = 0; i < r->nfields; i++)
        r->field[i] = ph_warn_field_at((size_t)r->feed, i);
}

static ph_status reader_init(feed_reader *r, int feed, int by_files, ph_error *err)
{
    memset(r, 0, sizeof(*r));
    r->feed = feed;
    r->f = ph_warn_feed_at((size_t)feed);
    if (r->f != NULL && warn_feed_is_record((size_t)feed)) {
        r->record = 1;
        record_fields(r);
        snprintf(r->table, sizeof(r->table), "%s", r->f->name);
        return PH_OK;
    }
    const char *firm = r->f != NULL ? firm_column(r->f) : NULL;
    if (r->f == NULL || firm == NULL || r->f->time_column == NULL)
        return ph_error_set(err, PH_EINVAL, "feed", r->f != NULL ? r->f->name : NULL,
                            "expected a monitored feed with a firm and a time column");
    int t = ph_feed_column_index(r->f, r->f->time_column);
    r->monthly = t >= 0 && r->f->columns[t].type == PH_FIELD_MONTH;
    r->lag = r->f->lag_days;
    r->nfields = ph_warn_field_count((size_t)feed);
    for (size_t i = 0; i < r->nfields; i++)
        r->field[i] = ph_warn_field_at((size_t)feed, i);
    ph_status st = ph_schema_feed_table(r->f, 0, r->table, sizeof(r->table), err);
    if (st != PH_OK)
        return st;
    int agg = aggregated(r->f);
    char *q = r->sql;
    size_t size = sizeof(r->sql);
    const char *time = r->f->time_column;
    q[0] = '\0';
    cat(q, size, "SELECT ", time, ", ");
    cat(q, size, firm, NULL, NULL);
    for (size_t i = 0; i < r->nfields; i++) {
        char col[96];
        st = ph_schema_feed_column(r->field[i], col, sizeof(col), err);
        if (st != PH_OK)
            return st;
        if (!agg)
            cat(q, size, ", ", col, NULL);
        else
            cat(q, size, r->field[i]->type == PH_FIELD_MONEY ? ", sum(" : ", max(", col, ")");
    }
    cat(q, size, agg ? ", min(file_id), min(line) FROM " : ", file_id, line FROM ", r->table,
        " WHERE ");
    if (by_files)
        cat(q, size, "file_id > ?1 AND file_id <= ?2", NULL, NULL);
    else
        cat(q, size, time, " BETWEEN ?1 AND ?2", NULL);
    if (agg) {
        cat(q, size, " GROUP BY ", time, ", ");
        cat(q, size, firm, " ORDER BY ", time);
        cat(q, size, ", ", firm, NULL);
    } else {
        cat(q, size, " ORDER BY ", time, NULL);
        /* then the natural key, so a day's rows come in one order every run */
        const char *p = r->f->key;
        while (*p != '\0') {
            size_t len = strcspn(p, ",");
            char name[64], col[96];
            snprintf(name, sizeof(name), "%.*s", (int)len, p);
            int idx = ph_feed_column_index(r->f, name);
            if (idx >= 0 && ph_schema_feed_column(&r->f->columns[idx], col, sizeof(col), NULL) ==
                                PH_OK)
                cat(q, size, ", ", col, NULL);
            p += len;
            if (*p == ',')
                p++;
        }
    }
    if (strlen(q) + 1 >= size)
        return ph_error_set(err, PH_EMISUSE, "feed", r->f->name, "the feed's query is too long");
    return PH_OK;
}

/* ---- reading a row ----------------------------------------------------------------------- */

static ph_status bad_value(const feed_reader *r, int col, const char *expected, ph_error *err)
{
    const char *text = ph_stmt_column_text(r->stmt, col);
    int base = 2 + (int)r->nfields;
    return ph_error_set(err, PH_EINVAL, ph_stmt_column_name(r->stmt, col), text ? text : "NULL",
                        "expected %s in table %s (the row of ingest file %lld, line %lld)",
                        expected, r->table, (long long)ph_stmt_column_int64(r->stmt, base),
                        (long long)ph_stmt_column_int64(r->stmt, base + 1));
}

static ph_status read_day(const feed_reader *r, ph_date *out, ph_error *err)
{
    const char *s = ph_stmt_column_text(r->stmt, 0);
    if (s == NULL)
        return bad_value(r, 0, r->monthly ? "a month YYYY-MM" : "a date YYYY-MM-DD", err);
    if (r->monthly) {
        ph_month m;
        if (ph_month_parse(s, strlen(s), &m, NULL) != PH_OK ||
            ph_month_last_day(m, out, NULL) != PH_OK)
            return bad_value(r, 0, "a month YYYY-MM", err);
        *out += r->lag;
        return PH_OK;
    }
    if (ph_date_parse(s, strlen(s), out, NULL) != PH_OK)
        return bad_value(r, 0, "a date YYYY-MM-DD", err);
    *out += r->lag;
    return PH_OK;
}

static ph_status read_field(const feed_reader *r, size_t i, int64_t *out, ph_error *err)
{
    int col = 2 + (int)i;
    *out = 0;
    if (ph_stmt_column_is_null(r->stmt, col))
        return PH_OK;
    const ph_feed_column *c = r->field[i];
    switch (c->type) {
    case PH_FIELD_INT:
    case PH_FIELD_MONEY:
        *out = ph_stmt_column_int64(r->stmt, col);
        return PH_OK;
    case PH_FIELD_SHARE:
    case PH_FIELD_DECIMAL: {
        ph_decimal d = 0;
        if (ph_decimal_from_double(ph_stmt_column_double(r->stmt, col), &d, NULL) != PH_OK)
            return bad_value(r, col, "a decimal number", err);
        *out = d;
        return PH_OK;
    }
    case PH_FIELD_ENUM: {
        const char *s = ph_stmt_column_text(r->stmt, col);
        int64_t code = s != NULL ? warn_enum_code(c, s, strlen(s)) : -1;
        if (code < 0) {
            char expected[256];
            snprintf(expected, sizeof(expected), "one of %s", c->values);
            return bad_value(r, col, expected, err);
        }
        *out = code;
        return PH_OK;
    }
    default:
        return bad_value(r, col, "a value a rule can read", err);
    }
}

/* ---- the platform's own records ------------------------------------------------------- */

typedef struct record_fill {
    watch_source *src;
    feed_reader *r;
} record_fill;

static ph_status record_push(record_fill *fill, const char *uscc, ph_date day,
                             const int64_t *v, size_t nv, ph_error *err)
{
    watch_source *src = fill->src;
    feed_reader *r = fill->r;
    int64_t firm = uscc != NULL ? watch_firms_find(src->firms, uscc, strlen(uscc)) : -1;
    if (firm < 0) {
        src->skipped++;
        return PH_OK;
    }
    if (r->nrows == r->rows_cap) {
        size_t cap = r->rows_cap ? r->rows_cap * 2 : 64;
        watch_row *rows = ph_realloc(src->ctx, r->rows, cap * sizeof(*rows));
        if (rows != NULL)
            r->rows = rows;
        char(*u)[19] = rows != NULL ? ph_realloc(src->ctx, r->row_uscc, cap * sizeof(*u)) : NULL;
        if (u == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the %s rows",
                                r->f->name);
        r->row_uscc = u;
        r->rows_cap = cap;
    }
    watch_row *row = &r->rows[r->nrows];
    memset(row, 0, sizeof(*row));
    row->ev.day = day;
    row->ev.firm = (uint32_t)firm;
    row->ev.feed = (uint16_t)r->feed;
    for (size_t i = 0; i < nv && i < PH_WARN_FIELDS; i++)
        row->ev.v[i] = v[i];
    memcpy(r->row_uscc[r->nrows], uscc, 18);
    r->row_uscc[r->nrows][18] = '\0';
    r->nrows++;
    return PH_OK;
}

/* One late settlement: the fields in the record's order (feeds.c). */
static ph_status take_settlement(void *user, const ph_voucher_settlement *s, ph_error *err)
{
    record_fill *fill = user;
    int64_t v[PH_WARN_FIELDS] = {0};
    for (size_t i = 0; i < fill->r->nfields; i++) {
        const char *name = fill->r->field[i]->name;
        v[i] = strcmp(name, "days_late") == 0 ? s->days_late
               : strcmp(name, "amount") == 0  ? s->amount
                                              : 0;
    }
    return record_push(fill, s->paid_to, s->on, v, fill->r->nfields, err);
}

/* The record's rows known on lo..hi, in time order, into r->rows. */
static ph_status record_read(watch_source *src, feed_reader *r, ph_date lo, ph_date hi,
                             ph_error *err)
{
    r->nrows = r->next = 0;
    record_fill fill = {src, r};
    if (strcmp(r->f->name, "voucher_late_settlements") == 0)
        return ph_voucher_late_settlements(src->store, lo, hi, take_settlement, &fill, err);
    return ph_error_set(err, PH_EMISUSE, "feed", r->f->name,
                        "expected a platform record the watch knows how to read");
}

/* Step reader r to its next row of a registered firm: has_head set, or
 * cleared at the end of its statement. */
static ph_status reader_step(watch_source *src, feed_reader *r, ph_error *err)
{
    r->has_head = 0;
    if (r->record) {
        if (r->active && r->next < r->nrows) {
            r->head = r->rows[r->next];
            memcpy(r->uscc, r->row_uscc[r->next], sizeof(r->uscc));
            r->head.uscc = r->uscc;
            r->next++;
            r->has_head = 1;
        } else {
            r->active = 0;
        }
        return PH_OK;
    }
    while (r->active) {
        ph_status st = ph_stmt_step(r->stmt, err);
        if (st == PH_DONE) {
            r->active = 0;
            return PH_OK;
        }
        if (st != PH_OK)
            return st;
        const char *uscc = ph_stmt_column_text(r->stmt, 1);
        size_t len = uscc != NULL ? strlen(uscc) : 0;
        int64_t firm = uscc != NULL ? watch_firms_find(src->firms, uscc, len) : -1;
        if (firm < 0) {
            src->skipped++;
            continue;
        }
        watch_row *h = &r->head;
        memset(h, 0, sizeof(*h));
        st = read_day(r, &h->ev.day, err);
        for (size_t i = 0; st == PH_OK && i < r->nfields; i++)
            st = read_field(r, i, &h->ev.v[i], err);
        if (st != PH_OK)
            return st;
        h->ev.firm = (uint32_t)firm;
        h->ev.feed = (uint16_t)r->feed;
        int base = 2 + (int)r->nfields;
        h->file_id = ph_stmt_column_int64(r->stmt, base);
        h->line = ph_stmt_column_int64(r->stmt, base + 1);
        memcpy(r->uscc, uscc, 18);
        r->uscc[18] = '\0';
        h->uscc = r->uscc;
        r->has_head = 1;
        return PH_OK;
    }
    return PH_OK;
}

/* ---- chunks ------------------------------------------------------------------------------ */

static ph_status bind_texts(ph_stmt *s, const char *a, const char *b, ph_error *err)
{
    ph_status st = ph_stmt_bind_text(s, 1, a, -1, err);
    return st == PH_OK ? ph_stmt_bind_text(s, 2, b, -1, err) : st;
}

/* Point every reader at month src->month of [from, to]. */
static ph_status open_month(watch_source *src, ph_error *err)
{
    ph_date first = 0, last = 0;
    ph_status st = ph_month_first_day(src->month, &first, err);
    if (st == PH_OK)
        st = ph_month_last_day(src->month, &last, err);
    if (st != PH_OK)
        return st;
    /* the chunk's days, clipped to the range; a row belongs to the chunk whose
     * days hold the day it is known (its date, a month's last day, plus the
     * feed's lag), so its data date is read `lag` days earlier */
    ph_date lo = first < src->from ? src->from : first, hi = last > src->to ? src->to : last;
    for (size_t i = 0; st == PH_OK && i < src->n; i++) {
        feed_reader *r = &src->r[i];
        char a[PH_DATE_FORMAT_MAX], b[PH_DATE_FORMAT_MAX], m[PH_MONTH_FORMAT_MAX];
        r->active = 0;
        r->has_head = 0;
        if (r->record) {
            st = record_read(src, r, lo, hi, err);
            r->active = st == PH_OK;
            if (st == PH_OK)
                st = reader_step(src, r, err);
            continue;
        }
        if (r->monthly) {
            /* the one month whose last day + lag falls in [lo, hi], if any: the
             * month of lo - lag or of hi - lag (a lag is shorter than a month) */
            ph_month month = 0;
            int found = 0;
            for (int k = 0; k < 2 && st == PH_OK && !found; k++) {
                month = ph_month_of((k == 0 ? lo : hi) - r->lag);
                ph_date month_last = 0;
                st = ph_month_last_day(month, &month_last, err);
                found = st == PH_OK && month_last + r->lag >= lo && month_last + r->lag <= hi;
            }
            if (st != PH_OK)
                break;
            if (!found)
                continue;
            if (ph_month_format(month, m, sizeof(m), err) != PH_OK)
                return PH_EINVAL;
            st = bind_texts(r->stmt, m, m, err);
        } else {
            watch_day_text(lo - r->lag, a);
            watch_day_text(hi - r->lag, b);
            st = bind_texts(r->stmt, a, b, err);
        }
        r->active = st == PH_OK;
        if (st == PH_OK)
            st = reader_step(src, r, err);
    }
    return st;
}

static ph_status source_new(ph_store *store, const watch_firms *firms, uint64_t feeds,
                            int by_files, watch_source **out, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    watch_source *src = ph_calloc(ctx, 1, sizeof(*src));
    size_t nfeeds = ph_warn_feed_count();
    if (src != NULL)
        src->r = ph_calloc(ctx, nfeeds > 0 ? nfeeds : 1, sizeof(feed_reader));
    if (src == NULL || src->r == NULL) {
        ph_free(ctx, src);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the event source");
    }
    src->store = store;
    src->ctx = ctx;
    src->firms = firms;
    src->by_files = by_files;
    ph_status st = PH_OK;
    for (size_t f = 0; st == PH_OK && f < nfeeds && f < 64; f++) {
        if ((feeds & ((uint64_t)1 << f)) == 0)
            continue;
        feed_reader *r = &src->r[src->n];
        /* a follow reads ingest files: a platform record is in none */
        if (by_files && warn_feed_is_record(f))
            continue;
        st = reader_init(r, (int)f, by_files, err);
        if (st == PH_OK && !r->record)
            st = ph_store_prepare(store, r->sql, &r->stmt, err);
        if (st == PH_OK)
            src->n++;
    }
    if (st != PH_OK) {
        watch_source_free(src);
        return st;
    }
    *out = src;
    return PH_OK;
}

ph_status watch_source_days(ph_store *store, const watch_firms *firms, uint64_t feeds,
                            ph_date from, ph_date to, watch_source **out, ph_error *err)
{
    watch_source *src = NULL;
    ph_status st = source_new(store, firms, feeds, 0, &src, err);
    if (st != PH_OK)
        return st;
    src->from = from;
    src->to = to;
    src->month = ph_month_of(from);
    src->last_month = ph_month_of(to);
    *out = src;
    return PH_OK;
}

ph_status watch_source_files(ph_store *store, const watch_firms *firms, uint64_t feeds,
                             int64_t after_file, int64_t upto_file, watch_source **out,
                             ph_error *err)
{
    watch_source *src = NULL;
    ph_status st = source_new(store, firms, feeds, 1, &src, err);
    for (size_t i = 0; st == PH_OK && i < src->n; i++) {
        feed_reader *r = &src->r[i];
        st = ph_stmt_bind_int64(r->stmt, 1, after_file, err);
        if (st == PH_OK)
            st = ph_stmt_bind_int64(r->stmt, 2, upto_file, err);
        r->active = st == PH_OK;
        if (st == PH_OK)
            st = reader_step(src, r, err);
    }
    if (st == PH_OK)
        src->started = 1;
    if (st != PH_OK) {
        watch_source_free(src);
        return st;
    }
    *out = src;
    return PH_OK;
}

ph_status watch_source_next(watch_source *src, watch_row *row, ph_error *err)
{
    for (;;) {
        if (!src->started) {
            if (src->month > src->last_month)
                return PH_DONE;
            ph_status st = open_month(src, err);
            if (st != PH_OK)
                return st;
            src->started = 1;
        }
        feed_reader *best = NULL;
        for (size_t i = 0; i < src->n; i++)
            if (src->r[i].has_head && (best == NULL || src->r[i].head.ev.day < best->head.ev.day))
                best = &src->r[i];
        if (best != NULL) {
            *row = best->head;
            memcpy(src->last_uscc, best->uscc, sizeof(src->last_uscc));
            row->uscc = src->last_uscc;
            return reader_step(src, best, err);
        }
        if (src->by_files)
            return PH_DONE;
        src->month = ph_month_next(src->month);
        src->started = 0;
    }
}

int64_t watch_source_skipped(const watch_source *src)
{
    return src != NULL ? src->skipped : 0;
}

void watch_source_free(watch_source *src)
{
    if (src == NULL)
        return;
    for (size_t i = 0; i < src->n; i++) {
        ph_stmt_free(src->r[i].stmt);
        ph_free(src->ctx, src->r[i].rows);
        ph_free(src->ctx, src->r[i].row_uscc);
    }
    ph_free(src->ctx, src->r);
    ph_free(src->ctx, src);
}
