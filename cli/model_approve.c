/*
 * puhui model approve|reject|retire --name NAME --version N --by PERSON
 *                                   [--note TEXT]
 *
 * A reviewer's decision on a registered model: draft -> approved or
 * rejected, approved -> retired. Approving and rejecting need --note (why);
 * every decision is kept, with who and when, in the registry's append-only
 * event table. Only approved models can be loaded for decisions.
 */
#include <string.h>

#include "model_cli.h"

typedef struct approve_opts {
    const char *name, *version, *by, *note;
} approve_opts;

static int take_option(ph_cli *cli, const char *option, const char *value, void *user)
{
    (void)cli;
    approve_opts *o = user;
    if (strcmp(option, "--name") == 0)
        o->name = value;
    else if (strcmp(option, "--version") == 0)
        o->version = value;
    else if (strcmp(option, "--by") == 0)
        o->by = value;
    else
        o->note = value;
    return PH_EXIT_OK;
}

/* The state each subcommand moves to. */
static const struct {
    const char *command;
    ph_model_state to;
} DECISIONS[] = {
    {"approve", PH_MODEL_APPROVED},
    {"reject", PH_MODEL_REJECTED},
    {"retire", PH_MODEL_RETIRED},
};

static int decide(ph_cli *cli, const approve_opts *o, long long version, ph_model_state to)
{
    int code = PH_EXIT_OK;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_registry_entry *before = NULL, *after = NULL;
    ph_status st = ph_registry_get(store, o->name, version, &before, &err);
    if (st == PH_OK)
        st = ph_registry_set_state(store, o->name, version, to, o->by, o->note, &err);
    if (st == PH_OK)
        st = ph_registry_get(store, o->name, version, &after, &err);
    if (st == PH_OK && cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s}", "name",
                                         after->name, "version", (json_int_t)after->version,
                                         "from", ph_model_state_name(before->state), "to",
                                         ph_model_state_name(after->state), "by",
                                         after->state_by, "at", after->state_at, "note",
                                         after->state_note));
    else if (st == PH_OK)
        fprintf(cli->out, "model %s version %lld: %s -> %s by %s at %s%s%s\n", after->name,
                (long long)after->version, ph_model_state_name(before->state),
                ph_model_state_name(after->state), after->state_by, after->state_at,
                after->state_note[0] ? ": " : "", after->state_note);
    ph_registry_entry_free(before);
    ph_registry_entry_free(after);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err,
                           st == PH_ENOTFOUND ? "'puhui model list' shows the registered models"
                           : st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database"
                                              : NULL);
    return PH_EXIT_OK;
}

int ph_model_cmd_approve(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--name", "--version", "--by", "--note"};
    size_t d = 0;
    while (d < sizeof(DECISIONS) / sizeof(DECISIONS[0]) && strcmp(argv[1], DECISIONS[d].command))
        d++;
    if (d == sizeof(DECISIONS) / sizeof(DECISIONS[0]))
        return ph_cli_usage_error(cli, "model", "unknown subcommand '%s'", argv[1]);
    approve_opts o = {0};
    int code = ph_cli_each_option(cli, "model", argc, argv, 2, options,
                                  sizeof(options) / sizeof(options[0]), take_option, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (!o.name || !o.version || !o.by)
        return ph_cli_usage_error(cli, "model", "'model %s' needs --name, --version and --by%s",
                                  argv[1], DECISIONS[d].to == PH_MODEL_RETIRED ? "" : " (and --note)");
    long long version = 0;
    code = ph_cli_parse_int(cli, "model", "--version", o.version, 1, INT64_MAX, &version);
    return code == PH_EXIT_OK ? decide(cli, &o, version, DECISIONS[d].to) : code;
}
