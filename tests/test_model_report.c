/* The model report (src/governance/report*.c) assembled from arrays of
 * scores: the numbers it gathers, the cut-off it chooses, its fairness and
 * stability sections, and its text and JSON forms; then the report run
 * from real models (an XGBoost model against scikit-learn's AUC, a
 * scorecard's CSI by attribute points) and its errors. */
#include "ph_scorecard_test.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static ph_ctx *ctx;

static int setup(void **state)
{
    (void)state;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ph_ctx_free(ctx);
    return 0;
}

/* Ten cases: PD i/20 for i = 1..10 (0.05 .. 0.50), the top four bad. */
static const double PD[] = {0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50};
static const uint8_t BAD[] = {0, 0, 1, 0, 0, 0, 1, 1, 0, 1};
/* gender: F for rows 0-3, M for 4-9 */
static const uint32_t GENDER[] = {0, 0, 0, 0, 1, 1, 1, 1, 1, 1};
static const char *const GENDER_VALUES[] = {"F", "M"};
static const double BASE_PD[] = {0.05, 0.05, 0.10, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40};
static const double POINTS_NOW[] = {10, 10, 10, 20, 20, 20, 20, 30, 30, 30};
static const double POINTS_BASE[] = {10, 10, 10, 10, 10, 20, 20, 20, 30, 30};

static ph_report_scores scores(void)
{
    static const ph_report_segment_input seg = {"owner_gender", GENDER, GENDER_VALUES, 2};
    static const ph_report_csi_input csi[] = {
        {"revenue_growth", 1, POINTS_BASE, POINTS_NOW},
        {"pd_as_feature", 0, BASE_PD, PD},
    };
    ph_report_scores s = {.model = "pd.pmml", .model_kind = "scorecard", .data = "loans.csv",
                          .target = "default", .rows = 10, .pd = PD, .bad = BAD,
                          .segments = &seg, .n_segments = 1, .baseline = "dev.csv",
                          .baseline_rows = 10, .baseline_pd = BASE_PD, .csi = csi, .n_csi = 2};
    return s;
}

static void test_numbers(void **state)
{
    (void)state;
    ph_error err;
    ph_report_scores in = scores();
    ph_model_report *r = NULL;
    ph_assert_ok(ph_model_report_from_scores(ctx, &in, NULL, &r, &err), &err);
    ph_binary_metrics m;
    ph_assert_ok(ph_metric_binary(ctx, PD, BAD, 10, &m, &err), &err);
    assert_memory_equal(&r->metrics, &m, sizeof(m));
    /* bads at .15 .35 .40 .50 beat 2, 5, 5, 6 of the 6 goods: 18 / 24 */
    assert_float_equal(r->metrics.auc, 0.75, 1e-15);
    assert_string_equal(r->model, "pd.pmml");
    assert_string_equal(r->model_kind, "scorecard");
    assert_string_equal(r->data, "loans.csv");
    assert_string_equal(r->target, "default");
    /* the default cut-off approves 70%: the 7th smallest PD */
    assert_true(r->cutoff_derived);
    assert_float_equal(r->cutoff_approval_rate, 0.70, 0);
    assert_float_equal(r->cutoff, 0.35, 0);
    assert_float_equal(r->approval_rate, 0.7, 1e-15);
    assert_int_equal(r->deciles[0].count, 1);
    assert_float_equal(r->deciles[9].mean_pd, 0.50, 0);

    /* stability: the PD's PSI as ph_metric_psi gives it, and each CSI */
    assert_true(r->has_baseline);
    assert_string_equal(r->baseline, "dev.csv");
    ph_psi psi;
    ph_assert_ok(ph_metric_psi(ctx, BASE_PD, 10, PD, 10, &psi, &err), &err);
    assert_float_equal(r->psi.psi, psi.psi, 0);
    assert_int_equal(r->n_csi, 2);
    assert_string_equal(r->csi[0].feature, "revenue_growth");
    assert_string_equal(r->csi[0].basis, "attribute points");
    assert_int_equal(r->csi[0].bins, 3);
    /* 10: .5 -> .3, 20: .3 -> .4, 30: .2 -> .3 */
    assert_float_equal(r->csi[0].csi,
                       -0.2 * log(0.3 / 0.5) + 0.1 * log(0.4 / 0.3) + 0.1 * log(0.3 / 0.2),
                       1e-12);
    assert_string_equal(r->csi[1].basis, "deciles");
    assert_float_equal(r->csi[1].csi, psi.psi, 0);

    /* fairness at 0.35: F approved 4 of 4, M 3 of 6 -> ratio 0.5, flagged */
    assert_int_equal(r->n_fairness, 1);
    const ph_report_fairness *f = &r->fairness[0];
    assert_string_equal(f->column, "owner_gender");
    assert_int_equal(f->n_segments, 2);
    assert_string_equal(f->segments[0].value, "F");
    assert_float_equal(f->segments[0].stats.approval_rate, 1.0, 0);
    assert_float_equal(f->segments[1].stats.approval_rate, 0.5, 0);
    assert_float_equal(f->segments[1].stats.approval_ratio, 0.5, 0);
    assert_true(f->segments[1].stats.approval_flag);
    /* F: bad .15 vs goods .05 .10 .20 -> 2/3; M: bads .35 .40 .50 vs goods
     * .25 .30 .45 -> (2 + 2 + 3) / 9 */
    assert_float_equal(f->segments[0].stats.auc, 2.0 / 3.0, 1e-15);
    assert_float_equal(f->segments[1].stats.auc, 7.0 / 9.0, 1e-15);
    assert_false(f->segments[0].stats.auc_flag); /* 6/7 of the best */
    assert_int_equal(f->flagged, 1);
    ph_model_report_free(r);
    ph_model_report_free(NULL);
}

static void test_cutoff_options(void **state)
{
    (void)state;
    ph_error err;
    ph_report_scores in = scores();
    ph_model_report *r = NULL;
    ph_report_options o = {.cutoff = 0.2};
    ph_assert_ok(ph_model_report_from_scores(ctx, &in, &o, &r, &err), &err);
    assert_false(r->cutoff_derived);
    assert_float_equal(r->cutoff, 0.2, 0);
    assert_float_equal(r->approval_rate, 0.4, 1e-15);
    ph_model_report_free(r);

    o = (ph_report_options){.approval_rate = 0.5};
    ph_assert_ok(ph_model_report_from_scores(ctx, &in, &o, &r, &err), &err);
    assert_true(r->cutoff_derived);
    assert_float_equal(r->cutoff, 0.25, 0);
    ph_model_report_free(r);

    r = NULL;
    o = (ph_report_options){.cutoff = 1.5};
    ph_assert_error(ph_model_report_from_scores(ctx, &in, &o, &r, &err), PH_EINVAL, &err,
                    "field cutoff, value '1.5': expected a PD cut-off in (0, 1], or 0 to "
                    "derive one from the approval rate");
    o = (ph_report_options){.approval_rate = 2};
    ph_assert_error(ph_model_report_from_scores(ctx, &in, &o, &r, &err), PH_EINVAL, &err,
                    "field approval_rate, value '2'");
    assert_null(r);
}

static void test_errors(void **state)
{
    (void)state;
    ph_error err;
    ph_model_report *r = NULL;
    ph_report_scores in = scores();
    const uint8_t good[10] = {0};
    in.bad = good;
    ph_assert_error(ph_model_report_from_scores(ctx, &in, NULL, &r, &err), PH_EINVAL, &err,
                    "AUC is undefined when every case is good (10 cases, no bad case)");
    in = scores();
    const double base_nan[] = {0.1, NAN, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
    in.baseline_pd = base_nan;
    ph_assert_error(ph_model_report_from_scores(ctx, &in, NULL, &r, &err), PH_EINVAL, &err,
                    "baseline: field pd[1], value 'nan'");
    in = scores();
    in.rows = 0;
    ph_assert_error(ph_model_report_from_scores(ctx, &in, NULL, &r, &err), PH_EINVAL, &err,
                    "expected at least one case, got none");
    ph_assert_error(ph_model_report_from_scores(ctx, NULL, NULL, &r, &err), PH_EMISUSE, &err,
                    "ph_model_report_from_scores: NULL argument");
    assert_null(r);
}

/* The report written to memory. */
static char *written(const ph_model_report *r, int json)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    ph_error err;
    ph_error_clear(&err);
    if (json)
        ph_assert_ok(ph_model_report_write_json(r, f, &err), &err);
    else
        ph_assert_ok(ph_model_report_write_text(r, f, &err), &err);
    fclose(f);
    return buf;
}

static void assert_contains(const char *text, const char *needle)
{
    if (strstr(text, needle) == NULL)
        fail_msg("'%s' not in:\n%s", needle, text);
}

static void test_text(void **state)
{
    (void)state;
    ph_error err;
    ph_report_scores in = scores();
    ph_model_report *r = NULL;
    ph_assert_ok(ph_model_report_from_scores(ctx, &in, NULL, &r, &err), &err);
    char *text = written(r, 0);
    if (getenv("PH_SHOW_REPORT"))
        fputs(text, stdout);
    assert_contains(text, "  model    pd.pmml (scorecard)\n");
    assert_contains(text, "  data     loans.csv: 10 rows, 4 bad (40.00%)\n");
    assert_contains(text, "  AUC      0.7500  (Hunan scenario models need >= 0.85: NOT met)\n");
    assert_contains(text, "  Gini     0.5000\n");
    /* F_good - F_bad peaks after 0.30: 5/6 - 1/4 */
    assert_contains(text, "  KS       0.5833  at PD <= 0.3000\n");
    /* (0.4075 + 1.755) / 10 */
    assert_contains(text, "  Brier    0.2162\n");
    assert_contains(text, "  cut-off  PD <= 0.3500 (derived: the PD that approves 70.00% of "
                          "the sample); approves 70.00%\n");
    assert_contains(text, "  decile  rows  bads  PD from   PD to  mean PD  bad rate\n");
    assert_contains(text, "       1     1     0   0.0500  0.0500   0.0500    0.0000\n");
    assert_contains(text, "Stability against dev.csv (10 rows)\n");
    assert_contains(text, "  feature         binned by         bins     CSI  reading\n");
    assert_contains(text, "  revenue_growth  attribute points     3  0.1715  watch\n");
    assert_contains(text, "Fairness by owner_gender (approved: PD <= 0.3500; ratio: to the best "
                          "segment)\n");
    assert_contains(text, "  segment  rows  bad rate  approved  ratio     AUC  ratio  flags\n");
    assert_contains(text, "  F           4    25.00%   100.00%   1.00  0.6667   0.86\n  M ");
    assert_contains(text, "  M           6    50.00%    50.00%   0.50  0.7778   1.00  approval\n");
    assert_contains(text, "  1 segment flagged (ratio below 0.80, the four-fifths rule: a "
                          "signal to review, not a finding of discrimination)\n");
    free(text);
    ph_model_report_free(r);

    /* no baseline, no segments */
    in.baseline_pd = NULL;
    in.n_segments = 0;
    ph_assert_ok(ph_model_report_from_scores(ctx, &in, NULL, &r, &err), &err);
    text = written(r, 0);
    assert_contains(text, "Stability: no baseline given (--baseline), no PSI or CSI\n");
    assert_null(strstr(text, "Fairness"));
    free(text);
    ph_model_report_free(r);
}

static void test_json(void **state)
{
    (void)state;
    ph_error err;
    ph_report_scores in = scores();
    ph_model_report *r = NULL;
    ph_assert_ok(ph_model_report_from_scores(ctx, &in, NULL, &r, &err), &err);
    char *text = written(r, 1);
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (doc == NULL)
        fail_msg("not JSON (%s): %s", jerr.text, text);
    assert_string_equal(json_string_value(json_object_get(doc, "kind")), "scorecard");
    json_t *m = json_object_get(doc, "metrics");
    assert_float_equal(json_real_value(json_object_get(m, "auc")), 0.75, 1e-15);
    assert_int_equal(json_integer_value(json_object_get(m, "bads")), 4);
    assert_float_equal(json_real_value(json_object_get(m, "psi")), r->psi.psi, 1e-15);
    assert_int_equal(json_array_size(json_object_get(doc, "deciles")), 10);
    json_t *stab = json_object_get(doc, "stability");
    assert_int_equal(json_array_size(json_object_get(stab, "csi")), 2);
    json_t *seg = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "fairness"), 0), "segments"), 1);
    assert_string_equal(json_string_value(json_object_get(seg, "value")), "M");
    assert_true(json_is_true(json_object_get(seg, "approval_flag")));
    assert_float_equal(json_real_value(json_object_get(seg, "approval_ratio")), 0.5, 0);
    json_decref(doc);
    free(text);

    char *metrics = NULL;
    ph_assert_ok(ph_model_report_metrics_json(r, &metrics, &err), &err);
    assert_non_null(strstr(metrics, "{\"rows\":10,\"bads\":4,\"bad_rate\":0.4,"));
    assert_non_null(strstr(metrics, "\"auc\":0.75,"));
    ph_free(ctx, metrics);
    ph_model_report_free(r);

    /* an undefined segment AUC is null, not NaN */
    const uint8_t bad[] = {0, 0, 0, 0, 0, 0, 1, 1, 0, 1};
    in = scores();
    in.bad = bad;
    ph_assert_ok(ph_model_report_from_scores(ctx, &in, NULL, &r, &err), &err);
    text = written(r, 1);
    doc = json_loads(text, 0, &jerr);
    assert_non_null(doc);
    seg = json_array_get(
        json_object_get(json_array_get(json_object_get(doc, "fairness"), 0), "segments"), 0);
    assert_true(json_is_null(json_object_get(seg, "auc")));
    json_decref(doc);
    free(text);
    ph_model_report_free(r);
}


/* ---- from a model and datasets ---------------------------------------------- */

static ph_dataset *read_fixture(const char *name)
{
    char *path = ph_test_fixture(name);
    ph_dataset *ds = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_dataset_read_csv(ctx, path, NULL, &ds, &err), &err);
    free(path);
    return ds;
}

static double expected_value(const char *key)
{
    char *path = ph_test_fixture("governance/expected.txt");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char name[32];
    double v, found = NAN;
    while (fscanf(f, "%31s %lf", name, &v) == 2)
        if (strcmp(name, key) == 0)
            found = v;
    fclose(f);
    free(path);
    assert_false(isnan(found));
    return found;
}

static void test_run_xgboost(void **state)
{
    (void)state;
    ph_error err;
    ph_error_clear(&err);
    char *path = ph_test_fixture("models/xgb_small.json");
    ph_model *model = NULL;
    ph_assert_ok(ph_model_load_file(ctx, path, &model, &err), &err);
    ph_dataset *ds = read_fixture("governance/sample.csv");
    ph_dataset *base = read_fixture("governance/baseline.csv");
    const char *segments[] = {"owner_gender", "city", NULL};
    ph_report_options o = {.target = "bad", .segments = segments, .baseline = base};
    ph_model_report *r = NULL;
    ph_assert_ok(ph_model_report_run(model, ds, &o, &r, &err), &err);
    /* the same ranking as XGBoost's own probabilities: scikit-learn's AUC */
    assert_int_equal(r->metrics.n, (size_t)expected_value("rows"));
    assert_int_equal(r->metrics.bads, (size_t)expected_value("bads"));
    assert_float_equal(r->metrics.auc, expected_value("auc"), 1e-12);
    assert_float_equal(r->metrics.brier, expected_value("brier"), 1e-6);
    assert_string_equal(r->model_kind, "xgboost");
    assert_string_equal(r->model, path);
    assert_true(r->has_baseline);
    assert_int_equal(r->baseline_rows, 80);
    /* CSI per feature in the model's order, decile bins */
    assert_int_equal(r->n_csi, 8);
    assert_string_equal(r->csi[0].feature, "revenue_growth_3m");
    assert_string_equal(r->csi[0].basis, "deciles");
    assert_int_equal(r->csi[0].bins, 11); /* ten deciles and the missing bin */
    /* fairness: text segments in order of appearance, numbers numerically */
    assert_int_equal(r->n_fairness, 2);
    assert_string_equal(r->fairness[0].segments[0].value, "M");
    assert_string_equal(r->fairness[0].segments[1].value, "F");
    const ph_report_fairness *city = &r->fairness[1];
    assert_int_equal(city->n_segments, 3);
    assert_string_equal(city->segments[0].value, "430100");
    assert_string_equal(city->segments[2].value, "430300");
    size_t total = 0;
    for (size_t i = 0; i < city->n_segments; i++)
        total += city->segments[i].stats.count;
    assert_int_equal(total, 80);
    ph_model_report_free(r);

    /* errors name what is missing */
    const char *bad_segment[] = {"province", NULL};
    o = (ph_report_options){.target = "bad", .segments = bad_segment};
    ph_assert_error(ph_model_report_run(model, ds, &o, &r, &err), PH_ENOTFOUND, &err,
                    "field segment, value 'province': expected a column of");
    o = (ph_report_options){.target = "default_flag"};
    ph_assert_error(ph_model_report_run(model, ds, &o, &r, &err), PH_ENOTFOUND, &err,
                    "field target, value 'default_flag'");
    o = (ph_report_options){.target = "owner_gender", .bad_label = "F"};
    ph_assert_ok(ph_model_report_run(model, ds, &o, &r, &err), &err); /* any two-valued column */
    ph_model_report_free(r);
    ph_assert_error(ph_model_report_run(model, ds, NULL, &r, &err), PH_EMISUSE, &err,
                    "ph_model_report_run: model, ds, opts, opts->target and out must not be "
                    "NULL");
    ph_dataset_free(ds);
    ph_dataset_free(base);
    ph_model_free(model);
    free(path);
}

/* A dataset of the hand card's three inputs and a target. */
static ph_dataset *card_data(const double *age, const char *const *grade, const double *income,
                             const double *bad, size_t rows)
{
    ph_dataset *ds = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_dataset_new(ctx, rows, &ds, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "age", age, &err), &err);
    ph_assert_ok(ph_dataset_add_categorical(ds, "grade", grade, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "income", income, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "bad", bad, &err), &err);
    return ds;
}

static void test_run_scorecard(void **state)
{
    (void)state;
    ph_error err;
    ph_error_clear(&err);
    ph_scorecard *sc = sct_card(ctx);
    ph_model *model = NULL;
    ph_assert_ok(ph_model_from_scorecard(ctx, sc, &model, &err), &err);
    /* age points: missing 5, < 25 10, [25, 40) 20, >= 40 30 */
    const double age[] = {20, 30, 45, NAN, 22, 50, 35, 41};
    const char *const grade[] = {"A", "B", "C", "A", NULL, "A", "B", "C"};
    const double income[] = {500, 2000, 6000, 3000, 800, 9000, 4000, 1200};
    const double bad[] = {1, 0, 0, 1, 1, 0, 0, 1};
    const double base_age[] = {30, 30, 30, 30, 45, 45, 22, NAN};
    ph_dataset *ds = card_data(age, grade, income, bad, 8);
    ph_dataset *base = card_data(base_age, grade, income, bad, 8);
    const char *segments[] = {"grade", NULL};
    ph_report_options o = {.target = "bad", .segments = segments, .baseline = base,
                           .cutoff = 0.5};
    ph_model_report *r = NULL;
    ph_assert_ok(ph_model_report_run(model, ds, &o, &r, &err), &err);
    assert_string_equal(r->model_kind, "scorecard");
    assert_int_equal(r->n_csi, 3);
    assert_string_equal(r->csi[0].feature, "age");
    assert_string_equal(r->csi[0].basis, "attribute points");
    /* points now 10 20 30 5 10 30 20 30 -> 5:1 10:2 20:2 30:3 of 8;
     * baseline 20 20 20 20 30 30 10 5 -> 5:1 10:1 20:4 30:2 */
    assert_int_equal(r->csi[0].bins, 4);
    double expected = (2.0 / 8 - 1.0 / 8) * log(2.0) + (2.0 / 8 - 4.0 / 8) * log(0.5) +
                      (3.0 / 8 - 2.0 / 8) * log(1.5);
    assert_float_equal(r->csi[0].csi, expected, 1e-12);
    assert_float_equal(r->csi[1].csi, 0.0, 0); /* grade and income did not move */
    assert_float_equal(r->csi[2].csi, 0.0, 0);
    /* the missing grade is a segment of its own, last */
    const ph_report_fairness *f = &r->fairness[0];
    assert_int_equal(f->n_segments, 4);
    assert_string_equal(f->segments[0].value, "A");
    assert_string_equal(f->segments[3].value, "(missing)");
    assert_int_equal(f->segments[3].stats.count, 1);
    assert_int_equal(f->segments[0].stats.count, 3);
    ph_model_report_free(r);
    ph_model_free(model);
    /* points only: no PD to measure */
    sc->has_scale = 0;
    ph_assert_ok(ph_model_from_scorecard(ctx, sc, &model, &err), &err);
    r = NULL;
    ph_assert_error(ph_model_report_run(model, ds, &o, &r, &err), PH_EINVAL, &err,
                    "this scorecard gives points only (no scale from points to a probability "
                    "of default), and the report measures PDs");
    assert_null(r);
    ph_dataset_free(ds);
    ph_dataset_free(base);
    ph_model_free(model);
    ph_scorecard_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_cutoff_options),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_text),
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_run_xgboost),
        cmocka_unit_test(test_run_scorecard),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
