/*
 * Grouping of a categorical variable: its levels sorted by bad rate, then
 * neighbours in that order merged (levels with the same bad rate, then
 * groups below the minimum share into the closer neighbour) the way numeric
 * fine classes are. Bins: the groups, missing, and "other" for a level not
 * seen in training (which includes levels of the file that no training row
 * uses).
 */
#include <stdlib.h>
#include <string.h>

#include "train_internal.h"

typedef struct level_stat {
    uint32_t code;
    uint64_t count, bads;
} level_stat;

static int by_bad_rate(const void *pa, const void *pb)
{
    const level_stat *a = pa, *b = pb;
    double l = (double)a->bads * (double)b->count, r = (double)b->bads * (double)a->count;
    if (l != r)
        return l < r ? -1 : 1;
    return (a->code > b->code) - (a->code < b->code);
}

/* Count rows and bads per level; missing counted apart. */
static void count_levels(const uint32_t *codes, const sc_bin_params *p, level_stat *lv,
                         size_t n_levels, sc_run *missing)
{
    for (size_t l = 0; l < n_levels; l++)
        lv[l] = (level_stat){(uint32_t)l, 0, 0};
    for (size_t r = 0; r < p->rows; r++) {
        if (codes[r] == PH_DATASET_MISSING) {
            missing->count++;
            missing->bads += p->bad[r];
        } else {
            lv[codes[r]].count++;
            lv[codes[r]].bads += p->bad[r];
        }
    }
}

static ph_status group_bins(const ph_ctx *ctx, const level_stat *lv, const sc_run *runs,
                            size_t n_runs, const sc_run *missing, sc_var *var,
                            uint16_t *level_bin, ph_error *err)
{
    var->bins = ph_calloc(ctx, n_runs + 2, sizeof(sc_bin));
    if (!var->bins)
        return ph_error_set(err, PH_ENOMEM, var->name, NULL, "out of memory grouping levels");
    var->n_bins = n_runs + 2;
    for (size_t g = 0; g < n_runs; g++) {
        sc_bin *b = &var->bins[g];
        b->kind = SC_BIN_LEVELS;
        b->count = runs[g].count;
        b->bads = runs[g].bads;
        b->n_codes = runs[g].last - runs[g].first + 1;
        if (!(b->codes = ph_malloc(ctx, b->n_codes * sizeof(uint32_t))))
            return ph_error_set(err, PH_ENOMEM, var->name, NULL, "out of memory grouping levels");
        for (size_t i = 0; i < b->n_codes; i++) {
            b->codes[i] = lv[runs[g].first + i].code;
            level_bin[b->codes[i]] = (uint16_t)g;
        }
    }
    var->bins[n_runs] = (sc_bin){.kind = SC_BIN_MISSING, .count = missing->count,
                                 .bads = missing->bads};
    var->bins[n_runs + 1] = (sc_bin){.kind = SC_BIN_OTHER};
    return PH_OK;
}

ph_status sc_bin_categorical(const ph_ctx *ctx, const ph_dataset *ds, const sc_bin_params *p,
                             sc_var *var, ph_error *err)
{
    const uint32_t *codes = ph_dataset_codes(ds, var->column);
    size_t n_levels = ph_dataset_level_count(ds, var->column);
    if (n_levels > UINT16_MAX - 2)
        return ph_error_set(err, PH_ERANGE, var->name, NULL,
                            "expected at most %d distinct values in a categorical column, "
                            "got %zu",
                            UINT16_MAX - 2, n_levels);
    size_t alloc = n_levels ? n_levels : 1;
    level_stat *lv = ph_malloc(ctx, alloc * sizeof(*lv));
    sc_run *runs = ph_malloc(ctx, alloc * sizeof(*runs));
    uint16_t *level_bin = ph_malloc(ctx, alloc * sizeof(uint16_t));
    var->row_bin = ph_malloc(ctx, (p->rows ? p->rows : 1) * sizeof(uint16_t));
    ph_status st = PH_OK;
    if (!lv || !runs || !level_bin || !var->row_bin)
        st = ph_error_set(err, PH_ENOMEM, var->name, NULL, "out of memory grouping levels");
    if (st == PH_OK) {
        sc_run missing = {0};
        count_levels(codes, p, lv, n_levels, &missing);
        /* Levels no row uses drop out here and score as "other". */
        size_t used = 0;
        for (size_t l = 0; l < n_levels; l++) {
            if (lv[l].count)
                lv[used++] = lv[l];
        }
        qsort(lv, used, sizeof(*lv), by_bad_rate);
        for (size_t i = 0; i < used; i++)
            runs[i] = (sc_run){i, i, lv[i].count, lv[i].bads};
        size_t n_runs = used;
        sc_runs_make_monotone(runs, &n_runs, 1); /* merges equal bad rates */
        sc_runs_enforce_min_count(runs, &n_runs, p->min_count);
        st = group_bins(ctx, lv, runs, n_runs, &missing, var, level_bin, err);
        for (size_t r = 0; st == PH_OK && r < p->rows; r++)
            var->row_bin[r] = codes[r] == PH_DATASET_MISSING ? (uint16_t)n_runs
                                                             : level_bin[codes[r]];
    }
    ph_free(ctx, lv);
    ph_free(ctx, runs);
    ph_free(ctx, level_bin);
    return st;
}
