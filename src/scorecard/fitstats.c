/*
 * Discrimination on the training rows, for the training log and for the
 * trial fits of dropped variables: the rank AUC (the chance that a good row
 * scores above a bad one, ties counting half) and the Kolmogorov-Smirnov
 * distance between the score distributions of goods and bads.
 *
 * The goods' and the bads' scores are radix-sorted apart (sort.c) and walked
 * together, one distinct score at a time: no comparison sort, which was a
 * fifth of a trial fit.
 */
#include <math.h>
#include <stdlib.h>

#include "train_internal.h"

ph_status sc_auc_ks(const ph_ctx *ctx, const double *score, const uint8_t *bad, size_t rows,
                    double *auc, double *ks, ph_error *err)
{
    size_t n = rows ? rows : 1;
    double *values = ph_malloc(ctx, n * sizeof(double));
    uint64_t *keys = ph_malloc(ctx, 2 * n * sizeof(uint64_t));
    if (!values || !keys) {
        ph_free(ctx, values);
        ph_free(ctx, keys);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the training AUC");
    }
    /* goods at the front, bads at the back, each then sorted ascending */
    size_t n_good = 0, n_bad = 0;
    for (size_t r = 0; r < rows; r++) {
        if (bad[r])
            values[rows - 1 - n_bad++] = score[r];
        else
            values[n_good++] = score[r];
    }
    const double *good = values, *bads = values + n_good;
    sc_sort_doubles(values, n_good, keys, keys + n);
    sc_sort_doubles(values + n_good, n_bad, keys, keys + n);
    double pairs = 0, best = 0, goods_total = (double)n_good, bads_total = (double)n_bad;
    size_t g = 0, b = 0;
    while (g < n_good || b < n_bad) {
        double t = g == n_good ? bads[b] : b == n_bad ? good[g] : fmin(good[g], bads[b]);
        size_t g0 = g, b0 = b;
        while (g < n_good && good[g] == t)
            g++;
        while (b < n_bad && bads[b] == t)
            b++;
        /* each good at t outranks the bads below t and ties with those at t */
        pairs += (double)(g - g0) * ((double)b0 + 0.5 * (double)(b - b0));
        best = fmax(best, fabs((double)b / bads_total - (double)g / goods_total));
    }
    ph_free(ctx, values);
    ph_free(ctx, keys);
    *auc = pairs / (goods_total * bads_total);
    *ks = best;
    return PH_OK;
}
