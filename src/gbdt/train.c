/*
 * train-gbdt's boosting: XGBoost rounds with early stopping on the
 * validation AUC, an optional seeded random search, the model cut to its
 * best round and measured again with the platform's AUC.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "gbdt/gbdt_internal.h"
#include "puhui/calibration.h"
#include "puhui/metrics.h"

void ph_gbdt_options_init(ph_gbdt_options *opts)
{
    memset(opts, 0, sizeof(*opts));
    ph_gbdt_params_default(&opts->params);
    opts->max_levels = 50;
    opts->refit = 1;
    opts->calibration = PH_CALIBRATION_PLATT;
}

static ph_status xgb_failed(ph_error *err, const char *what)
{
    return ph_error_set(err, PH_EINVAL, "xgboost", NULL, "%s failed: %s", what,
                        XGBGetLastError());
}

/* A DMatrix of the rows of one slice (valid = 0 or 1; -1: every row),
 * labels and names. */
static ph_status make_matrix(const gbdt_design *d, int valid, DMatrixHandle *out, ph_error *err)
{
    size_t n = 0, nf = d->n_features;
    for (size_t r = 0; r < d->rows; r++)
        n += valid < 0 || d->is_valid[r] == valid;
    float *x = ph_malloc(d->ctx, n * nf * sizeof(float) + 1);
    float *y = ph_malloc(d->ctx, n * sizeof(float) + 1);
    const char **names = ph_malloc(d->ctx, nf * sizeof(char *));
    const char **types = ph_malloc(d->ctx, nf * sizeof(char *));
    ph_status st = PH_OK;
    if (!x || !y || !names || !types) {
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
        goto done;
    }
    for (size_t r = 0, i = 0; r < d->rows; r++) {
        if (valid >= 0 && d->is_valid[r] != valid)
            continue;
        memcpy(x + i * nf, d->x + r * nf, nf * sizeof(float));
        y[i++] = d->y[r];
    }
    for (size_t f = 0; f < nf; f++) {
        names[f] = d->features[f].name;
        types[f] = "q";
    }
    if (XGDMatrixCreateFromMat(x, (bst_ulong)n, (bst_ulong)nf, NAN, out) != 0)
        st = xgb_failed(err, "XGDMatrixCreateFromMat");
    else if (XGDMatrixSetFloatInfo(*out, "label", y, (bst_ulong)n) != 0 ||
             XGDMatrixSetStrFeatureInfo(*out, "feature_name", names, (bst_ulong)nf) != 0 ||
             XGDMatrixSetStrFeatureInfo(*out, "feature_type", types, (bst_ulong)nf) != 0)
        st = xgb_failed(err, "setting the labels and feature names");
done:
    ph_free(d->ctx, x);
    ph_free(d->ctx, y);
    ph_free(d->ctx, names);
    ph_free(d->ctx, types);
    return st;
}

/* "(1,0,-1)" in feature order. */
static char *monotone_text(const gbdt_design *d)
{
    char *text = ph_malloc(d->ctx, 3 * d->n_features + 3);
    if (!text)
        return NULL;
    size_t used = 0;
    text[used++] = '(';
    for (size_t f = 0; f < d->n_features; f++)
        used += (size_t)sprintf(text + used, "%s%d", f ? "," : "", d->features[f].monotone);
    text[used++] = ')';
    text[used] = '\0';
    return text;
}

static ph_status set_params(BoosterHandle b, const ph_gbdt_params *p, const char *monotone,
                            int threads, ph_error *err)
{
    char buf[64];
    static const char *const fixed[][2] = {{"objective", "binary:logistic"},
                                           {"eval_metric", "auc"},
                                           {"tree_method", "hist"},
                                           {"verbosity", "0"}};
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        if (XGBoosterSetParam(b, fixed[i][0], fixed[i][1]) != 0)
            return xgb_failed(err, fixed[i][0]);
    for (size_t i = 0; i < gbdt_param_count; i++) {
        const gbdt_param_def *def = &gbdt_param_table[i];
        if (strcmp(def->name, "num_round") == 0 || strcmp(def->name, "early_stopping_rounds") == 0)
            continue; /* ours, not XGBoost's */
        snprintf(buf, sizeof(buf), "%.17g", gbdt_param_get(p, def));
        if (XGBoosterSetParam(b, def->name, buf) != 0)
            return xgb_failed(err, def->name);
    }
    snprintf(buf, sizeof(buf), "%d", threads);
    if (threads > 0 && XGBoosterSetParam(b, "nthread", buf) != 0)
        return xgb_failed(err, "nthread");
    if (XGBoosterSetParam(b, "monotone_constraints", monotone) != 0)
        return xgb_failed(err, "monotone_constraints");
    return PH_OK;
}

/* The validation AUC in XGBoost's evaluation line "[3]\tvalid-auc:0.71". */
static double eval_auc(const char *line)
{
    const char *at = line ? strstr(line, "valid-auc:") : NULL;
    return at ? strtod(at + strlen("valid-auc:"), NULL) : NAN;
}

typedef struct run_state {
    const ph_gbdt_options *opts;
    DMatrixHandle train, valid;
    const char *monotone;
    uint64_t done, total;
} run_state;

/* Boost one candidate with early stopping; *out the booster cut to its best
 * round. */
static ph_status boost(run_state *rs, ph_gbdt_candidate *cand, BoosterHandle *out,
                       ph_error *err)
{
    DMatrixHandle cache[2] = {rs->train, rs->valid};
    BoosterHandle b = NULL;
    if (XGBoosterCreate(cache, 2, &b) != 0)
        return xgb_failed(err, "XGBoosterCreate");
    ph_status st = set_params(b, &cand->params, rs->monotone, rs->opts->threads, err);
    double best = -INFINITY;
    int best_it = -1, it = 0;
    const char *names[1] = {"valid"};
    for (; st == PH_OK && it < cand->params.num_round; it++) {
        const char *line = NULL;
        if (XGBoosterUpdateOneIter(b, it, rs->train) != 0)
            st = xgb_failed(err, "XGBoosterUpdateOneIter");
        else if (XGBoosterEvalOneIter(b, it, &rs->valid, names, 1, &line) != 0)
            st = xgb_failed(err, "XGBoosterEvalOneIter");
        if (st != PH_OK)
            break;
        double auc = eval_auc(line);
        if (auc > best) {
            best = auc;
            best_it = it;
        }
        if (rs->opts->progress)
            rs->opts->progress(rs->opts->progress_user, ++rs->done, rs->total);
        if (it - best_it >= cand->params.early_stopping_rounds) {
            it++;
            break;
        }
    }
    if (st == PH_OK && best_it < 0)
        st = ph_error_set(err, PH_EINVAL, "xgboost", NULL,
                          "no validation AUC in XGBoost's evaluation; expected valid-auc");
    BoosterHandle cut = NULL;
    if (st == PH_OK && XGBoosterSlice(b, 0, best_it + 1, 1, &cut) != 0)
        st = xgb_failed(err, "XGBoosterSlice");
    XGBoosterFree(b);
    if (st != PH_OK)
        return st;
    /* the rounds early stopping saved leave the total, so the meter ends
     * at it */
    rs->total -= (uint64_t)(cand->params.num_round - it);
    if (rs->opts->progress)
        rs->opts->progress(rs->opts->progress_user, rs->done, rs->total);
    cand->best_iteration = best_it;
    cand->rounds = it;
    cand->valid_auc = best;
    *out = cut;
    return PH_OK;
}

/* Candidate k > 0 of a search: a seeded draw around the usual ranges. */
static void draw_candidate(ph_gbdt_params *p, uint64_t *state)
{
    static const int depths[] = {2, 3, 4, 5, 6};
    p->max_depth = depths[(size_t)(gbdt_random_unit(state) * 5)];
    p->eta = exp(log(0.01) + gbdt_random_unit(state) * (log(0.2) - log(0.01)));
    p->min_child_weight = exp(log(1) + gbdt_random_unit(state) * (log(50) - log(1)));
    p->subsample = 0.5 + 0.5 * gbdt_random_unit(state);
    p->colsample_bytree = 0.5 + 0.5 * gbdt_random_unit(state);
    p->lambda = exp(log(0.1) + gbdt_random_unit(state) * (log(10) - log(0.1)));
}

/* The booster's PDs and the outcomes of one slice's rows, in row order;
 * both allocated with the design's context. */
static ph_status slice_predictions(const gbdt_design *d, BoosterHandle b, DMatrixHandle m,
                                   int valid, double **pd_out, uint8_t **bad_out, size_t *n,
                                   ph_error *err)
{
    bst_ulong len = 0;
    const float *pred = NULL;
    if (XGBoosterPredict(b, m, 0, 0, 0, &len, &pred) != 0)
        return xgb_failed(err, "XGBoosterPredict");
    double *pd = ph_malloc(d->ctx, (size_t)len * sizeof(double) + 1);
    uint8_t *bad = ph_malloc(d->ctx, (size_t)len + 1);
    if (!pd || !bad) {
        ph_free(d->ctx, pd);
        ph_free(d->ctx, bad);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    for (size_t r = 0, i = 0; r < d->rows && i < len; r++) {
        if (d->is_valid[r] != valid)
            continue;
        pd[i] = pred[i];
        bad[i++] = d->y[r];
    }
    *pd_out = pd;
    *bad_out = bad;
    *n = (size_t)len;
    return PH_OK;
}

/* AUC of the booster on one slice, by the platform's metric. */
static ph_status slice_auc(const gbdt_design *d, BoosterHandle b, DMatrixHandle m, int valid,
                           double *auc, ph_error *err)
{
    double *pd = NULL;
    uint8_t *bad = NULL;
    size_t n = 0;
    ph_status st = slice_predictions(d, b, m, valid, &pd, &bad, &n, err);
    if (st == PH_OK)
        st = ph_metric_auc(d->ctx, pd, bad, n, auc, err);
    ph_free(d->ctx, pd);
    ph_free(d->ctx, bad);
    return st;
}

/* Fit the calibration on the held-out model's validation PDs (rows it never
 * trained on) and store it in the saved booster's attributes, where puhui's
 * predictor reads it (docs/tree_models.md). */
static ph_status calibrate(const gbdt_design *d, run_state *rs, BoosterHandle held,
                           BoosterHandle saved, ph_gbdt_result *res, ph_error *err)
{
    double *pd = NULL;
    uint8_t *bad = NULL;
    size_t n = 0;
    ph_calibration *cal = NULL;
    char *text = NULL;
    ph_status st = slice_predictions(d, held, rs->valid, 1, &pd, &bad, &n, err);
    if (st == PH_OK)
        st = ph_calibration_fit(d->ctx, rs->opts->calibration, pd, bad, n, &cal, err);
    if (st == PH_OK)
        st = ph_calibration_to_json(cal, &text, err);
    if (st == PH_OK && XGBoosterSetAttr(saved, "puhui_calibration", text) != 0)
        st = xgb_failed(err, "XGBoosterSetAttr");
    if (st == PH_OK) {
        double raw = 0, fitted = 0;
        for (size_t i = 0; i < n; i++) {
            double p = ph_calibration_apply(cal, pd[i]);
            raw += (pd[i] - bad[i]) * (pd[i] - bad[i]);
            fitted += (p - bad[i]) * (p - bad[i]);
        }
        res->brier_raw = n ? raw / (double)n : NAN;
        res->brier_calibrated = n ? fitted / (double)n : NAN;
        res->calibration = text;
        text = NULL;
    }
    ph_free(d->ctx, text);
    ph_calibration_free(cal);
    ph_free(d->ctx, pd);
    ph_free(d->ctx, bad);
    return st;
}

/* The booster keeps the feature names in its JSON only when told: puhui's
 * predictor binds features by name. */
static ph_status name_features(const gbdt_design *d, BoosterHandle b, ph_error *err)
{
    const char **names = ph_malloc(d->ctx, d->n_features * sizeof(char *));
    const char **types = ph_malloc(d->ctx, d->n_features * sizeof(char *));
    ph_status st = PH_OK;
    if (!names || !types) {
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    } else {
        for (size_t f = 0; f < d->n_features; f++) {
            names[f] = d->features[f].name;
            types[f] = "q";
        }
        if (XGBoosterSetStrFeatureInfo(b, "feature_name", names, (bst_ulong)d->n_features) != 0 ||
            XGBoosterSetStrFeatureInfo(b, "feature_type", types, (bst_ulong)d->n_features) != 0)
            st = xgb_failed(err, "XGBoosterSetStrFeatureInfo");
    }
    ph_free(d->ctx, names);
    ph_free(d->ctx, types);
    return st;
}

/* Train the chosen parameters again on every row, validation slice
 * included, for as many rounds as early stopping chose, scaled by how many
 * more rows there are: the latest period carries the most recent behaviour,
 * and a model that never saw it gives up accuracy out of time. */
static ph_status refit(const gbdt_design *d, run_state *rs, const ph_gbdt_candidate *cand,
                       BoosterHandle *out, int *rounds, ph_error *err)
{
    DMatrixHandle all = NULL;
    ph_status st = make_matrix(d, -1, &all, err);
    if (st != PH_OK) {
        if (all)
            XGDMatrixFree(all); /* made, then its labels or names failed */
        return st;
    }
    size_t train_rows = 0;
    for (size_t r = 0; r < d->rows; r++)
        train_rows += !d->is_valid[r];
    *rounds = (int)llround((double)(cand->best_iteration + 1) * (double)d->rows /
                           (double)train_rows);
    BoosterHandle b = NULL;
    if (XGBoosterCreate(&all, 1, &b) != 0)
        st = xgb_failed(err, "XGBoosterCreate");
    if (st == PH_OK)
        st = set_params(b, &cand->params, rs->monotone, rs->opts->threads, err);
    for (int it = 0; st == PH_OK && it < *rounds; it++)
        if (XGBoosterUpdateOneIter(b, it, all) != 0)
            st = xgb_failed(err, "XGBoosterUpdateOneIter");
    XGDMatrixFree(all);
    if (st != PH_OK) {
        if (b)
            XGBoosterFree(b);
        return st;
    }
    *out = b;
    return PH_OK;
}

/* The figures of the held-out model (cut to its best round, never trained
 * on the validation slice: the honest out-of-time AUC), then the saved
 * model: that one, or its refit on every row. */
static ph_status finish(const gbdt_design *d, run_state *rs, BoosterHandle b, ph_gbdt_result *res,
                        ph_error *err)
{
    ph_status st = slice_auc(d, b, rs->train, 0, &res->train_auc, err);
    if (st == PH_OK)
        st = slice_auc(d, b, rs->valid, 1, &res->valid_auc, err);
    BoosterHandle saved = b, again = NULL;
    if (st == PH_OK && rs->opts->refit) {
        st = refit(d, rs, &res->candidates[res->chosen], &again, &res->refit_rounds, err);
        saved = again;
    }
    if (st == PH_OK)
        st = name_features(d, saved, err);
    if (st == PH_OK && rs->opts->calibration != 0)
        st = calibrate(d, rs, b, saved, res, err);
    bst_ulong len = 0;
    const char *buf = NULL;
    if (st == PH_OK && XGBoosterSaveModelToBuffer(saved, "{\"format\": \"json\"}", &len, &buf) != 0)
        st = xgb_failed(err, "XGBoosterSaveModelToBuffer");
    if (st == PH_OK && !(res->model_json = ph_malloc(d->ctx, (size_t)len + 1)))
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK) {
        memcpy(res->model_json, buf, (size_t)len);
        res->model_json[len] = '\0';
        res->model_json_len = (size_t)len;
    }
    if (again)
        XGBoosterFree(again);
    return st;
}

static ph_status run(const gbdt_design *d, const ph_gbdt_options *o, ph_gbdt_result *res,
                     ph_error *err)
{
    run_state rs = {.opts = o};
    size_t n_cand = o->search > 1 ? o->search : 1;
    res->candidates = ph_calloc(d->ctx, n_cand, sizeof(*res->candidates));
    char *monotone = monotone_text(d);
    ph_status st = PH_OK;
    if (!res->candidates || !monotone)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    rs.monotone = monotone;
    if (st == PH_OK)
        st = make_matrix(d, 0, &rs.train, err);
    if (st == PH_OK)
        st = make_matrix(d, 1, &rs.valid, err);
    uint64_t state = (uint64_t)o->params.seed ^ 0x5eedULL;
    for (size_t k = 0; st == PH_OK && k < n_cand; k++) {
        res->candidates[k].params = o->params;
        if (k > 0)
            draw_candidate(&res->candidates[k].params, &state);
        rs.total += (uint64_t)res->candidates[k].params.num_round;
    }
    BoosterHandle best = NULL;
    for (size_t k = 0; st == PH_OK && k < n_cand; k++) {
        BoosterHandle b = NULL;
        st = boost(&rs, &res->candidates[k], &b, err);
        res->n_candidates = st == PH_OK ? k + 1 : res->n_candidates;
        if (st != PH_OK)
            break;
        if (!best || res->candidates[k].valid_auc > res->candidates[res->chosen].valid_auc) {
            if (best)
                XGBoosterFree(best);
            best = b;
            res->chosen = k;
        } else {
            XGBoosterFree(b);
        }
    }
    if (st == PH_OK)
        st = finish(d, &rs, best, res, err);
    if (best)
        XGBoosterFree(best);
    if (rs.train)
        XGDMatrixFree(rs.train);
    if (rs.valid)
        XGDMatrixFree(rs.valid);
    ph_free(d->ctx, monotone);
    return st;
}

ph_status ph_gbdt_train(const ph_ctx *ctx, const ph_dataset *ds, const ph_gbdt_options *opts,
                        ph_gbdt_result **out, ph_error *err)
{
    if (!ctx || !ds || !opts || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ctx, ds, opts and out are required");
    gbdt_design d;
    ph_status st = gbdt_design_build(ctx, ds, opts, &d, err);
    ph_gbdt_result *res = NULL;
    if (st == PH_OK && !(res = ph_calloc(ctx, 1, sizeof(*res))))
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK) {
        res->ctx = ctx;
        st = run(&d, opts, res, err);
    }
    if (st != PH_OK) {
        if (err && err->source[0] == '\0')
            ph_error_locate(err, ph_dataset_source(ds), err->line, err->column);
        ph_gbdt_result_free(res);
        gbdt_design_free(&d);
        return st;
    }
    for (size_t r = 0; r < d.rows; r++) {
        size_t *rows = d.is_valid[r] ? &res->rows_valid : &res->rows_train;
        size_t *bads = d.is_valid[r] ? &res->bad_valid : &res->bad_train;
        (*rows)++;
        *bads += d.y[r];
    }
    res->features = d.features;
    res->n_features = d.n_features;
    res->split = d.split;
    d.features = NULL;
    d.n_features = 0;
    d.split = NULL;
    gbdt_design_free(&d);
    *out = res;
    return PH_OK;
}

ph_status ph_gbdt_write_model(const ph_gbdt_result *res, const char *path, ph_error *err)
{
    if (!res || !path)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "res and path are required");
    size_t len = strlen(path) + 8;
    char *tmp = ph_malloc(res->ctx, len);
    if (!tmp)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    snprintf(tmp, len, "%s.tmp", path);
    ph_status st = PH_OK;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        st = ph_error_set(err, PH_EIO, "--out", path, "cannot create %s", tmp);
    } else {
        size_t wrote = fwrite(res->model_json, 1, res->model_json_len, f);
        if ((fclose(f) != 0 || wrote != res->model_json_len))
            st = ph_error_set(err, PH_EIO, "--out", path, "writing %s failed", tmp);
        if (st == PH_OK && rename(tmp, path) != 0)
            st = ph_error_set(err, PH_EIO, "--out", path, "cannot rename %s to it", tmp);
        if (st != PH_OK)
            remove(tmp);
    }
    ph_free(res->ctx, tmp);
    return st;
}

void ph_gbdt_result_free(ph_gbdt_result *res)
{
    if (!res)
        return;
    const ph_ctx *ctx = res->ctx;
    gbdt_features_free(ctx, res->features, res->n_features);
    ph_free(ctx, res->split);
    ph_free(ctx, res->candidates);
    ph_free(ctx, res->model_json);
    ph_free(ctx, res->calibration);
    ph_free(ctx, res);
}
