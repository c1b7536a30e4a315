/*
 * Scoring one row without a dataset (ph_model_predict_row,
 * ph_model_reasons_row): equal to the dataset path on the same values for a
 * tree model (xgb_small on input.csv) and scorecards (the province fixture,
 * another tool's shop card), missing values, categorical levels read as
 * numbers, an uncovered value's message (no file or line), no allocation
 * for scorecards, and NULL arguments.
 */
#include "ph_model_test.h"
#include "ph_scorecard_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/features.h"

/* Row `row` of ds as one double per model feature, in the model's order. */
static void row_vector(const ph_model *m, const ph_dataset *ds, size_t row, double *x)
{
    for (size_t j = 0; j < ph_model_feature_count(m); j++) {
        int c = ph_dataset_column_index(ds, ph_model_feature_name(m, j));
        assert_true(c >= 0);
        const double *num = ph_dataset_numeric(ds, (size_t)c);
        assert_non_null(num);
        x[j] = num[row];
    }
}

/* The value text the row path gives for value v of feature `name`. */
static void row_value_text(const char *name, double v, const char *dataset_text, char *buf,
                           size_t size)
{
    int idx = ph_feature_index(name);
    if (idx >= 0 && !isnan(v)) {
        ph_error err;
        ph_assert_ok(ph_feature_format((size_t)idx, v, buf, size, &err), &err);
    } else {
        snprintf(buf, size, "%s", dataset_text);
    }
}

/*
 * Every row of ds through both paths: pd and points to the bit, the same
 * reasons (feature, code, impact, sentence), the value in the row path's
 * formatting. Returns how many rows had a missing feature value and how
 * many reason values were catalogue-formatted.
 */
static void check_rows_equal(const ph_model *m, const ph_dataset *ds, size_t k,
                             size_t *rows_with_missing, size_t *catalogue_values)
{
    ph_model_input *in;
    ph_error err;
    ph_assert_ok(ph_model_bind(m, ds, &in, &err), &err);
    size_t rows = ph_dataset_rows(ds), nf = ph_model_feature_count(m);
    double *pd = malloc(rows * sizeof(double)), *points = malloc(rows * sizeof(double));
    double *x = malloc(nf * sizeof(double));
    ph_reason *want = calloc(k, sizeof(ph_reason)), *got = calloc(k, sizeof(ph_reason));
    assert_true(pd && points && x && want && got);
    ph_assert_ok(ph_model_predict(in, 0, rows, pd, points, &err), &err);
    *rows_with_missing = 0;
    *catalogue_values = 0;
    for (size_t r = 0; r < rows; r++) {
        row_vector(m, ds, r, x);
        int missing = 0;
        for (size_t j = 0; j < nf; j++)
            missing |= isnan(x[j]);
        *rows_with_missing += missing;
        double one_pd, one_points;
        ph_assert_ok(ph_model_predict_row(m, x, &one_pd, &one_points, &err), &err);
        assert_memory_equal(&one_pd, &pd[r], sizeof(double));
        assert_memory_equal(&one_points, &points[r], sizeof(double));
        size_t n_want, n_got;
        ph_assert_ok(ph_model_reasons(in, r, k, want, &n_want, &err), &err);
        ph_assert_ok(ph_model_reasons_row(m, x, k, got, &n_got, &err), &err);
        assert_int_equal(n_got, n_want);
        for (size_t i = 0; i < n_got; i++) {
            assert_int_equal(got[i].feature, want[i].feature);
            assert_string_equal(got[i].name, want[i].name);
            assert_string_equal(got[i].code, want[i].code);
            assert_memory_equal(&got[i].impact, &want[i].impact, sizeof(double));
            assert_string_equal(got[i].text, want[i].text);
            char value[64];
            row_value_text(want[i].name, x[want[i].feature], want[i].value, value,
                           sizeof(value));
            assert_string_equal(got[i].value, value);
            *catalogue_values += strcmp(value, want[i].value) != 0;
        }
    }
    free(pd);
    free(points);
    free(x);
    free(want);
    free(got);
    ph_model_input_free(in);
}

static void test_tree_rows_equal_dataset(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = fixture_model(ctx, "models/xgb_small.json");
    ph_dataset *ds = fixture_csv(ctx, "models/input.csv");
    size_t with_missing, catalogue;
    check_rows_equal(m, ds, 16, &with_missing, &catalogue); /* every adverse feature */
    assert_true(with_missing > 0);
    /* tax_paid_12m, the one catalogue feature, is adverse only when missing. */
    assert_int_equal(catalogue, 0);

    double x[16], pd = 7, points = 7;
    assert_true(ph_model_feature_count(m) <= 16);
    row_vector(m, ds, 1, x);
    ph_error err;
    ph_assert_ok(ph_model_predict_row(m, x, &pd, &points, &err), &err);
    assert_true(pd > 0 && pd < 1);
    assert_true(isnan(points));
    ph_dataset_free(ds);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* Province-like rows over the fixture card's 20 features: good, all
 * missing, bad, bin edges, a mix. */
static const char province_rows[] =
    "id,inflow_12m,inflow_growth_3m,headcount_change_3m,max_dpd_12m,coverage_share,"
    "age_months,power_growth_3m,sales_volatility_12m,top_buyer_share_3m,"
    "litigation_count_12m,sales_growth_3m,tax_late_count_12m,ss_late_months_12m,"
    "days_since_last_inflow,inflow_volatility_12m,enforcement_open,overdue_months_12m,"
    "credit_history_months,industry_growth_12m,tax_grade_score\n"
    "1,3000000,0.1,1,0,0.9,60,0.1,0.3,0.4,0,0.05,0,0,3,0.3,0,0,40,0.03,3\n"
    "2,,,,,,,,,,,,,,,,,,,,\n"
    "3,50000,-0.5,-5,100,0.2,6,-0.5,1.5,0.95,5,-0.5,5,8,200,1.5,2,6,5,-0.1,0\n"
    "4,200000,-0.3,-3,1,0.5,12,-0.3,0.2,0.3,1,-0.3,1,1,7,0.2,1,1,12,-0.05,1\n"
    "5,25000000.5,,0,,1,,0.25,0.55,,2,0.1,,3,,0.99,0,,84,,4\n"
    "6,999999.99,0.049999,2,29,0.7999,83,0,0.49,0.6,3,0.2,2,5,31,1,0,3,100,0.2,2\n";

/* The file DIR/NAME holding text; its path (free it). */
static char *temp_csv(const char *dir, const char *name, const char *text)
{
    char *path = ph_test_path(dir, name);
    ph_test_write_file(path, text);
    return path;
}

static ph_dataset *read_csv(const ph_ctx *ctx, const char *path)
{
    ph_dataset *ds;
    ph_error err;
    ph_assert_ok(ph_dataset_read_csv(ctx, path, NULL, &ds, &err), &err);
    return ds;
}

static void test_province_card_rows_equal_dataset(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = fixture_model(ctx, "pmml/province_scorecard.pmml");
    assert_int_equal(ph_model_feature_count(m), 20);
    assert_int_equal(ph_model_feature_categorical(m, 19), 1); /* tax_grade_score */
    char *dir = ph_test_tmpdir("model_row_province");
    char *path = temp_csv(dir, "province.csv", province_rows);
    ph_dataset *ds = read_csv(ctx, path);
    size_t with_missing, catalogue;
    check_rows_equal(m, ds, 5, &with_missing, &catalogue);
    assert_int_equal(with_missing, 2);
    assert_true(catalogue > 0);

    /* All missing, by hand: 540 plus the missing bins' points. */
    double x[20], pd = 7, points = 7;
    for (size_t j = 0; j < 20; j++)
        x[j] = NAN;
    ph_error err;
    ph_assert_ok(ph_model_predict_row(m, x, &pd, &points, &err), &err);
    assert_true(points == 540 - 15 - 6 - 4 + 0 - 12 - 18 - 3 - 5 - 2 + 0 - 6 - 4 + 0 - 12 - 5 +
                              0 + 0 - 6 + 0 - 8);
    assert_near(pd, 1.0 / (1.0 + 50.0 * exp2((points - 600.0) / 20.0)), 1e-15);
    ph_reason r[2];
    size_t n;
    ph_assert_ok(ph_model_reasons_row(m, x, 2, r, &n, &err), &err);
    assert_int_equal(n, 2);
    assert_string_equal(r[0].code, "INFLOW_12M_MISSING"); /* 18 - (-15) */
    assert_true(r[0].impact == 33);
    assert_string_equal(r[0].value, "");
    assert_string_equal(r[0].text, "no data on payment inflow of the last 12 months");
    assert_string_equal(r[1].code, "AGE_MONTHS_MISSING"); /* 12 - (-18) */
    assert_true(r[1].impact == 30);

    /* Row 1 with the categorical grade 3.0: matches the level "3". */
    row_vector(m, ds, 0, x);
    ph_assert_ok(ph_model_predict_row(m, x, &pd, &points, &err), &err);
    assert_true(points == 649);
    ph_assert_ok(ph_model_reasons_row(m, x, 1, r, &n, &err), &err);
    assert_int_equal(n, 1);
    assert_string_equal(r[0].code, "INFLOW_12M");
    assert_string_equal(r[0].value, "3000000.00");
    assert_string_equal(r[0].text, "payment inflow of the last 12 months was 3,000,000.00 yuan");
    ph_dataset_free(ds);
    ph_model_free(m);
    free(path);
    ph_test_rmtree(dir);
    free(dir);
    ph_ctx_free(ctx);
}

static void test_shop_card_missing_and_uncovered(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    char *model_path = ph_test_fixture("pmml/shop_other_tool.pmml");
    ph_model *m;
    ph_error err;
    ph_assert_ok(ph_model_load_file(ctx, model_path, &m, &err), &err);
    /* The categorical sector missing, in a dataset and as a row. */
    char *dir = ph_test_tmpdir("model_row_shop");
    char *path = temp_csv(dir, "shops.csv", "sector,years_trading,monthly_sales,staff\n"
                                       ",7,,3\n,0.5,20000,\n,12,60000,1\n");
    ph_dataset *ds = read_csv(ctx, path);
    size_t with_missing, catalogue;
    check_rows_equal(m, ds, 4, &with_missing, &catalogue);
    assert_int_equal(with_missing, 3);
    assert_int_equal(catalogue, 0);

    double x[4] = {NAN, 7, NAN, 3}, pd = 7, points = 7;
    ph_assert_ok(ph_model_predict_row(m, x, &pd, &points, &err), &err);
    assert_true(points == -9 + 12 + 3 + 4);
    assert_true(isnan(pd)); /* points only: no scale */
    ph_reason r[4];
    size_t n = 99;
    ph_assert_ok(ph_model_reasons_row(m, x, 4, r, &n, &err), &err);
    assert_int_equal(n, 4);
    assert_string_equal(r[0].code, "SEC_MISSING");
    assert_true(r[0].impact == 28);
    assert_string_equal(r[0].text, "sector is missing");
    assert_string_equal(r[1].code, "SALES");
    assert_true(r[1].impact == 7);
    assert_string_equal(r[2].code, "YRS");
    assert_string_equal(r[2].value, "7");
    assert_string_equal(r[2].text, "years_trading is 7 (6 points below the baseline)");
    assert_string_equal(r[3].code, "STAFF_SMALL");
    assert_true(r[3].impact == 2);

    /* A number no level of sector reads as: the field, the value, the
     * characteristic and the model, no file or line; outputs untouched. */
    x[0] = 5;
    char want[512];
    snprintf(want, sizeof(want),
             "field sector, value '5': no attribute of characteristic 'sectorScore' matches "
             "this value (scorecard %s)", model_path);
    pd = points = 7;
    assert_int_equal(ph_model_predict_row(m, x, &pd, &points, &err), PH_EINVAL);
    assert_string_equal(err.message, want);
    assert_true(pd == 7 && points == 7);
    n = 99;
    r[0].impact = -1;
    assert_int_equal(ph_model_reasons_row(m, x, 4, r, &n, &err), PH_EINVAL);
    assert_string_equal(err.message, want);
    assert_true(n == 99 && r[0].impact == -1);
    ph_dataset_free(ds);
    ph_model_free(m);
    free(path);
    ph_test_rmtree(dir);
    free(dir);
    free(model_path);
    ph_ctx_free(ctx);
}

/* Levels "1", "2.0", "03" and no missing attribute. */
static ph_model *levels_model(const ph_ctx *ctx)
{
    ph_scorecard *sc;
    ph_error err;
    ph_assert_ok(ph_scorecard_new(ctx, &sc, &err), &err);
    sc->use_reason_codes = 0;
    ph_sc_characteristic *c = sct_characteristic(sc, "grade_score", "grade", 1, NULL, 0);
    static const char *const one[] = {"1"}, *const two_three[] = {"2.0", "03"};
    sct_levels(sc, sct_attribute(sc, c, PH_SC_IN, 10, NULL), one, 1);
    sct_levels(sc, sct_attribute(sc, c, PH_SC_IN, 20, NULL), two_three, 2);
    ph_model *m;
    ph_assert_ok(ph_model_from_scorecard(ctx, sc, &m, &err), &err);
    ph_scorecard_free(sc);
    return m;
}

static void test_levels_read_as_numbers(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = levels_model(ctx);
    static const double values[] = {1, 2, 3};
    static const double want[] = {10, 20, 20};
    ph_error err;
    for (size_t i = 0; i < 3; i++) {
        double pd, points;
        ph_assert_ok(ph_model_predict_row(m, &values[i], &pd, &points, &err), &err);
        assert_true(points == want[i]);
        assert_true(isnan(pd));
    }
    double x = 4, pd = 7, points = 7;
    assert_int_equal(ph_model_predict_row(m, &x, &pd, &points, &err), PH_EINVAL);
    assert_string_equal(err.message, "field grade, value '4': no attribute of characteristic "
                                     "'grade_score' matches this value (scorecard <memory>)");
    x = 2.5;
    assert_int_equal(ph_model_predict_row(m, &x, &pd, NULL, &err), PH_EINVAL);
    assert_string_equal(err.message, "field grade, value '2.5': no attribute of characteristic "
                                     "'grade_score' matches this value (scorecard <memory>)");
    x = NAN;
    assert_int_equal(ph_model_predict_row(m, &x, &pd, &points, &err), PH_EINVAL);
    assert_string_equal(err.message,
                        "field grade: the value is missing and no attribute of characteristic "
                        "'grade_score' matches a missing value (scorecard <memory>)");
    assert_true(pd == 7 && points == 7);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* An allocator that counts calls, to see that scorecard rows allocate nothing. */
static void *counting_malloc(void *user, size_t size)
{
    ++*(size_t *)user;
    return malloc(size);
}

static void *counting_realloc(void *user, void *ptr, size_t size)
{
    ++*(size_t *)user;
    return realloc(ptr, size);
}

static void counting_free(void *user, void *ptr)
{
    (void)user;
    free(ptr);
}

static void test_scorecard_row_allocates_nothing(void **state)
{
    (void)state;
    size_t calls = 0;
    ph_allocator a = {counting_malloc, counting_realloc, counting_free, &calls};
    ph_ctx_options o = {0};
    o.allocator = &a;
    ph_ctx *ctx;
    ph_error err;
    ph_assert_ok(ph_ctx_new(&o, &ctx, &err), &err);
    char *path = ph_test_fixture("pmml/province_scorecard.pmml");
    ph_model *card;
    ph_assert_ok(ph_model_load_file(ctx, path, &card, &err), &err);
    free(path);
    path = ph_test_fixture("models/xgb_small.json");
    ph_model *trees;
    ph_assert_ok(ph_model_load_file(ctx, path, &trees, &err), &err);
    free(path);

    double x[20] = {3000000, 0.1, 1, 0, 0.9, 60, 0.1, 0.3, 0.4, 0,
                    0.05, 0, 0, 3, 0.3, 0, 0, 40, 0.03, NAN};
    double pd, points;
    ph_reason r[5];
    size_t n;
    size_t before = calls;
    ph_assert_ok(ph_model_predict_row(card, x, &pd, &points, &err), &err);
    ph_assert_ok(ph_model_reasons_row(card, x, 5, r, &n, &err), &err);
    assert_int_equal(n, 5);
    assert_int_equal(calls, before);
    /* A tree model may allocate its scratch (and does). */
    ph_assert_ok(ph_model_predict_row(trees, x, &pd, &points, &err), &err);
    assert_true(calls > before);
    ph_model_free(card);
    ph_model_free(trees);
    ph_ctx_free(ctx);
}

static void test_null_arguments(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = levels_model(ctx);
    double x = 1, pd = 7;
    ph_reason r[1];
    size_t n = 99;
    ph_error err;
    ph_assert_error(ph_model_predict_row(NULL, &x, &pd, NULL, &err), PH_EMISUSE, &err,
                    "ph_model_predict_row: NULL argument");
    ph_assert_error(ph_model_predict_row(m, NULL, &pd, NULL, &err), PH_EMISUSE, &err,
                    "ph_model_predict_row: NULL argument");
    ph_assert_error(ph_model_predict_row(m, &x, NULL, NULL, &err), PH_EMISUSE, &err,
                    "ph_model_predict_row: NULL argument");
    assert_true(pd == 7);
    ph_assert_error(ph_model_reasons_row(NULL, &x, 1, r, &n, &err), PH_EMISUSE, &err,
                    "ph_model_reasons_row: NULL argument");
    ph_assert_error(ph_model_reasons_row(m, NULL, 1, r, &n, &err), PH_EMISUSE, &err,
                    "ph_model_reasons_row: NULL argument");
    ph_assert_error(ph_model_reasons_row(m, &x, 1, NULL, &n, &err), PH_EMISUSE, &err,
                    "ph_model_reasons_row: NULL argument");
    ph_assert_error(ph_model_reasons_row(m, &x, 1, r, NULL, &err), PH_EMISUSE, &err,
                    "ph_model_reasons_row: NULL argument");
    assert_int_equal(n, 99);
    /* k = 0 needs no out: nothing to write. Points are at the baseline 0 here,
     * 10 points above it, so no adverse reason either. */
    ph_assert_ok(ph_model_reasons_row(m, &x, 0, NULL, &n, &err), &err);
    assert_int_equal(n, 0);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tree_rows_equal_dataset),
        cmocka_unit_test(test_province_card_rows_equal_dataset),
        cmocka_unit_test(test_shop_card_missing_and_uncovered),
        cmocka_unit_test(test_levels_read_as_numbers),
        cmocka_unit_test(test_scorecard_row_allocates_nothing),
        cmocka_unit_test(test_null_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
