/*
 * puhui model report --model FILE --input FILE.csv --target COL [--bad VALUE]
 *                    [--segment COL,...] [--baseline FILE.csv] [--cutoff PD]
 *                    [--approval RATE] [--id COL]
 *
 * The regulator's model report: discrimination (AUC, Gini, KS), accuracy
 * (Brier, calibration by decile), stability against a baseline (PSI of the
 * PD, CSI per feature) and fairness by segment (approval rates and AUC per
 * value, four-fifths screening). Text by default, --format json for one
 * JSON document.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model_cli.h"

typedef struct report_opts {
    const char *model, *input, *target, *bad, *segment, *baseline, *cutoff, *approval, *id;
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
                 {"--id", &o->id}};
    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
        if (strcmp(option, slots[i].name) == 0)
            *slots[i].slot = value;
    return PH_EXIT_OK;
}

ph_status ph_model_cli_read_data(ph_cli *cli, const ph_model *model, const char *path,
                                 const char *id, ph_dataset **out, ph_error *err)
{
    size_t n = ph_model_feature_count(model), k = 0;
    const char **text = calloc(n + 2, sizeof(*text));
    if (text == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    /* the id and the categorical features stay text ("01" is not 1) */
    if (id != NULL)
        text[k++] = id;
    for (size_t i = 0; i < n; i++)
        if (ph_model_feature_categorical(model, i))
            text[k++] = ph_model_feature_name(model, i);
    ph_dataset_options dopts = {.categorical = text};
    ph_status st = ph_dataset_read_csv(cli->ctx, path, &dopts, out, err);
    free(text);
    return st;
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

static ph_status print_report(ph_cli *cli, const ph_model_report *r, ph_error *err)
{
    if (cli->format == PH_FORMAT_JSON)
        return ph_model_report_write_json(r, cli->out, err);
    return ph_model_report_write_text(r, cli->out, err);
}

static int run_report(ph_cli *cli, const report_opts *o, ph_report_options *ro)
{
    ph_error err;
    ph_model *model = NULL;
    ph_dataset *ds = NULL, *base = NULL;
    ph_model_report *report = NULL;
    char **list = o->segment ? ph_cli_split_list(o->segment, 0) : NULL;
    ph_status st = PH_OK;
    if (o->segment && list == NULL)
        st = ph_error_set(&err, PH_ENOMEM, NULL, NULL, "out of memory");
    if (st == PH_OK)
        st = ph_model_load_file(cli->ctx, o->model, &model, &err);
    if (st == PH_OK)
        st = ph_model_cli_read_data(cli, model, o->input, o->id, &ds, &err);
    if (st == PH_OK && o->baseline)
        st = ph_model_cli_read_data(cli, model, o->baseline, o->id, &base, &err);
    if (st == PH_OK) {
        ro->segments = (const char *const *)list;
        ro->baseline = base;
        st = ph_model_report_run(model, ds, ro, &report, &err);
    }
    if (st == PH_OK)
        st = print_report(cli, report, &err);
    ph_model_report_free(report);
    ph_dataset_free(base);
    ph_dataset_free(ds);
    ph_model_free(model);
    free(list);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

int ph_model_cmd_report(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--model",    "--input",  "--target",
                                          "--bad",      "--segment", "--baseline",
                                          "--cutoff",   "--approval", "--id"};
    report_opts o = {0};
    int code = ph_cli_each_option(cli, "model", argc, argv, 2, options,
                                  sizeof(options) / sizeof(options[0]), take_option, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (!o.model || !o.input || !o.target)
        return ph_cli_usage_error(cli, "model",
                                  "'model report' needs --model, --input and --target");
    if (o.cutoff && o.approval)
        return ph_cli_usage_error(cli, "model",
                                  "'model report' takes --cutoff PD or --approval RATE, not both");
    ph_report_options ro = {.target = o.target, .bad_label = o.bad};
    if (o.cutoff)
        code = parse_share(cli, "--cutoff", o.cutoff, &ro.cutoff);
    if (code == PH_EXIT_OK && o.approval)
        code = parse_share(cli, "--approval", o.approval, &ro.approval_rate);
    if (code != PH_EXIT_OK)
        return code;
    return run_report(cli, &o, &ro);
}
