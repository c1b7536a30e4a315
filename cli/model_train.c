/*
 * puhui model train-scorecard --input FILE.csv --target COL [--id COL]
 *     [--exclude COL,...] [--categorical COL,...] [--numeric COL,...]
 *     [--bad VALUE] [--direction COL=increasing|decreasing,...] [--special V,...]
 *     [--bins N] [--monotone on|off|COL=on|off,...] [--min-iv X]
 *     [--max-correlation R] [--max-vif V] [--min-bin-share X]
 *     [--base-points P] [--base-odds O] [--pdo D] [--round-points]
 *     --out MODEL.pmml [--summary FILE|-]
 *
 * Reads the CSV (kinds detected, or forced with --categorical/--numeric),
 * trains a scorecard (ph_scorecard_train) and writes it as PMML 4.4. The
 * training log (bins, IV, selection decisions, coefficients, training AUC,
 * the scorecard) goes to --summary, "-" for standard output. Otherwise
 * standard output gets what was written and the dropped variables, each with
 * the training AUC it would have added (a table, or with --format json one
 * document). The PMML is written to a temporary file renamed into place, so
 * a failure never leaves half a model behind. A progress line on a terminal.
 */
#include <errno.h>
#include <stddef.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_cli.h"
#include "progress.h"

static const char CMD[] = "model";

typedef struct train_args {
    const char *input, *target, *id, *exclude, *categorical, *numeric, *bad, *direction;
    const char *special, *min_iv, *min_bin_share, *base_points, *base_odds, *pdo, *out;
    const char *summary, *bins, *monotone, *max_correlation, *max_vif;
    int round_points;
} train_args;

/* The options that take a value, and where each goes. */
static const struct {
    const char *name;
    size_t offset;
} valued[] = {
    {"--input", offsetof(train_args, input)},
    {"--target", offsetof(train_args, target)},
    {"--id", offsetof(train_args, id)},
    {"--exclude", offsetof(train_args, exclude)},
    {"--categorical", offsetof(train_args, categorical)},
    {"--numeric", offsetof(train_args, numeric)},
    {"--bad", offsetof(train_args, bad)},
    {"--direction", offsetof(train_args, direction)},
    {"--special", offsetof(train_args, special)},
    {"--min-iv", offsetof(train_args, min_iv)},
    {"--bins", offsetof(train_args, bins)},
    {"--monotone", offsetof(train_args, monotone)},
    {"--max-correlation", offsetof(train_args, max_correlation)},
    {"--max-vif", offsetof(train_args, max_vif)},
    {"--min-bin-share", offsetof(train_args, min_bin_share)},
    {"--base-points", offsetof(train_args, base_points)},
    {"--base-odds", offsetof(train_args, base_odds)},
    {"--pdo", offsetof(train_args, pdo)},
    {"--out", offsetof(train_args, out)},
    {"--summary", offsetof(train_args, summary)},
};

static int parse_args(ph_cli *cli, int argc, char **argv, train_args *a)
{
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--round-points") == 0) {
            a->round_points = 1;
            continue;
        }
        const char *value = NULL;
        size_t k = 0;
        while (k < sizeof(valued) / sizeof(valued[0]) &&
               !ph_cli_option(argc, argv, &i, valued[k].name, &value))
            k++;
        if (k == sizeof(valued) / sizeof(valued[0]))
            return ph_cli_no_more_args(cli, CMD, 2, argv + i - 1);
        if (!value)
            return ph_cli_usage_error(cli, CMD, "%s needs a value", valued[k].name);
        *(const char **)((char *)a + valued[k].offset) = value;
    }
    if (!a->input || !a->target || !a->out)
        return ph_cli_usage_error(cli, CMD,
                                  "model train-scorecard needs --input FILE.csv, --target COL "
                                  "and --out MODEL.pmml");
    if (a->summary && strcmp(a->summary, "-") == 0 && cli->format == PH_FORMAT_JSON)
        return ph_cli_usage_error(cli, CMD,
                                  "--summary - and --format json both write to standard "
                                  "output: give --summary a file");
    return PH_EXIT_OK;
}

/* ph_cli_split_list, with `extra` appended when not NULL. Out of memory
 * ends the program (the CLI, not the library). Free with free(). */
static char **split_list(const char *text, const char *extra)
{
    char **list = ph_cli_split_list(text, 1);
    if (list == NULL) {
        fputs("puhui: out of memory\n", stderr);
        exit(PH_EXIT_FAILURE);
    }
    if (extra) {
        size_t k = 0;
        while (list[k])
            k++;
        list[k] = (char *)extra;
    }
    return list;
}

static int parse_real(ph_cli *cli, const char *option, const char *text, double *out)
{
    if (!text)
        return PH_EXIT_OK;
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (text[0] == '\0' || *end != '\0' || errno == ERANGE || !isfinite(v))
        return ph_cli_usage_error(cli, CMD, "%s takes a number, got '%s'", option, text);
    *out = v;
    return PH_EXIT_OK;
}

/* --special V,...: the numbers into specials[] (at most `cap`). */
static int parse_specials(ph_cli *cli, const char *text, double *specials, size_t cap,
                          size_t *n)
{
    *n = 0;
    char **list = split_list(text, NULL);
    int code = PH_EXIT_OK;
    for (size_t i = 0; code == PH_EXIT_OK && list[i]; i++) {
        if (*n == cap)
            code = ph_cli_usage_error(cli, CMD, "--special takes at most %zu values", cap);
        else
            code = parse_real(cli, "--special", list[i], &specials[(*n)++]);
    }
    free(list);
    return code;
}

/* --bins N: whole number of fine classes, 2 to 1000. */
static int parse_bins(ph_cli *cli, const char *text, size_t *out)
{
    if (!text)
        return PH_EXIT_OK;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (text[0] < '0' || text[0] > '9' || *end != '\0' || errno == ERANGE || v < 2 || v > 1000)
        return ph_cli_usage_error(cli, CMD,
                                  "--bins takes a whole number of classes from 2 to 1000, got "
                                  "'%s'",
                                  text);
    *out = (size_t)v;
    return PH_EXIT_OK;
}

/* --monotone on|off|COL=on|off,...: a bare on/off sets the default; the
 * COL=on|off entries stay in *by_variable (the split list, compacted in
 * place; checked by the trainer; free() it). */
static int parse_monotone(ph_cli *cli, const char *text, int *monotone, char ***by_variable)
{
    char **list = split_list(text, NULL);
    *by_variable = list;
    size_t n = 0;
    for (size_t i = 0; list[i]; i++) {
        if (strcmp(list[i], "on") == 0 || strcmp(list[i], "off") == 0)
            *monotone = strcmp(list[i], "on") == 0;
        else if (strchr(list[i], '='))
            list[n++] = list[i];
        else
            return ph_cli_usage_error(cli, CMD,
                                      "--monotone takes on, off or COL=on|off (comma-separated), "
                                      "got '%s'",
                                      list[i]);
    }
    list[n] = NULL;
    return PH_EXIT_OK;
}

static int write_pmml(ph_cli *cli, const ph_scorecard *sc, const char *path)
{
    size_t len = strlen(path) + 8;
    char *tmp = malloc(len);
    if (!tmp) {
        fputs("puhui: out of memory\n", stderr);
        exit(PH_EXIT_FAILURE);
    }
    snprintf(tmp, len, "%s.tmp", path);
    ph_error err;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        ph_error_set(&err, PH_EIO, "--out", path, "cannot create %s: %s", tmp, strerror(errno));
        free(tmp);
        return ph_cli_fail(cli, PH_EIO, &err, NULL);
    }
    ph_status st = ph_scorecard_write_pmml(sc, f, &err);
    if (fclose(f) != 0 && st == PH_OK)
        st = ph_error_set(&err, PH_EIO, "--out", path, "writing %s failed: %s", tmp,
                          strerror(errno));
    if (st == PH_OK && rename(tmp, path) != 0)
        st = ph_error_set(&err, PH_EIO, "--out", path, "cannot rename %s to it: %s", tmp,
                          strerror(errno));
    if (st != PH_OK)
        remove(tmp);
    free(tmp);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

/* A number for JSON: null when NaN (a dropped variable not tried). */
static json_t *json_number_or_null(double v)
{
    return isnan(v) ? json_null() : json_real(v);
}

/* What was written and what was left out, as one JSON document. */
static void report_json(ph_cli *cli, const ph_scorecard *sc, const char *out)
{
    size_t n_chars = 0, n_dropped = 0;
    uint64_t rows = 0, bads = 0;
    const char *target = NULL;
    double auc = NAN, ks = NAN;
    const ph_sc_characteristic *chars = ph_scorecard_characteristics(sc, &n_chars);
    const ph_sc_dropped *dropped = ph_scorecard_dropped(sc, &n_dropped);
    ph_scorecard_training(sc, &rows, &bads, &target, NULL);
    ph_scorecard_training_fit(sc, &auc, &ks);
    json_t *kept = json_array(), *left = json_array();
    for (size_t i = 0; i < n_chars; i++)
        json_array_append_new(kept, json_pack("{s:s, s:f, s:f}", "variable", chars[i].field,
                                              "iv", chars[i].iv, "coefficient",
                                              chars[i].coefficient));
    for (size_t i = 0; i < n_dropped; i++) {
        const ph_sc_dropped *d = &dropped[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:f}", "variable", d->field, "reason",
                              ph_sc_drop_reason_name(d->reason), "why", d->why, "iv", d->iv);
        json_object_set_new(o, "auc_gain_if_kept", json_number_or_null(d->auc_gain));
        json_object_set_new(o, "coefficient_if_kept",
                            json_number_or_null(d->trial_coefficient));
        json_array_append_new(left, o);
    }
    json_t *doc = json_pack("{s:s, s:s, s:s, s:I, s:I, s:f, s:f, s:s, s:o, s:o}", "model", out,
                            "name", ph_scorecard_name(sc), "target", target ? target : "",
                            "rows", (json_int_t)rows, "bad_rows", (json_int_t)bads,
                            "training_auc", auc, "training_ks", ks, "auc_measured_on",
                            "training rows (no validation split)", "kept", kept, "dropped",
                            left);
    ph_cli_print_json(cli, doc);
}

/* The one-line report and the dropped variables as a table. */
static void report_table(ph_cli *cli, const ph_scorecard *sc, const char *out)
{
    size_t count = 0, n_dropped = 0;
    uint64_t rows = 0, bads = 0;
    double auc = NAN;
    (void)ph_scorecard_characteristics(sc, &count);
    const ph_sc_dropped *dropped = ph_scorecard_dropped(sc, &n_dropped);
    ph_scorecard_training(sc, &rows, &bads, NULL, NULL);
    ph_scorecard_training_fit(sc, &auc, NULL);
    fprintf(cli->out, "wrote %s: scorecard %s, %zu characteristics, trained on %llu rows "
                      "(%llu bad), training AUC %.4f\n",
            out, ph_scorecard_name(sc), count, (unsigned long long)rows,
            (unsigned long long)bads, auc);
    if (n_dropped == 0)
        return;
    static const char *const headers[] = {"variable", "reason", "IV", "AUC if kept",
                                          "decision"};
    static const int numeric[] = {0, 0, 1, 1, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 5);
    for (size_t i = 0; i < n_dropped; i++) {
        char iv[32], gain[32] = "-";
        snprintf(iv, sizeof(iv), "%.4f", dropped[i].iv);
        if (!isnan(dropped[i].auc_gain))
            snprintf(gain, sizeof(gain), "%+.4f", dropped[i].auc_gain);
        const char *cells[] = {dropped[i].field, ph_sc_drop_reason_name(dropped[i].reason), iv,
                               gain, dropped[i].why};
        ph_cli_table_add(t, cells);
    }
    fputc('\n', cli->out);
    ph_cli_table_print(cli, t, "dropped variables (AUC if kept: the training AUC gained by "
                               "refitting with it added; no validation split)");
    ph_cli_table_free(t);
}

/* Train on the dataset and write the log and the model. */
static int train(ph_cli *cli, const train_args *a, const ph_dataset *ds,
                 ph_sc_train_options *opts)
{
    ph_error err;
    FILE *log = NULL;
    if (a->summary && strcmp(a->summary, "-") == 0) {
        log = cli->out;
    } else if (a->summary && !(log = fopen(a->summary, "w"))) {
        ph_error_set(&err, PH_EIO, "--summary", a->summary, "cannot create it: %s",
                     strerror(errno));
        return ph_cli_fail(cli, PH_EIO, &err, NULL);
    }
    ph_scorecard *sc = NULL;
    ph_cli_progress *meter = ph_cli_progress_start(cli, "puhui model train-scorecard", "steps");
    if (meter) {
        opts->progress = ph_cli_progress_cb;
        opts->progress_user = meter;
    }
    ph_status st = ph_scorecard_train(cli->ctx, ds, opts, &sc, log, &err);
    ph_cli_progress_finish(meter);
    if (log && log != cli->out && fclose(log) != 0 && st == PH_OK)
        st = ph_error_set(&err, PH_EIO, "--summary", a->summary, "writing it failed: %s",
                          strerror(errno));
    if (st != PH_OK) {
        if (log && log != cli->out)
            remove(a->summary); /* the log is written only after a successful fit */
        ph_scorecard_free(sc);
        return ph_cli_fail(cli, st, &err, NULL);
    }
    int code = write_pmml(cli, sc, a->out);
    if (code == PH_EXIT_OK && cli->format == PH_FORMAT_JSON)
        report_json(cli, sc, a->out);
    else if (code == PH_EXIT_OK && log != cli->out)
        report_table(cli, sc, a->out);
    ph_scorecard_free(sc);
    return code;
}

int ph_model_cmd_train(ph_cli *cli, int argc, char **argv)
{
    train_args a = {0};
    int code = parse_args(cli, argc, argv, &a);
    ph_sc_train_options opts;
    ph_sc_train_options_init(&opts);
    opts.target = a.target;
    opts.bad_label = a.bad;
    opts.round_points = a.round_points;
    double specials[64];
    if (code == PH_EXIT_OK)
        code = parse_specials(cli, a.special, specials, 64, &opts.n_special_values);
    opts.special_values = specials;
    const struct {
        const char *option, *text;
        double *slot;
    } reals[] = {
        {"--min-iv", a.min_iv, &opts.min_iv},
        {"--max-correlation", a.max_correlation, &opts.max_correlation},
        {"--max-vif", a.max_vif, &opts.max_vif},
        {"--min-bin-share", a.min_bin_share, &opts.min_bin_share},
        {"--base-points", a.base_points, &opts.base_points},
        {"--base-odds", a.base_odds, &opts.base_odds},
        {"--pdo", a.pdo, &opts.pdo},
    };
    for (size_t i = 0; code == PH_EXIT_OK && i < sizeof(reals) / sizeof(reals[0]); i++)
        code = parse_real(cli, reals[i].option, reals[i].text, reals[i].slot);
    if (code == PH_EXIT_OK)
        code = parse_bins(cli, a.bins, &opts.fine_bins);
    char **monotone = NULL;
    if (code == PH_EXIT_OK)
        code = parse_monotone(cli, a.monotone, &opts.monotone, &monotone);
    opts.monotone_by_variable = (const char *const *)monotone;
    if (code != PH_EXIT_OK) {
        free(monotone);
        return code;
    }

    char **categorical = split_list(a.categorical, NULL);
    char **numeric = split_list(a.numeric, NULL);
    char **exclude = split_list(a.exclude, a.id), **direction = split_list(a.direction, NULL);
    opts.exclude = (const char *const *)exclude;
    opts.directions = (const char *const *)direction;
    ph_cli_progress *meter = ph_cli_progress_start(cli, "reading", "bytes");
    ph_dataset_options dopts = {.categorical = (const char *const *)categorical,
                                .numeric = (const char *const *)numeric,
                                .progress = meter ? ph_cli_progress_cb : NULL,
                                .progress_user = meter};
    ph_dataset *ds = NULL;
    ph_error err;
    ph_status st = ph_dataset_read_csv(cli->ctx, a.input, &dopts, &ds, &err);
    ph_cli_progress_finish(meter);
    if (st != PH_OK)
        code = ph_cli_fail(cli, st, &err, NULL);
    else if (a.id && ph_dataset_column_index(ds, a.id) < 0)
        code = ph_cli_usage_error(cli, CMD, "--id %s: %s has no column of this name", a.id,
                                  a.input);
    else
        code = train(cli, &a, ds, &opts);
    ph_dataset_free(ds);
    free(categorical);
    free(numeric);
    free(exclude);
    free(direction);
    free(monotone);
    return code;
}
