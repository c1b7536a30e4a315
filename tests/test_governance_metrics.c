/* Model governance metrics (src/governance): AUC, KS, Gini, Brier,
 * calibration, cut-off, PSI, CSI and fairness, on arrays small enough to
 * compute by hand, and AUC/KS/Brier against scikit-learn. */
#include "ph_test.h"

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

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Bads 0.35, 0.8, 0.4; goods 0.1, 0.4, 0.2. Pairs won: 0.35 beats 2 goods,
 * 0.8 beats 3, 0.4 beats 2 and ties 1: 7.5 of 9. */
static const double TIE_PD[] = {0.1, 0.4, 0.35, 0.8, 0.4, 0.2};
static const uint8_t TIE_BAD[] = {0, 0, 1, 1, 1, 0};

static void test_auc_with_ties(void **state)
{
    (void)state;
    ph_error err;
    double auc = 0;
    ph_assert_ok(ph_metric_auc(ctx, TIE_PD, TIE_BAD, N(TIE_PD), &auc, &err), &err);
    assert_float_equal(auc, 7.5 / 9.0, 1e-15);

    /* perfect, inverted, all tied */
    const double pd[] = {0.1, 0.2, 0.3, 0.4};
    const uint8_t up[] = {0, 0, 1, 1}, down[] = {1, 1, 0, 0};
    const double flat[] = {0.3, 0.3, 0.3, 0.3};
    ph_assert_ok(ph_metric_auc(ctx, pd, up, 4, &auc, &err), &err);
    assert_float_equal(auc, 1.0, 0);
    ph_assert_ok(ph_metric_auc(ctx, pd, down, 4, &auc, &err), &err);
    assert_float_equal(auc, 0.0, 0);
    ph_assert_ok(ph_metric_auc(ctx, flat, up, 4, &auc, &err), &err);
    assert_float_equal(auc, 0.5, 0);
}

static void test_ks(void **state)
{
    (void)state;
    ph_error err;
    double ks = 0, at = 0;
    /* ascending: 0.1 g, 0.2 g, 0.35 b, 0.4 {g, b}, 0.8 b; F_good - F_bad after
     * each block: 1/3, 2/3, 1/3, 1/3, 0 */
    ph_assert_ok(ph_metric_ks(ctx, TIE_PD, TIE_BAD, N(TIE_PD), &ks, &at, &err), &err);
    assert_float_equal(ks, 2.0 / 3.0, 1e-15);
    assert_float_equal(at, 0.2, 0);
    /* a tie block is one cut-off: splitting 0.5 {b, g} would give 1/2 */
    const double pd[] = {0.5, 0.5, 0.9, 0.1};
    const uint8_t bad[] = {1, 0, 1, 0};
    ph_assert_ok(ph_metric_ks(ctx, pd, bad, 4, &ks, NULL, &err), &err);
    assert_float_equal(ks, 0.5, 1e-15); /* after 0.1: 1/2 - 0; after 0.5: 1 - 1/2 */
}

static void test_brier_and_summary(void **state)
{
    (void)state;
    ph_error err;
    double brier = 0;
    /* 0.01 + 0.16 + 0.4225 + 0.04 + 0.36 + 0.04 = 1.0325 */
    ph_assert_ok(ph_metric_brier(TIE_PD, TIE_BAD, N(TIE_PD), &brier, &err), &err);
    assert_float_equal(brier, 1.0325 / 6.0, 1e-15);
    /* Brier takes one class */
    const double pd[] = {0.25, 0.75};
    const uint8_t good[] = {0, 0};
    ph_assert_ok(ph_metric_brier(pd, good, 2, &brier, &err), &err);
    assert_float_equal(brier, (0.0625 + 0.5625) / 2, 1e-15);

    ph_binary_metrics m;
    ph_assert_ok(ph_metric_binary(ctx, TIE_PD, TIE_BAD, N(TIE_PD), &m, &err), &err);
    assert_int_equal(m.n, 6);
    assert_int_equal(m.bads, 3);
    assert_float_equal(m.bad_rate, 0.5, 0);
    assert_float_equal(m.auc, 7.5 / 9.0, 1e-15);
    assert_float_equal(m.gini, 2 * 7.5 / 9.0 - 1, 1e-15);
    assert_float_equal(m.ks, 2.0 / 3.0, 1e-15);
    assert_float_equal(m.ks_at, 0.2, 0);
    assert_float_equal(m.brier, 1.0325 / 6.0, 1e-15);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    ph_error err;
    double v = 42;
    const double pd[] = {0.1, NAN, 0.3};
    const uint8_t bad[] = {0, 1, 1};
    ph_assert_error(ph_metric_auc(ctx, pd, bad, 3, &v, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message, "field pd[1], value 'nan': expected a probability of "
                                     "default in [0, 1], got NaN (no prediction)");
    assert_float_equal(v, 42, 0); /* untouched */
    ph_assert_error(ph_metric_brier(pd, bad, 3, &v, &err), PH_EINVAL, &err, "pd[1]");
    ph_assert_error(ph_metric_ks(ctx, pd, bad, 3, &v, NULL, &err), PH_EINVAL, &err, "pd[1]");

    const double high[] = {0.1, 1.5};
    ph_assert_error(ph_metric_brier(high, bad, 2, &v, &err), PH_ERANGE, &err,
                    "field pd[1], value '1.5': expected a probability of default in [0, 1]");
    const uint8_t two[] = {0, 2};
    ph_assert_error(ph_metric_brier(TIE_PD, two, 2, &v, &err), PH_EINVAL, &err,
                    "field bad[1], value '2': expected an outcome of 1 (bad) or 0 (good)");
    ph_assert_error(ph_metric_auc(ctx, TIE_PD, TIE_BAD, 0, &v, &err), PH_EINVAL, &err,
                    "field n, value '0': expected at least one case, got none");
    ph_assert_error(ph_metric_brier(TIE_PD, TIE_BAD, 0, &v, &err), PH_EINVAL, &err,
                    "expected at least one case");

    const uint8_t goods[] = {0, 0, 0}, bads[] = {1, 1, 1};
    ph_assert_error(ph_metric_auc(ctx, TIE_PD, goods, 3, &v, &err), PH_EINVAL, &err, NULL);
    assert_string_equal(err.message,
                        "field bad: AUC is undefined when every case is good (3 cases, no bad "
                        "case): it needs both bad and good cases");
    ph_assert_error(ph_metric_ks(ctx, TIE_PD, bads, 3, &v, NULL, &err), PH_EINVAL, &err,
                    "KS is undefined when every case is bad (3 cases, no good case)");
    ph_binary_metrics m;
    ph_assert_error(ph_metric_binary(ctx, TIE_PD, goods, 3, &m, &err), PH_EINVAL, &err,
                    "AUC is undefined when every case is good");
    ph_assert_error(ph_metric_auc(NULL, TIE_PD, TIE_BAD, 3, &v, &err), PH_EMISUSE, &err,
                    "ph_metric_auc: NULL argument");
    ph_assert_error(ph_metric_auc(ctx, TIE_PD, TIE_BAD, 3, NULL, &err), PH_EMISUSE, &err,
                    "ph_metric_auc: NULL argument");
}

static void test_calibration(void **state)
{
    (void)state;
    ph_error err;
    /* 0.1 x3 start at position 0 -> group 1 (all three); 0.2 starts at 3 ->
     * group 4; then one row per group: groups 2 and 3 are empty */
    const double pd[] = {0.8, 0.1, 0.7, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.1};
    const uint8_t bad[] = {1, 1, 1, 0, 0, 1, 0, 1, 0, 0};
    ph_calibration_bin b[PH_DECILES];
    ph_assert_ok(ph_metric_calibration(ctx, pd, bad, N(pd), b, &err), &err);
    assert_int_equal(b[0].count, 3);
    assert_int_equal(b[0].bads, 1);
    assert_float_equal(b[0].mean_pd, 0.1, 1e-15);
    assert_float_equal(b[0].bad_rate, 1.0 / 3.0, 1e-15);
    assert_float_equal(b[0].pd_min, 0.1, 0);
    assert_float_equal(b[0].pd_max, 0.1, 0);
    for (int g = 1; g <= 2; g++) {
        assert_int_equal(b[g].count, 0);
        assert_true(isnan(b[g].mean_pd) && isnan(b[g].bad_rate));
    }
    const double means[] = {0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
    const size_t bads[] = {0, 1, 0, 1, 0, 1, 1};
    for (int g = 3; g < PH_DECILES; g++) {
        assert_int_equal(b[g].count, 1);
        assert_float_equal(b[g].mean_pd, means[g - 3], 1e-15);
        assert_int_equal(b[g].bads, bads[g - 3]);
    }

    /* 25 distinct PDs: group k holds positions with floor(10 p / 25) = k,
     * sizes 3,2,3,2,3,2,3,2,3,2 */
    double many[25];
    uint8_t outcome[25];
    for (int i = 0; i < 25; i++) {
        many[i] = (25 - i) / 100.0;
        outcome[i] = (uint8_t)(i % 2);
    }
    ph_assert_ok(ph_metric_calibration(ctx, many, outcome, 25, b, &err), &err);
    const size_t sizes[] = {3, 2, 3, 2, 3, 2, 3, 2, 3, 2};
    for (int g = 0; g < PH_DECILES; g++)
        assert_int_equal(b[g].count, sizes[g]);
    /* group 1: PDs 0.01, 0.02, 0.03 (rows 24, 23, 22: outcomes 0, 1, 0) */
    assert_float_equal(b[0].mean_pd, 0.02, 1e-15);
    assert_int_equal(b[0].bads, 1);
    assert_float_equal(b[9].mean_pd, 0.245, 1e-15);
}

static void test_cutoff_for_approval(void **state)
{
    (void)state;
    ph_error err;
    const double pd[] = {0.5, 0.1, 0.3, 0.2, 0.4, 0.9, 0.8, 0.7, 0.6, 1.0};
    double cut = 0;
    ph_assert_ok(ph_metric_cutoff_for_approval(ctx, pd, 10, 0.7, &cut, &err), &err);
    assert_float_equal(cut, 0.7, 0); /* the 7th smallest */
    ph_assert_ok(ph_metric_cutoff_for_approval(ctx, pd, 10, 0.05, &cut, &err), &err);
    assert_float_equal(cut, 0.1, 0);
    ph_assert_ok(ph_metric_cutoff_for_approval(ctx, pd, 10, 1.0, &cut, &err), &err);
    assert_float_equal(cut, 1.0, 0);
    double twenty[20];
    for (int i = 0; i < 20; i++)
        twenty[i] = (i + 1) / 100.0;
    ph_assert_ok(ph_metric_cutoff_for_approval(ctx, twenty, 20, 0.7, &cut, &err), &err);
    assert_float_equal(cut, 0.14, 0);
    ph_assert_error(ph_metric_cutoff_for_approval(ctx, pd, 10, 0.0, &cut, &err), PH_EINVAL,
                    &err, "field approval_rate, value '0': expected a share of the sample in "
                          "(0, 1]");
    ph_assert_error(ph_metric_cutoff_for_approval(ctx, pd, 10, 1.5, &cut, &err), PH_EINVAL,
                    &err, "value '1.5'");
    ph_assert_error(ph_metric_cutoff_for_approval(ctx, pd, 0, 0.7, &cut, &err), PH_EINVAL,
                    &err, "expected at least one case");
}

static void test_psi_deciles(void **state)
{
    (void)state;
    ph_error err;
    /* baseline 1..10: edges 1..9, one case per bin (share 0.1); current in
     * the first five bins only (0.2 each), the last five empty (floored) */
    const double base[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    const double cur[] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5};
    ph_psi p;
    ph_assert_ok(ph_metric_psi(ctx, base, 10, cur, 10, &p, &err), &err);
    assert_int_equal(p.n_bins, 10);
    double expected = 5 * 0.1 * log(2.0) + 5 * (1e-4 - 0.1) * log(1e-4 / 0.1);
    assert_float_equal(p.psi, expected, 1e-12);
    assert_true(isinf(p.bins[0].lower) && p.bins[0].lower < 0);
    assert_float_equal(p.bins[0].upper, 1, 0);
    assert_float_equal(p.bins[4].lower, 4, 0);
    assert_float_equal(p.bins[4].upper, 5, 0);
    assert_true(isinf(p.bins[9].upper));
    assert_int_equal(p.bins[4].base_count, 1);
    assert_int_equal(p.bins[4].cur_count, 2);
    assert_float_equal(p.bins[9].cur_share, 0.0, 0);
    assert_float_equal(p.bins[0].contribution, 0.1 * log(2.0), 1e-15);

    /* identical samples: 0 */
    ph_assert_ok(ph_metric_psi(ctx, base, 10, base, 10, &p, &err), &err);
    assert_float_equal(p.psi, 0.0, 0);
}

static void test_psi_missing_bin_and_repeats(void **state)
{
    (void)state;
    ph_error err;
    /* 4 values: edges s[ceil(k*4/10)-1] = 1,1,2,2,2,3,3,4,4 -> 1, 2, 3 (4 is
     * the maximum); bins (-inf,1] (1,2] (2,3] (3,inf) and missing */
    const double base[] = {4, 2, NAN, 1, 3};
    const double cur[] = {1, NAN, NAN, 4};
    ph_psi p;
    ph_assert_ok(ph_metric_psi(ctx, base, 5, cur, 4, &p, &err), &err);
    assert_int_equal(p.n_bins, 5);
    assert_true(isnan(p.bins[4].lower) && isnan(p.bins[4].upper));
    const size_t bc[] = {1, 1, 1, 1, 1}, cc[] = {1, 0, 0, 1, 2};
    for (int i = 0; i < 5; i++) {
        assert_int_equal(p.bins[i].base_count, bc[i]);
        assert_int_equal(p.bins[i].cur_count, cc[i]);
    }
    double expected = 2 * (0.05 * log(1.25)) + 2 * ((1e-4 - 0.2) * log(1e-4 / 0.2)) +
                      0.3 * log(2.5);
    assert_float_equal(p.psi, expected, 1e-12);

    /* a binary variable: one edge (0), two bins, no missing bin */
    const double b2[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1}, c2[] = {0, 1, 1, 1};
    ph_assert_ok(ph_metric_psi(ctx, b2, 10, c2, 4, &p, &err), &err);
    assert_int_equal(p.n_bins, 2);
    assert_float_equal(p.psi, (0.25 - 0.5) * log(0.5) + (0.75 - 0.5) * log(1.5), 1e-15);

    const double none[] = {NAN, NAN};
    ph_assert_error(ph_metric_psi(ctx, none, 2, cur, 4, &p, &err), PH_EINVAL, &err,
                    "field baseline: expected at least one non-missing value to take deciles "
                    "of; all 2 are missing");
    ph_assert_error(ph_metric_psi(ctx, base, 5, cur, 0, &p, &err), PH_EINVAL, &err,
                    "field current, value '0': expected at least one case in the sample");
}

static void test_psi_counts_and_csi(void **state)
{
    (void)state;
    ph_error err;
    const size_t b[] = {50, 30, 20}, c[] = {40, 40, 20};
    double psi = 0;
    ph_assert_ok(ph_metric_psi_counts(b, c, 3, &psi, &err), &err);
    assert_float_equal(psi, (0.4 - 0.5) * log(0.8) + (0.4 - 0.3) * log(4.0 / 3.0), 1e-15);
    const size_t zero[] = {0, 0, 0};
    ph_assert_error(ph_metric_psi_counts(zero, c, 3, &psi, &err), PH_EINVAL, &err,
                    "field baseline, value '0'");

    /* values are the bins: 10 (.5 -> .25), 20 (.25 -> .5), 30 (.25 -> 0),
     * 40 (0 -> .25) */
    const double base[] = {10, 20, 10, 30}, cur[] = {20, 40, 10, 20};
    double csi = 0;
    size_t bins = 0;
    ph_assert_ok(ph_metric_csi_discrete(ctx, base, 4, cur, 4, &csi, &bins, &err), &err);
    assert_int_equal(bins, 4);
    double expected = -0.25 * log(0.5) + 0.25 * log(2.0) + (1e-4 - 0.25) * log(1e-4 / 0.25) +
                      (0.25 - 1e-4) * log(0.25 / 1e-4);
    assert_float_equal(csi, expected, 1e-12);
    /* NaN is a value of its own */
    const double bn[] = {NAN, 1}, cn[] = {NAN, NAN};
    ph_assert_ok(ph_metric_csi_discrete(ctx, bn, 2, cn, 2, &csi, &bins, &err), &err);
    assert_int_equal(bins, 2);
    assert_float_equal(csi, 0.5 * log(2.0) + (1e-4 - 0.5) * log(1e-4 / 0.5), 1e-12);
}

static void test_fairness(void **state)
{
    (void)state;
    ph_error err;
    /* group 0: PDs .1 .2 .6 .7, bads the two high: 2 approved at 0.5, AUC 1
     * group 1: PDs .1 .3 .2 .9, bad the .3: 3 approved, AUC 2/3
     * group 2: PDs .8 .9 both bad: none approved, AUC undefined
     * group 3: no case */
    const double pd[] = {0.1, 0.1, 0.2, 0.8, 0.3, 0.6, 0.2, 0.9, 0.7, 0.9};
    const uint8_t bad[] = {0, 0, 0, 1, 1, 1, 0, 1, 1, 0};
    const uint32_t grp[] = {0, 1, 0, 2, 1, 0, 1, 2, 0, 1};
    ph_fairness_group g[4];
    ph_assert_ok(ph_metric_fairness(ctx, pd, bad, grp, 10, 4, 0.5, g, &err), &err);
    assert_int_equal(g[0].count, 4);
    assert_int_equal(g[0].bads, 2);
    assert_int_equal(g[0].approved, 2);
    assert_float_equal(g[0].bad_rate, 0.5, 0);
    assert_float_equal(g[0].approval_rate, 0.5, 0);
    assert_float_equal(g[0].auc, 1.0, 0);
    assert_float_equal(g[0].approval_ratio, 0.5 / 0.75, 1e-15);
    assert_true(g[0].approval_flag);
    assert_float_equal(g[0].auc_ratio, 1.0, 0);
    assert_false(g[0].auc_flag);

    assert_float_equal(g[1].approval_rate, 0.75, 0);
    assert_float_equal(g[1].approval_ratio, 1.0, 0);
    assert_false(g[1].approval_flag);
    assert_float_equal(g[1].auc, 2.0 / 3.0, 1e-15);
    assert_float_equal(g[1].auc_ratio, 2.0 / 3.0, 1e-15);
    assert_true(g[1].auc_flag);

    assert_int_equal(g[2].count, 2);
    assert_float_equal(g[2].approval_rate, 0.0, 0);
    assert_float_equal(g[2].approval_ratio, 0.0, 0);
    assert_true(g[2].approval_flag);
    assert_true(isnan(g[2].auc) && isnan(g[2].auc_ratio));
    assert_false(g[2].auc_flag);

    assert_int_equal(g[3].count, 0);
    assert_true(isnan(g[3].approval_rate) && isnan(g[3].approval_ratio));
    assert_false(g[3].approval_flag || g[3].auc_flag);

    /* exactly four fifths is not flagged: 4/5 approved vs 5/5 */
    const double pd2[] = {0.1, 0.1, 0.1, 0.1, 0.9, 0.1, 0.1, 0.1, 0.1, 0.1};
    const uint8_t bad2[] = {0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const uint32_t grp2[] = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
    ph_fairness_group h[2];
    ph_assert_ok(ph_metric_fairness(ctx, pd2, bad2, grp2, 10, 2, 0.5, h, &err), &err);
    assert_float_equal(h[0].approval_ratio, 0.8, 1e-15);
    assert_false(h[0].approval_flag);

    /* nobody approved anywhere: ratios undefined, nothing flagged */
    ph_assert_ok(ph_metric_fairness(ctx, pd2, bad2, grp2, 10, 2, 0.0, h, &err), &err);
    assert_true(isnan(h[0].approval_ratio) && !h[0].approval_flag && !h[1].approval_flag);

    const uint32_t out_of_range[] = {0, 5};
    ph_assert_error(ph_metric_fairness(ctx, pd, bad, out_of_range, 2, 4, 0.5, g, &err),
                    PH_EINVAL, &err,
                    "field group[1], value '5': expected a segment code below 4");
    ph_assert_error(ph_metric_fairness(ctx, pd, bad, grp, 10, 4, 1.2, g, &err), PH_EINVAL,
                    &err, "field cutoff, value '1.2': expected a PD cut-off in [0, 1]");
    const double nan_pd[] = {0.1, NAN};
    ph_assert_error(ph_metric_fairness(ctx, nan_pd, bad, grp, 2, 4, 0.5, g, &err), PH_EINVAL,
                    &err, "pd[1]");
}

/* ---- scikit-learn reference ---------------------------------------------- */

typedef struct sk_case {
    char name[32];
    size_t n;
    double auc, ks, brier;
    double *pd;
    uint8_t *bad;
} sk_case;

/* Read the next case of metrics_sklearn.txt; 0 at the end. */
static int read_case(FILE *f, sk_case *c)
{
    if (fscanf(f, " case %31s %zu %lf %lf %lf", c->name, &c->n, &c->auc, &c->ks, &c->brier) != 5)
        return 0;
    c->pd = malloc(c->n * sizeof(double));
    c->bad = malloc(c->n);
    assert_non_null(c->pd);
    assert_non_null(c->bad);
    for (size_t i = 0; i < c->n; i++) {
        unsigned b = 0;
        assert_int_equal(fscanf(f, " %lf %u", &c->pd[i], &b), 2);
        c->bad[i] = (uint8_t)b;
    }
    return 1;
}

static void test_against_sklearn(void **state)
{
    (void)state;
    char *path = ph_test_fixture("governance/metrics_sklearn.txt");
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    ph_error err;
    sk_case c;
    int cases = 0;
    while (read_case(f, &c)) {
        ph_binary_metrics m;
        ph_assert_ok(ph_metric_binary(ctx, c.pd, c.bad, c.n, &m, &err), &err);
        if (fabs(m.auc - c.auc) > 1e-12 || fabs(m.ks - c.ks) > 1e-12 ||
            fabs(m.brier - c.brier) > 1e-12)
            fail_msg("case %s: auc %.17g (sklearn %.17g), ks %.17g (%.17g), brier %.17g (%.17g)",
                     c.name, m.auc, c.auc, m.ks, c.ks, m.brier, c.brier);
        free(c.pd);
        free(c.bad);
        cases++;
    }
    fclose(f);
    free(path);
    assert_int_equal(cases, 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auc_with_ties),
        cmocka_unit_test(test_ks),
        cmocka_unit_test(test_brier_and_summary),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_calibration),
        cmocka_unit_test(test_cutoff_for_approval),
        cmocka_unit_test(test_psi_deciles),
        cmocka_unit_test(test_psi_missing_bin_and_repeats),
        cmocka_unit_test(test_psi_counts_and_csi),
        cmocka_unit_test(test_fairness),
        cmocka_unit_test(test_against_sklearn),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
