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

static void write_calibration(const ph_model_report *r, FILE *out, gov_table *t)
{
    static const int right[] = {1, 1, 1, 1, 1, 1, 1};
    static const char *const head[] = {"decile", "rows",    "bads",    "PD from",
                                       "PD to",  "mean PD", "bad rate"};
    *t = (gov_table){.ctx = r->ctx, .columns = 7, .right = right};
    gov_table_add(t, head);
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
        gov_table_add(t, cells);
    }
    fprintf(out, "Calibration by decile of predicted PD (1 = lowest PD; equal PDs share a "
                 "decile)\n");
    gov_table_print(t, out);
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

static void write_stability(const ph_model_report *r, FILE *out, gov_table *t, gov_table *u)
{
    static const int right_psi[] = {0, 1, 1, 1, 1, 1};
    static const char *const head_psi[] = {"PD bin", "baseline", "share", "current", "share",
                                           "PSI part"};
    fprintf(out, "Stability against %s (%zu rows)\n", r->baseline, r->baseline_rows);
    fprintf(out, "  PSI of the PD  %.4f (%s; < 0.10 stable, 0.10-0.25 watch, > 0.25 shifted)\n",
            r->psi.psi, stability_reading(r->psi.psi));
    *t = (gov_table){.ctx = r->ctx, .columns = 6, .right = right_psi};
    gov_table_add(t, head_psi);
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
        gov_table_add(t, cells);
    }
    gov_table_print(t, out);
    if (r->n_csi == 0) {
        fputc('\n', out);
        return;
    }
    static const int right_csi[] = {0, 0, 1, 1, 0};
    static const char *const head_csi[] = {"feature", "binned by", "bins", "CSI", "reading"};
    *u = (gov_table){.ctx = r->ctx, .columns = 5, .right = right_csi};
    gov_table_add(u, head_csi);
    for (size_t i = 0; i < r->n_csi; i++) {
        const ph_report_csi *c = &r->csi[i];
        char bins[24], csi[32];
        snprintf(bins, sizeof(bins), "%zu", c->bins);
        snprintf(csi, sizeof(csi), "%.4f", c->csi);
        const char *cells[] = {c->feature, c->basis, bins, csi, stability_reading(c->csi)};
        gov_table_add(u, cells);
    }
    fprintf(out, "\nCharacteristic stability (CSI) per model feature\n");
    gov_table_print(u, out);
    fputc('\n', out);
}

static void write_fairness(const ph_model_report *r, const ph_report_fairness *f, FILE *out,
                           gov_table *t)
{
    static const int right[] = {0, 1, 1, 1, 1, 1, 1, 0};
    static const char *const head[] = {"segment", "rows",      "bad rate", "approved",
                                       "ratio",   "AUC",       "ratio",    "flags"};
    *t = (gov_table){.ctx = r->ctx, .columns = 8, .right = right};
    gov_table_add(t, head);
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
        gov_table_add(t, cells);
    }
    fprintf(out, "Fairness by %s (approved: PD <= %.4f; ratio: to the best segment)\n",
            f->column, r->cutoff);
    gov_table_print(t, out);
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
    gov_table t, u = {0};
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

json_t *gov_report_json(const ph_model_report *r)
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
    json_t *doc = gov_report_json(r);
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
