/*
 * The synthetic province (`puhui gen`): options, determinism, that every
 * generated field is valid by the feed catalogue, that dirty rows are
 * exactly the listed ones, the calibration targets on 50,000 firms, that the
 * truth PD is honest, and that distress shows in payments before a default.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "puhui/puhui.h"
#include "support/ph_test.h"

static ph_ctx *ctx;

static char *run_gen(const char *name, uint64_t firms, int months, uint64_t seed, int threads,
                     double dirty, ph_gen_scenario scenario, ph_gen_summary *s)
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
    o.scenario = scenario;
    o.out_dir = dir;
    ph_error err;
    ph_assert_ok(ph_gen_run(ctx, &o, s, &err), &err);
    return dir;
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

/* --- options ---------------------------------------------------------------- */

static void expect_option_error(ph_gen_options *o, const char *needle)
{
    ph_error err;
    ph_gen_summary s;
    ph_assert_error(ph_gen_run(ctx, o, &s, &err), PH_EINVAL, &err, needle);
}

static void test_bad_options(void **state)
{
    (void)state;
    char *dir = ph_test_tmpdir("gen_bad");
    ph_gen_options o;
    ph_gen_options_init(&o);
    o.out_dir = NULL;
    expect_option_error(&o, "an output directory is required");
    o.out_dir = dir;
    o.enterprises = 0;
    expect_option_error(&o, "field enterprises, value '0': expected 1 to 20000000");
    ph_gen_options_init(&o);
    o.out_dir = dir;
    o.months = 121;
    expect_option_error(&o, "field months, value '121': expected 1 to 120");
    ph_gen_options_init(&o);
    o.out_dir = dir;
    o.start = 2031 * 12;
    expect_option_error(&o, "field start, value '2031-01': expected a month from 2016-01 to 2030-12");
    ph_gen_options_init(&o);
    o.out_dir = dir;
    o.dirty_rate = 0.6;
    expect_option_error(&o, "field dirty, value '0.6': expected a rate from 0 to 0.5");
    ph_gen_options_init(&o);
    o.out_dir = dir;
    o.threads = -1;
    expect_option_error(&o, "field threads");
    ph_gen_options_init(&o);
    char *long_dir = malloc(5000);
    memset(long_dir, 'a', 4999);
    long_dir[4999] = '\0';
    o.out_dir = long_dir;
    expect_option_error(&o, "the path is 4999 bytes long; at most 4032");
    free(long_dir);
    ph_gen_scenario sc;
    ph_error err;
    ph_assert_error(ph_gen_scenario_parse("boom", &sc, &err), PH_EINVAL, &err,
                    "field scenario, value 'boom': expected baseline or stress");
    ph_assert_ok(ph_gen_scenario_parse("stress", &sc, &err), &err);
    assert_int_equal(sc, PH_GEN_STRESS);
    assert_string_equal(ph_gen_scenario_name(PH_GEN_BASELINE), "baseline");
    free(dir);
}

static void test_refuses_non_empty_dir(void **state)
{
    (void)state;
    char *dir = ph_test_tmpdir("gen_nonempty");
    ph_test_rmtree(dir);
    mkdir(dir, 0777);
    char *keep = ph_test_path(dir, "notes.txt");
    ph_test_write_file(keep, "mine\n");
    ph_gen_options o;
    ph_gen_options_init(&o);
    o.enterprises = 50;
    o.months = 2;
    o.out_dir = dir;
    ph_error err;
    ph_assert_error(ph_gen_run(ctx, &o, NULL, &err), PH_EEXISTS, &err,
                    "the directory is not empty; choose another or pass --force");
    o.force = 1;
    ph_assert_ok(ph_gen_run(ctx, &o, NULL, &err), &err);
    struct stat st;
    char *manifest = ph_test_path(dir, "manifest.json");
    assert_int_equal(stat(manifest, &st), 0);
    free(manifest);
    free(keep);
    ph_test_rmtree(dir);
    free(dir);
}

/* --- determinism ------------------------------------------------------------ */

static void test_deterministic(void **state)
{
    (void)state;
    ph_gen_summary a, b, c;
    char *d1 = run_gen("gen_det1", 3000, 6, 7, 1, 0.01, PH_GEN_BASELINE, &a);
    char *d2 = run_gen("gen_det2", 3000, 6, 7, 3, 0.01, PH_GEN_BASELINE, &b);
    char *d3 = run_gen("gen_det3", 3000, 6, 8, 2, 0.01, PH_GEN_BASELINE, &c);
    size_t n1, n2, n3;
    char *m1 = slurp(d1, "manifest.json", &n1);
    char *m2 = slurp(d2, "manifest.json", &n2);
    char *m3 = slurp(d3, "manifest.json", &n3);
    /* the manifest holds every file's checksum: equal manifests, equal trees */
    assert_int_equal(n1, n2);
    assert_memory_equal(m1, m2, n1);
    assert_true(n1 != n3 || memcmp(m1, m3, n1) != 0);
    assert_int_equal(a.total_rows, b.total_rows);
    assert_int_equal(a.file_count, 30);
    for (size_t i = 0; i < a.file_count; i++)
        assert_string_equal(a.files[i].checksum, b.files[i].checksum);
    assert_string_not_equal(a.files[0].checksum, c.files[0].checksum);
    size_t r1, r2;
    char *reg1 = slurp(d1, "feeds/registration.csv", &r1);
    char *reg2 = slurp(d2, "feeds/registration.csv", &r2);
    assert_int_equal(r1, r2);
    assert_memory_equal(reg1, reg2, r1);
    free(reg1), free(reg2), free(m1), free(m2), free(m3);
    ph_test_rmtree(d1), ph_test_rmtree(d2), ph_test_rmtree(d3);
    free(d1), free(d2), free(d3);
}

/* --- every field valid ------------------------------------------------------ */

typedef struct key_set {
    char **keys;
    size_t count, cap;
} key_set;

static void key_add(key_set *k, const char *key)
{
    if (k->count == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 1024;
        k->keys = realloc(k->keys, k->cap * sizeof(char *));
    }
    k->keys[k->count++] = strdup(key);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the set; returns the first duplicate or NULL. */
static const char *key_duplicate(key_set *k)
{
    if (k->count == 0)
        return NULL;
    qsort(k->keys, k->count, sizeof(char *), cmp_str);
    for (size_t i = 1; i < k->count; i++)
        if (strcmp(k->keys[i - 1], k->keys[i]) == 0)
            return k->keys[i];
    return NULL;
}

static int key_contains(const key_set *k, const char *key)
{
    if (k->count == 0)
        return 0;
    return bsearch(&key, k->keys, k->count, sizeof(char *), cmp_str) != NULL;
}

static void key_free(key_set *k)
{
    for (size_t i = 0; i < k->count; i++)
        free(k->keys[i]);
    free(k->keys);
    memset(k, 0, sizeof(*k));
}

/* Read one generated file with the core CSV reader: the header is the
 * catalogue's, every field passes its column's check, the natural key is
 * unique, and every firm code in a feed is a registered firm. */
static uint64_t check_file(const char *dir, const ph_feed *feed, const key_set *firms,
                           key_set *uscc_out)
{
    char *path = ph_test_path(dir, feed->path);
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_file(ctx, path, NULL, &r, &err), &err);
    ph_status st = ph_csv_next(r, &err); /* the header arrives with the first record */
    assert_true(st == PH_OK || st == PH_DONE);
    assert_int_equal(ph_csv_header_count(r), feed->column_count);
    for (size_t c = 0; c < feed->column_count; c++)
        assert_string_equal(ph_csv_header_name(r, c), feed->columns[c].name);
    /* the key columns */
    int key_cols[8], nkeys = 0;
    char keybuf[256];
    snprintf(keybuf, sizeof(keybuf), "%s", feed->key);
    for (char *tok = strtok(keybuf, ","); tok && nkeys < 8; tok = strtok(NULL, ","))
        key_cols[nkeys++] = ph_feed_column_index(feed, tok);
    key_set keys = {0};
    uint64_t rows = 0;
    for (; st == PH_OK; st = ph_csv_next(r, &err)) {
        rows++;
        char key[512] = "";
        size_t klen = 0;
        for (size_t c = 0; c < feed->column_count; c++) {
            const char *p;
            size_t len;
            ph_assert_ok(ph_csv_field(r, c, &p, &len, &err), &err);
            ph_error ferr;
            ph_status fst = ph_feed_check_field(&feed->columns[c], p, len, &ferr);
            if (fst != PH_OK)
                fail_msg("%s line %llu: %s", feed->path, (unsigned long long)ph_csv_line(r),
                         ferr.message);
            for (int k = 0; k < nkeys; k++)
                if (key_cols[k] == (int)c)
                    klen += (size_t)snprintf(key + klen, sizeof(key) - klen, "%.*s|", (int)len, p);
            if (feed->columns[c].type == PH_FIELD_USCC && strcmp(feed->columns[c].name, "uscc") == 0) {
                char code[19];
                snprintf(code, sizeof(code), "%.*s", (int)len, p);
                if (uscc_out)
                    key_add(uscc_out, code);
                else if (firms && feed->area == PH_FEED_AREA_FEEDS && !key_contains(firms, code))
                    fail_msg("%s line %llu: firm %s is not registered", feed->path,
                             (unsigned long long)ph_csv_line(r), code);
            }
        }
        key_add(&keys, key);
    }
    assert_int_equal(st, PH_DONE);
    const char *dup = key_duplicate(&keys);
    if (dup)
        fail_msg("%s: natural key %s appears twice", feed->path, dup);
    key_free(&keys);
    ph_csv_free(r);
    free(path);
    return rows;
}

static void test_every_field_valid(void **state)
{
    (void)state;
    ph_gen_summary s;
    char *dir = run_gen("gen_valid", 1500, 24, 3, 0, 0.0, PH_GEN_STRESS, &s);
    key_set firms = {0};
    const ph_feed *reg = ph_feed_find("registration");
    assert_int_equal(check_file(dir, reg, NULL, &firms), 1500);
    assert_null(key_duplicate(&firms));
    for (size_t i = 0; i < s.file_count; i++) {
        const ph_feed *feed = ph_feed_find(s.files[i].feed);
        assert_non_null(feed);
        assert_string_equal(feed->path, s.files[i].path);
        uint64_t rows = check_file(dir, feed, &firms, NULL);
        assert_int_equal(rows, s.files[i].rows);
        /* every feed but dirty-row truth has data at this size */
        if (strcmp(feed->name, "truth_dirty") != 0)
            assert_true(rows > 0);
    }
    key_free(&firms);
    ph_test_rmtree(dir);
    free(dir);
}

/* The size class in registration.csv is the 2011 rule applied to the row's
 * own employees, revenue and assets. */
static void test_size_class_consistent(void **state)
{
    (void)state;
    ph_gen_summary s;
    char *dir = run_gen("gen_size", 2000, 3, 5, 0, 0.0, PH_GEN_BASELINE, &s);
    char *path = ph_test_path(dir, "feeds/registration.csv");
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_file(ctx, path, NULL, &r, &err), &err);
    int ind = -1, emp = -1, rev = -1, ast = -1, size = -1;
    size_t checked = 0;
    while (ph_csv_next(r, &err) == PH_OK) {
        if (ind < 0) {
            ind = ph_csv_column(r, "industry_code");
            emp = ph_csv_column(r, "employees");
            rev = ph_csv_column(r, "annual_revenue");
            ast = ph_csv_column(r, "total_assets");
            size = ph_csv_column(r, "size_class");
        }
        const char *p[5];
        size_t n[5];
        int cols[5] = {ind, emp, rev, ast, size};
        for (int i = 0; i < 5; i++)
            ph_assert_ok(ph_csv_field(r, (size_t)cols[i], &p[i], &n[i], &err), &err);
        ph_industry_code code;
        ph_sme_sector sector;
        ph_money revenue, assets;
        ph_size_class cls;
        ph_assert_ok(ph_industry_code_parse(p[0], n[0], &code, &err), &err);
        ph_assert_ok(ph_sme_sector_of_code(&code, &sector, &err), &err);
        ph_assert_ok(ph_money_parse(p[2], n[2], &revenue, &err), &err);
        ph_assert_ok(ph_money_parse(p[3], n[3], &assets, &err), &err);
        ph_assert_ok(ph_sme_classify(sector, strtoll(p[1], NULL, 10), revenue, assets, &cls, &err),
                     &err);
        assert_int_equal(strlen(ph_size_class_name(cls)), n[4]);
        assert_memory_equal(ph_size_class_name(cls), p[4], n[4]);
        checked++;
    }
    assert_int_equal(checked, 2000);
    ph_csv_free(r);
    free(path);
    ph_test_rmtree(dir);
    free(dir);
}

/* --- dirty rows --------------------------------------------------------------- */

/* Split one CSV line (no embedded newlines) into fields; quotes as RFC 4180. */
static size_t split_line(char *line, char **fields, size_t *lens, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return n + 1;
        char *start = p, *out = p;
        if (*p == '"') {
            p++;
            start = out = p;
            while (*p && !(*p == '"' && p[1] != '"')) {
                if (*p == '"')
                    p++;
                *out++ = *p++;
            }
            if (*p == '"')
                p++;
        } else {
            while (*p && *p != ',')
                p++;
            out = p;
        }
        fields[n] = start;
        lens[n++] = (size_t)(out - start);
        if (*p != ',')
            return n;
        p++;
    }
}

/* 1 when the line would be refused: wrong field count or a bad field. */
static int line_is_bad(const ph_feed *feed, const char *text)
{
    char copy[4096];
    snprintf(copy, sizeof(copy), "%s", text);
    char *fields[32];
    size_t lens[32];
    size_t n = split_line(copy, fields, lens, 32);
    if (n != feed->column_count)
        return 1;
    for (size_t c = 0; c < n; c++)
        if (ph_feed_check_field(&feed->columns[c], fields[c], lens[c], NULL) != PH_OK)
            return 1;
    return 0;
}

static void test_dirty_rows_listed(void **state)
{
    (void)state;
    ph_gen_summary s;
    char *dir = run_gen("gen_dirty", 1200, 12, 11, 0, 0.03, PH_GEN_BASELINE, &s);
    assert_true(s.dirty_rows > 100);
    /* what the truth file lists: "file:line" keys, and the kinds seen */
    key_set listed = {0};
    int kinds_seen[7] = {0};
    static const char *const kinds[] = {"bad_check_char", "malformed_number", "duplicate_row",
                                        "date_out_of_range", "unknown_code", "truncated_line",
                                        "mis_encoded_text"};
    char *path = ph_test_path(dir, "truth/dirty.csv");
    ph_csv_reader *r;
    ph_error err;
    ph_assert_ok(ph_csv_open_file(ctx, path, NULL, &r, &err), &err);
    while (ph_csv_next(r, &err) == PH_OK) {
        const char *f, *l, *k;
        size_t fl, ll, kl;
        ph_assert_ok(ph_csv_field(r, 0, &f, &fl, &err), &err);
        ph_assert_ok(ph_csv_field(r, 1, &l, &ll, &err), &err);
        ph_assert_ok(ph_csv_field(r, 2, &k, &kl, &err), &err);
        char key[128];
        snprintf(key, sizeof(key), "%.*s:%.*s", (int)fl, f, (int)ll, l);
        key_add(&listed, key);
        for (int i = 0; i < 7; i++)
            if (strlen(kinds[i]) == kl && memcmp(kinds[i], k, kl) == 0)
                kinds_seen[i]++;
    }
    ph_csv_free(r);
    free(path);
    assert_int_equal(listed.count, s.dirty_rows);
    assert_null(key_duplicate(&listed));
    for (int i = 0; i < 7; i++)
        if (kinds_seen[i] == 0)
            fail_msg("no injected row of kind %s", kinds[i]);

    /* every listed line is refused, every other line accepted */
    uint64_t bad_seen = 0;
    for (size_t i = 0; i < s.file_count; i++) {
        const ph_feed *feed = ph_feed_find(s.files[i].feed);
        if (feed->area != PH_FEED_AREA_FEEDS)
            continue;
        char *text = slurp(dir, feed->path, NULL);
        char *prev = NULL;
        uint64_t line = 0;
        for (char *p = text, *nl; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
            *nl = '\0';
            line++;
            if (line == 1) {
                prev = p;
                continue;
            }
            char key[128];
            snprintf(key, sizeof(key), "%s:%llu", feed->path, (unsigned long long)line);
            int is_listed = key_contains(&listed, key);
            int bad = line_is_bad(feed, p) || strcmp(p, prev) == 0;
            if (is_listed != bad)
                fail_msg("%s line %llu is %s but %s listed in truth/dirty.csv: %s", feed->path,
                         (unsigned long long)line, bad ? "bad" : "good", is_listed ? "is" : "not",
                         p);
            bad_seen += (uint64_t)bad;
            prev = p;
        }
        free(text);
    }
    assert_int_equal(bad_seen, s.dirty_rows);
    key_free(&listed);
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
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_refuses_non_empty_dir),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_every_field_valid),
        cmocka_unit_test(test_size_class_consistent),
        cmocka_unit_test(test_dirty_rows_listed),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ph_ctx_free(ctx);
    return failed;
}
