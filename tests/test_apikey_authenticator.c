/* The API-key authenticator (src/apikey): the statement kept between checks
 * gives the same answers as ph_apikey_authenticate, sees a revocation made
 * after its statement was prepared, holds no read transaction between checks
 * (another connection can checkpoint the WAL fully), and is freed cleanly. */
#include "ph_test.h"

#include <stdlib.h>
#include <string.h>

#define DENIED "unknown, revoked or malformed API key"

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
    char firm[PH_USCC_LEN + 1];
    char other[PH_USCC_LEN + 1];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("apikey_auth", &fx->ctx, &fx->dir);
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "keys.db");
    ph_test_add_parties(fx->store, fx->firm, fx->other);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static void expect_denied(ph_apikey_authenticator *a, const char *key)
{
    ph_apikey_info info;
    memset(&info, 0x5a, sizeof(info));
    ph_error err;
    assert_int_equal(ph_apikey_authenticator_check(a, key, strlen(key), &info, &err), PH_EDENIED);
    assert_string_equal(err.detail, DENIED);
    assert_string_equal(err.field, "key");
    assert_int_equal(info.id, 0x5a5a5a5a5a5a5a5a); /* untouched */
}

static void test_same_answers_as_authenticate(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char key[PH_APIKEY_TEXT_MAX], key2[PH_APIKEY_TEXT_MAX];
    int64_t id = 0, id2 = 0;
    ph_assert_ok(ph_apikey_create(fx->store, PH_APIKEY_ENTERPRISE, fx->firm, "one", key, &id, &err),
                 &err);
    ph_assert_ok(ph_apikey_create(fx->store, PH_APIKEY_ADMIN, "", "two", key2, &id2, &err), &err);
    ph_apikey_authenticator *a = NULL;
    ph_assert_ok(ph_apikey_authenticator_new(fx->store, &a, &err), &err);
    for (int round = 0; round < 3; round++) { /* the kept statement, again and again */
        ph_apikey_info got, want;
        ph_assert_ok(ph_apikey_authenticator_check(a, key, strlen(key), &got, &err), &err);
        ph_assert_ok(ph_apikey_authenticate(fx->store, key, strlen(key), &want, &err), &err);
        assert_memory_equal(&got, &want, sizeof(got));
        assert_int_equal(got.id, id);
        assert_string_equal(got.tenant, fx->firm);
        ph_assert_ok(ph_apikey_authenticator_check(a, key2, strlen(key2), &got, &err), &err);
        assert_int_equal(got.id, id2);
        assert_int_equal(got.role, PH_APIKEY_ADMIN);
        char bad[PH_APIKEY_TEXT_MAX];
        memcpy(bad, key, sizeof(bad));
        size_t last = strlen(bad) - 1;
        bad[last] = bad[last] == '0' ? '1' : '0';
        expect_denied(a, bad);
        expect_denied(a, "phk_999_0000000000000000000000000000000000000000000000000000000000000000");
        expect_denied(a, "junk");
    }
    /* revoked after the statement was prepared: denied at the next check */
    ph_assert_ok(ph_apikey_revoke(fx->store, id, &err), &err);
    expect_denied(a, key);
    ph_apikey_info info;
    assert_int_equal(ph_apikey_authenticator_check(NULL, key, strlen(key), &info, &err),
                     PH_EMISUSE);
    assert_int_equal(ph_apikey_authenticator_check(a, NULL, 3, &info, &err), PH_EMISUSE);
    assert_int_equal(ph_apikey_authenticator_new(NULL, &a, &err), PH_EMISUSE);
    ph_apikey_authenticator_free(a);
    ph_apikey_authenticator_free(NULL);
}

/* Between checks the authenticator holds no read transaction: a second
 * connection writes and then checkpoints the WAL in full (TRUNCATE waits for
 * every reader, so a statement left stepped would make it report busy). */
static void test_no_read_transaction_between_checks(void **state)
{
    fixture *fx = *state;
    ph_error err;
    char key[PH_APIKEY_TEXT_MAX];
    int64_t id = 0;
    ph_assert_ok(ph_apikey_create(fx->store, PH_APIKEY_ENTERPRISE, fx->firm, "w", key, &id, &err),
                 &err);
    ph_apikey_authenticator *a = NULL;
    ph_assert_ok(ph_apikey_authenticator_new(fx->store, &a, &err), &err);
    ph_apikey_info info;
    ph_assert_ok(ph_apikey_authenticator_check(a, key, strlen(key), &info, &err), &err);
    char *path = ph_test_path(fx->dir, "keys.db");
    ph_store *other = NULL;
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &other, &err), &err);
    free(path);
    char key2[PH_APIKEY_TEXT_MAX];
    int64_t id2 = 0;
    ph_assert_ok(ph_apikey_create(other, PH_APIKEY_ADMIN, "", "x", key2, &id2, &err), &err);
    /* busy = column 0: 0 when the checkpoint ran to the end */
    assert_int_equal(ph_test_query_int(other, "PRAGMA wal_checkpoint(TRUNCATE)"), 0);
    ph_assert_ok(ph_apikey_authenticator_check(a, key2, strlen(key2), &info, &err), &err);
    assert_int_equal(info.id, id2);
    ph_store_free(other);
    ph_apikey_authenticator_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_same_answers_as_authenticate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_read_transaction_between_checks, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
