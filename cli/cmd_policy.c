/*
 * puhui policy load FILE [--activate]        store a lender policy version
 * puhui policy list [--lender ID]            every stored version
 * puhui policy activate --lender ID --name N --version V
 * puhui policy show --lender ID --name N [--version V]
 * puhui policy challenger | simulate ...    (cli/policy_market.c)
 *
 * Policies are stored once per version (policy_store.h); the active version
 * of a lender's policy is the one decisions use.
 */
#include <stdint.h>
#include <string.h>

#include "cli.h"

/* The options of every policy subcommand; unset ones stay NULL / 0. */
typedef struct policy_opts {
    const char *lender, *name, *version, *file;
    int activate;
} policy_opts;

/* Parse argv[2..]: the options in `allowed` (NULL-terminated), "--activate"
 * as a flag when allowed, and with `want_file` one positional FILE. */
static int parse_opts(ph_cli *cli, int argc, char **argv, const char *const *allowed,
                      int want_file, policy_opts *o)
{
    struct {
        const char *name;
        const char **value;
    } values[] = {{"--lender", &o->lender}, {"--name", &o->name}, {"--version", &o->version}};
    for (int i = 2; i < argc; i++) {
        int known = 0;
        for (const char *const *a = allowed; *a != NULL && !known; a++) {
            if (strcmp(*a, "--activate") == 0 && strcmp(argv[i], *a) == 0) {
                known = o->activate = 1;
                continue;
            }
            for (size_t k = 0; k < sizeof(values) / sizeof(values[0]) && !known; k++) {
                const char *value = NULL;
                if (strcmp(*a, values[k].name) != 0 || !ph_cli_option(argc, argv, &i, *a, &value))
                    continue;
                if (value == NULL || value[0] == '\0')
                    return ph_cli_usage_error(cli, "policy", "%s needs a value", *a);
                *values[k].value = value;
                known = 1;
            }
        }
        if (!known && want_file && o->file == NULL && argv[i][0] != '-') {
            o->file = argv[i];
            known = 1;
        }
        if (!known)
            return ph_cli_no_more_args(cli, "policy", 2, argv + i - 1);
    }
    return PH_EXIT_OK;
}

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err,
                       st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database" : NULL);
}

/* --version V as a number of 1 or more (0 when absent and optional). */
static int parse_version(ph_cli *cli, const policy_opts *o, int64_t *version)
{
    long long v = 0;
    int code = o->version ? ph_cli_parse_int(cli, "policy", "--version", o->version, 1,
                                             INT64_MAX, &v)
                          : PH_EXIT_OK;
    *version = (int64_t)v;
    return code;
}

/* ---- load ---------------------------------------------------------------------- */

static int policy_load(ph_cli *cli, int argc, char **argv)
{
    static const char *const allowed[] = {"--activate", NULL};
    policy_opts o = {0};
    int code = parse_opts(cli, argc, argv, allowed, 1, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (o.file == NULL)
        return ph_cli_usage_error(cli, "policy", "'policy load' needs a FILE");
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_policy_entry *e = NULL;
    ph_status st = ph_policy_store_load(store, o.file, o.activate, &e, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "policy %s / %s version %lld %s: %zu bytes, BLAKE2b-256 %s\n", e->lender,
            e->name, (long long)e->version,
            e->stored ? "loaded" : "already loaded with the same bytes (nothing changed)",
            e->size, e->checksum);
    fprintf(cli->out, "%s\n", e->active ? "it is the active version"
                                        : "it is not active: puhui policy activate --lender "
                                          "ID --name N --version V");
    ph_policy_entry_free(e);
    return PH_EXIT_OK;
}

/* ---- list ---------------------------------------------------------------------- */

static ph_status add_entry(void *user, const ph_policy_entry *e, ph_error *err)
{
    (void)err;
    char version[24], size[24];
    snprintf(version, sizeof(version), "%lld", (long long)e->version);
    snprintf(size, sizeof(size), "%zu", e->size);
    const char *cells[] = {e->lender,    e->name, version,     e->active ? "yes" : "",
                           e->loaded_at, size,    e->checksum, e->file};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int policy_list(ph_cli *cli, int argc, char **argv)
{
    static const char *const allowed[] = {"--lender", NULL};
    policy_opts o = {0};
    int code = parse_opts(cli, argc, argv, allowed, 0, &o);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"lender", "name",  "version",  "active",
                                          "loaded", "bytes", "checksum", "file"};
    static const int numeric[] = {0, 0, 1, 0, 0, 1, 0, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 8);
    ph_error err;
    ph_status st = ph_policy_store_list(store, o.lender, add_entry, table, &err);
    ph_store_free(store);
    if (st == PH_OK)
        ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

/* ---- activate ------------------------------------------------------------------ */

static int policy_activate(ph_cli *cli, int argc, char **argv)
{
    static const char *const allowed[] = {"--lender", "--name", "--version", NULL};
    policy_opts o = {0};
    int code = parse_opts(cli, argc, argv, allowed, 0, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (o.lender == NULL || o.name == NULL || o.version == NULL)
        return ph_cli_usage_error(cli, "policy",
                                  "'policy activate' needs --lender, --name and --version");
    int64_t version = 0;
    if ((code = parse_version(cli, &o, &version)) != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_status st = ph_policy_store_activate(store, o.lender, o.name, version, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fprintf(cli->out, "policy %s / %s version %lld is now the active version\n", o.lender,
            o.name, (long long)version);
    return PH_EXIT_OK;
}

/* ---- show ---------------------------------------------------------------------- */

static ph_cli_table *product_table(const ph_policy *p)
{
    static const char *const headers[] = {"field", "value"};
    static const int numeric[] = {0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 2);
    const ph_policy_product *prod = ph_policy_product_of(p);
    char min_amount[64] = "", max_amount[64] = "", min_term[24], max_term[24], fee[64] = "";
    (void)ph_money_format(prod->min_amount, PH_MONEY_GROUPING, min_amount, sizeof(min_amount),
                          NULL);
    (void)ph_money_format(prod->max_amount, PH_MONEY_GROUPING, max_amount, sizeof(max_amount),
                          NULL);
    snprintf(min_term, sizeof(min_term), "%lld", (long long)prod->min_term);
    snprintf(max_term, sizeof(max_term), "%lld", (long long)prod->max_term);
    if (prod->has_guarantee_fee)
        (void)ph_rate_format_percent(prod->guarantee_fee, fee, sizeof(fee), NULL);
    const char *rows[][2] = {
        {"name", prod->name ? prod->name : ""},
        {"min_amount (yuan)", min_amount},
        {"max_amount (yuan)", max_amount},
        {"min_term (months)", min_term},
        {"max_term (months)", max_term},
        {"repayment", prod->repayment ? prod->repayment : ""},
        {"guarantee_fee", prod->has_guarantee_fee ? fee : "none"},
    };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        ph_cli_table_add(t, rows[i]);
    return t;
}

static ph_cli_table *inputs_table(const ph_policy *p)
{
    static const char *const headers[] = {"input", "kind"};
    static const int numeric[] = {0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 2);
    for (size_t i = 0; i < ph_policy_input_count(p); i++) {
        const char *cells[] = {ph_policy_input_name(p, i),
                               ph_value_kind_name(ph_policy_input_kind(p, i))};
        ph_cli_table_add(t, cells);
    }
    return t;
}

static ph_cli_table *steps_table(const ph_policy *p)
{
    static const char *const headers[] = {"step", "kind", "name"};
    static const int numeric[] = {1, 0, 0};
    ph_cli_table *t = ph_cli_table_new(headers, numeric, 3);
    for (size_t i = 0; i < ph_policy_step_count(p); i++) {
        char step[24];
        snprintf(step, sizeof(step), "%zu", i + 1);
        const char *cells[] = {step, ph_policy_step_kind_name(ph_policy_step_kind_at(p, i)),
                               ph_policy_step_name(p, i)};
        ph_cli_table_add(t, cells);
    }
    return t;
}

static void print_policy(ph_cli *cli, const ph_policy *p, const ph_policy_entry *e)
{
    ph_cli_table *parts[] = {product_table(p), inputs_table(p), steps_table(p)};
    static const char *const titles[] = {"product", "inputs", "steps"};
    if (cli->format == PH_FORMAT_JSON) {
        json_t *doc = json_pack("{s:s, s:s, s:I, s:b, s:s, s:s}", "lender", e->lender, "name",
                                e->name, "version", (json_int_t)e->version, "active", e->active,
                                "checksum", e->checksum, "loaded_at", e->loaded_at);
        for (size_t i = 0; doc != NULL && i < 3; i++)
            json_object_set_new(doc, titles[i], ph_cli_table_json(parts[i]));
        ph_cli_print_json(cli, doc);
    } else {
        fprintf(cli->out, "policy %s / %s version %lld (%s), loaded %s, BLAKE2b-256 %s\n\n",
                e->lender, e->name, (long long)e->version, e->active ? "active" : "not active",
                e->loaded_at, e->checksum);
        for (size_t i = 0; i < 3; i++) {
            ph_cli_table_print(cli, parts[i], titles[i]);
            if (i < 2)
                fputc('\n', cli->out);
        }
    }
    for (size_t i = 0; i < 3; i++)
        ph_cli_table_free(parts[i]);
}

static int policy_show(ph_cli *cli, int argc, char **argv)
{
    static const char *const allowed[] = {"--lender", "--name", "--version", NULL};
    policy_opts o = {0};
    int code = parse_opts(cli, argc, argv, allowed, 0, &o);
    if (code != PH_EXIT_OK)
        return code;
    if (o.lender == NULL || o.name == NULL)
        return ph_cli_usage_error(cli, "policy", "'policy show' needs --lender and --name");
    int64_t version = 0;
    if ((code = parse_version(cli, &o, &version)) != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    ph_policy *p = NULL;
    ph_policy_entry *e = NULL;
    ph_status st = ph_policy_store_get(store, o.lender, o.name, version, &p, &e, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return fail(cli, st, &err);
    print_policy(cli, p, e);
    ph_policy_free(p);
    ph_policy_entry_free(e);
    return PH_EXIT_OK;
}

int ph_cmd_policy(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *cli, int argc, char **argv);
    } subcommands[] = {
        {"load", policy_load},
        {"list", policy_list},
        {"activate", policy_activate},
        {"show", policy_show},
        {"challenger", ph_policy_challenger},
        {"simulate", ph_policy_simulate},
    };
    for (size_t i = 0; argc >= 2 && i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(cli, argc, argv);
    return ph_cli_usage_error(cli, "policy",
                              "'policy' takes 'load', 'list', 'activate', 'show', "
                              "'challenger' or 'simulate'");
}
