/*
 * Path and query parameters read for the handlers (api_query.h).
 */
#include "api_query.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A positive decimal integer, whole: no sign, no spaces, no trailing text. */
static int parse_id(const char *s, int64_t *out)
{
    if (s == NULL || *s < '1' || *s > '9')
        return 0;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0' || v <= 0)
        return 0;
    *out = (int64_t)v;
    return 1;
}

ph_status srv_path_id(const srv_call *call, size_t i, const char *name, int64_t *out,
                      ph_error *err)
{
    const char *s = i < call->n_params ? call->params[i] : NULL;
    if (!parse_id(s, out))
        return ph_error_set(err, PH_EINVAL, name, s ? s : "",
                            "expected a positive integer id in the path");
    return PH_OK;
}

ph_status srv_query_page(const srv_call *call, int64_t *limit, int64_t *after, ph_error *err)
{
    const char *l = srv_query(call, "limit");
    const char *a = srv_query(call, "after");
    *limit = SRV_PAGE_DEFAULT;
    *after = 0;
    if (l != NULL && (!parse_id(l, limit) || *limit > SRV_PAGE_MAX))
        return ph_error_set(err, PH_EINVAL, "limit", l, "expected a whole number from 1 to %d",
                            SRV_PAGE_MAX);
    if (a != NULL && !parse_id(a, after))
        return ph_error_set(err, PH_EINVAL, "after", a,
                            "expected the positive id of the last item of the previous page");
    return PH_OK;
}

ph_status srv_query_date(const srv_call *call, const char *name, ph_date *out, ph_error *err)
{
    const char *s = srv_query(call, name);
    *out = 0;
    if (s == NULL)
        return PH_OK;
    ph_status st = ph_date_parse(s, strlen(s), out, err);
    if (st != PH_OK)
        ph_error_set_field(err, name);
    return st;
}

ph_status srv_query_flag(const srv_call *call, const char *name, int *out, ph_error *err)
{
    const char *s = srv_query(call, name);
    *out = -1;
    if (s == NULL)
        return PH_OK;
    if (strcmp(s, "true") == 0)
        *out = 1;
    else if (strcmp(s, "false") == 0)
        *out = 0;
    else
        return ph_error_set(err, PH_EINVAL, name, s, "expected true or false");
    return PH_OK;
}

json_t *srv_page_next(size_t n_items, int64_t limit, int64_t last_id)
{
    return limit > 0 && n_items == (size_t)limit ? json_integer(last_id) : json_null();
}

json_t *srv_json_int_or_null(int present, int64_t v)
{
    return present ? json_integer(v) : json_null();
}
