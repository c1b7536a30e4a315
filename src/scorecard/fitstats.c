/*
 * Discrimination on the training rows, for the training log: the rank AUC
 * (the chance that a good row scores above a bad one, ties counting half)
 * and the Kolmogorov-Smirnov distance between the score distributions of
 * goods and bads. One sort of the scores.
 */
#include <math.h>
#include <stdlib.h>

#include "train_internal.h"

typedef struct scored {
    double score;
    uint8_t bad;
} scored;

static int by_score(const void *pa, const void *pb)
{
    double a = ((const scored *)pa)->score, b = ((const scored *)pb)->score;
    return (a > b) - (a < b);
}

ph_status sc_auc_ks(const ph_ctx *ctx, const double *score, const uint8_t *bad, size_t rows,
                    double *auc, double *ks, ph_error *err)
{
    scored *s = ph_malloc(ctx, (rows ? rows : 1) * sizeof(*s));
    if (!s)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the training AUC");
    double goods = 0, bads = 0;
    for (size_t r = 0; r < rows; r++) {
        s[r] = (scored){score[r], bad[r]};
        bads += bad[r];
    }
    goods = (double)rows - bads;
    qsort(s, rows, sizeof(*s), by_score);
    double good_ranks = 0, seen_good = 0, seen_bad = 0, best = 0;
    for (size_t i = 0; i < rows;) {
        size_t j = i;
        double g = 0, b = 0;
        while (j < rows && s[j].score == s[i].score) {
            g += !s[j].bad;
            b += s[j].bad;
            j++;
        }
        double mean_rank = ((double)i + 1 + (double)j) / 2.0; /* ranks i+1 .. j */
        good_ranks += g * mean_rank;
        seen_good += g;
        seen_bad += b;
        best = fmax(best, fabs(seen_bad / bads - seen_good / goods));
        i = j;
    }
    ph_free(ctx, s);
    *auc = (good_ranks - goods * (goods + 1) / 2.0) / (goods * bads);
    *ks = best;
    return PH_OK;
}
