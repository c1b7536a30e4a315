/* Tree-model test helpers; see ph_model_test.h. */
#include "ph_model_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ph_model *fixture_model(const ph_ctx *ctx, const char *name)
{
    char *path = ph_test_fixture(name);
    ph_model *m = NULL;
    ph_error err;
    ph_assert_ok(ph_model_load_file(ctx, path, &m, &err), &err);
    free(path);
    return m;
}

ph_dataset *fixture_csv(const ph_ctx *ctx, const char *name)
{
    char *path = ph_test_fixture(name);
    ph_dataset *ds = NULL;
    ph_error err;
    ph_assert_ok(ph_dataset_read_csv(ctx, path, NULL, &ds, &err), &err);
    free(path);
    return ds;
}

const double *fixture_column(const ph_dataset *ds, const char *name)
{
    int c = ph_dataset_column_index(ds, name);
    if (c < 0)
        fail_msg("column %s is missing from %s", name, ph_dataset_source(ds));
    const double *v = ph_dataset_numeric(ds, (size_t)c);
    assert_non_null(v);
    return v;
}

/* The dataset's rows as a row-major float32 matrix in the model's feature
 * order (what ph_model_margin_matrix takes). Free with free(). */
float *fixture_matrix(const ph_model *m, const ph_dataset *ds)
{
    size_t nf = ph_model_feature_count(m), rows = ph_dataset_rows(ds);
    float *x = malloc(rows * nf * sizeof(float) + 1);
    assert_non_null(x);
    for (size_t j = 0; j < nf; j++) {
        const double *col = fixture_column(ds, ph_model_feature_name(m, j));
        for (size_t r = 0; r < rows; r++)
            x[r * nf + j] = (float)col[r];
    }
    return x;
}

double max_abs_diff(const double *a, const double *b, size_t n)
{
    double worst = 0.0;
    for (size_t i = 0; i < n; i++) {
        double d = fabs(a[i] - b[i]);
        if (!(d <= worst))
            worst = d; /* a NaN on either side counts as the worst */
    }
    return worst;
}

/*
 * Score input.csv with model NAME through ph_model_bind + ph_model_predict
 * and through ph_model_margin_matrix; compare with EXPECTED (columns margin
 * and probability); print the largest differences; return them.
 */
void fixture_check(const char *name, const char *expected, double tolerance,
                   double *prob_error, double *margin_error)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_model *m = fixture_model(ctx, name);
    ph_dataset *in = fixture_csv(ctx, "models/input.csv");
    ph_dataset *want = fixture_csv(ctx, expected);
    size_t rows = ph_dataset_rows(in);
    assert_int_equal(rows, ph_dataset_rows(want));
    assert_true(rows >= 100);

    ph_model_input *bound = NULL;
    ph_assert_ok(ph_model_bind(m, in, &bound, &err), &err);
    double *pd = malloc(rows * sizeof(double)), *points = malloc(rows * sizeof(double));
    double *margin = malloc(rows * sizeof(double));
    assert_non_null(pd);
    assert_non_null(points);
    assert_non_null(margin);
    ph_assert_ok(ph_model_predict(bound, 0, rows, pd, points, &err), &err);
    assert_true(isnan(points[0]) && isnan(points[rows - 1]));

    float *x = fixture_matrix(m, in);
    ph_assert_ok(ph_model_margin_matrix(m, x, rows, margin, &err), &err);

    *prob_error = max_abs_diff(pd, fixture_column(want, "probability"), rows);
    *margin_error = max_abs_diff(margin, fixture_column(want, "margin"), rows);
    printf("# %s: max |p - expected| = %.3g, max |margin - expected| = %.3g over %zu rows\n",
           name, *prob_error, *margin_error, rows);
    assert_true(*prob_error <= tolerance);

    /* A slice scores the same as the whole. */
    double slice[7];
    ph_assert_ok(ph_model_predict(bound, 17, 7, slice, NULL, &err), &err);
    for (size_t i = 0; i < 7; i++)
        assert_true(slice[i] == pd[17 + i]);

    free(x);
    free(pd);
    free(points);
    free(margin);
    ph_model_input_free(bound);
    ph_dataset_free(in);
    ph_dataset_free(want);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

/* Read a whole fixture into a NUL-terminated malloc'd buffer. */
char *fixture_text(const char *name, size_t *len)
{
    char *path = ph_test_fixture(name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = malloc((size_t)size + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)size, f), (size_t)size);
    text[size] = '\0';
    fclose(f);
    free(path);
    if (len)
        *len = (size_t)size;
    return text;
}

/* `text` with the first occurrence of `from` replaced by `to` (must occur). */
char *replaced(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    if (!at)
        fail_msg("'%s' is not in the model text", from);
    size_t head = (size_t)(at - text), lf = strlen(from), lt = strlen(to);
    char *out = malloc(strlen(text) - lf + lt + 1);
    assert_non_null(out);
    memcpy(out, text, head);
    memcpy(out + head, to, lt);
    strcpy(out + head + lt, at + lf);
    return out;
}

/* Walk each tree of m on row with model_goes_left; the leaves summed in
 * double and in float32. */
static void plain_sums(const ph_model *m, const float *row, double *sum_double, float *sum_float)
{
    const model_forest *f = m->forest;
    double sum = f->base_margin;
    float sumf = (float)f->base_margin;
    for (size_t i = 0; i < f->n_trees; i++) {
        const model_tree *t = &f->trees[i];
        uint32_t n = 0;
        while (t->left[n] >= 0)
            n = (uint32_t)(model_goes_left(f, t, n, row[t->feature[n]]) ? t->left[n]
                                                                        : t->right[n]);
        sum += t->value[n];
        sumf += (float)t->value[n];
    }
    *sum_double = sum;
    *sum_float = sumf;
}

double plain_margin(const ph_model *m, const float *row)
{
    double sum;
    float sumf;
    plain_sums(m, row, &sum, &sumf);
    return m->forest->sum_float ? (double)sumf : sum;
}

double plain_margin_double(const ph_model *m, const float *row)
{
    double sum;
    float sumf;
    plain_sums(m, row, &sum, &sumf);
    return sum;
}

/* Rows mixing thresholds, their float neighbours, NaN and random values. */
void adversarial_rows(const ph_model *m, float *x, size_t rows, uint64_t seed)
{
    const model_forest *f = m->forest;
    size_t nf = ph_model_feature_count(m);
    for (size_t i = 0; i < rows * nf; i++) {
        seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
        uint32_t r = (uint32_t)(seed >> 33);
        const model_tree *t = &f->trees[r % f->n_trees];
        uint32_t n = (r >> 8) % t->n_nodes;
        float v = t->left[n] >= 0 ? (float)t->threshold[n] : (float)(r % 1000) / 7.0f - 50.0f;
        switch ((r >> 20) % 6) {
        case 0: v = NAN; break;
        case 1: v = nextafterf(v, -INFINITY); break;
        case 2: v = nextafterf(v, INFINITY); break;
        case 3: v = 0.0f; break;
        default: break;
        }
        x[i] = v;
    }
}

/* The fast scorer equals the plain walk on adversarial rows of model NAME. */
void check_fast_equals_plain(const char *name)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_model *m = fixture_model(ctx, name);
    size_t nf = ph_model_feature_count(m), rows = 3001;
    float *x = malloc(rows * nf * sizeof(float));
    double *margin = malloc(rows * sizeof(double));
    assert_non_null(x);
    assert_non_null(margin);
    adversarial_rows(m, x, rows, 42);
    ph_assert_ok(ph_model_margin_matrix(m, x, rows, margin, &err), &err);
    for (size_t r = 0; r < rows; r++)
        if (margin[r] != plain_margin(m, x + r * nf))
            fail_msg("%s row %zu: fast %.17g, plain %.17g", name, r, margin[r],
                     plain_margin(m, x + r * nf));
    free(x);
    free(margin);
    ph_model_free(m);
    ph_ctx_free(ctx);
}

ph_ctx *fixture_ctx(void)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    return ctx;
}

ph_status fixture_load_text(const ph_ctx *ctx, const char *text, const char *source, ph_model **m,
                            ph_error *err)
{
    return ph_model_load_memory(ctx, text, strlen(text), source, m, err);
}

void fixture_refused(const char *text, const char *source, const char *from, const char *to,
                     ph_status code, const char *message)
{
    ph_ctx *ctx = fixture_ctx();
    char *changed = replaced(text, from, to);
    ph_model *m = NULL;
    ph_error err;
    ph_assert_error(fixture_load_text(ctx, changed, source, &m, &err), code, &err, message);
    assert_null(m);
    free(changed);
    ph_ctx_free(ctx);
}

void fixture_assert_near_(double got, double want, double tol, const char *file, int line)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("%s:%d: %.17g is not within %g of %.17g", file, line, got, tol, want);
}

double factorial(int k)
{
    double r = 1.0;
    for (int i = 2; i <= k; i++)
        r *= i;
    return r;
}
