/*
 * Scorecard training on German credit (../shared/data/germancredit.csv,
 * skipped when absent) against scikit-learn on a committed 70/30 split:
 * the held-out AUC within 0.03 of a one-hot logistic regression's, and the
 * trained card read back from PMML equal in every field, scoring each row
 * as the test's own scoring does.
 */
#include "ph_scorecard_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void assert_near(double actual, double expected, double tolerance)
{
    if (fabs(actual - expected) > tolerance)
        fail_msg("expected %.12g, got %.12g (tolerance %g)", expected, actual, tolerance);
}

/* The points of one row (first matching attribute per characteristic). */
static double score_row(const ph_scorecard *sc, const ph_dataset *ds, size_t row)
{
    double score = sc->initial_score;
    for (size_t i = 0; i < sc->n_characteristics; i++) {
        const ph_sc_characteristic *c = &sc->characteristics[i];
        int col = ph_dataset_column_index(ds, c->field);
        assert_true(col >= 0);
        const double *num = ph_dataset_numeric(ds, (size_t)col);
        const uint32_t *codes = ph_dataset_codes(ds, (size_t)col);
        int missing = num ? isnan(num[row]) : codes[row] == PH_DATASET_MISSING;
        const char *text = codes && !missing ? ph_dataset_level(ds, (size_t)col, codes[row]) : NULL;
        size_t a = 0;
        for (; a < c->n_attributes; a++) {
            const ph_sc_attribute *at = &c->attributes[a];
            int hit = at->match == PH_SC_ANY || (at->match == PH_SC_MISSING && missing);
            if (at->match == PH_SC_RANGE && num && !missing) {
                double v = num[row];
                hit = (at->low_inclusive ? v >= at->low : v > at->low) &&
                      (at->high_inclusive ? v <= at->high : v < at->high);
            }
            for (size_t l = 0; at->match == PH_SC_IN && text && l < at->n_levels; l++)
                hit |= strcmp(at->levels[l], text) == 0;
            if (hit)
                break;
        }
        if (a == c->n_attributes)
            fail_msg("row %zu: no attribute of %s matches", row, c->field);
        score += c->attributes[a].partial_score;
    }
    return score;
}

typedef struct ranked {
    double score;
    int bad;
} ranked;

static int by_score(const void *pa, const void *pb)
{
    double a = ((const ranked *)pa)->score, b = ((const ranked *)pb)->score;
    return (a > b) - (a < b);
}

/* Rank AUC of "bad scores lower" (ties averaged). */
static double auc_of(ranked *r, size_t n)
{
    qsort(r, n, sizeof(*r), by_score);
    double goods = 0, bads = 0, good_ranks = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        double g = 0;
        while (j < n && r[j].score == r[i].score)
            g += !r[j++].bad;
        good_ranks += g * ((double)i + 1 + (double)j) / 2;
        goods += g;
        bads += (double)(j - i) - g;
        i = j;
    }
    return (good_ranks - goods * (goods + 1) / 2) / (goods * bads);
}

/* The trained card through PMML and the model API: the same points as our
 * own scoring of each row, and the PD the scale gives (doubles survive). */
static void check_pmml_scoring(const ph_ctx *ctx, const ph_scorecard *sc, const ph_dataset *ds)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ph_error err;
    ph_assert_ok(ph_scorecard_write_pmml(sc, f, &err), &err);
    fclose(f);
    ph_scorecard *back;
    ph_assert_ok(ph_scorecard_read_pmml(ctx, text, len, "german.pmml", &back, &err), &err);
    sct_assert_equal(back, sc); /* every field, training statistics included */
    ph_model *model;
    ph_model_input *in;
    ph_assert_ok(ph_model_from_scorecard(ctx, back, &model, &err), &err);
    ph_assert_ok(ph_model_bind(model, ds, &in, &err), &err);
    size_t n = ph_dataset_rows(ds);
    double *pd = malloc(n * sizeof(double)), *points = malloc(n * sizeof(double));
    ph_assert_ok(ph_model_predict(in, 0, n, pd, points, &err), &err);
    for (size_t i = 0; i < n; i++) {
        double mine = score_row(sc, ds, i);
        assert_near(points[i], mine, 1e-9);
        assert_near(pd[i], ph_scorecard_pd(sc, mine), 1e-12);
    }
    free(pd);
    free(points);
    ph_model_input_free(in);
    ph_model_free(model);
    ph_scorecard_free(back);
    free(text);
}

static void test_germancredit_against_sklearn(void **state)
{
    (void)state;
    char *path = ph_test_shared_file("data/germancredit.csv");
    if (!path) {
        print_message("skipped: ../shared/data/germancredit.csv is absent "
                      "(set PUHUI_SHARED_DIR to the shared context)\n");
        skip();
    }
    ph_ctx *ctx = sct_ctx();
    ph_dataset *ds;
    ph_error err;
    ph_assert_ok(ph_dataset_read_csv(ctx, path, NULL, &ds, &err), &err);
    assert_int_equal(ph_dataset_rows(ds), 1000);

    char *split_path = ph_test_fixture("scorecard/germancredit_split.csv");
    char *auc_path = ph_test_fixture("scorecard/germancredit_sklearn.txt");
    FILE *f = fopen(split_path, "r");
    assert_non_null(f);
    size_t train_rows[1000], test_rows[1000], n_train = 0, n_test = 0, row;
    char set[16];
    assert_int_equal(fscanf(f, "row,set\n"), 0);
    while (fscanf(f, "%zu,%15s\n", &row, set) == 2) {
        assert_true(n_train < 1000 && n_test < 1000);
        if (strcmp(set, "train") == 0)
            train_rows[n_train++] = row;
        else
            test_rows[n_test++] = row;
    }
    fclose(f);
    assert_int_equal(n_train, 700);
    assert_int_equal(n_test, 300);
    double sklearn_auc = 0;
    f = fopen(auc_path, "r");
    assert_non_null(f);
    assert_int_equal(fscanf(f, "%lf", &sklearn_auc), 1);
    fclose(f);

    ph_dataset *train_ds, *test_ds;
    ph_assert_ok(ph_dataset_subset(ds, train_rows, n_train, &train_ds, &err), &err);
    ph_assert_ok(ph_dataset_subset(ds, test_rows, n_test, &test_ds, &err), &err);
    ph_sc_train_options o;
    ph_sc_train_options_init(&o);
    o.target = "creditability";
    ph_scorecard *sc;
    ph_assert_ok(ph_scorecard_train(ctx, train_ds, &o, &sc, NULL, &err), &err);
    assert_true(sc->n_characteristics >= 5);
    assert_int_equal(sc->train_rows, 700);

    uint8_t bad[300];
    ph_assert_ok(ph_dataset_binary_target(test_ds, "creditability", NULL, bad, &err), &err);
    ranked r[300];
    for (size_t i = 0; i < n_test; i++)
        r[i] = (ranked){score_row(sc, test_ds, i), bad[i]};
    double auc = auc_of(r, n_test);
    print_message("German credit, held-out 30%%: scorecard AUC %.4f, sklearn logistic "
                  "(one-hot) %.4f, %zu characteristics\n",
                  auc, sklearn_auc, sc->n_characteristics);
    if (fabs(auc - sklearn_auc) > 0.03)
        fail_msg("scorecard AUC %.4f is not within 0.03 of sklearn's %.4f", auc, sklearn_auc);
    check_pmml_scoring(ctx, sc, test_ds);

    ph_scorecard_free(sc);
    ph_dataset_free(train_ds);
    ph_dataset_free(test_ds);
    ph_dataset_free(ds);
    free(split_path);
    free(auc_path);
    free(path);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_germancredit_against_sklearn),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
