/*
 * The error record: status names, filling the parts, composing the message.
 * See docs/errors.md for the convention.
 */
#include "puhui/common.h"

#include "core/escape.h"

#include <stdio.h>
#include <string.h>

const char *ph_status_name(ph_status status)
{
    switch (status) {
    case PH_OK: return "PH_OK";
    case PH_DONE: return "PH_DONE";
    case PH_EINVAL: return "PH_EINVAL";
    case PH_ERANGE: return "PH_ERANGE";
    case PH_ENOMEM: return "PH_ENOMEM";
    case PH_EIO: return "PH_EIO";
    case PH_ENOTFOUND: return "PH_ENOTFOUND";
    case PH_EEXISTS: return "PH_EEXISTS";
    case PH_ESTORE: return "PH_ESTORE";
    case PH_ESCHEMA: return "PH_ESCHEMA";
    case PH_EMISUSE: return "PH_EMISUSE";
    case PH_EBUSY: return "PH_EBUSY";
    case PH_EDENIED: return "PH_EDENIED";
    case PH_EVERIFY: return "PH_EVERIFY";
    }
    return "PH_UNKNOWN";
}

int ph_status_is_input_error(ph_status status)
{
    return status == PH_EINVAL || status == PH_ERANGE || status == PH_ENOTFOUND ||
           status == PH_EEXISTS || status == PH_EDENIED || status == PH_EVERIFY;
}

void ph_error_clear(ph_error *err)
{
    if (err == NULL)
        return;
    memset(err, 0, sizeof(*err));
}

/* Copy at most dst_size-1 bytes; if `src` does not fit, end the copy in "...". */
static void copy_marked(char *dst, size_t dst_size, const char *src)
{
    size_t len = strlen(src);
    if (len < dst_size) {
        memcpy(dst, src, len + 1);
        return;
    }
    memcpy(dst, src, dst_size - 4);
    memcpy(dst + dst_size - 4, "...", 4);
}

static void compose(ph_error *err)
{
    char where[PH_ERROR_SOURCE_MAX + 48] = "";
    char what[PH_ERROR_FIELD_MAX + PH_ERROR_VALUE_MAX + 32] = "";

    if (err->source[0] != '\0' && err->line > 0 && err->column > 0)
        snprintf(where, sizeof(where), "%s:%llu:%llu: ", err->source,
                 (unsigned long long)err->line, (unsigned long long)err->column);
    else if (err->source[0] != '\0' && err->line > 0)
        snprintf(where, sizeof(where), "%s:%llu: ", err->source, (unsigned long long)err->line);
    else if (err->source[0] != '\0')
        snprintf(where, sizeof(where), "%s: ", err->source);
    else if (err->line > 0 && err->column > 0)
        snprintf(where, sizeof(where), "line %llu, column %llu: ",
                 (unsigned long long)err->line, (unsigned long long)err->column);
    else if (err->line > 0)
        snprintf(where, sizeof(where), "line %llu: ", (unsigned long long)err->line);

    if (err->field[0] != '\0' && err->value[0] != '\0')
        snprintf(what, sizeof(what), "field %s, value '%s': ", err->field, err->value);
    else if (err->field[0] != '\0')
        snprintf(what, sizeof(what), "field %s: ", err->field);
    else if (err->value[0] != '\0')
        snprintf(what, sizeof(what), "value '%s': ", err->value);

    char full[sizeof(where) + sizeof(what) + PH_ERROR_DETAIL_MAX];
    snprintf(full, sizeof(full), "%s%s%s", where, what, err->detail);
    copy_marked(err->message, sizeof(err->message), full);
}

ph_status ph_error_setv(ph_error *err, ph_status code, const char *field, const char *value,
                        size_t value_len, const char *fmt, va_list ap)
{
    if (err == NULL)
        return code;
    /* A new error starts clean: the location is added afterwards by the
     * layer that knows it (ph_error_locate), never inherited from an
     * earlier error or from uninitialised stack memory. */
    err->code = code;
    err->source[0] = '\0';
    err->line = 0;
    err->column = 0;
    copy_marked(err->field, sizeof(err->field), field ? field : "");
    if (value != NULL)
        escape_into(err->value, sizeof(err->value), value, value_len);
    else
        err->value[0] = '\0';
    char detail[PH_ERROR_DETAIL_MAX * 2];
    if (fmt != NULL)
        vsnprintf(detail, sizeof(detail), fmt, ap);
    else
        detail[0] = '\0';
    copy_marked(err->detail, sizeof(err->detail), detail);
    compose(err);
    return code;
}

ph_status ph_error_setn(ph_error *err, ph_status code, const char *field, const char *value,
                        size_t value_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(err, code, field, value, value_len, fmt, ap);
    va_end(ap);
    return code;
}

ph_status ph_error_set(ph_error *err, ph_status code, const char *field, const char *value,
                       const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(err, code, field, value, value ? strlen(value) : 0, fmt, ap);
    va_end(ap);
    return code;
}

void ph_error_locate(ph_error *err, const char *source, uint64_t line, uint64_t column)
{
    if (err == NULL)
        return;
    if (source != NULL)
        copy_marked(err->source, sizeof(err->source), source);
    err->line = line;
    err->column = column;
    compose(err);
}

void ph_error_set_field(ph_error *err, const char *field)
{
    if (err == NULL)
        return;
    copy_marked(err->field, sizeof(err->field), field ? field : "");
    compose(err);
}
