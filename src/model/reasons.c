/*
 * Reason codes: the adverse contributions of one row, ranked, each with the
 * feature's value and a sentence a credit officer can read to the firm.
 *
 * Trees: the adverse contributions are the positive TreeSHAP values (they
 * push the log-odds towards bad). Scorecards: the points a characteristic
 * scored below its baseline (PMML reasonCodeAlgorithm "pointsBelow"), or
 * above it for "pointsAbove". Sentences come from the feature catalogue when
 * the feature is one of the platform's; any other model's feature gets a
 * plain sentence naming it and its value.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model_internal.h"
#include "puhui/features.h"

/* The adverse impact of each feature of one row into impact[n_features];
 * for scorecards also the chosen attribute of each characteristic. */
static ph_status adverse_impacts(const ph_model_input *in, size_t row, double *impact,
                                 size_t *attribute, ph_error *err)
{
    const ph_model *m = in->model;
    if (m->forest)
        return ph_model_contributions(in, row, impact, err);
    double score;
    ph_status st = model_scorecard_row(in, row, &score, impact, attribute, err);
    if (st != PH_OK)
        return st;
    const ph_scorecard *sc = m->scorecard;
    for (size_t i = 0; i < m->n_features; i++) {
        double base = sc->characteristics[i].baseline_score;
        impact[i] = sc->reason_algorithm == PH_SC_POINTS_ABOVE ? impact[i] - base
                                                                : base - impact[i];
    }
    return PH_OK;
}

static void reason_code(const ph_model *m, size_t feature, size_t attribute, char *buf,
                        size_t size)
{
    const char *code = NULL;
    if (m->scorecard) {
        const ph_sc_characteristic *c = &m->scorecard->characteristics[feature];
        if (attribute < c->n_attributes)
            code = c->attributes[attribute].reason_code;
        if (!code)
            code = c->reason_code;
    }
    snprintf(buf, size, "%s", code ? code : m->feature_names[feature]);
}

static void reason_text(const ph_model *m, const ph_reason *r, double numeric, int is_numeric,
                        char *buf, size_t size)
{
    int idx = ph_feature_index(r->name);
    if (idx >= 0 && is_numeric && ph_feature_reason((size_t)idx, numeric, buf, size, NULL) == PH_OK)
        return;
    if (r->value[0] == '\0')
        snprintf(buf, size, "%s is missing", r->name);
    else if (is_numeric && !m->scorecard)
        snprintf(buf, size, "%s is %.6g", r->name, numeric); /* value keeps every digit */
    else if (m->scorecard)
        snprintf(buf, size, "%s is %s (%.0f points %s the baseline)", r->name, r->value,
                 r->impact,
                 m->scorecard->reason_algorithm == PH_SC_POINTS_ABOVE ? "above" : "below");
    else
        snprintf(buf, size, "%s is %s", r->name, r->value);
}

/* The row's value as text, shortened with "..." at a UTF-8 character
 * boundary when it does not fit: a long level name must not read as missing. */
static void value_text(const ph_dataset *ds, size_t col, size_t row, char *buf, size_t size)
{
    if (ph_dataset_cell_text(ds, col, row, buf, size, NULL) == PH_OK)
        return;
    const char *level = ph_dataset_level(ds, col, ph_dataset_codes(ds, col)[row]);
    size_t keep = size - 4;
    while (keep > 0 && ((unsigned char)level[keep] & 0xC0) == 0x80)
        keep--; /* do not cut a character in two */
    memcpy(buf, level, keep);
    memcpy(buf + keep, "...", 4);
}

ph_status ph_model_reasons(const ph_model_input *in, size_t row, size_t k, ph_reason *out,
                           size_t *n, ph_error *err)
{
    if (!in || !n || (k && !out))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_reasons: NULL argument");
    if (row >= ph_dataset_rows(in->ds))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "row out of the dataset's range");
    const ph_model *m = in->model;
    size_t nf = m->n_features;
    double *impact = ph_malloc(m->ctx, (nf + 1) * sizeof(double));
    size_t *attribute = ph_malloc(m->ctx, (nf + 1) * sizeof(size_t));
    uint8_t *taken = ph_calloc(m->ctx, nf + 1, 1);
    if (!impact || !attribute || !taken) {
        ph_free(m->ctx, impact);
        ph_free(m->ctx, attribute);
        ph_free(m->ctx, taken);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for reasons");
    }
    ph_status st = adverse_impacts(in, row, impact, attribute, err);
    size_t got = 0;
    while (st == PH_OK && got < k) {
        /* Selection, not a sort: k is small (3-5) and nf rarely above 100.
         * Ties go to the earlier feature, so the order is stable. */
        size_t best = nf;
        for (size_t i = 0; i < nf; i++) {
            if (!taken[i] && impact[i] > 1e-12 && (best == nf || impact[i] > impact[best]))
                best = i;
        }
        if (best == nf)
            break;
        taken[best] = 1;
        ph_reason *r = &out[got++];
        memset(r, 0, sizeof(*r));
        r->feature = best;
        r->name = m->feature_names[best];
        r->impact = impact[best];
        reason_code(m, best, m->scorecard ? attribute[best] : (size_t)-1, r->code,
                    sizeof(r->code));
        size_t col = (size_t)in->column[best];
        value_text(in->ds, col, row, r->value, sizeof(r->value));
        const double *num = ph_dataset_numeric(in->ds, col);
        reason_text(m, r, num ? num[row] : NAN, num != NULL, r->text, sizeof(r->text));
    }
    ph_free(m->ctx, impact);
    ph_free(m->ctx, attribute);
    ph_free(m->ctx, taken);
    if (st == PH_OK)
        *n = got;
    return st;
}
