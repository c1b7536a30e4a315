/*
 * Servicing products as data (docs/loans.md#products): the penalty markup,
 * the repayment allocation order, grace days, day count, how long an offer
 * stays open, the risk-sharing scheme by whether a guarantor takes part,
 * and the rule a renewal without repaying principal must pass. The built-in
 * default is itself a document, read by the same loader.
 */
#include "loan_internal.h"

#include <stdio.h>
#include <string.h>

#include "json/json_internal.h"
#include "puhui/expr.h"
#include "puhui/value.h"

static const char DEFAULT_PRODUCTS[] =
    "{\"products\": [{\"name\": \"default\", \"penalty_markup\": \"50%\","
    " \"allocation\": \"penalty,fee,interest,principal\", \"grace_days\": 3,"
    " \"daycount\": \"ACT/360\", \"offer_valid_days\": 30,"
    " \"scheme_with_guarantor\": \"bank_guarantor_2_8\","
    " \"scheme_without_guarantor\": \"bank_only\","
    " \"renewal\": \"dpd <= 30 and months_on_book >= 6 and renewals < 2\"}]}";

static const char *const PRODUCT_MEMBERS[] = {
    "name", "penalty_markup", "allocation", "grace_days", "daycount", "offer_valid_days",
    "method", "harvest_months", "scheme_with_guarantor", "scheme_without_guarantor", "renewal",
    NULL};

static ph_status copy_member(const json_t *o, const char *path, const char *key, char *dst,
                             size_t size, ph_error *err)
{
    const char *s = NULL;
    ph_status st = pjson_opt_string(o, path, key, &s, err);
    if (st != PH_OK || s == NULL)
        return st;
    if (strlen(s) >= size) {
        char name[128];
        pjson_member_name(path, key, name, sizeof(name));
        return ph_error_set(err, PH_EINVAL, name, s, "at most %zu bytes", size - 1);
    }
    snprintf(dst, size, "%s", s);
    return PH_OK;
}

static ph_status int_in(const json_t *o, const char *path, const char *key, int64_t lo,
                        int64_t hi, int32_t *out, ph_error *err)
{
    int64_t v = *out;
    ph_status st = pjson_opt_int(o, path, key, &v, err);
    if (st == PH_OK && (v < lo || v > hi)) {
        char name[128], value[24];
        pjson_member_name(path, key, name, sizeof(name));
        snprintf(value, sizeof(value), "%lld", (long long)v);
        return ph_error_set(err, PH_EINVAL, name, value, "expected %lld to %lld", (long long)lo,
                            (long long)hi);
    }
    if (st == PH_OK)
        *out = (int32_t)v;
    return st;
}

static ph_status read_harvest(const json_t *o, const char *path, uint16_t *out, ph_error *err)
{
    json_t *a = json_object_get(o, "harvest_months");
    if (a == NULL)
        return PH_OK;
    char name[128];
    pjson_member_name(path, "harvest_months", name, sizeof(name));
    if (!json_is_array(a))
        return ph_error_set(err, PH_EINVAL, name, pjson_type_name(a),
                            "expected an array of calendar months 1 to 12");
    uint16_t mask = 0;
    size_t i;
    json_t *m;
    json_array_foreach(a, i, m) {
        json_int_t v = json_is_integer(m) ? json_integer_value(m) : 0;
        if (v < 1 || v > 12)
            return ph_error_set(err, PH_EINVAL, name, json_is_integer(m) ? NULL : pjson_type_name(m),
                                "element %zu: expected a calendar month 1 to 12", i + 1);
        mask = (uint16_t)(mask | (1u << (v - 1)));
    }
    *out = mask;
    return PH_OK;
}

static ph_status read_product(const json_t *o, const char *path, loan_product *p, ph_error *err)
{
    memset(p, 0, sizeof(*p));
    p->penalty_markup = 50000000; /* 50% */
    snprintf(p->allocation_text, sizeof(p->allocation_text), "penalty,fee,interest,principal");
    p->grace_days = 3;
    p->offer_valid_days = 30;
    snprintf(p->scheme_with, sizeof(p->scheme_with), "bank_guarantor_2_8");
    snprintf(p->scheme_without, sizeof(p->scheme_without), "bank_only");
    ph_status st = pjson_check_members(o, path, PRODUCT_MEMBERS, NULL, err);
    const char *s = NULL;
    if (st == PH_OK)
        st = pjson_get_string(o, path, "name", &s, err);
    if (st == PH_OK)
        st = copy_member(o, path, "name", p->name, sizeof(p->name), err);
    if (st == PH_OK && json_object_get(o, "penalty_markup") != NULL)
        st = pjson_get_rate(o, path, "penalty_markup", &p->penalty_markup, err);
    if (st == PH_OK)
        st = copy_member(o, path, "allocation", p->allocation_text, sizeof(p->allocation_text),
                         err);
    if (st == PH_OK)
        st = ph_allocation_order_parse(p->allocation_text, strlen(p->allocation_text),
                                       &p->allocation, err);
    if (st == PH_OK)
        st = int_in(o, path, "grace_days", 0, 90, &p->grace_days, err);
    if (st == PH_OK)
        st = int_in(o, path, "offer_valid_days", 1, 365, &p->offer_valid_days, err);
    s = NULL;
    if (st == PH_OK)
        st = pjson_opt_string(o, path, "daycount", &s, err);
    if (st == PH_OK && s != NULL)
        st = ph_daycount_parse(s, strlen(s), &p->daycount, err);
    s = NULL;
    if (st == PH_OK && !json_is_null(json_object_get(o, "method")))
        st = pjson_opt_string(o, path, "method", &s, err);
    if (st == PH_OK && s != NULL) {
        st = ph_schedule_method_parse(s, strlen(s), &p->method, err);
        p->has_method = st == PH_OK;
    }
    if (st == PH_OK)
        st = read_harvest(o, path, &p->harvest_months, err);
    if (st == PH_OK && p->has_method && p->method == PH_METHOD_SEASONAL && p->harvest_months == 0)
        st = ph_error_set(err, PH_EINVAL, path, "seasonal",
                          "a seasonal product names its harvest_months");
    if (st == PH_OK)
        st = copy_member(o, path, "scheme_with_guarantor", p->scheme_with, sizeof(p->scheme_with),
                         err);
    if (st == PH_OK)
        st = copy_member(o, path, "scheme_without_guarantor", p->scheme_without,
                         sizeof(p->scheme_without), err);
    if (st == PH_OK)
        st = copy_member(o, path, "renewal", p->renewal, sizeof(p->renewal), err);
    return st;
}

/* The renewal rule's variables, in slot order. */
enum { R_DPD, R_MONTHS, R_RENEWALS, R_PRINCIPAL, R_CATEGORY, R_COUNT };

static ph_status renewal_compile(const ph_ctx *ctx, const char *text, const char *source,
                                 ph_expr **out, ph_error *err)
{
    ph_expr_symbols *sym = NULL;
    static const char *const names[R_COUNT] = {"dpd", "months_on_book", "renewals", "principal",
                                               "category"};
    ph_status st = ph_expr_symbols_new(ctx, &sym, err);
    for (size_t i = 0; st == PH_OK && i < R_COUNT; i++) {
        size_t slot;
        st = ph_expr_symbols_add(sym, names[i], i == R_CATEGORY ? PH_VALUE_TEXT : PH_VALUE_DECIMAL,
                                 &slot, err);
    }
    if (st == PH_OK)
        st = ph_expr_compile(sym, text, source, out, err);
    ph_expr_symbols_free(sym);
    return st;
}

ph_status loan_products_parse(const ph_ctx *ctx, const char *text, size_t len, const char *source,
                              loan_products *out, ph_error *err)
{
    json_t *root = NULL;
    ph_status st = pjson_load_text(text, len, source, &root, err);
    json_t *list = NULL;
    if (st == PH_OK)
        st = pjson_get_array(root, NULL, "products", &list, err);
    size_t n = st == PH_OK ? json_array_size(list) : 0;
    loan_product *items = NULL;
    if (st == PH_OK && n == 0)
        st = ph_error_set(err, PH_EINVAL, "products", NULL, "expected at least one product");
    if (st == PH_OK && (items = ph_calloc(ctx, n, sizeof(*items))) == NULL)
        st = ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    int has_default = 0;
    for (size_t i = 0; st == PH_OK && i < n; i++) {
        char path[48];
        snprintf(path, sizeof(path), "products[%zu]", i);
        json_t *o = json_array_get(list, i);
        if (!json_is_object(o)) {
            st = ph_error_set(err, PH_EINVAL, path, pjson_type_name(o), "expected an object");
            break;
        }
        st = read_product(o, path, &items[i], err);
        for (size_t j = 0; st == PH_OK && j < i; j++)
            if (strcmp(items[j].name, items[i].name) == 0)
                st = ph_error_set(err, PH_EINVAL, path, items[i].name, "a product named twice");
        if (st == PH_OK && items[i].renewal[0] != '\0') {
            ph_expr *e = NULL;
            char where[96];
            snprintf(where, sizeof(where), "%s: %s.renewal", source, path);
            st = renewal_compile(ctx, items[i].renewal, where, &e, err);
            ph_expr_free(e);
        }
        has_default |= st == PH_OK && strcmp(items[i].name, "default") == 0;
    }
    if (st == PH_OK && !has_default)
        st = ph_error_set(err, PH_EINVAL, "products", NULL,
                          "expected a product named \"default\" for every other product");
    json_decref(root);
    if (st != PH_OK) {
        ph_free(ctx, items);
        return st;
    }
    out->count = n;
    out->items = items;
    out->version = 0;
    return PH_OK;
}

void loan_products_release(const ph_ctx *ctx, loan_products *p)
{
    if (p != NULL)
        ph_free(ctx, p->items);
}

const loan_product *loan_product_find(const loan_products *p, const char *name)
{
    const loan_product *fallback = NULL;
    for (size_t i = 0; i < p->count; i++) {
        if (strcmp(p->items[i].name, name) == 0)
            return &p->items[i];
        if (strcmp(p->items[i].name, "default") == 0)
            fallback = &p->items[i];
    }
    return fallback;
}

ph_status loan_products_current(ph_store *store, loan_products *out, ph_error *err)
{
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_stmt *s = NULL;
    ph_status st = ph_store_prepare(
        store, "SELECT version, document FROM loan_product ORDER BY version DESC LIMIT 1", &s, err);
    if (st == PH_OK)
        st = ph_stmt_step(s, err);
    if (st == PH_DONE) {
        ph_stmt_free(s);
        return loan_products_parse(ctx, DEFAULT_PRODUCTS, strlen(DEFAULT_PRODUCTS),
                                   "built-in products", out, err);
    }
    if (st == PH_OK) {
        int64_t version = ph_stmt_column_int64(s, 0);
        const char *doc = ph_stmt_column_text(s, 1);
        char source[48];
        snprintf(source, sizeof(source), "loan_product@%lld", (long long)version);
        st = loan_products_parse(ctx, doc, strlen(doc), source, out, err);
        if (st == PH_OK)
            out->version = version;
    }
    ph_stmt_free(s);
    return st;
}

ph_status ph_loan_products_check_text(const ph_ctx *ctx, const char *text, size_t len,
                                      const char *source, size_t *count, ph_error *err)
{
    if (ctx == NULL || text == NULL || source == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_loan_products_check_text: NULL argument");
    loan_products parsed = {0};
    ph_status st = loan_products_parse(ctx, text, len, source, &parsed, err);
    if (st == PH_OK && count != NULL)
        *count = parsed.count;
    loan_products_release(ctx, &parsed);
    return st;
}

ph_status ph_loan_products_load(ph_store *store, const char *path, int64_t *version,
                                ph_error *err)
{
    if (store == NULL || path == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_products_load: NULL argument");
    const ph_ctx *ctx = ph_store_ctx(store);
    ph_status st = ph_store_require_schema(store, 12, "the loan book", err);
    char *text = NULL;
    size_t len = 0;
    if (st == PH_OK)
        st = ph_read_file(ctx, path, "loan products", &text, &len, err);
    loan_products parsed = {0};
    if (st == PH_OK)
        st = loan_products_parse(ctx, text, len, path, &parsed, err);
    loan_products_release(ctx, &parsed);
    char sum[65];
    if (st == PH_OK)
        ph_checksum_hex(text, len, sum);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    int64_t next = 1;
    ph_stmt *s = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, "SELECT COALESCE(MAX(version), 0) + 1 FROM loan_product", &s,
                              err);
    if (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_OK)
        next = ph_stmt_column_int64(s, 0);
    ph_stmt_free(s);
    s = NULL;
    char at[PH_UTC_MAX];
    if (st == PH_OK)
        st = ph_ctx_utc_now(ctx, at, err);
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "INSERT INTO loan_product (version, checksum, document, file, "
                              "loaded_at) VALUES (?, ?, ?, ?, ?)",
                              &s, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(s, 1, next, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 2, sum, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 3, text, (long)len, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 4, path, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(s, 5, at, -1, err);
    if (st == PH_OK && (st = ph_stmt_step(s, err)) == PH_DONE)
        st = PH_OK;
    ph_stmt_free(s);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    else if (ph_store_in_transaction(store))
        ph_store_rollback(store, NULL);
    ph_free(ctx, text);
    if (st == PH_OK && version != NULL)
        *version = next;
    return st;
}

ph_status loan_renewal_allowed(const ph_ctx *ctx, const loan_product *p, const renewal_facts *f,
                               int *allowed, ph_error *err)
{
    if (p->renewal[0] == '\0') {
        *allowed = 0;
        return PH_OK;
    }
    ph_expr *e = NULL;
    ph_status st = renewal_compile(ctx, p->renewal, p->name, &e, err);
    ph_value slots[R_COUNT];
    ph_decimal d;
    /* Counts of days, months and renewals are small: whole decimals exactly. */
    slots[R_DPD] = ph_value_decimal(f->dpd * PH_DECIMAL_ONE);
    slots[R_MONTHS] = ph_value_decimal(f->months_on_book * PH_DECIMAL_ONE);
    slots[R_RENEWALS] = ph_value_decimal(f->renewals * PH_DECIMAL_ONE);
    if (st == PH_OK && (st = ph_decimal_from_money(f->principal, &d, err)) == PH_OK)
        slots[R_PRINCIPAL] = ph_value_decimal(d);
    slots[R_CATEGORY] = ph_value_text(f->category);
    ph_value v;
    if (st == PH_OK)
        st = ph_expr_eval(e, slots, &v, err);
    if (st == PH_OK)
        *allowed = v.kind == PH_VALUE_BOOL && v.as.boolean;
    ph_expr_free(e);
    return st;
}
