/*
 * puhui model score (--model FILE | --registered NAME[@VERSION])
 *                   --input FILE.csv [--id COL] --out FILE.csv [--explain K]
 *                   [--threads N]
 *
 * --registered takes the model from the database's registry, and only when it
 * is approved: the path decisions take (an unapproved model is refused).
 * Scores every row of a CSV with any model puhui runs (PMML scorecard,
 * XGBoost JSON, LightGBM text), matching features by name. The output has
 * the id, the points (scorecards only: a tree model carries no points scale,
 * so its output has no score column), the probability of bad and, with
 * --explain K, the top K adverse reasons: code, value, impact and a sentence.
 *
 * --threads N (1-32, default 1) scores the rows on N threads; the output is
 * the same, byte for byte, whatever N. One thread is the default because the
 * machines this runs on are shared, and a batch job asks for more.
 * Reading the CSV and the reasons stay on one thread. A progress line
 * (reading, then scoring) is drawn on a terminal (cli/progress.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_cli.h"
#include "progress.h"

typedef struct score_opts {
    const char *model, *registered, *input, *id, *out, *explain, *threads;
    int with_points; /* the output has a score column (a scorecard) */
} score_opts;

static int take_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    (void)cli;
    score_opts *o = user;
    if (strcmp(option, "--model") == 0)
        o->model = value;
    else if (strcmp(option, "--input") == 0)
        o->input = value;
    else if (strcmp(option, "--registered") == 0)
        o->registered = value;
    else if (strcmp(option, "--id") == 0)
        o->id = value;
    else if (strcmp(option, "--out") == 0)
        o->out = value;
    else if (strcmp(option, "--threads") == 0)
        o->threads = value;
    else
        o->explain = value;
    return PH_EXIT_OK;
}

/* The model's categorical features (and the id) are read as text whatever
 * they look like, so a level "01" is not turned into the number 1. */
/* The columns scoring reads: the id and the model's features; the rest of
 * the input is never parsed. */
static const char **read_columns(const ph_model *model, const char *id)
{
    size_t n = ph_model_feature_count(model);
    const char **names = calloc(n + 2, sizeof(*names));
    if (!names)
        return NULL;
    size_t k = 0;
    if (id)
        names[k++] = id;
    for (size_t i = 0; i < n; i++)
        names[k++] = ph_model_feature_name(model, i);
    return names;
}

static const char **text_columns(const ph_model *model, const char *id)
{
    size_t n = ph_model_feature_count(model);
    const char **names = calloc(n + 2, sizeof(*names));
    if (!names)
        return NULL;
    size_t k = 0;
    if (id)
        names[k++] = id;
    for (size_t i = 0; i < n; i++) {
        if (ph_model_feature_categorical(model, i))
            names[k++] = ph_model_feature_name(model, i);
    }
    return names;
}

static void write_header(FILE *out, const score_opts *o, size_t k)
{
    fprintf(out, "%s%s,pd", o->id ? o->id : "row", o->with_points ? ",score" : "");
    for (size_t r = 1; r <= k; r++)
        fprintf(out, ",reason_%zu,value_%zu,impact_%zu,text_%zu", r, r, r, r);
    fputc('\n', out);
}

/* ",value" with `decimals` places, or "," alone for NaN. */
static void write_number(FILE *out, double v, int decimals)
{
    fputc(',', out);
    if (!isnan(v))
        fprintf(out, "%.*f", decimals, v);
}

/* One output row; reasons are computed here (one row at a time). */
static ph_status write_row(FILE *out, const ph_model_input *in, const ph_dataset *ds, int id_col,
                           size_t row, double pd, const double *points, ph_reason *reasons,
                           size_t k, ph_error *err)
{
    char id[256];
    if (id_col >= 0) {
        ph_status st = ph_dataset_cell_text(ds, (size_t)id_col, row, id, sizeof(id), err);
        if (st != PH_OK)
            return st;
        ph_cli_csv_field(out, id);
    } else {
        fprintf(out, "%zu", row + 1);
    }
    if (points)
        write_number(out, *points, 4);
    write_number(out, pd, 10);
    size_t got = 0;
    if (k) {
        ph_status st = ph_model_reasons(in, row, k, reasons, &got, err);
        if (st != PH_OK)
            return st;
    }
    for (size_t r = 0; r < k; r++) {
        if (r >= got) {
            fputs(",,,,", out);
            continue;
        }
        fputc(',', out);
        ph_cli_csv_field(out, reasons[r].code);
        fputc(',', out);
        ph_cli_csv_field(out, reasons[r].value);
        fprintf(out, ",%.6f,", reasons[r].impact);
        ph_cli_csv_field(out, reasons[r].text);
    }
    fputc('\n', out);
    return PH_OK;
}

enum { SCORE_BLOCK = 65536 };

static ph_status score_all(ph_cli *cli, FILE *out, const score_opts *o, const ph_model_input *in,
                           const ph_dataset *ds, int id_col, size_t k, int threads,
                           ph_error *err)
{
    size_t rows = ph_dataset_rows(ds);
    ph_cli_progress *meter = ph_cli_progress_start(cli, "scoring", "rows");
    double *pd = malloc(SCORE_BLOCK * sizeof(double));
    double *points = malloc(SCORE_BLOCK * sizeof(double));
    ph_reason *reasons = calloc(k ? k : 1, sizeof(ph_reason));
    ph_status st = PH_OK;
    if (!pd || !points || !reasons)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory scoring");
    for (size_t first = 0; st == PH_OK && first < rows; first += SCORE_BLOCK) {
        size_t n = rows - first < SCORE_BLOCK ? rows - first : SCORE_BLOCK;
        st = ph_model_predict_threads(in, first, n, threads, pd, points, err);
        for (size_t r = 0; st == PH_OK && r < n; r++)
            st = write_row(out, in, ds, id_col, first + r, pd[r],
                           o->with_points ? &points[r] : NULL, reasons, k, err);
        ph_cli_progress_update(meter, first + n, rows);
    }
    ph_cli_progress_finish(meter);
    free(pd);
    free(points);
    free(reasons);
    return st;
}

/* A registered model, only when approved: "NAME" (the latest approved
 * version) or "NAME@VERSION". */
static ph_status load_registered(ph_store *store, const char *spec, ph_model **model,
                                 ph_error *err)
{
    char name[256];
    long long version = 0;
    const char *at = strchr(spec, '@');
    size_t len = at ? (size_t)(at - spec) : strlen(spec);
    if (len == 0 || len >= sizeof(name))
        return ph_error_set(err, PH_EINVAL, "--registered", spec, "expected NAME or NAME@VERSION");
    memcpy(name, spec, len);
    name[len] = '\0';
    if (at) {
        char *end;
        errno = 0;
        version = strtoll(at + 1, &end, 10);
        if (errno || *end || end == at + 1 || version < 1)
            return ph_error_set(err, PH_EINVAL, "--registered", spec,
                                "expected NAME@VERSION with a version of 1 or more");
    }
    return ph_registry_load_approved(store, name, version, model, err);
}

/* The reading meter counts MiB of the input. */
static int run_scoring(ph_cli *cli, score_opts *o, long long k, int threads)
{
    ph_error err;
    ph_model *model = NULL;
    ph_dataset *ds = NULL;
    ph_model_input *in = NULL;
    FILE *out = NULL;
    const char **text = NULL, **wanted = NULL;
    ph_status st;
    if (o->registered) {
        int code = PH_EXIT_OK;
        ph_store *store = ph_cli_open_store(cli, 1, &code);
        if (!store)
            return code;
        st = load_registered(store, o->registered, &model, &err);
        ph_store_free(store);
    } else {
        st = ph_model_load_file(cli->ctx, o->model, &model, &err);
    }
    if (st == PH_OK && (!(text = text_columns(model, o->id)) ||
                        !(wanted = read_columns(model, o->id))))
        st = ph_error_set(&err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK) {
        ph_cli_progress *meter = ph_cli_progress_start(cli, "reading", "bytes");
        ph_dataset_options dopts = {.categorical = text, .only = wanted,
                                    .progress = ph_cli_progress_cb, .progress_user = meter};
        st = ph_dataset_read_csv(cli->ctx, o->input, &dopts, &ds, &err);
        ph_cli_progress_finish(meter);
        o->with_points = ph_model_kind_of(model) == PH_MODEL_SCORECARD;
    }
    if (st == PH_OK)
        st = ph_model_bind(model, ds, &in, &err);
    if (st == PH_OK && !(out = fopen(o->out, "w")))
        st = ph_error_set(&err, PH_EIO, NULL, o->out, "cannot write the output: %s",
                          strerror(errno));
    if (st == PH_OK) {
        write_header(out, o, (size_t)k);
        st = score_all(cli, out, o, in, ds, o->id ? ph_dataset_column_index(ds, o->id) : -1,
                       (size_t)k, threads, &err);
    }
    if (out && fclose(out) != 0 && st == PH_OK)
        st = ph_error_set(&err, PH_EIO, NULL, o->out, "cannot write the output: %s",
                          strerror(errno));
    const ph_calibration *calibration = model ? ph_model_calibration(model) : NULL;
    if (st == PH_OK)
        fprintf(cli->out, "scored %zu rows of %s with %s model %s (%zu features%s%s) -> %s\n",
                ph_dataset_rows(ds), o->input, ph_model_kind_name(ph_model_kind_of(model)),
                ph_model_source(model), ph_model_feature_count(model),
                calibration ? ", calibrated: " : "",
                calibration ? ph_calibration_method_name(ph_calibration_method_of(calibration))
                            : "",
                o->out);
    else if (out)
        remove(o->out); /* no half-written output left behind */
    ph_model_input_free(in);
    ph_dataset_free(ds);
    ph_model_free(model);
    free(text);
    free(wanted);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

int ph_model_cmd_score(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--model", "--registered", "--input", "--id", "--out",
                                          "--explain", "--threads"};
    score_opts o = {0};
    int code = ph_cli_each_option(cli, "model", argc, argv, 2, options,
                                  sizeof(options) / sizeof(options[0]), take_option, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (!o.model == !o.registered)
        return ph_cli_usage_error(cli, "model",
                                  "'model score' takes --model FILE or --registered NAME[@VERSION]");
    if (!o.input || !o.out)
        return ph_cli_usage_error(cli, "model", "'model score' needs --input and --out");
    long long k = 0;
    if (o.explain) {
        code = ph_cli_parse_int(cli, "model", "--explain", o.explain, 0, 20, &k);
        if (code != PH_EXIT_OK)
            return code;
    }
    long long threads = 1;
    if (o.threads) {
        code = ph_cli_parse_int(cli, "model", "--threads", o.threads, 1, PH_MODEL_MAX_THREADS,
                                &threads);
        if (code != PH_EXIT_OK)
            return code;
    }
    return run_scoring(cli, &o, k, (int)threads);
}
