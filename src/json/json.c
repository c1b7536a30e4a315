/*
 * JSON through jansson: loading with located errors, typed member getters
 * whose errors name the member's path, and exact money and rate reading.
 */
#include "json/json_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Load flags: reject duplicate keys (a second value silently winning is a
 * bug in a policy file) and accept any top-level value. */
#define LOAD_FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)

static ph_status load_failed(const json_error_t *jerr, const char *source, ph_error *err)
{
    ph_status code = json_error_code(jerr) == json_error_cannot_open_file ? PH_EIO : PH_EINVAL;
    ph_error_set(err, code, NULL, NULL, "invalid JSON: %s", jerr->text);
    ph_error_locate(err, source, jerr->line > 0 ? (uint64_t)jerr->line : 0,
                    jerr->column > 0 ? (uint64_t)jerr->column : 0);
    return code;
}

ph_status pjson_load_file(const char *path, json_t **out, ph_error *err)
{
    if (path == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "pjson_load_file: NULL argument");
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return ph_error_set(err, PH_EIO, "path", path, "cannot open: %s", strerror(errno));
    json_error_t jerr;
    json_t *value = json_loadf(f, LOAD_FLAGS, &jerr);
    fclose(f);
    if (value == NULL)
        return load_failed(&jerr, path, err);
    *out = value;
    return PH_OK;
}

ph_status pjson_load_text(const char *text, size_t len, const char *source, json_t **out,
                            ph_error *err)
{
    if (text == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "pjson_load_text: NULL argument");
    json_error_t jerr;
    json_t *value = json_loadb(text, len, LOAD_FLAGS, &jerr);
    if (value == NULL)
        return load_failed(&jerr, source ? source : "JSON text", err);
    *out = value;
    return PH_OK;
}

ph_status pjson_save_file(const json_t *value, const char *path, ph_error *err)
{
    if (value == NULL || path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "pjson_save_file: NULL argument");
    /* Write beside the target and rename over it, so a failed or interrupted
     * write never leaves a half-written file where a good one was. */
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
        return ph_error_set(err, PH_EINVAL, "path", path, "path is too long");
    FILE *f = fopen(tmp, "wb");
    if (f == NULL)
        return ph_error_set(err, PH_EIO, "path", tmp, "cannot create: %s", strerror(errno));
    int failed = json_dumpf(value, f, JSON_INDENT(2) | JSON_SORT_KEYS) != 0;
    failed |= fputc('\n', f) == EOF;
    int saved_errno = errno;
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        saved_errno = errno;
    }
    if (!failed && rename(tmp, path) != 0) {
        failed = 1;
        saved_errno = errno;
    }
    if (failed) {
        remove(tmp);
        return ph_error_set(err, PH_EIO, "path", path, "cannot write: %s", strerror(saved_errno));
    }
    return PH_OK;
}

void pjson_member_name(const char *path, const char *key, char *buf, size_t size)
{
    if (path != NULL && path[0] != '\0')
        snprintf(buf, size, "%s.%s", path, key);
    else
        snprintf(buf, size, "%s", key);
}

void pjson_escape_into(char *out, size_t cap, const char *s)
{
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        char tmp[8];
        size_t k;
        if (*p == '"' || *p == '\\') {
            tmp[0] = '\\';
            tmp[1] = (char)*p;
            k = 2;
        } else if (*p < 0x20) {
            k = (size_t)snprintf(tmp, sizeof(tmp), "\\u%04x", *p);
        } else {
            tmp[0] = (char)*p;
            k = 1;
        }
        if (w + k + 1 > cap)
            break;
        memcpy(out + w, tmp, k);
        w += k;
    }
    out[w] = '\0';
}

const char *pjson_type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER: return "an integer";
    case JSON_REAL: return "a real number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "an unknown value";
}

/* A short text of a value for error messages. */
static void value_text(const json_t *v, char *buf, size_t size)
{
    if (json_is_string(v)) {
        snprintf(buf, size, "%s", json_string_value(v));
        return;
    }
    char *dumped = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
    snprintf(buf, size, "%s", dumped ? dumped : "?");
    free(dumped);
}

/*
 * Find member `key` of `object`. PH_OK with *out set; PH_DONE when absent
 * (the caller decides whether that is an error).
 */
static ph_status find_member(const json_t *object, const char *path, const char *key,
                             json_t **out, ph_error *err)
{
    if (object == NULL || key == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "JSON getter: NULL argument");
    if (!json_is_object(object)) {
        char name[256];
        snprintf(name, sizeof(name), "%s", path && path[0] ? path : "(top level)");
        return ph_error_set(err, PH_EINVAL, name, NULL, "expected an object, found %s",
                            pjson_type_name(object));
    }
    json_t *v = json_object_get(object, key);
    if (v == NULL)
        return PH_DONE;
    *out = v;
    return PH_OK;
}

static ph_status missing(const char *path, const char *key, ph_error *err, const char *what)
{
    char name[256];
    pjson_member_name(path, key, name, sizeof(name));
    return ph_error_set(err, PH_ENOTFOUND, name, NULL, "required member is missing; expected %s",
                        what);
}

static ph_status wrong_type(const char *path, const char *key, const json_t *v, ph_error *err,
                            const char *what)
{
    char name[256], text[128];
    pjson_member_name(path, key, name, sizeof(name));
    value_text(v, text, sizeof(text));
    return ph_error_set(err, PH_EINVAL, name, text, "expected %s, found %s", what,
                        pjson_type_name(v));
}

/* Lookup + type check shared by every getter. `required` turns absence into
 * PH_ENOTFOUND; otherwise absence is PH_DONE. */
static ph_status typed_member(const json_t *object, const char *path, const char *key,
                              json_type type, const char *what, int required, json_t **out,
                              ph_error *err)
{
    json_t *v = NULL;
    ph_status st = find_member(object, path, key, &v, err);
    if (st == PH_DONE)
        return required ? missing(path, key, err, what) : PH_DONE;
    if (st != PH_OK)
        return st;
    int ok = json_typeof(v) == type ||
             (type == JSON_TRUE && json_is_boolean(v));
    if (!ok)
        return wrong_type(path, key, v, err, what);
    *out = v;
    return PH_OK;
}

ph_status pjson_get_object(const json_t *object, const char *path, const char *key,
                             json_t **out, ph_error *err)
{
    return typed_member(object, path, key, JSON_OBJECT, "an object", 1, out, err);
}

ph_status pjson_get_array(const json_t *object, const char *path, const char *key,
                            json_t **out, ph_error *err)
{
    return typed_member(object, path, key, JSON_ARRAY, "an array", 1, out, err);
}

static ph_status string_member(const json_t *object, const char *path, const char *key,
                               int required, const char **out, ph_error *err)
{
    json_t *v = NULL;
    ph_status st = typed_member(object, path, key, JSON_STRING, "a string", required, &v, err);
    if (st == PH_OK)
        *out = json_string_value(v);
    return st == PH_DONE ? PH_OK : st;
}

ph_status pjson_get_string(const json_t *object, const char *path, const char *key,
                             const char **out, ph_error *err)
{
    return string_member(object, path, key, 1, out, err);
}

ph_status pjson_opt_string(const json_t *object, const char *path, const char *key,
                             const char **out, ph_error *err)
{
    return string_member(object, path, key, 0, out, err);
}

static ph_status int_member(const json_t *object, const char *path, const char *key,
                            int required, int64_t *out, ph_error *err)
{
    json_t *v = NULL;
    ph_status st = typed_member(object, path, key, JSON_INTEGER, "an integer", required, &v,
                                err);
    if (st == PH_OK)
        *out = (int64_t)json_integer_value(v);
    return st == PH_DONE ? PH_OK : st;
}

ph_status pjson_get_int(const json_t *object, const char *path, const char *key, int64_t *out,
                          ph_error *err)
{
    return int_member(object, path, key, 1, out, err);
}

ph_status pjson_opt_int(const json_t *object, const char *path, const char *key, int64_t *out,
                          ph_error *err)
{
    return int_member(object, path, key, 0, out, err);
}

static ph_status bool_member(const json_t *object, const char *path, const char *key,
                             int required, int *out, ph_error *err)
{
    json_t *v = NULL;
    ph_status st = typed_member(object, path, key, JSON_TRUE, "true or false", required, &v,
                                err);
    if (st == PH_OK)
        *out = json_is_true(v);
    return st == PH_DONE ? PH_OK : st;
}

ph_status pjson_get_bool(const json_t *object, const char *path, const char *key, int *out,
                           ph_error *err)
{
    return bool_member(object, path, key, 1, out, err);
}

ph_status pjson_opt_bool(const json_t *object, const char *path, const char *key, int *out,
                           ph_error *err)
{
    return bool_member(object, path, key, 0, out, err);
}

/*
 * The shortest decimal text that reads back as the same double. A JSON real
 * written as 12345.67 comes back as "12345.67", so the exact decimal parsers
 * can judge it; a value with more digits than the text allows is refused by
 * them rather than rounded here.
 */
static void shortest_decimal(double x, char *buf, size_t size)
{
    for (int precision = 1; precision <= 17; precision++) {
        snprintf(buf, size, "%.*g", precision, x);
        if (strtod(buf, NULL) == x)
            return;
    }
}

/* Member as decimal text: a string as is, a number in its shortest form. */
static ph_status decimal_member(const json_t *object, const char *path, const char *key,
                                const char *what, char *buf, size_t size, ph_error *err)
{
    json_t *v = NULL;
    ph_status st = find_member(object, path, key, &v, err);
    if (st == PH_DONE)
        return missing(path, key, err, what);
    if (st != PH_OK)
        return st;
    if (json_is_string(v)) {
        if (json_string_length(v) >= size)
            return wrong_type(path, key, v, err, what);
        memcpy(buf, json_string_value(v), json_string_length(v) + 1);
    } else if (json_is_integer(v)) {
        snprintf(buf, size, "%lld", (long long)json_integer_value(v));
    } else if (json_is_real(v)) {
        shortest_decimal(json_real_value(v), buf, size);
        if (strpbrk(buf, "eE") != NULL)
            return wrong_type(path, key, v, err, what);
    } else {
        return wrong_type(path, key, v, err, what);
    }
    return PH_OK;
}

ph_status pjson_get_money(const json_t *object, const char *path, const char *key,
                            ph_money *out, ph_error *err)
{
    static const char what[] = "an amount in yuan such as \"12345.67\"";
    char text[64];
    ph_status st = decimal_member(object, path, key, what, text, sizeof(text), err);
    if (st != PH_OK)
        return st;
    st = ph_money_parse(text, strlen(text), out, err);
    if (st != PH_OK) {
        char name[256];
        pjson_member_name(path, key, name, sizeof(name));
        ph_error_set_field(err, name);
    }
    return st;
}

ph_status pjson_get_rate(const json_t *object, const char *path, const char *key,
                           ph_rate *out, ph_error *err)
{
    /* Strings only: a bare number is ambiguous (is 4.35 a fraction or a
     * percentage?), and reading it the wrong way is a 100x pricing error. */
    static const char what[] = "a rate as a string such as \"3.85%\", \"385bp\" or \"0.0385\"";
    json_t *v = NULL;
    ph_status st = typed_member(object, path, key, JSON_STRING, what, 1, &v, err);
    if (st != PH_OK)
        return st;
    st = ph_rate_parse(json_string_value(v), json_string_length(v), out, err);
    if (st != PH_OK) {
        char name[256];
        pjson_member_name(path, key, name, sizeof(name));
        ph_error_set_field(err, name);
    }
    return st;
}

ph_status pjson_check_members(const json_t *obj, const char *path, const char *const *allowed,
                              const char **unknown, ph_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value) {
        size_t i = 0;
        while (allowed[i] != NULL && strcmp(allowed[i], key) != 0)
            i++;
        if (allowed[i] != NULL)
            continue;
        char field[PH_ERROR_FIELD_MAX], list[256] = "";
        pjson_member_name(path, key, field, sizeof(field));
        for (size_t k = 0; allowed[k] != NULL; k++) {
            strncat(list, k ? ", " : "", sizeof(list) - strlen(list) - 1);
            strncat(list, allowed[k], sizeof(list) - strlen(list) - 1);
        }
        if (unknown != NULL)
            *unknown = key;
        return ph_error_set(err, PH_EINVAL, field, NULL, "unknown member (expected %s)", list);
    }
    return PH_OK;
}
