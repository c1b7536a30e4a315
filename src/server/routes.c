/*
 * Routing: the route tables (data), matching a method and path against them,
 * and the public routes (health, readiness, metrics, the OpenAPI document,
 * the console's static files).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "puhui/schema.h"
#include "server/srv.h"

/* Every table the server serves, in the order routes are tried. */
static const srv_route *const route_tables[] = {
    srv_routes_public,
    srv_routes_session,
    srv_routes_applications,
    srv_routes_consents,
    srv_routes_governance,
    srv_routes_loans,
    srv_routes_alerts,
    srv_routes_vouchers,
};

ph_status srv_routes_collect(const ph_ctx *ctx, const srv_route ***out, size_t *count,
                             ph_error *err)
{
    size_t n = 0;
    for (size_t t = 0; t < sizeof route_tables / sizeof route_tables[0]; t++)
        for (const srv_route *r = route_tables[t]; r->method; r++)
            n++;
    const srv_route **list = ph_calloc(ctx, n ? n : 1, sizeof *list);
    if (!list)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the route table");
    n = 0;
    for (size_t t = 0; t < sizeof route_tables / sizeof route_tables[0]; t++)
        for (const srv_route *r = route_tables[t]; r->method; r++)
            list[n++] = r;
    *out = list;
    *count = n;
    return PH_OK;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode text[0..len) onto buf at *used; NUL-terminated. 0 on a bad
 * escape, an encoded NUL or no room. */
static int decode_into(const char *text, size_t len, char *buf, size_t size, size_t *used)
{
    size_t o = *used;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '%') {
            if (i + 2 >= len)
                return 0;
            int a = hex_digit(text[i + 1]), b = hex_digit(text[i + 2]);
            if (a < 0 || b < 0 || (a == 0 && b == 0))
                return 0;
            c = (char)(a * 16 + b);
            i += 2;
        }
        if (o + 1 >= size)
            return 0;
        buf[o++] = c;
    }
    if (o >= size)
        return 0;
    buf[o++] = '\0';
    *used = o;
    return 1;
}

int srv_pattern_match(const char *pattern, const char *path, char *buf, size_t size,
                      const char **params, size_t *n)
{
    size_t used = 0, np = 0;
    const char *p = pattern, *s = path;
    while (*p) {
        if (*p != '/' || *s != '/')
            return 0;
        p++;
        s++;
        const char *pend = strchr(p, '/');
        size_t plen = pend ? (size_t)(pend - p) : strlen(p);
        if (plen == 3 && memcmp(p, "{*}", 3) == 0 && !pend) {
            if (np >= SRV_MAX_PARAMS)
                return 0;
            params[np] = buf + used;
            if (!decode_into(s, strlen(s), buf, size, &used))
                return 0;
            np++;
            *n = np;
            return 1;
        }
        const char *send = strchr(s, '/');
        size_t slen = send ? (size_t)(send - s) : strlen(s);
        if (plen >= 2 && p[0] == '{' && p[plen - 1] == '}') {
            if (slen == 0 || np >= SRV_MAX_PARAMS)
                return 0;
            params[np] = buf + used;
            if (!decode_into(s, slen, buf, size, &used))
                return 0;
            np++;
        } else if (plen != slen || memcmp(p, s, plen) != 0) {
            return 0;
        }
        p += plen;
        s += slen;
    }
    if (*s)
        return 0;
    *n = np;
    return 1;
}

srv_match srv_route_find(const srv_route *const *routes, size_t count, const char *method,
                         const char *path, size_t *index, char *buf, size_t size,
                         const char **params, size_t *n, char *allow, size_t allow_size)
{
    const char *want = strcmp(method, "HEAD") == 0 ? "GET" : method;
    int path_found = 0;
    if (allow_size)
        allow[0] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t np = 0;
        if (!srv_pattern_match(routes[i]->pattern, path, buf, size, params, &np))
            continue;
        if (strcmp(routes[i]->method, want) == 0) {
            *index = i;
            *n = np;
            return SRV_MATCH_OK;
        }
        path_found = 1;
        if (!strstr(allow, routes[i]->method)) {
            /* HEAD is answered wherever GET is, so Allow says so. */
            int get = strcmp(routes[i]->method, "GET") == 0;
            size_t len = strlen(allow);
            snprintf(allow + len, allow_size - len, "%s%s%s", len ? ", " : "", routes[i]->method,
                     get ? ", HEAD" : "");
        }
    }
    return path_found ? SRV_MATCH_NO_METHOD : SRV_MATCH_NO_PATH;
}

typedef struct type_row {
    const char *ext;
    const char *type;
} type_row;

static const type_row content_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
};

const char *srv_content_type(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof content_types / sizeof content_types[0]; i++)
            if (strcmp(dot, content_types[i].ext) == 0)
                return content_types[i].type;
    return "application/octet-stream";
}

/* ---- the public routes ------------------------------------------------------------------ */

static ph_status get_healthz(srv_call *call, ph_error *err)
{
    (void)err;
    static const char ok[] = "{\"status\":\"ok\"}";
    srv_worker_reply(call->worker, "application/json; charset=utf-8", (char *)ok, sizeof ok - 1, 0);
    return PH_OK;
}

static ph_status get_readyz(srv_call *call, ph_error *err)
{
    int version = 0;
    ph_status st = ph_store_schema_version(srv_worker_store(call->worker), &version, err);
    if (st != PH_OK) {
        srv_metrics_store_error(&call->worker->metrics);
        char reason[sizeof err->message];
        snprintf(reason, sizeof reason, "%s", err->message);
        return ph_error_set(err, PH_EBUSY, "store", NULL, "the store is not reachable: %s",
                            reason);
    }
    if (version != ph_schema_latest()) {
        char value[16];
        snprintf(value, sizeof value, "%d", version);
        return ph_error_set(err, PH_EBUSY, "schema", value,
                            "the database is at schema %d, this server needs %d (run "
                            "`puhui init`)",
                            version, ph_schema_latest());
    }
    call->result = json_pack("{s:s, s:i}", "status", "ready", "schema", version);
    return call->result ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

static ph_status get_metrics(srv_call *call, ph_error *err)
{
    size_t len = 0;
    char *text = srv_metrics_render(call->worker->srv, &len);
    if (!text)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory for the metrics");
    srv_worker_reply(call->worker, "text/plain; version=0.0.4; charset=utf-8", text, len, 1);
    return PH_OK;
}

static ph_status get_openapi(srv_call *call, ph_error *err)
{
    (void)err;
    srv_worker_reply(call->worker, "application/json; charset=utf-8", (char *)srv_openapi_json,
                     srv_openapi_json_len, 0);
    return PH_OK;
}

/* A file under the console directory. No segment may be "." or ".." (after
 * percent-decoding), so a path cannot leave the directory. */
static ph_status get_console(srv_call *call, ph_error *err)
{
    const char *dir = call->worker->srv->console_dir;
    const char *rest = call->n_params ? call->params[0] : "";
    if (!dir)
        return ph_error_set(err, PH_ENOTFOUND, "path", call->path,
                            "this server has no console (puhui serve --console DIR)");
    for (const char *seg = rest; *seg;) {
        const char *end = strchr(seg, '/');
        size_t len = end ? (size_t)(end - seg) : strlen(seg);
        if ((len == 1 && seg[0] == '.') || (len == 2 && seg[0] == '.' && seg[1] == '.') ||
            memchr(seg, '\\', len))
            return ph_error_set(err, PH_ENOTFOUND, "path", call->path, "no console file %s",
                                call->path);
        seg += len;
        if (*seg == '/')
            seg++;
    }
    size_t rlen = strlen(rest);
    const char *index = rlen == 0 || rest[rlen - 1] == '/' ? "index.html" : "";
    char file[4096];
    int w = snprintf(file, sizeof file, "%s/%s%s", dir, rest, index);
    if (w < 0 || (size_t)w >= sizeof file)
        return ph_error_set(err, PH_ENOTFOUND, "path", call->path, "no console file %s",
                            call->path);
    int fd = open(file, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return ph_error_set(err, PH_ENOTFOUND, "path", call->path, "no console file %s",
                            call->path);
    }
    size_t size = (size_t)st.st_size;
    char *data = malloc(size ? size : 1);
    size_t got = 0;
    while (data && got < size) {
        ssize_t r = read(fd, data + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!data || got != size) {
        free(data);
        return ph_error_set(err, PH_EIO, "path", file, "cannot read the console file");
    }
    srv_worker_reply(call->worker, srv_content_type(file), data, size, 1);
    return PH_OK;
}

/* ---- the evidence log's public files ------------------------------------------------------ */

/* The whole of DIR/name, malloc'd, as a text/plain answer: what a participant
 * checks proofs against (docs/evidence.md#how-a-participant-verifies). Only
 * read, never locked: the writer replaces the checkpoint by rename, so a read
 * sees the old note or the new one, whole. */
static ph_status evidence_file(srv_call *call, const char *name, const char *missing,
                               ph_error *err)
{
    const char *dir = call->worker->srv->evidence_dir;
    if (!dir)
        return ph_error_set(err, PH_ENOTFOUND, "path", call->path,
                            "this server publishes no evidence log (puhui serve --evidence DIR)");
    char file[4096];
    int w = snprintf(file, sizeof file, "%s/%s", dir, name);
    int fd = w > 0 && (size_t)w < sizeof file ? open(file, O_RDONLY | O_CLOEXEC) : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > (1 << 20)) {
        if (fd >= 0)
            close(fd);
        return ph_error_set(err, PH_ENOTFOUND, "path", call->path, "%s", missing);
    }
    size_t size = (size_t)st.st_size;
    char *data = malloc(size ? size : 1);
    size_t got = 0;
    while (data && got < size) {
        ssize_t r = read(fd, data + got, size - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!data || got != size) {
        free(data);
        return ph_error_set(err, PH_EIO, "path", file, "cannot read the evidence log's %s", name);
    }
    srv_worker_reply(call->worker, "text/plain; charset=utf-8", data, size, 1);
    return PH_OK;
}

static ph_status get_evidence_checkpoint(srv_call *call, ph_error *err)
{
    return evidence_file(call, "checkpoint",
                         "no signed checkpoint yet: the platform signs one with `puhui evidence "
                         "checkpoint`",
                         err);
}

static ph_status get_evidence_key(srv_call *call, ph_error *err)
{
    return evidence_file(call, "log.vkey", "the evidence log has no verifier key yet", err);
}

/* Public: no key, no authz row (resource NULL). */
const srv_route srv_routes_public[] = {
    {"GET", "/healthz", NULL, NULL, get_healthz},
    {"GET", "/readyz", NULL, NULL, get_readyz},
    {"GET", "/metrics", NULL, NULL, get_metrics},
    {"GET", "/openapi.json", NULL, NULL, get_openapi},
    {"GET", "/console/{*}", NULL, NULL, get_console},
    {"GET", "/v1/evidence/checkpoint", NULL, NULL, get_evidence_checkpoint},
    {"GET", "/v1/evidence/key", NULL, NULL, get_evidence_key},
    {NULL, NULL, NULL, NULL, NULL},
};
