/*
 * puhui audit verify [--head HASH] [--expect-count N]   check the access log's hash chain
 * puhui audit list [--enterprise USCC] [--institution ID] [--limit N]
 *                                                       who read whose data, newest first
 */
#include <string.h>

#include "cli.h"

typedef struct verify_opts {
    const char *head;
    long long count;
} verify_opts;

static int take_verify_opt(ph_cli *cli, const char *option, const char *value, void *user)
{
    verify_opts *o = user;
    if (strcmp(option, "--head") == 0) {
        o->head = value;
        return PH_EXIT_OK;
    }
    return ph_cli_parse_int(cli, "audit", option, value, 1, INT64_MAX, &o->count);
}

static json_t *report_json(const ph_audit_report *r)
{
    json_t *doc = json_pack("{s:b, s:I, s:I, s:s}", "intact", r->intact, "entries",
                            (json_int_t)r->entries, "head_seq", (json_int_t)r->head_seq,
                            "head", r->head);
    if (!r->intact) {
        json_object_set_new(doc, "bad_seq", json_integer((json_int_t)r->bad_seq));
        json_object_set_new(doc, "problem", json_string(r->problem));
    }
    return doc;
}

static int audit_verify(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--head", "--expect-count"};
    verify_opts o = {NULL, 0};
    int code = ph_cli_each_option(cli, "audit", argc, argv, 2, options, 2, take_verify_opt, &o);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_audit_anchor anchor = {o.head, (int64_t)o.count};
    ph_audit_report r;
    memset(&r, 0, sizeof(r));
    ph_error err;
    ph_status st = ph_audit_verify(store, &anchor, &r, &err);
    ph_store_free(store);
    int tampered = st == PH_ESTORE && !r.intact && r.bad_seq > 0;
    if (st != PH_OK && !tampered)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, report_json(&r));
    else if (!tampered)
        fprintf(cli->out,
                "access log intact: %lld entries, hash chain verified\n"
                "head: entry %lld, hash %s\n"
                "(publish the head hash; 'puhui audit verify --head HASH --expect-count %lld' "
                "later proves nothing up to it was changed or removed)\n",
                (long long)r.entries, (long long)r.head_seq, r.head, (long long)r.head_seq);
    if (!tampered)
        return PH_EXIT_OK;
    fprintf(cli->err, "puhui: error: access log verification FAILED at entry %lld: %s\n",
            (long long)r.bad_seq, r.problem);
    fprintf(cli->err, "hint: the entries before %lld passed the checks; compare the log with "
                      "a backup and the published head hashes\n",
            (long long)r.bad_seq);
    return PH_EXIT_FAILURE;
}

typedef struct list_opts {
    ph_audit_filter filter;
} list_opts;

static int take_list_opt(ph_cli *cli, const char *option, const char *value, void *user)
{
    list_opts *o = user;
    if (strcmp(option, "--enterprise") == 0)
        o->filter.uscc = value;
    else if (strcmp(option, "--institution") == 0)
        o->filter.institution_id = value;
    else {
        long long limit = 0;
        int code = ph_cli_parse_int(cli, "audit", option, value, 1, INT64_MAX, &limit);
        o->filter.limit = (int64_t)limit;
        return code;
    }
    return PH_EXIT_OK;
}

static ph_status add_entry(void *user, const ph_audit_entry *e, ph_error *err)
{
    (void)err;
    char seq[24];
    snprintf(seq, sizeof(seq), "%lld", (long long)e->seq);
    const char *cells[] = {seq,        e->at,      e->institution_id, e->uscc,
                           e->purpose, e->outcome, e->what,           e->sources,
                           e->raw ? "yes" : "no", e->consents, e->reason};
    ph_cli_table_add(user, cells);
    return PH_OK;
}

static int audit_list(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--enterprise", "--institution", "--limit"};
    list_opts o;
    memset(&o, 0, sizeof(o));
    int code = ph_cli_each_option(cli, "audit", argc, argv, 2, options, 3, take_list_opt, &o);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    static const char *const headers[] = {"seq",     "at",   "institution", "enterprise",
                                          "purpose", "outcome", "what",     "sources",
                                          "raw",     "consents", "reason"};
    static const int numeric[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 11);
    ph_error err;
    ph_status st = ph_audit_list(store, &o.filter, add_entry, table, &err);
    ph_store_free(store);
    if (st != PH_OK)
        code = ph_cli_fail(cli, st, &err, NULL);
    else
        ph_cli_table_print(cli, table, NULL);
    ph_cli_table_free(table);
    return code;
}

int ph_cmd_audit(ph_cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return audit_verify(cli, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "list") == 0)
        return audit_list(cli, argc, argv);
    return ph_cli_usage_error(cli, "audit", "'audit' takes 'verify' or 'list'");
}
