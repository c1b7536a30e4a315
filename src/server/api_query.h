/*
 * The handlers' private helpers beyond the contract's own (api.h, api_util.c):
 * the worker's store, path and query parameters, list pages and a few JSON
 * values, shared by every api_*.c file. Each refusal of a parameter is
 * PH_EINVAL (or the date parser's PH_ERANGE) naming the parameter and its
 * value, so the client gets a 400 that says what to fix.
 */
#ifndef PUHUI_SERVER_API_QUERY_H
#define PUHUI_SERVER_API_QUERY_H

#include "api.h"
#include "puhui/date.h"

#define SRV_PAGE_DEFAULT 50
#define SRV_PAGE_MAX 500

/* The calling worker's store connection. */
ph_store *srv_store(const srv_call *call);

/* PH_ENOMEM with the usual words. Returns PH_ENOMEM. */
ph_status srv_nomem(ph_error *err);

/* Path parameter `i` as text (never NULL: "" when absent). */
const char *srv_path_text(const srv_call *call, size_t i);

/* Path parameter `i` (named `name`) as a positive integer id. */
ph_status srv_path_id(const srv_call *call, size_t i, const char *name, int64_t *out,
                      ph_error *err);

/* ?limit= (1..SRV_PAGE_MAX, default SRV_PAGE_DEFAULT) and ?after= (a positive
 * id, the previous page's "next"; 0 when absent). */
ph_status srv_query_page(const srv_call *call, int64_t *limit, int64_t *after, ph_error *err);

/* ?name=YYYY-MM-DD into *out; *out is left as it is when absent. A bad date
 * is the date parser's error, naming `name`. */
ph_status srv_query_date(const srv_call *call, const char *name, ph_date *out, ph_error *err);

/* ?name=true|false: 1 / 0, or -1 when absent. */
ph_status srv_query_flag(const srv_call *call, const char *name, int *out, ph_error *err);

/* A POST whose body may be {} or absent: no member is allowed. */
ph_status srv_body_empty(const srv_call *call, ph_error *err);

/* The "next" cursor of a list page read by walking: the last id when the page
 * is full (`n_items` == `limit`), else 0. */
int64_t srv_page_next(size_t n_items, int64_t limit, int64_t last_id);

/* {"items": items, "next": next, or null when 0}; steals items (also on
 * failure). NULL when out of memory. */
json_t *srv_list_json(json_t *items, int64_t next);

/* Answer a list read that ended with `st`: on PH_OK (or PH_DONE, a walk
 * stopped at a full page) call->result is srv_list_json(items, next);
 * otherwise items is freed. Returns `st`, PH_OK for PH_DONE, or PH_ENOMEM. */
ph_status srv_answer_list(srv_call *call, ph_status st, json_t *items, int64_t next,
                          ph_error *err);

/* An integer, or null when `present` is 0. */
json_t *srv_json_int_or_null(int present, int64_t v);

/* "YYYY-MM-DD", or null for day 0 (no date). */
json_t *srv_json_date(ph_date day);

/* A string, or null when NULL or "". */
json_t *srv_json_text_or_null(const char *s);

/* A number, or null when NaN (not known). */
json_t *srv_json_number_or_null(double x);

/*
 * The library names its own fields ("expires_on", an institution that is
 * "not found"); a problem document names the request's member and echoes the
 * value as the client sent it. One row per library field a handler's library
 * call may name: `field` (with `code`, or any code when 0) becomes `member`,
 * answered with `answer` (the library's code when 0). Ended by a row of NULL.
 */
typedef struct srv_member_map {
    const char *field;   /* the library's field */
    ph_status code;      /* the library's status this row applies to; 0: any */
    const char *member;  /* the request's member: a body member or a query parameter */
    ph_status answer;    /* the status to answer with; 0: the library's */
} srv_member_map;

/* Apply `map` to the error of a library call that returned `st` (PH_OK and
 * fields not in the map pass unchanged); the member's value is the client's
 * text (a string member's characters, another member's JSON, a query
 * parameter's decoded value). Returns the status to answer with. */
ph_status srv_name_member(const srv_call *call, ph_status st, const srv_member_map *map,
                          ph_error *err);

/*
 * The query parameters a route takes, as data beside its handler (a
 * NULL-ended list; NULL: none): a parameter not in `known` is PH_EINVAL
 * naming it, with its value, and listing the known ones. Each handler calls
 * it first, so that a misspelt ?limt=5 is not silently ignored.
 */
ph_status srv_query_check(const srv_call *call, const char *const *known, ph_error *err);

/* srv_refuse (api.h) of row `id` named `field`, with the words of a missing
 * row: "no decision 42". */
ph_status srv_refuse_id(srv_call *call, ph_error *err, const char *field, int64_t id);

/* The row id `id` as text, for an error's value ("42"). */
typedef struct srv_id_text {
    char s[24];
} srv_id_text;
srv_id_text srv_id_string(int64_t id);

#endif
