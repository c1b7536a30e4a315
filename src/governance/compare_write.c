/*
 * Writing a champion/challenger comparison: side-by-side text tables for the
 * risk team, and one JSON document holding both full reports and what only
 * the pair has (differences, the DeLong error, the swap sets).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "governance/governance_internal.h"

/* ---- the side-by-side metrics, as data ---------------------------------------- */

static double get_auc(const ph_model_report *r) { return r->metrics.auc; }
static double get_gini(const ph_model_report *r) { return r->metrics.gini; }
static double get_ks(const ph_model_report *r) { return r->metrics.ks; }
static double get_brier(const ph_model_report *r) { return r->metrics.brier; }
static double get_psi(const ph_model_report *r) { return r->has_baseline ? r->psi.psi : NAN; }
static double get_cutoff(const ph_model_report *r) { return r->cutoff; }
static double get_approval(const ph_model_report *r) { return r->approval_rate; }

typedef struct metric_row {
    const char *label; /* in the text table */
    const char *key;   /* in the JSON */
    double (*get)(const ph_model_report *r);
    int needs_baseline; /* shown only when a baseline was given */
    int percent;        /* a share: written as a percentage in the text */
} metric_row;

/* Add a metric here, not in the writers. */
static const metric_row METRICS[] = {
    {"AUC", "auc", get_auc, 0, 0},
    {"Gini", "gini", get_gini, 0, 0},
    {"KS", "ks", get_ks, 0, 0},
    {"Brier", "brier", get_brier, 0, 0},
    {"PSI of the PD", "psi", get_psi, 1, 0},
    {"cut-off PD", "cutoff", get_cutoff, 0, 0},
    {"approval at cut-off", "approval_rate", get_approval, 0, 1},
};

#define N_METRICS (sizeof(METRICS) / sizeof(METRICS[0]))

/* ---- text ----------------------------------------------------------------------- */

static const char *num(char *buf, size_t size, double v, int decimals, int sign)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, sign ? "%+.*f" : "%.*f", decimals, v);
    return buf;
}

static const char *pct(char *buf, size_t size, double v, int sign)
{
    if (isnan(v))
        snprintf(buf, size, "n/a");
    else
        snprintf(buf, size, sign ? "%+.2f%%" : "%.2f%%", 100.0 * v);
    return buf;
}

static const char *value_text(char *buf, size_t size, double v, int percent, int sign)
{
    return percent ? pct(buf, size, v, sign) : num(buf, size, v, 4, sign);
}

static void write_header(const ph_model_comparison *c, FILE *out)
{
    const ph_model_report *a = c->champion, *b = c->challenger;
    char rate[32];
    fprintf(out, "Champion and challenger on the same rows\n");
    fprintf(out, "  champion    %s (%s)\n", a->model, a->model_kind);
    fprintf(out, "  challenger  %s (%s)\n", b->model, b->model_kind);
    fprintf(out, "  data        %s: %zu rows, %zu bad (%s)\n", a->data, a->metrics.n,
            a->metrics.bads, pct(rate, sizeof(rate), a->metrics.bad_rate, 0));
    fprintf(out, "  target      %s\n\n", a->target);
}

static const char *auc_reading(const ph_auc_comparison *d)
{
    if (isnan(d->p_value))
        return "no test: the two models rank every pair alike, or a class has under 2 rows";
    if (d->p_value >= 0.05)
        return "not distinguishable at the 5% level";
    return d->difference > 0 ? "the challenger ranks better at the 5% level"
                             : "the champion ranks better at the 5% level";
}

static void write_metrics(const ph_model_comparison *c, FILE *out, gov_table *t)
{
    static const int right[] = {0, 1, 1, 1};
    static const char *const head[] = {"metric", "champion", "challenger", "difference"};
    *t = (gov_table){.ctx = c->ctx, .columns = 4, .right = right};
    gov_table_add(t, head);
    for (size_t i = 0; i < N_METRICS; i++) {
        const metric_row *m = &METRICS[i];
        if (m->needs_baseline && !c->champion->has_baseline)
            continue;
        double a = m->get(c->champion), b = m->get(c->challenger);
        char va[32], vb[32], vd[32];
        const char *cells[] = {m->label, value_text(va, 32, a, m->percent, 0),
                               value_text(vb, 32, b, m->percent, 0),
                               value_text(vd, 32, b - a, m->percent, 1)};
        gov_table_add(t, cells);
    }
    fprintf(out, "Metrics (difference: challenger - champion; each model at its own cut-off)\n");
    gov_table_print(t, out);
    char d[32], se[32], z[32], p[32];
    fprintf(out, "  AUC difference %s, DeLong standard error %s (z %s, p %s): %s\n",
            num(d, 32, c->auc.difference, 4, 1), num(se, 32, c->auc.se, 4, 0),
            num(z, 32, c->auc.z, 2, 1), num(p, 32, c->auc.p_value, 4, 0),
            auc_reading(&c->auc));
    if (!c->champion->has_baseline)
        fprintf(out, "  PSI: no baseline given (--baseline)\n");
    fputc('\n', out);
}

static void write_calibration(const ph_model_comparison *c, FILE *out, gov_table *t)
{
    static const int right[] = {1, 1, 1, 1, 1, 1, 1};
    static const char *const head[] = {"decile",          "champion rows", "mean PD", "bad rate",
                                       "challenger rows", "mean PD",       "bad rate"};
    *t = (gov_table){.ctx = c->ctx, .columns = 7, .right = right};
    gov_table_add(t, head);
    for (size_t g = 0; g < PH_DECILES; g++) {
        const ph_calibration_bin *a = &c->champion->deciles[g], *b = &c->challenger->deciles[g];
        char v[7][32];
        snprintf(v[0], 32, "%zu", g + 1);
        snprintf(v[1], 32, "%zu", a->count);
        num(v[2], 32, a->mean_pd, 4, 0);
        num(v[3], 32, a->bad_rate, 4, 0);
        snprintf(v[4], 32, "%zu", b->count);
        num(v[5], 32, b->mean_pd, 4, 0);
        num(v[6], 32, b->bad_rate, 4, 0);
        const char *cells[] = {v[0], v[1], v[2], v[3], v[4], v[5], v[6]};
        gov_table_add(t, cells);
    }
    fprintf(out, "Calibration by decile of each model's own PD (1 = lowest PD): mean predicted "
                 "PD against the observed bad rate\n");
    gov_table_print(t, out);
    fputc('\n', out);
}

/* As the single report: which of the segment's ratios is below four-fifths. */
static const char *flag_text(const ph_fairness_group *g)
{
    static const char *const text[2][2] = {{"", "auc"}, {"approval", "approval,auc"}};
    return text[g->approval_flag != 0][g->auc_flag != 0];
}

/* Both reports read the same segment columns of the same rows, so their
 * segments are the same values in the same order. */
static void write_fairness(const ph_model_comparison *c, size_t col, FILE *out, gov_table *t)
{
    static const int right[] = {0, 1, 1, 1, 1, 0, 1, 1, 0};
    static const char *const head[] = {"segment", "rows",  "bad rate", "champion approved",
                                       "ratio",   "flags", "challenger approved", "ratio",
                                       "flags"};
    const ph_report_fairness *fa = &c->champion->fairness[col], *fb = &c->challenger->fairness[col];
    *t = (gov_table){.ctx = c->ctx, .columns = 9, .right = right};
    gov_table_add(t, head);
    for (size_t i = 0; i < fa->n_segments && i < fb->n_segments; i++) {
        const ph_fairness_group *a = &fa->segments[i].stats, *b = &fb->segments[i].stats;
        char v[6][32];
        snprintf(v[0], 32, "%zu", a->count);
        pct(v[1], 32, a->bad_rate, 0);
        pct(v[2], 32, a->approval_rate, 0);
        num(v[3], 32, a->approval_ratio, 2, 0);
        pct(v[4], 32, b->approval_rate, 0);
        num(v[5], 32, b->approval_ratio, 2, 0);
        const char *cells[] = {fa->segments[i].value, v[0], v[1], v[2], v[3], flag_text(a),
                               v[4], v[5], flag_text(b)};
        gov_table_add(t, cells);
    }
    fprintf(out, "Fairness by %s (approved: champion PD <= %.4f, challenger PD <= %.4f; ratio: "
                 "to the best segment)\n",
            fa->column, c->champion->cutoff, c->challenger->cutoff);
    gov_table_print(t, out);
    fprintf(out, "  flagged: champion %zu, challenger %zu (approval or AUC ratio below %.2f, the "
                 "four-fifths rule: a signal to review, not a finding of discrimination)\n\n",
            fa->flagged, fb->flagged, PH_FOUR_FIFTHS);
}

static void write_swaps(const ph_model_comparison *c, FILE *out, gov_table *t, gov_table *u)
{
    static const int right[] = {1, 0, 1, 1, 1};
    static const char *const head[] = {"approve", "cell", "rows", "bads", "bad rate"};
    static const int right_u[] = {1, 1, 1, 1, 1, 1};
    static const char *const head_u[] = {"approve", "champion rows", "challenger rows",
                                         "champion bad rate", "challenger bad rate",
                                         "difference"};
    *t = (gov_table){.ctx = c->ctx, .columns = 5, .right = right};
    *u = (gov_table){.ctx = c->ctx, .columns = 6, .right = right_u};
    gov_table_add(t, head);
    gov_table_add(u, head_u);
    for (size_t s = 0; s < c->n_swaps; s++) {
        const ph_swap_set *w = &c->swaps[s];
        char rate[32], each[32], ba[32], bb[32], bd[32];
        pct(rate, 32, w->approval_rate, 0);
        for (size_t k = 0; k < PH_SWAP_CELLS; k++) {
            const ph_swap_cell *cell = &w->cells[k];
            char rows[32], bads[32], br[32];
            snprintf(rows, 32, "%zu", cell->count);
            snprintf(bads, 32, "%zu", cell->bads);
            const char *cells[] = {k == 0 ? rate : "", ph_swap_cell_name((ph_swap_cell_kind)k),
                                   rows, bads, pct(br, 32, cell->bad_rate, 0)};
            gov_table_add(t, cells);
        }
        char other[32];
        snprintf(each, 32, "%zu", w->champion_approved);
        snprintf(other, 32, "%zu", w->challenger_approved);
        const char *cells[] = {rate, each, other, pct(ba, 32, w->champion_bad_rate, 0),
                               pct(bb, 32, w->challenger_bad_rate, 0),
                               pct(bd, 32, w->challenger_bad_rate - w->champion_bad_rate, 1)};
        gov_table_add(u, cells);
    }
    fprintf(out, "Swap sets at equal approval rates (each model approves the rows with PD at "
                 "most that of its k-th best; equal PDs go together)\n");
    gov_table_print(t, out);
    fprintf(out, "\nBad rate among the approved\n");
    gov_table_print(u, out);
    fputc('\n', out);
}

/* A path as one shell word: quoted unless it is plain. */
static void shell_word(char *buf, size_t size, const char *s)
{
    int plain = *s != '\0' && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                        "0123456789_./-+=:,@") == strlen(s);
    if (plain) {
        snprintf(buf, size, "%s", s);
        return;
    }
    size_t k = 0;
    buf[k++] = '\'';
    for (; *s && k + 6 < size; s++) {
        if (*s == '\'') {
            memcpy(buf + k, "'\\''", 4);
            k += 4;
        } else {
            buf[k++] = *s;
        }
    }
    buf[k++] = '\'';
    buf[k] = '\0';
}

/* The two commands of the registry's gate, for the challenger. */
static void promote_commands(const ph_model_comparison *c, char *reg, size_t reg_size,
                             char *approve, size_t approve_size)
{
    const ph_model_report *b = c->challenger;
    char model[512], data[512], target[256];
    shell_word(model, sizeof(model), b->model);
    shell_word(data, sizeof(data), b->data);
    shell_word(target, sizeof(target), b->target);
    snprintf(reg, reg_size, "puhui model register --model %s --name NAME --data %s --target %s",
             model, data, target);
    snprintf(approve, approve_size,
             "puhui model approve --name NAME --version N --by PERSON --note TEXT");
}

static ph_status written(FILE *out, int table_failed, ph_error *err)
{
    if (table_failed)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory writing the comparison");
    if (fflush(out) != 0 || ferror(out))
        return ph_error_set(err, PH_EIO, "report", NULL, "cannot write the comparison: %s",
                            strerror(errno));
    return PH_OK;
}

ph_status ph_model_comparison_write_text(const ph_model_comparison *c, FILE *out, ph_error *err)
{
    if (c == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_comparison_write_text: NULL argument");
    gov_table t, u;
    int failed = 0;
    write_header(c, out);
    write_metrics(c, out, &t);
    failed |= t.failed;
    ph_free(c->ctx, t.cells);
    write_calibration(c, out, &t);
    failed |= t.failed;
    ph_free(c->ctx, t.cells);
    for (size_t i = 0; i < c->champion->n_fairness && i < c->challenger->n_fairness; i++) {
        write_fairness(c, i, out, &t);
        failed |= t.failed;
        ph_free(c->ctx, t.cells);
    }
    write_swaps(c, out, &t, &u);
    failed |= t.failed | u.failed;
    ph_free(c->ctx, t.cells);
    ph_free(c->ctx, u.cells);
    char reg[1400], approve[256];
    promote_commands(c, reg, sizeof(reg), approve, sizeof(approve));
    fprintf(out, "To deploy the challenger: %s, then %s (the registry's approval gate: only an "
                 "approved version scores)\n",
            reg, approve);
    return written(out, failed, err);
}

/* ---- JSON ------------------------------------------------------------------------ */

static json_t *jnum(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *metrics_json(const ph_model_comparison *c)
{
    json_t *a = json_array();
    for (size_t i = 0; i < N_METRICS; i++) {
        const metric_row *m = &METRICS[i];
        if (m->needs_baseline && !c->champion->has_baseline)
            continue;
        double x = m->get(c->champion), y = m->get(c->challenger);
        json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:o}", "metric", m->key,
                                           "champion", jnum(x), "challenger", jnum(y),
                                           "difference", jnum(y - x)));
    }
    return a;
}

static json_t *swaps_json(const ph_model_comparison *c)
{
    json_t *a = json_array();
    for (size_t s = 0; s < c->n_swaps; s++) {
        const ph_swap_set *w = &c->swaps[s];
        json_t *cells = json_array();
        for (size_t k = 0; k < PH_SWAP_CELLS; k++)
            json_array_append_new(
                cells, json_pack("{s:s, s:I, s:I, s:o}", "cell",
                                 ph_swap_cell_name((ph_swap_cell_kind)k), "rows",
                                 (json_int_t)w->cells[k].count, "bads",
                                 (json_int_t)w->cells[k].bads, "bad_rate",
                                 jnum(w->cells[k].bad_rate)));
        json_array_append_new(
            a, json_pack("{s:o, s:I, s:o, s:I, s:I, s:o, s:o}", "approval_rate", jnum(w->approval_rate),
                         "approved", (json_int_t)w->approved, "cells", cells,
                         "champion_approved", (json_int_t)w->champion_approved,
                         "challenger_approved", (json_int_t)w->challenger_approved,
                         "champion_bad_rate", jnum(w->champion_bad_rate),
                         "challenger_bad_rate", jnum(w->challenger_bad_rate)));
    }
    return a;
}

ph_status ph_model_comparison_write_json(const ph_model_comparison *c, FILE *out, ph_error *err)
{
    if (c == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_model_comparison_write_json: NULL argument");
    char reg[1400], approve[256];
    promote_commands(c, reg, sizeof(reg), approve, sizeof(approve));
    json_t *auc = json_pack("{s:s, s:o, s:o, s:o, s:o}", "method", "DeLong", "difference",
                            jnum(c->auc.difference), "se", jnum(c->auc.se), "z",
                            jnum(c->auc.z), "p_value", jnum(c->auc.p_value));
    json_t *doc = json_pack("{s:o, s:o, s:o, s:o, s:o, s:{s:s, s:s}}", "champion",
                            gov_report_json(c->champion), "challenger",
                            gov_report_json(c->challenger), "metrics", metrics_json(c),
                            "auc_difference", auc, "swap_sets", swaps_json(c), "promote",
                            "register", reg, "approve", approve);
    if (doc == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory writing the comparison");
    int rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(doc);
    if (rc != 0 || fputc('\n', out) == EOF)
        return ph_error_set(err, PH_EIO, "report", NULL, "cannot write the comparison: %s",
                            strerror(errno));
    return written(out, 0, err);
}
