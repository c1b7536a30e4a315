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
 *
 * The row is a dataset row or one double per feature (model_row); both go
 * through model_reasons. A scorecard's impacts are matched again on each
 * pass of the ranking instead of being kept in an array, so its reasons
 * allocate nothing (k is small and matching is cheap).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model_internal.h"
#include "puhui/features.h"

/* The adverse impact of characteristic i scoring attribute k. */
static double scorecard_impact(const ph_scorecard *sc, size_t i, size_t k)
{
    const ph_sc_characteristic *c = model_sc_char(sc, i);
    double points = c->attributes[k].partial_score;
    return ph_scorecard_reason_algorithm(sc) == PH_SC_POINTS_ABOVE ? points - c->baseline_score
                                                                    : c->baseline_score - points;
}

/* The adverse impact of feature i: the SHAP value of a tree model, or the
 * scorecard's impact with the attribute matched in *attribute. The row was
 * scored once already, so matching cannot fail here. */
static double impact_of(const model_row *r, const double *shap, size_t i, size_t *attribute)
{
    if (shap)
        return shap[i];
    size_t k = 0;
    model_scorecard_match(r, i, &k, NULL);
    *attribute = k;
    return scorecard_impact(r->model->scorecard, i, k);
}

/* TreeSHAP of the row into shap[n_features + 1]. */
static ph_status tree_contributions(const model_row *r, double *shap, ph_error *err)
{
    if (r->in)
        return ph_model_contributions(r->in, r->row, shap, err);
    const ph_model *m = r->model;
    float *x = ph_malloc(m->ctx, (m->n_features ? m->n_features : 1) * sizeof(float));
    if (!x)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for TreeSHAP");
    for (size_t j = 0; j < m->n_features; j++)
        x[j] = (float)r->x[j]; /* as gather_floats reads a dataset column */
    ph_status st = ph_model_contributions_matrix(m, x, 1, shap, err);
    ph_free(m->ctx, x);
    return st;
}

static const char *reason_code(const ph_model *m, size_t feature, size_t attribute)
{
    const char *code = NULL;
    if (m->scorecard) {
        const ph_sc_characteristic *c = model_sc_char(m->scorecard, feature);
        if (attribute < c->n_attributes)
            code = c->attributes[attribute].reason_code;
        if (!code)
            code = c->reason_code;
    }
    return code ? code : m->feature_names[feature];
}

/* A number outside the catalogue, rounded for a sentence: whole from 1,000
 * ("12345"), two decimals from 1 ("12.5"), else three significant digits in
 * fixed notation ("0.00582", "0.0000123"); below 1e-12, "0". Beyond 1e15 a
 * whole number would be digits nobody reads: three significant digits with
 * an exponent ("1.23e+20"). The reason's value column keeps every digit.
 * `size` >= 32 always suffices. */
static void readable_number(double x, char *buf, size_t size)
{
    double a = fabs(x);
    if (a >= 1e15)
        snprintf(buf, size, "%.3g", x);
    else if (a >= 1000.0)
        snprintf(buf, size, "%.0f", x);
    else if (a >= 1.0)
        snprintf(buf, size, "%.2f", x);
    else if (a < 1e-12)
        snprintf(buf, size, "0");
    else /* 3 significant digits: 2 - floor(log10 a) decimals, 3..14 */
        snprintf(buf, size, "%.*f", 2 - (int)floor(log10(a)), x);
    if (strchr(buf, '.') != NULL && strchr(buf, 'e') == NULL) {
        size_t n = strlen(buf);
        while (buf[n - 1] == '0')
            buf[--n] = '\0';
        if (buf[n - 1] == '.')
            buf[--n] = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        snprintf(buf, size, "0");
}

/* The sentence into buf; PH_ERANGE (never a cut sentence) when it does not
 * fit, which only a feature name of hundreds of bytes can cause. */
static ph_status reason_text(const ph_model *m, const ph_reason *r, double numeric,
                             int is_numeric, char *buf, size_t size, ph_error *err)
{
    int idx = ph_feature_index(r->name);
    if (idx >= 0 && is_numeric && ph_feature_reason((size_t)idx, numeric, buf, size, NULL) == PH_OK)
        return PH_OK;
    int len;
    char number[32];
    const char *shown = r->value; /* a category's level, shown whole */
    if (is_numeric && !isnan(numeric)) {
        readable_number(numeric, number, sizeof(number));
        shown = number;
    }
    if (r->value[0] == '\0')
        len = snprintf(buf, size, "%s is missing", r->name);
    else if (!m->scorecard)
        len = snprintf(buf, size, "%s is %s", r->name, shown);
    else
        len = snprintf(buf, size, "%s is %s (%.0f points %s the baseline)", r->name, shown,
                       r->impact,
                       ph_scorecard_reason_algorithm(m->scorecard) == PH_SC_POINTS_ABOVE
                           ? "above"
                           : "below");
    if (len < 0 || (size_t)len >= size)
        return ph_error_set(err, PH_ERANGE, "feature", r->name,
                            "the reason sentence for this feature needs %d bytes, more than "
                            "the %zu a reason holds; give the feature a shorter name",
                            len, size - 1);
    return PH_OK;
}

/* A dataset cell as text, shortened with "..." at a UTF-8 character
 * boundary when it does not fit: a long level name must not read as missing. */
static void cell_text(const ph_dataset *ds, size_t col, size_t row, char *buf, size_t size)
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

/* A double of a single row as text: "" when missing, the catalogue's
 * formatting for a catalogue feature, else every digit. */
static void number_text(const char *name, double x, char *buf, size_t size)
{
    int idx = ph_feature_index(name);
    if (isnan(x))
        buf[0] = '\0';
    else if (idx < 0 || ph_feature_format((size_t)idx, x, buf, size, NULL) != PH_OK)
        model_number_text(x, buf, size);
}

/* The row's value of feature i as text into r->value, and the number
 * behind it (*is_numeric 0 for a text level). */
static void row_value(const model_row *row, size_t i, ph_reason *r, double *number,
                      int *is_numeric)
{
    if (!row->in) {
        *number = row->x[i];
        *is_numeric = 1;
        number_text(r->name, *number, r->value, sizeof(r->value));
        return;
    }
    size_t col = (size_t)row->in->column[i];
    cell_text(row->in->ds, col, row->row, r->value, sizeof(r->value));
    const double *num = ph_dataset_numeric(row->in->ds, col);
    *number = num ? num[row->row] : NAN;
    *is_numeric = num != NULL;
}

/* The row's level of the one-hot column whose first feature is `first`: the
 * LEVEL of its "COL=LEVEL" feature that reads 1; "" when none does (a
 * missing value, or a level past the trainer's cap). */
static void one_hot_level(const model_row *row, size_t first, ph_reason *r)
{
    const ph_model *m = row->model;
    r->value[0] = '\0';
    for (size_t i = first; i < m->n_features; i++) {
        if (m->one_hot[i] != first)
            continue;
        double x;
        if (!row->in) {
            x = row->x[i];
        } else {
            const double *num = ph_dataset_numeric(row->in->ds, (size_t)row->in->column[i]);
            x = num ? num[row->row] : NAN;
        }
        if (x == 1.0) {
            snprintf(r->value, sizeof(r->value), "%s", strchr(m->feature_names[i], '=') + 1);
            return;
        }
    }
}

/* A one-hot column's reason: the column's name (also its code) and the
 * row's level, "segment is farm". */
static ph_status fill_one_hot_reason(const model_row *row, size_t first, double impact,
                                     ph_reason *r, ph_error *err)
{
    const ph_model *m = row->model;
    memset(r, 0, sizeof(*r));
    r->feature = first;
    r->impact = impact;
    r->name = r->code = m->one_hot_names[first];
    one_hot_level(row, first, r);
    return reason_text(m, r, NAN, 0, r->text, sizeof(r->text), err);
}

static ph_status fill_reason(const model_row *row, size_t feature, double impact,
                             size_t attribute, ph_reason *r, ph_error *err)
{
    const ph_model *m = row->model;
    if (m->one_hot && m->one_hot_names[feature])
        return fill_one_hot_reason(row, feature, impact, r, err);
    memset(r, 0, sizeof(*r));
    r->feature = feature;
    r->name = m->feature_names[feature];
    r->impact = impact;
    r->code = reason_code(m, feature, m->scorecard ? attribute : (size_t)-1);
    double number;
    int is_numeric;
    row_value(row, feature, r, &number, &is_numeric);
    return reason_text(m, r, number, is_numeric, r->text, sizeof(r->text), err);
}

ph_status model_reasons(const model_row *r, size_t k, ph_reason *out, size_t *n,
                        ph_error *err)
{
    const ph_model *m = r->model;
    size_t nf = m->n_features;
    double *shap = NULL;
    ph_status st;
    if (m->forest) {
        shap = ph_malloc(m->ctx, (nf + 1) * sizeof(double));
        st = shap ? tree_contributions(r, shap, err)
                  : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for reasons");
        /* a one-hot column's levels speak as one: their contributions summed
         * on the column's first feature */
        for (size_t i = 0; st == PH_OK && m->one_hot && i < nf; i++)
            if (m->one_hot[i] != i) {
                shap[m->one_hot[i]] += shap[i];
                shap[i] = 0;
            }
    } else {
        double score; /* scored once to fail before anything is written */
        st = model_scorecard_row(r, &score, NULL, NULL, err);
    }
    /* Selection, not a sort: k is small (3-5) and nf rarely above 100. The
     * order is impact descending, ties to the earlier feature; a pass takes
     * the best feature that comes after the previous pick in that order. */
    size_t got = 0, prev = nf;
    double prev_impact = 0;
    while (st == PH_OK && got < k) {
        size_t best = nf, best_attribute = 0;
        double best_impact = 0;
        for (size_t i = 0; i < nf; i++) {
            size_t attribute = 0;
            double v = impact_of(r, shap, i, &attribute);
            if (!(v > 1e-12))
                continue;
            if (prev < nf && !(v < prev_impact || (v == prev_impact && i > prev)))
                continue; /* ranked already */
            if (best == nf || v > best_impact) {
                best = i;
                best_impact = v;
                best_attribute = attribute;
            }
        }
        if (best == nf)
            break;
        prev = best;
        prev_impact = best_impact;
        st = fill_reason(r, best, best_impact, best_attribute, &out[got++], err);
    }
    ph_free(m->ctx, shap);
    if (st == PH_OK)
        *n = got;
    return st;
}

ph_status ph_model_reasons(const ph_model_input *in, size_t row, size_t k, ph_reason *out,
                           size_t *n, ph_error *err)
{
    if (!in || !n || (k && !out))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_reasons: NULL argument");
    if (row >= ph_dataset_rows(in->ds))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "row out of the dataset's range");
    model_row r = model_row_of_dataset(in, row);
    return model_reasons(&r, k, out, n, err);
}
