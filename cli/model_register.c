/*
 * puhui model register --model FILE --name NAME [--version N]
 *                      [--data FILE.csv --target COL [--bad VALUE]]
 *
 * Registers a model file as a draft in the database's model registry: its
 * exact bytes and BLAKE2b-256 checksum, its kind and features. With --data,
 * the training-data summary (file, checksum, rows, bad rate, columns) and
 * the model report's metrics on that data (AUC, KS, Gini, Brier) are
 * recorded with it.
 */
#include <stdlib.h>
#include <string.h>

#include "model_cli.h"

typedef struct register_opts {
    const char *model, *name, *version, *data, *target, *bad;
} register_opts;

static int take_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    (void)cli;
    register_opts *o = user;
    struct {
        const char *name;
        const char **slot;
    } slots[] = {{"--model", &o->model}, {"--name", &o->name},     {"--version", &o->version},
                 {"--data", &o->data},   {"--target", &o->target}, {"--bad", &o->bad}};
    for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++)
        if (strcmp(option, slots[i].name) == 0)
            *slots[i].slot = value;
    return PH_EXIT_OK;
}

/* The training data and the report's metrics on it. */
static ph_status measure(ph_cli *cli, const register_opts *o, ph_dataset **ds, char **metrics,
                         ph_error *err)
{
    ph_model *model = NULL;
    ph_model_report *report = NULL;
    ph_status st = ph_model_load_file(cli->ctx, o->model, &model, err);
    if (st == PH_OK)
        st = ph_model_cli_read_data(cli, model, o->data, NULL, ds, err);
    ph_report_options ro = {.target = o->target, .bad_label = o->bad};
    if (st == PH_OK)
        st = ph_model_report_run(model, *ds, &ro, &report, err);
    if (st == PH_OK)
        st = ph_model_report_metrics_json(report, metrics, err);
    ph_model_report_free(report);
    ph_model_free(model);
    return st;
}

static void print_entry(ph_cli *cli, const ph_registry_entry *e)
{
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:s, s:I, s:s, s:s, s:I, s:s, s:s, s:s}", "name", e->name,
                                "version", (json_int_t)e->version, "kind",
                                ph_model_kind_name(e->kind), "checksum", e->checksum, "size",
                                (json_int_t)e->size, "file", e->file, "state",
                                ph_model_state_name(e->state), "registered_at",
                                e->registered_at);
        json_object_set_new(doc, "features", json_loads(e->features, 0, NULL));
        json_object_set_new(doc, "training",
                            e->training ? json_loads(e->training, 0, NULL) : json_null());
        json_object_set_new(doc, "metrics",
                            e->metrics ? json_loads(e->metrics, 0, NULL) : json_null());
        ph_cli_print_json(cli, doc);
        return;
    }
    fprintf(cli->out, "model %s version %lld registered as a draft: %s, %zu bytes, BLAKE2b-256 "
                      "%s\n",
            e->name, (long long)e->version, ph_model_kind_name(e->kind), e->size, e->checksum);
    fprintf(cli->out, "features: %s\n", e->features);
    if (e->training)
        fprintf(cli->out, "training data: %s\n", e->training);
    if (e->metrics)
        fprintf(cli->out, "metrics: %s\n", e->metrics);
    fprintf(cli->out, "it cannot be used for decisions until approved: puhui model approve "
                      "--name %s --version %lld --by PERSON --note TEXT\n",
            e->name, (long long)e->version);
}

static int run_register(ph_cli *cli, const register_opts *o, long long version)
{
    ph_error err;
    ph_dataset *ds = NULL;
    char *metrics = NULL;
    ph_registry_entry *entry = NULL;
    ph_status st = o->data ? measure(cli, o, &ds, &metrics, &err) : PH_OK;
    int code = PH_EXIT_OK;
    ph_store *store = st == PH_OK ? ph_cli_open_store(cli, 1, &code) : NULL;
    if (st == PH_OK && store != NULL) {
        ph_registry_spec spec = {.path = o->model, .name = o->name, .version = version,
                                 .training = ds, .target = o->target, .bad_label = o->bad,
                                 .metrics_json = metrics};
        st = ph_registry_register(store, &spec, &entry, &err);
    }
    if (st == PH_OK && entry != NULL)
        print_entry(cli, entry);
    ph_registry_entry_free(entry);
    ph_store_free(store);
    ph_free(cli->ctx, metrics);
    ph_dataset_free(ds);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
    return code;
}

int ph_model_cmd_register(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--model", "--name",   "--version",
                                          "--data",  "--target", "--bad"};
    register_opts o = {0};
    int code = ph_cli_each_option(cli, "model", argc, argv, 2, options,
                                  sizeof(options) / sizeof(options[0]), take_option, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (!o.model || !o.name)
        return ph_cli_usage_error(cli, "model", "'model register' needs --model and --name");
    if ((o.data != NULL) != (o.target != NULL) || (o.bad && !o.data))
        return ph_cli_usage_error(cli, "model",
                                  "'model register' takes --data and --target together (and "
                                  "--bad only with them)");
    long long version = 0;
    if (o.version)
        code = ph_cli_parse_int(cli, "model", "--version", o.version, 1, INT64_MAX, &version);
    return code == PH_EXIT_OK ? run_register(cli, &o, version) : code;
}
