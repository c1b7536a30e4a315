/*
 * The handlers' private helpers (api_query.h).
 */
#include "api_query.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

ph_store *srv_store(const srv_call *call)
{
    return srv_worker_store(call->worker);
}

ph_status srv_nomem(ph_error *err)
{
    return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory building the answer");
}

/* A positive decimal integer, whole: no sign, no leading zero, no spaces, no
 * trailing text. */
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

const char *srv_path_text(const srv_call *call, size_t i)
{
    return i < call->n_params && call->params[i] != NULL ? call->params[i] : "";
}

ph_status srv_path_id(const srv_call *call, size_t i, const char *name, int64_t *out,
                      ph_error *err)
{
    const char *s = srv_path_text(call, i);
    if (!parse_id(s, out))
        return ph_error_set(err, PH_EINVAL, name, s,
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
                            "expected the positive id of the last item of the previous page "
                            "(its \"next\")");
    return PH_OK;
}

ph_status srv_query_date(const srv_call *call, const char *name, ph_date *out, ph_error *err)
{
    const char *s = srv_query(call, name);
    if (s == NULL)
        return PH_OK;
    ph_date d = 0;
    ph_status st = ph_date_parse(s, strlen(s), &d, err);
    if (st != PH_OK) {
        ph_error_set_field(err, name);
        return st;
    }
    *out = d;
    return PH_OK;
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

ph_status srv_body_empty(const srv_call *call, ph_error *err)
{
    static const char *const none[] = {NULL};
    return call->body == NULL && call->body_len == 0 ? PH_OK : srv_body_check(call, none, err);
}

int64_t srv_page_next(size_t n_items, int64_t limit, int64_t last_id)
{
    return limit > 0 && n_items == (size_t)limit ? last_id : 0;
}

json_t *srv_list_json(json_t *items, int64_t next)
{
    return json_pack("{s:o, s:o}", "items", items, "next",
                     next > 0 ? json_integer(next) : json_null());
}

ph_status srv_answer_list(srv_call *call, ph_status st, json_t *items, int64_t next,
                          ph_error *err)
{
    if (st != PH_OK && st != PH_DONE) {
        json_decref(items);
        return st;
    }
    call->result = srv_list_json(items, next);
    return call->result ? PH_OK : srv_nomem(err);
}

json_t *srv_json_int_or_null(int present, int64_t v)
{
    return present ? json_integer(v) : json_null();
}

json_t *srv_json_date(ph_date day)
{
    char buf[PH_DATE_FORMAT_MAX];
    if (day == 0 || ph_date_format(day, buf, sizeof(buf), NULL) != PH_OK)
        return json_null();
    return json_string(buf);
}

json_t *srv_json_text_or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

srv_id_text srv_id_string(int64_t id)
{
    srv_id_text t;
    snprintf(t.s, sizeof(t.s), "%lld", (long long)id);
    return t;
}

json_t *srv_json_number_or_null(double x)
{
    return isnan(x) ? json_null() : json_real(x);
}

ph_status srv_refuse_id(srv_call *call, ph_error *err, const char *field, int64_t id)
{
    srv_id_text v = srv_id_string(id);
    return srv_refuse(call, err, field, v.s, "no %s %s", field, v.s);
}
