/*
 * The hyper-parameters of train-gbdt: their defaults, ranges and JSON names
 * as one table, so the reader, the error for an unknown key and the docs
 * all come from the same rows.
 */
#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gbdt/gbdt_internal.h"

void ph_gbdt_params_default(ph_gbdt_params *p)
{
    *p = (ph_gbdt_params){.max_depth = 4,
                          .eta = 0.05,
                          .num_round = 1000,
                          .min_child_weight = 5,
                          .subsample = 0.8,
                          .colsample_bytree = 0.8,
                          .lambda = 1,
                          .alpha = 0,
                          .gamma = 0,
                          .max_bin = 256,
                          .early_stopping_rounds = 50,
                          .seed = 1};
}

const gbdt_param_def gbdt_param_table[] = {
    {"max_depth", NULL, offsetof(ph_gbdt_params, max_depth), 1, 1, 16},
    {"eta", "learning_rate", offsetof(ph_gbdt_params, eta), 0, 1e-6, 1},
    {"num_round", "n_estimators", offsetof(ph_gbdt_params, num_round), 1, 1, 100000},
    {"min_child_weight", NULL, offsetof(ph_gbdt_params, min_child_weight), 0, 0, 1e6},
    {"subsample", NULL, offsetof(ph_gbdt_params, subsample), 0, 0.01, 1},
    {"colsample_bytree", NULL, offsetof(ph_gbdt_params, colsample_bytree), 0, 0.01, 1},
    {"lambda", "reg_lambda", offsetof(ph_gbdt_params, lambda), 0, 0, 1e6},
    {"alpha", "reg_alpha", offsetof(ph_gbdt_params, alpha), 0, 0, 1e6},
    {"gamma", NULL, offsetof(ph_gbdt_params, gamma), 0, 0, 1e6},
    {"max_bin", NULL, offsetof(ph_gbdt_params, max_bin), 1, 2, 65536},
    {"early_stopping_rounds", NULL, offsetof(ph_gbdt_params, early_stopping_rounds), 1, 1, 100000},
    {"seed", NULL, offsetof(ph_gbdt_params, seed), 1, 0, 2147483647},
};
const size_t gbdt_param_count = sizeof(gbdt_param_table) / sizeof(gbdt_param_table[0]);

double gbdt_param_get(const ph_gbdt_params *p, const gbdt_param_def *def)
{
    const char *slot = (const char *)p + def->offset;
    return def->integer ? (double)*(const int *)slot : *(const double *)slot;
}

void gbdt_param_put(ph_gbdt_params *p, const gbdt_param_def *def, double v)
{
    char *slot = (char *)p + def->offset;
    if (def->integer)
        *(int *)slot = (int)v;
    else
        *(double *)slot = v;
}

static const gbdt_param_def *find_param(const char *key)
{
    for (size_t i = 0; i < gbdt_param_count; i++) {
        const gbdt_param_def *d = &gbdt_param_table[i];
        if (strcmp(key, d->name) == 0 || (d->alias && strcmp(key, d->alias) == 0))
            return d;
    }
    return NULL;
}

/* "max_depth, eta (learning_rate), ..." for the unknown-key error. */
static void allowed_keys(char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < gbdt_param_count && used < size; i++) {
        const gbdt_param_def *d = &gbdt_param_table[i];
        int n = d->alias ? snprintf(buf + used, size - used, "%s%s (%s)", i ? ", " : "",
                                    d->name, d->alias)
                         : snprintf(buf + used, size - used, "%s%s", i ? ", " : "", d->name);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

ph_status ph_gbdt_params_read(const char *path, ph_gbdt_params *params, ph_error *err)
{
    if (!path || !params)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "path and params are required");
    json_error_t jerr;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        ph_status code = jerr.line < 0 ? PH_EIO : PH_EINVAL;
        ph_error_set(err, code, "--params", NULL, "%s", jerr.text);
        ph_error_locate(err, path, jerr.line > 0 ? (uint64_t)jerr.line : 0,
                        jerr.column > 0 ? (uint64_t)jerr.column : 0);
        return code;
    }
    ph_status st = PH_OK;
    ph_gbdt_params next = *params;
    if (!json_is_object(root))
        st = ph_error_set(err, PH_EINVAL, "--params", NULL,
                          "expected a JSON object of hyper-parameters, such as "
                          "{\"max_depth\": 4, \"eta\": 0.05}");
    const char *key;
    json_t *value;
    json_object_foreach(root, key, value) {
        if (st != PH_OK)
            break;
        const gbdt_param_def *d = find_param(key);
        if (!d) {
            char allowed[512];
            allowed_keys(allowed, sizeof(allowed));
            st = ph_error_set(err, PH_EINVAL, key, NULL,
                              "unknown hyper-parameter; expected one of %s", allowed);
            break;
        }
        char shown[64];
        double v = json_is_number(value) ? json_number_value(value) : NAN;
        snprintf(shown, sizeof(shown), "%.17g", v);
        if (!json_is_number(value)) {
            /* the value as written: "0.1", true, [1, 2] */
            char *text = json_is_string(value) ? NULL : json_dumps(value, JSON_ENCODE_ANY);
            st = ph_error_set(err, PH_EINVAL, key,
                              json_is_string(value) ? json_string_value(value) : text,
                              "expected %s from %g to %g", d->integer ? "a whole number" : "a number",
                              d->min, d->max);
            free(text);
        } else if (d->integer && v != floor(v))
            st = ph_error_set(err, PH_EINVAL, key, shown,
                              "expected %s from %g to %g", d->integer ? "a whole number" : "a number",
                              d->min, d->max);
        else if (!(v >= d->min && v <= d->max))
            st = ph_error_set(err, PH_EINVAL, key, shown, "expected a value from %g to %g",
                              d->min, d->max);
        else
            gbdt_param_put(&next, d, v);
    }
    json_decref(root);
    if (st != PH_OK) {
        ph_error_locate(err, path, 0, 0);
        return st;
    }
    *params = next;
    return PH_OK;
}
