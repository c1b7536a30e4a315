/*
 * puhui model list [--name NAME]
 *
 * The model registry: every registered version with its kind, state, the
 * last decision (who, when), its AUC at registration and its checksum.
 */
#include <math.h>
#include <string.h>

#include "model_cli.h"

static int take_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    (void)cli;
    (void)option;
    *(const char **)user = value;
    return PH_EXIT_OK;
}

/* The AUC recorded at registration, "" when none. */
static void auc_text(const char *metrics, char *buf, size_t size)
{
    buf[0] = '\0';
    json_t *m = metrics ? json_loads(metrics, 0, NULL) : NULL;
    json_t *auc = m ? json_object_get(m, "auc") : NULL;
    if (json_is_number(auc))
        snprintf(buf, size, "%.4f", json_number_value(auc));
    json_decref(m);
}

static ph_status add_entry(void *user, const ph_registry_entry *e, ph_error *err)
{
    (void)err;
    char version[24], size[24], auc[32];
    snprintf(version, sizeof(version), "%lld", (long long)e->version);
    snprintf(size, sizeof(size), "%zu", e->size);
    auc_text(e->metrics, auc, sizeof(auc));
    int decided = e->state != PH_MODEL_DRAFT;
    const char *cells[] = {e->name,
                           version,
                           ph_model_kind_name(e->kind),
                           ph_model_state_name(e->state),
                           e->registered_at,
                           decided ? e->state_by : "",
                           decided ? e->state_at : "",
                           auc,
                           size,
                           e->checksum,
                           e->file};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

int ph_model_cmd_list(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--name"};
    const char *name = NULL;
    int code = ph_cli_each_option(cli, "model", argc, argv, 2, options, 1, take_option, &name);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"name",       "version", "kind", "state",
                                          "registered", "by",      "at",   "auc",
                                          "bytes",      "checksum", "file"};
    static const int numeric[] = {0, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 11);
    ph_error err;
    ph_status st = ph_registry_list(store, name, add_entry, table, &err);
    ph_store_free(store);
    if (st == PH_OK)
        ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
    return PH_EXIT_OK;
}
