/*
 * Helpers of the loan and governance handlers (api_lg_util.h).
 */
#include "api_lg_util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ph_store *lg_store(const srv_call *call)
{
    return srv_worker_store(call->worker);
}

ph_status lg_nomem(ph_error *err)
{
    return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
}

ph_status lg_bad_int(ph_error *err, const char *field, int64_t value, const char *expected)
{
    char v[24];
    snprintf(v, sizeof(v), "%lld", (long long)value);
    return ph_error_set(err, PH_EINVAL, field, v, "expected %s", expected);
}

/* Decimal digits only, no sign, no spaces: "42". */
static int parse_id_text(const char *s, int64_t *out)
{
    if (s == NULL || *s == '\0' || strlen(s) > 18)
        return 0;
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return 0;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return 1;
}

const char *lg_path_text(const srv_call *call, size_t index)
{
    return index < call->n_params && call->params[index] ? call->params[index] : "";
}

ph_status lg_path_id(const srv_call *call, size_t index, const char *field, int64_t *out,
                     ph_error *err)
{
    const char *s = lg_path_text(call, index);
    int64_t v = 0;
    if (!parse_id_text(s, &v) || v < 1)
        return ph_error_set(err, PH_EINVAL, field, s, "expected an id: a whole number, 1 or more");
    *out = v;
    return PH_OK;
}

ph_status lg_page_args(const srv_call *call, int64_t *limit, int64_t *after, ph_error *err)
{
    const char *l = srv_query(call, "limit"), *a = srv_query(call, "after");
    *limit = LG_LIMIT_DEFAULT;
    *after = 0;
    if (l != NULL && (!parse_id_text(l, limit) || *limit < 1 || *limit > LG_LIMIT_MAX))
        return ph_error_set(err, PH_EINVAL, "limit", l, "expected a whole number from 1 to %d",
                            LG_LIMIT_MAX);
    if (a != NULL && !parse_id_text(a, after))
        return ph_error_set(err, PH_EINVAL, "after", a,
                            "expected an id (the previous page's \"next\")");
    return PH_OK;
}

json_t *lg_list_json(json_t *items, int64_t next)
{
    return json_pack("{s:o, s:o}", "items", items, "next",
                     next > 0 ? json_integer(next) : json_null());
}

ph_status lg_query_date(const srv_call *call, const char *name, ph_date *out, ph_error *err)
{
    const char *s = srv_query(call, name);
    if (s == NULL)
        return PH_OK;
    ph_date d = 0;
    ph_status st = ph_date_parse(s, strlen(s), &d, err);
    if (st != PH_OK)
        return ph_error_set(err, PH_EINVAL, name, s, "expected a date, YYYY-MM-DD");
    *out = d;
    return PH_OK;
}

json_t *lg_date_json(ph_date day)
{
    char buf[PH_DATE_FORMAT_MAX];
    if (day == 0 || ph_date_format(day, buf, sizeof(buf), NULL) != PH_OK)
        return json_null();
    return json_string(buf);
}
