/*
 * puhui serve: the HTTP API and the web console (docs/api.md).
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "puhui/server.h"

#ifndef PH_CONSOLE_BUILD_DIR
#define PH_CONSOLE_BUILD_DIR ""
#endif
#ifndef PH_CONSOLE_INSTALL_DIR
#define PH_CONSOLE_INSTALL_DIR ""
#endif

static int is_dir(const char *path)
{
    struct stat st;
    return path[0] && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Without --console: the build tree's console, else the installed one, else none. */
static const char *default_console(void)
{
    if (is_dir(PH_CONSOLE_BUILD_DIR))
        return PH_CONSOLE_BUILD_DIR;
    if (is_dir(PH_CONSOLE_INSTALL_DIR))
        return PH_CONSOLE_INSTALL_DIR;
    return NULL;
}

int ph_cmd_serve(ph_cli *cli, int argc, char **argv)
{
    const char *listen = NULL, *threads = NULL, *console = NULL, *access_log = NULL,
               *max_body = NULL, *max_connections = NULL, *evidence = NULL;
    const ph_cli_named opts[] = {
        {"--listen", &listen, NULL},         {"--threads", &threads, NULL},
        {"--console", &console, NULL},       {"--access-log", &access_log, NULL},
        {"--max-body", &max_body, NULL},     {"--max-connections", &max_connections, NULL},
        {"--evidence", &evidence, NULL}};
    int code = ph_cli_parse_named(cli, "serve", argc, argv, 1, opts, sizeof opts / sizeof opts[0]);
    if (code != PH_EXIT_OK)
        return code;
    ph_server_options o = {0};
    o.listen = listen ? listen : "127.0.0.1:8080";
    o.store_uri = cli->db_path;
    o.access_log = access_log;
    long long n = 0;
    if (threads) {
        if ((code = ph_cli_parse_int(cli, "serve", "--threads", threads, 1, 256, &n)) != 0)
            return code;
        o.threads = (int)n;
    }
    if (max_body) {
        if ((code = ph_cli_parse_int(cli, "serve", "--max-body", max_body, 1,
                                     (long long)1 << 30, &n)) != 0)
            return code;
        o.max_body_bytes = (size_t)n;
    }
    if (max_connections) {
        if ((code = ph_cli_parse_int(cli, "serve", "--max-connections", max_connections, 1,
                                     1000000, &n)) != 0)
            return code;
        o.max_connections = (int)n;
    }
    if (console && !is_dir(console))
        return ph_cli_usage_error(cli, "serve", "--console %s: not a directory", console);
    o.console_dir = console ? console : default_console();
    /* the evidence log the server publishes, read only: a missing one is not an
     * error (the evidence routes answer 404 until `puhui evidence init`) */
    char evidence_dir[4096];
    if (evidence && !is_dir(evidence))
        return ph_cli_usage_error(cli, "serve", "--evidence %s: not a directory", evidence);
    o.evidence_dir = cli_evidence_dir(cli, evidence, evidence_dir, sizeof evidence_dir);

    ph_server *srv = NULL;
    ph_error err;
    ph_status st = ph_server_new(cli->ctx, &o, &srv, &err);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, st == PH_ENOTFOUND ? "run `puhui init` first" : NULL);
    char host[256];
    const char *colon = strrchr(o.listen, ':');
    snprintf(host, sizeof host, "%.*s", (int)(colon - o.listen), o.listen);
    int n_threads = ph_server_threads(srv);
    fprintf(cli->err, "puhui: serving on http://%s:%d/ (%d thread%s)\n", host,
            ph_server_port(srv), n_threads, n_threads == 1 ? "" : "s");
    fflush(cli->err);
    st = ph_server_run(srv, &err);
    ph_server_free(srv);
    if (st != PH_OK)
        return ph_cli_fail(cli, st, &err, NULL);
    return PH_EXIT_OK;
}
