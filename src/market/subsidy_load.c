/*
 * Interest-subsidy programmes: reading the JSON document.
 *
 * A programme is policy written by a government office, so every slip is
 * an error naming the file, the member path and what was expected — an
 * unknown member (a typo such as "bonsu") must not silently drop a bonus,
 * and tiers out of order must not hand the half-subsidy to small firms.
 */
#include "subsidy_internal.h"

#include "json/json_internal.h"

#include <stdio.h>
#include <string.h>

static const char *const TOP_MEMBERS[] = {"name",  "version", "base_rate",        "eligible_sizes",
                                          "tiers", "bonus",   "first_loan_award", NULL};
static const char *const TIER_MEMBERS[] = {"credit_below", "share", NULL};
static const char *const BONUS_MEMBERS[] = {"green", "tech", "max", NULL};
static const char *const AWARD_MEMBERS[] = {"rate", "max", "payee", NULL};

/* An optional object member: *out stays NULL when absent. */
static ph_status opt_object(const json_t *obj, const char *key, json_t **out, ph_error *err)
{
    if (json_object_get(obj, key) == NULL)
        return PH_OK;
    return pjson_get_object(obj, "", key, out, err);
}

/*
 * A rate member (a string such as "10%") that must lie in [lo, hi], or in
 * (lo, hi] when lo_open. `required` 0: *out is untouched when absent.
 * `what` completes "expected ..." in the range error.
 */
static ph_status read_rate(const json_t *obj, const char *path, const char *key, int required,
                           ph_rate lo, int lo_open, ph_rate hi, const char *what, ph_rate *out,
                           ph_error *err)
{
    if (!required && json_object_get(obj, key) == NULL)
        return PH_OK;
    char field[256];
    pjson_member_name(path, key, field, sizeof(field));
    ph_rate r;
    ph_status st = pjson_get_rate(obj, path, key, &r, err);
    if (st != PH_OK)
        return st;
    if ((lo_open ? r <= lo : r < lo) || r > hi)
        return ph_error_set(err, PH_EINVAL, field, json_string_value(json_object_get(obj, key)),
                            "expected %s", what);
    *out = r;
    return PH_OK;
}

/* A money member (yuan) that must be > 0. */
static ph_status read_positive_money(const json_t *obj, const char *path, const char *key,
                                     ph_money *out, ph_error *err)
{
    ph_money m;
    ph_status st = pjson_get_money(obj, path, key, &m, err);
    if (st != PH_OK)
        return st;
    if (m <= 0) {
        char field[256], text[PH_MONEY_FORMAT_MAX];
        pjson_member_name(path, key, field, sizeof(field));
        ph_money_format(m, PH_MONEY_GROUPING, text, sizeof(text), NULL);
        return ph_error_set(err, PH_EINVAL, field, text, "expected an amount in yuan > 0");
    }
    *out = m;
    return PH_OK;
}

/* ---- members ---------------------------------------------------------------------- */

static ph_status read_header(ph_subsidy_programme *p, const json_t *root, ph_error *err)
{
    const char *name = NULL;
    ph_status st = pjson_get_string(root, "", "name", &name, err);
    if (st != PH_OK)
        return st;
    if (name[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "name", NULL, "expected a non-empty string");
    st = pjson_get_int(root, "", "version", &p->version, err);
    if (st != PH_OK)
        return st;
    if (p->version < 1) {
        char text[24];
        snprintf(text, sizeof(text), "%lld", (long long)p->version);
        return ph_error_set(err, PH_EINVAL, "version", text, "expected an integer >= 1");
    }
    p->name = ph_strdup(p->ctx, name);
    return p->name ? PH_OK : ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

static ph_status read_base(ph_subsidy_programme *p, const json_t *root, ph_error *err)
{
    static const char what[] = "\"lpr\" or a rate in (0, 100%]";
    const char *text = NULL;
    ph_status st = pjson_get_string(root, "", "base_rate", &text, err);
    if (st != PH_OK)
        return st;
    if (strcmp(text, "lpr") == 0) {
        p->base_is_lpr = 1;
        return PH_OK;
    }
    ph_rate r;
    if (ph_rate_parse(text, strlen(text), &r, NULL) != PH_OK || r <= 0 || r > PH_RATE_ONE)
        return ph_error_set(err, PH_EINVAL, "base_rate", text, "expected %s", what);
    p->base_rate = r;
    return PH_OK;
}

static ph_status read_sizes(ph_subsidy_programme *p, const json_t *root, ph_error *err)
{
    static const char what[] = "a size class (micro, small, medium or large)";
    if (json_object_get(root, "eligible_sizes") == NULL)
        return PH_OK; /* every size */
    json_t *arr = NULL;
    ph_status st = pjson_get_array(root, "", "eligible_sizes", &arr, err);
    if (st != PH_OK)
        return st;
    if (json_array_size(arr) == 0)
        return ph_error_set(err, PH_EINVAL, "eligible_sizes", NULL,
                            "expected a non-empty array of size classes (omit the member to "
                            "admit every size)");
    size_t i;
    json_t *item;
    json_array_foreach(arr, i, item) {
        char field[PH_ERROR_FIELD_MAX];
        snprintf(field, sizeof(field), "eligible_sizes[%zu]", i);
        ph_size_class size;
        if (!json_is_string(item))
            return ph_error_set(err, PH_EINVAL, field, NULL, "expected %s, found %s", what,
                                pjson_type_name(item));
        const char *text = json_string_value(item);
        if (ph_size_class_parse(text, json_string_length(item), &size, NULL) != PH_OK)
            return ph_error_set(err, PH_EINVAL, field, text, "expected %s", what);
        if (p->size_mask & (1u << size))
            return ph_error_set(err, PH_EINVAL, field, text, "size class listed twice");
        p->size_mask |= 1u << size;
    }
    return PH_OK;
}

static ph_status read_tier(ph_subsidy_programme *p, size_t i, const json_t *item, ph_error *err)
{
    char path[32];
    snprintf(path, sizeof(path), "tiers[%zu]", i);
    if (!json_is_object(item))
        return ph_error_set(err, PH_EINVAL, path, NULL,
                            "expected an object with credit_below and share, found %s",
                            pjson_type_name(item));
    sub_tier *t = &p->tiers[i];
    ph_status st = pjson_check_members(item, path, TIER_MEMBERS, NULL, err);
    if (st == PH_OK)
        st = read_positive_money(item, path, "credit_below", &t->credit_below, err);
    if (st == PH_OK)
        st = read_rate(item, path, "share", 1, 0, 1, PH_RATE_ONE, "a share in (0, 100%]",
                       &t->share, err);
    if (st != PH_OK)
        return st;
    if (i > 0 && t->credit_below <= p->tiers[i - 1].credit_below) {
        char field[PH_ERROR_FIELD_MAX], text[PH_MONEY_FORMAT_MAX], prev[PH_MONEY_FORMAT_MAX];
        snprintf(field, sizeof(field), "%s.credit_below", path);
        ph_money_format(t->credit_below, PH_MONEY_GROUPING, text, sizeof(text), NULL);
        ph_money_format(p->tiers[i - 1].credit_below, PH_MONEY_GROUPING, prev, sizeof(prev),
                        NULL);
        return ph_error_set(err, PH_EINVAL, field, text,
                            "expected more than tiers[%zu].credit_below (%s): tiers go from "
                            "the smallest credit up", i - 1, prev);
    }
    return PH_OK;
}

static ph_status read_tiers(ph_subsidy_programme *p, const json_t *root, ph_error *err)
{
    json_t *arr = NULL;
    ph_status st = pjson_get_array(root, "", "tiers", &arr, err);
    if (st != PH_OK)
        return st;
    size_t n = json_array_size(arr);
    if (n == 0 || n > PH_SUBSIDY_MAX_TIERS)
        return ph_error_set(err, PH_EINVAL, "tiers", NULL,
                            "expected 1 to %d tiers, found %zu", PH_SUBSIDY_MAX_TIERS, n);
    for (size_t i = 0; i < n; i++) {
        st = read_tier(p, i, json_array_get(arr, i), err);
        if (st != PH_OK)
            return st;
    }
    p->n_tiers = n;
    return PH_OK;
}

static ph_status read_bonus(ph_subsidy_programme *p, const json_t *root, ph_error *err)
{
    static const char what[] = "a bonus in [0, 100%]";
    json_t *b = NULL;
    ph_status st = opt_object(root, "bonus", &b, err);
    if (st != PH_OK || b == NULL)
        return st;
    st = pjson_check_members(b, "bonus", BONUS_MEMBERS, NULL, err);
    if (st == PH_OK)
        st = read_rate(b, "bonus", "green", 0, 0, 0, PH_RATE_ONE, what, &p->bonus_green, err);
    if (st == PH_OK)
        st = read_rate(b, "bonus", "tech", 0, 0, 0, PH_RATE_ONE, what, &p->bonus_tech, err);
    /* No max: the bonuses simply add up (at most 200%, no overflow). */
    p->bonus_max = p->bonus_green + p->bonus_tech;
    if (st == PH_OK)
        st = read_rate(b, "bonus", "max", 0, 0, 0, PH_RATE_ONE, what, &p->bonus_max, err);
    return st;
}

static ph_status read_award(ph_subsidy_programme *p, const json_t *root, ph_error *err)
{
    json_t *a = NULL;
    const char *payee = NULL;
    ph_status st = opt_object(root, "first_loan_award", &a, err);
    if (st != PH_OK || a == NULL)
        return st;
    st = pjson_check_members(a, "first_loan_award", AWARD_MEMBERS, NULL, err);
    if (st == PH_OK)
        st = read_rate(a, "first_loan_award", "rate", 1, 0, 1, PH_RATE_ONE,
                       "a rate in (0, 100%]", &p->award_rate, err);
    if (st == PH_OK)
        st = read_positive_money(a, "first_loan_award", "max", &p->award_max, err);
    if (st == PH_OK)
        st = pjson_get_string(a, "first_loan_award", "payee", &payee, err);
    if (st != PH_OK)
        return st;
    if (strcmp(payee, "enterprise") == 0)
        p->award_to_enterprise = 1;
    else if (strcmp(payee, "lender") != 0)
        return ph_error_set(err, PH_EINVAL, "first_loan_award.payee", payee,
                            "expected \"enterprise\" or \"lender\"");
    p->has_award = 1;
    return PH_OK;
}

static ph_status read_programme(ph_subsidy_programme *p, const json_t *root, ph_error *err)
{
    if (!json_is_object(root))
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
                            "expected a JSON object (a subsidy programme), found %s",
                            pjson_type_name(root));
    ph_status st = pjson_check_members(root, "", TOP_MEMBERS, NULL, err);
    if (st == PH_OK)
        st = read_header(p, root, err);
    if (st == PH_OK)
        st = read_base(p, root, err);
    if (st == PH_OK)
        st = read_sizes(p, root, err);
    if (st == PH_OK)
        st = read_tiers(p, root, err);
    if (st == PH_OK)
        st = read_bonus(p, root, err);
    if (st == PH_OK)
        st = read_award(p, root, err);
    return st;
}

/* Takes ownership of root. */
static ph_status load_json(const ph_ctx *ctx, json_t *root, const char *source,
                           ph_subsidy_programme **out, ph_error *err)
{
    ph_subsidy_programme *p = ph_calloc(ctx, 1, sizeof(*p));
    if (p == NULL) {
        json_decref(root);
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    }
    p->ctx = ctx;
    ph_status st = read_programme(p, root, err);
    json_decref(root);
    if (st != PH_OK) {
        ph_error_locate(err, source, 0, 0);
        ph_subsidy_programme_free(p);
        return st;
    }
    *out = p;
    return PH_OK;
}

ph_status ph_subsidy_programme_load_file(const ph_ctx *ctx, const char *path,
                                         ph_subsidy_programme **out, ph_error *err)
{
    if (ctx == NULL || path == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_subsidy_programme_load_file: NULL argument");
    json_t *root;
    ph_status st = pjson_load_file(path, &root, err);
    if (st != PH_OK)
        return st;
    return load_json(ctx, root, path, out, err);
}

ph_status ph_subsidy_programme_load_text(const ph_ctx *ctx, const char *text, size_t len,
                                         const char *source, ph_subsidy_programme **out,
                                         ph_error *err)
{
    if (ctx == NULL || text == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_subsidy_programme_load_text: NULL argument");
    if (source == NULL)
        source = "subsidy programme";
    json_t *root;
    ph_status st = pjson_load_text(text, len, source, &root, err);
    if (st != PH_OK)
        return st;
    return load_json(ctx, root, source, out, err);
}

void ph_subsidy_programme_free(ph_subsidy_programme *p)
{
    if (p == NULL)
        return;
    ph_free(p->ctx, p->name);
    ph_free(p->ctx, p);
}

const char *ph_subsidy_programme_name(const ph_subsidy_programme *p)
{
    return p != NULL ? p->name : NULL;
}

int64_t ph_subsidy_programme_version(const ph_subsidy_programme *p)
{
    return p != NULL ? p->version : 0;
}
