/*
 * Calibration (include/puhui/calibration.h): Platt recovers the logistic the
 * data were drawn from, isotonic is the pool-adjacent-violators solution
 * and never decreases, the stored form reads back to the same bits, bad
 * inputs are named, and an XGBoost model carrying the attribute scores to
 * the calibration of the uncalibrated model's probabilities.
 */
#include "ph_model_test.h"
#include "ph_failalloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/calibration.h"

/* splitmix64: the same cases on every machine. */
static uint64_t next_u64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static double uniform(uint64_t *s) { return (double)(next_u64(s) >> 11) * 0x1.0p-53; }

static double logistic(double z) { return 1.0 / (1.0 + exp(-z)); }

/* n cases whose raw log-odds f is uniform in [-4, 4] and whose bad flag is
 * drawn with probability logistic(a * f + b). */
static void draw_logistic(size_t n, double a, double b, uint64_t seed, double *p, uint8_t *bad)
{
    for (size_t i = 0; i < n; i++) {
        double f = -4.0 + 8.0 * uniform(&seed);
        p[i] = logistic(f);
        bad[i] = uniform(&seed) < logistic(a * f + b);
    }
}

static ph_calibration *fitted(const ph_ctx *ctx, ph_calibration_method m, const double *p,
                              const uint8_t *bad, size_t n)
{
    ph_calibration *c = NULL;
    ph_error err;
    ph_assert_ok(ph_calibration_fit(ctx, m, p, bad, n, &c, &err), &err);
    assert_non_null(c);
    return c;
}

/* a and b of a Platt calibration, read back from two of its values:
 * logit(apply(p)) = a * logit(p) + b. */
static void platt_parameters(const ph_calibration *c, double *a, double *b)
{
    double z0 = log(ph_calibration_apply(c, 0.5) / (1.0 - ph_calibration_apply(c, 0.5)));
    double p1 = logistic(1.0), q1 = ph_calibration_apply(c, p1);
    *b = z0;
    *a = log(q1 / (1.0 - q1)) - z0;
}

/* ---- Platt ---------------------------------------------------------------- */

static void test_platt_recovers_the_logistic(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    enum { N = 100000 };
    double *p = malloc(N * sizeof(double));
    uint8_t *bad = malloc(N);
    assert_non_null(p);
    assert_non_null(bad);
    static const double truth[][2] = {{0.6, -0.8}, {1.0, 0.0}, {1.7, 0.5}};
    for (size_t k = 0; k < sizeof(truth) / sizeof(truth[0]); k++) {
        draw_logistic(N, truth[k][0], truth[k][1], 42 + k, p, bad);
        ph_calibration *c = fitted(ctx, PH_CALIBRATION_PLATT, p, bad, N);
        assert_int_equal(ph_calibration_method_of(c), PH_CALIBRATION_PLATT);
        double a, b;
        platt_parameters(c, &a, &b);
        /* The standard errors at this n are about 0.01. */
        assert_near(a, truth[k][0], 0.04);
        assert_near(b, truth[k][1], 0.04);
        ph_calibration_free(c);
    }
    free(p);
    free(bad);
    ph_ctx_free(ctx);
}

/* Platt's smoothed targets: one bad case among four, all with one raw
 * probability, calibrate to the mean of the smoothed targets, a bad case
 * counting (1 + 1) / (1 + 2) = 2/3 and a good one 1 / (3 + 2) = 1/5: so
 * (2/3 + 3 * 1/5) / 4, not the raw bad rate 1/4. */
static void test_platt_smooths_its_targets(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    const double p[] = {0.3, 0.3, 0.3, 0.3};
    const uint8_t bad[] = {1, 0, 0, 0};
    ph_calibration *c = fitted(ctx, PH_CALIBRATION_PLATT, p, bad, 4);
    double want = (2.0 / 3.0 + 3.0 * (1.0 / 5.0)) / 4.0;
    assert_near(ph_calibration_apply(c, 0.3), want, 1e-9);
    ph_calibration_free(c);
    ph_ctx_free(ctx);
}

/* ---- isotonic ------------------------------------------------------------- */

/*
 * Worked by hand. Sorted by raw probability, with the two cases at 0.2
 * pooled (1 bad of 2):
 *   raw  0.1  0.2  0.3  0.4  0.5  0.6  0.7
 *   bad  0/1  1/2  1/1  0/1  0/1  1/1  1/1
 * 0.4 (0) violates 0.3 (1): pooled to 1/2, which equals 0.2's 1/2: pooled to
 * 2/4 over [0.2, 0.4]; 0.5 (0) violates it: 2/5 = 0.4 over [0.2, 0.5];
 * 0.6 and 0.7 (1 each) pool to 1. Blocks: 0 at 0.1; 0.4 on [0.2, 0.5];
 * 1 on [0.6, 0.7]. So the fitted values of the eight cases are 0, 0.4 (five
 * times), 1, 1 and the knots are x 0.1 0.2 0.5 0.6 0.7, y 0 0.4 0.4 1 1.
 */
static void test_isotonic_is_the_pav_solution(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    const double p[] = {0.5, 0.2, 0.7, 0.1, 0.3, 0.2, 0.6, 0.4};
    const uint8_t bad[] = {0, 1, 1, 0, 1, 0, 1, 0};
    ph_calibration *c = fitted(ctx, PH_CALIBRATION_ISOTONIC, p, bad, 8);
    assert_int_equal(ph_calibration_method_of(c), PH_CALIBRATION_ISOTONIC);
    char *text = NULL;
    ph_error err;
    ph_assert_ok(ph_calibration_to_json(c, &text, &err), &err);
    assert_string_equal(text, "{\"method\":\"isotonic\","
                              "\"x\":[0.10000000000000001,0.20000000000000001,0.5,"
                              "0.59999999999999998,0.69999999999999996],"
                              "\"y\":[0.0,0.40000000000000002,0.40000000000000002,1.0,1.0]}");
    ph_free(ctx, text);
    /* The fitted values at the cases (0 and 1 clamped). */
    const double want[] = {0.4, 0.4, 1.0 - 1e-6, PH_CALIBRATION_P_MIN, 0.4, 0.4, 1.0 - 1e-6, 0.4};
    for (size_t i = 0; i < 8; i++)
        assert_true(ph_calibration_apply(c, p[i]) == want[i]);
    /* Between blocks linear; outside the knots the end values. */
    assert_near(ph_calibration_apply(c, 0.55), 0.7, 1e-15);
    assert_near(ph_calibration_apply(c, 0.15), 0.2, 1e-15);
    assert_true(ph_calibration_apply(c, 0.0) == PH_CALIBRATION_P_MIN);
    assert_true(ph_calibration_apply(c, 0.05) == PH_CALIBRATION_P_MIN);
    assert_true(ph_calibration_apply(c, 0.95) == 1.0 - 1e-6);
    assert_true(ph_calibration_apply(c, 1.0) == 1.0 - 1e-6);
    assert_true(isnan(ph_calibration_apply(c, NAN)));
    ph_calibration_free(c);
    ph_ctx_free(ctx);
}

static void test_isotonic_never_decreases(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    enum { N = 5000 };
    double p[N];
    uint8_t bad[N];
    draw_logistic(N, 0.8, -1.0, 7, p, bad);
    /* Ties and raw probabilities of exactly 0 and 1. */
    for (size_t i = 0; i < N; i += 10)
        p[i] = floor(p[i] * 20.0) / 20.0;
    p[1] = 0.0;
    p[2] = 1.0;
    ph_calibration *c = fitted(ctx, PH_CALIBRATION_ISOTONIC, p, bad, N);
    double before = 0.0;
    for (int k = 0; k <= 100000; k++) {
        double q = ph_calibration_apply(c, k / 100000.0);
        assert_true(q >= before);
        assert_true(q >= PH_CALIBRATION_P_MIN && q <= 1.0 - 1e-6);
        before = q;
    }
    /* Pooled cases share one value, and the mean of the calibrated
     * probabilities is the bad rate (PAV keeps each block's sum), up to
     * the clamping at the ends. */
    double sum = 0.0, n_bad = 0.0;
    for (size_t i = 0; i < N; i++) {
        sum += ph_calibration_apply(c, p[i]);
        n_bad += bad[i];
    }
    assert_near(sum / N, n_bad / N, 1e-5);
    ph_calibration_free(c);
    ph_ctx_free(ctx);
}

/* Just below a knot, y[lo] + (y[hi] - y[lo]) * frac can round one ulp above
 * y[hi] (these knots and this p do, found by search): the value there must
 * still not exceed the knot's. */
static void test_isotonic_never_decreases_across_a_knot(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    static const char text[] = "{\"method\":\"isotonic\","
                               "\"x\":[0.057342216709496435,0.38245537568929389],"
                               "\"y\":[0.082610102408849681,0.23548428911505467]}";
    ph_calibration *c = NULL;
    ph_error err;
    ph_assert_ok(ph_calibration_from_json(ctx, text, strlen(text), &c, &err), &err);
    double below = ph_calibration_apply(c, 0.38245537568929383);
    double at = ph_calibration_apply(c, 0.38245537568929389);
    assert_true(at == 0.23548428911505467);
    if (!(below <= at))
        fail_msg("apply(%.17g) = %.17g is above apply(%.17g) = %.17g", 0.38245537568929383,
                 below, 0.38245537568929389, at);
    ph_calibration_free(c);
    ph_ctx_free(ctx);
}

/* ---- the stored form -------------------------------------------------------- */

static void check_round_trip(const ph_ctx *ctx, const ph_calibration *c)
{
    char *text = NULL, *again = NULL;
    ph_calibration *back = NULL;
    ph_error err;
    ph_assert_ok(ph_calibration_to_json(c, &text, &err), &err);
    ph_assert_ok(ph_calibration_from_json(ctx, text, strlen(text), &back, &err), &err);
    ph_assert_ok(ph_calibration_to_json(back, &again, &err), &err);
    assert_string_equal(text, again);
    assert_int_equal(ph_calibration_method_of(back), ph_calibration_method_of(c));
    uint64_t s = 99;
    for (int k = 0; k < 10000; k++) {
        double p = uniform(&s), x = ph_calibration_apply(c, p), y = ph_calibration_apply(back, p);
        assert_memory_equal(&x, &y, sizeof(double));
    }
    ph_free(ctx, text);
    ph_free(ctx, again);
    ph_calibration_free(back);
}

static void test_json_round_trip_is_bit_exact(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    enum { N = 3000 };
    double p[N];
    uint8_t bad[N];
    draw_logistic(N, 1.3, 0.2, 3, p, bad);
    ph_calibration *platt = fitted(ctx, PH_CALIBRATION_PLATT, p, bad, N);
    ph_calibration *iso = fitted(ctx, PH_CALIBRATION_ISOTONIC, p, bad, N);
    check_round_trip(ctx, platt);
    check_round_trip(ctx, iso);
    ph_calibration_free(platt);
    ph_calibration_free(iso);

    /* Numbers that %.17g writes as integers keep their sign and stay reals. */
    static const char text[] = "{\"method\":\"platt\",\"a\":-0.0,\"b\":3}";
    ph_calibration *c = NULL;
    char *out = NULL;
    ph_error err;
    ph_assert_ok(ph_calibration_from_json(ctx, text, strlen(text), &c, &err), &err);
    ph_assert_ok(ph_calibration_to_json(c, &out, &err), &err);
    assert_string_equal(out, "{\"method\":\"platt\",\"a\":-0.0,\"b\":3.0}");
    check_round_trip(ctx, c);
    ph_free(ctx, out);
    ph_calibration_free(c);
    ph_ctx_free(ctx);
}

static void json_refused(const char *text, const char *field, const char *needle)
{
    ph_ctx *ctx = fixture_ctx();
    ph_calibration *c = NULL;
    ph_error err;
    ph_assert_error(ph_calibration_from_json(ctx, text, strlen(text), &c, &err), PH_EINVAL, &err,
                    needle);
    assert_null(c);
    assert_string_equal(err.field, field);
    assert_string_equal(err.source, "calibration JSON");
    ph_ctx_free(ctx);
}

static void test_json_errors(void **state)
{
    (void)state;
    json_refused("{\"method\":\"platt\",\"a\":1,", "", "invalid JSON");
    json_refused("[1,2]", "", "expected an object");
    json_refused("{\"a\":1,\"b\":2}", "method", "expected a string, \"platt\" or");
    json_refused("{\"method\":1}", "method", "expected a string, \"platt\" or");
    json_refused("{\"method\":\"beta\"}", "method", "\"platt\" or \"isotonic\"");
    json_refused("{\"method\":\"platt\",\"a\":1}", "b", "a finite number");
    json_refused("{\"method\":\"platt\",\"a\":\"1\",\"b\":0}", "a", "a finite number");
    json_refused("{\"method\":\"platt\",\"a\":1,\"b\":0,\"c\":2}", "c", "no member 'c'");
    json_refused("{\"method\":\"isotonic\",\"x\":[],\"y\":[]}", "x", "non-empty array");
    json_refused("{\"method\":\"isotonic\",\"x\":[0.1,0.2],\"y\":[0.5]}", "y", "one per entry");
    json_refused("{\"method\":\"isotonic\",\"x\":[0.1,0.3,0.3],\"y\":[0,0,1]}", "x[2]",
                 "strictly increase");
    json_refused("{\"method\":\"isotonic\",\"x\":[0.1,0.3],\"y\":[0.5,0.4]}", "y[1]",
                 "never decreases");
    json_refused("{\"method\":\"isotonic\",\"x\":[0.1,1.5],\"y\":[0.5,0.6]}", "x[1]",
                 "a number in [0, 1]");
    json_refused("{\"method\":\"isotonic\",\"x\":[0.1],\"y\":[null]}", "y[0]", "a number in");

    /* A JSON syntax error is located by line and column. */
    ph_ctx *ctx = fixture_ctx();
    ph_calibration *c = NULL;
    ph_error err;
    static const char broken[] = "{\"method\":\"platt\",\n\"a\":1,\n\"b\":}";
    ph_assert_error(ph_calibration_from_json(ctx, broken, strlen(broken), &c, &err), PH_EINVAL,
                    &err, "invalid JSON");
    assert_int_equal(err.line, 3);
    assert_true(err.column > 0);
    ph_ctx_free(ctx);
}

/* ---- fit errors ------------------------------------------------------------- */

static void fit_refused(const double *p, const uint8_t *bad, size_t n, ph_status code,
                        const char *field, const char *needle)
{
    ph_ctx *ctx = fixture_ctx();
    for (int m = PH_CALIBRATION_PLATT; m <= PH_CALIBRATION_ISOTONIC; m++) {
        ph_calibration *c = NULL;
        ph_error err;
        ph_assert_error(ph_calibration_fit(ctx, (ph_calibration_method)m, p, bad, n, &c, &err),
                        code, &err, needle);
        assert_null(c);
        assert_string_equal(err.field, field);
    }
    ph_ctx_free(ctx);
}

static void test_fit_errors(void **state)
{
    (void)state;
    const double p[] = {0.1, 0.2, 0.3, 0.4};
    const uint8_t mixed[] = {0, 1, 0, 1}, good[] = {0, 0, 0, 0}, bad[] = {1, 1, 1, 1};
    fit_refused(p, mixed, 0, PH_EINVAL, "", "validation slice is empty");
    fit_refused(p, good, 4, PH_EINVAL, "", "all 4 cases are good");
    fit_refused(p, bad, 4, PH_EINVAL, "", "all 4 cases are bad");
    const double with_nan[] = {0.1, 0.2, 0.3, NAN};
    fit_refused(with_nan, mixed, 4, PH_EINVAL, "p_raw[3]", "row 3: expected a raw probability");
    const double above[] = {0.1, 1.5, 0.3, 0.4};
    fit_refused(above, mixed, 4, PH_EINVAL, "p_raw[1]", "value '1.5'");
    const uint8_t two[] = {0, 1, 2, 1};
    fit_refused(p, two, 4, PH_EINVAL, "bad[2]", "expected 1 (bad) or 0 (good)");
    fit_refused(NULL, mixed, 4, PH_EMISUSE, "", "NULL argument");

    ph_ctx *ctx = fixture_ctx();
    ph_calibration *c = NULL;
    ph_error err;
    ph_assert_error(ph_calibration_fit(ctx, (ph_calibration_method)7, p, mixed, 4, &c, &err),
                    PH_EMISUSE, &err, "unknown method");
    assert_null(c);
    /* a model that ranks the slice backwards: Platt would need a slope <= 0 */
    const double backwards[] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6};
    const uint8_t high_good[] = {1, 1, 1, 0, 0, 0};
    ph_assert_error(ph_calibration_fit(ctx, PH_CALIBRATION_PLATT, backwards, high_good, 6, &c,
                                       &err),
                    PH_EINVAL, &err, "expected above 0 (higher raw probabilities riskier)");
    assert_null(c);
    assert_true(isnan(ph_calibration_apply(NULL, 0.5)));
    assert_string_equal(ph_calibration_method_name(PH_CALIBRATION_PLATT), "platt");
    assert_string_equal(ph_calibration_method_name(PH_CALIBRATION_ISOTONIC), "isotonic");
    ph_ctx_free(ctx);
}

/* ---- stored with an XGBoost model ------------------------------------------ */

/* The attribute of xgb_small_calibrated.json (make_calibrated.py). */
static const char fixture_calibration[] =
    "{\"method\":\"isotonic\",\"x\":[0.050000000000000003,0.20000000000000001,0.5,"
    "0.80000000000000004,0.94999999999999996],\"y\":[0.01,0.10000000000000001,"
    "0.29999999999999999,0.59999999999999998,0.90000000000000002]}";

static void test_xgboost_model_scores_calibrated(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_error err;
    ph_model *raw = fixture_model(ctx, "models/xgb_small.json");
    ph_model *cal = fixture_model(ctx, "models/xgb_small_calibrated.json");
    assert_null(ph_model_calibration(raw));
    const ph_calibration *c = ph_model_calibration(cal);
    assert_non_null(c);
    char *text = NULL;
    ph_assert_ok(ph_calibration_to_json(c, &text, &err), &err);
    assert_string_equal(text, fixture_calibration);
    ph_free(ctx, text);
    ph_calibration *want = NULL;
    ph_assert_ok(ph_calibration_from_json(ctx, fixture_calibration, strlen(fixture_calibration),
                                          &want, &err), &err);

    ph_dataset *ds = fixture_csv(ctx, "models/input.csv");
    size_t rows = ph_dataset_rows(ds), nf = ph_model_feature_count(raw);
    ph_model_input *in_raw = NULL, *in_cal = NULL;
    ph_assert_ok(ph_model_bind(raw, ds, &in_raw, &err), &err);
    ph_assert_ok(ph_model_bind(cal, ds, &in_cal, &err), &err);
    double *pd_raw = malloc(rows * sizeof(double)), *pd_cal = malloc(rows * sizeof(double));
    double *pd_threads = malloc(rows * sizeof(double)), *pd_matrix = malloc(rows * sizeof(double));
    double *m_raw = malloc(rows * sizeof(double)), *m_cal = malloc(rows * sizeof(double));
    assert_true(pd_raw && pd_cal && pd_threads && pd_matrix && m_raw && m_cal);
    ph_assert_ok(ph_model_predict(in_raw, 0, rows, pd_raw, NULL, &err), &err);
    ph_assert_ok(ph_model_predict(in_cal, 0, rows, pd_cal, NULL, &err), &err);
    ph_assert_ok(ph_model_predict_threads(in_cal, 0, rows, 2, pd_threads, NULL, &err), &err);
    float *x = fixture_matrix(cal, ds);
    ph_assert_ok(ph_model_predict_matrix(cal, x, rows, pd_matrix, &err), &err);
    ph_assert_ok(ph_model_margin_matrix(raw, x, rows, m_raw, &err), &err);
    ph_assert_ok(ph_model_margin_matrix(cal, x, rows, m_cal, &err), &err);
    size_t changed = 0;
    double *row = malloc(nf * sizeof(double));
    double *shap_raw = malloc((nf + 1) * sizeof(double)), *shap_cal = malloc((nf + 1) * sizeof(double));
    assert_true(row && shap_raw && shap_cal);
    for (size_t r = 0; r < rows; r++) {
        double expected = ph_calibration_apply(want, pd_raw[r]);
        assert_true(pd_cal[r] == expected);
        assert_true(pd_threads[r] == expected);
        assert_true(pd_matrix[r] == expected);
        changed += pd_cal[r] != pd_raw[r];
        /* The margin, the contributions and the reasons stay uncalibrated. */
        assert_true(m_cal[r] == m_raw[r]);
        ph_assert_ok(ph_model_contributions(in_raw, r, shap_raw, &err), &err);
        ph_assert_ok(ph_model_contributions(in_cal, r, shap_cal, &err), &err);
        assert_memory_equal(shap_raw, shap_cal, (nf + 1) * sizeof(double));
        ph_reason why_raw[3], why_cal[3];
        size_t n_raw = 0, n_cal = 0;
        ph_assert_ok(ph_model_reasons(in_raw, r, 3, why_raw, &n_raw, &err), &err);
        ph_assert_ok(ph_model_reasons(in_cal, r, 3, why_cal, &n_cal, &err), &err);
        assert_int_equal(n_raw, n_cal);
        for (size_t k = 0; k < n_raw; k++) {
            assert_true(why_raw[k].impact == why_cal[k].impact);
            assert_string_equal(why_raw[k].text, why_cal[k].text);
        }
        /* One row without a dataset: the same calibrated value. */
        for (size_t j = 0; j < nf; j++)
            row[j] = x[r * nf + j];
        double one;
        ph_assert_ok(ph_model_predict_row(cal, row, &one, NULL, &err), &err);
        assert_true(one == expected);
    }
    assert_true(changed > rows / 2);
    free(row);
    free(shap_raw);
    free(shap_cal);
    free(x);
    free(pd_raw);
    free(pd_cal);
    free(pd_threads);
    free(pd_matrix);
    free(m_raw);
    free(m_cal);
    ph_model_input_free(in_raw);
    ph_model_input_free(in_cal);
    ph_dataset_free(ds);
    ph_calibration_free(want);
    ph_model_free(raw);
    ph_model_free(cal);
    ph_ctx_free(ctx);
}

static void test_xgboost_attribute_errors(void **state)
{
    (void)state;
    char *text = fixture_text("models/xgb_small_calibrated.json", NULL);
    /* Knots out of order: the member inside the attribute is named. */
    fixture_refused(text, "cal.json", "\\\"x\\\":[0.050000000000000003,0.2",
                    "\\\"x\\\":[0.300000000000000003,0.2", PH_EINVAL,
                    "cal.json: field learner.attributes.puhui_calibration, value "
                    "'0.20000000000000001': malformed calibration in its member x[1]: expected "
                    "a number above the one before");
    /* Not JSON inside: located by line and column of the attribute's text. */
    fixture_refused(text, "cal.json", "{\\\"method\\\":", "{\\\"method\\\"", PH_EINVAL,
                    "malformed calibration at line 1, column");
    fixture_refused(text, "cal.json", "\\\"isotonic\\\"", "\\\"beta\\\"", PH_EINVAL,
                    "learner.attributes.puhui_calibration, value '\"beta\"'");
    /* Not a string. */
    fixture_refused(text, "cal.json", "\"puhui_calibration\":\"", "\"puhui_calibration\":7,\"z\":\"",
                    PH_EINVAL, "field learner.attributes.puhui_calibration, value '7'");
    fixture_refused(text, "cal.json", "\"attributes\":{", "\"attributes\":[],\"q\":{", PH_EINVAL,
                    "field learner.attributes: expected an object");
    free(text);
}

/* A one-split XGBoost model (b < 0.5: -0.25, else 0.75; base score 0.5)
 * carrying a Platt calibration with a = 2, b = -1. */
static const char tiny_platt[] =
    "{\"learner\":{\"attributes\":{\"puhui_calibration\":"
    "\"{\\\"method\\\":\\\"platt\\\",\\\"a\\\":2,\\\"b\\\":-1}\"},"
    "\"feature_names\":[\"a\",\"b\"],\"feature_types\":[],"
    "\"gradient_booster\":{\"model\":{\"gbtree_model_param\":{\"num_parallel_tree\":\"1\","
    "\"num_trees\":\"1\",\"size_leaf_vector\":\"0\"},\"tree_info\":[0],\"trees\":[{"
    "\"default_left\":[1,0,0],\"id\":0,\"left_children\":[1,-1,-1],"
    "\"right_children\":[2,-1,-1],\"split_conditions\":[0.5,-0.25,0.75],"
    "\"split_indices\":[1,0,0],\"split_type\":[0,0,0],\"sum_hessian\":[10.0,6.0,4.0],"
    "\"tree_param\":{\"num_feature\":\"2\",\"num_nodes\":\"3\"}}]},\"name\":\"gbtree\"},"
    "\"learner_model_param\":{\"base_score\":\"5E-1\",\"num_class\":\"0\","
    "\"num_feature\":\"2\"},\"objective\":{\"name\":\"binary:logistic\"}},"
    "\"version\":[1,7,4]}";

static void test_platt_attribute(void **state)
{
    (void)state;
    ph_ctx *ctx = fixture_ctx();
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(ph_model_load_memory(ctx, tiny_platt, strlen(tiny_platt), "tiny.json", &m, &err),
                 &err);
    assert_int_equal(ph_calibration_method_of(ph_model_calibration(m)), PH_CALIBRATION_PLATT);
    const double left[] = {0.0, 0.2}, right[] = {0.0, 0.9};
    double pd;
    /* margin -0.25 (base margin 0): logistic(2 * -0.25 - 1) */
    ph_assert_ok(ph_model_predict_row(m, left, &pd, NULL, &err), &err);
    assert_near(pd, 1.0 / (1.0 + exp(1.5)), 1e-15);
    ph_assert_ok(ph_model_predict_row(m, right, &pd, NULL, &err), &err);
    assert_near(pd, 1.0 / (1.0 + exp(-0.5)), 1e-15);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* ---- out of memory ---------------------------------------------------------- */

static const double oom_p[] = {0.1, 0.4, 0.2, 0.9, 0.4, 0.7};
static const uint8_t oom_bad[] = {0, 1, 0, 1, 0, 1};

static ph_status oom_fit(void *user, void *state, ph_error *err)
{
    const ph_ctx *ctx = state;
    ph_calibration *c = NULL;
    ph_status st = ph_calibration_fit(ctx, (ph_calibration_method)(intptr_t)user, oom_p,
                                      oom_bad, 6, &c, err);
    if (st == PH_OK) {
        char *text = NULL;
        st = ph_calibration_to_json(c, &text, err);
        ph_free(ctx, text);
    }
    ph_calibration_free(c);
    return st;
}

static ph_status oom_read(void *user, void *state, ph_error *err)
{
    const char *text = user;
    ph_calibration *c = NULL;
    ph_status st = ph_calibration_from_json(state, text, strlen(text), &c, err);
    ph_calibration_free(c);
    return st;
}

static ph_status oom_model(void *user, void *state, ph_error *err)
{
    const char *text = user;
    ph_model *m = NULL;
    ph_status st = ph_model_load_memory(state, text, strlen(text), "cal.json", &m, err);
    ph_model_free(m);
    return st;
}

static void keep_ctx(void *user, const ph_ctx *ctx, void **state)
{
    (void)user;
    *state = (void *)ctx;
}

static void test_out_of_memory(void **state)
{
    (void)state;
    ph_failalloc_case platt = {"fit platt", (void *)(intptr_t)PH_CALIBRATION_PLATT, keep_ctx,
                               oom_fit, NULL, 0};
    ph_failalloc_case iso = {"fit isotonic", (void *)(intptr_t)PH_CALIBRATION_ISOTONIC, keep_ctx,
                             oom_fit, NULL, 0};
    ph_failalloc_case read = {"from_json", (void *)fixture_calibration, keep_ctx, oom_read,
                              NULL, 0};
    assert_true(ph_failalloc_sweep(&platt, NULL, 100) >= 2);
    assert_true(ph_failalloc_sweep(&iso, NULL, 100) >= 4);
    assert_true(ph_failalloc_sweep(&read, NULL, 100) >= 1);
    ph_failalloc_case model = {"load a calibrated model", (void *)tiny_platt, keep_ctx,
                               oom_model, NULL, 0};
    assert_true(ph_failalloc_sweep(&model, NULL, 1000) > 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_platt_recovers_the_logistic),
        cmocka_unit_test(test_platt_smooths_its_targets),
        cmocka_unit_test(test_isotonic_is_the_pav_solution),
        cmocka_unit_test(test_isotonic_never_decreases),
        cmocka_unit_test(test_isotonic_never_decreases_across_a_knot),
        cmocka_unit_test(test_json_round_trip_is_bit_exact),
        cmocka_unit_test(test_json_errors),
        cmocka_unit_test(test_fit_errors),
        cmocka_unit_test(test_xgboost_model_scores_calibrated),
        cmocka_unit_test(test_xgboost_attribute_errors),
        cmocka_unit_test(test_platt_attribute),
        cmocka_unit_test(test_out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
