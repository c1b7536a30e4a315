/*
 * puhui voucher|order|receipt prove ID [--out BUNDLE] [--size N] [--evidence DIR]
 *
 * One command shape for every module that logs its events: the module's
 * ph_<x>_prove rebuilds each event's leaf from the database and has the log
 * check it (ph_evidence_claims_*); this file only finds the tree to prove
 * against - the last signed checkpoint's, whose root must be the log's own
 * root at that size, or --size N - and reports. The bundle it writes is
 * what a participant checks offline with `puhui evidence verify`.
 */
#include <string.h>

#include "cli.h"

/* The size of the last signed checkpoint in dir (DIR/checkpoint, checked
 * with DIR/log.vkey), once the log is seen to have the checkpoint's root at
 * that size: a bundle from a log that forked from its checkpoint would not
 * verify, so say so here. */
static ph_status checkpoint_size(ph_cli *cli, ph_evidence_log *log, const char *dir,
                                 uint64_t *size, ph_error *err)
{
    ph_evidence_checkpoint_info cp;
    memset(&cp, 0, sizeof(cp));
    ph_status st = cli_evidence_last_checkpoint(cli, dir, &cp, err);
    uint8_t root[PH_EVIDENCE_HASH];
    if (st == PH_OK && cp.size > ph_evidence_size(log))
        st = ph_error_set(err, PH_EVERIFY, "checkpoint", dir,
                          "the checkpoint signs a tree of %llu leaves but the log has %llu",
                          (unsigned long long)cp.size,
                          (unsigned long long)ph_evidence_size(log));
    if (st == PH_OK)
        st = ph_evidence_root(log, cp.size, root, err);
    if (st == PH_OK && memcmp(root, cp.root, sizeof(root)) != 0)
        st = ph_error_set(err, PH_EVERIFY, "checkpoint", dir,
                          "the log's tree of %llu leaves does not have the checkpoint's root",
                          (unsigned long long)cp.size);
    if (st == PH_OK)
        *size = cp.size;
    return st;
}

int cli_prove_records(ph_cli *cli, const char *command, int argc, char **argv, cli_prove_fn prove,
                      const char *subject)
{
    if (argc < 3 || argv[2][0] == '-')
        return ph_cli_usage_error(cli, command, "'%s prove' needs an ID", command);
    const char *id = argv[2], *out = NULL, *size_text = NULL, *evidence = NULL;
    const ph_cli_named opts[] = {
        {"--out", &out, NULL}, {"--size", &size_text, NULL}, {"--evidence", &evidence, NULL}};
    int code = ph_cli_parse_named(cli, command, argc, argv, 3, opts, 3);
    if (code != PH_EXIT_OK)
        return code;
    long long size = 0;
    if (size_text != NULL &&
        (code = ph_cli_parse_int(cli, command, "--size", size_text, 1, INT64_MAX, &size)) !=
            PH_EXIT_OK)
        return code;
    ph_store *store = ph_cli_open_store(cli, 1, &code);
    if (store == NULL)
        return code;
    ph_evidence_log *log = cli_evidence_open_read(cli, evidence, &code);
    if (log == NULL) {
        ph_store_free(store);
        return code;
    }
    char dir[4096];
    uint64_t n = (uint64_t)size;
    ph_error err;
    ph_status st = PH_OK;
    if (size_text == NULL)
        st = checkpoint_size(cli, log, cli_evidence_dir(cli, evidence, dir, sizeof(dir)), &n,
                             &err);
    if (st != PH_OK) {
        ph_evidence_free(log);
        ph_store_free(store);
        return ph_cli_fail(cli, st, &err, NULL);
    }
    size_t leaves = 0;
    st = prove(store, log, id, n, out, &leaves, &err);
    ph_evidence_free(log);
    ph_store_free(store);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err,
                           st == PH_ESCHEMA ? "run 'puhui init' to upgrade the database"
                           : st == PH_EVERIFY
                               ? "the database no longer matches the evidence log, which keeps "
                                 "the event as it was recorded"
                               : NULL);
    fprintf(cli->out,
            "%zu events of %s %s recomputed from the database match the evidence log and are "
            "included in its tree of %llu leaves%s%s\n",
            leaves, subject, id, (unsigned long long)n, out ? "; bundle written to " : "",
            out ? out : "");
    return PH_EXIT_OK;
}
