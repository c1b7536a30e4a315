/*
 * Errors as RFC 9457 problem documents (docs/api.md#errors), and request ids.
 * The map from ph_status to HTTP status is data: one row per status.
 */
#include <stdio.h>
#include <string.h>

#include "server/srv.h"

typedef struct status_row {
    ph_status code;
    int http;
    const char *slug;
    const char *title;
} status_row;

static const status_row status_rows[] = {
    {PH_EINVAL, 400, "invalid", "Invalid request"},
    {PH_ERANGE, 400, "out-of-range", "Value out of range"},
    {PH_ENOTFOUND, 404, "not-found", "Not found"},
    {PH_EEXISTS, 409, "exists", "Already exists"},
    {PH_EDENIED, 403, "forbidden", "Forbidden"},
    {PH_EVERIFY, 422, "does-not-verify", "A proof or signature does not verify"},
    {PH_EBUSY, 503, "busy", "Busy, try again"},
    {PH_ESCHEMA, 500, "internal", "Internal error"},
    {PH_ESTORE, 500, "internal", "Internal error"},
    {PH_EIO, 500, "internal", "Internal error"},
    {PH_ENOMEM, 500, "internal", "Internal error"},
    {PH_EMISUSE, 500, "internal", "Internal error"},
};

static const status_row *status_row_of(ph_status code)
{
    for (size_t i = 0; i < sizeof status_rows / sizeof status_rows[0]; i++)
        if (status_rows[i].code == code)
            return &status_rows[i];
    return NULL;
}

int srv_http_status(ph_status status)
{
    const status_row *row = status_row_of(status);
    return row ? row->http : 500;
}

typedef struct reason_row {
    int http;
    const char *reason;
} reason_row;

static const reason_row reasons[] = {
    {200, "OK"},
    {201, "Created"},
    {204, "No Content"},
    {301, "Moved Permanently"},
    {304, "Not Modified"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {409, "Conflict"},
    {413, "Content Too Large"},
    {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"},
    {503, "Service Unavailable"},
};

const char *srv_reason(int http_status)
{
    for (size_t i = 0; i < sizeof reasons / sizeof reasons[0]; i++)
        if (reasons[i].http == http_status)
            return reasons[i].reason;
    return "Unknown";
}

static void set_nonempty(json_t *doc, const char *name, const char *value)
{
    if (value && value[0])
        json_object_set_new(doc, name, json_string(value));
}

json_t *srv_problem(int http_status, const char *slug, const char *title, const ph_error *err,
                    const char *instance, const char *request_id)
{
    ph_status code = err ? err->code : PH_EMISUSE;
    const status_row *row = status_row_of(code);
    if (http_status == 0)
        http_status = row ? row->http : 500;
    if (!slug)
        slug = row && row->http == http_status ? row->slug : "internal";
    if (!title)
        title = row && row->http == http_status ? row->title : srv_reason(http_status);
    int internal = http_status >= 500 && http_status != 503;

    char type[96];
    snprintf(type, sizeof type, "urn:puhui:problem:%s", slug);
    json_t *doc = json_object();
    if (!doc)
        return NULL;
    json_object_set_new(doc, "type", json_string(type));
    json_object_set_new(doc, "title", json_string(title));
    json_object_set_new(doc, "status", json_integer(http_status));
    if (internal) {
        char detail[160];
        snprintf(detail, sizeof detail,
                 "internal error; the server's log has the details under request id %s",
                 request_id ? request_id : "");
        json_object_set_new(doc, "detail", json_string(detail));
    } else if (err) {
        set_nonempty(doc, "detail", err->message[0] ? err->message : err->detail);
    }
    set_nonempty(doc, "instance", instance);
    set_nonempty(doc, "request_id", request_id);
    if (err && code < 0)
        json_object_set_new(doc, "code", json_string(ph_status_name(code)));
    if (err && !internal) {
        set_nonempty(doc, "field", err->field);
        set_nonempty(doc, "value", err->value);
        set_nonempty(doc, "expected", err->detail);
        set_nonempty(doc, "source", err->source);
        if (err->line)
            json_object_set_new(doc, "line", json_integer((json_int_t)err->line));
        if (err->column)
            json_object_set_new(doc, "column", json_integer((json_int_t)err->column));
    }
    return doc;
}

int srv_request_id_ok(const char *id)
{
    if (!id)
        return 0;
    size_t n = 0;
    for (const char *p = id; *p; p++, n++) {
        char c = *p;
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
        if (!ok || n >= 64)
            return 0;
    }
    return n > 0;
}

ph_status srv_parse_body(const char *text, size_t len, json_t **out, ph_error *err)
{
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!doc) {
        ph_error_set(err, PH_EINVAL, "body", NULL, "malformed JSON: %s", jerr.text);
        ph_error_locate(err, "body", (uint64_t)(jerr.line > 0 ? jerr.line : 0),
                        (uint64_t)(jerr.column > 0 ? jerr.column : 0));
        return PH_EINVAL;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        return ph_error_set(err, PH_EINVAL, "body", NULL, "a JSON object");
    }
    *out = doc;
    return PH_OK;
}
