/*
 * Writing the model report: aligned text tables for a reviewer, and one
 * JSON document for programs (and for the registry's metrics).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "governance/governance_internal.h"

/* ---- a small aligned table -------------------------------------------------- */

#define TABLE_MAX_COLUMNS 10
#define CELL_MAX 96

typedef struct text_table {
    const ph_ctx *ctx;
    size_t columns, rows, cap;
    const int *right;               /* per column: right-aligned (numbers) */
    char (*cells)[TABLE_MAX_COLUMNS][CELL_MAX];
    int failed;                     /* out of memory */
} text_table;

/* Terminal columns of UTF-8 text: East Asian wide characters count two, so
 * that a table of Chinese segment names stays aligned. */
static size_t display_width(const char *text)
{
    static const struct {
        unsigned first, last;
    } wide[] = {{0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf},
                {0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
                {0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x20000, 0x3fffd}};
    const unsigned char *s = (const unsigned char *)text;
    size_t width = 0;
    while (*s) {
        unsigned cp = *s, n = 1;
        if (*s >= 0xf0)
            cp = *s & 0x07u, n = 4;
        else if (*s >= 0xe0)
            cp = *s & 0x0fu, n = 3;
        else if (*s >= 0xc0)
            cp = *s & 0x1fu, n = 2;
        for (unsigned i = 1; i < n && s[i]; i++)
            cp = (cp << 6) | (s[i] & 0x3fu);
        for (unsigned i = 0; i < n && *s; i++)
            s++;
        int is_wide = 0;
        for (size_t k = 0; k < sizeof(wide) / sizeof(wide[0]) && !is_wide; k++)
            is_wide = cp >= wide[k].first && cp <= wide[k].last;
        width += is_wide ? 2 : 1;
    }
    return width;
}

static void table_add(text_table *t, const char *const *cells)
{
    if (t->failed)
        return;
    if (t->rows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        void *grown = ph_realloc(t->ctx, t->cells, cap * sizeof(*t->cells));
        if (grown == NULL) {
            t->failed = 1;
            return;
        }
        t->cells = grown;
        t->cap = cap;
    }
    for (size_t c = 0; c < t->columns; c++)
        snprintf(t->cells[t->rows][c], CELL_MAX, "%s", cells[c]);
    t->rows++;
}

/* Print with two spaces of indent and two between columns; row 0 is the
 * header. No trailing blanks after a left-aligned last column. */
static void table_print(const text_table *t, FILE *out)
{
    size_t widths[TABLE_MAX_COLUMNS] = {0};
    for (size_t r = 0; r < t->rows; r++)
        for (size_t c = 0; c < t->columns; c++) {
            size_t w = display_width(t->cells[r][c]);
            widths[c] = w > widths[c] ? w : widths[c];
        }
    for (size_t r = 0; r < t->rows; r++) {
        fputs("  ", out);
        for (size_t c = 0; c < t->columns; c++) {
            const char *cell = t->cells[r][c];
            size_t pad = widths[c] - display_width(cell);
            int last_left = c + 1 == t->columns && !t->right[c];
            if (last_left && cell[0] == '\0')
                break; /* no trailing blanks */
            if (c > 0)
                fputs("  ", out);
            if (t->right[c])
                fprintf(out, "%*s%s", (int)pad, "", cell);
            else if (!last_left)
                fprintf(out, "%s%*s", cell, (int)pad, "");
            else
                fputs(cell, out);
        }
        fputc('\n', out);
    }
}

/* ---- text ----------------------------------------------------------------------- */

/* A number with `decimals` decimals, or "n/a" when undefined. */
static const char *num(char *buf, size_t size, double v, int decimals)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.*f", decimals, v);
    return buf;
}

static const char *pct(char *buf, size_t size, double v)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, "%.2f%%", 100.0 * v);
    return buf;
}

static const char *stability_reading(double psi)
{
    return psi < 0.10 ? "stable" : psi <= 0.25 ? "watch" : "shifted";
}

static void write_performance(const ph_model_report *r, FILE *out)
{
    const ph_binary_metrics *m = &r->metrics;
    char b[64], b2[64];
    fprintf(out, "Model report\n");
    fprintf(out, "  model    %s (%s)\n", r->model, r->model_kind);
    fprintf(out, "  data     %s: %zu rows, %zu bad (%s)\n", r->data, m->n, m->bads,
            pct(b, sizeof(b), m->bad_rate));
    fprintf(out, "  target   %s\n\n", r->target);
    fprintf(out, "Performance\n");
    fprintf(out, "  AUC      %.4f  (Hunan scenario models need >= 0.85: %s)\n", m->auc,
            m->auc >= 0.85 ? "met" : "NOT met");
    fprintf(out, "  Gini     %.4f\n", m->gini);
    fprintf(out, "  KS       %.4f  at PD <= %.4f\n", m->ks, m->ks_at);
    fprintf(out, "  Brier    %.4f\n", m->brier);
    if (r->cutoff_derived)
        fprintf(out, "  cut-off  PD <= %.4f (derived: the PD that approves %s of the sample); "
                     "approves %s\n\n",
                r->cutoff, pct(b, sizeof(b), r->cutoff_approval_rate),
                pct(b2, sizeof(b2), r->approval_rate));
    else
        fprintf(out, "  cut-off  PD <= %.4f (given); approves %s\n\n", r->cutoff,
                pct(b, sizeof(b), r->approval_rate));
}

static void write_calibration(const ph_model_report *r, FILE *out, text_table *t)
{
    static const int right[] = {1, 1, 1, 1, 1, 1, 1};
    static const char *const head[] = {"decile", "rows",    "bads",    "PD from",
                                       "PD to",  "mean PD", "bad rate"};
    *t = (text_table){.ctx = r->ctx, .columns = 7, .right = right};
    table_add(t, head);
    for (size_t g = 0; g < PH_DECILES; g++) {
        const ph_calibration_bin *d = &r->deciles[g];
        char c[7][32];
        snprintf(c[0], 32, "%zu", g + 1);
        snprintf(c[1], 32, "%zu", d->count);
        snprintf(c[2], 32, "%zu", d->bads);
        num(c[3], 32, d->pd_min, 4);
        num(c[4], 32, d->pd_max, 4);
        num(c[5], 32, d->mean_pd, 4);
        num(c[6], 32, d->bad_rate, 4);
        const char *cells[] = {c[0], c[1], c[2], c[3], c[4], c[5], c[6]};
        table_add(t, cells);
    }
    fprintf(out, "Calibration by decile of predicted PD (1 = lowest PD; equal PDs share a "
                 "decile)\n");
    table_print(t, out);
    fputc('\n', out);
}

static void bin_range(char *buf, size_t size, const ph_psi_bin *b)
{
    if (isnan(b->upper))
        snprintf(buf, size, "missing");
    else if (isinf(b->lower) && isinf(b->upper))
        snprintf(buf, size, "all");
    else if (isinf(b->lower))
        snprintf(buf, size, "<= %.4f", b->upper);
    else if (isinf(b->upper))
        snprintf(buf, size, "> %.4f", b->lower);
    else
        snprintf(buf, size, "%.4f - %.4f", b->lower, b->upper);
}

static void write_stability(const ph_model_report *r, FILE *out, text_table *t, text_table *u)
{
    static const int right_psi[] = {0, 1, 1, 1, 1, 1};
    static const char *const head_psi[] = {"PD bin", "baseline", "share", "current", "share",
                                           "PSI part"};
    fprintf(out, "Stability against %s (%zu rows)\n", r->baseline, r->baseline_rows);
    fprintf(out, "  PSI of the PD  %.4f (%s; < 0.10 stable, 0.10-0.25 watch, > 0.25 shifted)\n",
            r->psi.psi, stability_reading(r->psi.psi));
    *t = (text_table){.ctx = r->ctx, .columns = 6, .right = right_psi};
    table_add(t, head_psi);
    for (size_t i = 0; i < r->psi.n_bins; i++) {
        const ph_psi_bin *b = &r->psi.bins[i];
        char c[6][48];
        bin_range(c[0], 48, b);
        snprintf(c[1], 48, "%zu", b->base_count);
        pct(c[2], 48, b->base_share);
        snprintf(c[3], 48, "%zu", b->cur_count);
        pct(c[4], 48, b->cur_share);
        snprintf(c[5], 48, "%.4f", b->contribution);
        const char *cells[] = {c[0], c[1], c[2], c[3], c[4], c[5]};
        table_add(t, cells);
    }
    table_print(t, out);
    if (r->n_csi == 0) {
        fputc('\n', out);
        return;
    }
    static const int right_csi[] = {0, 0, 1, 1, 0};
    static const char *const head_csi[] = {"feature", "binned by", "bins", "CSI", "reading"};
    *u = (text_table){.ctx = r->ctx, .columns = 5, .right = right_csi};
    table_add(u, head_csi);
    for (size_t i = 0; i < r->n_csi; i++) {
        const ph_report_csi *c = &r->csi[i];
        char bins[24], csi[32];
        snprintf(bins, sizeof(bins), "%zu", c->bins);
        snprintf(csi, sizeof(csi), "%.4f", c->csi);
        const char *cells[] = {c->feature, c->basis, bins, csi, stability_reading(c->csi)};
        table_add(u, cells);
    }
    fprintf(out, "\nCharacteristic stability (CSI) per model feature\n");
    table_print(u, out);
    fputc('\n', out);
}

static void write_fairness(const ph_model_report *r, const ph_report_fairness *f, FILE *out,
                           text_table *t)
{
    static const int right[] = {0, 1, 1, 1, 1, 1, 1, 0};
    static const char *const head[] = {"segment", "rows",      "bad rate", "approved",
                                       "ratio",   "AUC",       "ratio",    "flags"};
    *t = (text_table){.ctx = r->ctx, .columns = 8, .right = right};
    table_add(t, head);
    for (size_t i = 0; i < f->n_segments; i++) {
        const ph_fairness_group *g = &f->segments[i].stats;
        char c[7][32], flags[48];
        snprintf(c[0], 32, "%zu", g->count);
        pct(c[1], 32, g->bad_rate);
        pct(c[2], 32, g->approval_rate);
        num(c[3], 32, g->approval_ratio, 2);
        num(c[4], 32, g->auc, 4);
        num(c[5], 32, g->auc_ratio, 2);
        snprintf(flags, sizeof(flags), "%s%s%s", g->approval_flag ? "approval" : "",
                 g->approval_flag && g->auc_flag ? "," : "", g->auc_flag ? "auc" : "");
        const char *cells[] = {f->segments[i].value, c[0], c[1], c[2], c[3], c[4], c[5], flags};
        table_add(t, cells);
    }
    fprintf(out, "Fairness by %s (approved: PD <= %.4f; ratio: to the best segment)\n",
            f->column, r->cutoff);
    table_print(t, out);
    fprintf(out, "  %zu segment%s flagged (ratio below %.2f, the four-fifths rule: a signal "
                 "to review, not a finding of discrimination)\n\n",
            f->flagged, f->flagged == 1 ? "" : "s", PH_FOUR_FIFTHS);
}

static ph_status written(FILE *out, int table_failed, ph_error *err)
{
    if (table_failed)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory writing the report");
    if (fflush(out) != 0 || ferror(out))
        return ph_error_set(err, PH_EIO, "report", NULL, "cannot write the report: %s",
                            strerror(errno));
    return PH_OK;
}

ph_status ph_model_report_write_text(const ph_model_report *r, FILE *out, ph_error *err)
{
    if (r == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_report_write_text: NULL argument");
    text_table t, u = {0};
    int failed = 0;
    write_performance(r, out);
    write_calibration(r, out, &t);
    failed |= t.failed;
    ph_free(r->ctx, t.cells);
    if (r->has_baseline) {
        write_stability(r, out, &t, &u);
        failed |= t.failed | u.failed;
        ph_free(r->ctx, t.cells);
        ph_free(r->ctx, u.cells);
    } else {
        fprintf(out, "Stability: no baseline given (--baseline), no PSI or CSI\n\n");
    }
    for (size_t i = 0; i < r->n_fairness; i++) {
        write_fairness(r, &r->fairness[i], out, &t);
        failed |= t.failed;
        ph_free(r->ctx, t.cells);
    }
    return written(out, failed, err);
}

/* ---- JSON ------------------------------------------------------------------------ */

/* A number, or null when it is not finite. Reals are written with 15
 * significant digits (0.4, not 0.40000000000000002): more than any metric
 * here means, and what a reader expects. */
static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *metrics_json(const ph_model_report *r)
{
    const ph_binary_metrics *m = &r->metrics;
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "rows", (json_int_t)m->n,
                     "bads", (json_int_t)m->bads, "bad_rate", jnum(m->bad_rate), "auc",
                     jnum(m->auc), "gini", jnum(m->gini), "ks", jnum(m->ks), "ks_at",
                     jnum(m->ks_at), "brier", jnum(m->brier), "psi",
                     r->has_baseline ? jnum(r->psi.psi) : json_null());
}

static json_t *deciles_json(const ph_model_report *r)
{
    json_t *a = json_array();
    for (size_t g = 0; g < PH_DECILES; g++) {
        const ph_calibration_bin *d = &r->deciles[g];
        json_array_append_new(a, json_pack("{s:I, s:I, s:I, s:o, s:o, s:o, s:o}", "decile",
                                           (json_int_t)(g + 1), "rows", (json_int_t)d->count,
                                           "bads", (json_int_t)d->bads, "pd_min",
                                           jnum(d->pd_min), "pd_max", jnum(d->pd_max),
                                           "mean_pd", jnum(d->mean_pd), "bad_rate",
                                           jnum(d->bad_rate)));
    }
    return a;
}

static json_t *stability_json(const ph_model_report *r)
{
    if (!r->has_baseline)
        return json_null();
    json_t *bins = json_array(), *csi = json_array();
    for (size_t i = 0; i < r->psi.n_bins; i++) {
        const ph_psi_bin *b = &r->psi.bins[i];
        int missing = isnan(b->upper);
        json_array_append_new(
            bins, json_pack("{s:o, s:o, s:b, s:I, s:I, s:o, s:o, s:o}", "lower",
                            jnum(b->lower), "upper", jnum(b->upper), "missing", missing,
                            "baseline", (json_int_t)b->base_count, "current",
                            (json_int_t)b->cur_count, "baseline_share", jnum(b->base_share),
                            "current_share", jnum(b->cur_share), "contribution",
                            jnum(b->contribution)));
    }
    for (size_t i = 0; i < r->n_csi; i++)
        json_array_append_new(csi, json_pack("{s:s, s:s, s:I, s:o}", "feature",
                                             r->csi[i].feature, "basis", r->csi[i].basis,
                                             "bins", (json_int_t)r->csi[i].bins, "csi",
                                             jnum(r->csi[i].csi)));
    return json_pack("{s:s, s:I, s:o, s:s, s:o, s:o}", "baseline", r->baseline, "baseline_rows",
                     (json_int_t)r->baseline_rows, "psi", jnum(r->psi.psi), "reading",
                     stability_reading(r->psi.psi), "psi_bins", bins, "csi", csi);
}

static json_t *fairness_json(const ph_model_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; i < r->n_fairness; i++) {
        const ph_report_fairness *f = &r->fairness[i];
        json_t *segs = json_array();
        for (size_t k = 0; k < f->n_segments; k++) {
            const ph_fairness_group *g = &f->segments[k].stats;
            json_array_append_new(
                segs, json_pack("{s:s, s:I, s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:b, s:b}",
                                "value", f->segments[k].value, "rows", (json_int_t)g->count,
                                "bads", (json_int_t)g->bads, "approved",
                                (json_int_t)g->approved, "bad_rate", jnum(g->bad_rate),
                                "approval_rate", jnum(g->approval_rate), "approval_ratio",
                                jnum(g->approval_ratio), "auc", jnum(g->auc), "auc_ratio",
                                jnum(g->auc_ratio), "approval_flag", g->approval_flag,
                                "auc_flag", g->auc_flag));
        }
        json_array_append_new(a, json_pack("{s:s, s:I, s:o}", "column", f->column, "flagged",
                                           (json_int_t)f->flagged, "segments", segs));
    }
    return a;
}

static json_t *report_json(const ph_model_report *r)
{
    json_t *cut = json_pack("{s:o, s:b, s:o, s:o}", "pd", jnum(r->cutoff), "derived",
                            r->cutoff_derived, "approval_rate_asked",
                            r->cutoff_derived ? jnum(r->cutoff_approval_rate) : json_null(),
                            "approval_rate", jnum(r->approval_rate));
    return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:f}", "model", r->model,
                     "kind", r->model_kind, "data", r->data, "target", r->target, "metrics",
                     metrics_json(r), "cutoff", cut, "deciles", deciles_json(r), "stability",
                     stability_json(r), "fairness", fairness_json(r), "four_fifths",
                     PH_FOUR_FIFTHS);
}

ph_status ph_model_report_write_json(const ph_model_report *r, FILE *out, ph_error *err)
{
    if (r == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_report_write_json: NULL argument");
    json_t *doc = report_json(r);
    if (doc == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory writing the report");
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(doc);
    if (rc != 0 || fputc('\n', out) == EOF)
        return ph_error_set(err, PH_EIO, "report", NULL, "cannot write the report: %s",
                            strerror(errno));
    return written(out, 0, err);
}

ph_status ph_model_report_metrics_json(const ph_model_report *r, char **out, ph_error *err)
{
    if (r == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_report_metrics_json: NULL argument");
    json_t *m = metrics_json(r);
    char *text = m ? json_dumps(m, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15))
                   : NULL;
    json_decref(m);
    char *copy = text ? ph_strdup(r->ctx, text) : NULL;
    free(text);
    if (copy == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the metrics");
    *out = copy;
    return PH_OK;
}
