/*
 * Scorecard training, the regression: the fit of the selected variables
 * (dropping wrong-signed ones and refitting), and afterwards one trial fit
 * per dropped variable with it added, for what it would have added.
 */
#include <math.h>
#include <stdio.h>

#include "train_internal.h"

/* The coefficient tolerance of a dropped variable's trial fit. */
#define TRIAL_TOLERANCE 1e-3

/* The kept variables' indices, in dataset order. */
static size_t kept(const sc_var *vars, size_t n_vars, size_t *cols, const char **names)
{
    size_t k = 0;
    for (size_t i = 0; i < n_vars; i++) {
        if (vars[i].fate == SC_KEPT) {
            names[k] = vars[i].name;
            cols[k++] = i;
        }
    }
    return k;
}

/* The weakest kept variable with a coefficient <= 0, or NULL. */
static sc_var *wrong_signed(sc_var *vars, const size_t *cols, size_t k)
{
    sc_var *worst = NULL;
    for (size_t j = 0; j < k; j++) {
        sc_var *v = &vars[cols[j]];
        if (v->coefficient <= 0 && (!worst || v->iv < worst->iv))
            worst = v;
    }
    return worst;
}

/* Fit the variables vars[cols[0..k)] (res->fit.coef has k slots) and
 * measure the fit's training AUC and KS. */
static ph_status fit_columns(const ph_ctx *ctx, const ph_sc_train_options *o,
                             const sc_var *vars, const size_t *cols, const char **names,
                             size_t k, size_t rows, const uint8_t *bad, double l2,
                             sc_fit_result *res, ph_error *err)
{
    double *x = NULL, *eta = NULL;
    ph_status st = sc_woe_matrix(ctx, vars, cols, k, rows, &x, err);
    if (st == PH_OK)
        st = sc_irls(ctx, x, rows, k, bad, l2, o->max_iterations, o->tolerance, names,
                     &res->fit, err);
    if (st == PH_OK && !(eta = ph_malloc(ctx, rows * sizeof(double))))
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the training AUC");
    for (size_t r = 0; st == PH_OK && r < rows; r++) {
        eta[r] = res->fit.intercept;
        for (size_t j = 0; j < k; j++)
            eta[r] += res->fit.coef[j] * x[r * k + j];
    }
    if (st == PH_OK)
        st = sc_auc_ks(ctx, eta, bad, rows, &res->auc, &res->ks, err);
    ph_free(ctx, eta);
    ph_free(ctx, x);
    return st;
}

/* Fit, dropping wrong-signed variables one at a time; the training AUC
 * and KS of the final fit. */
ph_status sc_fit_model(const ph_ctx *ctx, const ph_sc_train_options *o, sc_var *vars,
                       size_t n_vars, size_t rows, const uint8_t *bad, double l2,
                       sc_fit_result *res, ph_error *err)
{
    size_t *cols = ph_malloc(ctx, n_vars * sizeof(size_t));
    const char **names = ph_malloc(ctx, n_vars * sizeof(char *));
    double *coef = ph_malloc(ctx, n_vars * sizeof(double));
    ph_status st = cols && names && coef ? PH_OK
                                         : ph_error_set(err, PH_ENOMEM, NULL, NULL,
                                                        "out of memory fitting the regression");
    while (st == PH_OK) {
        size_t k = kept(vars, n_vars, cols, names);
        if (k == 0) {
            st = ph_error_set(err, PH_EINVAL, "drop_wrong_sign", "1",
                              "every variable's coefficient went against its WOE");
            break;
        }
        res->fit.coef = coef;
        st = fit_columns(ctx, o, vars, cols, names, k, rows, bad, l2, res, err);
        for (size_t j = 0; st == PH_OK && j < k; j++)
            vars[cols[j]].coefficient = coef[j];
        sc_var *wrong = st == PH_OK && o->drop_wrong_sign ? wrong_signed(vars, cols, k) : NULL;
        if (!wrong)
            break;
        wrong->fate = SC_DROP_SIGN;
        snprintf(wrong->why, sizeof(wrong->why),
                 "coefficient %.4f against its WOE (the weakest such), refitted without it",
                 wrong->coefficient);
    }
    res->fit.coef = NULL;
    ph_free(ctx, coef);
    ph_free(ctx, names);
    ph_free(ctx, cols);
    return st;
}

/* Refit the final model once with each dropped variable added (but one-bin
 * ones, which carry no information): what it would have added. A trial that
 * does not fit (singular, not converging) leaves its figures NaN; only
 * running out of memory fails the training. */
ph_status sc_assess_dropped(const ph_ctx *ctx, const ph_sc_train_options *o, sc_var *vars,
                            size_t n_vars, size_t rows, const uint8_t *bad, double l2,
                            const sc_fit_result *model, ph_error *err)
{
    size_t trials = 0; /* none when not asked: the meter must still end at its total */
    for (size_t i = 0; o->assess_dropped && i < n_vars; i++)
        trials += vars[i].fate != SC_KEPT && vars[i].fate != SC_DROP_ONE_BIN;
    uint64_t total = n_vars + 1 + trials, done = n_vars + 1;
    sc_report_progress(o, done, total);
    if (!o->assess_dropped || trials == 0)
        return PH_OK;
    size_t *cols = ph_malloc(ctx, n_vars * sizeof(size_t));
    const char **names = ph_malloc(ctx, n_vars * sizeof(char *));
    double *coef = ph_malloc(ctx, n_vars * sizeof(double));
    ph_status st = cols && names && coef ? PH_OK
                                         : ph_error_set(err, PH_ENOMEM, NULL, NULL,
                                                        "out of memory trying dropped variables");
    /* Each trial starts from the final model (the new coefficient at 0) and
     * stops at a coefficient tolerance of 1e-3, which moves the AUC by far
     * less than its 4 reported decimals: a few
     * passes over the rows instead of a full fit. */
    double *start = ph_malloc(ctx, (n_vars + 1) * sizeof(double));
    if (st == PH_OK && !start)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory trying dropped variables");
    size_t k = st == PH_OK ? kept(vars, n_vars, cols, names) : 0;
    if (st == PH_OK) {
        start[0] = model->fit.intercept;
        for (size_t j = 0; j < k; j++)
            start[j + 1] = vars[cols[j]].coefficient;
        start[k + 1] = 0.0;
    }
    ph_sc_train_options trial_opts = *o;
    trial_opts.tolerance = o->tolerance > TRIAL_TOLERANCE ? o->tolerance : TRIAL_TOLERANCE;
    for (size_t i = 0; st == PH_OK && i < n_vars; i++) {
        sc_var *v = &vars[i];
        if (v->fate == SC_KEPT || v->fate == SC_DROP_ONE_BIN)
            continue;
        cols[k] = i;
        names[k] = v->name;
        sc_fit_result trial = {{start, 0, coef, 0, 0}, 0, 0};
        ph_error scratch;
        ph_status t = fit_columns(ctx, &trial_opts, vars, cols, names, k + 1, rows, bad, l2,
                                  &trial, &scratch);
        if (t == PH_ENOMEM)
            st = ph_error_set(err, PH_ENOMEM, v->name, NULL, "%s", scratch.message);
        else if (t == PH_OK) {
            v->auc_gain = trial.auc - model->auc;
            v->trial_coefficient = coef[k];
        }
        sc_report_progress(o, ++done, total);
    }
    ph_free(ctx, start);
    ph_free(ctx, coef);
    ph_free(ctx, names);
    ph_free(ctx, cols);
    return st;
}
