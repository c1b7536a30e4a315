/*
 * Binning of a numeric variable: fine classes at quantiles, then adjacent
 * classes merged until the bad rate is monotone in the variable's direction
 * and every bin holds at least the minimum share of rows. Missing values and
 * each special value present get a bin of their own (exempt from the minimum
 * share: they mean something else than their neighbours).
 *
 * The fine classes of a column cost one (radix) sort of its values; each row is
 * then placed by a binary search among at most fine_bins - 1 cut points.
 */
#include <math.h>
#include <string.h>

#include "train_internal.h"

/* Bad rate comparisons by cross-multiplication, exact for runs below 2^26
 * rows each (products below 2^53), which keeps ties exact. */
static int rate_less(const sc_run *a, const sc_run *b)
{
    return (double)a->bads * (double)b->count < (double)b->bads * (double)a->count;
}

static double rate(const sc_run *r)
{
    return r->count ? (double)r->bads / (double)r->count : 0.0;
}

static void merge_into(sc_run *a, const sc_run *b)
{
    a->last = b->last;
    a->count += b->count;
    a->bads += b->bads;
}

void sc_runs_make_monotone(sc_run *runs, size_t *n, int increasing)
{
    size_t out = 0;
    for (size_t i = 0; i < *n; i++) {
        runs[out++] = runs[i];
        while (out >= 2) {
            const sc_run *a = &runs[out - 2], *b = &runs[out - 1];
            int ordered = increasing ? rate_less(a, b) : rate_less(b, a);
            if (ordered)
                break;
            merge_into(&runs[out - 2], &runs[out - 1]);
            out--;
        }
    }
    *n = out;
}

static void remove_run(sc_run *runs, size_t *n, size_t at)
{
    memmove(&runs[at], &runs[at + 1], (*n - at - 1) * sizeof(*runs));
    (*n)--;
}

void sc_runs_enforce_min_count(sc_run *runs, size_t *n, uint64_t min_count)
{
    while (*n > 1) {
        size_t small = *n;
        for (size_t i = 0; i < *n; i++) {
            if (runs[i].count < min_count && (small == *n || runs[i].count < runs[small].count))
                small = i;
        }
        if (small == *n)
            return;
        /* Merge with the neighbour whose bad rate is closer (the left on a
         * tie): in a monotone sequence either keeps it monotone. */
        int left = small == *n - 1;
        if (small > 0 && small < *n - 1) {
            double r = rate(&runs[small]);
            left = fabs(r - rate(&runs[small - 1])) <= fabs(rate(&runs[small + 1]) - r);
        }
        size_t a = left ? small - 1 : small;
        merge_into(&runs[a], &runs[a + 1]);
        remove_run(runs, n, a + 1);
    }
}

/* Index of the fine class of v: the number of cuts <= v. */
static size_t fine_class(const double *cuts, size_t n_cuts, double v)
{
    size_t lo = 0, hi = n_cuts;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cuts[mid] <= v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int special_index(const sc_bin_params *p, double v)
{
    for (size_t s = 0; s < p->n_special_values; s++) {
        if (p->special_values[s] == v)
            return (int)s;
    }
    return -1;
}

/* The row-level correlation sign of fine class index and bad, from the fine
 * classes' counts: a rank correlation of the value with the target. */
static ph_sc_direction detect_direction(const sc_run *fine, size_t n)
{
    double w = 0, si = 0, sr = 0;
    for (size_t i = 0; i < n; i++) {
        w += (double)fine[i].count;
        si += (double)fine[i].count * (double)i;
        sr += (double)fine[i].bads;
    }
    if (w == 0)
        return PH_SC_DIRECTION_INCREASING;
    double mean_i = si / w, mean_r = sr / w, cov = 0;
    for (size_t i = 0; i < n; i++)
        cov += (double)fine[i].count * ((double)i - mean_i) * (rate(&fine[i]) - mean_r);
    return cov >= 0 ? PH_SC_DIRECTION_INCREASING : PH_SC_DIRECTION_DECREASING;
}

/* Working memory of one numeric binning. */
typedef struct numeric_work {
    double *values;  /* the regular (not missing, not special) values, sorted */
    size_t n_values;
    uint64_t *keys;  /* 2 x rows: scratch of the sort */
    double *cuts;    /* fine class lower edges after the first */
    size_t n_cuts;
    sc_run *runs;    /* fine classes, merged in place */
    size_t n_runs;
    sc_run *special; /* counts per special value */
    sc_run missing;
} numeric_work;

static void work_free(const ph_ctx *ctx, numeric_work *w)
{
    ph_free(ctx, w->values);
    ph_free(ctx, w->keys);
    ph_free(ctx, w->cuts);
    ph_free(ctx, w->runs);
    ph_free(ctx, w->special);
}

/* Pass 1: missing and special counts; the regular values, sorted; the cut
 * points at the quantiles k/fine_bins (each a value of the data, distinct). */
static void fine_cuts(const double *x, const sc_bin_params *p, numeric_work *w)
{
    for (size_t r = 0; r < p->rows; r++) {
        double v = x[r];
        int s;
        if (isnan(v)) {
            w->missing.count++;
            w->missing.bads += p->bad[r];
        } else if ((s = special_index(p, v)) >= 0) {
            w->special[s].count++;
            w->special[s].bads += p->bad[r];
        } else {
            w->values[w->n_values++] = v;
        }
    }
    sc_sort_doubles(w->values, w->n_values, w->keys, w->keys + p->rows);
    for (size_t k = 1; w->n_values && k < p->fine_bins; k++) {
        double c = w->values[(size_t)((double)k * (double)w->n_values / (double)p->fine_bins)];
        if (c > w->values[0] && (w->n_cuts == 0 || c > w->cuts[w->n_cuts - 1]))
            w->cuts[w->n_cuts++] = c;
    }
}

/* Pass 2: each regular row's fine class (kept in row_bin for the final map)
 * and the classes' counts; specials and missing get codes after them. */
static void fine_counts(const double *x, const sc_bin_params *p, numeric_work *w,
                        uint16_t *row_bin)
{
    size_t n_fine = w->n_cuts + 1;
    for (size_t i = 0; i < n_fine; i++)
        w->runs[i] = (sc_run){i, i, 0, 0};
    w->n_runs = w->n_values ? n_fine : 0;
    for (size_t r = 0; r < p->rows; r++) {
        double v = x[r];
        int s;
        size_t code;
        if (isnan(v)) {
            code = n_fine + p->n_special_values;
        } else if ((s = special_index(p, v)) >= 0) {
            code = n_fine + (size_t)s;
        } else {
            code = fine_class(w->cuts, w->n_cuts, v);
            w->runs[code].count++;
            w->runs[code].bads += p->bad[r];
        }
        row_bin[r] = (uint16_t)code;
    }
}

/* Coarse bins: present specials, then the ranges, then missing (always). */
static ph_status build_bins(const ph_ctx *ctx, const sc_bin_params *p, numeric_work *w,
                            sc_var *var, ph_error *err)
{
    size_t n_fine = w->n_cuts + 1;
    size_t n_ranges = w->n_runs ? w->n_runs : 1;
    size_t cap = p->n_special_values + n_ranges + 1;
    uint16_t *map = ph_malloc(ctx, (n_fine + p->n_special_values + 1) * sizeof(uint16_t));
    var->bins = ph_calloc(ctx, cap, sizeof(sc_bin));
    if (!map || !var->bins) {
        ph_free(ctx, map);
        return ph_error_set(err, PH_ENOMEM, var->name, NULL, "out of memory binning");
    }
    size_t b = 0;
    for (size_t s = 0; s < p->n_special_values; s++) {
        if (!w->special[s].count)
            continue;
        var->bins[b] = (sc_bin){.kind = SC_BIN_SPECIAL, .low = p->special_values[s],
                                .high = p->special_values[s], .count = w->special[s].count,
                                .bads = w->special[s].bads};
        map[n_fine + s] = (uint16_t)b++;
    }
    if (!w->n_runs) /* no regular value: one empty range keeps the line covered */
        var->bins[b++] = (sc_bin){.kind = SC_BIN_RANGE, .low = -INFINITY, .high = INFINITY};
    for (size_t i = 0; i < w->n_runs; i++) {
        const sc_run *run = &w->runs[i];
        var->bins[b] = (sc_bin){.kind = SC_BIN_RANGE,
                                .low = run->first == 0 ? -INFINITY : w->cuts[run->first - 1],
                                .high = run->last == n_fine - 1 ? INFINITY : w->cuts[run->last],
                                .count = run->count, .bads = run->bads};
        for (size_t f = run->first; f <= run->last; f++)
            map[f] = (uint16_t)b;
        b++;
    }
    var->bins[b] = (sc_bin){.kind = SC_BIN_MISSING, .count = w->missing.count,
                            .bads = w->missing.bads};
    map[n_fine + p->n_special_values] = (uint16_t)b++;
    var->n_bins = b;
    for (size_t r = 0; r < p->rows; r++)
        var->row_bin[r] = map[var->row_bin[r]];
    ph_free(ctx, map);
    return PH_OK;
}

ph_status sc_bin_numeric(const ph_ctx *ctx, const ph_dataset *ds, const sc_bin_params *p,
                         sc_var *var, ph_error *err)
{
    const double *x = ph_dataset_numeric(ds, var->column);
    size_t rows = p->rows ? p->rows : 1;
    numeric_work w = {0};
    w.values = ph_malloc(ctx, rows * sizeof(double));
    w.keys = ph_malloc(ctx, 2 * rows * sizeof(uint64_t));
    w.cuts = ph_malloc(ctx, p->fine_bins * sizeof(double));
    w.runs = ph_malloc(ctx, p->fine_bins * sizeof(sc_run));
    w.special = ph_calloc(ctx, p->n_special_values + 1, sizeof(sc_run));
    var->row_bin = ph_malloc(ctx, rows * sizeof(uint16_t));
    if (!w.values || !w.keys || !w.cuts || !w.runs || !w.special || !var->row_bin) {
        work_free(ctx, &w);
        return ph_error_set(err, PH_ENOMEM, var->name, NULL, "out of memory binning");
    }
    fine_cuts(x, p, &w);
    fine_counts(x, p, &w, var->row_bin);
    if (var->direction == PH_SC_DIRECTION_AUTO)
        var->direction = detect_direction(w.runs, w.n_runs);
    if (var->monotone)
        sc_runs_make_monotone(w.runs, &w.n_runs,
                              var->direction == PH_SC_DIRECTION_INCREASING);
    sc_runs_enforce_min_count(w.runs, &w.n_runs, p->min_count);
    ph_status st = build_bins(ctx, p, &w, var, err);
    work_free(ctx, &w);
    return st;
}

void sc_var_clear(const ph_ctx *ctx, sc_var *var)
{
    for (size_t b = 0; b < var->n_bins; b++)
        ph_free(ctx, var->bins[b].codes);
    ph_free(ctx, var->bins);
    ph_free(ctx, var->row_bin);
    var->bins = NULL;
    var->row_bin = NULL;
    var->n_bins = 0;
}
