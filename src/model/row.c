/*
 * Scoring one row without a dataset: the decision engine's path. The row is
 * one double per model feature in the model's order; the scorecard matcher
 * and the reasons are the dataset path's own (model_row), so a row scores
 * and explains exactly as the same row of a bound dataset.
 *
 * A scorecard row allocates nothing. A tree row needs the batch scorer's
 * workspace and its float32 copy of the row, allocated through the model's
 * ctx before anything is written.
 */
#include "puhui/model.h"

#include "model_internal.h"

static ph_status predict_forest_row(const ph_model *m, const double *x, double *pd,
                                    double *points, ph_error *err)
{
    size_t ws_size = model_forest_workspace_size(m);
    if (ws_size == 0)
        return ph_error_set(err, PH_EMISUSE, "model", m->source, "the forest was not compiled");
    float *row = ph_malloc(m->ctx, (m->n_features ? m->n_features : 1) * sizeof(float));
    void *ws = ph_malloc(m->ctx, ws_size);
    if (!row || !ws) {
        ph_free(m->ctx, row);
        ph_free(m->ctx, ws);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory scoring");
    }
    for (size_t j = 0; j < m->n_features; j++)
        row[j] = (float)x[j]; /* the tree models compare float32, as from a dataset */
    double margin;
    model_forest_margin_ws(m, row, 1, &margin, ws);
    ph_free(m->ctx, row);
    ph_free(m->ctx, ws);
    *pd = model_forest_pd(m, margin);
    if (points)
        *points = NAN;
    return PH_OK;
}

ph_status ph_model_predict_row(const ph_model *model, const double *x, double *pd,
                               double *points, ph_error *err)
{
    if (!model || !x || !pd)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_predict_row: NULL argument");
    if (model->forest)
        return predict_forest_row(model, x, pd, points, err);
    model_row r = model_row_of_vector(model, x);
    double score;
    ph_status st = model_scorecard_row(&r, &score, NULL, NULL, err);
    if (st != PH_OK)
        return st;
    *pd = ph_scorecard_pd(model->scorecard, score);
    if (points)
        *points = score;
    return PH_OK;
}

ph_status ph_model_reasons_row(const ph_model *model, const double *x, size_t k,
                               ph_reason *out, size_t *n, ph_error *err)
{
    if (!model || !x || !n || (k && !out))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_model_reasons_row: NULL argument");
    model_row r = model_row_of_vector(model, x);
    return model_reasons(&r, k, out, n, err);
}
