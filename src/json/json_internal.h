/*
 * JSON through jansson, with errors in the one convention (private to the
 * library: json_t never appears in a public header).
 *
 * Values are jansson's json_t (include <jansson.h>); these functions add what
 * jansson leaves to the caller: load errors that name the file, line and
 * column, and typed getters whose errors name the member's path
 * ("policy.limits[2].cap") and say what type was expected.
 *
 * Allocation: json_t values are allocated by jansson through its own
 * allocator (malloc unless the embedding program calls
 * json_set_alloc_funcs), not through a ph_ctx; jansson offers no
 * per-call allocator. Everything else in puhui allocates through its ctx.
 */
#ifndef PH_JSON_INTERNAL_H
#define PH_JSON_INTERNAL_H

#include <jansson.h>

#include "puhui/common.h"
#include "puhui/money.h"
#include "puhui/rate.h"

/* Parse a whole file. The caller owns *out (json_decref). Duplicate object
 * keys are rejected: in a policy or a feed a second value silently winning is
 * a bug. */
ph_status pjson_load_file(const char *path, json_t **out, ph_error *err);

/* Parse text; `source` names it in errors (e.g. "request body"). */
ph_status pjson_load_text(const char *text, size_t len, const char *source, json_t **out,
                          ph_error *err);

/* Write `value` to `path` as indented UTF-8 JSON with sorted keys, ending in
 * a newline: the same value always gives the same bytes. The file is written
 * as PATH.tmp and renamed, so PATH is either the old file or the new one. */
ph_status pjson_save_file(const json_t *value, const char *path, ph_error *err);

/*
 * Typed getters on a member of an object. `path` names the object in errors
 * ("" or NULL for the top level); the member's full name is path.key.
 * pjson_get_* fail with PH_ENOTFOUND when the member is absent;
 * pjson_opt_* leave *out unchanged and return PH_OK when it is absent.
 * Both fail with PH_EINVAL when it has the wrong type or value.
 * Strings are borrowed from `object` and live as long as it does.
 */
ph_status pjson_get_object(const json_t *object, const char *path, const char *key, json_t **out,
                           ph_error *err);
ph_status pjson_get_array(const json_t *object, const char *path, const char *key, json_t **out,
                          ph_error *err);
ph_status pjson_get_string(const json_t *object, const char *path, const char *key,
                           const char **out, ph_error *err);
ph_status pjson_opt_string(const json_t *object, const char *path, const char *key,
                           const char **out, ph_error *err);
ph_status pjson_get_int(const json_t *object, const char *path, const char *key, int64_t *out,
                        ph_error *err);
ph_status pjson_opt_int(const json_t *object, const char *path, const char *key, int64_t *out,
                        ph_error *err);
ph_status pjson_get_bool(const json_t *object, const char *path, const char *key, int *out,
                         ph_error *err);
ph_status pjson_opt_bool(const json_t *object, const char *path, const char *key, int *out,
                         ph_error *err);

/* Every member of `obj` is one of `allowed` (NULL-terminated), else
 * PH_EINVAL naming the member as path.key: "unknown member (expected a, b,
 * c)". *unknown (when not NULL) points at the offending key, borrowed from
 * obj, for loaders that locate it in their text. The one check of the
 * loaders of policies' neighbours: subsidies, COB rules, risk-sharing
 * schemes, servicing products. */
ph_status pjson_check_members(const json_t *obj, const char *path, const char *const *allowed,
                              const char **unknown, ph_error *err);

/* "path.key", or "key" when path is NULL or "" (the top level): how errors
 * name a member. */
void pjson_member_name(const char *path, const char *key, char *buf, size_t size);
/* "an object", "an array", "a string", "an integer", "a real number",
 * "a boolean", "null": what a value is, for "expected X, got Y" messages. */
const char *pjson_type_name(const json_t *v);

/* s (NULL: "") as the inside of a JSON string - '"' and '\\' escaped with a
 * backslash, control bytes as \u00XX, every other byte as it is - into out,
 * cut before the first escaped piece that does not fit (cap >= 1): the text
 * fields of the canonical evidence leaves and event details that the voucher
 * and trade modules write by hand. */
void pjson_escape_into(char *out, size_t cap, const char *s);

/*
 * Money and rates are never read through a double. Money is a string in
 * yuan ("12345.67", "12,345.67") or an integer number of yuan; a JSON real
 * such as 12345.67 is accepted only when its shortest decimal form has at
 * most two decimal places. Rates must be strings ("3.85%", "385bp",
 * "0.0385"): a bare number could be a fraction or a percentage.
 */
ph_status pjson_get_money(const json_t *object, const char *path, const char *key, ph_money *out,
                          ph_error *err);
ph_status pjson_get_rate(const json_t *object, const char *path, const char *key, ph_rate *out,
                         ph_error *err);


/* Where a member is (json_locate.c). One step of a path: a member `key`, or
 * (key NULL) the element `index`. jansson keeps no positions for values, so
 * a loader that finds a bad value after parsing names its line by walking
 * the text along the path. */
typedef struct pjson_step {
    const char *key;
    size_t index;
} pjson_step;

/* Walk text[0..len) along path[0..n): 1 and the 1-based line and column of
 * the last step (a member's key, an element's first character), or 0 when
 * the path is not there (or a key is written with escapes). Keys are
 * compared byte for byte. n == 0 locates the top-level value. */
int pjson_locate(const char *text, size_t len, const pjson_step *path, size_t n,
                 uint64_t *line, uint64_t *column);

#endif /* PH_JSON_INTERNAL_H */
