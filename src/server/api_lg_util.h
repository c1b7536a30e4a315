/*
 * Small helpers shared by the loan and governance handlers (api_loans.c,
 * api_governance.c): the store, path ids, paging, dates in and out. Private
 * to src/server; the contract's own helpers are in api.h.
 */
#ifndef PUHUI_SERVER_API_LG_UTIL_H
#define PUHUI_SERVER_API_LG_UTIL_H

#include "api.h"
#include "puhui/date.h"

/* The calling worker's store connection. */
ph_store *lg_store(const srv_call *call);

/* PH_ENOMEM with the usual words. */
ph_status lg_nomem(ph_error *err);

/* PH_EINVAL naming `field`, the integer `value` and what was `expected`. */
ph_status lg_bad_int(ph_error *err, const char *field, int64_t value, const char *expected);

/* Path parameter `index` as an id >= 1; PH_EINVAL naming `field` otherwise. */
ph_status lg_path_id(const srv_call *call, size_t index, const char *field, int64_t *out,
                     ph_error *err);

/* Path parameter `index` as text (never NULL: "" when absent). */
const char *lg_path_text(const srv_call *call, size_t index);

/* ?limit (1..500, default 50) and ?after (an id >= 0, default 0). */
#define LG_LIMIT_DEFAULT 50
#define LG_LIMIT_MAX 500
ph_status lg_page_args(const srv_call *call, int64_t *limit, int64_t *after, ph_error *err);

/* {"items": items, "next": next or null}; steals items. NULL when out of memory. */
json_t *lg_list_json(json_t *items, int64_t next);

/* ?NAME as a date ("YYYY-MM-DD") into *out; *out is left as is when absent.
 * PH_EINVAL naming NAME and its value otherwise. */
ph_status lg_query_date(const srv_call *call, const char *name, ph_date *out, ph_error *err);

/* "YYYY-MM-DD", or null for day 0. */
json_t *lg_date_json(ph_date day);

#endif
