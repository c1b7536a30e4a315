/*
 * The warehouse feeds of the synthetic province (issue 20):
 * feeds/warehouse_lots.csv, feeds/warehouse_iot.csv,
 * feeds/commodity_prices.csv and truth/warehouse_anomalies.csv.
 * Byte-identical whatever the thread count; every field valid by the
 * catalogue; owners are manufacturers and wholesalers; a lot has one reading
 * a day exactly while it is stored; the truth file lists exactly the lots
 * whose readings leave normal (a weight drop that stays, a position outside
 * the geofence) from the day it says; anomalies follow the owner's approach
 * to default while healthy owners keep rare ones; prices cover every
 * weekday; and the files ingest into the v16 tables.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "puhui/puhui.h"
#include "support/ph_ingest_test.h"
#include "support/ph_test.h"

static ph_ctx *ctx;

static char *run_gen(const char *name, uint64_t firms, int months, uint64_t seed, int threads,
                     double dirty, ph_gen_summary *s)
{
    char *dir = ph_test_tmpdir(name);
    ph_test_rmtree(dir);
    ph_gen_options o;
    ph_gen_options_init(&o);
    o.enterprises = firms;
    o.months = months;
    o.seed = seed;
    o.threads = threads;
    o.dirty_rate = dirty;
    o.out_dir = dir;
    ph_error err;
    ph_assert_ok(ph_gen_run(ctx, &o, s, &err), &err);
    return dir;
}

static const ph_gen_file *summary_file(const ph_gen_summary *s, const char *path)
{
    for (size_t i = 0; i < s->file_count; i++)
        if (strcmp(s->files[i].path, path) == 0)
            return &s->files[i];
    fail_msg("the run wrote no %s", path);
    return NULL;
}

static char *slurp(const char *dir, const char *file, size_t *len)
{
    char *path = ph_test_path(dir, file);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    free(path);
    if (len)
        *len = (size_t)n;
    return buf;
}

/* --- reading a generated file ------------------------------------------------------ */

typedef struct row {
    char text[512];
    const char *f[24];
    size_t n;
    uint64_t line;
} row;

typedef void (*row_fn)(const row *r, void *user);

static uint64_t each_row(const char *dir, const char *file, row_fn fn, void *user)
{
    char *path = ph_test_path(dir, file);
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_file(ctx, path, NULL, &r, &err), &err);
    uint64_t rows = 0;
    ph_status st;
    while ((st = ph_csv_next(r, &err)) == PH_OK) {
        row w;
        size_t used = 0;
        w.n = ph_csv_field_count(r);
        assert_true(w.n <= 24);
        w.line = ph_csv_line(r);
        for (size_t c = 0; c < w.n; c++) {
            const char *p;
            size_t len;
            ph_assert_ok(ph_csv_field(r, c, &p, &len, &err), &err);
            assert_true(used + len + 1 <= sizeof(w.text));
            memcpy(w.text + used, p, len);
            w.text[used + len] = '\0';
            w.f[c] = w.text + used;
            used += len + 1;
        }
        fn(&w, user);
        rows++;
    }
    assert_int_equal(st, PH_DONE);
    ph_csv_free(r);
    free(path);
    return rows;
}

static ph_date date_of(const char *s)
{
    ph_date d;
    ph_error err;
    ph_assert_ok(ph_date_parse(s, strlen(s), &d, &err), &err);
    return d;
}

static void check_fields(const ph_feed *feed, const row *r)
{
    assert_int_equal(r->n, feed->column_count);
    for (size_t c = 0; c < r->n; c++) {
        ph_error err;
        if (ph_feed_check_field(&feed->columns[c], r->f[c], strlen(r->f[c]), &err) != PH_OK)
            fail_msg("%s line %llu: %s", feed->path, (unsigned long long)r->line, err.message);
    }
}

/* Great-circle distance in metres (haversine). */
static double distance_m(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = 3.14159265358979323846 / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    double a = sin(dlat / 2) * sin(dlat / 2) +
               cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
    return 2.0 * 6371008.8 * asin(sqrt(a));
}

/* --- the province's firms and lots ----------------------------------------------------- */

typedef struct firm {
    char uscc[19];
    char section;
    int division;
    ph_date default_date;
} firm;

typedef struct lot {
    char key[24];            /* warehouse_id,lot */
    const firm *owner;
    int64_t kg;
    ph_date stored, removed; /* removed: INT32_MAX when still stored */
    double lat, lon;
    int fence;
    /* what the readings showed */
    ph_date next;            /* the day the next reading must have */
    int readings;
    ph_date first_drop, first_out; /* 0: none */
    int dropped_back;        /* a reading back near the quantity after a drop */
    /* what the truth file says */
    ph_date truth_day;
    char truth_kind[16];
} lot;

typedef struct province {
    firm *firms;
    size_t nfirms, cap;
    lot *lots;
    size_t nlots, lcap;
    ph_date first, last;     /* the window */
} province;

static void add_firm(const row *r, void *user)
{
    province *p = user;
    if (p->nfirms == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 1024;
        p->firms = realloc(p->firms, p->cap * sizeof(firm));
        assert_non_null(p->firms);
    }
    firm *f = &p->firms[p->nfirms++];
    memset(f, 0, sizeof(*f));
    snprintf(f->uscc, sizeof(f->uscc), "%s", r->f[0]);
    f->section = r->f[4][0];
    f->division = atoi(r->f[4] + 1);
}

static int cmp_firm(const void *a, const void *b)
{
    return strcmp(((const firm *)a)->uscc, ((const firm *)b)->uscc);
}

static firm *find_firm(const province *p, const char *uscc)
{
    firm key;
    snprintf(key.uscc, sizeof(key.uscc), "%s", uscc);
    firm *f = bsearch(&key, p->firms, p->nfirms, sizeof(firm), cmp_firm);
    if (!f)
        fail_msg("firm %s is not in registration.csv", uscc);
    return f;
}

static void add_default(const row *r, void *user)
{
    find_firm(user, r->f[0])->default_date = date_of(r->f[1]);
}

static void add_lot(const row *r, void *user)
{
    province *p = user;
    check_fields(ph_feed_find("warehouse_lots"), r);
    if (p->nlots == p->lcap) {
        p->lcap = p->lcap ? p->lcap * 2 : 1024;
        p->lots = realloc(p->lots, p->lcap * sizeof(lot));
        assert_non_null(p->lots);
    }
    lot *l = &p->lots[p->nlots++];
    memset(l, 0, sizeof(*l));
    snprintf(l->key, sizeof(l->key), "%s,%s", r->f[0], r->f[1]);
    l->owner = find_firm(p, r->f[2]);
    /* manufacturers and wholesalers */
    assert_true(l->owner->section == 'C' || (l->owner->section == 'F' && l->owner->division == 51));
    l->kg = strtoll(r->f[4], NULL, 10);
    l->stored = date_of(r->f[5]);
    l->removed = r->f[6][0] ? date_of(r->f[6]) : INT32_MAX;
    assert_true(l->removed > l->stored);
    assert_true(l->stored <= p->last);
    assert_true(l->removed == INT32_MAX || l->removed <= p->last);
    l->lat = strtod(r->f[7], NULL);
    l->lon = strtod(r->f[8], NULL);
    assert_true(l->lat > 34.0 && l->lat < 38.5 && l->lon > 114.5 && l->lon < 123.0); /* Shandong */
    l->fence = atoi(r->f[9]);
    l->next = l->stored > p->first ? l->stored : p->first;
}

static int cmp_lot(const void *a, const void *b)
{
    return strcmp(((const lot *)a)->key, ((const lot *)b)->key);
}

static lot *find_lot(const province *p, const char *warehouse, const char *id)
{
    lot key;
    snprintf(key.key, sizeof(key.key), "%s,%s", warehouse, id);
    lot *l = bsearch(&key, p->lots, p->nlots, sizeof(lot), cmp_lot);
    if (!l)
        fail_msg("lot %s is not in warehouse_lots.csv", key.key);
    return l;
}

static void add_reading(const row *r, void *user)
{
    province *p = user;
    check_fields(ph_feed_find("warehouse_iot"), r);
    lot *l = find_lot(p, r->f[0], r->f[1]);
    ph_date d = date_of(r->f[2]);
    /* one reading a day, from the day it came (or the window's first) to
     * the day before it left */
    if (d != l->next)
        fail_msg("line %llu: lot %s has a reading on %s, expected the day %d", (unsigned long long)r->line,
                 l->key, r->f[2], (int)(l->next - d));
    assert_true(d < l->removed && d <= p->last);
    l->next = d + 1;
    l->readings++;
    int64_t w = strtoll(r->f[3], NULL, 10);
    double temp = strtod(r->f[4], NULL);
    assert_true(temp > -25.0 && temp < 45.0);
    double far = distance_m(l->lat, l->lon, strtod(r->f[5], NULL), strtod(r->f[6], NULL));
    if (far > l->fence) {
        if (!l->first_out)
            l->first_out = d;
    } else {
        assert_true(far < 0.5 * l->fence); /* normal jitter stays well inside */
    }
    if ((double)w < 0.9 * (double)l->kg) {
        if (!l->first_drop)
            l->first_drop = d;
    } else {
        assert_true(fabs((double)w - (double)l->kg) < 0.02 * (double)l->kg);
        if (l->first_drop)
            l->dropped_back = 1;
    }
}

static void add_truth(const row *r, void *user)
{
    province *p = user;
    check_fields(ph_feed_find("truth_warehouse_anomalies"), r);
    lot *l = find_lot(p, r->f[0], r->f[1]);
    assert_int_equal(l->truth_day, 0); /* one a lot */
    l->truth_day = date_of(r->f[2]);
    snprintf(l->truth_kind, sizeof(l->truth_kind), "%s", r->f[3]);
}

typedef struct price_check {
    uint64_t rows;
} price_check;

static void price_row(const row *r, void *user)
{
    price_check *c = user;
    check_fields(ph_feed_find("commodity_prices"), r);
    ph_date d = date_of(r->f[1]);
    assert_true(ph_date_weekday(d) <= PH_FRIDAY);
    double yuan = strtod(r->f[2], NULL);
    assert_true(yuan > 0.2 && yuan < 200.0);
    c->rows++;
}

static void load(const char *dir, province *p, int months)
{
    memset(p, 0, sizeof(*p));
    ph_error err;
    ph_assert_ok(ph_date_from_ymd(2024, 1, 1, &p->first, &err), &err);
    ph_date end;
    ph_assert_ok(ph_date_from_ymd(2024 + months / 12, 1 + months % 12, 1, &end, &err), &err);
    p->last = end - 1;
    each_row(dir, "feeds/registration.csv", add_firm, p);
    qsort(p->firms, p->nfirms, sizeof(firm), cmp_firm);
    each_row(dir, "truth/defaults.csv", add_default, p);
    each_row(dir, "feeds/warehouse_lots.csv", add_lot, p);
    qsort(p->lots, p->nlots, sizeof(lot), cmp_lot);
    for (size_t i = 1; i < p->nlots; i++)
        assert_true(strcmp(p->lots[i - 1].key, p->lots[i].key) != 0); /* the key is unique */
    each_row(dir, "feeds/warehouse_iot.csv", add_reading, p);
    each_row(dir, "truth/warehouse_anomalies.csv", add_truth, p);
}

/* --- determinism -------------------------------------------------------------------- */

static void test_same_bytes_whatever_the_threads(void **state)
{
    (void)state;
    ph_gen_summary a, b;
    char *d1 = run_gen("wh_t1", 2500, 12, 5, 1, 0.01, &a);
    char *d3 = run_gen("wh_t3", 2500, 12, 5, 3, 0.01, &b);
    static const char *const files[] = {"feeds/warehouse_lots.csv", "feeds/warehouse_iot.csv",
                                        "feeds/commodity_prices.csv",
                                        "truth/warehouse_anomalies.csv", "truth/dirty.csv"};
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        const ph_gen_file *x = summary_file(&a, files[i]), *y = summary_file(&b, files[i]);
        assert_true(x->rows > 0);
        assert_int_equal(x->rows, y->rows);
        assert_string_equal(x->checksum, y->checksum);
        size_t n1, n3;
        char *t1 = slurp(d1, files[i], &n1), *t3 = slurp(d3, files[i], &n3);
        assert_int_equal(n1, n3);
        assert_memory_equal(t1, t3, n1);
        free(t1), free(t3);
    }
    /* the warehouse feeds get bad rows like every other */
    char *dirty = slurp(d1, "truth/dirty.csv", NULL);
    assert_non_null(strstr(dirty, "\nfeeds/warehouse_iot.csv,"));
    free(dirty);
    ph_test_rmtree(d1), ph_test_rmtree(d3);
    free(d1), free(d3);
}

/* --- well formed, and the truth file is the truth ------------------------------------- */

static void test_rows_valid_and_truth_exact(void **state)
{
    (void)state;
    ph_gen_summary s;
    char *dir = run_gen("wh_valid", 3000, 24, 11, 2, 0.0, &s);
    province p;
    load(dir, &p, 24);
    assert_true(p.nlots > 200);
    uint64_t readings = 0, truths = 0, drops = 0, outs = 0, still = 0;
    for (size_t i = 0; i < p.nlots; i++) {
        lot *l = &p.lots[i];
        readings += (uint64_t)l->readings;
        still += l->removed == INT32_MAX;
        /* every reading was there: up to the day before removal or the window end */
        ph_date end = l->removed == INT32_MAX ? p.last + 1 : l->removed;
        if (end > p.first && l->next != end)
            fail_msg("lot %s: readings stop %d days early", l->key, (int)(end - l->next));
        if (!l->truth_day) {
            /* no anomaly listed: nothing abnormal in its readings */
            if (l->first_drop || l->first_out)
                fail_msg("lot %s: abnormal readings on %d/%d but not in the truth file", l->key,
                         (int)l->first_drop, (int)l->first_out);
            continue;
        }
        truths++;
        if (strcmp(l->truth_kind, "weight_drop") == 0) {
            drops++;
            assert_int_equal(l->first_drop, l->truth_day); /* from that day on, and it stays */
            assert_false(l->dropped_back);
            assert_int_equal(l->first_out, 0);
        } else {
            outs++;
            assert_string_equal(l->truth_kind, "geofence");
            assert_int_equal(l->first_out, l->truth_day);
            assert_int_equal(l->first_drop, 0);
        }
    }
    assert_int_equal(readings, summary_file(&s, "feeds/warehouse_iot.csv")->rows);
    assert_int_equal(truths, summary_file(&s, "truth/warehouse_anomalies.csv")->rows);
    assert_true(drops > 0 && outs > 0);
    assert_true(still > 0 && still < p.nlots); /* lots leave, and some are still there */

    /* prices: every commodity, every weekday of the window, none at weekends */
    price_check c = {0};
    each_row(dir, "feeds/commodity_prices.csv", price_row, &c);
    uint64_t weekdays = 0;
    for (ph_date d = p.first; d <= p.last; d++)
        weekdays += ph_date_weekday(d) <= PH_FRIDAY;
    assert_int_equal(c.rows, 8 * weekdays);
    free(p.firms);
    free(p.lots);
    ph_test_rmtree(dir);
    free(dir);
}

/* --- anomalies follow the owner's health ------------------------------------------------ */

typedef struct pd_row {
    char key[28];            /* uscc,YYYY-MM */
    double pd;
} pd_row;

typedef struct pd_table {
    pd_row *items;
    size_t count, cap;
} pd_table;

static void add_pd(const row *r, void *user)
{
    pd_table *t = user;
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 4096;
        t->items = realloc(t->items, t->cap * sizeof(pd_row));
        assert_non_null(t->items);
    }
    pd_row *p = &t->items[t->count++];
    snprintf(p->key, sizeof(p->key), "%s,%s", r->f[0], r->f[1]);
    p->pd = strtod(r->f[2], NULL);
}

static int cmp_pd(const void *a, const void *b)
{
    return strcmp(((const pd_row *)a)->key, ((const pd_row *)b)->key);
}

static void test_anomalies_follow_health(void **state)
{
    (void)state;
    ph_gen_summary s;
    char *dir = run_gen("wh_health", 8000, 24, 7, 2, 0.0, &s);
    province p;
    load(dir, &p, 24);
    pd_table pds = {0};
    each_row(dir, "truth/pd.csv", add_pd, &pds);
    qsort(pds.items, pds.count, sizeof(pd_row), cmp_pd);

    /* by the owner's true 12-month PD in the month the lot came in (or the
     * window's first): risky owners (3% or more) against safe ones */
    uint64_t risky = 0, risky_bad = 0, safe = 0, safe_bad = 0;
    uint64_t near = 0, near_bad = 0, never = 0, never_bad = 0;
    for (size_t i = 0; i < p.nlots; i++) {
        const lot *l = &p.lots[i];
        if (l->readings == 0)
            continue;
        int y, m, d;
        ph_error err;
        ph_assert_ok(ph_date_to_ymd(l->stored > p.first ? l->stored : p.first, &y, &m, &d, &err), &err);
        pd_row key;
        snprintf(key.key, sizeof(key.key), "%s,%04d-%02d", l->owner->uscc, y, m);
        const pd_row *found = bsearch(&key, pds.items, pds.count, sizeof(pd_row), cmp_pd);
        if (!found) /* no PD that month: the firm was not yet or no longer there */
            continue;
        if (found->pd >= 0.03) {
            risky++;
            risky_bad += l->truth_day != 0;
        } else {
            safe++;
            safe_bad += l->truth_day != 0;
        }
        /* and by the default: lots that came in the 180 days before it */
        ph_date dd = l->owner->default_date;
        if (!dd) {
            never++;
            never_bad += l->truth_day != 0;
        } else if (l->stored <= dd && dd - l->stored <= 180) {
            near++;
            near_bad += l->truth_day != 0;
        }
    }
    double risky_rate = (double)risky_bad / (double)risky;
    double safe_rate = (double)safe_bad / (double)safe;
    print_message("lots of risky owners %llu, %.1f%% with an anomaly; safe %llu, %.2f%%; "
                  "near a default %llu, %llu with one; never defaulting %llu, %.2f%%\n",
                  (unsigned long long)risky, 100.0 * risky_rate, (unsigned long long)safe,
                  100.0 * safe_rate, (unsigned long long)near, (unsigned long long)near_bad,
                  (unsigned long long)never, 100.0 * (double)never_bad / (double)never);
    assert_true(risky >= 60);
    assert_true(risky_rate > 0.04);
    assert_true(risky_rate > 8.0 * safe_rate);
    assert_true(safe_bad > 0); /* healthy owners' false alarms */
    assert_true(safe_rate < 0.02);
    assert_true(near > 0 && near_bad > 0);
    assert_true((double)near_bad / (double)near > 4.0 * (double)never_bad / (double)never);
    free(pds.items);
    free(p.firms);
    free(p.lots);
    ph_test_rmtree(dir);
    free(dir);
}

/* --- ingestion into the v16 tables ------------------------------------------------------ */

static void test_ingest(void **state)
{
    (void)state;
    ph_gen_summary s;
    char *dir = run_gen("wh_ingest", 1500, 6, 13, 2, 0.0, &s);
    char *db_dir = ph_test_tmpdir("wh_ingest_db");
    ph_store *store = ph_test_open_db(ctx, db_dir, "wh.db");
    ph_error err;
    const char *paths[] = {dir};
    ph_assert_ok(ph_ingest_test_run(store, paths, 1, "2024-07-31", 2, 0, NULL, &err), &err);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM feed_warehouse_lots"),
                     (int64_t)summary_file(&s, "feeds/warehouse_lots.csv")->rows);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM feed_warehouse_iot"),
                     (int64_t)summary_file(&s, "feeds/warehouse_iot.csv")->rows);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM feed_commodity_prices"),
                     (int64_t)summary_file(&s, "feeds/commodity_prices.csv")->rows);
    /* money in fen, a lot's readings join it by key */
    assert_true(ph_test_query_int(store, "SELECT MIN(price_per_kg_fen) FROM "
                                         "feed_commodity_prices") > 0);
    assert_int_equal(ph_test_query_int(store, "SELECT COUNT(*) FROM feed_warehouse_iot i LEFT "
                                              "JOIN feed_warehouse_lots l USING (warehouse_id, "
                                              "lot) WHERE l.owner_uscc IS NULL"),
                     0);
    ph_store_free(store);
    ph_test_rmtree(db_dir);
    ph_test_rmtree(dir);
    free(db_dir);
    free(dir);
}

int main(void)
{
    ph_ctx_options co = {0};
    co.log_level = PH_LOG_OFF;
    ph_error err;
    if (ph_ctx_new(&co, &ctx, &err) != PH_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_bytes_whatever_the_threads),
        cmocka_unit_test(test_rows_valid_and_truth_exact),
        cmocka_unit_test(test_anomalies_follow_health),
        cmocka_unit_test(test_ingest),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ph_ctx_free(ctx);
    return failed;
}
