/*
 * The model report: assembling the numbers from scores (ph_model_report_from_scores)
 * and producing the scores from a model and datasets (ph_model_report_run).
 * Writing it out is report_write.c.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "governance/governance_internal.h"

static const char MISSING_SEGMENT[] = "(missing)";

void ph_model_report_free(ph_model_report *r)
{
    if (r == NULL)
        return;
    const ph_ctx *ctx = r->ctx;
    for (size_t i = 0; i < r->n_csi; i++)
        ph_free(ctx, r->csi[i].feature);
    ph_free(ctx, r->csi);
    for (size_t i = 0; i < r->n_fairness; i++) {
        ph_report_fairness *f = &r->fairness[i];
        for (size_t k = 0; k < f->n_segments; k++)
            ph_free(ctx, f->segments[k].value);
        ph_free(ctx, f->segments);
        ph_free(ctx, f->column);
    }
    ph_free(ctx, r->fairness);
    ph_free(ctx, r->model);
    ph_free(ctx, r->model_kind);
    ph_free(ctx, r->data);
    ph_free(ctx, r->target);
    ph_free(ctx, r->baseline);
    ph_free(ctx, r);
}

static ph_status no_memory(ph_error *err)
{
    return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory assembling the model report");
}

/* A copy of s ("" for NULL) into *dst. */
static ph_status copy_text(const ph_ctx *ctx, char **dst, const char *s, ph_error *err)
{
    *dst = ph_strdup(ctx, s ? s : "");
    return *dst ? PH_OK : no_memory(err);
}

/* The cut-off: given, or derived from the approval rate. */
static ph_status choose_cutoff(const ph_ctx *ctx, ph_model_report *r, const double *pd,
                               size_t n, const ph_report_options *opts, ph_error *err)
{
    double cutoff = opts ? opts->cutoff : 0.0;
    double rate = opts && opts->approval_rate != 0.0 ? opts->approval_rate
                                                      : PH_REPORT_DEFAULT_APPROVAL;
    if (cutoff != 0.0) {
        if (!(cutoff > 0.0 && cutoff <= 1.0)) {
            char value[32];
            snprintf(value, sizeof(value), "%g", cutoff);
            return ph_error_set(err, PH_EINVAL, "cutoff", value,
                                "expected a PD cut-off in (0, 1], or 0 to derive one from the "
                                "approval rate");
        }
        r->cutoff = cutoff;
    } else {
        ph_status st = ph_metric_cutoff_for_approval(ctx, pd, n, rate, &r->cutoff, err);
        if (st != PH_OK)
            return st;
        r->cutoff_derived = 1;
        r->cutoff_approval_rate = rate;
    }
    size_t approved = 0;
    for (size_t i = 0; i < n; i++)
        approved += pd[i] <= r->cutoff;
    r->approval_rate = (double)approved / (double)n;
    return PH_OK;
}

static ph_status add_stability(const ph_ctx *ctx, ph_model_report *r, const ph_report_scores *in,
                               ph_error *err)
{
    ph_status st = gov_check_pd(in->baseline_pd, in->baseline_rows, err);
    if (st != PH_OK) {
        ph_error_locate(err, "baseline", 0, 0);
        return st;
    }
    st = ph_metric_psi(ctx, in->baseline_pd, in->baseline_rows, in->pd, in->rows, &r->psi, err);
    if (st != PH_OK)
        return st;
    r->has_baseline = 1;
    r->baseline_rows = in->baseline_rows;
    st = copy_text(ctx, &r->baseline, in->baseline, err);
    if (st != PH_OK || in->n_csi == 0)
        return st;
    r->csi = ph_calloc(ctx, in->n_csi, sizeof(*r->csi));
    if (r->csi == NULL)
        return no_memory(err);
    for (size_t i = 0; i < in->n_csi; i++) {
        const ph_report_csi_input *c = &in->csi[i];
        ph_report_csi *out = &r->csi[i];
        r->n_csi = i + 1;
        st = copy_text(ctx, &out->feature, c->feature, err);
        if (st == PH_OK && c->discrete) {
            out->basis = "attribute points";
            st = ph_metric_csi_discrete(ctx, c->baseline, in->baseline_rows, c->current,
                                        in->rows, &out->csi, &out->bins, err);
        } else if (st == PH_OK) {
            ph_psi p;
            out->basis = "deciles";
            st = ph_metric_psi(ctx, c->baseline, in->baseline_rows, c->current, in->rows, &p,
                               err);
            out->csi = p.psi;
            out->bins = p.n_bins;
        }
        if (st != PH_OK) {
            ph_error_set_field(err, c->feature);
            return st;
        }
    }
    return PH_OK;
}

static ph_status add_fairness(const ph_ctx *ctx, ph_model_report *r, const ph_report_scores *in,
                              ph_error *err)
{
    r->fairness = ph_calloc(ctx, in->n_segments, sizeof(*r->fairness));
    if (r->fairness == NULL)
        return no_memory(err);
    for (size_t s = 0; s < in->n_segments; s++) {
        const ph_report_segment_input *seg = &in->segments[s];
        ph_report_fairness *f = &r->fairness[s];
        r->n_fairness = s + 1;
        ph_status st = copy_text(ctx, &f->column, seg->column, err);
        if (st != PH_OK)
            return st;
        size_t k = seg->n_values;
        f->segments = ph_calloc(ctx, k ? k : 1, sizeof(*f->segments));
        ph_fairness_group *groups = ph_calloc(ctx, k ? k : 1, sizeof(*groups));
        if (f->segments == NULL || groups == NULL) {
            ph_free(ctx, groups);
            return no_memory(err);
        }
        f->n_segments = k;
        for (size_t g = 0; st == PH_OK && g < k; g++)
            st = copy_text(ctx, &f->segments[g].value, seg->values[g], err);
        if (st == PH_OK)
            st = ph_metric_fairness(ctx, in->pd, in->bad, seg->codes, in->rows, k, r->cutoff,
                                    groups, err);
        for (size_t g = 0; st == PH_OK && g < k; g++) {
            f->segments[g].stats = groups[g];
            f->flagged += groups[g].approval_flag || groups[g].auc_flag;
        }
        ph_free(ctx, groups);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

static ph_status assemble(const ph_ctx *ctx, ph_model_report *r, const ph_report_scores *in,
                          const ph_report_options *opts, ph_error *err)
{
    ph_status st = ph_metric_binary(ctx, in->pd, in->bad, in->rows, &r->metrics, err);
    if (st == PH_OK)
        st = choose_cutoff(ctx, r, in->pd, in->rows, opts, err);
    if (st == PH_OK)
        st = ph_metric_calibration(ctx, in->pd, in->bad, in->rows, r->deciles, err);
    if (st == PH_OK && in->baseline_pd != NULL)
        st = add_stability(ctx, r, in, err);
    if (st == PH_OK && in->n_segments > 0)
        st = add_fairness(ctx, r, in, err);
    if (st == PH_OK)
        st = copy_text(ctx, &r->model, in->model, err);
    if (st == PH_OK)
        st = copy_text(ctx, &r->model_kind, in->model_kind, err);
    if (st == PH_OK)
        st = copy_text(ctx, &r->data, in->data, err);
    if (st == PH_OK)
        st = copy_text(ctx, &r->target, in->target, err);
    return st;
}

ph_status ph_model_report_from_scores(const ph_ctx *ctx, const ph_report_scores *in,
                                      const ph_report_options *opts, ph_model_report **out,
                                      ph_error *err)
{
    if (ctx == NULL || in == NULL || out == NULL || (in->n_segments > 0 && !in->segments) ||
        (in->n_csi > 0 && !in->csi))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_report_from_scores: NULL argument");
    ph_model_report *r = ph_calloc(ctx, 1, sizeof(*r));
    if (r == NULL)
        return no_memory(err);
    r->ctx = ctx;
    ph_status st = assemble(ctx, r, in, opts, err);
    if (st != PH_OK) {
        ph_model_report_free(r);
        return st;
    }
    *out = r;
    return PH_OK;
}

/* ---- from a model and datasets ---------------------------------------------- */

static void free_segment(const ph_ctx *ctx, ph_report_segment_input *s)
{
    ph_free(ctx, (void *)s->codes);
    for (size_t i = 0; s->values && i < s->n_values; i++)
        ph_free(ctx, (void *)s->values[i]);
    ph_free(ctx, (void *)s->values);
}

void gov_run_state_free(gov_run_state *s)
{
    const ph_ctx *ctx = s->ctx;
    for (size_t i = 0; s->segments && i < s->scores.n_segments; i++)
        free_segment(ctx, &s->segments[i]);
    ph_free(ctx, s->segments);
    ph_free(ctx, s->csi);
    ph_free(ctx, s->csi_values);
    ph_free(ctx, s->pd);
    ph_free(ctx, s->baseline_pd);
    ph_free(ctx, s->bad);
}

/* Score every row of ds with the model. */
static ph_status score_all(const ph_model *model, const ph_dataset *ds, double **out,
                           ph_error *err)
{
    const ph_ctx *ctx = ph_dataset_ctx(ds);
    size_t rows = ph_dataset_rows(ds);
    ph_model_input *in = NULL;
    ph_status st = ph_model_bind(model, ds, &in, err);
    if (st != PH_OK)
        return st;
    double *pd = ph_calloc(ctx, rows ? rows : 1, sizeof(double));
    if (pd == NULL)
        st = no_memory(err);
    if (st == PH_OK)
        st = ph_model_predict(in, 0, rows, pd, NULL, err);
    ph_model_input_free(in);
    if (st != PH_OK) {
        ph_free(ctx, pd);
        return st;
    }
    *out = pd;
    return PH_OK;
}

/* Segment values of a numeric column: the distinct numbers in order, each
 * named by the text of its first row (ph_dataset_cell_text). */
typedef struct distinct_value {
    double value;
    size_t row;
} distinct_value;

static int compare_distinct(const void *a, const void *b)
{
    const distinct_value *x = a, *y = b;
    int c = gov_compare_doubles(&x->value, &y->value);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

static ph_status numeric_segments(const ph_ctx *ctx, const ph_dataset *ds, size_t col,
                                  ph_report_segment_input *seg, uint32_t *codes,
                                  ph_error *err)
{
    size_t rows = ph_dataset_rows(ds);
    const double *v = ph_dataset_numeric(ds, col);
    distinct_value *d = ph_calloc(ctx, rows ? rows : 1, sizeof(*d));
    const char **values = ph_calloc(ctx, rows ? rows : 1, sizeof(char *));
    if (d == NULL || values == NULL) {
        ph_free(ctx, d);
        ph_free(ctx, values);
        return no_memory(err);
    }
    for (size_t i = 0; i < rows; i++)
        d[i] = (distinct_value){v[i], i};
    qsort(d, rows, sizeof(*d), compare_distinct);
    seg->values = values;
    ph_status st = PH_OK;
    size_t k = 0;
    for (size_t i = 0; st == PH_OK && i < rows; i++) {
        int same = i > 0 && (d[i].value == d[i - 1].value ||
                             (isnan(d[i].value) && isnan(d[i - 1].value)));
        if (!same) {
            char text[64];
            if (isnan(d[i].value))
                snprintf(text, sizeof(text), "%s", MISSING_SEGMENT);
            else
                st = ph_dataset_cell_text(ds, col, d[i].row, text, sizeof(text), err);
            if (st == PH_OK && !(values[k] = ph_strdup(ctx, text)))
                st = no_memory(err);
            seg->n_values = ++k;
        }
        codes[d[i].row] = (uint32_t)(k - 1);
    }
    ph_free(ctx, d);
    return st;
}

static ph_status categorical_segments(const ph_ctx *ctx, const ph_dataset *ds, size_t col,
                                      ph_report_segment_input *seg, uint32_t *codes,
                                      ph_error *err)
{
    size_t rows = ph_dataset_rows(ds), levels = ph_dataset_level_count(ds, col);
    const uint32_t *c = ph_dataset_codes(ds, col);
    int missing = 0;
    for (size_t i = 0; i < rows; i++) {
        missing |= c[i] == PH_DATASET_MISSING;
        codes[i] = c[i] == PH_DATASET_MISSING ? (uint32_t)levels : c[i];
    }
    size_t k = levels + (size_t)missing;
    const char **values = ph_calloc(ctx, k ? k : 1, sizeof(char *));
    if (values == NULL)
        return no_memory(err);
    seg->values = values;
    for (size_t i = 0; i < k; i++) {
        const char *text = i < levels ? ph_dataset_level(ds, col, (uint32_t)i) : MISSING_SEGMENT;
        seg->n_values = i + 1;
        if (!(values[i] = ph_strdup(ctx, text)))
            return no_memory(err);
    }
    return PH_OK;
}

static ph_status build_segments(gov_run_state *s, const ph_dataset *ds, const char *const *names,
                                ph_error *err)
{
    size_t n = 0;
    while (names && names[n])
        n++;
    if (n == 0)
        return PH_OK;
    size_t rows = ph_dataset_rows(ds);
    s->segments = ph_calloc(s->ctx, n, sizeof(*s->segments));
    if (s->segments == NULL)
        return no_memory(err);
    s->scores.segments = s->segments;
    for (size_t i = 0; i < n; i++) {
        ph_report_segment_input *seg = &s->segments[i];
        s->scores.n_segments = i + 1;
        seg->column = names[i];
        int col = ph_dataset_column_index(ds, names[i]);
        if (col < 0)
            return ph_error_set(err, PH_ENOTFOUND, "segment", names[i],
                                "expected a column of %s to compare segments by; it has no "
                                "column of this name",
                                ph_dataset_source(ds));
        uint32_t *codes = ph_calloc(s->ctx, rows ? rows : 1, sizeof(uint32_t));
        if (codes == NULL)
            return no_memory(err);
        seg->codes = codes;
        ph_status st = ph_dataset_column_kind(ds, (size_t)col) == PH_COLUMN_NUMERIC
                           ? numeric_segments(s->ctx, ds, (size_t)col, seg, codes, err)
                           : categorical_segments(s->ctx, ds, (size_t)col, seg, codes, err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

/* Feature j's CSI values for every row of ds into v: a scorecard's points
 * per characteristic (ph_model_contributions), a tree feature's values. */
static ph_status feature_values(const ph_model *model, const ph_dataset *ds, size_t nf,
                                double *const *v, ph_error *err)
{
    size_t rows = ph_dataset_rows(ds);
    if (!ph_model_has_points(model)) {
        for (size_t j = 0; j < nf; j++) {
            int col = ph_dataset_column_index(ds, ph_model_feature_name(model, j));
            const double *x = col >= 0 ? ph_dataset_numeric(ds, (size_t)col) : NULL;
            if (x == NULL) /* ph_model_bind refused this already */
                return ph_error_set(err, PH_EINVAL, "feature", ph_model_feature_name(model, j),
                                    "expected a numeric column");
            memcpy(v[j], x, rows * sizeof(double));
        }
        return PH_OK;
    }
    const ph_ctx *ctx = ph_dataset_ctx(ds);
    ph_model_input *in = NULL;
    ph_status st = ph_model_bind(model, ds, &in, err);
    double *contrib = st == PH_OK ? ph_calloc(ctx, nf + 1, sizeof(double)) : NULL;
    if (st == PH_OK && contrib == NULL)
        st = no_memory(err);
    for (size_t r = 0; st == PH_OK && r < rows; r++) {
        st = ph_model_contributions(in, r, contrib, err);
        for (size_t j = 0; st == PH_OK && j < nf; j++)
            v[j][r] = contrib[j];
    }
    ph_free(ctx, contrib);
    ph_model_input_free(in);
    return st;
}

static ph_status build_csi(gov_run_state *s, const ph_model *model, const ph_dataset *ds,
                           const ph_dataset *baseline, ph_error *err)
{
    size_t nf = ph_model_feature_count(model);
    size_t rows = ph_dataset_rows(ds), base_rows = ph_dataset_rows(baseline);
    if (nf == 0)
        return PH_OK;
    size_t per = rows + base_rows, total;
    if (__builtin_mul_overflow(per, nf, &total) || total > SIZE_MAX / sizeof(double))
        return ph_error_set(err, PH_ERANGE, NULL, NULL, "too many values for the CSI");
    s->csi = ph_calloc(s->ctx, nf, sizeof(*s->csi));
    s->csi_values = ph_calloc(s->ctx, total ? total : 1, sizeof(double));
    double **cur = ph_calloc(s->ctx, nf, sizeof(double *));
    double **base = ph_calloc(s->ctx, nf, sizeof(double *));
    ph_status st = PH_OK;
    if (!s->csi || !s->csi_values || !cur || !base)
        st = no_memory(err);
    for (size_t j = 0; st == PH_OK && j < nf; j++) {
        cur[j] = s->csi_values + j * per;
        base[j] = cur[j] + rows;
        s->csi[j] = (ph_report_csi_input){ph_model_feature_name(model, j),
                                          ph_model_has_points(model), base[j], cur[j]};
    }
    if (st == PH_OK)
        st = feature_values(model, ds, nf, cur, err);
    if (st == PH_OK)
        st = feature_values(model, baseline, nf, base, err);
    ph_free(s->ctx, cur);
    ph_free(s->ctx, base);
    if (st == PH_OK) {
        s->scores.csi = s->csi;
        s->scores.n_csi = nf;
    }
    return st;
}

/* The names of the report and the target's bad flags: what every report
 * of `ds` starts from, whoever gives the PDs. */
static ph_status start_scores(gov_run_state *s, const char *model, const char *kind,
                              const ph_dataset *ds, const ph_report_options *opts,
                              ph_error *err)
{
    size_t rows = ph_dataset_rows(ds);
    ph_report_scores *sc = &s->scores;
    sc->model = model;
    sc->model_kind = kind;
    sc->data = ph_dataset_source(ds);
    sc->target = opts->target;
    sc->rows = rows;
    s->bad = ph_calloc(s->ctx, rows ? rows : 1, 1);
    if (s->bad == NULL)
        return no_memory(err);
    return ph_dataset_binary_target(ds, opts->target, opts->bad_label, s->bad, err);
}

static ph_status prepare_scores(gov_run_state *s, const ph_model *model, const ph_dataset *ds,
                         const ph_report_options *opts, ph_error *err)
{
    ph_report_scores *sc = &s->scores;
    ph_status st = start_scores(s, ph_model_source(model),
                                ph_model_kind_name(ph_model_kind_of(model)), ds, opts, err);
    if (st == PH_OK)
        st = score_all(model, ds, &s->pd, err);
    if (st == PH_OK)
        st = build_segments(s, ds, opts->segments, err);
    if (st == PH_OK && opts->baseline != NULL) {
        st = score_all(model, opts->baseline, &s->baseline_pd, err);
        if (st == PH_OK)
            st = build_csi(s, model, ds, opts->baseline, err);
        sc->baseline = ph_dataset_source(opts->baseline);
        sc->baseline_rows = ph_dataset_rows(opts->baseline);
        sc->baseline_pd = s->baseline_pd;
    }
    sc->pd = s->pd;
    sc->bad = s->bad;
    return st;
}

ph_status gov_report_prepare(gov_run_state *s, const ph_model *model, const ph_dataset *ds,
                             const ph_report_options *opts, ph_error *err)
{
    memset(s, 0, sizeof(*s));
    s->ctx = ph_dataset_ctx(ds);
    const ph_scorecard *sc = ph_model_scorecard(model);
    if (sc != NULL && !ph_scorecard_scale(sc, NULL, NULL, NULL))
        return ph_error_set(err, PH_EINVAL, "model", ph_model_source(model),
                            "this scorecard gives points only (no scale from points to a "
                            "probability of default), and the report measures PDs");
    return prepare_scores(s, model, ds, opts, err);
}

ph_status ph_model_report_run(const ph_model *model, const ph_dataset *ds,
                              const ph_report_options *opts, ph_model_report **out,
                              ph_error *err)
{
    if (model == NULL || ds == NULL || opts == NULL || opts->target == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_report_run: model, ds, opts, opts->target and out must "
                            "not be NULL");
    gov_run_state s;
    ph_status st = gov_report_prepare(&s, model, ds, opts, err);
    if (st == PH_OK)
        st = ph_model_report_from_scores(s.ctx, &s.scores, opts, out, err);
    gov_run_state_free(&s);
    return st;
}

/* ---- a report of a PD column (a bureau's score, the truth's PD) ---------------------------- */

/* The column's PDs, copied: numeric, each in [0, 1] and present. */
static ph_status column_pd(const ph_dataset *ds, const char *column, double **out,
                           ph_error *err)
{
    const ph_ctx *ctx = ph_dataset_ctx(ds);
    int at = ph_dataset_column_index(ds, column);
    if (at < 0)
        return ph_error_set(err, PH_ENOTFOUND, "pd column", column,
                            "expected a column of %s, which has no column of this name",
                            ph_dataset_source(ds));
    const double *v = ph_dataset_numeric(ds, (size_t)at);
    if (v == NULL)
        return ph_error_set(err, PH_EINVAL, "pd column", column,
                            "expected a numeric column of probabilities in %s, got text",
                            ph_dataset_source(ds));
    size_t rows = ph_dataset_rows(ds);
    for (size_t r = 0; r < rows; r++)
        if (!(v[r] >= 0.0 && v[r] <= 1.0)) {
            char value[32] = "";
            if (!isnan(v[r]))
                snprintf(value, sizeof(value), "%.17g", v[r]);
            ph_error_set(err, PH_EINVAL, column, value,
                         "expected a probability in [0, 1] on every row%s",
                         isnan(v[r]) ? ", got a missing value" : "");
            ph_error_locate(err, ph_dataset_source(ds), ph_dataset_row_line(ds, r), 0);
            return PH_EINVAL;
        }
    double *pd = ph_malloc(ctx, (rows ? rows : 1) * sizeof(double));
    if (pd == NULL)
        return no_memory(err);
    memcpy(pd, v, rows * sizeof(double));
    *out = pd;
    return PH_OK;
}

ph_status ph_model_report_column(const ph_dataset *ds, const char *column,
                                 const ph_report_options *opts, ph_model_report **out,
                                 ph_error *err)
{
    if (ds == NULL || column == NULL || opts == NULL || opts->target == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_report_column: ds, column, opts, opts->target and out "
                            "must not be NULL");
    gov_run_state s;
    memset(&s, 0, sizeof(s));
    s.ctx = ph_dataset_ctx(ds);
    ph_report_scores *sc = &s.scores;
    ph_status st = start_scores(&s, column, "PD column", ds, opts, err);
    if (st == PH_OK)
        st = column_pd(ds, column, &s.pd, err);
    if (st == PH_OK)
        st = build_segments(&s, ds, opts->segments, err);
    if (st == PH_OK && opts->baseline != NULL) {
        st = column_pd(opts->baseline, column, &s.baseline_pd, err);
        sc->baseline = ph_dataset_source(opts->baseline);
        sc->baseline_rows = ph_dataset_rows(opts->baseline);
        sc->baseline_pd = s.baseline_pd;
    }
    sc->pd = s.pd;
    sc->bad = s.bad;
    if (st == PH_OK)
        st = ph_model_report_from_scores(s.ctx, sc, opts, out, err);
    gov_run_state_free(&s);
    return st;
}
