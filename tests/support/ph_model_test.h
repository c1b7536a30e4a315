/*
 * Helpers shared by the tree-model tests (test_model_xgboost.c,
 * test_model_lightgbm.c, test_treeshap_fixtures.c): load a committed model
 * and its expected values, score the committed input through the public API,
 * measure the largest difference, refuse a model text changed in one place.
 * Every helper fails the running test (cmocka) on an unexpected error; what
 * it returns is malloc'd (free with free()) unless it says otherwise.
 */
#ifndef PH_MODEL_TEST_H
#define PH_MODEL_TEST_H

#include "ph_test.h"

#include "model/model_internal.h"

/* A context with the default options (free with ph_ctx_free). */
ph_ctx *fixture_ctx(void);

/* The committed model tests/fixtures/NAME (free with ph_model_free). */
ph_model *fixture_model(const ph_ctx *ctx, const char *name);

/* The committed CSV tests/fixtures/NAME (free with ph_dataset_free). */
ph_dataset *fixture_csv(const ph_ctx *ctx, const char *name);

/* The numeric column NAME of ds (owned by ds); fails if it is missing. */
const double *fixture_column(const ph_dataset *ds, const char *name);

/* The dataset's rows as a row-major float32 matrix in the model's feature
 * order (what ph_model_margin_matrix takes). */
float *fixture_matrix(const ph_model *m, const ph_dataset *ds);

/* The largest |a[i] - b[i]|; a NaN on either side counts as the worst. */
double max_abs_diff(const double *a, const double *b, size_t n);

/*
 * Score input.csv with model NAME through ph_model_bind + ph_model_predict
 * and through ph_model_margin_matrix; compare with EXPECTED (columns margin
 * and probability); print the largest differences; return them. Fails if
 * the probabilities differ by more than `tolerance`.
 */
void fixture_check(const char *name, const char *expected, double tolerance,
                   double *prob_error, double *margin_error);

/* A whole fixture as a NUL-terminated buffer; its length in *len if len. */
char *fixture_text(const char *name, size_t *len);

/* `text` with the first occurrence of `from` replaced by `to` (must occur). */
char *replaced(const char *text, const char *from, const char *to);

/* Load model text (named `source` in messages) from memory. */
ph_status fixture_load_text(const ph_ctx *ctx, const char *text, const char *source, ph_model **m,
                            ph_error *err);

/* Load `text` with `from` replaced by `to`; expect `code` and `message`, and
 * no model. */
void fixture_refused(const char *text, const char *source, const char *from, const char *to,
                     ph_status code, const char *message);

/* The plain definition: walk each tree with model_goes_left, summing in
 * float32 or double as the forest says. */
double plain_margin(const ph_model *m, const float *row);

/* The same leaves summed in double whatever the forest says: the margin
 * TreeSHAP's contributions add up to. */
double plain_margin_double(const ph_model *m, const float *row);

/* Rows mixing thresholds, their float neighbours, NaN and random values. */
void adversarial_rows(const ph_model *m, float *x, size_t rows, uint64_t seed);

/* The fast scorer equals the plain walk on adversarial rows of model NAME. */
void check_fast_equals_plain(const char *name);

/* |got - want| <= tol, in doubles (cmocka 1.1.5's float assertion rounds to
 * float32). tol 0 asks for equality. */
#define assert_near(got, want, tol) \
    fixture_assert_near_((got), (want), (tol), __FILE__, __LINE__)
void fixture_assert_near_(double got, double want, double tol, const char *file, int line);

/* k! as a double (exact up to 22!). */
double factorial(int k);

#endif
