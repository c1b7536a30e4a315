/*
 * The endpoint handlers' test fixture (tests/test_api_*.c): a copy of the
 * test platform that tests/http/platform.sh builds (the directory in
 * $PUHUI_TEST_PLATFORM_DIR, built by the ctest fixture "platform"), its names
 * (platform.env), a worker on that copy, and calls built by hand as the HTTP
 * core builds them: the route from the handlers' own table, the scope from
 * the real authz table (srv_authz_scope), path parameters, a query and a
 * JSON body.
 *
 * Why a stand-in worker: the server's worker (src/server/server.c) also owns
 * a libevent base and a thread, so this fixture defines srv_worker_store,
 * srv_worker_market and srv_worker_policies_changed itself, on the real
 * store and a real marketplace opened on it (ph_market_open), and counts the
 * policy changes. A test program links ph_test_support before the library,
 * so these definitions win and server.o is never pulled in; nothing a
 * handler test calls may live only in server.c.
 */
#ifndef PH_API_TEST_H
#define PH_API_TEST_H

#include <jansson.h>
#include <stdint.h>

#include "ph_test.h"
#include "puhui/store.h"
#include "server/api.h"

typedef struct api_fx {
    ph_ctx *ctx;
    char *dir;         /* this test's copy of the platform */
    ph_store *store;   /* on the copy; the worker's store */
    srv_worker *worker;
    /* the last call */
    srv_identity who;
    srv_call call;
    json_t *answer;    /* its answer, parsed (result or raw_json); NULL on an error */
    ph_error err;      /* its error */
} api_fx;

/* cmocka setup and teardown: a copy of the platform, or a NULL state when
 * $PUHUI_TEST_PLATFORM_DIR is not set (api_fx_get skips the test). */
int api_setup(void **state);
int api_teardown(void **state);

/* The fixture, or skip the test (with a message) when there is no platform. */
api_fx *api_fx_get(void **state);

/* A name from platform.env ("FIRM_A", "LENDER_B", ...); "" when absent. */
const char *api_name(const api_fx *f, const char *name);
/* A name from platform.env as an id ("DECISION_A"); fails the test when it is not one. */
int64_t api_id(const api_fx *f, const char *name);

/* Path parameters in pattern order: API_PARAMS("42"), API_PARAMS(name, "3"). */
#define API_PARAMS(...) ((const char *const[]){__VA_ARGS__, NULL})

/*
 * Call `method pattern` of `routes` as ROLE/TENANT would over HTTP: the
 * scope from the authz table (no row: the router refuses with 403 and the
 * handler is not called; PH_EDENIED is returned), path parameters (NULL-ended,
 * or NULL for none), the query as "a=1&b=2" (NULL: none; not decoded) and
 * the body as JSON text (NULL: none; parsed as the core does, kept raw too).
 * The handler's status is returned; its error is in f->err, its answer in
 * f->answer. With PUHUI_API_DUMP=FILE every answer is appended to FILE as a
 * JSON line {"method", "route", "status", "answer"}, for checking against
 * docs/openapi.json.
 */
ph_status api_call(api_fx *f, const srv_route *routes, srv_role role, const char *tenant,
                   const char *method, const char *pattern, const char *const *params,
                   const char *query, const char *body);

/* How many times a handler said that the active policies changed. */
int api_policies_changed(const api_fx *f);

/* Rows in `table` of the copy. */
int64_t api_count(api_fx *f, const char *table);

/* Members of an answer: fail the test when missing or of another type. */
const char *api_str(const json_t *o, const char *name);
int64_t api_int(const json_t *o, const char *name);

/* The ledger's trial balance sums to zero: every posting balanced. */
void api_assert_balanced(api_fx *f);

/* Expect a refusal as a missing row: 404, the call marked refused. */
#define api_assert_refused(st, f)                                                                 \
    do {                                                                                          \
        assert_int_equal((st), PH_ENOTFOUND);                                                     \
        assert_true((f)->call.refused[0] != '\0');                                                \
    } while (0)

/* Expect a bad request naming `field_name`. */
#define api_assert_bad(st, f, field_name)                                                         \
    do {                                                                                          \
        assert_int_equal((st), PH_EINVAL);                                                        \
        assert_string_equal((f)->err.field, (field_name));                                        \
    } while (0)

#endif
