/*
 * bench_gbdt_shap — puhui's TreeSHAP against XGBoost's pred_contribs on a
 * model that `puhui model train-gbdt` trained; the check of bench/peer_gbdt.py.
 *
 *   bench_gbdt_shap MODEL.json ROWS.f32 CONTRIBS.f32 N [TOLERANCE]
 *
 * ROWS.f32 holds N rows of float32 in the model's feature order (row-major,
 * NaN = missing); CONTRIBS.f32 XGBoost's pred_contribs for them, N x
 * (features + 1) float32, the last column the bias. Computes
 * ph_model_contributions_matrix over the same rows and prints the largest
 * |puhui - XGBoost| over every entry, the row and column where it is, and the
 * time taken (wall and CPU). Exit status 0 when that difference is at most
 * TOLERANCE (default 1e-5), 1 otherwise or on bad input.
 */
#include "bench_util.h"
#include "puhui/puhui.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TOLERANCE 1e-5

static float *read_floats(const char *path, size_t count)
{
    FILE *f = fopen(path, "rb");
    float *v = malloc(count * sizeof(float));
    size_t got = f && v ? fread(v, sizeof(float), count, f) : 0;
    /* One float more would mean N or the feature count is not the file's. */
    float extra;
    int longer = f && got == count && fread(&extra, sizeof(float), 1, f) == 1;
    if (f)
        fclose(f);
    if (got != count || longer) {
        fprintf(stderr, "bench_gbdt_shap: %s: expected exactly %zu float32 values%s\n", path,
                count, longer ? ", found more" : "");
        free(v);
        return NULL;
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: bench_gbdt_shap MODEL.json ROWS.f32 CONTRIBS.f32 N [TOLERANCE]\n");
        return 1;
    }
    long long n = 0;
    double tolerance = argc == 6 ? strtod(argv[5], NULL) : DEFAULT_TOLERANCE;
    if (bench_number("bench_gbdt_shap", "N", argv[4], 1, 100000000LL, &n) != 0)
        return 1;
    if (!(tolerance > 0)) {
        fprintf(stderr, "bench_gbdt_shap: TOLERANCE '%s': expected a number above 0\n", argv[5]);
        return 1;
    }
    ph_ctx *ctx = NULL;
    ph_model *m = NULL;
    float *x = NULL, *want = NULL;
    double *got = NULL;
    ph_error err;
    int rc = 1;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_model_load_file(ctx, argv[1], &m, &err) != PH_OK) {
        fprintf(stderr, "bench_gbdt_shap: %s\n", err.message);
        goto done;
    }
    size_t rows = (size_t)n, nf = ph_model_feature_count(m), cols = nf + 1;
    if (!(x = read_floats(argv[2], rows * nf)) || !(want = read_floats(argv[3], rows * cols)))
        goto done;
    if (!(got = malloc(rows * cols * sizeof(double)))) {
        fprintf(stderr, "bench_gbdt_shap: out of memory\n");
        goto done;
    }
    double t0 = bench_now_seconds(), c0 = bench_cpu_seconds();
    if (ph_model_contributions_matrix(m, x, rows, got, &err) != PH_OK) {
        fprintf(stderr, "bench_gbdt_shap: %s\n", err.message);
        goto done;
    }
    double wall = bench_now_seconds() - t0, cpu = bench_cpu_seconds() - c0;
    double worst = 0;
    size_t worst_at = 0;
    for (size_t i = 0; i < rows * cols; i++) {
        double d = fabs(got[i] - (double)want[i]);
        if (!(d <= worst)) { /* NaN counts as the worst */
            worst = d;
            worst_at = i;
            if (isnan(d))
                break;
        }
    }
    printf("TreeSHAP %zu rows x %zu features, %zu trees: max |puhui - pred_contribs| = %.3g "
           "(row %zu, column %s), tolerance %g; %.3f s wall, %.3f s CPU\n",
           rows, nf, ph_model_tree_count(m), worst, worst_at / cols,
           worst_at % cols == nf ? "bias" : ph_model_feature_name(m, worst_at % cols), tolerance,
           wall, cpu);
    rc = worst <= tolerance ? 0 : 1;
done:
    free(got);
    free(want);
    free(x);
    ph_model_free(m);
    ph_ctx_free(ctx);
    return rc;
}
