/*
 * puhui model train-gbdt --input FILE.csv --target COL [--id COL]
 *     [--exclude COL,...] [--categorical COL,...] [--monotone off|COL=+1|-1|0,...]
 *     [--time COL [--valid-from DATE]] [--params FILE.json] [--search N]
 *     [--threads N] --out MODEL.json
 *
 * Reads the CSV, trains boosted trees on libxgboost (ph_gbdt_train, its own
 * library puhui_gbdt) with early stopping on an out-of-time validation
 * slice, writes XGBoost JSON that `puhui model score` reads, and prints the
 * summary: the slices, the best round, the AUCs, the constraints per
 * feature and, with --search, the candidates. --monotone may be repeated.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_cli.h"
#include "progress.h"
#include "puhui/gbdt.h"

static const char CMD[] = "model";

typedef struct gbdt_args {
    const char *input, *target, *id, *exclude, *categorical, *time, *valid_from, *params;
    const char *search, *threads, *out, *refit, *calibration;
    char **monotone; /* every --monotone entry, NULL-terminated */
    size_t n_monotone;
    char ***blocks;  /* the split lists holding them, free() each */
    size_t n_blocks;
} gbdt_args;

static const struct {
    const char *name;
    size_t offset;
} valued[] = {
    {"--input", offsetof(gbdt_args, input)},
    {"--target", offsetof(gbdt_args, target)},
    {"--id", offsetof(gbdt_args, id)},
    {"--exclude", offsetof(gbdt_args, exclude)},
    {"--categorical", offsetof(gbdt_args, categorical)},
    {"--time", offsetof(gbdt_args, time)},
    {"--valid-from", offsetof(gbdt_args, valid_from)},
    {"--params", offsetof(gbdt_args, params)},
    {"--search", offsetof(gbdt_args, search)},
    {"--threads", offsetof(gbdt_args, threads)},
    {"--out", offsetof(gbdt_args, out)},
    {"--refit", offsetof(gbdt_args, refit)},
    {"--calibration", offsetof(gbdt_args, calibration)},
};

static void *need(void *p)
{
    if (!p) {
        fputs("puhui: out of memory\n", stderr);
        exit(PH_EXIT_FAILURE);
    }
    return p;
}

/* --monotone, repeatable: each value's comma-separated entries appended;
 * the entries live in their split list's block, kept in a->blocks. */
static void add_monotone(gbdt_args *a, const char *value)
{
    char **list = need(ph_cli_split_list(value, 0));
    size_t n = 0;
    while (list[n])
        n++;
    a->monotone = need(realloc(a->monotone, (a->n_monotone + n + 1) * sizeof(char *)));
    memcpy(a->monotone + a->n_monotone, list, n * sizeof(char *));
    a->n_monotone += n;
    a->monotone[a->n_monotone] = NULL;
    a->blocks = need(realloc(a->blocks, (a->n_blocks + 1) * sizeof(char **)));
    a->blocks[a->n_blocks++] = list;
}

/* One option: --monotone appends, the others fill their slot. */
static int take_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    (void)cli;
    gbdt_args *a = user;
    if (strcmp(option, "--monotone") == 0) {
        add_monotone(a, value);
        return PH_EXIT_OK;
    }
    for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]); k++)
        if (strcmp(option, valued[k].name) == 0)
            *(const char **)((char *)a + valued[k].offset) = value;
    return PH_EXIT_OK;
}

static int parse_args(ph_cli *cli, int argc, char **argv, gbdt_args *a)
{
    enum { N_VALUED = sizeof(valued) / sizeof(valued[0]) };
    const char *names[N_VALUED + 1];
    for (size_t k = 0; k < N_VALUED; k++)
        names[k] = valued[k].name;
    names[N_VALUED] = "--monotone"; /* repeatable */
    int code = ph_cli_each_option(cli, CMD, argc, argv, 2, names, N_VALUED + 1, take_option, a);
    if (code != PH_EXIT_OK)
        return code;
    if (!a->input || !a->target || !a->out)
        return ph_cli_usage_error(cli, CMD,
                                  "model train-gbdt needs --input FILE.csv, --target COL and "
                                  "--out MODEL.json");
    if (a->valid_from && !a->time)
        return ph_cli_usage_error(cli, CMD, "--valid-from needs --time COL (the date column)");
    return PH_EXIT_OK;
}

/* "off" among the --monotone entries: drop it, report it. */
static int take_off(gbdt_args *a)
{
    int off = 0;
    size_t n = 0;
    for (size_t i = 0; i < a->n_monotone; i++) {
        if (strcmp(a->monotone[i], "off") == 0)
            off = 1;
        else
            a->monotone[n++] = a->monotone[i];
    }
    if (a->monotone)
        a->monotone[n] = NULL;
    a->n_monotone = n;
    return off;
}

static void print_summary(ph_cli *cli, const ph_gbdt_result *r, const char *out)
{
    const ph_gbdt_candidate *best = &r->candidates[r->chosen];
    FILE *o = cli->out;
    if (r->refit_rounds > 0)
        fprintf(o, "wrote %s: XGBoost binary:logistic, %d trees refitted on every row "
                   "(best round %d of %d run on the training rows, scaled by all rows), "
                   "%zu features\n",
                out, r->refit_rounds, best->best_iteration + 1, best->rounds, r->n_features);
    else
        fprintf(o, "wrote %s: XGBoost binary:logistic, %d trees (best round %d of %d run), "
                   "%zu features\n",
                out, best->best_iteration + 1, best->best_iteration + 1, best->rounds,
                r->n_features);
    fprintf(o, "validation slice: %s\n", r->split);
    fprintf(o, "training   %zu rows, %zu bad (%.2f%%), AUC %.4f\n", r->rows_train, r->bad_train,
            100.0 * (double)r->bad_train / (double)r->rows_train, r->train_auc);
    fprintf(o, "validation %zu rows, %zu bad (%.2f%%), AUC %.4f%s\n", r->rows_valid,
            r->bad_valid, 100.0 * (double)r->bad_valid / (double)r->rows_valid, r->valid_auc,
            r->refit_rounds > 0 ? " (the model before the refit: out of time)" : "");
    if (r->calibration)
        fprintf(o, "calibration %s, fitted on the validation slice (its Brier there %.5f "
                   "before, %.5f after: in sample), stored with the model\n",
                r->calibration, r->brier_raw, r->brier_calibrated);
    if (r->n_candidates > 1) {
        static const char *const h[] = {"#", "max_depth", "eta", "min_child_weight",
                                        "subsample", "colsample_bytree", "lambda",
                                        "best round", "valid AUC", "chosen"};
        static const int num[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
        ph_cli_table *t = ph_cli_table_new(h, num, 10);
        for (size_t k = 0; k < r->n_candidates; k++) {
            const ph_gbdt_candidate *c = &r->candidates[k];
            char cell[9][32];
            snprintf(cell[0], 32, "%zu", k + 1);
            snprintf(cell[1], 32, "%d", c->params.max_depth);
            snprintf(cell[2], 32, "%.4f", c->params.eta);
            snprintf(cell[3], 32, "%.2f", c->params.min_child_weight);
            snprintf(cell[4], 32, "%.2f", c->params.subsample);
            snprintf(cell[5], 32, "%.2f", c->params.colsample_bytree);
            snprintf(cell[6], 32, "%.3f", c->params.lambda);
            snprintf(cell[7], 32, "%d", c->best_iteration + 1);
            snprintf(cell[8], 32, "%.4f", c->valid_auc);
            const char *cells[] = {cell[0], cell[1], cell[2], cell[3], cell[4], cell[5],
                                   cell[6], cell[7], cell[8], k == r->chosen ? "*" : ""};
            ph_cli_table_add(t, cells);
        }
        fputc('\n', o);
        ph_cli_table_print(cli, t, "search candidates (valid AUC: XGBoost's, out of time)");
        ph_cli_table_free(t);
    }
    static const char *const h[] = {"feature", "monotone", "from"};
    static const int num[] = {0, 0, 0};
    ph_cli_table *t = ph_cli_table_new(h, num, 3);
    for (size_t f = 0; f < r->n_features; f++) {
        char sign[8];
        snprintf(sign, sizeof(sign), "%+d", r->features[f].monotone);
        const char *cells[] = {r->features[f].name, r->features[f].monotone ? sign : "0",
                               r->features[f].why};
        ph_cli_table_add(t, cells);
    }
    fputc('\n', o);
    ph_cli_table_print(cli, t, "features and monotone constraints (+1: more never lowers the "
                               "PD; -1: more never raises it)");
    ph_cli_table_free(t);
}

static int train(ph_cli *cli, const gbdt_args *a, const ph_dataset *ds, ph_gbdt_options *opts)
{
    ph_error err;
    ph_gbdt_result *res = NULL;
    ph_cli_progress *meter = ph_cli_progress_start(cli, "puhui model train-gbdt", "rounds");
    opts->progress = meter ? ph_cli_progress_cb : NULL;
    opts->progress_user = meter;
    ph_status st = ph_gbdt_train(cli->ctx, ds, opts, &res, &err);
    ph_cli_progress_finish(meter);
    if (st == PH_OK)
        st = ph_gbdt_write_model(res, a->out, &err);
    if (st != PH_OK) {
        ph_gbdt_result_free(res);
        return ph_cli_fail(cli, st, &err, NULL);
    }
    print_summary(cli, res, a->out);
    ph_gbdt_result_free(res);
    return PH_EXIT_OK;
}

int ph_model_cmd_train_gbdt(ph_cli *cli, int argc, char **argv)
{
    gbdt_args a = {0};
    int code = parse_args(cli, argc, argv, &a);
    ph_gbdt_options opts;
    ph_gbdt_options_init(&opts);
    ph_error err;
    long long search = 0, threads = 0;
    if (code == PH_EXIT_OK && a.search)
        code = ph_cli_parse_int(cli, CMD, "--search", a.search, 1, 1000, &search);
    if (code == PH_EXIT_OK && a.threads)
        code = ph_cli_parse_int(cli, CMD, "--threads", a.threads, 1, 256, &threads);
    if (code == PH_EXIT_OK && a.refit) {
        if (strcmp(a.refit, "on") == 0 || strcmp(a.refit, "off") == 0)
            opts.refit = strcmp(a.refit, "on") == 0;
        else
            code = ph_cli_usage_error(cli, CMD, "--refit takes on or off, got '%s'", a.refit);
    }
    if (code == PH_EXIT_OK && a.calibration) {
        static const struct {
            const char *name;
            ph_calibration_method method;
        } methods[] = {{"platt", PH_CALIBRATION_PLATT},
                       {"isotonic", PH_CALIBRATION_ISOTONIC},
                       {"none", (ph_calibration_method)0}};
        size_t k = 0;
        while (k < 3 && strcmp(a.calibration, methods[k].name) != 0)
            k++;
        if (k < 3)
            opts.calibration = methods[k].method;
        else
            code = ph_cli_usage_error(cli, CMD, "--calibration takes platt, isotonic or none, "
                                                "got '%s'", a.calibration);
    }
    if (code == PH_EXIT_OK && a.params) {
        ph_status st = ph_gbdt_params_read(a.params, &opts.params, &err);
        if (st != PH_OK)
            code = ph_cli_fail(cli, st, &err, "see 'puhui help model' and docs/models.md");
    }
    char **categorical = NULL, **exclude = NULL;
    ph_dataset *ds = NULL;
    if (code == PH_EXIT_OK) {
        opts.target = a.target;
        opts.monotone_off = take_off(&a);
        opts.monotone = (const char *const *)a.monotone;
        opts.time_column = a.time;
        opts.valid_from = a.valid_from;
        opts.search = (unsigned)search;
        opts.threads = (int)threads;
        categorical = need(ph_cli_split_list(a.categorical, 0));
        exclude = need(ph_cli_split_list(a.exclude, 1));
        if (a.id) {
            size_t k = 0;
            while (exclude[k])
                k++;
            exclude[k] = (char *)a.id;
        }
        opts.exclude = (const char *const *)exclude;
        ph_cli_progress *meter = ph_cli_progress_start(cli, "reading", "bytes");
        ph_dataset_options dopts = {.categorical = (const char *const *)categorical,
                                    .progress = meter ? ph_cli_progress_cb : NULL,
                                    .progress_user = meter};
        ph_status st = ph_dataset_read_csv(cli->ctx, a.input, &dopts, &ds, &err);
        ph_cli_progress_finish(meter);
        code = st != PH_OK ? ph_cli_fail(cli, st, &err, NULL) : train(cli, &a, ds, &opts);
    }
    ph_dataset_free(ds);
    free(categorical);
    free(exclude);
    for (size_t i = 0; i < a.n_blocks; i++)
        free(a.blocks[i]);
    free(a.blocks);
    free(a.monotone);
    return code;
}
