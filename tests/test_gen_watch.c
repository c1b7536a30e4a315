/*
 * The early-warning feeds of the synthetic province (issue 19):
 * feeds/logistics_gps.csv and feeds/public_opinion.csv. Byte-identical
 * whatever the thread count; every field valid by the catalogue and every
 * trip well formed; firms present only while they exist; distress shows
 * before a default (off-route events and negative press) while healthy firms
 * keep rare false signals; and adding the feeds changed no byte of the older
 * files.
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

/* One row's fields as terminated strings (the files have no quoted fields
 * in these columns). */
typedef struct row {
    char text[512];
    const char *f[24];
    size_t n;
    uint64_t line;
} row;

typedef void (*row_fn)(const row *r, void *user);

/* Call fn for each data row of `file` (clean runs only: no dirty rows). */
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

/* The firms of registration.csv with what decides when they exist, and the
 * default dates of truth/defaults.csv: a table sorted by code. */
typedef struct firm {
    char uscc[19];
    char section;
    ph_date registered_on;
    ph_date gone_on;         /* deregistered or revoked on; INT32_MAX when not */
    ph_date default_date;    /* 0 when none */
} firm;

typedef struct firms {
    firm *items;
    size_t count, cap;
} firms;

static void add_firm(const row *r, void *user)
{
    firms *fs = user;
    if (fs->count == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 1024;
        fs->items = realloc(fs->items, fs->cap * sizeof(firm));
        assert_non_null(fs->items);
    }
    firm *f = &fs->items[fs->count++];
    memset(f, 0, sizeof(*f));
    snprintf(f->uscc, sizeof(f->uscc), "%s", r->f[0]);
    f->section = r->f[4][0];
    f->registered_on = date_of(r->f[5]);
    const char *status = r->f[14];
    f->gone_on = (strcmp(status, "deregistered") == 0 || strcmp(status, "revoked") == 0)
                     ? date_of(r->f[15])
                     : INT32_MAX;
}

static int cmp_firm(const void *a, const void *b)
{
    return strcmp(((const firm *)a)->uscc, ((const firm *)b)->uscc);
}

static firm *find_firm(const firms *fs, const char *uscc)
{
    firm key;
    snprintf(key.uscc, sizeof(key.uscc), "%s", uscc);
    firm *f = bsearch(&key, fs->items, fs->count, sizeof(firm), cmp_firm);
    if (!f)
        fail_msg("firm %s is not in registration.csv", uscc);
    return f;
}

static void add_default(const row *r, void *user)
{
    find_firm(user, r->f[0])->default_date = date_of(r->f[1]);
}

static void load_firms(const char *dir, firms *fs)
{
    memset(fs, 0, sizeof(*fs));
    each_row(dir, "feeds/registration.csv", add_firm, fs);
    qsort(fs->items, fs->count, sizeof(firm), cmp_firm);
    each_row(dir, "truth/defaults.csv", add_default, fs);
}

/* --- determinism -------------------------------------------------------------------- */

static void test_same_bytes_whatever_the_threads(void **state)
{
    (void)state;
    ph_gen_summary a, b;
    char *d1 = run_gen("watch_t1", 2500, 12, 5, 1, 0.01, &a);
    char *d3 = run_gen("watch_t3", 2500, 12, 5, 3, 0.01, &b);
    static const char *const files[] = {"feeds/logistics_gps.csv", "feeds/public_opinion.csv",
                                        "truth/dirty.csv"};
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
    ph_test_rmtree(d1), ph_test_rmtree(d3);
    free(d1), free(d3);
}

/* --- well formed ---------------------------------------------------------------------- */

typedef struct gps_check {
    const firms *fs;
    const ph_feed *feed;
    ph_date first, last;     /* the window */
    char trip[32], prev_trip[32];
    int64_t seq, km;
    ph_date date;
    int ended;               /* the current trip has had its arrive */
    uint64_t trips, rows, off_route;
} gps_check;

static void check_fields(const ph_feed *feed, const row *r)
{
    assert_int_equal(r->n, feed->column_count);
    for (size_t c = 0; c < r->n; c++) {
        ph_error err;
        if (ph_feed_check_field(&feed->columns[c], r->f[c], strlen(r->f[c]), &err) != PH_OK)
            fail_msg("%s line %llu: %s", feed->path, (unsigned long long)r->line, err.message);
    }
}

/* A firm's row dated `d` falls inside the window and inside its life. */
static void check_alive(const firm *f, ph_date d, ph_date first, ph_date last, const row *r)
{
    if (d < first || d > last || d < f->registered_on || d > f->gone_on)
        fail_msg("line %llu: firm %s has a row on %s, outside its life in the window",
                 (unsigned long long)r->line, f->uscc, r->f[r->n == 4 ? 1 : 3]);
}

static void gps_row(const row *r, void *user)
{
    gps_check *g = user;
    check_fields(g->feed, r);
    const firm *f = find_firm(g->fs, r->f[2]);
    assert_true(f->section == 'F' || f->section == 'G'); /* fleets only */
    ph_date d = date_of(r->f[3]);
    check_alive(f, d, g->first, g->last, r);
    int64_t seq = strtoll(r->f[1], NULL, 10), km = strtoll(r->f[8], NULL, 10);
    const char *event = r->f[5];
    if (strcmp(r->f[0], g->trip) != 0) {
        /* a new trip: the last one ended, ids rise (the file is in key order) */
        assert_true(g->trips == 0 || g->ended);
        assert_true(strlen(r->f[0]) == 14 && r->f[0][0] == 'T');
        assert_true(strcmp(r->f[0], g->trip) > 0);
        snprintf(g->trip, sizeof(g->trip), "%s", r->f[0]);
        assert_int_equal(seq, 1);
        assert_string_equal(event, "depart");
        assert_string_equal(r->f[6], "Y");
        assert_int_equal(km, 0);
        g->trips++;
        g->ended = 0;
    } else {
        assert_false(g->ended);
        assert_int_equal(seq, g->seq + 1);
        assert_true(km >= g->km);
        assert_true(d >= g->date);
        assert_string_not_equal(event, "depart");
        assert_true(d - g->date <= 3);
    }
    g->ended = strcmp(event, "arrive") == 0;
    g->seq = seq;
    g->km = km;
    g->date = d;
    g->rows++;
    g->off_route += strcmp(r->f[6], "N") == 0;
}

typedef struct opinion_check {
    const firms *fs;
    const ph_feed *feed;
    ph_date first, last;
    char uscc[19];
    ph_date date;
    uint64_t rows;
} opinion_check;

static void opinion_row(const row *r, void *user)
{
    opinion_check *o = user;
    check_fields(o->feed, r);
    const firm *f = find_firm(o->fs, r->f[0]);
    ph_date d = date_of(r->f[1]);
    check_alive(f, d, o->first, o->last, r);
    /* one row per firm and day, a firm's days in order */
    if (strcmp(o->uscc, r->f[0]) == 0)
        assert_true(d > o->date);
    snprintf(o->uscc, sizeof(o->uscc), "%s", r->f[0]);
    o->date = d;
    o->rows++;
}

static void test_rows_valid_and_well_formed(void **state)
{
    (void)state;
    ph_gen_summary s;
    char *dir = run_gen("watch_valid", 3000, 24, 9, 0, 0.0, &s);
    firms fs;
    load_firms(dir, &fs);
    ph_error err;
    ph_date first, last;
    ph_assert_ok(ph_date_from_ymd(2024, 1, 1, &first, &err), &err);
    ph_assert_ok(ph_date_from_ymd(2025, 12, 31, &last, &err), &err);

    gps_check g = {.fs = &fs, .feed = ph_feed_find("logistics_gps"), .first = first,
                   .last = last};
    uint64_t rows = each_row(dir, "feeds/logistics_gps.csv", gps_row, &g);
    assert_true(g.ended);
    assert_int_equal(rows, summary_file(&s, "feeds/logistics_gps.csv")->rows);
    assert_true(g.trips > 1000);
    assert_true(g.off_route > 0);

    opinion_check o = {.fs = &fs, .feed = ph_feed_find("public_opinion"), .first = first,
                       .last = last};
    rows = each_row(dir, "feeds/public_opinion.csv", opinion_row, &o);
    assert_int_equal(rows, summary_file(&s, "feeds/public_opinion.csv")->rows);
    assert_true(rows > 1000);
    free(fs.items);
    ph_test_rmtree(dir);
    free(dir);
}

/* --- health drives the signals ---------------------------------------------------------- */

/* Rows of firms that default in the window, in the 90 days before the
 * default date ("late"), against rows of firms that never default. */
typedef struct signals {
    const firms *fs;
    uint64_t late_events, late_off, never_events, never_off, never_off_unloads;
    uint64_t late_days, never_days, never_negative;
    double late_score, never_score;
} signals;

static int late(const firm *f, ph_date d)
{
    return f->default_date && d <= f->default_date && d > f->default_date - 90;
}

static void gps_signal(const row *r, void *user)
{
    signals *s = user;
    const char *event = r->f[5];
    if (strcmp(event, "stop") != 0 && strcmp(event, "unload") != 0)
        return;
    const firm *f = find_firm(s->fs, r->f[2]);
    int off = strcmp(r->f[6], "N") == 0;
    if (late(f, date_of(r->f[3]))) {
        s->late_events++;
        s->late_off += (uint64_t)off;
    } else if (!f->default_date) {
        s->never_events++;
        s->never_off += (uint64_t)off;
        s->never_off_unloads += (uint64_t)(off && strcmp(event, "unload") == 0);
    }
}

static void opinion_signal(const row *r, void *user)
{
    signals *s = user;
    const firm *f = find_firm(s->fs, r->f[0]);
    double score = strtod(r->f[3], NULL);
    if (late(f, date_of(r->f[1]))) {
        s->late_days++;
        s->late_score += score;
    } else if (!f->default_date) {
        s->never_days++;
        s->never_score += score;
        s->never_negative += score < -0.3;
    }
}

static void test_distress_shows_before_default(void **state)
{
    (void)state;
    ph_gen_summary sum;
    char *dir = run_gen("watch_health", 8000, 24, 11, 0, 0.0, &sum);
    firms fs;
    load_firms(dir, &fs);
    signals s = {.fs = &fs};
    each_row(dir, "feeds/logistics_gps.csv", gps_signal, &s);
    each_row(dir, "feeds/public_opinion.csv", opinion_signal, &s);

    /* the days each group could be mentioned: late firms' last 90 days,
     * never-defaulting firms' days in the window */
    ph_error err;
    ph_date first, last;
    ph_assert_ok(ph_date_from_ymd(2024, 1, 1, &first, &err), &err);
    ph_assert_ok(ph_date_from_ymd(2025, 12, 31, &last, &err), &err);
    double late_exposure = 0.0, never_exposure = 0.0;
    size_t defaulters = 0;
    for (size_t i = 0; i < fs.count; i++) {
        const firm *f = &fs.items[i];
        ph_date from = f->registered_on > first ? f->registered_on : first;
        ph_date to = f->gone_on < last ? f->gone_on : last;
        if (f->default_date) {
            ph_date a = f->default_date - 89 > from ? f->default_date - 89 : from;
            ph_date b = f->default_date < to ? f->default_date : to;
            late_exposure += b >= a ? (double)(b - a + 1) : 0.0;
            defaulters += f->default_date <= last;
        } else {
            never_exposure += to >= from ? (double)(to - from + 1) : 0.0;
        }
    }
    double late_off = (double)s.late_off / (double)s.late_events;
    double never_off = (double)s.never_off / (double)s.never_events;
    double late_rate = (double)s.late_days / late_exposure;
    double never_rate = (double)s.never_days / never_exposure;
    double late_mean = s.late_score / (double)s.late_days;
    double never_mean = s.never_score / (double)s.never_days;
    print_message("%zu defaulters; off-route stops and unloads: %.4f of %llu in the 90 days "
                  "before a default, %.4f of %llu for firms that never default\n",
                  defaulters, late_off, (unsigned long long)s.late_events, never_off,
                  (unsigned long long)s.never_events);
    print_message("days with mentions: %.4f before a default, %.4f never; mean score %.3f, "
                  "%.3f; negative days of healthy firms %llu of %llu\n",
                  late_rate, never_rate, late_mean, never_mean,
                  (unsigned long long)s.never_negative, (unsigned long long)s.never_days);

    assert_true(defaulters >= 100);
    assert_true(s.late_events >= 250);
    /* trucks go off route far more often before a default... */
    assert_true(late_off > 5.0 * never_off);
    assert_true(late_off > 0.1);
    /* ...but healthy fleets have detours and the odd diversion too */
    assert_true(never_off > 0.002 && never_off < 0.05);
    assert_true(s.never_off_unloads > 0);
    /* a firm heading for default is talked about more, and badly */
    assert_true(late_rate > 3.0 * never_rate);
    assert_true(late_mean < never_mean - 0.5);
    assert_true(late_mean < -0.2 && never_mean > 0.0);
    /* while healthy firms have their bad press days */
    assert_true(s.never_negative > s.never_days / 100);
    assert_true(s.never_negative < s.never_days / 4);
    free(fs.items);
    ph_test_rmtree(dir);
    free(dir);
}

/* --- the older files did not change --------------------------------------------------- */

/* The checksums of every file but truth/dirty.csv for 1500 firms x 12
 * months, seed 3, 1% dirty rows, written by the generator before it had the
 * early-warning feeds (main at 77321f0). Their emitter draws from streams of
 * its own and runs after every other, so none of these may move. A change
 * that alters an older feed on purpose updates this table (and says so). */
static const struct {
    const char *path, *blake2b;
} before[] = {
    {"feeds/registration.csv",
     "e6aceb56bf04dd6a0817cacc139d6c14ce845461de6b3dc1600401144a545efc"},
    {"feeds/vat_invoices.csv",
     "ee260a25978da4f185e8dc24458fee15ebaaf557ab6f9032bf3c529444a71b64"},
    {"feeds/tax_payments.csv",
     "3397d8c71589fbf72bb718b91f5135aeee58526a6412487ca433fb0903648327"},
    {"feeds/tax_grades.csv",
     "ab4a885cc409b9603700dd43a33fb7b0b734c902d449104b631e4d8df9ce1dcd"},
    {"feeds/social_security.csv",
     "2844a5be8197aa735336b35ad504dc4a794ff92be4943e107de89a93980600d9"},
    {"feeds/electricity_daily.csv",
     "4527115d1c8da14655b1dcd4ffc59f83ba97b17dbc7fc6de738477c4007cae81"},
    {"feeds/electricity_monthly.csv",
     "acaf3f12b1ddb1bad8698e31b976e976a07dd56d438c3c996193f1fb94ce5691"},
    {"feeds/payments_daily.csv",
     "22b801f0ded0b589ae4be65aff6de974bd6dd24b459c03daa4588b0ae4787a12"},
    {"feeds/litigation.csv",
     "f3fe285178f97461c7c317a2c69f45155dcf204050c42bf303dcb863e77bdfe6"},
    {"feeds/penalties.csv",
     "1929cf8796d21c705be786132e6a27f2f610cb3213c56b7e11a3b71391fde351"},
    {"feeds/patents.csv",
     "05aed1491e991c80084cbee97dde86d13394dde99fa92f244f91349c09caebef"},
    {"feeds/subsidies.csv",
     "8617d910609ce9d2821e8473f780eed9b0beb1e985323201f7af41784faf96f3"},
    {"feeds/credit_loans.csv",
     "9fa2c979e227745b9b42b500badfad4e4febcdeda7970769a378cfc6826fb9dd"},
    {"feeds/credit_status.csv",
     "880da4fd8d4536e5e1a18340df7214b0effbb5f5504e957d1f6adf03fc622ed6"},
    {"feeds/supply_chain.csv",
     "dd5fa58371b1369beba7c4f71a74fc551e9c1a39e4e867572625a3ddb9712905"},
    {"reference/lenders.csv",
     "061ce778a8157ddb2f4daf14697659df79ad00dfb544ca7767bb3dd6b9d60509"},
    {"reference/guarantors.csv",
     "b260ee3207b3305a24e115c12948bb454ff9029aa4ceb6fb3fe6b1993609881c"},
    {"reference/risk_pools.csv",
     "fd158e7f62738180d657767ce67c0fd502a72670cc8dc5e3f9d1bba2215a86dc"},
    {"reference/core_enterprises.csv",
     "43d0421518cb6e938f867a150fe14e43b2d39f5f80c6b3e39360cd2c7a4a1b2b"},
    {"truth/pd.csv", "9cf4ec7534fed6f3ed10a33843cb357541d0d6d975a2655b85a4cdbfd928d51d"},
    {"truth/defaults.csv",
     "bbbc3b68a1387715dec974ec09243886e0a2cc559405e23afae3a739ef257883"},
    {"truth/firms.csv", "8054a1004fd9e9dbc87f4c7bd9541566f29365b4a1e22fe163dbfc7130931ebf"},
    {"truth/macro.csv", "6c0ea52760e4d09ecb129a80ce1f1875a10512b5c7ad29468c554664fb7d8de3"},
    /* and the early-warning feeds themselves as they were before the
     * warehouse feeds (issue 20; main at de50807), whose emitter runs after
     * theirs with streams of its own */
    {"feeds/logistics_gps.csv",
     "d00d302d5a97e8f158f80d0cc9225ea73df890a7e22feb66accfc07f35a87feb"},
    {"feeds/public_opinion.csv",
     "9e7b0ee6ec28883c2b2017285573a078a6d95d5027bd85ac9fd9682575b12157"},
};

/* truth/dirty.csv of that run: its lines (header included) and their FNV-1a
 * 64-bit hash. Today's file holds the same lines in the same order, and
 * between them the new feeds' bad rows. */
#define DIRTY_BEFORE_LINES 2897
#define DIRTY_BEFORE_FNV UINT64_C(0x6c3e62d52b7a2b0e)

static void test_older_files_unchanged(void **state)
{
    (void)state;
    ph_gen_summary s;
    char *dir = run_gen("watch_before", 1500, 12, 3, 2, 0.01, &s);
    assert_int_equal(s.file_count, sizeof(before) / sizeof(before[0]) + 5);
    for (size_t i = 0; i < sizeof(before) / sizeof(before[0]); i++) {
        char expected[80];
        snprintf(expected, sizeof(expected), "blake2b-256:%s", before[i].blake2b);
        const ph_gen_file *f = summary_file(&s, before[i].path);
        if (strcmp(f->checksum, expected) != 0)
            fail_msg("%s changed: %s, was %s", f->path, f->checksum, expected);
    }
    char *text = slurp(dir, "truth/dirty.csv", NULL);
    uint64_t hash = UINT64_C(0xcbf29ce484222325), lines = 0, added = 0, warehouse = 0;
    for (char *p = text, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
        if (strncmp(p, "feeds/logistics_gps.csv,", 24) == 0 ||
            strncmp(p, "feeds/public_opinion.csv,", 25) == 0) {
            added++;
            continue;
        }
        if (strncmp(p, "feeds/warehouse_", 16) == 0) { /* test_gen_warehouse's */
            warehouse++;
            continue;
        }
        for (char *c = p; c <= nl; c++) {
            hash ^= (unsigned char)*c;
            hash *= UINT64_C(0x100000001b3);
        }
        lines++;
    }
    assert_int_equal(lines, DIRTY_BEFORE_LINES);
    assert_true(hash == DIRTY_BEFORE_FNV);
    assert_true(added > 0); /* the new feeds get bad rows too */
    assert_int_equal(s.dirty_rows, DIRTY_BEFORE_LINES - 1 + added + warehouse);
    free(text);
    ph_test_rmtree(dir);
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
        cmocka_unit_test(test_rows_valid_and_well_formed),
        cmocka_unit_test(test_distress_shows_before_default),
        cmocka_unit_test(test_older_files_unchanged),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ph_ctx_free(ctx);
    return failed;
}
