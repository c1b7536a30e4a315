/*
 * Values: what expressions and decision tables read and yield (value.h).
 */
#include "puhui/value.h"

#include <string.h>

ph_value ph_value_null(void)
{
    ph_value v;
    memset(&v, 0, sizeof(v));
    v.kind = PH_VALUE_NULL;
    return v;
}

ph_value ph_value_bool(int b)
{
    ph_value v = ph_value_null();
    v.kind = PH_VALUE_BOOL;
    v.as.boolean = b != 0;
    return v;
}

ph_value ph_value_decimal(ph_decimal d)
{
    ph_value v = ph_value_null();
    v.kind = PH_VALUE_DECIMAL;
    v.as.decimal = d;
    return v;
}

ph_value ph_value_text(const char *s)
{
    ph_value v = ph_value_null();
    v.kind = PH_VALUE_TEXT;
    v.as.text.ptr = s != NULL ? s : "";
    v.as.text.len = s != NULL ? strlen(s) : 0;
    return v;
}

static const char *const kind_names[] = {"null", "bool", "decimal", "text"};

const char *ph_value_kind_name(ph_value_kind kind)
{
    if ((unsigned)kind < sizeof(kind_names) / sizeof(kind_names[0]))
        return kind_names[kind];
    return "unknown";
}

/* Byte-wise order of two texts; a prefix sorts first. */
static int text_order(const ph_value *a, const ph_value *b)
{
    size_t n = a->as.text.len < b->as.text.len ? a->as.text.len : b->as.text.len;
    int c = n > 0 ? memcmp(a->as.text.ptr, b->as.text.ptr, n) : 0;
    if (c != 0)
        return c < 0 ? -1 : 1;
    if (a->as.text.len == b->as.text.len)
        return 0;
    return a->as.text.len < b->as.text.len ? -1 : 1;
}

int ph_value_equal(const ph_value *a, const ph_value *b)
{
    if (a == NULL || b == NULL || a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case PH_VALUE_NULL: return 1;
    case PH_VALUE_BOOL: return (a->as.boolean != 0) == (b->as.boolean != 0);
    case PH_VALUE_DECIMAL: return a->as.decimal == b->as.decimal;
    case PH_VALUE_TEXT: return text_order(a, b) == 0;
    }
    return 0;
}

ph_status ph_value_compare(const ph_value *a, const ph_value *b, int *cmp, ph_error *err)
{
    if (a == NULL || b == NULL || cmp == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_value_compare: %s is NULL",
                            a == NULL ? "a" : b == NULL ? "b" : "cmp");
    if (a->kind != b->kind || a->kind == PH_VALUE_NULL)
        return ph_error_set(err, PH_EINVAL, "value", NULL,
                            "cannot order %s and %s: expected two values of the same kind, "
                            "neither null",
                            ph_value_kind_name(a->kind), ph_value_kind_name(b->kind));
    switch (a->kind) {
    case PH_VALUE_BOOL: *cmp = (a->as.boolean != 0) - (b->as.boolean != 0); break;
    case PH_VALUE_DECIMAL:
        *cmp = (a->as.decimal > b->as.decimal) - (a->as.decimal < b->as.decimal);
        break;
    case PH_VALUE_TEXT: *cmp = text_order(a, b); break;
    case PH_VALUE_NULL: break; /* refused above */
    }
    return PH_OK;
}

ph_status ph_value_format(const ph_value *v, char *buf, size_t size, ph_error *err)
{
    if (v == NULL || buf == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_value_format: %s is NULL",
                            v == NULL ? "v" : "buf");
    char scratch[PH_DECIMAL_FORMAT_MAX];
    const char *text = scratch;
    size_t len;
    switch (v->kind) {
    case PH_VALUE_BOOL: text = v->as.boolean ? "true" : "false"; break;
    case PH_VALUE_DECIMAL: ph_decimal_format(v->as.decimal, scratch, sizeof(scratch), NULL); break;
    case PH_VALUE_TEXT: text = v->as.text.ptr; break;
    case PH_VALUE_NULL:
    default: text = "null"; break;
    }
    len = v->kind == PH_VALUE_TEXT ? v->as.text.len : strlen(text);
    if (len + 1 > size)
        return ph_error_set(err, PH_EMISUSE, "buffer", NULL,
                            "ph_value_format: buffer of %zu bytes is too small, need %zu", size,
                            len + 1);
    if (len > 0)
        memcpy(buf, text, len);
    buf[len] = '\0';
    return PH_OK;
}
