/*
 * Reading the feed tables into each firm's records (features_internal.h).
 *
 * Each table is read once, current rows and then superseded versions, and
 * every row version becomes a record valid over a range of the as-of dates.
 * Daily rows are summed per firm, month and validity range as they arrive,
 * so a year of daily payments becomes about two records a month. The
 * tables are independent, so worker threads read them in parallel, each on
 * its own connection. For one firm the same code reads only its rows,
 * through the primary key or the uscc indexes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/date.h"
#include "puhui/feed.h"
#include "puhui/schema.h"

#include "features/features_internal.h"

/* --- A row, as a handler sees it ------------------------------------------- */

typedef struct fs_row {
    ph_stmt *stmt;
    const char *table;
    ph_error *err;
} fs_row;

/* What a handler makes of a row: up to two records (a supply-chain link
 * belongs to its supplier and to its buyer), each for the firm in column
 * `uscc_col`, and the date its event happens (INT32_MIN: none). */
typedef struct fs_out {
    int count;
    int uscc_col[2];
    fs_rec rec[2];
    ph_date when[2];
} fs_out;

static ph_status bad_value(const fs_row *row, int col, const char *what)
{
    const char *text = ph_stmt_column_text(row->stmt, col);
    ph_error_set(row->err, PH_EINVAL, ph_stmt_column_name(row->stmt, col), text ? text : "NULL",
                 "expected %s in table %s", what, row->table);
    /* A constant, not ph_error_set's result, so that the compiler sees that a
     * column that failed never reports PH_OK (and its output is never read). */
    return PH_EINVAL;
}

static ph_status col_date(const fs_row *row, int col, int32_t *out)
{
    const char *s = ph_stmt_column_text(row->stmt, col);
    ph_date d;
    if (s == NULL || ph_date_parse(s, strlen(s), &d, NULL) != PH_OK)
        return bad_value(row, col, "a date YYYY-MM-DD");
    *out = d;
    return PH_OK;
}

/* A date that may be NULL: `none` then. */
static ph_status col_date_or(const fs_row *row, int col, int32_t none, int32_t *out)
{
    if (ph_stmt_column_is_null(row->stmt, col)) {
        *out = none;
        return PH_OK;
    }
    return col_date(row, col, out);
}

static ph_status col_month(const fs_row *row, int col, int32_t *out)
{
    const char *s = ph_stmt_column_text(row->stmt, col);
    ph_month m;
    if (s == NULL || ph_month_parse(s, strlen(s), &m, NULL) != PH_OK)
        return bad_value(row, col, "a month YYYY-MM");
    *out = m;
    return PH_OK;
}

static ph_status col_int(const fs_row *row, int col, int64_t *out)
{
    if (ph_stmt_column_is_null(row->stmt, col))
        return bad_value(row, col, "a number");
    *out = ph_stmt_column_int64(row->stmt, col);
    if (*out < 0)
        return bad_value(row, col, "a number not below 0");
    return PH_OK;
}

/* The index of `text` in `names` (NULL-terminated), or -1. */
static int col_enum(const fs_row *row, int col, const char *const *names)
{
    const char *s = ph_stmt_column_text(row->stmt, col);
    for (int i = 0; s != NULL && names[i] != NULL; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static ph_status enum_or_fail(const fs_row *row, int col, const char *const *names, int *out)
{
    *out = col_enum(row, col, names);
    return *out < 0 ? bad_value(row, col, "a value of the feed's enumeration") : PH_OK;
}

/* One record for the firm in column 0. */
static fs_rec *one(fs_out *out, ph_date when)
{
    out->count = 1;
    out->uscc_col[0] = 0;
    out->when[0] = when;
    memset(&out->rec[0], 0, sizeof(out->rec[0]));
    return &out->rec[0];
}

/* --- Handlers, one per source: the columns are the table spec's ---------- */

static ph_status row_reg(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    int64_t region;
    int kind;
    const char *industry = ph_stmt_column_text(row->stmt, 2);
    ph_status st = col_int(row, 1, &region);
    if (st == PH_OK && (industry == NULL || industry[0] < 'A' || industry[0] > 'Z'))
        st = bad_value(row, 2, "an industry code such as C13");
    if (st == PH_OK)
        st = col_date(row, 3, &r->t);
    if (st == PH_OK && (kind = ph_business_status_parse(ph_stmt_column_text(row->stmt, 4))) < 0)
        st = bad_value(row, 4, "a value of the feed's enumeration");
    if (st == PH_OK)
        st = col_date_or(row, 5, r->t, &r->t2);
    if (st != PH_OK)
        return st;
    r->v[0] = region;
    r->v[1] = industry[0];
    r->kind = (uint16_t)kind;
    return PH_OK;
}

static ph_status row_vat(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    ph_status st = col_month(row, 1, &r->t);
    if (st == PH_OK)
        st = col_int(row, 2, &r->v[0]);
    if (st == PH_OK)
        st = col_int(row, 3, &r->v[1]);
    if (st == PH_OK && !ph_stmt_column_is_null(row->stmt, 4)) {
        double share = ph_stmt_column_double(row->stmt, 4);
        if (!(share >= 0.0 && share <= 1.0))
            return bad_value(row, 4, "a share from 0 to 1");
        /* the top buyer's sales in fen: integers add up the same in any order */
        r->v[2] = (int64_t)((double)r->v[0] * share + 0.5);
        r->v[3] = r->v[0];
    }
    return st;
}

static ph_status row_tax(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    int64_t late;
    ph_status st = col_month(row, 1, &r->t);
    if (st == PH_OK)
        st = col_int(row, 2, &r->v[0]);
    if (st == PH_OK)
        st = col_int(row, 3, &late);
    if (st != PH_OK)
        return st; /* `late` is set only when every column read */
    r->v[1] = late > 0;
    return PH_OK;
}

static ph_status row_grade(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    int64_t year;
    int score;
    ph_status st = col_int(row, 1, &year);
    /* the grade's rank is its score: A=4, B=3, M=2, C=1, D=0 */
    if (st == PH_OK && (score = ph_tax_grade_rank(ph_stmt_column_text(row->stmt, 2))) < 0)
        st = bad_value(row, 2, "a value of the feed's enumeration");
    if (st == PH_OK)
        st = col_date(row, 3, &r->t);
    if (st != PH_OK)
        return st;
    if (year > 9999)
        return bad_value(row, 1, "a year");
    r->t2 = (int32_t)year;
    r->kind = (uint16_t)score;
    out->when[0] = r->t;
    return PH_OK;
}

static ph_status row_ss(const fs_row *row, fs_out *out)
{
    static const char *const yn[] = {"Y", "N", NULL};
    fs_rec *r = one(out, INT32_MIN);
    int late;
    ph_status st = col_month(row, 1, &r->t);
    if (st == PH_OK)
        st = col_int(row, 2, &r->v[0]);
    if (st == PH_OK)
        st = col_int(row, 3, &r->v[1]);
    if (st == PH_OK)
        st = enum_or_fail(row, 4, yn, &late);
    if (st != PH_OK)
        return st; /* `late` is set only when every column read */
    r->v[2] = late == 1;
    return PH_OK;
}

/* A daily row: its month is the record's, the day is when it happened. */
static ph_status row_day(const fs_row *row, fs_out *out, ph_date *day)
{
    fs_rec *r = one(out, INT32_MIN);
    ph_status st = col_date(row, 1, day);
    if (st != PH_OK)
        return st;
    r->t = ph_month_of(*day);
    out->when[0] = *day;
    return PH_OK;
}

static ph_status row_power_daily(const fs_row *row, fs_out *out)
{
    ph_date day;
    ph_status st = row_day(row, out, &day);
    return st == PH_OK ? col_int(row, 2, &out->rec[0].v[0]) : st;
}

static ph_status row_power_monthly(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    ph_status st = col_month(row, 1, &r->t);
    return st == PH_OK ? col_int(row, 2, &r->v[0]) : st;
}

static ph_status row_pay(const fs_row *row, fs_out *out)
{
    ph_date day;
    int64_t count = 0;
    ph_status st = row_day(row, out, &day);
    fs_rec *r = &out->rec[0];
    if (st == PH_OK)
        st = col_int(row, 2, &count);
    if (st == PH_OK)
        st = col_int(row, 3, &r->v[0]);
    if (st != PH_OK)
        return st;
    int inflow = count > 0 && r->v[0] > 0;
    r->v[1] = inflow;
    r->t2 = inflow ? day : INT32_MIN;
    return PH_OK;
}

static ph_status row_lit(const fs_row *row, fs_out *out)
{
    static const char *const roles[] = {"plaintiff", "defendant", "enforced_party", NULL};
    static const char *const states[] = {"open", "closed", NULL};
    fs_rec *r = one(out, INT32_MIN);
    int role, state;
    ph_status st = col_date(row, 1, &r->t);
    if (st == PH_OK)
        st = enum_or_fail(row, 3, roles, &role);
    if (st == PH_OK)
        st = enum_or_fail(row, 4, states, &state);
    /* open until closed_on; a closed case without a date closed when filed */
    if (st == PH_OK)
        st = state == 0 ? (r->t2 = INT32_MAX, PH_OK) : col_date_or(row, 5, r->t, &r->t2);
    if (st != PH_OK)
        return st;
    const char *type = ph_stmt_column_text(row->stmt, 2);
    int enforcement = type != NULL && strcmp(type, "enforcement") == 0;
    r->kind = (uint16_t)((role != 0 ? FS_LIT_AGAINST : 0) |
                         (role == 2 || (enforcement && role != 0) ? FS_LIT_ENFORCEMENT : 0));
    out->when[0] = r->t;
    return PH_OK;
}

static ph_status row_pen(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    ph_status st = col_date(row, 1, &r->t);
    if (st != PH_OK)
        return st;
    const char *authority = ph_stmt_column_text(row->stmt, 2);
    const char *severity = ph_stmt_column_text(row->stmt, 3);
    r->kind = (uint16_t)((severity && strcmp(severity, "serious") == 0 ? FS_PEN_SERIOUS : 0) |
                         (authority && strcmp(authority, "environment") == 0 ? FS_PEN_ENVIRONMENT
                                                                              : 0));
    out->when[0] = r->t;
    return PH_OK;
}

static ph_status row_sub(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    ph_status st = col_date(row, 1, &r->t);
    if (st == PH_OK)
        st = col_int(row, 3, &r->v[0]);
    const char *programme = ph_stmt_column_text(row->stmt, 2);
    r->kind = programme != NULL && strcmp(programme, "green") == 0;
    out->when[0] = r->t;
    return st;
}

static ph_status row_pat(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    ph_status st = col_date(row, 2, &r->t);
    const char *kind = ph_stmt_column_text(row->stmt, 1);
    r->kind = kind != NULL && strcmp(kind, "invention") == 0;
    out->when[0] = r->t;
    return st;
}

static ph_status row_loan(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    ph_status st = col_date(row, 1, &r->t);
    if (st == PH_OK)
        st = col_date(row, 2, &r->t2);
    out->when[0] = r->t;
    return st;
}

static ph_status row_cs(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    ph_status st = col_month(row, 1, &r->t);
    if (st == PH_OK)
        st = col_int(row, 2, &r->v[0]);
    if (st == PH_OK)
        st = col_int(row, 3, &r->v[1]);
    return st;
}

static ph_status row_chain(const fs_row *row, fs_out *out)
{
    fs_rec *r = one(out, INT32_MIN);
    int64_t tier;
    ph_status st = col_int(row, 2, &tier);
    if (st == PH_OK)
        st = col_date(row, 3, &r->t);
    if (st != PH_OK)
        return st;
    if (tier < 1 || tier > 99)
        return bad_value(row, 2, "a tier from 1 to 99");
    r->kind = (uint16_t)tier;
    out->when[0] = r->t;
    out->rec[1] = *r;
    out->rec[1].kind = (uint16_t)(FS_CHAIN_BUYER + tier);
    out->uscc_col[1] = 1;
    out->when[1] = r->t;
    out->count = 2;
    return PH_OK;
}

/* --- The tables ---------------------------------------------------------------- */

typedef struct fs_table {
    fs_source source;
    const char *feed;
    const char *columns;  /* the handler's columns; the firm's uscc first */
    const char *one_firm; /* the WHERE clause that reads one firm's rows */
    int daily;            /* sum rows per month as they arrive */
    ph_status (*row)(const fs_row *row, fs_out *out);
} fs_table;

/* Largest first, so that two workers finish together. */
static const fs_table TABLES[] = {
    {FS_PAY, "payments_daily", "uscc, date, inflow_count, inflow_amount_fen", "uscc = ?1", 1,
     row_pay},
    {FS_PWR_DAILY, "electricity_daily", "uscc, date, kwh", "uscc = ?1", 1, row_power_daily},
    {FS_TAX, "tax_payments", "uscc, period, amount_paid_fen, days_late", "uscc = ?1", 0,
     row_tax},
    {FS_VAT, "vat_invoices", "uscc, month, sales_amount_fen, purchase_amount_fen, "
     "top_buyer_share", "uscc = ?1", 0, row_vat},
    {FS_CS, "credit_status", "uscc, month, balance_fen, days_past_due", "uscc = ?1", 0, row_cs},
    {FS_PWR_MONTHLY, "electricity_monthly", "uscc, month, kwh", "uscc = ?1", 0,
     row_power_monthly},
    {FS_SS, "social_security", "uscc, month, insured_headcount, wage_base_total_fen, "
     "paid_on_time", "uscc = ?1", 0, row_ss},
    {FS_GRADE, "tax_grades", "uscc, year, grade, assessed_on", "uscc = ?1", 0, row_grade},
    {FS_LOAN, "credit_loans", "uscc, opened_on, maturity_on", "uscc = ?1", 0, row_loan},
    {FS_SUB, "subsidies", "uscc, paid_on, programme, amount_fen", "uscc = ?1", 0, row_sub},
    {FS_LIT, "litigation", "uscc, filed_on, case_type, role, status, closed_on", "uscc = ?1", 0,
     row_lit},
    {FS_PEN, "penalties", "uscc, decided_on, authority, severity", "uscc = ?1", 0, row_pen},
    {FS_PAT, "patents", "uscc, kind, granted_on", "uscc = ?1", 0, row_pat},
    {FS_CHAIN, "supply_chain", "supplier_uscc, buyer_uscc, tier, since",
     "supplier_uscc = ?1 OR buyer_uscc = ?1", 0, row_chain},
};
#define TABLE_COUNT (sizeof(TABLES) / sizeof(TABLES[0]))

static const fs_table REGISTRATION = {FS_REG, "registration", "uscc, region_code, "
                                      "industry_code, registered_on, status, status_date",
                                      "uscc = ?1", 0, row_reg};

/* --- Collecting one source's records ------------------------------------------ */

typedef struct fs_sink {
    const ph_ctx *ctx;
    fs_rec *rec;
    uint32_t *firm;
    size_t n, cap;
} fs_sink;

static ph_status sink_push(fs_sink *s, uint32_t firm, const fs_rec *r, ph_error *err)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        fs_rec *rec = ph_realloc(s->ctx, s->rec, cap * sizeof(*rec));
        if (rec != NULL)
            s->rec = rec;
        uint32_t *firm_ids = ph_realloc(s->ctx, s->firm, cap * sizeof(*firm_ids));
        if (firm_ids != NULL)
            s->firm = firm_ids;
        if (rec == NULL || firm_ids == NULL)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading features");
        s->cap = cap;
    }
    s->rec[s->n] = *r;
    s->firm[s->n++] = firm;
    return PH_OK;
}

/* Add a daily row into the record of its firm, month and validity, which is
 * among the last few pushed (rows arrive in date order). */
static ph_status sink_add_daily(fs_sink *s, uint32_t firm, const fs_rec *r, const char *table,
                                ph_error *err)
{
    for (size_t back = 0; back < 4 && back < s->n; back++) {
        fs_rec *q = &s->rec[s->n - 1 - back];
        if (s->firm[s->n - 1 - back] != firm || q->t != r->t)
            break;
        if (q->a0 != r->a0 || q->a1 != r->a1)
            continue;
        for (int i = 0; i < 4; i++)
            if (__builtin_add_overflow(q->v[i], r->v[i], &q->v[i]))
                return ph_error_set(err, PH_ERANGE, table, NULL,
                                    "a month's total does not fit in 64 bits");
        if (r->t2 > q->t2)
            q->t2 = r->t2;
        q->n++;
        return PH_OK;
    }
    return sink_push(s, firm, r, err);
}

/* --- Reading one table ---------------------------------------------------------- */

/* First as-of index whose date is >= d (nasof when none). */
static uint16_t first_at_or_after(const fs_data *data, ph_date d)
{
    size_t lo = 0, hi = data->nasof;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (data->asof[mid] < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint16_t)lo;
}

/* The firm with this code, or -1. `hint` remembers the last one found. */
static long find_firm(const fs_data *data, const char *uscc, long *hint)
{
    if (uscc == NULL)
        return -1;
    if (*hint >= 0 && memcmp(data->uscc[*hint], uscc, 19) == 0)
        return *hint;
    size_t lo = 0, hi = data->nfirms;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(data->uscc[mid], uscc);
        if (c == 0)
            return *hint = (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

typedef struct fs_reader {
    ph_store *store;
    const fs_data *data;
    const char *uscc; /* one firm, or NULL for all */
    fs_sink *sink;
} fs_reader;

static ph_status read_version(const fs_reader *rd, const fs_table *spec, int history,
                              ph_error *err)
{
    char table[96], sql[512];
    const ph_feed *feed = ph_feed_find(spec->feed);
    ph_status st = ph_schema_feed_table(feed, history, table, sizeof(table), err);
    if (st != PH_OK)
        return st;
    snprintf(sql, sizeof(sql), "SELECT %s, known_on%s FROM %s%s%s", spec->columns,
             history ? ", superseded_on" : "", table, rd->uscc ? " WHERE " : "",
             rd->uscc ? spec->one_firm : "");
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(rd->store, sql, &stmt, err);
    if (st == PH_OK && rd->uscc != NULL)
        st = ph_stmt_bind_text(stmt, 1, rd->uscc, -1, err);
    int known_col = st == PH_OK ? ph_stmt_column_count(stmt) - (history ? 2 : 1) : 0;
    fs_row row = {stmt, table, err};
    long hint = -1;
    const fs_data *data = rd->data;
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        fs_out out;
        ph_date known = 0, superseded = INT32_MAX;
        st = spec->row(&row, &out);
        if (st == PH_OK)
            st = col_date(&row, known_col, &known);
        if (st == PH_OK && history)
            st = col_date(&row, known_col + 1, &superseded);
        ph_version_span span = ph_schema_version_span(known, history, superseded);
        for (int i = 0; st == PH_OK && i < out.count; i++) {
            long f = find_firm(data, ph_stmt_column_text(stmt, out.uscc_col[i]), &hint);
            if (f < 0)
                continue; /* not a registered firm (a core enterprise, an unknown code) */
            fs_rec *r = &out.rec[i];
            /* valid at the as-of dates in the version's span (schema.h), once
             * its event has happened */
            ph_date from = span.from > out.when[i] ? span.from : out.when[i];
            r->a0 = first_at_or_after(data, from);
            r->a1 = history ? first_at_or_after(data, span.until) : (uint16_t)data->nasof;
            r->n = 1;
            if (r->a0 >= r->a1)
                continue; /* never valid at these dates */
            st = spec->daily ? sink_add_daily(rd->sink, (uint32_t)f, r, table, err)
                             : sink_push(rd->sink, (uint32_t)f, r, err);
        }
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

static ph_status read_table(const fs_reader *rd, const fs_table *spec, ph_error *err)
{
    ph_status st = read_version(rd, spec, 0, err);
    return st == PH_OK ? read_version(rd, spec, 1, err) : st;
}

/* Group a sink's records by firm (stable), into data->rec/off[source]. */
static ph_status settle(fs_data *data, fs_source source, fs_sink *s, ph_error *err)
{
    size_t *off = ph_calloc(data->ctx, data->nfirms + 1, sizeof(*off));
    fs_rec *rec = s->n ? ph_malloc(data->ctx, s->n * sizeof(*rec)) : NULL;
    if (off == NULL || (s->n && rec == NULL)) {
        ph_free(data->ctx, off);
        ph_free(data->ctx, rec);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory reading features");
    }
    for (size_t i = 0; i < s->n; i++)
        off[s->firm[i] + 1]++;
    for (size_t f = 0; f < data->nfirms; f++)
        off[f + 1] += off[f];
    for (size_t i = 0; i < s->n; i++)
        rec[off[s->firm[i]]++] = s->rec[i];
    for (size_t f = data->nfirms; f > 0; f--)
        off[f] = off[f - 1];
    off[0] = 0;
    data->rec[source] = rec;
    data->off[source] = off;
    return PH_OK;
}

/* --- The firms ------------------------------------------------------------------- */

static int cmp_uscc(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

/* Every firm with a registration row (current or superseded). */
static ph_status list_firms(ph_store *store, const char *uscc, fs_data *data, ph_error *err)
{
    const char *sql = uscc ? "SELECT uscc FROM feed_registration WHERE uscc = ?1 UNION "
                             "SELECT uscc FROM feed_registration_history WHERE uscc = ?1"
                           : "SELECT uscc FROM feed_registration UNION "
                             "SELECT uscc FROM feed_registration_history";
    ph_stmt *stmt = NULL;
    ph_status st = ph_store_prepare(store, sql, &stmt, err);
    if (st == PH_OK && uscc != NULL)
        st = ph_stmt_bind_text(stmt, 1, uscc, -1, err);
    size_t cap = 0;
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        const char *code = ph_stmt_column_text(stmt, 0);
        if (code == NULL || strlen(code) != 18) {
            st = ph_error_set(err, PH_EINVAL, "uscc", code ? code : "NULL",
                              "expected an 18-character code in table feed_registration");
            break;
        }
        if (data->nfirms == cap) {
            cap = cap ? cap * 2 : 1024;
            char(*grown)[19] = ph_realloc(data->ctx, data->uscc, cap * sizeof(*grown));
            if (grown == NULL) {
                st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory listing firms");
                break;
            }
            data->uscc = grown;
        }
        memcpy(data->uscc[data->nfirms++], code, 19);
    }
    ph_stmt_free(stmt);
    if (st != PH_DONE)
        return st;
    /* UNION returns them sorted in practice; sort to rely on nothing */
    if (data->nfirms > 1)
        qsort(data->uscc, data->nfirms, sizeof(*data->uscc), cmp_uscc);
    return PH_OK;
}

/* --- Workers ----------------------------------------------------------------------- */

typedef struct fs_job {
    const fs_table *spec;
    fs_sink sink;
    ph_status status;
    ph_error err;
} fs_job;

typedef struct fs_pool {
    ph_store *store; /* the caller's store: used when there is one worker */
    const fs_data *data;
    const char *uscc;
    fs_job *jobs;
    size_t njobs, next, done;
    pthread_mutex_t lock;
    pthread_cond_t finished; /* signalled as each job ends */
    int own_connections;
} fs_pool;

static void *worker(void *arg)
{
    fs_pool *pool = arg;
    ph_store *store = pool->store;
    ph_error open_err;
    ph_status open_st = PH_OK;
    if (pool->own_connections) {
        ph_store_options opts = {0, 1, 1};
        store = NULL;
        open_st = ph_store_open(pool->data->ctx, ph_store_uri(pool->store), &opts, &store,
                                &open_err);
    }
    for (;;) {
        pthread_mutex_lock(&pool->lock);
        size_t i = pool->next < pool->njobs ? pool->next++ : pool->njobs;
        pthread_mutex_unlock(&pool->lock);
        if (i == pool->njobs)
            break;
        fs_job *job = &pool->jobs[i];
        if (open_st != PH_OK) {
            job->status = open_st;
            job->err = open_err;
        } else {
            fs_reader rd = {store, pool->data, pool->uscc, &job->sink};
            ph_error_clear(&job->err);
            job->status = read_table(&rd, job->spec, &job->err);
        }
        pthread_mutex_lock(&pool->lock);
        pool->done++;
        pthread_cond_signal(&pool->finished);
        pthread_mutex_unlock(&pool->lock);
    }
    if (pool->own_connections)
        ph_store_free(store);
    return NULL;
}

static int is_memory(const char *uri)
{
    return uri == NULL || strstr(uri, ":memory:") != NULL || uri[0] == '\0';
}

/* Run every table's job on `threads` workers (1: on this thread). */
static ph_status run_jobs(ph_store *store, fs_data *data, const char *uscc, int threads,
                          fs_job *jobs, size_t njobs, ph_error *err)
{
    fs_pool pool = {.store = store, .data = data, .uscc = uscc, .jobs = jobs, .njobs = njobs};
    /* The static initialisers are for static objects only (POSIX). */
    if (pthread_mutex_init(&pool.lock, NULL) != 0)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "cannot create a lock for the workers");
    if (pthread_cond_init(&pool.finished, NULL) != 0) {
        pthread_mutex_destroy(&pool.lock);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL,
                            "cannot create a condition for the workers");
    }
    fs_progress(data, PH_FEATURES_STAGE_TABLES, 0, njobs);
    if (threads > 1 && !is_memory(ph_store_uri(store))) {
        pthread_t tid[8];
        int started = 0;
        pool.own_connections = 1;
        for (int i = 0; i < threads && i < 8; i++)
            if (pthread_create(&tid[started], NULL, worker, &pool) == 0)
                started++;
        if (started == 0) {
            pool.own_connections = 0;
            worker(&pool);
        }
        /* The progress is reported here, on the calling thread, as the
         * workers finish tables. */
        pthread_mutex_lock(&pool.lock);
        size_t reported = 0;
        while (started > 0 && pool.done < njobs) {
            if (pool.done == reported)
                pthread_cond_wait(&pool.finished, &pool.lock);
            reported = pool.done;
            pthread_mutex_unlock(&pool.lock);
            fs_progress(data, PH_FEATURES_STAGE_TABLES, reported, njobs);
            pthread_mutex_lock(&pool.lock);
        }
        pthread_mutex_unlock(&pool.lock);
        for (int i = 0; i < started; i++)
            pthread_join(tid[i], NULL);
    } else {
        worker(&pool);
    }
    fs_progress(data, PH_FEATURES_STAGE_TABLES, njobs, njobs);
    pthread_mutex_destroy(&pool.lock);
    pthread_cond_destroy(&pool.finished);
    for (size_t i = 0; i < njobs; i++)
        if (jobs[i].status != PH_OK) {
            if (err != NULL)
                *err = jobs[i].err;
            return jobs[i].status;
        }
    return PH_OK;
}

ph_status fs_load(ph_store *store, const char *uscc, int threads, fs_data *data, ph_error *err)
{
    ph_status st = list_firms(store, uscc, data, err);
    if (st != PH_OK)
        return st;
    fs_job jobs[TABLE_COUNT + 1];
    memset(jobs, 0, sizeof(jobs));
    for (size_t i = 0; i <= TABLE_COUNT; i++) {
        jobs[i].spec = i < TABLE_COUNT ? &TABLES[i] : &REGISTRATION;
        jobs[i].sink.ctx = data->ctx;
    }
    st = run_jobs(store, data, uscc, threads, jobs, TABLE_COUNT + 1, err);
    for (size_t i = 0; i <= TABLE_COUNT; i++) {
        if (st == PH_OK)
            st = settle(data, jobs[i].spec->source, &jobs[i].sink, err);
        ph_free(data->ctx, jobs[i].sink.rec);
        ph_free(data->ctx, jobs[i].sink.firm);
    }
    return st;
}

void fs_data_free(fs_data *data)
{
    if (data == NULL)
        return;
    for (int s = 0; s < FS_COUNT; s++) {
        ph_free(data->ctx, data->rec[s]);
        ph_free(data->ctx, data->off[s]);
        data->rec[s] = NULL;
        data->off[s] = NULL;
    }
    ph_free(data->ctx, data->uscc);
    data->uscc = NULL;
    data->nfirms = 0;
}

