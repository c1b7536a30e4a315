/*
 * puhui key create --role R [--tenant T] [--label TEXT]
 * puhui key list
 * puhui key revoke ID
 *
 * API keys for `puhui serve` (apikey.h, docs/keys.md). create prints the
 * key alone on stdout, so that `KEY=$(puhui key create ...)` catches it and
 * nothing else; what it is for goes to stderr. The key is shown this once:
 * the database keeps only its hash.
 */
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "cli.h"

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

static int key_create(ph_cli *cli, int argc, char **argv)
{
    const char *role_name = NULL, *tenant = NULL, *label = NULL;
    const ph_cli_named opts[] = {{"--role", &role_name, NULL},
                                 {"--tenant", &tenant, NULL},
                                 {"--label", &label, NULL}};
    int code = ph_cli_parse_named(cli, "key", argc, argv, 2, opts, sizeof(opts) / sizeof(opts[0]));
    if (code != PH_EXIT_OK)
        return code;
    if (role_name == NULL)
        return ph_cli_usage_error(cli, "key", "'key create' needs --role "
                                              "enterprise|institution|regulator|admin");
    ph_error err;
    ph_apikey_role role;
    ph_status st = ph_apikey_role_parse(role_name, &role, &err);
    if (st != PH_OK) {
        ph_error_set_field(&err, "--role");
        return fail(cli, st, &err);
    }
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    char key[PH_APIKEY_TEXT_MAX];
    int64_t id = 0;
    st = ph_apikey_create(store, role, tenant, label, key, &id, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "%s\n", key);
    sodium_memzero(key, sizeof(key));
    fprintf(cli->err, "key %lld created for %s %s; it is shown once and cannot be recovered\n",
            (long long)id, ph_apikey_role_name(role),
            tenant && tenant[0] ? tenant : "(no tenant)");
    return PH_EXIT_OK;
}

static ph_status add_row(void *user, const ph_apikey_info *k, ph_error *err)
{
    (void)err;
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)k->id);
    const char *cells[] = {id,       ph_apikey_role_name(k->role), k->tenant, k->label,
                           k->created_at, k->revoked_at};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int key_list(ph_cli *cli, int argc, char **argv)
{
    int code = ph_cli_no_more_args(cli, "key", argc - 1, argv + 1);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"id", "role", "tenant", "label", "created", "revoked"};
    static const int numeric[] = {1, 0, 0, 0, 0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 6);
    ph_error err;
    ph_status st = ph_apikey_list(store, add_row, t, &err);
    ph_store_free(store);
    if (st == PH_OK)
        ph_cli_table_print(cli, t, NULL);
    ph_cli_table_free(t);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

static int key_revoke(ph_cli *cli, int argc, char **argv)
{
    if (argc < 3)
        return ph_cli_usage_error(cli, "key", "'key revoke' needs the key's ID ('puhui key "
                                              "list' shows them)");
    long long id = 0;
    int code = ph_cli_parse_int(cli, "key", "ID", argv[2], 1, INT64_MAX, &id);
    if (code == PH_EXIT_OK)
        code = ph_cli_no_more_args(cli, "key", argc - 2, argv + 2);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_status st = ph_apikey_revoke(store, id, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "key %lld revoked: it is refused from now on\n", id);
    return PH_EXIT_OK;
}

int ph_cmd_key(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *, int, char **);
    } subs[] = {{"create", key_create}, {"list", key_list}, {"revoke", key_revoke}};
    for (size_t i = 0; argc >= 2 && i < sizeof(subs) / sizeof(subs[0]); i++)
        if (strcmp(argv[1], subs[i].name) == 0)
            return subs[i].run(cli, argc, argv);
    return ph_cli_usage_error(cli, "key", "expected create, list or revoke");
}
