/*
 * Scorecard training on data small enough to check by hand: bins, WOE, IV,
 * the fitted coefficients (closed forms where the logistic model fits the
 * cells exactly), points and the PD they give back; monotone merging, the
 * minimum bin share, missing / special / unseen bins, categorical grouping,
 * exclusion, direction overrides, selection and every error. German credit
 * against scikit-learn is in test_scorecard_germancredit.c.
 */
#include "ph_scorecard_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A block of identical rows: numeric values v[], a categorical text (NULL =
 * missing) and how many of the rows are bad. */
typedef struct group {
    double v[3];
    const char *cat;
    unsigned rows, bads;
} group;

typedef struct table {
    const char *numeric[3]; /* names of the numeric columns used (NULL ends) */
    const char *categorical; /* NULL: none */
    const group *groups;
    size_t n_groups;
} table;

/* The dataset of a table: its columns, then "bad" (0/1). */
static ph_dataset *make(const ph_ctx *ctx, const table *t)
{
    size_t rows = 0;
    for (size_t g = 0; g < t->n_groups; g++)
        rows += t->groups[g].rows;
    double *v = malloc(rows * sizeof(double));
    const char **text = malloc(rows * sizeof(char *));
    ph_dataset *ds;
    ph_error err;
    ph_assert_ok(ph_dataset_new(ctx, rows, &ds, &err), &err);
    for (size_t c = 0; c < 3 && t->numeric[c]; c++) {
        size_t r = 0;
        for (size_t g = 0; g < t->n_groups; g++) {
            for (unsigned i = 0; i < t->groups[g].rows; i++)
                v[r++] = t->groups[g].v[c];
        }
        ph_assert_ok(ph_dataset_add_numeric(ds, t->numeric[c], v, &err), &err);
    }
    if (t->categorical) {
        size_t r = 0;
        for (size_t g = 0; g < t->n_groups; g++) {
            for (unsigned i = 0; i < t->groups[g].rows; i++)
                text[r++] = t->groups[g].cat;
        }
        ph_assert_ok(ph_dataset_add_categorical(ds, t->categorical, text, &err), &err);
    }
    size_t r = 0;
    for (size_t g = 0; g < t->n_groups; g++) {
        for (unsigned i = 0; i < t->groups[g].rows; i++)
            v[r++] = i < t->groups[g].bads ? 1.0 : 0.0;
    }
    ph_assert_ok(ph_dataset_add_numeric(ds, "bad", v, &err), &err);
    free(v);
    free(text);
    return ds;
}

static ph_sc_train_options options(void)
{
    ph_sc_train_options o;
    ph_sc_train_options_init(&o);
    o.target = "bad";
    return o;
}

/* Train, keeping the log in *log (caller frees) when log is not NULL. */
static ph_scorecard *train(const ph_ctx *ctx, const ph_dataset *ds,
                           const ph_sc_train_options *o, char **log)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = log ? open_memstream(&text, &len) : NULL;
    ph_scorecard *sc = NULL;
    ph_error err;
    ph_assert_ok(ph_scorecard_train(ctx, ds, o, &sc, f, &err), &err);
    if (f)
        fclose(f);
    if (log) {
        /* set even when open_memstream failed, so the caller never reads garbage */
        assert_non_null(text);
        *log = text;
    }
    return sc;
}

static const ph_sc_characteristic *find(const ph_scorecard *sc, const char *field)
{
    for (size_t i = 0; i < sc->n_characteristics; i++) {
        if (strcmp(sc->characteristics[i].field, field) == 0)
            return &sc->characteristics[i];
    }
    return NULL;
}

static double woe(double goods, double bads, double g_total, double b_total)
{
    return log(((goods + 0.5) / g_total) / ((bads + 0.5) / b_total));
}

static void assert_near(double actual, double expected, double tolerance)
{
    if (fabs(actual - expected) > tolerance)
        fail_msg("expected %.12g, got %.12g (tolerance %g)", expected, actual, tolerance);
}

static void assert_range(const ph_sc_attribute *a, double low, double high, uint64_t count,
                         uint64_t bads)
{
    assert_int_equal(a->match, PH_SC_RANGE);
    assert_true(a->low == low);
    assert_true(a->high == high);
    assert_int_equal(a->high_inclusive, 0);
    assert_int_equal(a->count, count);
    assert_int_equal(a->bads, bads);
}

/* ---- an additive 2 x 2 design: every number by hand ----------------------
 * Cells (x, z) of 100 rows with odds good:bad 9, 3, 3, 1: ln odds = ln 9 -
 * ln 3 * x - ln 3 * z exactly, so the unpenalised fit reproduces the cells. */
static const group additive[] = {
    {{0, 0, 0}, NULL, 100, 10},
    {{1, 0, 0}, NULL, 100, 25},
    {{0, 1, 0}, NULL, 100, 25},
    {{1, 1, 0}, NULL, 100, 50},
};
static const table additive_table = {{"x", "z", NULL}, NULL, additive, 4};

static void test_additive_by_hand(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_dataset *ds = make(ctx, &additive_table);
    ph_sc_train_options o = options();
    o.l2 = 0;
    o.tolerance = 1e-12;
    ph_scorecard *sc = train(ctx, ds, &o, NULL);

    /* marginals: value 0 -> 165 good 35 bad, value 1 -> 125 good 75 bad */
    const double G = 290, B = 110;
    double w0 = woe(165, 35, G, B), w1 = woe(125, 75, G, B);
    double iv = (165 / G - 35 / B) * w0 + (125 / G - 75 / B) * w1;
    double coef = -log(3.0) / (w1 - w0);
    double intercept = log(9.0) - 2 * coef * w0;
    double factor = 20 / log(2.0), offset = 600 - factor * log(50.0);

    assert_int_equal(sc->n_characteristics, 2);
    assert_int_equal(sc->train_rows, 400);
    assert_int_equal(sc->train_bads, 110);
    assert_string_equal(sc->target, "bad");
    assert_string_equal(sc->name, "scorecard");
    assert_true(sc->has_scale && sc->base_points == 600 && sc->base_odds == 50 && sc->pdo == 20);
    assert_near(sc->intercept, intercept, 1e-9);
    assert_near(sc->initial_score, offset + factor * intercept, 1e-7);
    for (size_t i = 0; i < 2; i++) {
        const ph_sc_characteristic *c = &sc->characteristics[i];
        assert_string_equal(c->field, i == 0 ? "x" : "z");
        assert_string_equal(c->name, c->field);
        assert_string_equal(c->reason_code, c->field);
        assert_int_equal(c->categorical, 0);
        assert_near(c->iv, iv, 1e-12);
        assert_near(c->coefficient, coef, 1e-9);
        assert_int_equal(c->n_attributes, 3);
        assert_range(&c->attributes[0], -INFINITY, 1, 200, 35);
        assert_range(&c->attributes[1], 1, INFINITY, 200, 75);
        assert_int_equal(c->attributes[1].low_inclusive, 1);
        assert_near(c->attributes[0].woe, w0, 1e-12);
        assert_near(c->attributes[1].woe, w1, 1e-12);
        assert_near(c->attributes[0].partial_score, factor * coef * w0, 1e-7);
        assert_near(c->attributes[1].partial_score, factor * coef * w1, 1e-7);
        /* no missing in training: missing scores as the riskiest bin */
        assert_int_equal(c->attributes[2].match, PH_SC_MISSING);
        assert_int_equal(c->attributes[2].count, 0);
        assert_true(c->attributes[2].partial_score == c->attributes[1].partial_score);
        assert_true(c->baseline_score == c->attributes[0].partial_score);
    }
    /* the points give back each cell's bad rate */
    const double rate[2][2] = {{0.10, 0.25}, {0.25, 0.50}};
    for (int x = 0; x < 2; x++) {
        for (int z = 0; z < 2; z++) {
            double score = sc->initial_score + sc->characteristics[0].attributes[x].partial_score +
                           sc->characteristics[1].attributes[z].partial_score;
            assert_near(ph_scorecard_pd(sc, score), rate[x][z], 1e-9);
        }
    }
    assert_near(sc->initial_score + 2 * sc->characteristics[0].attributes[0].partial_score,
                offset + factor * log(9.0), 1e-7);
    ph_scorecard_free(sc);

    /* round_points: whole points, the same bins */
    o.round_points = 1;
    sc = train(ctx, ds, &o, NULL);
    assert_true(sc->initial_score == round(offset + factor * intercept));
    for (size_t a = 0; a < 3; a++) {
        double p = sc->characteristics[0].attributes[a].partial_score;
        assert_true(p == round(p));
    }
    assert_true(sc->characteristics[0].attributes[0].partial_score == round(factor * coef * w0));
    ph_scorecard_free(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

static void test_summary_and_log(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_dataset *ds = make(ctx, &additive_table);
    ph_sc_train_options o = options();
    char *log;
    ph_scorecard *sc = train(ctx, ds, &o, &log);
    assert_non_null(strstr(log, "training: 400 rows, 110 bad (27.50%), target bad\n"));
    assert_non_null(strstr(log, "smallest bin 20 rows (0.05 of rows)"));
    assert_non_null(strstr(log, "converged in "));
    assert_non_null(strstr(log, "training AUC "));
    assert_non_null(strstr(log, "scorecard scorecard: 2 characteristics"));
    free(log);

    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    ph_error err;
    ph_assert_ok(ph_scorecard_write_summary(sc, f, &err), &err);
    fclose(f);
    char line[256];
    snprintf(line, sizeof(line), "        200    0.1750 %9.4f %9.2f  (-inf, 1)\n",
             sc->characteristics[0].attributes[0].woe,
             sc->characteristics[0].attributes[0].partial_score);
    assert_non_null(strstr(text, line));
    assert_non_null(strstr(text, "0.3750"));
    assert_non_null(strstr(text, "[1, inf)\n"));
    assert_non_null(strstr(text, "        0         -"));
    assert_non_null(strstr(text, "  missing\n"));
    assert_non_null(strstr(text, "x (numeric, field x)  IV "));
    assert_non_null(strstr(text, "scale: 600 points at odds 50:1 (good:bad), 20 points"));
    free(text);
    ph_assert_error(ph_scorecard_write_summary(NULL, stdout, &err), PH_EMISUSE, &err,
                    "ph_scorecard_write_summary needs a scorecard and a stream");
    ph_scorecard_free(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

/* ---- monotone merging and the direction --------------------------------- */

/* v = 1..5, 100 rows each, bad rates .1 .3 .2 .4 .5: not monotone at 2-3. */
static const group zigzag[] = {
    {{1, 0, 0}, NULL, 100, 10}, {{2, 0, 0}, NULL, 100, 30}, {{3, 0, 0}, NULL, 100, 20},
    {{4, 0, 0}, NULL, 100, 40}, {{5, 0, 0}, NULL, 100, 50},
};

static void test_monotone_merging(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    table t = {{"v", NULL}, NULL, zigzag, 5};
    ph_dataset *ds = make(ctx, &t);
    ph_sc_train_options o = options();
    char *log;
    ph_scorecard *sc = train(ctx, ds, &o, &log);
    const ph_sc_characteristic *c = find(sc, "v");
    assert_non_null(c);
    assert_int_equal(c->n_attributes, 5);
    assert_range(&c->attributes[0], -INFINITY, 2, 100, 10);
    assert_range(&c->attributes[1], 2, 4, 200, 50); /* .3 and .2 pooled */
    assert_range(&c->attributes[2], 4, 5, 100, 40);
    assert_range(&c->attributes[3], 5, INFINITY, 100, 50);
    for (size_t a = 1; a < 4; a++)
        assert_true(c->attributes[a].partial_score < c->attributes[a - 1].partial_score);
    assert_non_null(strstr(log, "increasing"));
    free(log);
    ph_scorecard_free(sc);

    /* forced decreasing: everything pools into one bin, which says nothing */
    const char *const dirs[] = {"v=decreasing", NULL};
    o.directions = dirs;
    ph_scorecard *none = NULL;
    ph_error err;
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &none, NULL, &err), PH_EINVAL, &err,
                    "field min_iv, value '0.02': no variable reaches the IV floor 0.02: the "
                    "best is v with IV 0.0000");
    assert_null(none);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

/* A decreasing variable is detected, and an override is logged as given. */
static void test_direction_detected_and_given(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    static const group falling[] = {
        {{1, 1, 0}, NULL, 100, 50}, {{2, 2, 0}, NULL, 100, 30}, {{3, 3, 0}, NULL, 100, 10},
    };
    table t = {{"u", "w", NULL}, NULL, falling, 3};
    ph_dataset *ds = make(ctx, &t);
    ph_sc_train_options o = options();
    o.max_correlation = 1.0; /* u and w are the same column: keep both for this test */
    o.max_vif = 1e300;
    const char *const dirs[] = {"w=increasing", NULL};
    o.directions = dirs;
    char *log;
    ph_scorecard *sc = train(ctx, ds, &o, &log);
    const ph_sc_characteristic *u = find(sc, "u");
    assert_non_null(u);
    assert_int_equal(u->n_attributes, 4);
    assert_range(&u->attributes[0], -INFINITY, 2, 100, 50);
    assert_range(&u->attributes[2], 3, INFINITY, 100, 10);
    assert_null(find(sc, "w")); /* one bin when forced increasing */
    assert_non_null(strstr(log, "decreasing  "));
    assert_non_null(strstr(log, "increasing (given)"));
    assert_non_null(strstr(log, "dropped: a single bin after binning"));
    free(log);
    ph_scorecard_free(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

/* ---- the minimum bin share ---------------------------------------------- */

static void test_min_bin_share(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    /* a small tail: merged into its only neighbour */
    static const group tail[] = {
        {{1, 0, 0}, NULL, 100, 10}, {{2, 0, 0}, NULL, 100, 20},
        {{3, 0, 0}, NULL, 100, 30}, {{4, 0, 0}, NULL, 10, 9},
    };
    table t = {{"v", NULL}, NULL, tail, 4};
    ph_dataset *ds = make(ctx, &t);
    ph_sc_train_options o = options();
    o.fine_bins = 100; /* fine enough for the tail to be a class of its own */
    ph_scorecard *sc = train(ctx, ds, &o, NULL);
    const ph_sc_characteristic *c = find(sc, "v");
    assert_int_equal(c->n_attributes, 4); /* 3 ranges + missing: 10 < ceil(.05 * 310) */
    assert_range(&c->attributes[2], 3, INFINITY, 110, 39);
    ph_scorecard_free(sc);
    o.min_bin_share = 0.03; /* 10 rows = ceil(.03 * 310): the tail stays */
    sc = train(ctx, ds, &o, NULL);
    c = find(sc, "v");
    assert_int_equal(c->n_attributes, 5);
    assert_range(&c->attributes[3], 4, INFINITY, 10, 9);
    ph_scorecard_free(sc);
    ph_dataset_free(ds);

    /* a small middle bin goes to the neighbour with the closer bad rate */
    static const group middle[] = {
        {{1, 0, 0}, NULL, 100, 10}, {{2, 0, 0}, NULL, 100, 20}, {{3, 0, 0}, NULL, 10, 3},
        {{4, 0, 0}, NULL, 100, 50}, {{5, 0, 0}, NULL, 100, 60},
    };
    table m = {{"v", NULL}, NULL, middle, 5};
    ds = make(ctx, &m);
    o.min_bin_share = 0.05;
    sc = train(ctx, ds, &o, NULL);
    c = find(sc, "v");
    assert_int_equal(c->n_attributes, 5);
    assert_range(&c->attributes[1], 2, 4, 110, 23); /* .3 is closer to .2 than to .5 */
    assert_range(&c->attributes[2], 4, 5, 100, 50);
    ph_scorecard_free(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

/* ---- missing and special values ------------------------------------------ */

static void test_missing_and_special_bins(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    static const group g[] = {
        {{1, 0, 0}, NULL, 100, 10}, {{2, 0, 0}, NULL, 100, 40},
        {{-999, 0, 0}, NULL, 50, 30}, {{NAN, 0, 0}, NULL, 40, 20},
    };
    table t = {{"v", NULL}, NULL, g, 4};
    ph_dataset *ds = make(ctx, &t);
    ph_sc_train_options o = options();
    const double specials[] = {-999, -1};
    o.special_values = specials;
    o.n_special_values = 2; /* -1 never occurs: no attribute for it */
    ph_scorecard *sc = train(ctx, ds, &o, NULL);
    const ph_sc_characteristic *c = find(sc, "v");
    const double G = 190, B = 100;
    assert_int_equal(c->n_attributes, 4);
    const ph_sc_attribute *sp = &c->attributes[0];
    assert_int_equal(sp->match, PH_SC_RANGE); /* first: -999 lies inside (-inf, 2) */
    assert_true(sp->low == -999 && sp->high == -999);
    assert_true(sp->low_inclusive && sp->high_inclusive);
    assert_int_equal(sp->count, 50);
    assert_near(sp->woe, woe(20, 30, G, B), 1e-12);
    assert_range(&c->attributes[1], -INFINITY, 2, 100, 10); /* the specials are not in it */
    assert_range(&c->attributes[2], 2, INFINITY, 100, 40);
    assert_int_equal(c->attributes[3].match, PH_SC_MISSING);
    assert_int_equal(c->attributes[3].count, 40);
    assert_int_equal(c->attributes[3].bads, 20);
    assert_near(c->attributes[3].woe, woe(20, 20, G, B), 1e-12);
    double iv = 0;
    const double goods[] = {20, 90, 60, 20}, bads[] = {30, 10, 40, 20};
    for (size_t i = 0; i < 4; i++)
        iv += (goods[i] / G - bads[i] / B) * woe(goods[i], bads[i], G, B);
    assert_near(c->iv, iv, 1e-12);
    ph_scorecard_free(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

/* ---- categorical grouping, an unseen level, an excluded column ------------ */

static void test_categorical_grouping(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    static const group g[] = {
        {{1, 0, 0}, "A", 100, 10}, {{2, 0, 0}, "B", 100, 10}, {{3, 0, 0}, "C", 100, 30},
        {{4, 0, 0}, "D", 8, 7},    {{5, 0, 0}, "E", 100, 50}, {{6, 0, 0}, "Z", 1, 0},
    };
    table t = {{"id", NULL}, "kind", g, 6};
    ph_dataset *all = make(ctx, &t);
    /* drop the one "Z" row: Z stays a level of the column but no row has it */
    size_t rows[408];
    for (size_t r = 0; r < 408; r++)
        rows[r] = r;
    ph_dataset *ds;
    ph_error err;
    ph_assert_ok(ph_dataset_subset(all, rows, 408, &ds, &err), &err);
    ph_sc_train_options o = options();
    const char *const exclude[] = {"id", NULL};
    o.exclude = exclude;
    char *log;
    ph_scorecard *sc = train(ctx, ds, &o, &log);
    assert_int_equal(sc->n_characteristics, 1);
    assert_null(find(sc, "id"));
    assert_null(strstr(log, "\nid "));
    free(log);
    const ph_sc_characteristic *c = find(sc, "kind");
    assert_int_equal(c->categorical, 1);
    assert_int_equal(c->n_attributes, 5);
    /* by bad rate: {A, B} (equal rates), {C}, {E, D} (D too small: 8 < 21) */
    const char *const expect[3][2] = {{"A", "B"}, {"C", NULL}, {"E", "D"}};
    const uint64_t counts[3] = {200, 100, 108}, bads[3] = {20, 30, 57};
    for (size_t a = 0; a < 3; a++) {
        const ph_sc_attribute *at = &c->attributes[a];
        assert_int_equal(at->match, PH_SC_IN);
        assert_int_equal(at->n_levels, expect[a][1] ? 2 : 1);
        for (size_t l = 0; l < at->n_levels; l++)
            assert_string_equal(at->levels[l], expect[a][l]);
        assert_int_equal(at->count, counts[a]);
        assert_int_equal(at->bads, bads[a]);
    }
    assert_near(c->attributes[0].woe, woe(180, 20, 301, 107), 1e-12);
    assert_int_equal(c->attributes[3].match, PH_SC_MISSING);
    assert_int_equal(c->attributes[4].match, PH_SC_ANY); /* Z, or any unseen text */
    assert_true(c->attributes[3].partial_score == c->attributes[2].partial_score);
    assert_true(c->attributes[4].partial_score == c->attributes[2].partial_score);
    ph_scorecard_free(sc);

    /* an excluded column that does not exist is an error */
    const char *const typo[] = {"idd", NULL};
    o.exclude = typo;
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &sc, NULL, &err), PH_ENOTFOUND, &err,
                    "field exclude, value 'idd': expected a column of <memory>, which has no "
                    "column of this name");
    ph_dataset_free(ds);
    ph_dataset_free(all);
    ph_ctx_free(ctx);
}

/* ---- selection ------------------------------------------------------------ */

static void test_selection_correlation_and_vif(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    /* z2 == z; w = x + z, nearly linear in their WOE */
    group g[4];
    memcpy(g, additive, sizeof(g));
    for (size_t i = 0; i < 4; i++)
        g[i].v[2] = g[i].v[1];
    table t = {{"x", "z", "z2"}, NULL, g, 4};
    ph_dataset *ds = make(ctx, &t);
    ph_sc_train_options o = options();
    char *log;
    ph_scorecard *sc = train(ctx, ds, &o, &log);
    assert_int_equal(sc->n_characteristics, 2);
    assert_null(find(sc, "z2"));
    assert_non_null(strstr(log, "dropped: |r| 1.000 with z (IV "));
    free(log);
    ph_scorecard_free(sc);
    ph_dataset_free(ds);

    /* with the correlation filter off, the VIF filter catches z2 instead */
    for (size_t i = 0; i < 4; i++)
        g[i].v[2] = g[i].v[0] + g[i].v[1];
    table tw = {{"x", "z", "w"}, NULL, g, 4};
    ds = make(ctx, &tw);
    o.max_correlation = 1.0;
    sc = train(ctx, ds, &o, &log);
    assert_int_equal(sc->n_characteristics, 2);
    assert_non_null(strstr(log, "dropped: VIF"));
    free(log);
    ph_scorecard_free(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

/* y looks risky alone, but given x it is the safer half: a wrong sign. */
static void test_wrong_sign_dropped(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    static const group g[] = {
        {{0, 0, 0}, NULL, 150, 15}, {{0, 1, 0}, NULL, 50, 3},
        {{1, 0, 0}, NULL, 50, 30},  {{1, 1, 0}, NULL, 150, 75},
    };
    table t = {{"x", "y", NULL}, NULL, g, 4};
    ph_dataset *ds = make(ctx, &t);
    ph_sc_train_options o = options();
    char *log;
    ph_scorecard *sc = train(ctx, ds, &o, &log);
    assert_int_equal(sc->n_characteristics, 1);
    assert_non_null(find(sc, "x"));
    assert_non_null(strstr(log, "dropped: coefficient -"));
    assert_non_null(strstr(log, "against its WOE (the weakest such), refitted without it"));
    free(log);
    ph_scorecard_free(sc);
    o.drop_wrong_sign = 0;
    sc = train(ctx, ds, &o, NULL);
    assert_int_equal(sc->n_characteristics, 2);
    assert_true(find(sc, "y")->coefficient < 0);
    ph_scorecard_free(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

/* ---- errors --------------------------------------------------------------- */

static void test_errors(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_dataset *ds = make(ctx, &additive_table);
    ph_sc_train_options o = options();
    ph_scorecard *sc = NULL;
    ph_error err;

    ph_assert_error(ph_scorecard_train(NULL, ds, &o, &sc, NULL, &err), PH_EMISUSE, &err,
                    "ph_scorecard_train needs ctx, ds, opts and out");
    ph_assert_error(ph_scorecard_train(ctx, ds, NULL, &sc, NULL, &err), PH_EMISUSE, &err,
                    "needs ctx, ds, opts and out");
    ph_sc_train_options bad = o;
    bad.version = 0;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EMISUSE, &err,
                    "field version, value '0': expected PH_SC_TRAIN_OPTIONS_VERSION (1)");
    bad = o;
    bad.target = NULL;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EMISUSE, &err,
                    "field target: expected the target column's name");
    bad = o;
    bad.target = "nope";
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_ENOTFOUND, &err,
                    "field target, value 'nope': expected a column of <memory>");
    bad = o;
    bad.min_bin_share = 0.7;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field min_bin_share, value '0.7': expected a share of rows from 0 to 0.5");
    bad = o;
    bad.max_vif = 1;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field max_vif, value '1': expected a VIF above 1");
    bad = o;
    bad.pdo = NAN;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field pdo, value 'nan': expected points to double the odds above 0");
    bad = o;
    bad.fine_bins = 1;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field fine_bins, value '1': expected 2 to 1000 classes");
    bad = o;
    bad.max_iterations = 0;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field max_iterations, value '0': expected 1 to 10000 iterations");
    bad = o;
    const double nan_special[] = {NAN};
    bad.special_values = nan_special;
    bad.n_special_values = 1;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field special_values: expected finite special values");

    /* directions */
    const char *const malformed[] = {"x=up", NULL};
    bad = o;
    bad.directions = malformed;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field directions, value 'x=up': expected NAME=increasing or "
                    "NAME=decreasing");
    const char *const unknown[] = {"q=increasing", NULL};
    bad.directions = unknown;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_ENOTFOUND, &err,
                    "field directions, value 'q': expected a column of <memory>");
    const char *const on_target[] = {"bad=increasing", NULL};
    bad.directions = on_target;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "value 'bad=increasing': expected a candidate variable, not the target");

    /* nothing to learn from */
    bad = o;
    bad.min_iv = 5;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field min_iv, value '5': no variable reaches the IV floor 5: the best is x "
                    "with IV 0.2586");
    const char *const everything[] = {"x", "z", NULL};
    bad = o;
    bad.exclude = everything;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "expected at least one column besides the target and the excluded ones");

    /* the fit */
    bad = o;
    bad.max_iterations = 1;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "field max_iterations, value '1': the fit did not converge within 1 "
                    "iterations: the largest coefficient change (");
    assert_null(sc);
    ph_dataset_free(ds);

    /* the target: one class only, a bad value, no rows */
    static const group all_good[] = {{{0, 0, 0}, NULL, 10, 0}, {{1, 0, 0}, NULL, 10, 0}};
    table t = {{"x", NULL}, NULL, all_good, 2};
    ds = make(ctx, &t);
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &sc, NULL, &err), PH_EINVAL, &err,
                    "field target, value 'bad': expected both good and bad rows, got 20 good "
                    "and 0 bad");
    ph_dataset_free(ds);
    ph_assert_ok(ph_dataset_new(ctx, 0, &ds, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "bad", NULL, &err), &err);
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &sc, NULL, &err), PH_EINVAL, &err,
                    "field rows, value '0': expected training rows in <memory>");
    ph_dataset_free(ds);
    const double target[] = {0, 1, 2};
    const double x[] = {1, 2, 3};
    ph_assert_ok(ph_dataset_new(ctx, 3, &ds, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "x", x, &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "bad", target, &err), &err);
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &sc, NULL, &err), PH_EINVAL, &err,
                    "<memory>:3: field bad, value '2': expected a target of 1 (bad) or 0 (good)");
    ph_dataset_free(ds);

    /* a target the variable separates: without a penalty the Hessian
     * vanishes as the coefficient grows; the default penalty fits it */
    static const group separated[] = {{{0, 0, 0}, NULL, 100, 0}, {{1, 0, 0}, NULL, 100, 100}};
    table ts = {{"x", NULL}, NULL, separated, 2};
    ds = make(ctx, &ts);
    bad = o;
    bad.l2 = 0;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "WOE columns are collinear or separate the target; raise l2");
    assert_non_null(strstr(err.message, "field l2: the Hessian is singular at iteration "));
    sc = train(ctx, ds, &o, NULL);
    assert_true(sc->characteristics[0].coefficient > 0);
    ph_scorecard_free(sc);
    sc = NULL;
    ph_dataset_free(ds);

    /* a direction on a categorical column */
    static const group cat[] = {{{0, 0, 0}, "a", 10, 1}, {{1, 0, 0}, "b", 10, 5}};
    table tc = {{"x", NULL}, "kind", cat, 2};
    ds = make(ctx, &tc);
    const char *const on_cat[] = {"kind=increasing", NULL};
    bad = o;
    bad.directions = on_cat;
    ph_assert_error(ph_scorecard_train(ctx, ds, &bad, &sc, NULL, &err), PH_EINVAL, &err,
                    "expected a numeric column: a categorical one has no order");
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

static void test_options_init(void **state)
{
    (void)state;
    ph_sc_train_options o;
    memset(&o, 0xAB, sizeof(o));
    ph_sc_train_options_init(&o);
    assert_int_equal(o.version, PH_SC_TRAIN_OPTIONS_VERSION);
    assert_null(o.target);
    assert_null(o.exclude);
    assert_int_equal(o.fine_bins, 20);
    assert_true(o.min_bin_share == 0.05 && o.min_iv == 0.02 && o.max_correlation == 0.7);
    assert_true(o.max_vif == 5 && o.l2 == 1e-4 && o.tolerance == 1e-8);
    assert_int_equal(o.max_iterations, 50);
    assert_true(o.base_points == 600 && o.base_odds == 50 && o.pdo == 20);
    assert_string_equal(o.name, "scorecard");
    assert_int_equal(o.drop_wrong_sign, 1);
    assert_int_equal(o.round_points, 0);
    ph_sc_train_options_init(NULL); /* harmless */
}

/* --- what a dropped variable would have added; monotone switched off --- */

static uint64_t mix(uint64_t *state) /* splitmix64 */
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static double unit(uint64_t *state)
{
    return ((double)(mix(state) >> 11) + 0.5) / 9007199254740992.0;
}

/* 20,000 rows: `strong` (log-odds of bad 0.8 per sd), `weak` (0.12 per sd:
 * real, but its IV is near 0.015, under the default floor) and `noise`. */
static ph_dataset *weak_variable_data(const ph_ctx *ctx)
{
    enum { ROWS = 20000 };
    static double col[3][ROWS], bad[ROWS];
    static const double effect[3] = {0.8, 0.12, 0.0};
    static const char *const names[3] = {"strong", "weak", "noise"};
    uint64_t state = 15;
    for (size_t r = 0; r < ROWS; r++) {
        double eta = -1.5;
        for (size_t j = 0; j < 3; j++) {
            double z = sqrt(-2.0 * log(unit(&state))) * cos(6.283185307179586 * unit(&state));
            col[j][r] = round(z * 1000.0) / 1000.0;
            eta += effect[j] * z;
        }
        bad[r] = unit(&state) < 1.0 / (1.0 + exp(-eta)) ? 1.0 : 0.0;
    }
    ph_dataset *ds;
    ph_error err;
    ph_assert_ok(ph_dataset_new(ctx, ROWS, &ds, &err), &err);
    for (size_t j = 0; j < 3; j++)
        ph_assert_ok(ph_dataset_add_numeric(ds, names[j], col[j], &err), &err);
    ph_assert_ok(ph_dataset_add_numeric(ds, "bad", bad, &err), &err);
    return ds;
}

static const ph_sc_dropped *dropped(const ph_scorecard *sc, const char *field)
{
    size_t n;
    const ph_sc_dropped *d = ph_scorecard_dropped(sc, &n);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(d[i].field, field) == 0)
            return &d[i];
    }
    return NULL;
}

static void count_progress(void *user, uint64_t done, uint64_t total)
{
    uint64_t *seen = user;
    assert_true(done <= total);
    assert_true(done >= seen[0]); /* never goes back */
    seen[0] = done;
    seen[1] = total;
    seen[2]++;
}

static void test_dropped_variable_would_add(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    ph_dataset *ds = weak_variable_data(ctx);
    ph_sc_train_options o = options();
    uint64_t seen[3] = {0, 0, 0};
    o.progress = count_progress;
    o.progress_user = seen;
    char *log;
    ph_scorecard *sc = train(ctx, ds, &o, &log);
    assert_non_null(find(sc, "strong"));
    assert_null(find(sc, "weak"));
    const ph_sc_dropped *weak = dropped(sc, "weak"), *noise = dropped(sc, "noise");
    assert_non_null(weak);
    assert_non_null(noise);
    assert_int_equal(weak->reason, PH_SC_DROP_IV);
    assert_string_equal(ph_sc_drop_reason_name(weak->reason), "iv");
    assert_true(weak->iv > 0.005 && weak->iv < 0.02);
    /* it is real: kept, it adds to the AUC and works the way its WOE says;
     * the noise adds next to nothing */
    assert_true(weak->auc_gain > 0.001);
    assert_true(weak->trial_coefficient > 0);
    assert_true(noise->auc_gain < weak->auc_gain / 5);
    assert_non_null(strstr(log, "AUC if kept"));
    char line[64];
    snprintf(line, sizeof(line), "%+.4f  dropped: IV", weak->auc_gain);
    assert_non_null(strstr(log, line));
    double auc = 0, ks = 0;
    assert_int_equal(ph_scorecard_training_fit(sc, &auc, &ks), 1);
    assert_true(auc > 0.6 && auc < 1 && ks > 0);
    /* progress: binning 3 candidates, the fit, 2 trials */
    assert_int_equal(seen[0], 6);
    assert_int_equal(seen[1], 6);
    /* without the trials the meter still ends at its total */
    uint64_t meter[3] = {0, 0, 0};
    ph_sc_train_options q = options();
    q.assess_dropped = 0;
    q.progress = count_progress;
    q.progress_user = meter;
    ph_scorecard_free(train(ctx, ds, &q, NULL));
    assert_int_equal(meter[0], 4);
    assert_int_equal(meter[1], 4);
    o.progress = NULL;
    /* a copy keeps the list */
    ph_scorecard *copy;
    ph_error err;
    ph_assert_ok(ph_scorecard_copy(ctx, sc, &copy, &err), &err);
    assert_true(dropped(copy, "weak")->auc_gain == weak->auc_gain);
    ph_scorecard_free(copy);
    free(log);

    /* with the floor at its IV the weak variable is kept (the noise is
     * not), and the AUC rises by what was announced */
    assert_true(noise->iv < weak->iv);
    o.min_iv = weak->iv;
    ph_scorecard *all = train(ctx, ds, &o, NULL);
    assert_non_null(find(all, "weak"));
    double auc_all = 0;
    ph_scorecard_training_fit(all, &auc_all, NULL);
    assert_true(fabs(auc_all - auc - weak->auc_gain) < 1e-4); /* the trial stops at 1e-3 */
    assert_null(find(all, "noise"));
    ph_scorecard_free(all);

    /* assess_dropped off: listed, not tried */
    o.min_iv = 0.02;
    o.assess_dropped = 0;
    ph_scorecard *quick = train(ctx, ds, &o, NULL);
    assert_true(isnan(dropped(quick, "weak")->auc_gain));
    ph_scorecard_free(quick);
    ph_scorecard_free(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

static void test_monotone_off(void **state)
{
    (void)state;
    ph_ctx *ctx = sct_ctx();
    table t = {{"v", "w", NULL}, NULL, zigzag, 5};
    ph_dataset *ds = make(ctx, &t);
    ph_sc_train_options o = options();
    o.monotone = 0;
    const char *const only_v[] = {"w", NULL};
    o.exclude = only_v;
    char *log;
    ph_error err;
    ph_scorecard *sc;
    sc = train(ctx, ds, &o, &log);
    const ph_sc_characteristic *c = find(sc, "v");
    assert_non_null(c);
    assert_int_equal(c->n_attributes, 6); /* five classes as they are, missing */
    assert_range(&c->attributes[1], 2, 3, 100, 30);
    assert_range(&c->attributes[2], 3, 4, 100, 20);
    assert_non_null(strstr(log, "not monotone"));
    assert_non_null(strstr(log, "merged to a monotone bad rate: off"));
    free(log);
    ph_scorecard_free(sc);

    /* per variable: off for v only, the default on */
    o.monotone = 1;
    const char *const v_off[] = {"v=off", NULL};
    o.monotone_by_variable = v_off;
    sc = train(ctx, ds, &o, NULL);
    assert_int_equal(find(sc, "v")->n_attributes, 6);
    ph_scorecard_free(sc);
    const char *const v_on[] = {"v=on", NULL};
    o.monotone = 0;
    o.monotone_by_variable = v_on;
    sc = train(ctx, ds, &o, NULL);
    assert_int_equal(find(sc, "v")->n_attributes, 5);
    ph_scorecard_free(sc);

    /* bad entries, named */
    sc = NULL;
    const char *const maybe[] = {"v=maybe", NULL};
    o.monotone_by_variable = maybe;
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &sc, NULL, &err), PH_EINVAL, &err,
                    "field monotone_by_variable, value 'v=maybe': expected NAME=on or NAME=off");
    const char *const nope[] = {"nope=on", NULL};
    o.monotone_by_variable = nope;
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &sc, NULL, &err), PH_ENOTFOUND, &err,
                    "field monotone_by_variable, value 'nope': expected a column of <memory>");
    const char *const excluded[] = {"w=on", NULL};
    o.monotone_by_variable = excluded;
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &sc, NULL, &err), PH_EINVAL, &err,
                    "field monotone_by_variable, value 'w=on': expected a candidate variable");
    o.monotone_by_variable = NULL;
    o.monotone = 2;
    ph_assert_error(ph_scorecard_train(ctx, ds, &o, &sc, NULL, &err), PH_EINVAL, &err,
                    "field monotone, value '2': expected 0 or 1");
    assert_null(sc);
    ph_dataset_free(ds);
    ph_ctx_free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_additive_by_hand),
        cmocka_unit_test(test_summary_and_log),
        cmocka_unit_test(test_monotone_merging),
        cmocka_unit_test(test_direction_detected_and_given),
        cmocka_unit_test(test_min_bin_share),
        cmocka_unit_test(test_missing_and_special_bins),
        cmocka_unit_test(test_categorical_grouping),
        cmocka_unit_test(test_selection_correlation_and_vif),
        cmocka_unit_test(test_wrong_sign_dropped),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_options_init),
        cmocka_unit_test(test_dropped_variable_would_add),
        cmocka_unit_test(test_monotone_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
