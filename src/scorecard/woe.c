/*
 * Weight of evidence and information value.
 *
 *   WOE_b = ln( ((goods_b + s) / G) / ((bads_b + s) / B) ),  s = 0.5
 *   IV    = sum over bins of (goods_b / G - bads_b / B) * WOE_b
 *
 * The smoothing s keeps a bin without goods or without bads finite; the IV
 * weights use the raw shares so empty bins add nothing. A bin that saw no
 * training row at all (missing when nothing was missing, "other" for levels
 * never seen) has no evidence, and a firm with no data must not look safe:
 * it takes the riskiest (lowest) WOE of the variable's other bins.
 */
#include <math.h>

#include "train_internal.h"

void sc_woe_compute(sc_var *var, uint64_t goods, uint64_t bads)
{
    double g_total = (double)goods, b_total = (double)bads;
    double riskiest = INFINITY;
    var->iv = 0.0;
    for (size_t i = 0; i < var->n_bins; i++) {
        sc_bin *b = &var->bins[i];
        if (!b->count)
            continue;
        double g = (double)(b->count - b->bads), bad = (double)b->bads;
        b->woe = log(((g + SC_WOE_SMOOTHING) / g_total) / ((bad + SC_WOE_SMOOTHING) / b_total));
        var->iv += (g / g_total - bad / b_total) * b->woe;
        if (b->woe < riskiest)
            riskiest = b->woe;
    }
    if (isinf(riskiest)) /* no bin holds a row: only possible with no rows */
        riskiest = 0.0;
    for (size_t i = 0; i < var->n_bins; i++) {
        if (!var->bins[i].count)
            var->bins[i].woe = riskiest;
    }
}

ph_status sc_woe_matrix(const ph_ctx *ctx, const sc_var *vars, const size_t *cols, size_t k,
                        size_t rows, double **out, ph_error *err)
{
    size_t cells;
    if (__builtin_mul_overflow(rows, k ? k : 1, &cells) ||
        __builtin_mul_overflow(cells, sizeof(double), &cells))
        return ph_error_set(err, PH_ERANGE, NULL, NULL, "the WOE matrix of %zu rows overflows",
                            rows);
    double *x = ph_malloc(ctx, cells ? cells : 1);
    if (!x)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL,
                            "out of memory for the WOE matrix (%zu rows x %zu columns)", rows, k);
    for (size_t j = 0; j < k; j++) {
        const sc_var *v = &vars[cols[j]];
        for (size_t r = 0; r < rows; r++)
            x[r * k + j] = v->bins[v->row_bin[r]].woe;
    }
    *out = x;
    return PH_OK;
}
