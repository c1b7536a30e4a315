/*
 * A calibration's stored form: compact JSON, numbers with 17 significant
 * digits so they read back to the same bits (include/puhui/calibration.h).
 * The reader checks everything apply relies on (finite numbers, knots in
 * order), so a calibration read from a model file applies as safely as a
 * fitted one.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calibration_internal.h"
#include "json/json_internal.h"

#define SOURCE "calibration JSON"

/* ---- writing --------------------------------------------------------------- */

/* Room for one number: sign, 17 digits, point, exponent, ".0". */
enum { NUMBER_MAX = 32 };

/* x as %.17g, with ".0" added when that reads as an integer, so it reads
 * back as a real: "-0" would come back as the integer 0 and lose its sign. */
static size_t put_number(char *p, double x)
{
    int len = snprintf(p, NUMBER_MAX, "%.17g", x);
    if (strpbrk(p, ".eE") == NULL) {
        memcpy(p + len, ".0", 3);
        len += 2;
    }
    return (size_t)len;
}

static size_t put_text(char *p, const char *s)
{
    size_t len = strlen(s);
    memcpy(p, s, len + 1);
    return len;
}

static size_t put_array(char *p, const char *name, const double *v, size_t n)
{
    size_t len = put_text(p, name);
    for (size_t i = 0; i < n; i++) {
        if (i)
            p[len++] = ',';
        len += put_number(p + len, v[i]);
    }
    len += put_text(p + len, "]");
    return len;
}

ph_status ph_calibration_to_json(const ph_calibration *c, char **out, ph_error *err)
{
    if (!c || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_calibration_to_json: NULL argument");
    size_t size = 64 + 2 * (c->n_knots + 1) * (NUMBER_MAX + 1);
    char *text = ph_malloc(c->ctx, size);
    if (!text)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory writing a calibration");
    size_t len;
    if (c->method == PH_CALIBRATION_PLATT) {
        len = put_text(text, "{\"method\":\"platt\",\"a\":");
        len += put_number(text + len, c->a);
        len += put_text(text + len, ",\"b\":");
        len += put_number(text + len, c->b);
    } else {
        len = put_text(text, "{\"method\":\"isotonic\",");
        len += put_array(text + len, "\"x\":[", c->x, c->n_knots);
        len += put_array(text + len, ",\"y\":[", c->y, c->n_knots);
    }
    put_text(text + len, "}");
    *out = text;
    return PH_OK;
}

/* ---- reading --------------------------------------------------------------- */

static ph_status refuse(ph_error *err, const char *field, const json_t *value,
                        const char *expected)
{
    char *shown = value ? json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
    ph_error_set(err, PH_EINVAL, field, shown, "expected %s", expected);
    free(shown);
    ph_error_locate(err, SOURCE, 0, 0);
    return PH_EINVAL;
}

/* Only the members the method has: a misspelt one is an error, not ignored. */
static ph_status check_members(const json_t *root, const char *const *allowed, size_t n_allowed,
                               const char *method, ph_error *err)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)root, key, value) {
        int known = 0;
        for (size_t i = 0; i < n_allowed; i++)
            known |= strcmp(key, allowed[i]) == 0;
        if (!known) {
            char expected[128];
            snprintf(expected, sizeof(expected), "no member '%s' in a %s calibration", key,
                     method);
            return refuse(err, key, value, expected);
        }
    }
    return PH_OK;
}

static ph_status finite_member(const json_t *root, const char *key, double *out, ph_error *err)
{
    json_t *v = json_object_get(root, key);
    if (!json_is_number(v) || !isfinite(json_number_value(v)))
        return refuse(err, key, v, "a finite number");
    *out = json_number_value(v);
    return PH_OK;
}

static ph_status read_platt(const ph_ctx *ctx, const json_t *root, ph_calibration **out,
                            ph_error *err)
{
    static const char *const members[] = {"method", "a", "b"};
    double a = 0.0, b = 0.0;
    ph_status st = check_members(root, members, 3, "platt", err);
    if (st == PH_OK)
        st = finite_member(root, "a", &a, err);
    if (st == PH_OK)
        st = finite_member(root, "b", &b, err);
    if (st == PH_OK)
        st = calibration_alloc(ctx, PH_CALIBRATION_PLATT, 0, out, err);
    if (st == PH_OK) {
        (*out)->a = a;
        (*out)->b = b;
    }
    return st;
}

/* Knot i of array `key`: a number in [0, 1], above the one before (x) or
 * not below it (y). */
static ph_status read_knot(const json_t *array, const char *key, size_t i, int strict,
                           double before, double *out, ph_error *err)
{
    json_t *v = json_array_get(array, i);
    char field[PH_ERROR_FIELD_MAX];
    snprintf(field, sizeof(field), "%s[%zu]", key, i);
    if (!json_is_number(v) || !(json_number_value(v) >= 0.0 && json_number_value(v) <= 1.0))
        return refuse(err, field, v, "a number in [0, 1]");
    double x = json_number_value(v);
    if (i > 0 && (strict ? x <= before : x < before))
        return refuse(err, field, v,
                      strict ? "a number above the one before: the knots' raw probabilities "
                               "strictly increase"
                             : "a number not below the one before: an isotonic calibration "
                               "never decreases");
    *out = x;
    return PH_OK;
}

static ph_status read_isotonic(const ph_ctx *ctx, const json_t *root, ph_calibration **out,
                               ph_error *err)
{
    static const char *const members[] = {"method", "x", "y"};
    ph_status st = check_members(root, members, 3, "isotonic", err);
    if (st != PH_OK)
        return st;
    json_t *x = json_object_get(root, "x"), *y = json_object_get(root, "y");
    if (!json_is_array(x) || json_array_size(x) == 0)
        return refuse(err, "x", x, "a non-empty array of raw probabilities");
    if (!json_is_array(y) || json_array_size(y) != json_array_size(x))
        return refuse(err, "y", y, "an array of calibrated probabilities, one per entry of x");
    ph_calibration *c = NULL;
    size_t n = json_array_size(x);
    st = calibration_alloc(ctx, PH_CALIBRATION_ISOTONIC, n, &c, err);
    for (size_t i = 0; st == PH_OK && i < n; i++)
        st = read_knot(x, "x", i, 1, i ? c->x[i - 1] : 0.0, &c->x[i], err);
    for (size_t i = 0; st == PH_OK && i < n; i++)
        st = read_knot(y, "y", i, 0, i ? c->y[i - 1] : 0.0, &c->y[i], err);
    if (st != PH_OK) {
        ph_calibration_free(c);
        return st;
    }
    *out = c;
    return PH_OK;
}

ph_status ph_calibration_from_json(const ph_ctx *ctx, const char *text, size_t len,
                                   ph_calibration **out, ph_error *err)
{
    if (!ctx || (!text && len) || !out)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_calibration_from_json: NULL argument");
    json_t *root;
    ph_status st = pjson_load_text(text ? text : "", len, SOURCE, &root, err);
    if (st != PH_OK)
        return st;
    const char *method = NULL;
    if (!json_is_object(root)) {
        st = refuse(err, NULL, root, "an object: {\"method\":\"platt\",\"a\":..,\"b\":..} or "
                                     "{\"method\":\"isotonic\",\"x\":[..],\"y\":[..]}");
    } else if (!json_is_string(json_object_get(root, "method"))) {
        st = refuse(err, "method", json_object_get(root, "method"),
                    "a string, \"platt\" or \"isotonic\"");
    } else {
        method = json_string_value(json_object_get(root, "method"));
    }
    if (st == PH_OK && strcmp(method, "platt") == 0)
        st = read_platt(ctx, root, out, err);
    else if (st == PH_OK && strcmp(method, "isotonic") == 0)
        st = read_isotonic(ctx, root, out, err);
    else if (st == PH_OK)
        st = refuse(err, "method", json_object_get(root, "method"), "\"platt\" or \"isotonic\"");
    json_decref(root);
    return st;
}
