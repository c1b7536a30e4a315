/*
 * train-gbdt end to end in the library: a generated panel trained on
 * libxgboost with an out-of-time slice, the saved JSON cut to its best
 * round, loaded by puhui's own predictor and scored to 1e-6 of XGBoost's;
 * the one-hot names, the constraints and that they hold.
 */
#include "ph_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "puhui/gbdt.h"
#include "puhui/model.h"

#define ROWS 3000

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_test_env_open("gbdt_train", &f->ctx, &f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

static double unit(uint64_t *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(*s >> 11) * 0x1.0p-53;
}

/* The panel: months_without_sales_12m (catalogue: higher worse) and
 * sales_growth_3m (higher better, 10% missing) drive the bad rate, noise
 * does not; seg is categorical; asof six month-ends. Values are exact in
 * float, so XGBoost's float thresholds and puhui's doubles agree. */
static ph_dataset *panel(const ph_ctx *ctx, int with_seg)
{
    static double months[ROWS], growth[ROWS], noise[ROWS], bad[ROWS];
    static const char *asof[ROWS], *seg[ROWS];
    static const char *const dates[] = {"2024-01-31", "2024-02-29", "2024-03-31",
                                        "2024-04-30", "2024-05-31", "2024-06-30"};
    static const char *const segs[] = {"retail", "factory", "farm"};
    uint64_t s = 7;
    for (size_t i = 0; i < ROWS; i++) {
        months[i] = floor(unit(&s) * 6);
        growth[i] = unit(&s) < 0.1 ? NAN : floor((unit(&s) - 0.5) * 128) / 64;
        noise[i] = floor(unit(&s) * 128) / 128;
        seg[i] = segs[(size_t)(unit(&s) * 3)];
        asof[i] = dates[i * 6 / ROWS];
        double g = isnan(growth[i]) ? 0 : growth[i];
        double logit = -1.5 + 0.5 * months[i] - 1.5 * g + (strcmp(seg[i], "farm") == 0 ? 0.6 : 0);
        bad[i] = unit(&s) < 1 / (1 + exp(-logit));
    }
    ph_dataset *ds = NULL;
    ph_error err;
    ph_assert_ok(ph_dataset_new(ctx, ROWS, &ds, &err), &err);
    ph_assert_ok(ph_dataset_add_categorical(ds, "asof", asof, &err), &err);
    if (with_seg)
        ph_assert_ok(ph_dataset_add_categorical(ds, "seg", seg, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "months_without_sales_12m", months, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "sales_growth_3m", growth, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "noise", noise, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "bad", bad, &err), &err);
    return ds;
}

static ph_gbdt_result *train_refit(const ph_ctx *ctx, const ph_dataset *ds, unsigned search,
                                   int refit)
{
    ph_gbdt_options o;
    ph_gbdt_options_init(&o);
    o.refit = refit;
    o.target = "bad";
    o.time_column = "asof";
    o.valid_from = "2024-06-01";
    o.threads = 1;
    o.search = search;
    o.params.num_round = 300;
    o.params.early_stopping_rounds = 20;
    ph_gbdt_result *res = NULL;
    ph_error err;
    ph_assert_ok(ph_gbdt_train(ctx, ds, &o, &res, &err), &err);
    return res;
}

/* Held-out training: the saved model is the one cut to its best round. */
static ph_gbdt_result *train(const ph_ctx *ctx, const ph_dataset *ds, unsigned search)
{
    return train_refit(ctx, ds, search, 0);
}

static void test_design_constraints_and_slices(void **state)
{
    fixture *f = *state;
    ph_dataset *ds = panel(f->ctx, 1);
    ph_gbdt_result *res = train(f->ctx, ds, 0);
    static const struct {
        const char *name;
        int monotone;
    } want[] = {{"seg=retail", 0}, {"seg=factory", 0}, {"seg=farm", 0},
                {"months_without_sales_12m", 1}, {"sales_growth_3m", -1}, {"noise", 0}};
    assert_int_equal(res->n_features, 6);
    for (size_t i = 0; i < 6; i++) {
        assert_string_equal(res->features[i].name, want[i].name);
        assert_int_equal(res->features[i].monotone, want[i].monotone);
    }
    assert_int_equal(res->rows_valid, ROWS / 6);
    assert_int_equal(res->rows_train, ROWS - ROWS / 6);
    assert_non_null(strstr(res->split, "asof >= 2024-06-01"));
    assert_int_equal(res->n_candidates, 1);
    const ph_gbdt_candidate *c = &res->candidates[0];
    assert_true(c->best_iteration < c->rounds);
    assert_true(c->rounds <= 300);
    assert_true(res->valid_auc > 0.65 && res->train_auc > 0.65);
    ph_gbdt_result_free(res);
    ph_dataset_free(ds);
}

/* By default the model is trained again on every row for the best round
 * count scaled by all rows over training rows; the AUCs stay those of the
 * held-out model. */
static void test_refit_on_every_row(void **state)
{
    fixture *f = *state;
    ph_dataset *ds = panel(f->ctx, 0);
    ph_gbdt_result *held = train_refit(f->ctx, ds, 0, 0);
    ph_gbdt_result *res = train_refit(f->ctx, ds, 0, 1);
    size_t rows = res->rows_train + res->rows_valid;
    long want = lround((double)(res->candidates[0].best_iteration + 1) * (double)rows /
                       (double)res->rows_train);
    assert_int_equal(held->refit_rounds, 0);
    assert_int_equal(res->refit_rounds, want);
    assert_true(res->refit_rounds > res->candidates[0].best_iteration + 1);
    assert_true(res->valid_auc == held->valid_auc);
    char *path = ph_test_path(f->dir, "refit.json");
    ph_error err;
    ph_assert_ok(ph_gbdt_write_model(res, path, &err), &err);
    ph_model *model = NULL;
    ph_assert_ok(ph_model_load_file(f->ctx, path, &model, &err), &err);
    assert_int_equal(ph_model_tree_count(model), (size_t)want);
    ph_model_free(model);
    free(path);
    ph_gbdt_result_free(held);
    ph_gbdt_result_free(res);
    ph_dataset_free(ds);
}

/* The saved JSON scores in puhui's predictor as in XGBoost's, and holds
 * exactly the trees up to the best round. */
static void test_saved_model_scores_the_same(void **state)
{
    fixture *f = *state;
    ph_dataset *ds = panel(f->ctx, 0);
    ph_gbdt_result *res = train(f->ctx, ds, 0);
    char *path = ph_test_path(f->dir, "gbdt.json");
    ph_error err;
    ph_assert_ok(ph_gbdt_write_model(res, path, &err), &err);
    ph_model *model = NULL;
    ph_assert_ok(ph_model_load_file(f->ctx, path, &model, &err), &err);
    assert_int_equal(ph_model_tree_count(model), (size_t)res->candidates[0].best_iteration + 1);
    ph_model_input *in = NULL;
    ph_assert_ok(ph_model_bind(model, ds, &in, &err), &err);
    double *pd = calloc(ROWS, sizeof(double));
    ph_assert_ok(ph_model_predict(in, 0, ROWS, pd, NULL, &err), &err);

    const char *names[] = {"months_without_sales_12m", "sales_growth_3m", "noise"};
    float *x = calloc(ROWS * 3, sizeof(float));
    for (size_t j = 0; j < 3; j++) {
        const double *col = ph_dataset_numeric(ds, (size_t)ph_dataset_column_index(ds, names[j]));
        for (size_t r = 0; r < ROWS; r++)
            x[r * 3 + j] = (float)col[r];
    }
    BoosterHandle b = NULL;
    DMatrixHandle m = NULL;
    assert_int_equal(XGBoosterCreate(NULL, 0, &b), 0);
    assert_int_equal(XGBoosterLoadModel(b, path), 0);
    assert_int_equal(XGDMatrixCreateFromMat(x, ROWS, 3, NAN, &m), 0);
    bst_ulong len = 0;
    const float *xp = NULL;
    assert_int_equal(XGBoosterPredict(b, m, 0, 0, 0, &len, &xp), 0);
    assert_int_equal(len, ROWS);
    /* the model carries its calibration (Platt by default): puhui's PD is
     * XGBoost's raw probability through it */
    const ph_calibration *cal = ph_model_calibration(model);
    assert_non_null(cal);
    assert_int_equal(ph_calibration_method_of(cal), PH_CALIBRATION_PLATT);
    assert_non_null(res->calibration);
    assert_true(res->brier_calibrated <= res->brier_raw + 1e-9);
    double worst = 0;
    for (size_t r = 0; r < ROWS; r++)
        worst = fmax(worst, fabs(pd[r] - ph_calibration_apply(cal, xp[r])));
    assert_true(worst <= 1e-6);

    XGDMatrixFree(m);
    XGBoosterFree(b);
    free(x);
    free(pd);
    ph_model_input_free(in);
    ph_model_free(model);
    free(path);
    ph_gbdt_result_free(res);
    ph_dataset_free(ds);
}

/* The constraints hold: holding the others fixed, the PD never falls as
 * months_without_sales_12m rises and never rises as sales_growth_3m does. */
static void test_constraints_hold(void **state)
{
    fixture *f = *state;
    ph_dataset *ds = panel(f->ctx, 0);
    ph_gbdt_result *res = train(f->ctx, ds, 0);
    BoosterHandle b = NULL;
    assert_int_equal(XGBoosterCreate(NULL, 0, &b), 0);
    assert_int_equal(XGBoosterLoadModelFromBuffer(b, res->model_json, res->model_json_len), 0);
    enum { STEPS = 64 };
    for (int feature = 0; feature < 2; feature++) {
        float x[STEPS * 3];
        for (int i = 0; i < STEPS; i++) {
            x[i * 3 + 0] = feature == 0 ? (float)i / 8 : 2;
            x[i * 3 + 1] = feature == 1 ? (float)(i - 32) / 32 : 0;
            x[i * 3 + 2] = 0.5f;
        }
        DMatrixHandle m = NULL;
        assert_int_equal(XGDMatrixCreateFromMat(x, STEPS, 3, NAN, &m), 0);
        bst_ulong len = 0;
        const float *p = NULL;
        assert_int_equal(XGBoosterPredict(b, m, 0, 0, 0, &len, &p), 0);
        for (int i = 1; i < STEPS; i++)
            assert_true(feature == 0 ? p[i] >= p[i - 1] : p[i] <= p[i - 1]);
        XGDMatrixFree(m);
    }
    XGBoosterFree(b);
    ph_gbdt_result_free(res);
    ph_dataset_free(ds);
}

/* A search: the candidates are seeded (the same twice), the first is the
 * given parameters, and the one kept has the best validation AUC. */
static void test_search_is_seeded_and_keeps_the_best(void **state)
{
    fixture *f = *state;
    ph_dataset *ds = panel(f->ctx, 0);
    ph_gbdt_result *a = train(f->ctx, ds, 3), *b = train(f->ctx, ds, 3);
    assert_int_equal(a->n_candidates, 3);
    assert_int_equal(a->candidates[0].params.max_depth, 4);
    for (size_t k = 0; k < 3; k++) {
        assert_true(a->candidates[k].params.eta == b->candidates[k].params.eta);
        assert_true(a->candidates[k].valid_auc <= a->candidates[a->chosen].valid_auc);
    }
    assert_int_equal(a->model_json_len, b->model_json_len);
    assert_memory_equal(a->model_json, b->model_json, a->model_json_len);
    ph_gbdt_result_free(a);
    ph_gbdt_result_free(b);
    ph_dataset_free(ds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_design_constraints_and_slices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refit_on_every_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_saved_model_scores_the_same, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constraints_hold, setup, teardown),
        cmocka_unit_test_setup_teardown(test_search_is_seeded_and_keeps_the_best, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
