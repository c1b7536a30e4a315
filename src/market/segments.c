/*
 * The market by segment (docs/marketplace.md#the-market-by-segment): over a
 * period, per city, industry section or size class, how many firms applied,
 * how many applications got an offer, how much was offered at what
 * amount-weighted rate, and how many first-time borrowers (首贷户) got one.
 * Aggregates only: a segment of fewer than PH_MARKET_SEGMENT_MIN_FIRMS firms
 * is folded into "other", and "other" is left out when still that small, so
 * that no figure is one firm's.
 */
#include "market_internal.h"
#include "core/i128.h"

#include <stdio.h>
#include <string.h>

/* How each grouping finds a firm's segment and its names. Every query gives
 * key, label, label_en, application id, USCC, the served decision's approval,
 * offer and rate (NULL without one) and the application's facts, by key,
 * then firm, then application, so that firms are counted without a set. */
typedef struct segment_query {
    const char *by;
    const char *sql;
} segment_query;

#define SEGMENT_TAIL                                                                           \
    "a.id, a.uscc, d.approved, d.offer_fen, d.rate, a.facts FROM application a "               \
    "JOIN enterprise e ON e.uscc = a.uscc "                                                    \
    "LEFT JOIN decision d ON d.application_id = a.id AND d.served = 1 "

static const segment_query SEGMENT_QUERIES[] = {
    /* the prefecture-level city of the firm's county (or the region itself
     * when it is registered above county level) */
    {"city",
     "SELECT CAST(COALESCE(c.code, e.region_code) AS TEXT) AS k, COALESCE(c.name_zh, ''), "
     "COALESCE(c.name_en, ''), " SEGMENT_TAIL
     "LEFT JOIN region r ON r.code = e.region_code "
     "LEFT JOIN region c ON c.code = (CASE WHEN r.level = 'county' THEN r.parent_code ELSE "
     "r.code END) WHERE a.asof BETWEEN ?1 AND ?2 ORDER BY k, a.uscc, a.id"},
    /* the GB/T 4754 letter section */
    {"industry",
     "SELECT e.industry_section AS k, COALESCE(i.name_zh, ''), COALESCE(i.name_en, ''), "
     SEGMENT_TAIL "LEFT JOIN industry_section i ON i.letter = e.industry_section "
     "WHERE a.asof BETWEEN ?1 AND ?2 ORDER BY k, a.uscc, a.id"},
    /* the size class (micro, small, medium, large; unknown when not known) */
    {"size",
     "SELECT COALESCE(e.size_class, 'unknown') AS k, COALESCE(e.size_class, 'unknown'), "
     "COALESCE(e.size_class, 'unknown'), " SEGMENT_TAIL
     "WHERE a.asof BETWEEN ?1 AND ?2 ORDER BY k, a.uscc, a.id"},
};
#define N_QUERIES (sizeof(SEGMENT_QUERIES) / sizeof(SEGMENT_QUERIES[0]))

/* A segment being summed: the public figures and the rate x amount sum. */
typedef struct segment_acc {
    ph_market_segment s;
    i128 rate_x_amount;
} segment_acc;

typedef struct segments_build {
    const ph_ctx *ctx;
    segment_acc *acc;
    size_t n, cap;
    /* the row being read: its application and firm, to count each once */
    int64_t last_app;
    int app_offered;
    char last_uscc[19];
} segments_build;

static char *dup_text(const ph_ctx *ctx, const char *s)
{
    return ph_strdup(ctx, s ? s : "");
}

static segment_acc *open_segment(segments_build *b, const char *key, const char *label,
                                 const char *label_en, ph_error *err)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        segment_acc *grown = ph_realloc(b->ctx, b->acc, cap * sizeof(*grown));
        if (grown == NULL) {
            ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the segments");
            return NULL;
        }
        b->acc = grown;
        b->cap = cap;
    }
    segment_acc *a = &b->acc[b->n];
    memset(a, 0, sizeof(*a));
    char *k = dup_text(b->ctx, key), *l = dup_text(b->ctx, label), *le = dup_text(b->ctx, label_en);
    if (k == NULL || l == NULL || le == NULL) {
        ph_free(b->ctx, k);
        ph_free(b->ctx, l);
        ph_free(b->ctx, le);
        ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the segments");
        return NULL;
    }
    a->s.key = k;
    a->s.label = l;
    a->s.label_en = le;
    b->n++;
    b->last_app = 0;
    b->last_uscc[0] = '\0';
    return a;
}

/* Whether the application's facts say the firm never borrowed before. */
static int first_loan(const char *facts)
{
    json_t *f = facts ? json_loads(facts, 0, NULL) : NULL;
    int yes = json_is_true(json_object_get(f, "first_loan")) ||
              (json_is_integer(json_object_get(f, "first_loan")) &&
               json_integer_value(json_object_get(f, "first_loan")) == 1);
    json_decref(f);
    return yes;
}

static ph_status read_row(segments_build *b, ph_stmt *s, ph_error *err)
{
    const char *key = ph_stmt_column_text(s, 0);
    segment_acc *a = b->n ? &b->acc[b->n - 1] : NULL;
    if (a == NULL || strcmp(a->s.key, key ? key : "") != 0) {
        a = open_segment(b, key, ph_stmt_column_text(s, 1), ph_stmt_column_text(s, 2), err);
        if (a == NULL)
            return PH_ENOMEM;
    }
    int64_t app = ph_stmt_column_int64(s, 3);
    const char *uscc = ph_stmt_column_text(s, 4);
    if (strcmp(b->last_uscc, uscc ? uscc : "") != 0) {
        a->s.firms++;
        snprintf(b->last_uscc, sizeof(b->last_uscc), "%s", uscc ? uscc : "");
    }
    if (app != b->last_app) {
        a->s.applications++;
        b->last_app = app;
        b->app_offered = 0;
    }
    if (ph_stmt_column_is_null(s, 5) || ph_stmt_column_int64(s, 5) == 0)
        return PH_OK;
    ph_money offer = ph_stmt_column_int64(s, 6);
    a->s.offers++;
    a->s.offered += offer;
    a->rate_x_amount += (i128)ph_stmt_column_int64(s, 7) * offer;
    if (!b->app_offered) {
        b->app_offered = 1;
        a->s.approved++;
        a->s.first_time += first_loan(ph_stmt_column_text(s, 8));
    }
    return PH_OK;
}

static ph_rate half_even(i128 num, i128 den)
{
    if (den <= 0)
        return 0;
    i128 q = num / den, rem = num % den;
    if (2 * rem > den || (2 * rem == den && (q & 1)))
        q++;
    return (ph_rate)q;
}

/* Fold every segment of fewer than PH_MARKET_SEGMENT_MIN_FIRMS firms into
 * one "other" segment at the end. "other" is held to the same minimum: when
 * it still counts fewer firms it is left out, and only how many firms were
 * left out is told (*suppressed), since one or two firms' figures would be
 * theirs whatever the segment is called. */
static ph_status fold_small(segments_build *b, int64_t *suppressed, ph_error *err)
{
    segment_acc other;
    memset(&other, 0, sizeof(other));
    size_t kept = 0;
    int folded = 0;
    for (size_t i = 0; i < b->n; i++) {
        segment_acc *a = &b->acc[i];
        if (a->s.firms >= PH_MARKET_SEGMENT_MIN_FIRMS) {
            b->acc[kept++] = *a;
            continue;
        }
        folded = 1;
        other.s.firms += a->s.firms;
        other.s.applications += a->s.applications;
        other.s.approved += a->s.approved;
        other.s.offers += a->s.offers;
        other.s.offered += a->s.offered;
        other.s.first_time += a->s.first_time;
        other.rate_x_amount += a->rate_x_amount;
        ph_free(b->ctx, (char *)a->s.key);
        ph_free(b->ctx, (char *)a->s.label);
        ph_free(b->ctx, (char *)a->s.label_en);
    }
    b->n = kept;
    *suppressed = 0;
    if (!folded)
        return PH_OK;
    if (other.s.firms < PH_MARKET_MIN_FIRMS) {
        *suppressed = other.s.firms;
        return PH_OK;
    }
    segment_acc *a = open_segment(b, "other", "其他", "other", err);
    if (a == NULL)
        return PH_ENOMEM;
    other.s.key = a->s.key;
    other.s.label = a->s.label;
    other.s.label_en = a->s.label_en;
    *a = other;
    return PH_OK;
}

void ph_market_segments_free(ph_market_segments *segments)
{
    if (segments == NULL)
        return;
    for (size_t i = 0; i < segments->n; i++) {
        ph_free(segments->ctx, (char *)segments->items[i].key);
        ph_free(segments->ctx, (char *)segments->items[i].label);
        ph_free(segments->ctx, (char *)segments->items[i].label_en);
    }
    ph_free(segments->ctx, segments->items);
    ph_free(segments->ctx, segments);
}

ph_status ph_market_segments_build(ph_store *store, const char *by, ph_date from, ph_date to,
                                   ph_market_segments **out, ph_error *err)
{
    if (store == NULL || by == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_market_segments_build: NULL argument");
    const segment_query *q = NULL;
    for (size_t i = 0; i < N_QUERIES; i++)
        if (strcmp(SEGMENT_QUERIES[i].by, by) == 0)
            q = &SEGMENT_QUERIES[i];
    if (q == NULL)
        return ph_error_set(err, PH_EINVAL, "by", by, "expected city, industry or size");
    if (from && to && to < from) {
        char v[PH_DATE_FORMAT_MAX];
        ph_date_format(to, v, sizeof(v), NULL);
        return ph_error_set(err, PH_EINVAL, "to", v, "expected a day on or after 'from'");
    }
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_status st = ph_store_require_schema(store, MARKET_SCHEMA, "the marketplace", err);
    segments_build b;
    memset(&b, 0, sizeof(b));
    b.ctx = ctx;
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, q->sql, &s, err);
    if (st == PH_OK)
        st = market_bind_period(s, 1, from, to, err);
    while (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK)
        st = read_row(&b, s, err);
    ph_stmt_free(s);
    if (st == PH_DONE)
        st = PH_OK;
    int64_t suppressed = 0;
    if (st == PH_OK)
        st = fold_small(&b, &suppressed, err);
    ph_market_segments *r = NULL;
    if (st == PH_OK) {
        r = ph_malloc(ctx, sizeof(*r));
        ph_market_segment *items = b.n ? ph_malloc(ctx, b.n * sizeof(*items)) : NULL;
        if (r == NULL || (b.n && items == NULL)) {
            ph_free(ctx, r);
            ph_free(ctx, items);
            r = NULL;
            st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the segments");
        } else {
            memset(r, 0, sizeof(*r));
            r->ctx = ctx;
            r->by = q->by;
            r->n = b.n;
            r->items = items;
            r->suppressed_firms = suppressed;
        }
    }
    if (st != PH_OK) {
        for (size_t i = 0; i < b.n; i++) {
            ph_free(ctx, (char *)b.acc[i].s.key);
            ph_free(ctx, (char *)b.acc[i].s.label);
            ph_free(ctx, (char *)b.acc[i].s.label_en);
        }
        ph_free(ctx, b.acc);
        return st;
    }
    for (size_t i = 0; i < b.n; i++) {
        segment_acc *a = &b.acc[i];
        a->s.approval_rate = half_even((i128)a->s.approved * 100000000, a->s.applications);
        a->s.avg_rate = half_even(a->rate_x_amount, a->s.offered);
        r->items[i] = a->s;
    }
    ph_free(ctx, b.acc);
    *out = r;
    return PH_OK;
}
