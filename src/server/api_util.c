/*
 * Helpers for the endpoint handlers (api.h): the query, tenancy, and typed
 * reads of a JSON body that name the member and the value when they refuse.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "api_query.h"
#include "puhui/money.h"

const char *srv_query(const srv_call *call, const char *name)
{
    for (size_t i = 0; call != NULL && i < call->n_query; i++)
        if (strcmp(call->query[i].name, name) == 0)
            return call->query[i].value;
    return NULL;
}

ph_status srv_refuse(srv_call *call, ph_error *err, const char *field, const char *value,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(err, PH_ENOTFOUND, field, value, value ? strlen(value) : 0, fmt, ap);
    va_end(ap);
    snprintf(call->refused, sizeof(call->refused), "%s %s of another tenant",
             field ? field : "row", value ? value : "");
    return PH_ENOTFOUND;
}

int srv_owns(const srv_call *call, const char *uscc, const char *institution)
{
    if (call == NULL || call->who == NULL)
        return 0;
    if (call->scope == SRV_SCOPE_ALL)
        return 1;
    if (call->scope != SRV_SCOPE_OWN)
        return 0;
    switch (call->who->role) {
    case SRV_ROLE_ENTERPRISE:
        return uscc != NULL && strcmp(uscc, call->who->tenant) == 0;
    case SRV_ROLE_INSTITUTION:
        return institution != NULL && strcmp(institution, call->who->tenant) == 0;
    default:
        return 0;
    }
}

/* The member's JSON, shortened, as the error's value. */
static void member_text(const json_t *v, char *buf, size_t size)
{
    char *text = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(buf, size, "%s", text ? text : "?");
    free(text);
}

static ph_status wrong_type(const char *name, const json_t *v, const char *expected, ph_error *err)
{
    char text[PH_ERROR_VALUE_MAX];
    member_text(v, text, sizeof(text));
    return ph_error_set(err, PH_EINVAL, name, text, "expected %s", expected);
}

ph_status srv_body_check(const srv_call *call, const char *const *allowed, ph_error *err)
{
    if (call->body == NULL || !json_is_object(call->body))
        return ph_error_set(err, PH_EINVAL, "body", NULL, "expected a JSON object as the body");
    const char *key;
    json_t *value;
    json_object_foreach(call->body, key, value) {
        int known = 0;
        for (size_t i = 0; allowed != NULL && allowed[i] != NULL && !known; i++)
            known = strcmp(allowed[i], key) == 0;
        if (known)
            continue;
        char list[PH_ERROR_DETAIL_MAX] = "";
        size_t used = 0;
        for (size_t i = 0; allowed != NULL && allowed[i] != NULL; i++) {
            int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", allowed[i]);
            if (n < 0 || (size_t)n >= sizeof(list) - used)
                break;
            used += (size_t)n;
        }
        return ph_error_set(err, PH_EINVAL, key, NULL, "unknown member '%s'; expected one of: %s",
                            key, used ? list : "(none)");
    }
    return PH_OK;
}

ph_status srv_query_check(const srv_call *call, const char *const *known, ph_error *err)
{
    for (size_t q = 0; q < call->n_query; q++) {
        const char *name = call->query[q].name;
        int ok = 0;
        for (size_t i = 0; known != NULL && known[i] != NULL && !ok; i++)
            ok = strcmp(known[i], name) == 0;
        if (ok)
            continue;
        char list[PH_ERROR_DETAIL_MAX] = "";
        size_t used = 0;
        for (size_t i = 0; known != NULL && known[i] != NULL; i++) {
            int n = snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "", known[i]);
            if (n < 0 || (size_t)n >= sizeof(list) - used)
                break;
            used += (size_t)n;
        }
        if (used == 0)
            return ph_error_set(err, PH_EINVAL, name, call->query[q].value,
                                "unknown query parameter '%s'; this route takes none", name);
        return ph_error_set(err, PH_EINVAL, name, call->query[q].value,
                            "unknown query parameter '%s'; expected one of: %s", name, list);
    }
    return PH_OK;
}

/* The member `name`, or NULL when absent (a JSON null counts as absent). */
static json_t *member(const srv_call *call, const char *name, int required, ph_status *st,
                      ph_error *err)
{
    json_t *v = call->body ? json_object_get(call->body, name) : NULL;
    if (v != NULL && json_is_null(v))
        v = NULL;
    *st = PH_OK;
    if (v == NULL && required)
        *st = ph_error_set(err, PH_EINVAL, name, NULL, "the member '%s' is required", name);
    return v;
}

static int is_string(const json_t *v)
{
    return json_is_string(v);
}

static int is_integer(const json_t *v)
{
    return json_is_integer(v);
}

static int is_boolean(const json_t *v)
{
    return json_is_boolean(v);
}

/* The member `name` when present and of the right type (`is_type`); NULL
 * with *st PH_OK when absent and not required, else NULL with the error. */
static json_t *typed_member(const srv_call *call, const char *name, int required,
                            int (*is_type)(const json_t *), const char *expected, ph_status *st,
                            ph_error *err)
{
    json_t *v = member(call, name, required, st, err);
    if (v != NULL && !is_type(v)) {
        *st = wrong_type(name, v, expected, err);
        v = NULL;
    }
    return v;
}

ph_status srv_body_string(const srv_call *call, const char *name, int required, const char **out,
                          ph_error *err)
{
    ph_status st;
    json_t *v = typed_member(call, name, required, is_string, "a string", &st, err);
    if (v != NULL)
        *out = json_string_value(v);
    return st;
}

ph_status srv_body_int(const srv_call *call, const char *name, int required, int64_t *out,
                       ph_error *err)
{
    ph_status st;
    json_t *v = typed_member(call, name, required, is_integer, "an integer", &st, err);
    if (v != NULL)
        *out = (int64_t)json_integer_value(v);
    return st;
}

ph_status srv_body_bool(const srv_call *call, const char *name, int required, int *out,
                        ph_error *err)
{
    ph_status st;
    json_t *v = typed_member(call, name, required, is_boolean, "true or false", &st, err);
    if (v != NULL)
        *out = json_is_true(v);
    return st;
}

ph_status srv_body_money(const srv_call *call, const char *name, int required, int64_t *out,
                         ph_error *err)
{
    ph_status st;
    json_t *v = typed_member(call, name, required, is_string,
                             "an amount in yuan as a string, such as \"300000.00\"", &st, err);
    if (v == NULL)
        return st;
    const char *s = json_string_value(v);
    ph_money fen;
    st = ph_money_parse(s, json_string_length(v), &fen, err);
    if (st != PH_OK) {
        ph_error_set_field(err, name);
        return st;
    }
    *out = fen;
    return PH_OK;
}

/* The client's own text of a body member or query parameter (NULL when it
 * sent neither). */
static const char *sent_text(const srv_call *call, const char *member, char *buf, size_t size)
{
    json_t *v = call->body ? json_object_get(call->body, member) : NULL;
    if (json_is_string(v))
        return json_string_value(v);
    if (v != NULL) {
        member_text(v, buf, size);
        return buf;
    }
    return srv_query(call, member);
}

ph_status srv_name_member(const srv_call *call, ph_status st, const srv_member_map *map,
                          ph_error *err)
{
    if (st == PH_OK || err == NULL)
        return st;
    const srv_member_map *row = NULL;
    for (size_t i = 0; map != NULL && map[i].field != NULL && row == NULL; i++)
        if (strcmp(map[i].field, err->field) == 0 && (map[i].code == 0 || map[i].code == st))
            row = &map[i];
    if (row == NULL)
        return st;
    char buf[PH_ERROR_VALUE_MAX];
    const char *sent = sent_text(call, row->member, buf, sizeof(buf));
    char value[PH_ERROR_VALUE_MAX], detail[PH_ERROR_DETAIL_MAX];
    snprintf(value, sizeof(value), "%s", sent ? sent : err->value);
    snprintf(detail, sizeof(detail), "%s", err->detail);
    return ph_error_set(err, row->answer ? row->answer : st, row->member, value[0] ? value : NULL,
                        "%s", detail);
}

json_t *srv_json_money(int64_t fen)
{
    char buf[PH_MONEY_FORMAT_MAX];
    return ph_money_format(fen, 0, buf, sizeof(buf), NULL) == PH_OK ? json_string(buf)
                                                                    : json_null();
}

/* 1e-8 units as a decimal fraction, trailing zeros trimmed: 3.85% is "0.0385". */
json_t *srv_json_rate(int64_t rate_1e8)
{
    char buf[40];
    uint64_t mag = rate_1e8 < 0 ? (uint64_t)0 - (uint64_t)rate_1e8 : (uint64_t)rate_1e8;
    int n = snprintf(buf, sizeof(buf), "%s%" PRIu64 ".%08" PRIu64, rate_1e8 < 0 ? "-" : "",
                     mag / 100000000u, mag % 100000000u);
    while (n > 0 && buf[n - 1] == '0')
        buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '.')
        buf[--n] = '\0';
    return json_string(buf);
}
