/*
 * puhui model report --model FILE --input FILE.csv --target COL [--bad VALUE]
 *                    [--segment COL,...] [--baseline FILE.csv] [--cutoff PD]
 *                    [--approval RATE] [--id COL]
 *                    [--challenger FILE [--approve RATE,...]]
 * puhui model report --pd-column COL --input FILE.csv --target COL [...]
 *
 * The regulator's model report: discrimination (AUC, Gini, KS), accuracy
 * (Brier, calibration by decile), stability against a baseline (PSI of the
 * PD, CSI per feature) and fairness by segment (approval rates and AUC per
 * value, four-fifths screening). Text by default, --format json for one
 * JSON document. With --challenger, both models on the same rows side by
 * side, with the swap sets at equal approval rates (--approve); the numbers
 * are the library's (ph_model_compare_run), this file only reads and prints.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_cli.h"

typedef struct report_opts {
    const char *model, *input, *target, *bad, *segment, *baseline, *cutoff, *approval, *id;
    const char *challenger, *approve, *pd_column;
} report_opts;

static int take_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    (void)cli;
    report_opts *o = user;
    struct {
        const char *name;
        const char **slot;
    } slots[] = {{"--model", &o->model},       {"--input", &o->input},
                 {"--target", &o->target},     {"--bad", &o->bad},
                 {"--segment", &o->segment},   {"--baseline", &o->baseline},
                 {"--cutoff", &o->cutoff},     {"--approval", &o->approval},
                 {"--id", &o->id},             {"--challenger", &o->challenger},
                 {"--approve", &o->approve},   {"--pd-column", &o->pd_column}};
    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
        if (strcmp(option, slots[i].name) == 0)
            *slots[i].slot = value;
    return PH_EXIT_OK;
}

ph_status ph_model_cli_read_data_for(ph_cli *cli, const ph_model *const *models,
                                     size_t n_models, const char *path, const char *id,
                                     ph_dataset **out, ph_error *err)
{
    size_t n = 0, k = 0;
    for (size_t m = 0; m < n_models; m++)
        n += ph_model_feature_count(models[m]);
    const char **text = calloc(n + 2, sizeof(*text));
    if (text == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    /* the id and every model's categorical features stay text ("01" is not
     * 1); a column named twice is harmless */
    if (id != NULL)
        text[k++] = id;
    for (size_t m = 0; m < n_models; m++)
        for (size_t i = 0; i < ph_model_feature_count(models[m]); i++)
            if (ph_model_feature_categorical(models[m], i))
                text[k++] = ph_model_feature_name(models[m], i);
    ph_dataset_options dopts = {.categorical = text};
    ph_status st = ph_dataset_read_csv(cli->ctx, path, &dopts, out, err);
    free(text);
    return st;
}

ph_status ph_model_cli_read_data(ph_cli *cli, const ph_model *model, const char *path,
                                 const char *id, ph_dataset **out, ph_error *err)
{
    return ph_model_cli_read_data_for(cli, &model, 1, path, id, out, err);
}

/* A fraction in (0, 1] for OPTION, or a usage error. */
static int parse_share(ph_cli *cli, const char *option, const char *text, double *out)
{
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || !(v > 0.0 && v <= 1.0))
        return ph_cli_usage_error(cli, "model", "%s takes a number in (0, 1], got '%s'", option,
                                  text);
    *out = v;
    return PH_EXIT_OK;
}

/* The swap-set rates of --approve (NULL: the library's defaults), or a
 * usage error. */
static int parse_rates(ph_cli *cli, const char *text, double **rates, size_t *n)
{
    *rates = NULL;
    *n = 0;
    if (text == NULL)
        return PH_EXIT_OK;
    char **list = ph_cli_split_list(text, 0);
    size_t count = 0;
    while (list && list[count])
        count++;
    double *v = calloc(count ? count : 1, sizeof(double));
    if (list == NULL || v == NULL) {
        ph_error err;
        free(list);
        free(v);
        return ph_cli_fail(cli, ph_error_set(&err, PH_ENOMEM, NULL, NULL, "out of memory"),
                           &err, NULL);
    }
    int code = count == 0 ? ph_cli_usage_error(cli, "model",
                                               "--approve takes rates in (0, 1], as 0.5,0.7")
                          : PH_EXIT_OK;
    for (size_t i = 0; code == PH_EXIT_OK && i < count; i++)
        code = parse_share(cli, "--approve", list[i], &v[i]);
    free(list);
    if (code != PH_EXIT_OK) {
        free(v);
        return code;
    }
    *rates = v;
    *n = count;
    return PH_EXIT_OK;
}

/* Everything one run reads: the models, the input and the baseline. */
typedef struct report_inputs {
    ph_model *model, *challenger;
    ph_dataset *ds, *base;
} report_inputs;

static void inputs_free(report_inputs *in)
{
    ph_dataset_free(in->base);
    ph_dataset_free(in->ds);
    ph_model_free(in->challenger);
    ph_model_free(in->model);
}

/* A single report, as text or JSON by --format. */
static ph_status write_report(ph_cli *cli, const ph_model_report *report, ph_error *err)
{
    return cli->format == PH_FORMAT_JSON ? ph_model_report_write_json(report, cli->out, err)
                                         : ph_model_report_write_text(report, cli->out, err);
}

/* The report of a PD column (--pd-column): no model, the column's PDs. */
static ph_status column_report(ph_cli *cli, const report_opts *o, const ph_report_options *ro,
                               ph_error *err)
{
    ph_dataset *ds = NULL, *base = NULL;
    const char *text[] = {o->id, NULL};
    ph_dataset_options dopts = {.categorical = o->id ? text : NULL};
    ph_status st = ph_dataset_read_csv(cli->ctx, o->input, &dopts, &ds, err);
    if (st == PH_OK && o->baseline)
        st = ph_dataset_read_csv(cli->ctx, o->baseline, &dopts, &base, err);
    ph_report_options with_base = *ro;
    with_base.baseline = base;
    ph_model_report *report = NULL;
    if (st == PH_OK)
        st = ph_model_report_column(ds, o->pd_column, &with_base, &report, err);
    if (st == PH_OK)
        st = write_report(cli, report, err);
    ph_model_report_free(report);
    ph_dataset_free(base);
    ph_dataset_free(ds);
    return st;
}

/* Load the model(s), then read the input and the baseline once, as text
 * where either model needs a category. */
static ph_status load_inputs(ph_cli *cli, const report_opts *o, report_inputs *in,
                             ph_error *err)
{
    ph_status st = ph_model_load_file(cli->ctx, o->model, &in->model, err);
    if (st == PH_OK && o->challenger)
        st = ph_model_load_file(cli->ctx, o->challenger, &in->challenger, err);
    const ph_model *models[] = {in->model, in->challenger};
    size_t n_models = o->challenger ? 2 : 1;
    if (st == PH_OK)
        st = ph_model_cli_read_data_for(cli, models, n_models, o->input, o->id, &in->ds, err);
    if (st == PH_OK && o->baseline)
        st = ph_model_cli_read_data_for(cli, models, n_models, o->baseline, o->id, &in->base,
                                        err);
    return st;
}

static ph_status one_report(ph_cli *cli, const report_inputs *in, const ph_report_options *ro,
                            ph_error *err)
{
    ph_model_report *report = NULL;
    ph_status st = ph_model_report_run(in->model, in->ds, ro, &report, err);
    if (st == PH_OK)
        st = write_report(cli, report, err);
    ph_model_report_free(report);
    return st;
}

static ph_status side_by_side(ph_cli *cli, const report_inputs *in,
                              const ph_report_options *ro, const double *rates, size_t n_rates,
                              ph_error *err)
{
    ph_model_comparison *c = NULL;
    ph_status st = ph_model_compare_run(in->model, in->challenger, in->ds, ro, rates, n_rates,
                                        &c, err);
    if (st == PH_OK)
        st = cli->format == PH_FORMAT_JSON ? ph_model_comparison_write_json(c, cli->out, err)
                                           : ph_model_comparison_write_text(c, cli->out, err);
    ph_model_comparison_free(c);
    return st;
}

static int run_report(ph_cli *cli, const report_opts *o, ph_report_options *ro,
                      const double *rates, size_t n_rates)
{
    ph_error err;
    report_inputs in = {0};
    char **list = o->segment ? ph_cli_split_list(o->segment, 0) : NULL;
    ph_status st = PH_OK;
    if (o->segment && list == NULL)
        st = ph_error_set(&err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK && o->pd_column) {
        ro->segments = (const char *const *)list;
        st = column_report(cli, o, ro, &err);
        free(list);
        return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
    }
    if (st == PH_OK)
        st = load_inputs(cli, o, &in, &err);
    if (st == PH_OK) {
        ro->segments = (const char *const *)list;
        ro->baseline = in.base;
        st = in.challenger ? side_by_side(cli, &in, ro, rates, n_rates, &err)
                           : one_report(cli, &in, ro, &err);
    }
    inputs_free(&in);
    free(list);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

int ph_model_cmd_report(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--model",    "--input",  "--target",
                                          "--bad",      "--segment", "--baseline",
                                          "--cutoff",   "--approval", "--id",
                                          "--challenger", "--approve", "--pd-column"};
    report_opts o = {0};
    int code = ph_cli_each_option(cli, "model", argc, argv, 2, options,
                                  sizeof(options) / sizeof(options[0]), take_option, &o);
    if (code != PH_EXIT_OK)
        return code;
    if ((!o.model == !o.pd_column) || !o.input || !o.target)
        return ph_cli_usage_error(cli, "model",
                                  "'model report' needs --model (or --pd-column), --input and "
                                  "--target");
    if (o.pd_column && o.challenger)
        return ph_cli_usage_error(cli, "model", "--challenger compares two models; --pd-column "
                                                "reports one column");
    if (o.cutoff && o.approval)
        return ph_cli_usage_error(cli, "model",
                                  "'model report' takes --cutoff PD or --approval RATE, not both");
    ph_report_options ro = {.target = o.target, .bad_label = o.bad};
    if (o.cutoff)
        code = parse_share(cli, "--cutoff", o.cutoff, &ro.cutoff);
    if (code == PH_EXIT_OK && o.approval)
        code = parse_share(cli, "--approval", o.approval, &ro.approval_rate);
    if (code == PH_EXIT_OK && o.approve && !o.challenger)
        code = ph_cli_usage_error(cli, "model",
                                  "--approve sets the swap sets' rates, which need --challenger");
    double *rates = NULL;
    size_t n_rates = 0;
    if (code == PH_EXIT_OK)
        code = parse_rates(cli, o.approve, &rates, &n_rates);
    if (code != PH_EXIT_OK)
        return code;
    code = run_report(cli, &o, &ro, rates, n_rates);
    free(rates);
    return code;
}
