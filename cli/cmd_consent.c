/*
 * puhui consent grant ...    an enterprise authorises an institution
 * puhui consent revoke ...   withdraw it, effective at once
 * puhui consent list ...     who may read what, and until when
 */
#include <errno.h>
#include <string.h>

#include "cli.h"

/* The options of every consent subcommand; unset ones stay NULL / 0. */
typedef struct consent_opts {
    const char *enterprise, *institution, *purpose, *sources, *from, *until, *asof, *id;
    const char *enterprises; /* grant: a file of USCCs, one per line */
    int raw, live;
} consent_opts;

/* Which options a subcommand takes: value options by name, then flags. */
static int parse_opts(ph_cli *cli, int argc, char **argv, const char *const *allowed,
                      consent_opts *o)
{
    struct {
        const char *name;
        const char **value;
    } values[] = {
        {"--enterprise", &o->enterprise}, {"--institution", &o->institution},
        {"--purpose", &o->purpose},       {"--sources", &o->sources},
        {"--from", &o->from},             {"--until", &o->until},
        {"--asof", &o->asof},             {"--id", &o->id},
        {"--enterprises", &o->enterprises},
    };
    struct {
        const char *name;
        int *flag;
    } flags[] = {{"--raw", &o->raw}, {"--live", &o->live}};
    for (int i = 2; i < argc; i++) {
        int known = 0;
        for (const char *const *a = allowed; *a != NULL && !known; a++) {
            for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]) && !known; k++)
                if (strcmp(*a, flags[k].name) == 0 && strcmp(argv[i], *a) == 0)
                    known = *flags[k].flag = 1;
            for (size_t k = 0; k < sizeof(values) / sizeof(values[0]) && !known; k++) {
                if (strcmp(*a, values[k].name) != 0)
                    continue;
                const char *value = NULL;
                if (!ph_cli_option(argc, argv, &i, *a, &value))
                    continue;
                if (value == NULL || value[0] == '\0')
                    return ph_cli_usage_error(cli, "consent", "%s needs a value", *a);
                *values[k].value = value;
                known = 1;
            }
        }
        if (!known)
            return ph_cli_no_more_args(cli, "consent", 2, argv + i - 1);
    }
    return PH_EXIT_OK;
}

/* A required option: `option` is its name with a placeholder, "--until DATE". */
static int need(ph_cli *cli, const char *value, const char *option)
{
    if (value != NULL)
        return PH_EXIT_OK;
    return ph_cli_usage_error(cli, "consent", "'consent grant' needs %s", option);
}

/* Parse a date option; on failure print the error naming the option. */
static int parse_day(ph_cli *cli, const char *option, const char *text, ph_date *out)
{
    if (text == NULL)
        return PH_EXIT_OK;
    ph_error err;
    ph_status st = ph_date_parse(text, strlen(text), out, &err);
    if (st == PH_OK)
        return PH_EXIT_OK;
    ph_error_set_field(&err, option);
    return ph_cli_fail(cli, st, &err, "dates are YYYY-MM-DD");
}

static int parse_purpose(ph_cli *cli, const char *text, unsigned *out)
{
    ph_error err;
    ph_status st = ph_purpose_parse(text, out, &err);
    return st == PH_OK ? PH_EXIT_OK : ph_cli_fail(cli, st, &err, NULL);
}

static json_t *sources_json(ph_source_set set)
{
    json_t *array = json_array();
    for (size_t i = 0; i < ph_feed_count() && i < 64; i++)
        if (set & PH_SOURCE_BIT(i))
            json_array_append_new(array, json_string(ph_feed_at(i)->name));
    return array;
}

/* --enterprises FILE: the same terms from every enterprise listed, one USCC
 * per line, in one store session (each grant is its own transaction). The
 * first failure stops the run, naming its line; earlier grants stand. */
static int grant_each(ph_cli *cli, const char *path, ph_consent_terms *t)
{
    FILE *in = fopen(path, "r");
    ph_error err;
    if (in == NULL) {
        ph_error_set(&err, PH_EIO, "--enterprises", path, "cannot open: %s", strerror(errno));
        return ph_cli_fail(cli, PH_EIO, &err, NULL);
    }
    int code = PH_EXIT_OK;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    char line[128];
    long long n = 0, granted = 0;
    while (store != NULL && code == PH_EXIT_OK && fgets(line, sizeof(line), in) != NULL) {
        n++;
        line[strcspn(line, " \r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        t->uscc = line;
        int64_t id;
        ph_status st = ph_consent_grant(store, t, &id, &err);
        if (st != PH_OK) {
            ph_error_locate(&err, path, (uint64_t)n, 0);
            code = ph_cli_fail(cli, st, &err, NULL);
        } else
            granted++;
    }
    fclose(in);
    ph_store_free(store);
    if (store != NULL)
        fprintf(cli->out, "%lld consents granted to %s for %s from %s\n", granted,
                t->institution_id, ph_purpose_title(t->purpose), path);
    return code;
}

static int consent_grant(ph_cli *cli, int argc, char **argv)
{
    static const char *const allowed[] = {"--enterprise", "--institution", "--purpose",
                                          "--sources",    "--raw",         "--from",
                                          "--until",      "--enterprises", NULL};
    consent_opts o;
    memset(&o, 0, sizeof(o));
    ph_consent_terms t;
    memset(&t, 0, sizeof(t));
    int code = parse_opts(cli, argc, argv, allowed, &o);
    if (code == PH_EXIT_OK && o.enterprises == NULL)
        code = need(cli, o.enterprise, "--enterprise USCC");
    if (code == PH_EXIT_OK && o.enterprises != NULL && o.enterprise != NULL)
        code = ph_cli_usage_error(cli, "consent", "give --enterprise or --enterprises, not both");
    if (code == PH_EXIT_OK)
        code = need(cli, o.institution, "--institution ID");
    if (code == PH_EXIT_OK)
        code = need(cli, o.purpose, "--purpose credit|monitoring|supply_chain");
    if (code == PH_EXIT_OK)
        code = need(cli, o.until, "--until DATE (the last day the consent is valid)");
    if (code == PH_EXIT_OK)
        code = parse_purpose(cli, o.purpose, &t.purpose);
    if (code == PH_EXIT_OK)
        code = parse_day(cli, "--from", o.from, &t.granted_on);
    if (code == PH_EXIT_OK)
        code = parse_day(cli, "--until", o.until, &t.expires_on);
    ph_error err;
    if (code == PH_EXIT_OK) {
        ph_status st = ph_source_set_parse(o.sources ? o.sources : "all", t.purpose,
                                           &t.sources, &err);
        if (st != PH_OK)
            code = ph_cli_fail(cli, st, &err, "'puhui feeds list' shows the feeds and purposes");
    }
    if (code != PH_EXIT_OK)
        return code;
    t.uscc = o.enterprise;
    t.institution_id = o.institution;
    t.raw_access = o.raw;
    if (o.enterprises != NULL)
        return grant_each(cli, o.enterprises, &t);
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    int64_t id = 0;
    ph_status st = ph_consent_grant(store, &t, &id, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    char from[PH_DATE_FORMAT_MAX] = "", until[PH_DATE_FORMAT_MAX] = "";
    char names[PH_SOURCE_SET_FORMAT_MAX] = "";
    ph_date today = 0;
    if (t.granted_on == 0 && ph_ctx_today(cli->ctx, &today, NULL) == PH_OK)
        t.granted_on = today;
    (void)ph_date_format(t.granted_on, from, sizeof(from), NULL);
    (void)ph_date_format(t.expires_on, until, sizeof(until), NULL);
    (void)ph_source_set_format(t.sources, names, sizeof(names), NULL);
    if (cli->format == PH_FORMAT_JSON) {
        ph_cli_print_json(cli, json_pack("{s:I, s:s, s:s, s:s, s:o, s:b, s:s, s:s}", "id",
                                         (json_int_t)id, "enterprise", t.uscc, "institution",
                                         t.institution_id, "purpose",
                                         ph_feed_purpose_name(t.purpose), "sources",
                                         sources_json(t.sources), "raw", t.raw_access,
                                         "from", from, "until", until));
    } else {
        fprintf(cli->out,
                "consent %lld granted: %s lets %s use %s for %s%s, from %s to %s inclusive\n",
                (long long)id, t.uscc, t.institution_id, names, ph_purpose_title(t.purpose),
                t.raw_access ? " (raw records too)" : " (features only, no raw records)", from,
                until);
    }
    return PH_EXIT_OK;
}

static int consent_revoke(ph_cli *cli, int argc, char **argv)
{
    static const char *const allowed[] = {"--id", "--enterprise", "--institution", "--purpose",
                                          NULL};
    consent_opts o;
    memset(&o, 0, sizeof(o));
    int code = parse_opts(cli, argc, argv, allowed, &o);
    if (code != PH_EXIT_OK)
        return code;
    int by_triple = o.enterprise || o.institution || o.purpose;
    if ((o.id != NULL) == by_triple || (by_triple && !(o.enterprise && o.institution &&
                                                       o.purpose)))
        return ph_cli_usage_error(cli, "consent",
                                  "'consent revoke' takes either --id N or all of --enterprise, "
                                  "--institution and --purpose");
    long long id = 0;
    unsigned purpose = 0;
    if (o.id != NULL)
        code = ph_cli_parse_int(cli, "consent", "--id", o.id, 1, INT64_MAX, &id);
    else
        code = parse_purpose(cli, o.purpose, &purpose);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_error err;
    int64_t revoked = 1;
    ph_status st = o.id ? ph_consent_revoke(store, id, &err)
                        : ph_consent_revoke_matching(store, o.enterprise, o.institution,
                                                     purpose, &revoked, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, "'puhui consent list' shows the consents");
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:I}", "revoked", (json_int_t)revoked));
    else if (o.id)
        fprintf(cli->out, "consent %lld revoked: it refuses every read from now on\n", id);
    else
        fprintf(cli->out, "%lld consent%s from %s to %s for %s revoked\n", (long long)revoked,
                revoked == 1 ? "" : "s", o.enterprise, o.institution,
                ph_purpose_title(purpose));
    return PH_EXIT_OK;
}

typedef struct list_state {
    ph_cli_table *table;
    ph_date today; /* states are as of the day of the read, like the gate's */
} list_state;

static const char *consent_state(const ph_consent *c, ph_date today)
{
    if (c->revoked_at != NULL)
        return "revoked";
    if (today > c->expires_on)
        return "expired";
    if (today < c->granted_on)
        return "pending";
    return "live";
}

static ph_status add_consent(void *user, const ph_consent *c, ph_error *err)
{
    list_state *s = user;
    char id[24], from[PH_DATE_FORMAT_MAX], until[PH_DATE_FORMAT_MAX];
    char names[PH_SOURCE_SET_FORMAT_MAX];
    snprintf(id, sizeof(id), "%lld", (long long)c->id);
    ph_status st = ph_date_format(c->granted_on, from, sizeof(from), err);
    if (st == PH_OK)
        st = ph_date_format(c->expires_on, until, sizeof(until), err);
    if (st == PH_OK)
        st = ph_source_set_format(c->sources, names, sizeof(names), err);
    if (st != PH_OK)
        return st;
    const char *cells[] = {id,    c->uscc, c->institution_id, ph_feed_purpose_name(c->purpose),
                           names, c->raw_access ? "yes" : "no", from, until,
                           consent_state(c, s->today), c->revoked_at ? c->revoked_at : ""};
    ph_cli_table_add(s->table, cells);
    return PH_OK;
}

static int consent_list(ph_cli *cli, int argc, char **argv)
{
    static const char *const allowed[] = {"--enterprise", "--institution", "--live", "--asof",
                                          NULL};
    /* --asof is still recognised, to say why it went */
    consent_opts o;
    memset(&o, 0, sizeof(o));
    ph_consent_filter f;
    memset(&f, 0, sizeof(f));
    int code = parse_opts(cli, argc, argv, allowed, &o);
    if (code == PH_EXIT_OK && o.asof)
        code = ph_cli_usage_error(cli, "consent",
                                  "--asof is gone: a consent is live or not on the day of the "
                                  "read (today), whatever date the data is read as of");
    ph_error err;
    list_state s = {NULL, 0};
    if (code == PH_EXIT_OK) {
        ph_status st = ph_ctx_today(cli->ctx, &s.today, &err);
        if (st != PH_OK)
            code = ph_cli_fail(cli, st, &err, NULL);
    }
    if (code != PH_EXIT_OK)
        return code;
    f.uscc = o.enterprise;
    f.institution_id = o.institution;
    f.live_only = o.live;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"id",   "enterprise", "institution", "purpose",
                                          "sources", "raw",     "from",        "until",
                                          "state", "revoked_at"};
    static const int numeric[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    s.table = ph_cli_table_new(headers, numeric, 10);
    ph_status st = ph_consent_list(store, &f, add_consent, &s, &err);
    ph_store_free(store);
    if (st != PH_OK)
        code = ph_cli_fail(cli, st, &err, NULL);
    else
        ph_cli_table_print(cli, s.table, NULL);
    ph_cli_table_free(s.table);
    return code;
}

int ph_cmd_consent(ph_cli *cli, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*run)(ph_cli *cli, int argc, char **argv);
    } subcommands[] = {
        {"grant", consent_grant},
        {"revoke", consent_revoke},
        {"list", consent_list},
    };
    for (size_t i = 0; argc >= 2 && i < sizeof(subcommands) / sizeof(subcommands[0]); i++)
        if (strcmp(argv[1], subcommands[i].name) == 0)
            return subcommands[i].run(cli, argc, argv);
    return ph_cli_usage_error(cli, "consent", "'consent' takes 'grant', 'revoke' or 'list'");
}
