/*
 * Path and query parameters as the application, decision, appeal, consent
 * and access-log handlers read them (api_applications.c, api_consents.c):
 * each refusal is PH_EINVAL naming the parameter and its value, so the
 * client gets a 400 that says what to fix.
 */
#ifndef PUHUI_SERVER_API_QUERY_H
#define PUHUI_SERVER_API_QUERY_H

#include "api.h"
#include "puhui/date.h"

#define SRV_PAGE_DEFAULT 50
#define SRV_PAGE_MAX 500

/* Path parameter `i` (named `name`) as a positive integer id. */
ph_status srv_path_id(const srv_call *call, size_t i, const char *name, int64_t *out,
                      ph_error *err);

/* ?limit= (1..SRV_PAGE_MAX, default SRV_PAGE_DEFAULT) and ?after= (a positive
 * id; 0 when absent). */
ph_status srv_query_page(const srv_call *call, int64_t *limit, int64_t *after, ph_error *err);

/* ?name=YYYY-MM-DD, or 0 when absent. */
ph_status srv_query_date(const srv_call *call, const char *name, ph_date *out, ph_error *err);

/* ?name=true|false: 1 / 0, or -1 when absent. */
ph_status srv_query_flag(const srv_call *call, const char *name, int *out, ph_error *err);

/* "next" of a list page: the last id when the page is full, else null. */
json_t *srv_page_next(size_t n_items, int64_t limit, int64_t last_id);

/* An integer, or null when `present` is 0. */
json_t *srv_json_int_or_null(int present, int64_t v);

#endif
