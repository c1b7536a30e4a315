/* Error reporting and database opening shared by the subcommands. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

int ph_cli_fail(ph_cli *cli, ph_status status, const ph_error *err, const char *hint)
{
    fprintf(cli->err, "puhui: error: %s\n",
            (err && err->message[0]) ? err->message : ph_status_name(status));
    if (hint != NULL)
        fprintf(cli->err, "hint: %s\n", hint);
    if (status == PH_EVERIFY)
        return PH_EXIT_VERIFY; /* the evidence is false, not the command */
    return ph_status_is_input_error(status) ? PH_EXIT_USAGE : PH_EXIT_FAILURE;
}

int ph_cli_usage_error(ph_cli *cli, const char *command, const char *fmt, ...)
{
    va_list ap;
    fputs("puhui: error: ", cli->err);
    va_start(ap, fmt);
    vfprintf(cli->err, fmt, ap);
    va_end(ap);
    fputc('\n', cli->err);
    if (command != NULL)
        fprintf(cli->err, "hint: see 'puhui help %s'\n", command);
    else
        fputs("hint: see 'puhui help' for the commands and options\n", cli->err);
    return PH_EXIT_USAGE;
}

int ph_cli_no_more_args(ph_cli *cli, const char *command, int argc, char **argv)
{
    if (argc <= 1)
        return PH_EXIT_OK;
    if (argv[1][0] == '-')
        return ph_cli_usage_error(cli, command, "unknown option '%s' for '%s'", argv[1],
                                  command);
    return ph_cli_usage_error(cli, command, "unexpected argument '%s' for '%s'", argv[1],
                              command);
}

ph_store *ph_cli_open_store(ph_cli *cli, int must_exist, int *exit_code)
{
    ph_store_options options = {.must_exist = must_exist};
    ph_store *store = NULL;
    ph_error err;
    ph_status st = ph_store_open(cli->ctx, cli->db_path, &options, &store, &err);
    if (st == PH_OK)
        return store;
    const char *hint = NULL;
    if (st == PH_ENOTFOUND)
        hint = "create it with 'puhui init', or point --db (or $PUHUI_DB) at an existing "
               "database";
    else if (st == PH_EBUSY)
        hint = "another process holds the database; try again when it has finished";
    *exit_code = ph_cli_fail(cli, st, &err, hint);
    return NULL;
}

const char *cli_evidence_dir(const ph_cli *cli, const char *dir, char *buf, size_t size)
{
    if (dir != NULL)
        snprintf(buf, size, "%s", dir);
    else
        snprintf(buf, size, "%s.evidence", cli->db_path);
    return buf;
}

ph_evidence_log *cli_evidence_open(ph_cli *cli, const char *dir, int create, int *exit_code)
{
    char path[4096], key[4200], vkey[4200];
    cli_evidence_dir(cli, dir, path, sizeof(path));
    snprintf(key, sizeof(key), "%s/log.key", path);
    snprintf(vkey, sizeof(vkey), "%s/log.vkey", path);
    ph_evidence_log *log = NULL;
    ph_error err;
    /* one writer at a time holds the log (flock): wait for it as the store
     * waits for its write lock, up to 5 s, rather than fail at once - two
     * processes recording events at the same moment both get their turn */
    ph_status st = PH_EBUSY;
    for (int tries = 0; st == PH_EBUSY && tries < 500; tries++) {
        if (tries > 0) {
            struct timespec pause = {0, 10 * 1000 * 1000};
            nanosleep(&pause, NULL);
        }
        st = ph_evidence_open(cli->ctx, path, NULL, create, &log, &err);
    }
    /* a log made here gets its keys at once, so that it can be checkpointed */
    if (st == PH_OK && create && access(key, F_OK) != 0)
        st = ph_evidence_keygen(cli->ctx, ph_evidence_origin(log), key, vkey, &err);
    if (st == PH_OK)
        return log;
    ph_evidence_free(log);
    const char *hint = NULL;
    if (st == PH_ENOTFOUND)
        hint = "create it with 'puhui evidence init', or point --evidence at an existing log";
    else if (st == PH_EBUSY)
        hint = "another process is writing to the evidence log; try again when it has finished";
    *exit_code = ph_cli_fail(cli, st, &err, hint);
    return NULL;
}

ph_evidence_log *cli_evidence_open_read(ph_cli *cli, const char *dir, int *exit_code)
{
    char path[4096];
    cli_evidence_dir(cli, dir, path, sizeof(path));
    ph_evidence_log *log = NULL;
    ph_error err;
    ph_status st = ph_evidence_open_read(cli->ctx, path, NULL, &log, &err);
    if (st == PH_OK)
        return log;
    *exit_code = ph_cli_fail(cli, st, &err,
                             st == PH_ENOTFOUND ? "create it with 'puhui evidence init', or point "
                                                  "--evidence at an existing log"
                                                : NULL);
    return NULL;
}

int cli_evidence_for_events(ph_cli *cli, const char *dir, int none, ph_evidence_log **log)
{
    *log = NULL;
    if (none)
        return PH_EXIT_OK;
    int code = PH_EXIT_OK;
    *log = cli_evidence_open(cli, dir, 1, &code);
    return code;
}

int cli_open_for_events(ph_cli *cli, const char *dir, int none, ph_store **store,
                        ph_evidence_log **log)
{
    int code = PH_EXIT_OK;
    *log = NULL;
    *store = ph_cli_open_store(cli, 1, &code);
    if (*store == NULL)
        return code;
    code = cli_evidence_for_events(cli, dir, none, log);
    if (code != PH_EXIT_OK) {
        ph_store_free(*store);
        *store = NULL;
    }
    return code;
}

ph_status cli_read_text(ph_cli *cli, const char *path, const char *what, char **text,
                        size_t *len, ph_error *err)
{
    char *data = NULL;
    ph_status st = ph_read_file(cli->ctx, path, what, &data, len, err);
    if (st != PH_OK)
        return st;
    char *grown = ph_realloc(cli->ctx, data, *len + 1);
    if (grown == NULL) {
        ph_free(cli->ctx, data);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    grown[*len] = '\0';
    *text = grown;
    return PH_OK;
}

ph_status cli_evidence_last_checkpoint(ph_cli *cli, const char *dir,
                                       ph_evidence_checkpoint_info *cp, ph_error *err)
{
    char path[4200], vpath[4200];
    snprintf(path, sizeof(path), "%s/checkpoint", dir);
    snprintf(vpath, sizeof(vpath), "%s/log.vkey", dir);
    char *note = NULL, *vkey = NULL;
    size_t len = 0, vlen = 0;
    ph_status st = PH_OK;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        st = ph_error_set(err, PH_ENOTFOUND, "file", path,
                          "no signed checkpoint yet: sign one with `puhui evidence checkpoint`, "
                          "or give --size");
    else
        st = cli_read_text(cli, path, "checkpoint", &note, &len, err);
    if (st == PH_OK)
        st = cli_read_text(cli, vpath, "verifier key", &vkey, &vlen, err);
    if (st == PH_OK)
        st = ph_evidence_checkpoint_open(note, len, vkey, cp, err);
    ph_free(cli->ctx, note);
    ph_free(cli->ctx, vkey);
    return st;
}

int ph_cli_parse_int(ph_cli *cli, const char *command, const char *option, const char *text,
                     long long min, long long max, long long *out)
{
    char *end = NULL;
    errno = 0;
    long long value = strtoll(text, &end, 10);
    if (text[0] == '\0' || *end != '\0' || errno == ERANGE || value < min || value > max)
        return ph_cli_usage_error(cli, command, "%s takes a whole number from %lld to %lld, got '%s'",
                                  option, min, max, text);
    *out = value;
    return PH_EXIT_OK;
}

int ph_cli_option(int argc, char **argv, int *i, const char *name, const char **value)
{
    size_t len = strlen(name);
    if (strncmp(argv[*i], name, len) != 0)
        return 0;
    if (argv[*i][len] == '=') {
        *value = argv[*i] + len + 1;
        return 1;
    }
    if (argv[*i][len] != '\0')
        return 0;
    *value = (*i + 1 < argc) ? argv[++*i] : NULL;
    return 1;
}

int ph_cli_each_option(ph_cli *cli, const char *command, int argc, char **argv, int first,
                       const char *const *options, size_t count, ph_cli_option_fn fn,
                       void *user)
{
    for (int i = first; i < argc; i++) {
        const char *value = NULL;
        size_t k = 0;
        while (k < count && !ph_cli_option(argc, argv, &i, options[k], &value))
            k++;
        int code;
        if (k == count)
            code = ph_cli_no_more_args(cli, command, 2, argv + i - 1);
        else if (value == NULL)
            code = ph_cli_usage_error(cli, command, "%s needs a value", options[k]);
        else
            code = fn(cli, options[k], value, user);
        if (code != PH_EXIT_OK)
            return code;
    }
    return PH_EXIT_OK;
}

int ph_cli_parse_named(ph_cli *cli, const char *command, int argc, char **argv, int first,
                       const ph_cli_named *opts, size_t count)
{
    for (int i = first; i < argc; i++) {
        size_t k = 0;
        const char *value = NULL;
        while (k < count && !(opts[k].flag ? strcmp(argv[i], opts[k].name) == 0
                                           : ph_cli_option(argc, argv, &i, opts[k].name, &value)))
            k++;
        if (k == count)
            return ph_cli_no_more_args(cli, command, 2, argv + i - 1);
        if (opts[k].flag) {
            *opts[k].flag = 1;
            continue;
        }
        if (value == NULL || value[0] == '\0')
            return ph_cli_usage_error(cli, command, "%s needs a value", opts[k].name);
        *opts[k].value = value;
    }
    return PH_EXIT_OK;
}

void ph_cli_csv_field(FILE *out, const char *text)
{
    if (strpbrk(text, ",\"\r\n") == NULL) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (const char *p = text; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

char **ph_cli_split_list(const char *text, size_t spare)
{
    size_t slots = 2 + spare; /* one item more than there are commas, and NULL */
    for (const char *p = text; p && *p; p++)
        slots += *p == ',';
    size_t len = text ? strlen(text) + 1 : 0;
    char **list = calloc(1, slots * sizeof(char *) + len);
    if (list == NULL)
        return NULL;
    if (text == NULL)
        return list;
    char *copy = memcpy((char *)(list + slots), text, len), *save = NULL;
    size_t k = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        list[k++] = tok;
    return list;
}
