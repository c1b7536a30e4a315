/*
 * puhui audit verify [--head HASH] [--expect-count N] [--key PUBKEY]
 *                                                check the hash chain, checkpoints, triggers
 * puhui audit list [--enterprise USCC] [--institution ID] [--limit N]
 *                                                who read whose data, newest first
 * puhui audit keygen --out FILE                  a new checkpoint key (secret key to FILE)
 * puhui audit checkpoint --key FILE              sign the log's head, store and print it
 */
#include <string.h>

#include "cli.h"

typedef struct verify_opts {
    const char *head;
    const char *key;
    long long count;
} verify_opts;

static int take_verify_opt(ph_cli *cli, const char *option, const char *value, void *user)
{
    verify_opts *o = user;
    if (strcmp(option, "--head") == 0) {
        o->head = value;
        return PH_EXIT_OK;
    }
    if (strcmp(option, "--key") == 0) {
        o->key = value;
        return PH_EXIT_OK;
    }
    return ph_cli_parse_int(cli, "audit", option, value, 1, INT64_MAX, &o->count);
}

static json_t *report_json(const ph_audit_report *r, int keyed)
{
    json_t *doc = json_pack("{s:b, s:I, s:I, s:s}", "intact", r->intact, "entries",
                            (json_int_t)r->entries, "head_seq", (json_int_t)r->head_seq,
                            "head", r->head);
    if (!r->intact) {
        json_object_set_new(doc, "bad_seq", json_integer((json_int_t)r->bad_seq));
        json_object_set_new(doc, "problem", json_string(r->problem));
    }
    if (r->missing_triggers[0] != '\0')
        json_object_set_new(doc, "missing_triggers", json_string(r->missing_triggers));
    if (keyed) {
        json_object_set_new(doc, "checkpoints", json_integer((json_int_t)r->checkpoints));
        json_object_set_new(doc, "signed_seq", json_integer((json_int_t)r->signed_seq));
        json_object_set_new(doc, "unsigned_tail", json_integer((json_int_t)r->unsigned_tail));
    }
    return doc;
}

static void print_intact(ph_cli *cli, const ph_audit_report *r, int keyed)
{
    fprintf(cli->out,
            "access log intact: %lld entries, hash chain verified, append-only triggers in "
            "place\n"
            "head: entry %lld, hash %s\n",
            (long long)r->entries, (long long)r->head_seq, r->head);
    if (keyed)
        fprintf(cli->out,
                "signed checkpoints: %lld verified; entries 1..%lld are signed; unsigned "
                "tail: %lld entr%s after the last signed checkpoint\n",
                (long long)r->checkpoints, (long long)r->signed_seq,
                (long long)r->unsigned_tail, r->unsigned_tail == 1 ? "y" : "ies");
    if (keyed && r->unsigned_tail > 0)
        fprintf(cli->out, "(no signature vouches for the unsigned tail: 'puhui audit "
                          "checkpoint --key FILE' signs it)\n");
    else if (!keyed)
        fprintf(cli->out,
                "(publish the head hash, or a signed checkpoint ('puhui audit checkpoint'); "
                "'puhui audit verify --head HASH --expect-count %lld' later proves nothing up "
                "to it was changed or removed)\n",
                (long long)r->head_seq);
}

static int audit_verify(ph_cli *cli, int argc, char **argv)
{
    static const char *const options[] = {"--head", "--expect-count", "--key"};
    verify_opts o = {NULL, NULL, 0};
    int code = ph_cli_each_option(cli, "audit", argc, argv, 2, options, 3, take_verify_opt, &o);
    if (code != PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_audit_anchor anchor = {o.head, (int64_t)o.count, o.key};
    ph_audit_report r;
    memset(&r, 0, sizeof(r));
    ph_error err;
    ph_status st = ph_audit_verify(store, &anchor, &r, &err);
    ph_store_free(store);
    /* a finding (the report is written) rather than a failure to check */
    int failed = st == PH_ESTORE && !r.intact && r.problem[0] != '\0';
    if (st != PH_OK && !failed)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, report_json(&r, o.key != NULL));
    else if (!failed)
        print_intact(cli, &r, o.key != NULL);
    if (!failed)
        return PH_EXIT_OK;
    if (r.bad_seq > 0)
        fprintf(cli->err, "puhui: error: access log verification FAILED at entry %lld: %s\n",
                (long long)r.bad_seq, r.problem);
    else
        fprintf(cli->err, "puhui: error: access log verification FAILED: %s\n", r.problem);
    if (r.bad_seq > 0)
        fprintf(cli->err,
                "hint: the entries before %lld passed the checks; compare the log with a "
                "backup and the published head hashes and checkpoints\n",
                (long long)r.bad_seq);
    if (r.missing_triggers[0] != '\0' && strstr(r.problem, "protection") == NULL)
        fprintf(cli->err, "puhui: error: the append-only triggers %s are missing too\n",
                r.missing_triggers);
    return PH_EXIT_FAILURE;
}

static int audit_keygen(ph_cli *cli, int argc, char **argv)
{
    const char *out = NULL;
    const ph_cli_named opts[] = {{"--out", &out, NULL}};
    int code = ph_cli_parse_named(cli, "audit", argc, argv, 2, opts, 1);
    if (code != PH_EXIT_OK)
        return code;
    if (out == NULL)
        return ph_cli_usage_error(cli, "audit", "'audit keygen' needs --out FILE");
    char public_key[PH_AUDIT_PUBKEY_MAX], key_id[PH_AUDIT_KEY_ID_MAX];
    ph_error err;
    ph_status st = ph_audit_keygen(out, public_key, key_id, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:s, s:s, s:s, s:s}", "secret_key_file", out,
                                         "public_key", public_key, "key_id", key_id,
                                         "key_name", PH_AUDIT_KEY_NAME));
    else
        fprintf(cli->out,
                "secret key written to %s (mode 0600): keep it off the database host's "
                "shared storage\n"
                "public key (base64): %s\n"
                "key id: %s (name %s)\n"
                "(give the public key to whoever verifies: 'puhui audit verify --key %s')\n",
                out, public_key, key_id, PH_AUDIT_KEY_NAME, public_key);
    return PH_EXIT_OK;
}

static int audit_checkpoint(ph_cli *cli, int argc, char **argv)
{
    const char *key = NULL;
    const ph_cli_named opts[] = {{"--key", &key, NULL}};
    int code = ph_cli_parse_named(cli, "audit", argc, argv, 2, opts, 1);
    if (code != PH_EXIT_OK)
        return code;
    if (key == NULL)
        return ph_cli_usage_error(cli, "audit", "'audit checkpoint' needs --key FILE");
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_audit_checkpoint c;
    ph_error err;
    ph_status st = ph_audit_checkpoint_sign(store, key, &c, &err);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    if (cli->format == PH_FORMAT_JSON)
        ph_cli_print_json(cli, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id",
                                         (json_int_t)c.id, "size", (json_int_t)c.size, "head",
                                         c.head, "signed_at", c.at, "key_id", c.key_id, "note",
                                         c.note));
    else
        fputs(c.note, cli->out);
    return PH_EXIT_OK;
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
    const char *cells[] = {seq,        e->at,      e->data_on ? e->data_on : "", e->institution_id, e->uscc,
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
    static const char *const headers[] = {"seq",      "at",      "data_on", "institution",
                                          "enterprise", "purpose", "outcome", "what",
                                          "sources",  "raw",     "consents", "reason"};
    static const int numeric[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    ph_cli_table *table = ph_cli_table_new(headers, numeric, 12);
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
    if (argc >= 2 && strcmp(argv[1], "keygen") == 0)
        return audit_keygen(cli, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "checkpoint") == 0)
        return audit_checkpoint(cli, argc, argv);
    return ph_cli_usage_error(cli, "audit",
                              "'audit' takes 'verify', 'list', 'keygen' or 'checkpoint'");
}
