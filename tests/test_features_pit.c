/*
 * Point in time: features as of D use only what was known on D.
 *  (a) a row for month M counts from M's last day + lag, not a day before;
 *  (b) a superseded version counts until its correction is known, then the
 *      new one does;
 *  (c) on a generated province with corrections and late rows, features as
 *      of D on the whole database equal those on a copy holding only the
 *      rows known by D;
 * and the batch, the monthly panel and the single-firm path agree exactly.
 */
#include <sys/stat.h>

#include "features_fixture.h"

static void test_month_counts_from_end_plus_lag(void **state)
{
    fx *f = *state;
    double v[PH_FEATURE_COUNT];
    add_firm(f->store, FIRM_A, 370102, "C13", "2020-03-10", "active", NULL, "2020-03-11");
    add_vat(f->store, FIRM_A, "2025-01", 100000, 0, NULL);
    add_vat(f->store, FIRM_A, "2025-02", 200000, 0, NULL);
    add_vat(f->store, FIRM_A, "2025-03", 600000, 0, NULL);
    /* March's invoices are known on 03-31 + 15 = 04-15 */
    features_of(f->store, FIRM_A, "2025-04-14", v);
    assert_feature(v, "sales_3m", 3000.0 * 3.0 / 2.0); /* Jan and Feb only (Dec missing) */
    assert_feature(v, "sales_growth_3m", NAN);
    features_of(f->store, FIRM_A, "2025-04-15", v);
    assert_feature(v, "sales_3m", 9000.0);
    /* before February's was known, one month */
    features_of(f->store, FIRM_A, "2025-03-14", v);
    assert_feature(v, "sales_3m", 3000.0);
    features_of(f->store, FIRM_A, "2025-02-14", v);
    assert_feature(v, "has_vat", 0);
    assert_feature(v, "sales_3m", NAN);
    /* a daily row counts in its month only when the month is complete, and
     * for recency from the day after it happened */
    add_payment(f->store, FIRM_A, "2025-03-10", 1, 10000);
    features_of(f->store, FIRM_A, "2025-03-10", v);
    assert_feature(v, "days_since_last_inflow", NAN);
    features_of(f->store, FIRM_A, "2025-03-11", v);
    assert_feature(v, "days_since_last_inflow", 1);
    assert_feature(v, "has_payments", 0);
    features_of(f->store, FIRM_A, "2025-04-01", v);
    assert_feature(v, "inflow_1m", 100.0);
}

static void test_superseded_version(void **state)
{
    fx *f = *state;
    double v[PH_FEATURE_COUNT];
    add_firm(f->store, FIRM_A, 370102, "C13", "2020-03-10", "active", NULL, "2020-03-11");
    add_vat(f->store, FIRM_A, "2025-01", 100000, 0, NULL);
    add_vat(f->store, FIRM_A, "2025-03", 300000, 0, NULL);
    /* February: first delivered as 2000.00, corrected to 99999.00 on 05-01 */
    ph_test_exec(f->store, "INSERT INTO feed_vat_invoices VALUES ('" FIRM_A "', '2025-02', "
                           "9999900, 1, 0, 0, 1, NULL, '2025-05-01', 2, 2, 7)");
    ph_test_exec(f->store, "INSERT INTO feed_vat_invoices_history VALUES ('" FIRM_A "', "
                           "'2025-02', 200000, 1, 0, 0, 1, NULL, '2025-03-15', 1, 2, 6, "
                           "'2025-05-01', 2)");
    /* a correction of a payment day, and a row that arrived late */
    add_payment(f->store, FIRM_A, "2025-03-05", 1, 10000);
    ph_test_exec(f->store, "UPDATE feed_payments_daily SET inflow_amount_fen = 50000, "
                           "known_on = '2025-04-20' WHERE date = '2025-03-05'");
    ph_test_exec(f->store, "INSERT INTO feed_payments_daily_history VALUES ('" FIRM_A "', "
                           "'2025-03-05', 1, 10000, 1, 100, '2025-03-06', 1, 1, 0, "
                           "'2025-04-20', 2)");
    add_payment(f->store, FIRM_A, "2025-03-20", 1, 7000);
    ph_test_exec(f->store, "UPDATE feed_payments_daily SET known_on = '2025-05-10' "
                           "WHERE date = '2025-03-20'");

    features_of(f->store, FIRM_A, "2025-03-14", v);
    assert_feature(v, "sales_3m", 3000.0);             /* January alone, for 3 months */
    features_of(f->store, FIRM_A, "2025-04-30", v);
    assert_feature(v, "sales_3m", 6000.0);             /* 1000 + 2000 + 3000 */
    assert_feature(v, "inflow_1m", 500.0);             /* corrected on 04-20 */
    assert_feature(v, "days_since_last_inflow", 56);   /* 03-20 not known yet */
    features_of(f->store, FIRM_A, "2025-04-19", v);
    assert_feature(v, "inflow_1m", 100.0);             /* the first version */
    features_of(f->store, FIRM_A, "2025-05-01", v);
    assert_feature(v, "sales_3m", 103999.0);           /* 1000 + 99999 + 3000 */
    features_of(f->store, FIRM_A, "2025-05-10", v);
    assert_feature(v, "inflow_1m", 0.0);               /* April: no payments */
    assert_feature(v, "inflow_3m", 570.0);             /* the late row now counts */
    assert_feature(v, "days_since_last_inflow", 51);
}

/* --- (c) on a generated province ------------------------------------------------- */

typedef struct rows {
    size_t n, cap;
    char (*uscc)[19];
    ph_date *asof;
    double *values;
} rows;

static ph_status collect(void *user, const char *uscc, ph_date asof, const double *values,
                         ph_error *err)
{
    (void)err;
    rows *r = user;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        r->uscc = realloc(r->uscc, r->cap * sizeof(*r->uscc));
        r->asof = realloc(r->asof, r->cap * sizeof(*r->asof));
        r->values = realloc(r->values, r->cap * PH_FEATURE_COUNT * sizeof(*r->values));
    }
    memcpy(r->uscc[r->n], uscc, 19);
    r->asof[r->n] = asof;
    memcpy(r->values + r->n * PH_FEATURE_COUNT, values, PH_FEATURE_COUNT * sizeof(double));
    r->n++;
    return PH_OK;
}

static void rows_free(rows *r)
{
    free(r->uscc);
    free(r->asof);
    free(r->values);
    memset(r, 0, sizeof(*r));
}

static int same_values(const double *a, const double *b)
{
    for (int i = 0; i < PH_FEATURE_COUNT; i++)
        if (!(isnan(a[i]) ? isnan(b[i]) : a[i] == b[i])) {
            print_error("%s differs: %.17g vs %.17g\n", ph_feature_at((size_t)i)->name, a[i],
                        b[i]);
            return 0;
        }
    return 1;
}

/* Rows of `r` at date d, in order. */
static rows at_date(const rows *r, ph_date d)
{
    rows out = {0, 0, NULL, NULL, NULL};
    for (size_t i = 0; i < r->n; i++)
        if (r->asof[i] == d)
            collect(&out, r->uscc[i], d, r->values + i * PH_FEATURE_COUNT, NULL);
    return out;
}

static void assert_same_rows(const rows *a, const rows *b)
{
    assert_int_equal(a->n, b->n);
    for (size_t i = 0; i < a->n; i++) {
        assert_string_equal(a->uscc[i], b->uscc[i]);
        assert_int_equal(a->asof[i], b->asof[i]);
        if (!same_values(a->values + i * PH_FEATURE_COUNT, b->values + i * PH_FEATURE_COUNT))
            fail_msg("firm %s", a->uscc[i]);
    }
}

static rows batch(ph_store *store, const ph_date *dates, size_t n, int threads)
{
    rows r = {0, 0, NULL, NULL, NULL};
    ph_features_options opts = {.threads = threads};
    ph_error err;
    ph_assert_ok(ph_features_batch(store, dates, n, &opts, collect, &r, &err), &err);
    return r;
}

/* Keep only what was known on D: current rows known by then, and the
 * superseded versions valid on D back in the current table. */
static void truncate_to(ph_store *store, const char *d)
{
    for (size_t i = 0; i < ph_feed_count(); i++) {
        const ph_feed *feed = ph_feed_at(i);
        if (!ph_schema_feed_stored(feed))
            continue;
        char cols[2048] = "", name[96], table[96], history[96];
        for (size_t c = 0; c < feed->column_count; c++) {
            ph_schema_feed_column(&feed->columns[c], name, sizeof(name), NULL);
            strcat(cols, name);
            strcat(cols, ", ");
        }
        strcat(cols, "known_on, file_id, line, row_hash");
        ph_schema_feed_table(feed, 0, table, sizeof(table), NULL);
        ph_schema_feed_table(feed, 1, history, sizeof(history), NULL);
        sqlf(store, "DELETE FROM %s WHERE known_on > '%s'", table, d);
        sqlf(store, "INSERT INTO %s SELECT %s FROM %s WHERE known_on <= '%s' AND "
                    "superseded_on > '%s'",
             table, cols, history, d, d);
        sqlf(store, "DELETE FROM %s", history);
    }
}

/* Write to out_dir/NAME.csv the lines of the generated feed `name` that
 * `pick` selects, with money column `column` changed by `change` (fen): a
 * correction file. Lines whose amount is empty are left out (nothing to
 * correct). Generated lines of these feeds hold no quoted fields. */
typedef int (*pick_fn)(const char *const *fields);
static void write_correction(const char *province, const char *out_dir, const char *name,
                             pick_fn pick, const char *column, ph_money (*change)(ph_money))
{
    char in_path[1024], out_path[1024], line[4096];
    snprintf(in_path, sizeof(in_path), "%s/feeds/%s.csv", province, name);
    snprintf(out_path, sizeof(out_path), "%s/%s.csv", out_dir, name);
    FILE *in = fopen(in_path, "r"), *out = fopen(out_path, "w");
    assert_non_null(in);
    assert_non_null(out);
    assert_non_null(fgets(line, sizeof(line), in));
    fputs(line, out);
    int target = -1, n = 0;
    for (char *tok = strtok(line, ",\r\n"); tok; tok = strtok(NULL, ",\r\n"), n++)
        if (strcmp(tok, column) == 0)
            target = n;
    assert_true(target >= 0);
    while (fgets(line, sizeof(line), in) != NULL) {
        assert_null(strchr(line, '"'));
        const char *fields[64];
        size_t count = 0;
        char *p = line;
        line[strcspn(line, "\r\n")] = '\0';
        for (;;) { /* split in place, keeping empty fields */
            fields[count++] = p;
            char *comma = strchr(p, ',');
            if (comma == NULL || count == 64)
                break;
            *comma = '\0';
            p = comma + 1;
        }
        if (!pick(fields) || fields[target][0] == '\0')
            continue;
        ph_money fen;
        char amount[PH_MONEY_FORMAT_MAX];
        ph_error err;
        ph_assert_ok(ph_money_parse(fields[target], strlen(fields[target]), &fen, &err), &err);
        ph_assert_ok(ph_money_format(change(fen), 0, amount, sizeof(amount), &err), &err);
        for (size_t i = 0; i < count; i++)
            fprintf(out, "%s%s", i ? "," : "", (int)i == target ? amount : fields[i]);
        fputc('\n', out);
    }
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* March 2025 VAT of the firms whose code ends in a digit (uscc is column
 * 0, month column 1). */
static int pick_vat(const char *const *fields)
{
    return strcmp(fields[1], "2025-03") == 0 && fields[0][17] >= '0' && fields[0][17] <= '9';
}
static ph_money double_plus_one(ph_money fen) { return 2 * fen + 1; }

/* Early-May payment days of the firms of region codes below 3703 (Jinan
 * and Qingdao). */
static int pick_payments(const char *const *fields)
{
    return strcmp(fields[1], "2025-05-01") >= 0 && strcmp(fields[1], "2025-05-10") <= 0 &&
           strncmp(fields[0] + 2, "3703", 4) < 0;
}
static ph_money plus_12345(ph_money fen) { return fen + 12345; }

/* Ingest `path` with the run's known_on; returns the rows accepted plus
 * superseded, and asserts that none was rejected. */
static uint64_t ingest(fx *f, const char *path, const char *known_on)
{
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = known_on;
    ph_ingest *ing = NULL;
    ph_error err;
    ph_assert_ok(ph_ingest_new(f->store, &opts, &ing, &err), &err);
    ph_assert_ok(ph_ingest_paths(ing, &path, 1, &err), &err);
    uint64_t written = 0;
    for (size_t i = 0; i < ph_ingest_result_count(ing); i++) {
        const ph_ingest_counts *c = &ph_ingest_result_at(ing, i)->counts;
        assert_int_equal(c->rejected, 0);
        written += c->accepted + c->superseded;
    }
    ph_ingest_free(ing);
    return written;
}

static void test_generated_province(void **state)
{
    fx *f = *state;
    ph_error err;
    char *province = ph_test_path(f->dir, "province");
    ph_gen_options g;
    ph_gen_options_init(&g);
    g.enterprises = 400;
    g.months = 24;
    g.out_dir = province;
    ph_assert_ok(ph_gen_run(f->ctx, &g, NULL, &err), &err);
    /* the province as delivered: every row known on its date + lag */
    assert_true(ingest(f, province, "2025-12-31") > 100000);
    /* corrections, ingested as they arrive: payments of early May on 06-05,
     * then March VAT on 06-10 (each then known from its run's known_on) */
    char *fixes = ph_test_path(f->dir, "fixes");
    assert_int_equal(mkdir(fixes, 0777), 0);
    write_correction(province, fixes, "payments_daily", pick_payments, "inflow_amount",
                     plus_12345);
    char *payments = ph_test_path(fixes, "payments_daily.csv");
    assert_true(ingest(f, payments, "2025-06-05") > 100);
    write_correction(province, fixes, "vat_invoices", pick_vat, "sales_amount",
                     double_plus_one);
    char *vat = ph_test_path(fixes, "vat_invoices.csv");
    uint64_t vat_fixed = ingest(f, vat, "2025-06-10");
    assert_true(vat_fixed > 20);
    free(payments);
    free(vat);
    free(fixes);
    free(province);
    /* the corrected versions are known from the correction's run, the
     * versions they replaced until then */
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM feed_vat_invoices_history "
                                                 "WHERE superseded_on = '2025-06-10' AND "
                                                 "known_on = '2025-04-15'"),
                     vat_fixed);
    assert_int_equal(ph_test_query_int(f->store, "SELECT COUNT(*) FROM feed_vat_invoices "
                                                 "WHERE known_on = '2025-06-10'"),
                     vat_fixed);
    /* social security for April arriving late, on 07-01: ingestion dates a
     * new row by its month + lag, so a late arrival is set by hand */
    ph_test_exec(f->store, "UPDATE feed_social_security SET known_on = '2025-07-01' WHERE "
                           "month = '2025-04' AND substr(uscc, 3, 4) < '3703'");
    assert_true(ph_test_query_int(f->store, "SELECT COUNT(*) FROM feed_payments_daily_history") >
                100);

    static const char *const dates[] = {"2025-05-31", "2025-06-07", "2025-06-30",
                                        "2025-07-01"};
    ph_date all[4];
    for (int i = 0; i < 4; i++)
        all[i] = day(dates[i]);
    rows panel = batch(f->store, all, 4, 2);
    ph_assert_ok(ph_features_refresh(f->store, all, 4, NULL, &err), &err);
    for (int i = 0; i < 4; i++) {
        /* (c) the whole database against a copy holding only what was known */
        char *copy = ph_test_path(f->dir, dates[i]);
        sqlf(f->store, "VACUUM INTO '%s'", copy);
        ph_store *known = NULL;
        ph_assert_ok(ph_store_open(f->ctx, copy, NULL, &known, &err), &err);
        truncate_to(known, dates[i]);
        rows full = batch(f->store, &all[i], 1, 1);
        rows past = batch(known, &all[i], 1, 2);
        assert_true(full.n > 300);
        assert_same_rows(&full, &past);
        /* the panel's rows of this date are the single date's */
        rows slice = at_date(&panel, all[i]);
        assert_same_rows(&full, &slice);
        /* and every 9th firm alone gives the same numbers */
        for (size_t k = 0; k < full.n; k += 9) {
            double v[PH_FEATURE_COUNT];
            ph_assert_ok(ph_features_for(f->store, full.uscc[k], all[i], v, NULL, &err), &err);
            if (!same_values(full.values + k * PH_FEATURE_COUNT, v))
                fail_msg("single firm %s as of %s", full.uscc[k], dates[i]);
        }
        rows_free(&full);
        rows_free(&past);
        rows_free(&slice);
        ph_store_free(known);
        free(copy);
    }
    /* the corrections did change something between the dates */
    rows before = at_date(&panel, all[0]), after = at_date(&panel, all[2]);
    int i_sales = ph_feature_index("sales_3m"), changed = 0;
    for (size_t k = 0; k < before.n && k < after.n; k++)
        changed += before.values[k * PH_FEATURE_COUNT + i_sales] !=
                   after.values[k * PH_FEATURE_COUNT + i_sales];
    assert_true(changed > 0);
    rows_free(&before);
    rows_free(&after);
    rows_free(&panel);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_month_counts_from_end_plus_lag, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_superseded_version, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_generated_province, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
