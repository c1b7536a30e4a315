/*
 * Risk-sharing schemes: reading the JSON document (include/puhui/riskshare.h
 * gives its shape and rules).
 *
 * A scheme decides who pays for a default, so every slip is an error that
 * names the file, the line and column, the member and the value: an unknown
 * party (a typo such as "guarentor") must not silently hand its share to the
 * bank, and shares that do not sum to 100% must not lose or invent money.
 */
#include "loan/share_internal.h"

#include <stdio.h>
#include <string.h>

#include "json/json_internal.h"

enum { MAX_DEPTH = 4, MAX_DPD = 3650 };

static const char *const TOP_MEMBERS[] = {"schemes", "default_trigger", NULL};
static const char *const SCHEME_MEMBERS[] = {"name", "shares", NULL};
static const char *const TRIGGER_MEMBERS[] = {"dpd", "write_off", NULL};

typedef struct loader {
    const char *text;
    size_t len;
    pjson_step path[MAX_DEPTH]; /* where the member being read is */
    size_t depth;
    ph_share_schemes *out;
} loader;

static void enter_key(loader *ld, size_t depth, const char *key)
{
    ld->path[depth].key = key;
    ld->path[depth].index = 0;
    ld->depth = depth + 1;
}

static void enter_index(loader *ld, size_t depth, size_t index)
{
    ld->path[depth].key = NULL;
    ld->path[depth].index = index;
    ld->depth = depth + 1;
}

/* The error's line and column: of the deepest step of the path that the text
 * has (a missing member is shown at its object). */
static void locate(const loader *ld, const char *source, ph_error *err)
{
    uint64_t line = 0, column = 0;
    for (size_t n = ld->depth + 1; n-- > 0;)
        if (pjson_locate(ld->text, ld->len, ld->path, n, &line, &column))
            break;
    ph_error_locate(err, source, line, column);
}

/* pjson_check_members, then the unknown key located in the text. */
static ph_status check_members(const json_t *obj, const char *const *allowed, const char *path,
                               loader *ld, size_t depth, ph_error *err)
{
    const char *unknown = NULL;
    ph_status st = pjson_check_members(obj, path, allowed, &unknown, err);
    if (st != PH_OK && unknown != NULL)
        enter_key(ld, depth, unknown);
    return st;
}

/* ---- one scheme ------------------------------------------------------------------- */

static ph_status read_name(loader *ld, size_t i, const json_t *item, const char *path,
                           ph_share_scheme *scheme, ph_error *err)
{
    enter_key(ld, 2, "name");
    const char *name = NULL;
    char field[PH_ERROR_FIELD_MAX];
    pjson_member_name(path, "name", field, sizeof(field));
    ph_status st = pjson_get_string(item, path, "name", &name, err);
    if (st != PH_OK)
        return st;
    size_t len = json_string_length(json_object_get(item, "name"));
    if (len == 0 || len > PH_SHARE_NAME_MAX || strlen(name) != len)
        return ph_error_setn(err, PH_EINVAL, field, name, len,
                             "expected a scheme name of 1 to %d bytes without NUL",
                             PH_SHARE_NAME_MAX);
    for (size_t k = 0; k < i; k++)
        if (strcmp(ld->out->items[k].name, name) == 0)
            return ph_error_set(err, PH_EINVAL, field, name,
                                "expected a unique name: schemes[%zu] has it already", k);
    memcpy(scheme->name, name, len + 1);
    return PH_OK;
}

static ph_status read_shares(loader *ld, const json_t *item, const char *path,
                             ph_share_scheme *scheme, ph_error *err)
{
    enter_key(ld, 2, "shares");
    char spath[PH_ERROR_FIELD_MAX], field[PH_ERROR_FIELD_MAX], text[32];
    pjson_member_name(path, "shares", spath, sizeof(spath));
    json_t *shares = NULL;
    ph_status st = pjson_get_object(item, path, "shares", &shares, err);
    if (st != PH_OK)
        return st;
    if (json_object_size(shares) == 0)
        return ph_error_set(err, PH_EINVAL, spath, NULL,
                            "expected at least one party's share, e.g. {\"bank\": 10000}");
    const char *key;
    json_t *value;
    int64_t sum = 0;
    const char *last = NULL;
    json_object_foreach(shares, key, value) {
        enter_key(ld, 3, key);
        pjson_member_name(spath, key, field, sizeof(field));
        ph_share_party party;
        if (!share_scheme_party(key, &party))
            return ph_error_set(err, PH_EINVAL, field, NULL,
                                strcmp(key, "pool") == 0
                                    ? "a pool is not a party of a scheme: its share comes from "
                                      "the loan's pool (expected bank, guarantor, reguarantor "
                                      "or government)"
                                    : "unknown party (expected bank, guarantor, reguarantor "
                                      "or government)");
        int64_t bp;
        st = pjson_get_int(shares, spath, key, &bp, err);
        if (st != PH_OK)
            return st;
        if (bp < 0 || bp > PH_SHARE_BP_ONE) {
            snprintf(text, sizeof(text), "%lld", (long long)bp);
            return ph_error_set(err, PH_EINVAL, field, text,
                                "expected a share in basis points from 0 to 10000");
        }
        scheme->bp[party] = (int32_t)bp;
        sum += bp;
        last = key;
    }
    if (sum != PH_SHARE_BP_ONE) {
        /* Shown at the last share, the one that made the sum what it is. */
        pjson_member_name(spath, last, field, sizeof(field));
        json_t *v = json_object_get(shares, last);
        snprintf(text, sizeof(text), "%lld", (long long)json_integer_value(v));
        return ph_error_set(err, PH_EINVAL, field, text,
                            "expected shares that sum to 10000 bp (100%%), found %lld bp",
                            (long long)sum);
    }
    return PH_OK;
}

static ph_status read_scheme(loader *ld, size_t i, const json_t *item, ph_error *err)
{
    char path[32];
    snprintf(path, sizeof(path), "schemes[%zu]", i);
    enter_index(ld, 1, i);
    if (!json_is_object(item))
        return ph_error_set(err, PH_EINVAL, path, NULL,
                            "expected an object with name and shares, found %s",
                            pjson_type_name(item));
    ph_share_scheme *scheme = &ld->out->items[i];
    ph_status st = check_members(item, SCHEME_MEMBERS, path, ld, 2, err);
    if (st == PH_OK)
        st = read_name(ld, i, item, path, scheme, err);
    if (st == PH_OK)
        st = read_shares(ld, item, path, scheme, err);
    return st;
}

/* ---- the document ------------------------------------------------------------------ */

static ph_status read_schemes(loader *ld, const json_t *root, ph_error *err)
{
    enter_key(ld, 0, "schemes");
    json_t *arr = NULL;
    ph_status st = pjson_get_array(root, "", "schemes", &arr, err);
    if (st != PH_OK)
        return st;
    size_t n = json_array_size(arr);
    if (n == 0 || n > PH_SHARE_MAX_SCHEMES)
        return ph_error_set(err, PH_EINVAL, "schemes", NULL,
                            "expected 1 to %d schemes, found %zu", PH_SHARE_MAX_SCHEMES, n);
    ld->out->items = ph_calloc(ld->out->ctx, n, sizeof(*ld->out->items));
    if (ld->out->items == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    for (size_t i = 0; i < n; i++) {
        st = read_scheme(ld, i, json_array_get(arr, i), err);
        if (st != PH_OK)
            return st;
        ld->out->n = i + 1;
    }
    return PH_OK;
}

static ph_status read_trigger(loader *ld, const json_t *root, ph_error *err)
{
    if (json_object_get(root, "default_trigger") == NULL)
        return PH_OK; /* the defaults: 90 days past due, or a write-off */
    enter_key(ld, 0, "default_trigger");
    json_t *t = NULL;
    ph_status st = pjson_get_object(root, "", "default_trigger", &t, err);
    if (st == PH_OK)
        st = check_members(t, TRIGGER_MEMBERS, "default_trigger", ld, 1, err);
    if (st != PH_OK)
        return st;
    int64_t dpd = 0;
    enter_key(ld, 1, "dpd");
    st = pjson_opt_int(t, "default_trigger", "dpd", &dpd, err);
    if (st != PH_OK)
        return st;
    if (json_object_get(t, "dpd") != NULL && (dpd < 1 || dpd > MAX_DPD)) {
        char text[32];
        snprintf(text, sizeof(text), "%lld", (long long)dpd);
        return ph_error_set(err, PH_EINVAL, "default_trigger.dpd", text,
                            "expected days past due from 1 to %d", MAX_DPD);
    }
    int write_off = 1;
    enter_key(ld, 1, "write_off");
    st = pjson_opt_bool(t, "default_trigger", "write_off", &write_off, err);
    if (st != PH_OK)
        return st;
    if (dpd == 0 && !write_off) {
        ld->depth = 1;
        return ph_error_set(err, PH_EINVAL, "default_trigger", NULL,
                            "expected dpd, or write_off true: nothing would ever trigger the "
                            "sharing of a loss");
    }
    ld->out->default_dpd = (int32_t)dpd;
    ld->out->on_write_off = write_off;
    return PH_OK;
}

static ph_status read_document(loader *ld, const json_t *root, ph_error *err)
{
    ld->depth = 0;
    if (!json_is_object(root))
        return ph_error_set(err, PH_EINVAL, NULL, NULL,
                            "expected a JSON object with \"schemes\" (risk-sharing schemes), "
                            "found %s",
                            pjson_type_name(root));
    ph_status st = check_members(root, TOP_MEMBERS, "", ld, 0, err);
    if (st == PH_OK)
        st = read_schemes(ld, root, err);
    if (st == PH_OK)
        st = read_trigger(ld, root, err);
    return st;
}

ph_status ph_share_schemes_load_text(const ph_ctx *ctx, const char *text, size_t len,
                                     const char *source, ph_share_schemes **out, ph_error *err)
{
    if (ctx == NULL || text == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_share_schemes_load_text: NULL argument");
    if (source == NULL)
        source = "risk-sharing schemes";
    json_t *root;
    ph_status st = pjson_load_text(text, len, source, &root, err);
    if (st != PH_OK)
        return st;
    loader ld = {.text = text, .len = len};
    st = share_schemes_new(ctx, 0, &ld.out, err);
    if (st == PH_OK) {
        st = read_document(&ld, root, err);
        if (st != PH_OK) {
            locate(&ld, source, err);
            ph_share_schemes_free(ld.out);
        }
    }
    json_decref(root);
    if (st == PH_OK)
        *out = ld.out;
    return st;
}

ph_status ph_share_schemes_load_file(const ph_ctx *ctx, const char *path, ph_share_schemes **out,
                                     ph_error *err)
{
    if (ctx == NULL || path == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_share_schemes_load_file: NULL argument");
    char *text = NULL;
    size_t len = 0;
    ph_status st = ph_read_file(ctx, path, "risk-sharing schemes", &text, &len, err);
    if (st != PH_OK)
        return st;
    st = ph_share_schemes_load_text(ctx, text != NULL ? text : "", len, path, out, err);
    ph_free(ctx, text);
    return st;
}
