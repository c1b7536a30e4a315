/*
 * puhui evidence init [--name ORIGIN] | append FILE... | checkpoint
 *                | prove --index I[,I...] [--size N] --out BUNDLE
 *                | consistency --from N1 [--to N2] [--out FILE]
 *                | verify --bundle B --checkpoint C --key VKEY
 *                | verify --consistency FILE --old C1 --checkpoint C2 --key VKEY
 *                | anchor | audit | check
 *   (every subcommand but verify takes --evidence DIR, default <db>.evidence,
 *    and --key FILE for the secret key, default DIR/log.key)
 *
 * The evidence log (evidence.h, docs/evidence.md). `verify` is the offline
 * verifier: it reads the three files it is given and nothing else - no
 * database, no log - so a participant can run it on their own machine.
 * `anchor` appends the platform's consents, decisions and access-log head
 * (anchor.h); `checkpoint` does the same first, so that every signed
 * checkpoint covers them; `audit` rebuilds every anchored leaf from the
 * database and names each record that no longer matches (exit code 3);
 * `check` recomputes every stored hash of the log itself.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cli.h"
#include "puhui/anchor.h"

#define CMD "evidence"

typedef struct ev_opts {
    const char *dir, *key, *name, *index, *size, *out, *from, *to, *bundle, *checkpoint;
    const char *consistency, *old;
} ev_opts;

static int parse_u64(ph_cli *cli, const char *option, const char *text, uint64_t *out)
{
    long long v = 0;
    int code = ph_cli_parse_int(cli, CMD, option, text, 0, INT64_MAX, &v);
    *out = (uint64_t)v;
    return code;
}

static void key_path(const ph_cli *cli, const ev_opts *o, char *buf, size_t size)
{
    char dir[4096];
    if (o->key != NULL)
        snprintf(buf, size, "%s", o->key);
    else
        snprintf(buf, size, "%s/log.key", cli_evidence_dir(cli, o->dir, dir, sizeof(dir)));
}

static int fail(ph_cli *cli, ph_status st, const ph_error *err)
{
    return ph_cli_fail(cli, st, err, NULL);
}

/* ---- anchor and audit ------------------------------------------------------------------------ */

/* Anchor the records the log does not hold yet and say what was added. */
static int sweep(ph_cli *cli, ph_store *store, ph_evidence_log *log)
{
    ph_anchor_report r;
    ph_error err;
    ph_status st = ph_anchor_sweep(store, log, &r, &err);
    if (st != PH_OK)
        return fail(cli, st, &err);
    if (r.leaves == 0)
        fprintf(cli->out, "anchored nothing new: the log holds every consent, decision and "
                          "the access log's head\n");
    else
        fprintf(cli->out,
                "anchored %llu record(s) as leaves %llu..%llu: %lld consent grant(s), %lld "
                "revocation(s), %lld decision(s), %s\n",
                (unsigned long long)r.leaves, (unsigned long long)r.first_leaf,
                (unsigned long long)(r.first_leaf + r.leaves - 1), (long long)r.grants,
                (long long)r.revocations, (long long)r.decisions,
                r.heads ? "the access log's head" : "the access log's head unchanged");
    return PH_EXIT_OK;
}

static int cmd_anchor(ph_cli *cli, const ev_opts *o)
{
    int code = PH_EXIT_OK;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_evidence_log *log = cli_evidence_open(cli, o->dir, 1, &code);
    if (log != NULL)
        code = sweep(cli, store, log);
    ph_evidence_free(log);
    ph_store_free(store);
    return code;
}

static ph_status print_mismatch(void *user, const ph_anchor_mismatch *m, ph_error *err)
{
    (void)err;
    ph_cli *cli = user;
    fprintf(cli->out, "%s %lld (leaf %llu): %s\n", m->source, (long long)m->key,
            (unsigned long long)m->leaf_index, m->problem);
    return PH_OK;
}

static int cmd_audit(ph_cli *cli, const ev_opts *o)
{
    int code = PH_EXIT_OK;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_evidence_log *log = cli_evidence_open_read(cli, o->dir, &code);
    if (log != NULL) {
        int64_t checked = 0, bad = 0;
        ph_error err;
        ph_status st = ph_anchor_check(store, log, print_mismatch, cli, &checked, &bad, &err);
        if (st != PH_OK) {
            code = fail(cli, st, &err);
        } else if (bad > 0) {
            fprintf(cli->err,
                    "puhui: %lld of %lld anchored record(s) no longer match the evidence log\n",
                    (long long)bad, (long long)checked);
            code = PH_EXIT_VERIFY;
        } else {
            fprintf(cli->out, "%lld anchored record(s) match the evidence log\n",
                    (long long)checked);
        }
    }
    ph_evidence_free(log);
    ph_store_free(store);
    return code;
}

/* Every leaf's stored hash and every parent recomputed (ph_evidence_check):
 * damage inside the committed leaves, which a crash does not make and an
 * open does not look for past the last leaf. Read-only: beside a writer. */
static int cmd_check(ph_cli *cli, const ev_opts *o)
{
    int code = PH_EXIT_OK;
    ph_evidence_log *log = cli_evidence_open_read(cli, o->dir, &code);
    if (log == NULL)
        return code;
    uint64_t checked = 0, size = ph_evidence_size(log);
    ph_error err;
    ph_status st = ph_evidence_check(log, &checked, &err);
    ph_evidence_free(log);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err,
                           "the leaves before it are sound; the log's files were changed or "
                           "damaged on disk");
    fprintf(cli->out,
            "%llu committed leaves checked: every stored leaf hash and parent recomputes\n",
            (unsigned long long)size);
    return PH_EXIT_OK;
}

/* ---- init ---------------------------------------------------------------------------------- */

static int cmd_init(ph_cli *cli, const ev_opts *o)
{
    char dir[4096], vkey[4200], key[4200];
    cli_evidence_dir(cli, o->dir, dir, sizeof(dir));
    snprintf(vkey, sizeof(vkey), "%s/log.vkey", dir);
    key_path(cli, o, key, sizeof(key));
    ph_error err;
    ph_evidence_log *log = NULL;
    ph_status st = ph_evidence_open(cli->ctx, dir, o->name, 1, &log, &err);
    if (st == PH_OK)
        st = ph_evidence_keygen(cli->ctx, ph_evidence_origin(log), key, vkey, &err);
    if (st != PH_OK) {
        ph_evidence_free(log);
        return ph_cli_fail(cli, st, &err,
                           st == PH_EEXISTS ? "the log has its key already; keep it (its "
                                              "checkpoints may be published)"
                                            : NULL);
    }
    char *text = NULL;
    size_t len = 0;
    st = ph_read_file(cli->ctx, vkey, "verifier key", &text, &len, &err);
    if (st == PH_OK)
        fprintf(cli->out,
                "evidence log %s (origin %s, %llu leaves)\nsecret key: %s (keep it private)\n"
                "verifier key (publish it): %.*s",
                dir, ph_evidence_origin(log), (unsigned long long)ph_evidence_size(log), key,
                (int)len, text);
    ph_free(cli->ctx, text);
    ph_evidence_free(log);
    return st == PH_OK ? PH_EXIT_OK : fail(cli, st, &err);
}

/* ---- append and checkpoint ----------------------------------------------------------------- */

static int cmd_append(ph_cli *cli, const ev_opts *o, int nfiles, char **files)
{
    if (nfiles == 0)
        return ph_cli_usage_error(cli, CMD, "'evidence append' needs at least one FILE");
    int code = PH_EXIT_OK;
    ph_evidence_log *log = cli_evidence_open(cli, o->dir, 0, &code);
    if (log == NULL)
        return code;
    ph_error err;
    ph_status st = PH_OK;
    for (int i = 0; i < nfiles && st == PH_OK; i++) {
        char *data = NULL;
        size_t len = 0;
        uint64_t index = 0;
        st = ph_read_file(cli->ctx, files[i], "leaf file", &data, &len, &err);
        if (st == PH_OK)
            st = ph_evidence_append(log, data, len, &index, &err);
        ph_free(cli->ctx, data);
        if (st == PH_OK)
            fprintf(cli->out, "leaf %llu: %s (%zu bytes)\n", (unsigned long long)index, files[i],
                    len);
    }
    /* what was appended before a failure is kept: the indices were printed */
    ph_error cerr;
    ph_status cst = ph_evidence_commit(log, &cerr);
    ph_evidence_free(log);
    if (st != PH_OK)
        return fail(cli, st, &err);
    return cst == PH_OK ? PH_EXIT_OK : fail(cli, cst, &cerr);
}

static int cmd_checkpoint(ph_cli *cli, const ev_opts *o)
{
    int code = PH_EXIT_OK;
    ph_evidence_log *log = cli_evidence_open(cli, o->dir, 0, &code);
    if (log == NULL)
        return code;
    char key[4200];
    key_path(cli, o, key, sizeof(key));
    /* the platform's records first, so the checkpoint covers them; a log
     * kept without a database (--evidence on its own) has none */
    if (access(cli->db_path, F_OK) == 0) {
        ph_store *store = ph_cli_open_store(cli, 1, &code);
        if (store != NULL)
            code = sweep(cli, store, log);
        ph_store_free(store);
        if (code != PH_EXIT_OK) {
            ph_evidence_free(log);
            return code;
        }
    }
    char *note = NULL;
    ph_error err;
    ph_status st = ph_evidence_checkpoint(log, key, &note, &err);
    ph_evidence_free(log);
    if (st != PH_OK)
        return fail(cli, st, &err);
    fputs(note, cli->out);
    ph_free(cli->ctx, note);
    return PH_EXIT_OK;
}

/* ---- prove and consistency ------------------------------------------------------------------ */

static int cmd_prove(ph_cli *cli, const ev_opts *o)
{
    if (o->index == NULL || o->out == NULL)
        return ph_cli_usage_error(cli, CMD, "'evidence prove' needs --index I and --out BUNDLE");
    char **items = ph_cli_split_list(o->index, 0);
    if (items == NULL)
        return ph_cli_usage_error(cli, CMD, "out of memory");
    size_t n = 0;
    while (items[n] != NULL)
        n++;
    uint64_t *indices = calloc(n ? n : 1, sizeof(*indices));
    int code = indices ? PH_EXIT_OK : PH_EXIT_FAILURE;
    for (size_t i = 0; i < n && code == PH_EXIT_OK; i++)
        code = parse_u64(cli, "--index", items[i], &indices[i]);
    free(items);
    if (code == PH_EXIT_OK && n == 0)
        code = ph_cli_usage_error(cli, CMD, "--index needs at least one leaf index");
    uint64_t size = 0;
    if (code == PH_EXIT_OK && o->size != NULL)
        code = parse_u64(cli, "--size", o->size, &size);
    ph_evidence_log *log = NULL;
    if (code == PH_EXIT_OK)
        log = cli_evidence_open_read(cli, o->dir, &code);
    ph_error err;
    ph_status st = PH_OK;
    if (log != NULL && o->size == NULL) {
        char dir[4096];
        ph_evidence_checkpoint_info cp;
        memset(&cp, 0, sizeof(cp));
        st = cli_evidence_last_checkpoint(cli, cli_evidence_dir(cli, o->dir, dir, sizeof(dir)), &cp, &err);
        size = cp.size;
    }
    if (log != NULL && st == PH_OK)
        st = ph_evidence_bundle_write(log, indices, n, size, o->out, &err);
    if (log != NULL && st == PH_OK)
        fprintf(cli->out, "%s: %zu %s proved against the tree of %llu leaves\n", o->out, n,
                n == 1 ? "leaf" : "leaves", (unsigned long long)size);
    ph_evidence_free(log);
    free(indices);
    if (log != NULL && st != PH_OK)
        return fail(cli, st, &err);
    return code;
}

static json_t *hash_json(const uint8_t h[PH_EVIDENCE_HASH])
{
    char b64[sodium_base64_ENCODED_LEN(PH_EVIDENCE_HASH, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), h, PH_EVIDENCE_HASH, sodium_base64_VARIANT_ORIGINAL);
    return json_string(b64);
}

static int cmd_consistency(ph_cli *cli, const ev_opts *o)
{
    if (o->from == NULL)
        return ph_cli_usage_error(cli, CMD, "'evidence consistency' needs --from N1");
    uint64_t from = 0, to = 0;
    int code = parse_u64(cli, "--from", o->from, &from);
    if (code == PH_EXIT_OK && o->to != NULL)
        code = parse_u64(cli, "--to", o->to, &to);
    if (code != PH_EXIT_OK)
        return code;
    ph_evidence_log *log = cli_evidence_open_read(cli, o->dir, &code);
    if (log == NULL)
        return code;
    ph_error err;
    ph_status st = PH_OK;
    if (o->to == NULL) {
        char dir[4096];
        ph_evidence_checkpoint_info cp;
        memset(&cp, 0, sizeof(cp));
        st = cli_evidence_last_checkpoint(cli, cli_evidence_dir(cli, o->dir, dir, sizeof(dir)), &cp, &err);
        to = cp.size;
    }
    uint8_t path[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH], r1[PH_EVIDENCE_HASH],
        r2[PH_EVIDENCE_HASH];
    size_t k = 0;
    if (st == PH_OK)
        st = ph_evidence_prove_consistency(log, from, to, path, &k, &err);
    if (st == PH_OK)
        st = ph_evidence_root(log, from, r1, &err);
    if (st == PH_OK)
        st = ph_evidence_root(log, to, r2, &err);
    json_t *doc = NULL;
    if (st == PH_OK) {
        json_t *arr = json_array();
        for (size_t i = 0; i < k; i++)
            json_array_append_new(arr, hash_json(path[i]));
        doc = json_pack("{s:s, s:I, s:I, s:o, s:o, s:o}", "origin", ph_evidence_origin(log),
                        "size1", (json_int_t)from, "size2", (json_int_t)to, "root1",
                        hash_json(r1), "root2", hash_json(r2), "proof", arr);
    }
    ph_evidence_free(log);
    if (st != PH_OK)
        return fail(cli, st, &err);
    if (o->out != NULL) {
        if (json_dump_file(doc, o->out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0) {
            json_decref(doc);
            ph_error_set(&err, PH_EIO, "file", o->out, "cannot write the proof");
            return fail(cli, PH_EIO, &err);
        }
        json_decref(doc);
        fprintf(cli->out, "%s: consistency of %llu and %llu leaves, %zu hashes\n", o->out,
                (unsigned long long)from, (unsigned long long)to, k);
        return PH_EXIT_OK;
    }
    char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    if (text != NULL)
        fprintf(cli->out, "%s\n", text);
    free(text);
    return PH_EXIT_OK;
}

/* ---- verify: offline ------------------------------------------------------------------------ */

/* verify --consistency FILE --old OLD --checkpoint NEW --key VKEY: the
 * proof (as `evidence consistency` writes it) joins the two signed trees.
 * The roots come from the checkpoints, never from the proof file. */
static int verify_consistency(ph_cli *cli, const ev_opts *o)
{
    char *proof_text = NULL, *old_note = NULL, *new_note = NULL, *vkey = NULL;
    size_t plen = 0, olen = 0, nlen = 0, vlen = 0;
    ph_error err;
    ph_evidence_checkpoint_info c1, c2;
    memset(&c1, 0, sizeof(c1));
    memset(&c2, 0, sizeof(c2));
    const char *bad_file = NULL;
    ph_status st = cli_read_text(cli, o->consistency, "consistency proof", &proof_text, &plen,
                                 &err);
    if (st == PH_OK)
        st = cli_read_text(cli, o->old, "old checkpoint", &old_note, &olen, &err);
    if (st == PH_OK)
        st = cli_read_text(cli, o->checkpoint, "checkpoint", &new_note, &nlen, &err);
    if (st == PH_OK)
        st = cli_read_text(cli, o->key, "verifier key", &vkey, &vlen, &err);
    if (st == PH_OK && (st = ph_evidence_checkpoint_open(old_note, olen, vkey, &c1, &err)) != PH_OK)
        bad_file = o->old;
    if (st == PH_OK &&
        (st = ph_evidence_checkpoint_open(new_note, nlen, vkey, &c2, &err)) != PH_OK)
        bad_file = o->checkpoint;
    json_t *doc = NULL;
    uint8_t path[PH_EVIDENCE_MAX_PATH][PH_EVIDENCE_HASH];
    size_t k = 0;
    if (st == PH_OK) {
        json_error_t jerr;
        doc = json_loadb(proof_text, plen, JSON_REJECT_DUPLICATES, &jerr);
        json_t *arr = json_object_get(doc, "proof");
        json_t *s1 = json_object_get(doc, "size1"), *s2 = json_object_get(doc, "size2");
        if (doc == NULL) {
            st = ph_error_set(&err, PH_EINVAL, NULL, NULL, "invalid JSON: %s", jerr.text);
            ph_error_locate(&err, o->consistency, (uint64_t)(jerr.line > 0 ? jerr.line : 0),
                            (uint64_t)(jerr.column > 0 ? jerr.column : 0));
        } else if (!json_is_array(arr) || json_array_size(arr) > PH_EVIDENCE_MAX_PATH ||
                   !json_is_integer(s1) || !json_is_integer(s2)) {
            st = ph_error_set(&err, PH_EINVAL, "file", o->consistency,
                              "expected a consistency proof as `puhui evidence consistency` "
                              "writes it: size1, size2 and proof, an array of at most 64 "
                              "hashes");
        } else if ((uint64_t)json_integer_value(s1) != c1.size ||
                   (uint64_t)json_integer_value(s2) != c2.size) {
            st = ph_error_set(&err, PH_EVERIFY, "file", o->consistency,
                              "the proof joins trees of %lld and %lld leaves, the checkpoints "
                              "sign %llu and %llu",
                              (long long)json_integer_value(s1),
                              (long long)json_integer_value(s2), (unsigned long long)c1.size,
                              (unsigned long long)c2.size);
        } else {
            k = json_array_size(arr);
            for (size_t i = 0; i < k && st == PH_OK; i++) {
                json_t *h = json_array_get(arr, i);
                unsigned char raw[PH_EVIDENCE_HASH + 3];
                size_t got = 0;
                const char *end = NULL;
                const char *text = json_string_value(h);
                if (text == NULL ||
                    sodium_base642bin(raw, sizeof(raw), text, json_string_length(h), NULL,
                                      &got, &end, sodium_base64_VARIANT_ORIGINAL) != 0 ||
                    end != text + json_string_length(h) || got != PH_EVIDENCE_HASH)
                    st = ph_error_set(&err, PH_EINVAL, "file", o->consistency,
                                      "proof[%zu] is not a hash: base64 of 32 bytes", i);
                else
                    memcpy(path[i], raw, PH_EVIDENCE_HASH);
            }
        }
    }
    if (st == PH_OK && strcmp(c1.origin, c2.origin) != 0)
        st = ph_error_set(&err, PH_EVERIFY, "origin", c2.origin,
                          "the checkpoints are of two logs ('%s' and '%s')", c1.origin,
                          c2.origin);
    if (st == PH_OK)
        st = ph_merkle_verify_consistency(c1.size, c2.size, c1.root, c2.root,
                                          (const uint8_t(*)[PH_EVIDENCE_HASH])path, k, &err);
    json_decref(doc);
    ph_free(cli->ctx, proof_text);
    ph_free(cli->ctx, old_note);
    ph_free(cli->ctx, new_note);
    ph_free(cli->ctx, vkey);
    if (st != PH_OK) {
        if (bad_file != NULL && st == PH_EINVAL)
            ph_error_locate(&err, bad_file, err.line, err.column);
        return ph_cli_fail(cli, st, &err,
                           st == PH_EVERIFY ? "the newer checkpoint does not extend the older "
                                              "one: the log was rewritten or forked"
                                            : NULL);
    }
    fprintf(cli->out,
            "verified: the log %s at tree size %llu extends its tree at size %llu (nothing "
            "signed before was changed)\n",
            c2.origin, (unsigned long long)c2.size, (unsigned long long)c1.size);
    return PH_EXIT_OK;
}

static int cmd_verify(ph_cli *cli, const ev_opts *o)
{
    if (o->consistency != NULL || o->old != NULL) {
        if (o->consistency == NULL || o->old == NULL || o->checkpoint == NULL || o->key == NULL ||
            o->bundle != NULL || o->dir != NULL)
            return ph_cli_usage_error(cli, CMD,
                                      "'evidence verify --consistency' needs --consistency "
                                      "FILE --old OLD_CHECKPOINT --checkpoint CHECKPOINT --key "
                                      "VKEY (and no --bundle or --evidence)");
        return verify_consistency(cli, o);
    }
    if (o->bundle == NULL || o->checkpoint == NULL || o->key == NULL)
        return ph_cli_usage_error(cli, CMD,
                                  "'evidence verify' needs --bundle B --checkpoint C --key "
                                  "VKEY (the log's verifier key, from the platform's "
                                  "publication, not from the bundle's sender)");
    if (o->dir != NULL)
        return ph_cli_usage_error(cli, CMD,
                                  "'evidence verify' is offline: it reads no log, so "
                                  "--evidence does not apply");
    char *bundle = NULL, *note = NULL, *vkey = NULL;
    size_t blen = 0, nlen = 0, vlen = 0, leaves = 0;
    ph_error err;
    ph_status st = cli_read_text(cli, o->bundle, "bundle", &bundle, &blen, &err);
    if (st == PH_OK)
        st = cli_read_text(cli, o->checkpoint, "checkpoint", &note, &nlen, &err);
    if (st == PH_OK)
        st = cli_read_text(cli, o->key, "verifier key", &vkey, &vlen, &err);
    if (st == PH_OK && (memchr(vkey, '\0', vlen) != NULL))
        st = ph_error_set(&err, PH_EINVAL, "file", o->key, "the verifier key holds a NUL byte");
    ph_evidence_checkpoint_info cp;
    memset(&cp, 0, sizeof(cp));
    if (st == PH_OK)
        st = ph_evidence_checkpoint_open(note, nlen, vkey, &cp, &err);
    if (st == PH_OK)
        st = ph_evidence_bundle_verify(cli->ctx, bundle, blen, note, nlen, vkey, &leaves, &err);
    ph_free(cli->ctx, bundle);
    ph_free(cli->ctx, note);
    ph_free(cli->ctx, vkey);
    if (st != PH_OK) {
        if (err.source[0] == '\0' || strcmp(err.source, "bundle") == 0 ||
            strcmp(err.source, "checkpoint") == 0 || strcmp(err.source, "note") == 0) {
            const char *file = strcmp(err.source, "bundle") == 0 ? o->bundle
                               : err.source[0] != '\0'           ? o->checkpoint
                                                                 : NULL;
            if (file != NULL)
                ph_error_locate(&err, file, err.line, err.column);
        }
        return ph_cli_fail(cli, st, &err,
                           st == PH_EVERIFY ? "the evidence does not match the signed "
                                              "checkpoint: do not rely on it"
                                            : NULL);
    }
    json_t *root = hash_json(cp.root);
    fprintf(cli->out,
            "verified: %zu %s in the log %s at tree size %llu (root %s), signed by "
            "the key given\n",
            leaves, leaves == 1 ? "leaf is" : "leaves are", cp.origin, (unsigned long long)cp.size, json_string_value(root));
    json_decref(root);
    return PH_EXIT_OK;
}

/* ---- dispatch ------------------------------------------------------------------------------- */

int ph_cmd_evidence(ph_cli *cli, int argc, char **argv)
{
    if (argc < 2)
        return ph_cli_usage_error(cli, CMD,
                                  "'evidence' needs a subcommand: init, append, checkpoint, "
                                  "prove, consistency, verify, anchor, audit or check");
    const char *sub = argv[1];
    ev_opts o;
    memset(&o, 0, sizeof(o));
    const ph_cli_named opts[] = {
        {"--evidence", &o.dir, NULL},     {"--key", &o.key, NULL},
        {"--name", &o.name, NULL},        {"--index", &o.index, NULL},
        {"--size", &o.size, NULL},        {"--out", &o.out, NULL},
        {"--from", &o.from, NULL},        {"--to", &o.to, NULL},
        {"--bundle", &o.bundle, NULL},    {"--checkpoint", &o.checkpoint, NULL},
        {"--consistency", &o.consistency, NULL}, {"--old", &o.old, NULL},
    };
    if (strcmp(sub, "append") == 0) {
        /* FILE arguments mixed with the options */
        char **files = calloc((size_t)argc, sizeof(*files));
        int nfiles = 0, code = files ? PH_EXIT_OK : PH_EXIT_FAILURE;
        for (int i = 2; i < argc && code == PH_EXIT_OK; i++) {
            if (argv[i][0] != '-') {
                files[nfiles++] = argv[i];
                continue;
            }
            const char *value = NULL;
            if (ph_cli_option(argc, argv, &i, "--evidence", &value))
                o.dir = value;
            else
                code = ph_cli_no_more_args(cli, CMD, 2, argv + i - 1);
            if (code == PH_EXIT_OK && (value == NULL || value[0] == '\0'))
                code = ph_cli_usage_error(cli, CMD, "--evidence needs a value");
        }
        if (code == PH_EXIT_OK)
            code = cmd_append(cli, &o, nfiles, files);
        free(files);
        return code;
    }
    int code = ph_cli_parse_named(cli, CMD, argc, argv, 2, opts, sizeof(opts) / sizeof(opts[0]));
    if (code != PH_EXIT_OK)
        return code;
    if (strcmp(sub, "init") == 0)
        return cmd_init(cli, &o);
    if (strcmp(sub, "checkpoint") == 0)
        return cmd_checkpoint(cli, &o);
    if (strcmp(sub, "prove") == 0)
        return cmd_prove(cli, &o);
    if (strcmp(sub, "consistency") == 0)
        return cmd_consistency(cli, &o);
    if (strcmp(sub, "verify") == 0)
        return cmd_verify(cli, &o);
    if (strcmp(sub, "anchor") == 0)
        return cmd_anchor(cli, &o);
    if (strcmp(sub, "audit") == 0)
        return cmd_audit(cli, &o);
    if (strcmp(sub, "check") == 0)
        return cmd_check(cli, &o);
    return ph_cli_usage_error(cli, CMD,
                              "unknown subcommand '%s': expected init, append, checkpoint, "
                              "prove, consistency, verify, anchor, audit or check",
                              sub);
}
