/* API keys (src/apikey): create, authenticate, revoke, list on a real
 * SQLite file; every tenant rule; malformed keys of many shapes; a key with
 * one digit changed; the stored row holds no plaintext; the table's
 * triggers; several threads authenticating at once, each with its store. */
#include "ph_test.h"

#include <pthread.h>
#include <stdio.h>
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
    ph_test_env_open("apikey", &fx->ctx, &fx->dir);
    fx->store = ph_test_open_db(fx->ctx, fx->dir, "keys.db");
    ph_test_add_parties(fx->store, fx->firm, fx->other);
    ph_test_exec(fx->store, "INSERT INTO institution (id, name, kind) VALUES "
                            "('CBIRC-SD', '山东监管局', 'regulator'), "
                            "('SDFIN', '山东省地方金融管理局', 'government'), "
                            "('SDGUAR', '山东省融资担保', 'guarantor')");
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

static int64_t create_ok(fixture *fx, ph_apikey_role role, const char *tenant, const char *label,
                         char key[PH_APIKEY_TEXT_MAX])
{
    ph_error err;
    int64_t id = 0;
    ph_assert_ok(ph_apikey_create(fx->store, role, tenant, label, key, &id, &err), &err);
    return id;
}

static void expect_denied(fixture *fx, const char *key, size_t len)
{
    ph_apikey_info info;
    memset(&info, 0x5a, sizeof(info));
    ph_error err;
    ph_status st = ph_apikey_authenticate(fx->store, key, len, &info, &err);
    if (st != PH_EDENIED)
        print_error("key '%.*s' (%zu bytes): expected PH_EDENIED, got %s\n", (int)len, key, len,
                    ph_status_name(st));
    assert_int_equal(st, PH_EDENIED);
    /* one message whatever the reason, and the key never echoed */
    assert_string_equal(err.detail, DENIED);
    assert_string_equal(err.field, "key");
    assert_string_equal(err.value, "");
    assert_int_equal(info.id, 0x5a5a5a5a5a5a5a5a); /* untouched */
}

static int count_keys(fixture *fx)
{
    return (int)ph_test_query_int(fx->store, "SELECT COUNT(*) FROM api_key");
}

/* --- create, authenticate, list, revoke ----------------------------------------------- */

typedef struct listed {
    int n;
    ph_apikey_info rows[8];
} listed;

static ph_status collect(void *user, const ph_apikey_info *info, ph_error *err)
{
    (void)err;
    listed *l = user;
    if (l->n < 8)
        l->rows[l->n] = *info;
    l->n++;
    return PH_OK;
}

static void test_lifecycle(void **state)
{
    fixture *fx = *state;
    char key[PH_APIKEY_TEXT_MAX];
    int64_t id = create_ok(fx, PH_APIKEY_INSTITUTION, "BANK01", "credit desk", key);
    assert_int_equal(id, 1);
    /* phk_1_ and 64 lower-case hex digits */
    assert_int_equal(strlen(key), 6 + 64);
    assert_memory_equal(key, "phk_1_", 6);
    for (size_t i = 6; i < strlen(key); i++)
        assert_non_null(strchr("0123456789abcdef", key[i]));
    int64_t parsed = 0;
    assert_int_equal(ph_apikey_parse(key, strlen(key), &parsed), 1);
    assert_int_equal(parsed, 1);

    ph_apikey_info info;
    ph_error err;
    ph_assert_ok(ph_apikey_authenticate(fx->store, key, strlen(key), &info, &err), &err);
    assert_int_equal(info.id, 1);
    assert_int_equal(info.role, PH_APIKEY_INSTITUTION);
    assert_string_equal(info.tenant, "BANK01");
    assert_string_equal(info.label, "credit desk");
    assert_int_equal(strlen(info.created_at), 20);
    assert_string_equal(info.revoked_at, "");

    /* a second key is another secret, and the first still works */
    char second[PH_APIKEY_TEXT_MAX];
    assert_int_equal(create_ok(fx, PH_APIKEY_ENTERPRISE, fx->firm, NULL, second), 2);
    assert_memory_not_equal(key + 6, second + 6, 64);
    ph_assert_ok(ph_apikey_authenticate(fx->store, second, strlen(second), &info, &err), &err);
    assert_int_equal(info.role, PH_APIKEY_ENTERPRISE);
    assert_string_equal(info.tenant, fx->firm);
    assert_string_equal(info.label, "");

    listed l = {0};
    ph_assert_ok(ph_apikey_list(fx->store, collect, &l, &err), &err);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.rows[0].id, 1);
    assert_string_equal(l.rows[0].tenant, "BANK01");
    assert_int_equal(l.rows[1].id, 2);
    assert_string_equal(l.rows[1].revoked_at, "");

    /* revoked: refused at once, with the same message as any other refusal */
    ph_assert_ok(ph_apikey_revoke(fx->store, 1, &err), &err);
    expect_denied(fx, key, strlen(key));
    ph_assert_ok(ph_apikey_authenticate(fx->store, second, strlen(second), &info, &err), &err);
    l.n = 0;
    ph_assert_ok(ph_apikey_list(fx->store, collect, &l, &err), &err);
    assert_int_equal(strlen(l.rows[0].revoked_at), 20);
    assert_string_equal(l.rows[1].revoked_at, "");

    /* twice is an error naming the key; an unknown id too */
    ph_assert_error(ph_apikey_revoke(fx->store, 1, &err), PH_EINVAL, &err,
                    "field id, value '1': key 1 was revoked at ");
    assert_non_null(strstr(err.message, "a revoked key stays revoked"));
    ph_assert_error(ph_apikey_revoke(fx->store, 99, &err), PH_ENOTFOUND, &err,
                    "field id, value '99': expected the id of an API key");
    assert_int_equal(count_keys(fx), 2);
}

static void test_roles(void **state)
{
    (void)state;
    ph_apikey_role role = 0;
    ph_error err;
    const char *names[] = {"enterprise", "institution", "regulator", "admin"};
    for (int i = 0; i < 4; i++) {
        ph_assert_ok(ph_apikey_role_parse(names[i], &role, &err), &err);
        assert_int_equal(role, i + 1);
        assert_string_equal(ph_apikey_role_name(role), names[i]);
    }
    ph_assert_error(ph_apikey_role_parse("Admin", &role, &err), PH_EINVAL, &err,
                    "field role, value 'Admin': expected a role: enterprise, institution, "
                    "regulator or admin");
    ph_assert_error(ph_apikey_role_parse("", &role, &err), PH_EINVAL, &err, "field role");
    assert_int_equal(role, PH_APIKEY_ADMIN); /* untouched */
    assert_string_equal(ph_apikey_role_name((ph_apikey_role)9), "unknown");
    ph_assert_error(ph_apikey_role_parse(NULL, &role, &err), PH_EMISUSE, &err, NULL);
}

/* --- tenant rules --------------------------------------------------------------------- */

static void expect_refused(fixture *fx, ph_apikey_role role, const char *tenant, ph_status code,
                           const char *field, const char *needle)
{
    char key[PH_APIKEY_TEXT_MAX] = "untouched";
    int64_t id = -1;
    ph_error err;
    int before = count_keys(fx);
    ph_assert_error(ph_apikey_create(fx->store, role, tenant, "x", key, &id, &err), code, &err,
                    needle);
    assert_string_equal(err.field, field);
    assert_string_equal(key, "untouched");
    assert_int_equal(id, -1);
    assert_int_equal(count_keys(fx), before); /* nothing stored */
}

static void test_tenants(void **state)
{
    fixture *fx = *state;
    char key[PH_APIKEY_TEXT_MAX];
    /* enterprise: a registered USCC */
    create_ok(fx, PH_APIKEY_ENTERPRISE, fx->other, NULL, key);
    expect_refused(fx, PH_APIKEY_ENTERPRISE, "91370102MA00000009", PH_ENOTFOUND, "tenant",
                   "field tenant, value '91370102MA00000009': expected the USCC of an "
                   "enterprise registered in the database (table enterprise) for an enterprise "
                   "key");
    expect_refused(fx, PH_APIKEY_ENTERPRISE, "", PH_EINVAL, "tenant",
                   "expected the USCC of a registered enterprise for an enterprise key");
    expect_refused(fx, PH_APIKEY_ENTERPRISE, NULL, PH_EINVAL, "tenant", "enterprise key");
    expect_refused(fx, PH_APIKEY_ENTERPRISE, "BANK01", PH_ENOTFOUND, "tenant",
                   "value 'BANK01'");

    /* institution: any kind of institution but a regulator */
    create_ok(fx, PH_APIKEY_INSTITUTION, "BANK02", NULL, key);
    create_ok(fx, PH_APIKEY_INSTITUTION, "SDGUAR", NULL, key);
    create_ok(fx, PH_APIKEY_INSTITUTION, "SDFIN", NULL, key);
    expect_refused(fx, PH_APIKEY_INSTITUTION, "NOBANK", PH_ENOTFOUND, "tenant",
                   "field tenant, value 'NOBANK': expected an institution registered in the "
                   "database (table institution) for an institution key");
    expect_refused(fx, PH_APIKEY_INSTITUTION, "", PH_EINVAL, "tenant",
                   "expected an institution id (table institution) for an institution key");
    expect_refused(fx, PH_APIKEY_INSTITUTION, "CBIRC-SD", PH_EINVAL, "tenant",
                   "value 'CBIRC-SD': expected a lender, guarantor or core enterprise for an "
                   "institution key; this institution is a regulator: create a regulator key");
    expect_refused(fx, PH_APIKEY_INSTITUTION, fx->firm, PH_ENOTFOUND, "tenant", fx->firm);

    /* regulator: "" or a regulator or government institution */
    int64_t id = create_ok(fx, PH_APIKEY_REGULATOR, "", NULL, key);
    ph_apikey_info info;
    ph_error err;
    ph_assert_ok(ph_apikey_authenticate(fx->store, key, strlen(key), &info, &err), &err);
    assert_int_equal(info.id, id);
    assert_string_equal(info.tenant, "");
    create_ok(fx, PH_APIKEY_REGULATOR, "CBIRC-SD", NULL, key);
    create_ok(fx, PH_APIKEY_REGULATOR, "SDFIN", NULL, key);
    expect_refused(fx, PH_APIKEY_REGULATOR, "BANK01", PH_EINVAL, "tenant",
                   "field tenant, value 'BANK01': expected \"\" (the provincial regulator) or "
                   "an institution of kind regulator or government for a regulator key; this "
                   "one is a commercial_bank");
    expect_refused(fx, PH_APIKEY_REGULATOR, "NOREG", PH_ENOTFOUND, "tenant", "value 'NOREG'");
    expect_refused(fx, PH_APIKEY_REGULATOR, fx->firm, PH_ENOTFOUND, "tenant", fx->firm);

    /* admin: no tenant */
    create_ok(fx, PH_APIKEY_ADMIN, NULL, "ops", key);
    create_ok(fx, PH_APIKEY_ADMIN, "", "ops", key);
    expect_refused(fx, PH_APIKEY_ADMIN, "BANK01", PH_EINVAL, "tenant",
                   "field tenant, value 'BANK01': expected \"\" (no tenant) for an admin key");

    /* the shape of what is given */
    expect_refused(fx, (ph_apikey_role)0, "", PH_EINVAL, "role", "value '0'");
    expect_refused(fx, (ph_apikey_role)5, "", PH_EINVAL, "role", "expected a role");
    char long_tenant[80];
    memset(long_tenant, 'A', sizeof(long_tenant) - 1);
    long_tenant[sizeof(long_tenant) - 1] = '\0';
    expect_refused(fx, PH_APIKEY_INSTITUTION, long_tenant, PH_ERANGE, "tenant",
                   "expected at most 63 bytes, got 79");
    expect_refused(fx, PH_APIKEY_INSTITUTION, "BANK01\n", PH_EINVAL, "tenant",
                   "value 'BANK01\\x0a': expected printable text without control characters");
    int before = count_keys(fx);
    ph_assert_error(ph_apikey_create(fx->store, PH_APIKEY_ADMIN, "", "a\tb", key, NULL, &err),
                    PH_EINVAL, &err, "field label, value 'a\\x09b'");
    char long_label[200];
    memset(long_label, 'x', sizeof(long_label) - 1);
    long_label[sizeof(long_label) - 1] = '\0';
    ph_assert_error(ph_apikey_create(fx->store, PH_APIKEY_ADMIN, "", long_label, key, NULL, &err),
                    PH_ERANGE, &err, "expected at most 127 bytes, got 199");
    assert_int_equal(count_keys(fx), before);
    /* a label of Chinese text is fine */
    create_ok(fx, PH_APIKEY_ADMIN, "", "运维 值班", key);
    ph_assert_error(ph_apikey_create(NULL, PH_APIKEY_ADMIN, "", "", key, NULL, &err), PH_EMISUSE,
                    &err, NULL);
    ph_assert_error(ph_apikey_create(fx->store, PH_APIKEY_ADMIN, "", "", NULL, NULL, &err),
                    PH_EMISUSE, &err, NULL);
}

/* --- refusals ----------------------------------------------------------------------- */

static void test_malformed_keys(void **state)
{
    fixture *fx = *state;
    char key[PH_APIKEY_TEXT_MAX];
    create_ok(fx, PH_APIKEY_ADMIN, "", NULL, key);
    const char *hex = key + 6; /* the secret of key 1 */
    char upper[PH_APIKEY_TEXT_MAX];
    snprintf(upper, sizeof(upper), "%s", key);
    for (char *p = upper + 6; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    int has_letter = strcmp(upper, key) != 0;

    char shapes[32][200];
    int n = 0;
    snprintf(shapes[n++], 200, "%s", "");
    snprintf(shapes[n++], 200, "%s", "phk_");
    snprintf(shapes[n++], 200, "%s", "phk_1_");
    snprintf(shapes[n++], 200, "%s", "phk_1");
    snprintf(shapes[n++], 200, "PHK_1_%s", hex);
    snprintf(shapes[n++], 200, "phk-1-%s", hex);
    snprintf(shapes[n++], 200, "phk_01_%s", hex);
    snprintf(shapes[n++], 200, "phk_0_%s", hex);
    snprintf(shapes[n++], 200, "phk_-1_%s", hex);
    snprintf(shapes[n++], 200, "phk_+1_%s", hex);
    snprintf(shapes[n++], 200, "phk__1_%s", hex);
    snprintf(shapes[n++], 200, "phk_1__%s", hex);
    snprintf(shapes[n++], 200, "phk_ 1_%s", hex);
    snprintf(shapes[n++], 200, " %s", key);
    snprintf(shapes[n++], 200, "%s ", key);
    snprintf(shapes[n++], 200, "%s\n", key);
    snprintf(shapes[n++], 200, "Bearer %s", key);
    snprintf(shapes[n++], 200, "%.*s", (int)strlen(key) - 1, key);   /* 63 digits */
    snprintf(shapes[n++], 200, "%s0", key);                         /* 65 digits */
    snprintf(shapes[n++], 200, "phk_1_%.63sg", hex);                /* not hex */
    snprintf(shapes[n++], 200, "phk_9223372036854775808_%s", hex);  /* id overflows */
    snprintf(shapes[n++], 200, "phk_10000000000000000000_%s", hex); /* 20 digits */
    snprintf(shapes[n++], 200, "phk_9223372036854775807_%s", hex);  /* no such key */
    snprintf(shapes[n++], 200, "phk_2_%s", hex);                    /* another id */
    snprintf(shapes[n++], 200, "phk_1_%.32s", hex);                 /* half the secret */
    snprintf(shapes[n++], 200, "phk_1_%s%s", hex, hex);              /* twice */
    snprintf(shapes[n++], 200, "phk_1_%s", "not-a-key");
    for (int i = 0; i < n; i++) {
        expect_denied(fx, shapes[i], strlen(shapes[i]));
        /* refused by the parser itself, before any read, except the two of
         * the right shape that name no key or the wrong one */
        int64_t parsed = -1;
        int well_formed = i == 22 || i == 23;
        assert_int_equal(ph_apikey_parse(shapes[i], strlen(shapes[i]), &parsed), well_formed);
        if (!well_formed)
            assert_int_equal(parsed, -1);
    }
    if (has_letter) {
        int64_t parsed = -1;
        expect_denied(fx, upper, strlen(upper));
        assert_int_equal(ph_apikey_parse(upper, strlen(upper), &parsed), 0);
    }
    /* a NUL inside, and a key given with the NUL counted */
    char with_nul[PH_APIKEY_TEXT_MAX + 1];
    memcpy(with_nul, key, strlen(key) + 1);
    with_nul[10] = '\0';
    expect_denied(fx, with_nul, strlen(key));
    expect_denied(fx, key, strlen(key) + 1);
    expect_denied(fx, NULL, 0);
    /* only a key of the right shape parses */
    int64_t id = 0;
    assert_int_equal(ph_apikey_parse(shapes[22], strlen(shapes[22]), &id), 1);
    assert_int_equal(id, INT64_MAX);
    assert_int_equal(ph_apikey_parse(shapes[20], strlen(shapes[20]), &id), 0);
    /* the real key still works after all that */
    ph_apikey_info info;
    ph_error err;
    ph_assert_ok(ph_apikey_authenticate(fx->store, key, strlen(key), &info, &err), &err);
    ph_assert_error(ph_apikey_authenticate(NULL, key, strlen(key), &info, &err), PH_EMISUSE, &err,
                    NULL);
    ph_assert_error(ph_apikey_authenticate(fx->store, NULL, 5, &info, &err), PH_EMISUSE, &err,
                    NULL);
}

/* Every single hex digit changed to every other digit is refused: the whole
 * hash is compared, not a prefix. */
static void test_one_digit_changed(void **state)
{
    fixture *fx = *state;
    char key[PH_APIKEY_TEXT_MAX];
    create_ok(fx, PH_APIKEY_INSTITUTION, "BANK01", NULL, key);
    size_t len = strlen(key);
    char changed[PH_APIKEY_TEXT_MAX];
    for (size_t pos = 6; pos < len; pos++) {
        memcpy(changed, key, len + 1);
        changed[pos] = key[pos] == 'f' ? '0' : (key[pos] == '9' ? 'a' : (char)(key[pos] + 1));
        expect_denied(fx, changed, len);
    }
    ph_apikey_info info;
    ph_error err;
    ph_assert_ok(ph_apikey_authenticate(fx->store, key, len, &info, &err), &err);
}

/* --- what is stored ----------------------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 16;
    char *data = malloc(cap);
    assert_non_null(data);
    size_t n;
    while ((n = fread(data + *len, 1, cap - *len, f)) > 0) {
        *len += n;
        if (*len == cap) {
            cap *= 2;
            data = realloc(data, cap);
            assert_non_null(data);
        }
    }
    fclose(f);
    return data;
}

static int file_holds(const char *dir, const char *name, const char *needle)
{
    char *path = ph_test_path(dir, name);
    size_t len = 0;
    char *data = slurp(path, &len);
    free(path);
    size_t n = strlen(needle);
    int found = 0;
    for (size_t i = 0; data != NULL && !found && i + n <= len; i++)
        found = memcmp(data + i, needle, n) == 0;
    free(data);
    return found;
}

static int db_holds(fixture *fx, const char *needle)
{
    return file_holds(fx->dir, "keys.db", needle) || file_holds(fx->dir, "keys.db-wal", needle);
}

static void test_no_plaintext_stored(void **state)
{
    fixture *fx = *state;
    char key[PH_APIKEY_TEXT_MAX];
    create_ok(fx, PH_APIKEY_INSTITUTION, "BANK01", "desk", key);
    char hash[PH_CHECKSUM_HEX];
    ph_checksum_hex(key, strlen(key), hash);
    /* close the store so that everything is on disk (the WAL checkpointed) */
    ph_store_free(fx->store);
    fx->store = NULL;
    assert_false(db_holds(fx, key));
    assert_false(db_holds(fx, key + 6));       /* the secret alone */
    assert_false(db_holds(fx, "phk_"));        /* no key text at all */
    assert_true(db_holds(fx, hash));           /* its BLAKE2b-256 is */
    assert_true(db_holds(fx, "desk"));         /* and the scan sees the row */
    char *path = ph_test_path(fx->dir, "keys.db");
    ph_error err;
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &fx->store, &err), &err);
    free(path);
    assert_int_equal(ph_test_query_int(fx->store, "SELECT COUNT(*) FROM api_key WHERE hash = "
                                                  "lower(hash) AND length(hash) = 64"),
                     1);
}

static void test_triggers(void **state)
{
    fixture *fx = *state;
    char key[PH_APIKEY_TEXT_MAX];
    create_ok(fx, PH_APIKEY_INSTITUTION, "BANK01", NULL, key);
    ph_error err;
    ph_assert_error(ph_store_exec(fx->store, "UPDATE api_key SET hash = printf('%064d', 0)", &err),
                    PH_EINVAL, &err, "api_key: a key cannot be changed, only revoked");
    ph_assert_error(ph_store_exec(fx->store, "UPDATE api_key SET role = 'admin'", &err),
                    PH_EINVAL, &err, "api_key: a key cannot be changed, only revoked");
    ph_assert_error(ph_store_exec(fx->store, "UPDATE api_key SET tenant = 'BANK02'", &err),
                    PH_EINVAL, &err, "api_key: a key cannot be changed, only revoked");
    ph_assert_error(ph_store_exec(fx->store, "DELETE FROM api_key", &err), PH_EINVAL, &err,
                    "api_key: keys cannot be deleted, only revoked");
    ph_apikey_info info;
    ph_assert_ok(ph_apikey_authenticate(fx->store, key, strlen(key), &info, &err), &err);
    ph_assert_ok(ph_apikey_revoke(fx->store, 1, &err), &err);
    ph_assert_error(ph_store_exec(fx->store, "UPDATE api_key SET revoked_at = NULL", &err),
                    PH_EINVAL, &err, "api_key: a revoked key stays revoked");
    expect_denied(fx, key, strlen(key));
}

/* Below schema 13 the module says so; authentication fails as a store
 * error, never as a success. */
static void test_old_schema(void **state)
{
    fixture *fx = *state;
    char *path = ph_test_path(fx->dir, "old.db");
    ph_store *old = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(fx->ctx, path, NULL, &old, &err), &err);
    free(path);
    ph_assert_ok(ph_schema_migrate(old, 12, NULL, &err), &err);
    char key[PH_APIKEY_TEXT_MAX];
    ph_assert_error(ph_apikey_create(old, PH_APIKEY_ADMIN, "", "", key, NULL, &err), PH_ESCHEMA,
                    &err, "API keys needs schema version 13 or later, the database has 12");
    ph_assert_error(ph_apikey_revoke(old, 1, &err), PH_ESCHEMA, &err, NULL);
    ph_status st = ph_apikey_authenticate(old, key, 0, &(ph_apikey_info){0}, &err);
    assert_int_equal(st, PH_EDENIED); /* empty: refused before any read */
    char fake[PH_APIKEY_TEXT_MAX];
    snprintf(fake, sizeof(fake), "phk_1_%064d", 0);
    st = ph_apikey_authenticate(old, fake, strlen(fake), &(ph_apikey_info){0}, &err);
    assert_true(st != PH_OK && st != PH_EDENIED);
    ph_store_free(old);
}

/* --- threads ------------------------------------------------------------------------ */

typedef struct worker {
    const char *path;
    const ph_ctx *ctx;
    const char *key;
    const char *revoked;
    int ok, refused, errors;
} worker;

static void *authenticate_many(void *arg)
{
    worker *w = arg;
    ph_store *store = NULL;
    ph_error err;
    if (ph_store_open(w->ctx, w->path, NULL, &store, &err) != PH_OK) {
        w->errors++;
        return NULL;
    }
    for (int i = 0; i < 200; i++) {
        ph_apikey_info info;
        if (ph_apikey_authenticate(store, w->key, strlen(w->key), &info, &err) == PH_OK &&
            info.role == PH_APIKEY_ENTERPRISE)
            w->ok++;
        else
            w->errors++;
        if (ph_apikey_authenticate(store, w->revoked, strlen(w->revoked), &info, &err) ==
            PH_EDENIED)
            w->refused++;
        else
            w->errors++;
    }
    ph_store_free(store);
    return NULL;
}

static void test_threads(void **state)
{
    fixture *fx = *state;
    char live[PH_APIKEY_TEXT_MAX], revoked[PH_APIKEY_TEXT_MAX];
    create_ok(fx, PH_APIKEY_ENTERPRISE, fx->firm, NULL, live);
    int64_t id = create_ok(fx, PH_APIKEY_ENTERPRISE, fx->other, NULL, revoked);
    ph_error err;
    ph_assert_ok(ph_apikey_revoke(fx->store, id, &err), &err);
    char *path = ph_test_path(fx->dir, "keys.db");
    enum { THREADS = 4 };
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int t = 0; t < THREADS; t++) {
        workers[t] = (worker){path, fx->ctx, live, revoked, 0, 0, 0};
        assert_int_equal(pthread_create(&threads[t], NULL, authenticate_many, &workers[t]), 0);
    }
    for (int t = 0; t < THREADS; t++) {
        assert_int_equal(pthread_join(threads[t], NULL), 0);
        assert_int_equal(workers[t].errors, 0);
        assert_int_equal(workers[t].ok, 200);
        assert_int_equal(workers[t].refused, 200);
    }
    free(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_lifecycle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tenants, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_digit_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_plaintext_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_triggers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_old_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
