/*
 * Scorecard training: options, the candidate variables, and the steps in
 * order (see include/puhui/scorecard.h and train_internal.h): bin every
 * candidate, WOE and IV, select, fit (dropping wrong-signed variables),
 * scale, assemble the scorecard, write the log.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "scorecard_internal.h"
#include "train_internal.h"

#define MAX_SPECIAL_VALUES 64

void ph_sc_train_options_init(ph_sc_train_options *opts)
{
    if (!opts)
        return;
    memset(opts, 0, sizeof(*opts));
    opts->version = PH_SC_TRAIN_OPTIONS_VERSION;
    opts->fine_bins = 20;
    opts->min_bin_share = 0.05;
    opts->min_iv = 0.02;
    opts->max_correlation = 0.7;
    opts->max_vif = 5.0;
    opts->l2 = 1e-4;
    opts->max_iterations = 50;
    opts->tolerance = 1e-8;
    opts->base_points = 600.0;
    opts->base_odds = 50.0;
    opts->pdo = 20.0;
    opts->name = "scorecard";
    opts->drop_wrong_sign = 1;
    opts->monotone = 1;
    opts->assess_dropped = 1;
}

/* The real-valued options and their ranges: low < v (or <=), v <= high. */
static const struct {
    const char *name;
    size_t offset;
    double low, high;
    int low_open;
    const char *expected;
} real_limits[] = {
    {"min_bin_share", offsetof(ph_sc_train_options, min_bin_share), 0, 0.5, 0,
     "a share of rows from 0 to 0.5"},
    {"min_iv", offsetof(ph_sc_train_options, min_iv), 0, INFINITY, 0, "an IV of 0 or more"},
    {"max_correlation", offsetof(ph_sc_train_options, max_correlation), 0, 1, 1,
     "a correlation above 0, at most 1"},
    {"max_vif", offsetof(ph_sc_train_options, max_vif), 1, INFINITY, 1, "a VIF above 1"},
    {"l2", offsetof(ph_sc_train_options, l2), 0, INFINITY, 0, "a penalty of 0 or more"},
    {"tolerance", offsetof(ph_sc_train_options, tolerance), 0, 1, 1,
     "a tolerance above 0, at most 1"},
    {"base_points", offsetof(ph_sc_train_options, base_points), -INFINITY, INFINITY, 1,
     "a finite number of points"},
    {"base_odds", offsetof(ph_sc_train_options, base_odds), 0, INFINITY, 1,
     "odds of good:bad above 0"},
    {"pdo", offsetof(ph_sc_train_options, pdo), 0, INFINITY, 1,
     "points to double the odds above 0"},
};

static ph_status check_options(const ph_sc_train_options *o, ph_error *err)
{
    char value[40];
    if (o->version != PH_SC_TRAIN_OPTIONS_VERSION) {
        snprintf(value, sizeof(value), "%u", o->version);
        return ph_error_set(err, PH_EMISUSE, "version", value,
                            "expected PH_SC_TRAIN_OPTIONS_VERSION (%d): call "
                            "ph_sc_train_options_init first",
                            PH_SC_TRAIN_OPTIONS_VERSION);
    }
    if (!o->target)
        return ph_error_set(err, PH_EMISUSE, "target", NULL, "expected the target column's name");
    for (size_t i = 0; i < sizeof(real_limits) / sizeof(real_limits[0]); i++) {
        double v;
        memcpy(&v, (const char *)o + real_limits[i].offset, sizeof(v));
        int above = real_limits[i].low_open ? v > real_limits[i].low : v >= real_limits[i].low;
        if (!isfinite(v) || !above || v > real_limits[i].high) {
            snprintf(value, sizeof(value), "%g", v);
            return ph_error_set(err, PH_EINVAL, real_limits[i].name, value, "expected %s",
                                real_limits[i].expected);
        }
    }
    const struct {
        const char *name;
        int value;
    } flags[] = {{"monotone", o->monotone},
                 {"assess_dropped", o->assess_dropped},
                 {"drop_wrong_sign", o->drop_wrong_sign},
                 {"round_points", o->round_points}};
    for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        if (flags[i].value != 0 && flags[i].value != 1) {
            snprintf(value, sizeof(value), "%d", flags[i].value);
            return ph_error_set(err, PH_EINVAL, flags[i].name, value, "expected 0 or 1");
        }
    }
    if (o->fine_bins < 2 || o->fine_bins > 1000) {
        snprintf(value, sizeof(value), "%zu", o->fine_bins);
        return ph_error_set(err, PH_EINVAL, "fine_bins", value, "expected 2 to 1000 classes");
    }
    if (o->max_iterations < 1 || o->max_iterations > 10000) {
        snprintf(value, sizeof(value), "%zu", o->max_iterations);
        return ph_error_set(err, PH_EINVAL, "max_iterations", value,
                            "expected 1 to 10000 iterations");
    }
    if (o->n_special_values > MAX_SPECIAL_VALUES || (o->n_special_values && !o->special_values)) {
        snprintf(value, sizeof(value), "%zu", o->n_special_values);
        return ph_error_set(err, PH_EINVAL, "n_special_values", value,
                            "expected at most %d special values (and the array of them)",
                            MAX_SPECIAL_VALUES);
    }
    for (size_t i = 0; i < o->n_special_values; i++) {
        if (!isfinite(o->special_values[i]))
            return ph_error_set(err, PH_EINVAL, "special_values", NULL,
                                "expected finite special values (NaN is the missing bin)");
    }
    return PH_OK;
}

static int name_in(const char *name, const char *const *list)
{
    for (size_t i = 0; list && list[i]; i++) {
        if (strcmp(list[i], name) == 0)
            return 1;
    }
    return 0;
}

static ph_status no_column(const ph_dataset *ds, const char *option, const char *name,
                           ph_error *err)
{
    return ph_error_set(err, PH_ENOTFOUND, option, name,
                        "expected a column of %s, which has no column of this name",
                        ph_dataset_source(ds));
}

/* The numeric candidate an entry "NAME=WORD" of `option` names, and which of
 * `words` (n_words of them) WORD is; `expected` says the entry's form. */
static ph_status named_entry(const ph_dataset *ds, const char *option, const char *entry,
                             const char *const *words, size_t n_words, const char *expected,
                             sc_var *vars, size_t n_vars, sc_var **var, size_t *word,
                             ph_error *err)
{
    const char *eq = strrchr(entry, '=');
    if (!eq || eq == entry)
        return ph_error_set(err, PH_EINVAL, option, entry, "expected %s", expected);
    size_t w = 0;
    while (w < n_words && strcmp(eq + 1, words[w]) != 0)
        w++;
    if (w == n_words)
        return ph_error_set(err, PH_EINVAL, option, entry, "expected %s", expected);
    size_t len = (size_t)(eq - entry), v = 0;
    while (v < n_vars &&
           !(strlen(vars[v].name) == len && memcmp(vars[v].name, entry, len) == 0))
        v++;
    if (v == n_vars) {
        char name[PH_ERROR_VALUE_MAX];
        snprintf(name, sizeof(name), "%.*s", (int)(len < 80 ? len : 80), entry);
        if (ph_dataset_column_index(ds, name) < 0)
            return no_column(ds, option, name, err);
        return ph_error_set(err, PH_EINVAL, option, entry,
                            "expected a candidate variable, not the target or an "
                            "excluded column");
    }
    if (vars[v].categorical)
        return ph_error_set(err, PH_EINVAL, option, entry,
                            "expected a numeric column: a categorical one has no order");
    *var = &vars[v];
    *word = w;
    return PH_OK;
}

/* Apply opts->directions and opts->monotone_by_variable to the candidates. */
static ph_status apply_directions(const ph_dataset *ds, const ph_sc_train_options *o,
                                  sc_var *vars, size_t n_vars, ph_error *err)
{
    static const char *const direction_words[] = {"increasing", "decreasing"};
    static const ph_sc_direction directions[] = {PH_SC_DIRECTION_INCREASING,
                                                 PH_SC_DIRECTION_DECREASING};
    static const char *const monotone_words[] = {"off", "on"};
    for (size_t i = 0; i < n_vars; i++)
        vars[i].monotone = o->monotone;
    sc_var *v = NULL;
    size_t w = 0;
    for (size_t i = 0; o->directions && o->directions[i]; i++) {
        ph_status st = named_entry(ds, "directions", o->directions[i], direction_words, 2,
                                   "NAME=increasing or NAME=decreasing", vars, n_vars, &v, &w,
                                   err);
        if (st != PH_OK)
            return st;
        v->direction = directions[w];
        v->direction_given = 1;
    }
    for (size_t i = 0; o->monotone_by_variable && o->monotone_by_variable[i]; i++) {
        ph_status st = named_entry(ds, "monotone_by_variable", o->monotone_by_variable[i],
                                   monotone_words, 2, "NAME=on or NAME=off", vars, n_vars, &v,
                                   &w, err);
        if (st != PH_OK)
            return st;
        v->monotone = (int)w;
    }
    return PH_OK;
}

/* Every column but the target and the excluded ones, in dataset order. */
static ph_status candidates(const ph_ctx *ctx, const ph_dataset *ds,
                            const ph_sc_train_options *o, sc_var **out, size_t *n_out,
                            ph_error *err)
{
    for (size_t i = 0; o->exclude && o->exclude[i]; i++) {
        if (ph_dataset_column_index(ds, o->exclude[i]) < 0)
            return no_column(ds, "exclude", o->exclude[i], err);
    }
    size_t cols = ph_dataset_columns(ds), n = 0;
    sc_var *vars = ph_calloc(ctx, cols ? cols : 1, sizeof(sc_var));
    if (!vars)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the variables");
    for (size_t c = 0; c < cols; c++) {
        const char *name = ph_dataset_column_name(ds, c);
        if (strcmp(name, o->target) == 0 || name_in(name, o->exclude))
            continue;
        vars[n].column = c;
        vars[n].name = name;
        vars[n].categorical = ph_dataset_column_kind(ds, c) == PH_COLUMN_CATEGORICAL;
        vars[n].auc_gain = vars[n].trial_coefficient = NAN;
        n++;
    }
    ph_status st = PH_OK;
    if (n == 0)
        st = ph_error_set(err, PH_EINVAL, "exclude", NULL,
                          "expected at least one column besides the target and the excluded "
                          "ones in %s",
                          ph_dataset_source(ds));
    if (st == PH_OK)
        st = apply_directions(ds, o, vars, n, err);
    if (st != PH_OK) {
        ph_free(ctx, vars);
        return st;
    }
    *out = vars;
    *n_out = n;
    return PH_OK;
}

/* The target as 0/1 with both classes present. */
static ph_status read_target(const ph_ctx *ctx, const ph_dataset *ds,
                             const ph_sc_train_options *o, uint8_t **out, uint64_t *bads,
                             ph_error *err)
{
    size_t rows = ph_dataset_rows(ds);
    if (rows == 0)
        return ph_error_set(err, PH_EINVAL, "rows", "0", "expected training rows in %s",
                            ph_dataset_source(ds));
    uint8_t *bad = ph_malloc(ctx, rows);
    if (!bad)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the target");
    ph_status st = ph_dataset_binary_target(ds, o->target, o->bad_label, bad, err);
    uint64_t n_bad = 0;
    for (size_t r = 0; st == PH_OK && r < rows; r++)
        n_bad += bad[r];
    if (st == PH_OK && (n_bad == 0 || n_bad == rows))
        st = ph_error_set(err, PH_EINVAL, "target", o->target,
                          "expected both good and bad rows, got %llu good and %llu bad",
                          (unsigned long long)(rows - n_bad), (unsigned long long)n_bad);
    if (st != PH_OK) {
        ph_free(ctx, bad);
        return st;
    }
    *out = bad;
    *bads = n_bad;
    return PH_OK;
}

static ph_status bin_all(const ph_ctx *ctx, const ph_dataset *ds, const ph_sc_train_options *o,
                         const uint8_t *bad, uint64_t bads, sc_var *vars, size_t n_vars,
                         uint64_t *min_count, ph_error *err)
{
    sc_report_progress(o, 0, n_vars + 1);
    size_t rows = ph_dataset_rows(ds);
    sc_bin_params p = {bad, rows, o->fine_bins, 0, o->special_values, o->n_special_values};
    p.min_count = (uint64_t)ceil(o->min_bin_share * (double)rows);
    *min_count = p.min_count;
    for (size_t i = 0; i < n_vars; i++) {
        ph_status st = vars[i].categorical ? sc_bin_categorical(ctx, ds, &p, &vars[i], err)
                                           : sc_bin_numeric(ctx, ds, &p, &vars[i], err);
        if (st != PH_OK)
            return st;
        sc_woe_compute(&vars[i], rows - bads, bads);
        sc_report_progress(o, i + 1, n_vars + 1);
    }
    return PH_OK;
}

static ph_status nothing_selected(const ph_sc_train_options *o, const sc_var *vars,
                                  size_t n_vars, ph_error *err)
{
    const sc_var *best = &vars[0];
    for (size_t i = 1; i < n_vars; i++) {
        if (vars[i].iv > best->iv)
            best = &vars[i];
    }
    char value[40];
    snprintf(value, sizeof(value), "%g", o->min_iv);
    return ph_error_set(err, PH_EINVAL, "min_iv", value,
                        "no variable reaches the IV floor %g: the best is %s with IV %.4f",
                        o->min_iv, best->name, best->iv);
}

/* The dropped variables into the scorecard, for ph_scorecard_dropped. */
static ph_status record_dropped(const ph_ctx *ctx, const sc_var *vars, size_t n_vars,
                                ph_scorecard *sc, ph_error *err)
{
    size_t n = 0;
    for (size_t i = 0; i < n_vars; i++)
        n += vars[i].fate != SC_KEPT;
    if (n == 0)
        return PH_OK;
    if (!(sc->dropped = ph_calloc(ctx, n, sizeof(ph_sc_dropped))))
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the dropped list");
    for (size_t i = 0; i < n_vars; i++) {
        const sc_var *v = &vars[i];
        if (v->fate == SC_KEPT)
            continue;
        ph_sc_dropped *d = &sc->dropped[sc->n_dropped++];
        d->field = ph_strdup(ctx, v->name);
        d->why = ph_strdup(ctx, v->why);
        d->reason = (ph_sc_drop_reason)v->fate;
        d->iv = v->iv;
        d->auc_gain = v->auc_gain;
        d->trial_coefficient = v->trial_coefficient;
        if (!d->field || !d->why)
            return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the dropped list");
    }
    return PH_OK;
}

static ph_status build_scorecard(const ph_ctx *ctx, const ph_dataset *ds,
                                 const ph_sc_train_options *o, const sc_var *vars,
                                 size_t n_vars, const sc_fit_result *res, uint64_t bads,
                                 ph_scorecard **out, ph_error *err)
{
    ph_scorecard *sc;
    ph_status st = ph_scorecard_new(ctx, &sc, err);
    if (st != PH_OK)
        return st;
    sc_scale scale = {o->pdo / log(2.0), 0, o->round_points};
    scale.offset = o->base_points - scale.factor * log(o->base_odds);
    sc->name = ph_strdup(ctx, o->name ? o->name : "scorecard");
    sc->target = ph_strdup(ctx, o->target);
    sc->initial_score = scale.offset + scale.factor * res->fit.intercept;
    if (o->round_points)
        sc->initial_score = round(sc->initial_score);
    sc->has_scale = 1;
    sc->base_points = o->base_points;
    sc->base_odds = o->base_odds;
    sc->pdo = o->pdo;
    sc->train_rows = ph_dataset_rows(ds);
    sc->train_bads = bads;
    sc->intercept = res->fit.intercept;
    sc->train_auc = res->auc;
    sc->train_ks = res->ks;
    if (!sc->name || !sc->target)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the scorecard");
    if (st == PH_OK)
        st = sc_assemble(ctx, ds, vars, n_vars, &scale, sc, err);
    if (st == PH_OK)
        st = record_dropped(ctx, vars, n_vars, sc, err);
    if (st != PH_OK) {
        ph_scorecard_free(sc);
        return st;
    }
    *out = sc;
    return PH_OK;
}

ph_status ph_scorecard_train(const ph_ctx *ctx, const ph_dataset *ds,
                             const ph_sc_train_options *opts, ph_scorecard **out, FILE *log,
                             ph_error *err)
{
    if (!ctx || !ds || !opts || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_scorecard_train needs ctx, ds, opts and out");
    ph_status st = check_options(opts, err);
    uint8_t *bad = NULL;
    uint64_t bads = 0, min_count = 0;
    sc_var *vars = NULL;
    size_t n_vars = 0, rows = ph_dataset_rows(ds);
    if (st == PH_OK)
        st = read_target(ctx, ds, opts, &bad, &bads, err);
    if (st == PH_OK)
        st = candidates(ctx, ds, opts, &vars, &n_vars, err);
    if (st == PH_OK)
        st = bin_all(ctx, ds, opts, bad, bads, vars, n_vars, &min_count, err);
    sc_select_params sp = {opts->min_iv, opts->max_correlation, opts->max_vif};
    if (st == PH_OK)
        st = sc_select(ctx, vars, n_vars, rows, &sp, err);
    size_t n_kept = 0;
    for (size_t i = 0; st == PH_OK && i < n_vars; i++)
        n_kept += vars[i].fate == SC_KEPT;
    if (st == PH_OK && n_kept == 0)
        st = nothing_selected(opts, vars, n_vars, err);
    sc_fit_result res = {0};
    double l2 = opts->l2 * (double)rows;
    if (st == PH_OK)
        st = sc_fit_model(ctx, opts, vars, n_vars, rows, bad, l2, &res, err);
    if (st == PH_OK)
        st = sc_assess_dropped(ctx, opts, vars, n_vars, rows, bad, l2, &res, err);
    ph_scorecard *sc = NULL;
    if (st == PH_OK)
        st = build_scorecard(ctx, ds, opts, vars, n_vars, &res, bads, &sc, err);
    if (st == PH_OK && log) {
        sc_train_report report = {opts, vars, n_vars, rows, bads, min_count, l2,
                                  res.fit.iterations, res.fit.log_likelihood, res.auc, res.ks};
        st = sc_write_training_log(log, &report, sc, err);
    }
    for (size_t i = 0; i < n_vars; i++)
        sc_var_clear(ctx, &vars[i]);
    ph_free(ctx, vars);
    ph_free(ctx, bad);
    if (st != PH_OK) {
        ph_scorecard_free(sc);
        return st;
    }
    *out = sc;
    return PH_OK;
}
