/*
 * The classification and provisioning rules: the built-in 2023 rules and
 * the JSON document that overrides them.
 *
 * The rules decide which loans a bank reports as non-performing and how
 * much it sets aside, so every slip in the document is an error naming the
 * file, the member and what was expected: an unknown member (a typo such
 * as "provison_bp") must not silently keep the default, and thresholds out
 * of order must not classify a 100-day loan as normal.
 */
#include "cob_internal.h"

#include "json/json_internal.h"

#include <stdio.h>
#include <string.h>

/* The 2023 rules (docs/domain.md#loans): special mention from 1 DPD,
 * substandard over 90, doubtful over 270, loss over 360; provisions 1%, 2%,
 * 25%, 50%, 100%; a one-year observation spanning two repayment periods. */
static const ph_cob_rules DEFAULT_RULES = {
    .ctx = NULL,
    .min_dpd = {0, 1, 91, 271, 361},
    .provision_bp = {100, 200, 2500, 5000, 10000},
    .restructured_floor = PH_CATEGORY_SPECIAL_MENTION,
    .observation_days = 365,
    .observation_periods = 2,
    .default_dpd = 90,
};

static const char *const TOP_MEMBERS[] = {"categories",          "restructured_floor",
                                          "observation_days",    "observation_periods",
                                          "default_dpd",         "provision_bp",
                                          NULL};
static const char *const CATEGORY_MEMBERS[] = {"category", "min_dpd", NULL};

void cob_rules_set_defaults(ph_cob_rules *r)
{
    const ph_ctx *ctx = r->ctx;
    *r = DEFAULT_RULES;
    r->ctx = ctx;
}

/* An integer member in [lo, hi]; *out untouched when absent and !required. */
static ph_status read_int(const json_t *obj, const char *path, const char *key, int required,
                          int64_t lo, int64_t hi, int32_t *out, ph_error *err)
{
    if (!required && json_object_get(obj, key) == NULL)
        return PH_OK;
    int64_t v;
    ph_status st = pjson_get_int(obj, path, key, &v, err);
    if (st != PH_OK)
        return st;
    if (v < lo || v > hi) {
        char field[PH_ERROR_FIELD_MAX], text[24];
        pjson_member_name(path, key, field, sizeof(field));
        snprintf(text, sizeof(text), "%lld", (long long)v);
        return ph_error_set(err, PH_EINVAL, field, text, "expected a whole number from %lld to %lld",
                            (long long)lo, (long long)hi);
    }
    *out = (int32_t)v;
    return PH_OK;
}

/* A category name held in a string member. */
static ph_status read_category(const json_t *obj, const char *path, const char *key,
                               ph_loan_category *out, ph_error *err)
{
    const char *text = NULL;
    ph_status st = pjson_get_string(obj, path, key, &text, err);
    if (st != PH_OK)
        return st;
    if (ph_loan_category_parse(text, strlen(text), out, NULL) != PH_OK) {
        char field[PH_ERROR_FIELD_MAX];
        pjson_member_name(path, key, field, sizeof(field));
        return ph_error_set(err, PH_EINVAL, field, text,
                            "expected normal, special_mention, substandard, doubtful or loss");
    }
    return PH_OK;
}

static ph_status read_categories(ph_cob_rules *r, const json_t *root, ph_error *err)
{
    if (json_object_get(root, "categories") == NULL)
        return PH_OK;
    json_t *arr = NULL;
    ph_status st = pjson_get_array(root, "", "categories", &arr, err);
    if (st != PH_OK)
        return st;
    /* Where each category was listed, to name the entry in an order error. */
    size_t at[PH_CATEGORY_COUNT];
    int seen[PH_CATEGORY_COUNT] = {0};
    int32_t min_dpd[PH_CATEGORY_COUNT] = {0};
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        char path[40];
        snprintf(path, sizeof(path), "categories[%zu]", i);
        if (!json_is_object(item))
            return ph_error_set(err, PH_EINVAL, path, NULL,
                                "expected an object with category and min_dpd, found %s",
                                pjson_type_name(item));
        ph_loan_category c;
        st = pjson_check_members(item, path, CATEGORY_MEMBERS, NULL, err);
        if (st == PH_OK)
            st = read_category(item, path, "category", &c, err);
        if (st != PH_OK)
            return st;
        char field[PH_ERROR_FIELD_MAX];
        snprintf(field, sizeof(field), "%s.category", path);
        if (c == PH_CATEGORY_NORMAL)
            return ph_error_set(err, PH_EINVAL, field, "normal",
                                "expected special_mention, substandard, doubtful or loss "
                                "(normal is every loan with 0 DPD)");
        if (seen[c])
            return ph_error_set(err, PH_EINVAL, field, ph_loan_category_name(c),
                                "category listed twice (first at categories[%zu])", at[c]);
        st = read_int(item, path, "min_dpd", 1, 1, 36500, &min_dpd[c], err);
        if (st != PH_OK)
            return st;
        seen[c] = 1;
        at[c] = i;
    }
    for (int c = PH_CATEGORY_SPECIAL_MENTION; c < PH_CATEGORY_COUNT; c++)
        if (!seen[c])
            return ph_error_set(err, PH_EINVAL, "categories", NULL,
                                "expected an entry for %s (every category but normal, once)",
                                ph_loan_category_name((ph_loan_category)c));
    for (int c = PH_CATEGORY_SUBSTANDARD; c < PH_CATEGORY_COUNT; c++) {
        if (min_dpd[c] > min_dpd[c - 1])
            continue;
        char field[PH_ERROR_FIELD_MAX], text[24];
        snprintf(field, sizeof(field), "categories[%zu].min_dpd", at[c]);
        snprintf(text, sizeof(text), "%d", (int)min_dpd[c]);
        return ph_error_set(err, PH_EINVAL, field, text,
                            "expected more than categories[%zu].min_dpd (%d, %s): %s is worse",
                            at[c - 1], (int)min_dpd[c - 1],
                            ph_loan_category_name((ph_loan_category)(c - 1)),
                            ph_loan_category_name((ph_loan_category)c));
    }
    memcpy(r->min_dpd, min_dpd, sizeof(min_dpd));
    return PH_OK;
}

static ph_status read_provisions(ph_cob_rules *r, const json_t *root, ph_error *err)
{
    if (json_object_get(root, "provision_bp") == NULL)
        return PH_OK;
    json_t *obj = NULL;
    ph_status st = pjson_get_object(root, "", "provision_bp", &obj, err);
    if (st != PH_OK)
        return st;
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value) {
        ph_loan_category c;
        if (ph_loan_category_parse(key, strlen(key), &c, NULL) != PH_OK) {
            char field[PH_ERROR_FIELD_MAX];
            pjson_member_name("provision_bp", key, field, sizeof(field));
            return ph_error_set(err, PH_EINVAL, field, NULL,
                                "unknown member (expected normal, special_mention, substandard, "
                                "doubtful, loss)");
        }
        st = read_int(obj, "provision_bp", key, 1, 0, 10000, &r->provision_bp[c], err);
        if (st != PH_OK)
            return st;
    }
    return PH_OK;
}

static ph_status read_rules(ph_cob_rules *r, const json_t *root, ph_error *err)
{
    if (!json_is_object(root))
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
                            "expected a JSON object (classification rules), found %s",
                            pjson_type_name(root));
    ph_status st = pjson_check_members(root, "", TOP_MEMBERS, NULL, err);
    if (st == PH_OK)
        st = read_categories(r, root, err);
    if (st == PH_OK && json_object_get(root, "restructured_floor") != NULL)
        st = read_category(root, "", "restructured_floor", &r->restructured_floor, err);
    if (st == PH_OK)
        st = read_int(root, "", "observation_days", 0, 0, 3650, &r->observation_days, err);
    if (st == PH_OK)
        st = read_int(root, "", "observation_periods", 0, 0, 120, &r->observation_periods, err);
    if (st == PH_OK)
        st = read_int(root, "", "default_dpd", 0, 1, 3650, &r->default_dpd, err);
    if (st == PH_OK)
        st = read_provisions(r, root, err);
    return st;
}

static ph_status new_rules(const ph_ctx *ctx, ph_cob_rules **out, ph_error *err)
{
    ph_cob_rules *r = ph_calloc(ctx, 1, sizeof(*r));
    if (r == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    r->ctx = ctx;
    cob_rules_set_defaults(r);
    *out = r;
    return PH_OK;
}

ph_status ph_cob_rules_default(const ph_ctx *ctx, ph_cob_rules **out, ph_error *err)
{
    if (ctx == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_rules_default: NULL argument");
    return new_rules(ctx, out, err);
}

/* Takes ownership of root. */
static ph_status load_json(const ph_ctx *ctx, json_t *root, const char *source, ph_cob_rules **out,
                           ph_error *err)
{
    ph_cob_rules *r = NULL;
    ph_status st = new_rules(ctx, &r, err);
    if (st == PH_OK)
        st = read_rules(r, root, err);
    json_decref(root);
    if (st != PH_OK) {
        ph_error_locate(err, source, 0, 0);
        ph_cob_rules_free(r);
        return st;
    }
    *out = r;
    return PH_OK;
}

ph_status ph_cob_rules_load_file(const ph_ctx *ctx, const char *path, ph_cob_rules **out,
                                 ph_error *err)
{
    if (ctx == NULL || path == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_rules_load_file: NULL argument");
    json_t *root;
    ph_status st = pjson_load_file(path, &root, err);
    if (st != PH_OK)
        return st;
    return load_json(ctx, root, path, out, err);
}

ph_status ph_cob_rules_load_text(const ph_ctx *ctx, const char *text, size_t len,
                                 const char *source, ph_cob_rules **out, ph_error *err)
{
    if (ctx == NULL || text == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_cob_rules_load_text: NULL argument");
    if (source == NULL)
        source = "classification rules";
    json_t *root;
    ph_status st = pjson_load_text(text, len, source, &root, err);
    if (st != PH_OK)
        return st;
    return load_json(ctx, root, source, out, err);
}

void ph_cob_rules_free(ph_cob_rules *r)
{
    if (r != NULL)
        ph_free(r->ctx, r);
}

int32_t ph_cob_rules_min_dpd(const ph_cob_rules *r, ph_loan_category c)
{
    return (unsigned)c < PH_CATEGORY_COUNT ? r->min_dpd[c] : 0;
}

int32_t ph_cob_rules_provision_bp(const ph_cob_rules *r, ph_loan_category c)
{
    return (unsigned)c < PH_CATEGORY_COUNT ? r->provision_bp[c] : 0;
}

int32_t ph_cob_rules_default_dpd(const ph_cob_rules *r)
{
    return r->default_dpd;
}
