/* Lender policies in the store (src/decide/policy_store.c): loading exact
 * bytes once per version, idempotent and conflicting reloads, the active
 * version, reading back with the checksum re-checked, listing. */
#include "ph_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LENDER "91370000MA3C5EXAMPLE (illustrative city commercial bank)"
#define NAME "inclusive working-capital loan"

typedef struct fixture {
    char *dir;
    ph_ctx *ctx;
    ph_store *store;
    char *brief;      /* the reference policy, version 3 */
    char *brief_text; /* its bytes, NUL-terminated */
} fixture;

static char *replace_once(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    size_t head = (size_t)(at - text), from_len = strlen(from), to_len = strlen(to);
    char *out = malloc(strlen(text) - from_len + to_len + 1);
    assert_non_null(out);
    memcpy(out, text, head);
    memcpy(out + head, to, to_len);
    strcpy(out + head + to_len, at + from_len);
    return out;
}

/* Write a variant of the reference policy to DIR/NAME; the caller frees the path. */
static char *variant(fixture *fx, const char *file, const char *from, const char *to)
{
    char *text = replace_once(fx->brief_text, from, to);
    char *path = ph_test_path(fx->dir, file);
    ph_test_write_file(path, text);
    free(text);
    return path;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    assert_non_null(fx);
    ph_test_env_open("policy_store", &fx->ctx, &fx->dir);
    ph_error err;
    ph_error_clear(&err);
    fx->brief = ph_test_fixture("policies/brief_bank.json");
    char *data = NULL;
    size_t len = 0;
    ph_assert_ok(ph_read_file(fx->ctx, fx->brief, NULL, &data, &len, &err), &err);
    fx->brief_text = malloc(len + 1);
    assert_non_null(fx->brief_text);
    memcpy(fx->brief_text, data, len);
    fx->brief_text[len] = '\0';
    ph_free(fx->ctx, data);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    free(fx->brief);
    free(fx->brief_text);
    ph_test_env_close(fx->ctx, fx->dir);
    free(fx);
    return 0;
}

static int fresh(void **state)
{
    fixture *fx = *state;
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "policy.db");
    return 0;
}

static int close_db(void **state)
{
    fixture *fx = *state;
    ph_store_free(fx->store);
    fx->store = NULL;
    return 0;
}

static void test_load_and_reload(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_policy_entry *e = NULL;
    ph_assert_ok(ph_policy_store_load(fx->store, fx->brief, 0, &e, &err), &err);
    assert_string_equal(err.message, ""); /* a new version is no error, not even in passing */
    assert_string_equal(e->lender, LENDER);
    assert_string_equal(e->name, NAME);
    assert_int_equal(e->version, 3);
    assert_int_equal(e->stored, 1);
    assert_int_equal(e->active, 0);
    assert_int_equal(e->size, strlen(fx->brief_text));
    assert_string_equal(e->file, "brief_bank.json");
    char checksum[PH_CHECKSUM_HEX];
    ph_checksum_hex(fx->brief_text, strlen(fx->brief_text), checksum);
    assert_string_equal(e->checksum, checksum);
    assert_int_equal(strlen(e->loaded_at), 20);
    ph_policy_entry_free(e);

    /* the same bytes again: nothing stored, reported as such */
    ph_assert_ok(ph_policy_store_load(fx->store, fx->brief, 0, &e, &err), &err);
    assert_int_equal(e->stored, 0);
    assert_int_equal(e->version, 3);
    ph_policy_entry_free(e);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM policy"), 1);

    /* other bytes under the same version: refused, naming both checksums */
    char *changed = variant(fx, "changed.json", "\"0.85%\"", "\"0.95%\"");
    char other[PH_CHECKSUM_HEX], expected[1024];
    char *text = replace_once(fx->brief_text, "\"0.85%\"", "\"0.95%\"");
    ph_checksum_hex(text, strlen(text), other);
    free(text);
    snprintf(expected, sizeof(expected),
             "field version, value '3': policy " LENDER " / " NAME
             " version 3 is already loaded with checksum %.12s..., this file's is %.12s... "
             "(a loaded version never changes, so that decisions can be replayed: give the "
             "new rules a new version)",
             checksum, other);
    e = NULL;
    ph_assert_error(ph_policy_store_load(fx->store, changed, 1, &e, &err), PH_EEXISTS, &err,
                    NULL);
    assert_string_equal(err.message, expected);
    assert_null(e);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM policy"), 1);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM policy WHERE active"),
                     0);
    free(changed);
}

static void test_activate_and_get(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_policy *p = NULL;
    ph_policy_entry *e = NULL;
    ph_assert_ok(ph_policy_store_load(fx->store, fx->brief, 0, NULL, &err), &err);
    /* nothing active yet */
    ph_assert_error(ph_policy_store_get(fx->store, LENDER, NAME, 0, &p, NULL, &err),
                    PH_ENOTFOUND, &err,
                    "lender " LENDER " has no active version of policy " NAME);
    assert_null(p);
    ph_assert_ok(ph_policy_store_activate(fx->store, LENDER, NAME, 3, &err), &err);
    ph_assert_ok(ph_policy_store_get(fx->store, LENDER, NAME, 0, &p, &e, &err), &err);
    assert_int_equal(ph_policy_version(p), 3);
    assert_string_equal(ph_policy_lender(p), LENDER);
    assert_int_equal(e->active, 1);
    assert_int_equal(e->version, 3);
    ph_policy_free(p);
    ph_policy_entry_free(e);

    /* version 4, loaded with --activate, takes over */
    char *v4 = variant(fx, "v4.json", "\"version\": 3", "\"version\": 4");
    ph_assert_ok(ph_policy_store_load(fx->store, v4, 1, &e, &err), &err);
    assert_int_equal(e->version, 4);
    assert_int_equal(e->active, 1);
    assert_int_equal(e->stored, 1);
    ph_policy_entry_free(e);
    ph_assert_ok(ph_policy_store_get(fx->store, LENDER, NAME, 0, &p, NULL, &err), &err);
    assert_int_equal(ph_policy_version(p), 4);
    ph_policy_free(p);
    /* a specific version, active or not */
    ph_assert_ok(ph_policy_store_get(fx->store, LENDER, NAME, 3, &p, &e, &err), &err);
    assert_int_equal(ph_policy_version(p), 3);
    assert_int_equal(e->active, 0);
    ph_policy_free(p);
    ph_policy_entry_free(e);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM policy WHERE active"),
                     1);
    /* back to 3 */
    ph_assert_ok(ph_policy_store_activate(fx->store, LENDER, NAME, 3, &err), &err);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT version FROM policy WHERE active"), 3);
    /* activating again is harmless */
    ph_assert_ok(ph_policy_store_activate(fx->store, LENDER, NAME, 3, &err), &err);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT version FROM policy WHERE active"), 3);

    ph_assert_error(ph_policy_store_activate(fx->store, LENDER, NAME, 9, &err), PH_ENOTFOUND,
                    &err, "field version, value '9': policy " LENDER " / " NAME
                          " has no version 9 loaded (see `puhui policy list`)");
    ph_assert_error(ph_policy_store_get(fx->store, LENDER, "other", 2, &p, NULL, &err),
                    PH_ENOTFOUND, &err, "policy " LENDER " / other has no version 2 loaded");
    ph_assert_error(ph_policy_store_activate(fx->store, LENDER, NAME, 0, &err), PH_EINVAL,
                    &err, "field version, value '0': expected a version of 1 or more");
    ph_assert_error(ph_policy_store_get(fx->store, LENDER, NAME, -1, &p, NULL, &err),
                    PH_EINVAL, &err, "value '-1': expected a version of 1 or more (0: the active");
    ph_assert_error(ph_policy_store_get(fx->store, LENDER, NAME, 3, NULL, NULL, &err),
                    PH_EMISUSE, &err, "policy and entry are both NULL");
    ph_assert_error(ph_policy_store_activate(fx->store, NULL, NAME, 3, &err), PH_EMISUSE, &err,
                    "store, lender and name must not be NULL");
    free(v4);
}

static void test_failing_policy_is_not_stored(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_policy_entry *e = NULL;
    char *bad = variant(fx, "bad.json", "\"lender\"", "\"lendr\"");
    char needle[1024];
    snprintf(needle, sizeof(needle), "%s: unknown member 'lendr'", bad);
    ph_assert_error(ph_policy_store_load(fx->store, bad, 1, &e, &err), PH_EINVAL, &err, needle);
    assert_null(e);
    free(bad);
    /* the loader's located error comes through unchanged */
    char *cell = variant(fx, "cell.json", "\"version\": 3", "\"version\": \"three\"");
    ph_policy *direct = NULL;
    ph_error expected;
    ph_error_clear(&expected);
    assert_int_not_equal(ph_policy_load_file(fx->ctx, cell, &direct, &expected), PH_OK);
    ph_status st = ph_policy_store_load(fx->store, cell, 0, &e, &err);
    assert_int_equal(st, expected.code);
    assert_string_equal(err.message, expected.message);
    assert_null(direct);
    free(cell);
    char *missing = ph_test_path(fx->dir, "missing.json");
    ph_assert_error(ph_policy_store_load(fx->store, missing, 0, &e, &err), PH_EIO, &err,
                    "missing.json");
    free(missing);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM policy"), 0);
    ph_assert_error(ph_policy_store_load(fx->store, NULL, 0, &e, &err), PH_EMISUSE, &err,
                    "store and path must not be NULL");
}

static void test_tampered_bytes_are_refused(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_policy_store_load(fx->store, fx->brief, 1, NULL, &err), &err);
    /* the database refuses the change itself... */
    ph_assert_error(ph_store_exec(fx->store, "UPDATE policy SET document = x'7b7d'", &err),
                    PH_EINVAL, &err, "policy: a loaded version cannot be changed, only activated");
    ph_assert_error(ph_store_exec(fx->store, "DELETE FROM policy", &err), PH_EINVAL, &err,
                    "policy keeps every loaded version: rows cannot be deleted");
    /* ...so a change made around the triggers is caught by the checksum */
    ph_test_exec(fx->store, "DROP TRIGGER policy_frozen;"
                            "UPDATE policy SET document = "
                            "CAST(replace(CAST(document AS TEXT), '0.85%', '0.05%') AS BLOB)");
    ph_policy *p = NULL;
    ph_policy_entry *e = NULL;
    ph_assert_error(ph_policy_store_get(fx->store, LENDER, NAME, 0, &p, &e, &err), PH_ESTORE,
                    &err, "the row was altered; it will not be used");
    assert_non_null(strstr(err.message, "field policy, value 'policy:" LENDER "/inclusive"));
    assert_null(p);
    assert_null(e);
    /* the entry alone is still readable, for the audit */
    ph_assert_ok(ph_policy_store_get(fx->store, LENDER, NAME, 3, NULL, &e, &err), &err);
    assert_int_equal(e->version, 3);
    ph_policy_entry_free(e);
}

typedef struct listing {
    char lines[8][128];
    size_t n;
} listing;

static ph_status collect(void *user, const ph_policy_entry *e, ph_error *err)
{
    (void)err;
    listing *l = user;
    if (l->n < 8)
        snprintf(l->lines[l->n], sizeof(l->lines[0]), "%.20s|%s|%lld|%d", e->lender, e->name,
                 (long long)e->version, e->active);
    l->n++;
    return PH_OK;
}

static ph_status stop(void *user, const ph_policy_entry *e, ph_error *err)
{
    (void)user;
    (void)e;
    return ph_error_set(err, PH_EBUSY, NULL, NULL, "stopped");
}

static void test_list(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    char *v4 = variant(fx, "v4.json", "\"version\": 3", "\"version\": 4");
    char *other = variant(fx, "other.json", LENDER, "Another bank");
    ph_assert_ok(ph_policy_store_load(fx->store, v4, 1, NULL, &err), &err);
    ph_assert_ok(ph_policy_store_load(fx->store, fx->brief, 0, NULL, &err), &err);
    ph_assert_ok(ph_policy_store_load(fx->store, other, 0, NULL, &err), &err);
    listing all = {.n = 0};
    ph_assert_ok(ph_policy_store_list(fx->store, NULL, collect, &all, &err), &err);
    assert_int_equal(all.n, 3);
    assert_string_equal(all.lines[0], "91370000MA3C5EXAMPLE|" NAME "|3|0");
    assert_string_equal(all.lines[1], "91370000MA3C5EXAMPLE|" NAME "|4|1");
    assert_string_equal(all.lines[2], "Another bank|" NAME "|3|0");
    listing one = {.n = 0};
    ph_assert_ok(ph_policy_store_list(fx->store, "Another bank", collect, &one, &err), &err);
    assert_int_equal(one.n, 1);
    listing none = {.n = 0};
    ph_assert_ok(ph_policy_store_list(fx->store, "nobody", collect, &none, &err), &err);
    assert_int_equal(none.n, 0);
    ph_assert_error(ph_policy_store_list(fx->store, NULL, stop, NULL, &err), PH_EBUSY, &err,
                    "stopped");
    ph_assert_error(ph_policy_store_list(fx->store, NULL, NULL, NULL, &err), PH_EMISUSE, &err,
                    "store and fn must not be NULL");
    /* the active versions only: what a marketplace opens */
    listing active = {.n = 0};
    ph_assert_ok(ph_policy_store_list_active(fx->store, collect, &active, &err), &err);
    assert_int_equal(active.n, 1);
    assert_string_equal(active.lines[0], "91370000MA3C5EXAMPLE|" NAME "|4|1");
    ph_assert_ok(ph_policy_store_activate(fx->store, "Another bank", NAME, 3, &err), &err);
    active.n = 0;
    ph_assert_ok(ph_policy_store_list_active(fx->store, collect, &active, &err), &err);
    assert_int_equal(active.n, 2);
    assert_string_equal(active.lines[1], "Another bank|" NAME "|3|1");
    ph_assert_error(ph_policy_store_list_active(fx->store, NULL, NULL, &err), PH_EMISUSE, &err,
                    "store and fn must not be NULL");
    free(v4);
    free(other);
}

static void test_old_schema(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    char *path = ph_test_path(fx->dir, "old.db");
    remove(path);
    ph_store *old = NULL;
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &old, &err), &err);
    ph_assert_ok(ph_schema_migrate(old, 6, NULL, &err), &err);
    ph_assert_error(ph_policy_store_load(old, fx->brief, 0, NULL, &err), PH_ESCHEMA, &err,
                    "the policy store needs schema version 7 or later, the database has 6; run "
                    "`puhui init`");
    ph_store_free(old);
    free(path);
}

/* A document held in memory is loaded as its file would be: the same row
 * (the file then adds nothing), and another lender's is refused first. */
static void test_load_text(void **state)
{
    fixture *fx = *state;
    ph_error err;
    ph_error_clear(&err);
    ph_policy_entry *e = NULL;
    size_t len = strlen(fx->brief_text);
    ph_assert_error(ph_policy_store_load_text(fx->store, fx->brief_text, len, "body",
                                              "another lender", 1, &e, &err),
                    PH_EDENIED, &err, "another lender");
    assert_string_equal(err.field, "lender");
    assert_string_equal(err.value, LENDER);
    assert_null(e);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM policy"), 0);
    /* the length counts, not a NUL: bytes past it are not the document's */
    char *longer = malloc(len + 8);
    assert_non_null(longer);
    memcpy(longer, fx->brief_text, len);
    memcpy(longer + len, "garbage", 8);
    ph_assert_ok(ph_policy_store_load_text(fx->store, longer, len, "uploads/brief_bank.json",
                                           LENDER, 1, &e, &err),
                 &err);
    assert_int_equal(e->stored, 1);
    assert_int_equal(e->active, 1);
    assert_int_equal(e->size, len);
    assert_string_equal(e->file, "brief_bank.json");
    char checksum[PH_CHECKSUM_HEX];
    ph_checksum_hex(fx->brief_text, len, checksum);
    assert_string_equal(e->checksum, checksum);
    ph_policy_entry_free(e);
    /* the file's bytes are the same version's same bytes: nothing stored */
    ph_assert_ok(ph_policy_store_load(fx->store, fx->brief, 0, &e, &err), &err);
    assert_int_equal(e->stored, 0);
    ph_policy_entry_free(e);
    /* a broken document: the loader's error, naming the source */
    ph_assert_error(ph_policy_store_load_text(fx->store, longer, 30, "body", NULL, 0, NULL, &err),
                    PH_EINVAL, &err, NULL);
    assert_string_equal(err.source, "body");
    assert_int_equal(ph_policy_store_load_text(fx->store, NULL, 0, "body", NULL, 0, NULL, &err),
                     PH_EMISUSE);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT count(*) FROM policy"), 1);
    free(longer);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_load_and_reload, fresh, close_db),
        cmocka_unit_test_setup_teardown(test_activate_and_get, fresh, close_db),
        cmocka_unit_test_setup_teardown(test_failing_policy_is_not_stored, fresh, close_db),
        cmocka_unit_test_setup_teardown(test_tampered_bytes_are_refused, fresh, close_db),
        cmocka_unit_test_setup_teardown(test_list, fresh, close_db),
        cmocka_unit_test_setup_teardown(test_load_text, fresh, close_db),
        cmocka_unit_test(test_old_schema),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
