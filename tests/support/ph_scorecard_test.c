/* Scorecard test helpers; see ph_scorecard_test.h. */
#include "ph_scorecard_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_text(const ph_ctx *ctx, const char *s)
{
    if (!s)
        return NULL;
    char *d = ph_strdup(ctx, s);
    assert_non_null(d);
    return d;
}

ph_sc_characteristic *sct_characteristic(ph_scorecard *sc, const char *name, const char *field,
                                         int categorical, const char *reason_code,
                                         double baseline)
{
    size_t n = sc->n_characteristics + 1;
    sc->characteristics = ph_realloc(sc->ctx, sc->characteristics, n * sizeof(*sc->characteristics));
    assert_non_null(sc->characteristics);
    ph_sc_characteristic *c = &sc->characteristics[n - 1];
    memset(c, 0, sizeof(*c));
    sc->n_characteristics = n;
    c->name = dup_text(sc->ctx, name);
    c->field = dup_text(sc->ctx, field);
    c->categorical = categorical;
    c->reason_code = dup_text(sc->ctx, reason_code);
    c->baseline_score = baseline;
    return c;
}

ph_sc_attribute *sct_attribute(ph_scorecard *sc, ph_sc_characteristic *c, ph_sc_match match,
                               double points, const char *reason_code)
{
    size_t n = c->n_attributes + 1;
    c->attributes = ph_realloc(sc->ctx, c->attributes, n * sizeof(*c->attributes));
    assert_non_null(c->attributes);
    ph_sc_attribute *a = &c->attributes[n - 1];
    memset(a, 0, sizeof(*a));
    c->n_attributes = n;
    a->match = match;
    a->partial_score = points;
    a->reason_code = dup_text(sc->ctx, reason_code);
    return a;
}

void sct_range(ph_sc_attribute *a, double low, int low_inclusive, double high,
               int high_inclusive)
{
    a->match = PH_SC_RANGE;
    a->low = low;
    a->high = high;
    a->low_inclusive = low_inclusive;
    a->high_inclusive = high_inclusive;
}

void sct_levels(ph_scorecard *sc, ph_sc_attribute *a, const char *const *levels, size_t n)
{
    for (size_t i = 0; i < a->n_levels; i++) /* replacing a set: free the old one */
        ph_free(sc->ctx, a->levels[i]);
    ph_free(sc->ctx, a->levels);
    a->match = PH_SC_IN;
    a->levels = ph_calloc(sc->ctx, n, sizeof(char *));
    assert_non_null(a->levels);
    for (size_t i = 0; i < n; i++)
        a->levels[i] = dup_text(sc->ctx, levels[i]);
    a->n_levels = n;
}

ph_scorecard *sct_card(const ph_ctx *ctx)
{
    ph_scorecard *sc;
    ph_error err;
    ph_assert_ok(ph_scorecard_new(ctx, &sc, &err), &err);
    sc->name = dup_text(ctx, "shop credit");
    sc->initial_score = 500;
    sc->has_scale = 1;
    sc->base_points = 600;
    sc->base_odds = 50;
    sc->pdo = 20;
    sc->train_rows = 1000;
    sc->train_bads = 80;
    sc->target = dup_text(ctx, "bad");
    sc->intercept = -2.5;

    ph_sc_characteristic *c = sct_characteristic(sc, "age_score", "age", 0, "RC_AGE", 30);
    c->iv = 0.1;
    c->coefficient = -0.75;
    sct_attribute(sc, c, PH_SC_MISSING, 5, NULL);
    ph_sc_attribute *a = sct_attribute(sc, c, PH_SC_RANGE, 10, NULL);
    sct_range(a, -INFINITY, 0, 25, 0);
    a->count = 300;
    a->bads = 40;
    a->woe = 1.0 / 3.0; /* needs all 17 digits to read back */
    a = sct_attribute(sc, c, PH_SC_RANGE, 20, NULL);
    sct_range(a, 25, 1, 40, 0);
    a = sct_attribute(sc, c, PH_SC_RANGE, 30, NULL);
    sct_range(a, 40, 1, INFINITY, 0);

    c = sct_characteristic(sc, "grade_score", "grade", 1, NULL, 40);
    static const char *const a_levels[] = {"A"};
    static const char *const bc_levels[] = {"B", "C"};
    static const char *const low_levels[] = {"D E", "say \"hi\"", "back\\slash"};
    sct_levels(sc, sct_attribute(sc, c, PH_SC_IN, 40, "RC_GRADE_A"), a_levels, 1);
    sct_levels(sc, sct_attribute(sc, c, PH_SC_IN, 25, "RC_GRADE_BC"), bc_levels, 2);
    sct_levels(sc, sct_attribute(sc, c, PH_SC_IN, 10, "RC_GRADE_LOW"), low_levels, 3);
    sct_attribute(sc, c, PH_SC_MISSING, 0, "RC_GRADE_MISSING");

    c = sct_characteristic(sc, "income_score", "income", 0, "RC_INCOME", 50);
    sct_range(sct_attribute(sc, c, PH_SC_RANGE, 0, NULL), -INFINITY, 0, 1000, 1);
    sct_range(sct_attribute(sc, c, PH_SC_RANGE, 25, NULL), 1000, 0, 5000, 1);
    sct_range(sct_attribute(sc, c, PH_SC_RANGE, 50, NULL), 5000, 0, INFINITY, 0);
    sct_attribute(sc, c, PH_SC_ANY, 15, NULL);
    return sc;
}

char *sct_pmml(const ph_scorecard *sc, size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    ph_error err;
    ph_status st = ph_scorecard_write_pmml(sc, f, &err);
    assert_int_equal(fclose(f), 0);
    ph_assert_ok(st, &err);
    if (len)
        *len = size;
    return buf;
}

static void assert_text_equal(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

/* Doubles compared bit for bit in value (NaN equal to NaN). */
static void assert_same_double(double a, double b)
{
    if (isnan(a) && isnan(b))
        return;
    if (a != b)
        fail_msg("%.17g != %.17g", a, b);
}

static void assert_attribute_equal(const ph_sc_attribute *a, const ph_sc_attribute *b)
{
    assert_int_equal(a->match, b->match);
    assert_same_double(a->low, b->low);
    assert_same_double(a->high, b->high);
    assert_int_equal(a->low_inclusive, b->low_inclusive);
    assert_int_equal(a->high_inclusive, b->high_inclusive);
    assert_int_equal(a->n_levels, b->n_levels);
    for (size_t i = 0; i < a->n_levels; i++)
        assert_string_equal(a->levels[i], b->levels[i]);
    assert_same_double(a->partial_score, b->partial_score);
    assert_text_equal(a->reason_code, b->reason_code);
    assert_int_equal(a->count, b->count);
    assert_int_equal(a->bads, b->bads);
    assert_same_double(a->woe, b->woe);
}

void sct_assert_equal(const ph_scorecard *a, const ph_scorecard *b)
{
    assert_text_equal(a->name, b->name);
    assert_same_double(a->initial_score, b->initial_score);
    assert_int_equal(a->use_reason_codes, b->use_reason_codes);
    assert_int_equal(a->reason_algorithm, b->reason_algorithm);
    assert_int_equal(a->has_scale, b->has_scale);
    assert_same_double(a->base_points, b->base_points);
    assert_same_double(a->base_odds, b->base_odds);
    assert_same_double(a->pdo, b->pdo);
    assert_int_equal(a->train_rows, b->train_rows);
    assert_int_equal(a->train_bads, b->train_bads);
    assert_text_equal(a->target, b->target);
    assert_same_double(a->intercept, b->intercept);
    assert_int_equal(a->n_characteristics, b->n_characteristics);
    for (size_t i = 0; i < a->n_characteristics; i++) {
        const ph_sc_characteristic *x = &a->characteristics[i], *y = &b->characteristics[i];
        assert_text_equal(x->name, y->name);
        assert_text_equal(x->field, y->field);
        assert_int_equal(x->categorical, y->categorical);
        assert_text_equal(x->reason_code, y->reason_code);
        assert_same_double(x->baseline_score, y->baseline_score);
        assert_same_double(x->iv, y->iv);
        assert_same_double(x->coefficient, y->coefficient);
        assert_int_equal(x->n_attributes, y->n_attributes);
        for (size_t j = 0; j < x->n_attributes; j++)
            assert_attribute_equal(&x->attributes[j], &y->attributes[j]);
    }
}

ph_ctx *sct_ctx(void)
{
    ph_ctx *ctx;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    return ctx;
}
