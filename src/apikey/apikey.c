/*
 * API keys (apikey.h): create, revoke, list, authenticate. This file is the
 * only code that names the table `api_key`.
 *
 * Why the key carries its row id: authentication, which runs on every HTTP
 * request, is then one primary-key read plus one BLAKE2b, with no index on
 * the hash and no scan. Why BLAKE2b and not a password hash: the secret
 * part is 32 random bytes, so there is no dictionary to slow down; a slow
 * hash would only slow every request (docs/keys.md).
 *
 * The plaintext lives only in the caller's buffer and on this function's
 * stack, which is wiped before returning; it is never stored or logged.
 */
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "puhui/apikey.h"
#include "puhui/enterprise.h"

#define KEY_PREFIX "phk_"
#define KEY_PREFIX_LEN 4
#define KEY_SECRET_BYTES 32
#define KEY_SECRET_HEX (2 * KEY_SECRET_BYTES)
#define KEY_ID_DIGITS_MAX 19 /* INT64_MAX has 19 digits */
#define HASH_HEX_LEN (2 * crypto_generichash_BYTES)
#define SCHEMA_VERSION 13

/* The one answer to every refused key: which of the reasons is not said. */
#define DENIED_MESSAGE "unknown, revoked or malformed API key"

/* The roles by name, in enum order; the CHECK list of api_key.role. */
static const struct {
    ph_apikey_role role;
    const char *name;
} ROLES[] = {
    {PH_APIKEY_ENTERPRISE, "enterprise"},
    {PH_APIKEY_INSTITUTION, "institution"},
    {PH_APIKEY_REGULATOR, "regulator"},
    {PH_APIKEY_ADMIN, "admin"},
};

#define ROLE_COUNT (sizeof(ROLES) / sizeof(ROLES[0]))

const char *ph_apikey_role_name(ph_apikey_role role)
{
    for (size_t i = 0; i < ROLE_COUNT; i++)
        if (ROLES[i].role == role)
            return ROLES[i].name;
    return "unknown";
}

static int role_known(ph_apikey_role role)
{
    return strcmp(ph_apikey_role_name(role), "unknown") != 0;
}

ph_status ph_apikey_role_parse(const char *name, ph_apikey_role *out, ph_error *err)
{
    if (name == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_apikey_role_parse: name and out must not be NULL");
    for (size_t i = 0; i < ROLE_COUNT; i++) {
        if (strcmp(ROLES[i].name, name) == 0) {
            *out = ROLES[i].role;
            return PH_OK;
        }
    }
    return ph_error_set(err, PH_EINVAL, "role", name,
                        "expected a role: enterprise, institution, regulator or admin");
}

/* --- The key's shape --------------------------------------------------------------- */

static int is_lower_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

int ph_apikey_parse(const char *key, size_t len, int64_t *id)
{
    if (key == NULL || id == NULL || len < KEY_PREFIX_LEN + 1 + 1 + KEY_SECRET_HEX ||
        memcmp(key, KEY_PREFIX, KEY_PREFIX_LEN) != 0)
        return 0;
    size_t i = KEY_PREFIX_LEN;
    /* the id: 1 to 19 decimal digits, no sign, no leading zero, >= 1 */
    if (key[i] < '1' || key[i] > '9')
        return 0;
    int64_t value = 0;
    size_t digits = 0;
    while (i < len && key[i] >= '0' && key[i] <= '9') {
        int d = key[i] - '0';
        if (++digits > KEY_ID_DIGITS_MAX || value > (INT64_MAX - d) / 10)
            return 0;
        value = value * 10 + d;
        i++;
    }
    if (i >= len || key[i] != '_' || len - i - 1 != KEY_SECRET_HEX)
        return 0;
    for (i++; i < len; i++)
        if (!is_lower_hex((unsigned char)key[i]))
            return 0;
    *id = value;
    return 1;
}

/* --- Hashing ------------------------------------------------------------------------ */

static ph_status sodium_ready(ph_error *err)
{
    /* Idempotent and thread-safe; picks the fastest BLAKE2b for this CPU. */
    if (sodium_init() < 0)
        return ph_error_set(err, PH_ESTORE, NULL, NULL, "libsodium could not be initialised");
    return PH_OK;
}

/* BLAKE2b-256 of the key text as 64 lower-case hex digits and a NUL. */
static void key_hash_hex(const char *key, size_t len, char out[HASH_HEX_LEN + 1])
{
    unsigned char digest[crypto_generichash_BYTES];
    crypto_generichash(digest, sizeof(digest), (const unsigned char *)key, len, NULL, 0);
    sodium_bin2hex(out, HASH_HEX_LEN + 1, digest, sizeof(digest));
}

/* --- Creating ----------------------------------------------------------------------- */

/* A tenant or label: shorter than its field, no control characters (they
 * would make `puhui key list` and the access log lie about who it is). */
static ph_status check_text(const char *field, const char *text, size_t max, ph_error *err)
{
    size_t len = strlen(text);
    if (len >= max)
        return ph_error_set(err, PH_ERANGE, field, text, "expected at most %zu bytes, got %zu",
                            max - 1, len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c < 0x20 || c == 0x7f)
            return ph_error_set(err, PH_EINVAL, field, text,
                                "expected printable text without control characters");
    }
    return PH_OK;
}

static ph_status must_be_empty(const char *role, const char *tenant, const char *what,
                               ph_error *err)
{
    if (tenant[0] == '\0')
        return PH_OK;
    return ph_error_set(err, PH_EINVAL, "tenant", tenant, "expected %s for an %s key", what,
                        role);
}

static ph_status check_enterprise(ph_store *store, const char *tenant, ph_error *err)
{
    if (tenant[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "tenant", tenant,
                            "expected the USCC of a registered enterprise for an enterprise key");
    int found = 0;
    ph_status st = ph_enterprise_exists(store, tenant, &found, err);
    if (st == PH_OK && !found)
        st = ph_error_set(err, PH_ENOTFOUND, "tenant", tenant,
                          "expected the USCC of an enterprise registered in the database (table "
                          "enterprise) for an enterprise key");
    return st;
}

static ph_status check_institution(ph_store *store, const char *tenant, ph_error *err)
{
    if (tenant[0] == '\0')
        return ph_error_set(err, PH_EINVAL, "tenant", tenant,
                            "expected an institution id (table institution) for an institution "
                            "key");
    char kind[PH_INSTITUTION_KIND_MAX];
    int found = 0;
    ph_status st = ph_institution_kind(store, tenant, kind, &found, err);
    if (st == PH_OK && !found)
        st = ph_error_set(err, PH_ENOTFOUND, "tenant", tenant,
                          "expected an institution registered in the database (table "
                          "institution) for an institution key");
    if (st == PH_OK && strcmp(kind, "regulator") == 0)
        st = ph_error_set(err, PH_EINVAL, "tenant", tenant,
                          "expected a lender, guarantor or core enterprise for an institution "
                          "key; this institution is a regulator: create a regulator key");
    return st;
}

static ph_status check_regulator(ph_store *store, const char *tenant, ph_error *err)
{
    if (tenant[0] == '\0')
        return PH_OK; /* the provincial regulator */
    char kind[PH_INSTITUTION_KIND_MAX];
    int found = 0;
    ph_status st = ph_institution_kind(store, tenant, kind, &found, err);
    if (st == PH_OK && !found)
        st = ph_error_set(err, PH_ENOTFOUND, "tenant", tenant,
                          "expected \"\" (the provincial regulator) or an institution of kind "
                          "regulator or government registered in the database (table "
                          "institution)");
    if (st == PH_OK && strcmp(kind, "regulator") != 0 && strcmp(kind, "government") != 0)
        st = ph_error_set(err, PH_EINVAL, "tenant", tenant,
                          "expected \"\" (the provincial regulator) or an institution of kind "
                          "regulator or government for a regulator key; this one is a %s",
                          kind);
    return st;
}

/* Whether `tenant` may hold a key of `role` (apikey.h lists the rules). */
static ph_status check_tenant(ph_store *store, ph_apikey_role role, const char *tenant,
                              ph_error *err)
{
    switch (role) {
    case PH_APIKEY_ENTERPRISE:
        return check_enterprise(store, tenant, err);
    case PH_APIKEY_INSTITUTION:
        return check_institution(store, tenant, err);
    case PH_APIKEY_REGULATOR:
        return check_regulator(store, tenant, err);
    case PH_APIKEY_ADMIN:
        return must_be_empty("admin", tenant, "\"\" (no tenant)", err);
    }
    return ph_error_set(err, PH_EINVAL, "role", NULL, "expected a role: enterprise, "
                                                      "institution, regulator or admin");
}

/* Insert the row with hash '' (its id names the key), then write the
 * key's hash into it: both inside the caller's transaction. */
static ph_status insert_key(ph_store *store, ph_apikey_role role, const char *tenant,
                            const char *label, char key[PH_APIKEY_TEXT_MAX], int64_t *id,
                            ph_error *err)
{
    char now[PH_UTC_MAX];
    ph_status st = ph_ctx_utc_now(ph_store_ctx(store), now, err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    int64_t row = 0;
    st = ph_store_prepare(store,
                          "INSERT INTO api_key (role, tenant, label, hash, created_at) "
                          "VALUES (?, ?, ?, '', ?) RETURNING id",
                          &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, ph_apikey_role_name(role), -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 2, tenant, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 3, label, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 4, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_step_id(stmt, &row, err);
    ph_stmt_free(stmt);
    stmt = NULL;
    if (st != PH_OK)
        return st;

    unsigned char secret[KEY_SECRET_BYTES];
    char secret_hex[KEY_SECRET_HEX + 1];
    randombytes_buf(secret, sizeof(secret));
    sodium_bin2hex(secret_hex, sizeof(secret_hex), secret, sizeof(secret));
    int n = snprintf(key, PH_APIKEY_TEXT_MAX, KEY_PREFIX "%" PRId64 "_%s", row, secret_hex);
    sodium_memzero(secret, sizeof(secret));
    sodium_memzero(secret_hex, sizeof(secret_hex));
    char hash[HASH_HEX_LEN + 1];
    key_hash_hex(key, (size_t)n, hash);

    st = ph_store_prepare(store, "UPDATE api_key SET hash = ? WHERE id = ? AND hash = ''", &stmt,
                          err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, hash, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, row, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    if (st == PH_DONE && ph_store_changes(store) != 1)
        st = ph_error_set(err, PH_ESTORE, "id", NULL,
                          "the new key's row %" PRId64 " vanished before its hash was written",
                          row);
    else if (st == PH_DONE)
        st = PH_OK;
    if (st == PH_OK)
        *id = row;
    return st;
}

ph_status ph_apikey_create(ph_store *store, ph_apikey_role role, const char *tenant,
                           const char *label, char key[PH_APIKEY_TEXT_MAX], int64_t *id,
                           ph_error *err)
{
    if (store == NULL || key == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_apikey_create: store and key must not be NULL");
    if (!role_known(role)) {
        char value[24];
        snprintf(value, sizeof(value), "%d", (int)role);
        return ph_error_set(err, PH_EINVAL, "role", value,
                            "expected a role: enterprise, institution, regulator or admin");
    }
    tenant = tenant ? tenant : "";
    label = label ? label : "";
    ph_status st = check_text("tenant", tenant, sizeof(((ph_apikey_info *)0)->tenant), err);
    if (st == PH_OK)
        st = check_text("label", label, sizeof(((ph_apikey_info *)0)->label), err);
    if (st == PH_OK)
        st = ph_store_require_schema(store, SCHEMA_VERSION, "API keys", err);
    if (st == PH_OK)
        st = sodium_ready(err);
    if (st != PH_OK)
        return st;

    char text[PH_APIKEY_TEXT_MAX];
    int64_t row = 0;
    st = ph_store_begin(store, err);
    if (st == PH_OK)
        st = check_tenant(store, role, tenant, err);
    if (st == PH_OK)
        st = insert_key(store, role, tenant, label, text, &row, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK) {
        (void)ph_store_rollback(store, NULL);
    } else {
        memcpy(key, text, sizeof(text));
        if (id != NULL)
            *id = row;
    }
    sodium_memzero(text, sizeof(text));
    return st;
}

/* --- Revoking ----------------------------------------------------------------------- */

static ph_status revoke_in(ph_store *store, int64_t id, const char *value, ph_error *err)
{
    char now[PH_UTC_MAX];
    ph_status st = ph_ctx_utc_now(ph_store_ctx(store), now, err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store, "SELECT revoked_at FROM api_key WHERE id = ?", &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = ph_error_set(err, PH_ENOTFOUND, "id", value,
                          "expected the id of an API key (puhui key list shows them)");
    else if (st == PH_OK && !ph_stmt_column_is_null(stmt, 0))
        st = ph_error_set(err, PH_EINVAL, "id", value,
                          "key %s was revoked at %s already; a revoked key stays revoked", value,
                          ph_stmt_column_text(stmt, 0));
    ph_stmt_free(stmt);
    stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                              &stmt, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(stmt, 1, now, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(stmt, 2, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

ph_status ph_apikey_revoke(ph_store *store, int64_t id, ph_error *err)
{
    if (store == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_apikey_revoke: store is NULL");
    char value[24];
    snprintf(value, sizeof(value), "%" PRId64, id);
    ph_status st = ph_store_require_schema(store, SCHEMA_VERSION, "API keys", err);
    if (st == PH_OK)
        st = ph_store_begin(store, err);
    if (st != PH_OK)
        return st;
    st = revoke_in(store, id, value, err);
    if (st == PH_OK)
        st = ph_store_commit(store, err);
    if (st != PH_OK)
        (void)ph_store_rollback(store, NULL);
    return st;
}

/* --- Reading ------------------------------------------------------------------------ */

/* Copy a stored text into a field; PH_ESTORE when it does not fit (the
 * table's writers never store one that long). */
static ph_status copy_column(ph_stmt *stmt, int col, const char *field, char *dst, size_t size,
                             ph_error *err)
{
    const char *text = ph_stmt_column_text(stmt, col);
    size_t len = text ? ph_stmt_column_bytes(stmt, col) : 0;
    if (len >= size || (text != NULL && strlen(text) != len))
        return ph_error_set(err, PH_ESTORE, field, NULL,
                            "api_key: a stored %s does not fit (%zu bytes, at most %zu)", field,
                            len, size - 1);
    memcpy(dst, text ? text : "", len + 1);
    return PH_OK;
}

/* The row's columns from `first` on: role, tenant, label, created_at,
 * revoked_at. */
static ph_status read_info(ph_stmt *stmt, int first, ph_apikey_info *info, ph_error *err)
{
    const char *role = ph_stmt_column_text(stmt, first);
    if (role == NULL || ph_apikey_role_parse(role, &info->role, NULL) != PH_OK)
        return ph_error_set(err, PH_ESTORE, "role", role, "api_key: a stored role is unknown");
    ph_status st = copy_column(stmt, first + 1, "tenant", info->tenant, sizeof(info->tenant), err);
    if (st == PH_OK)
        st = copy_column(stmt, first + 2, "label", info->label, sizeof(info->label), err);
    if (st == PH_OK)
        st = copy_column(stmt, first + 3, "created_at", info->created_at,
                         sizeof(info->created_at), err);
    if (st == PH_OK)
        st = copy_column(stmt, first + 4, "revoked_at", info->revoked_at,
                         sizeof(info->revoked_at), err);
    return st;
}

ph_status ph_apikey_list(ph_store *store, ph_apikey_fn fn, void *user, ph_error *err)
{
    if (store == NULL || fn == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_apikey_list: store and fn must not be NULL");
    ph_status st = ph_store_require_schema(store, SCHEMA_VERSION, "API keys", err);
    ph_stmt *stmt = NULL;
    if (st == PH_OK)
        st = ph_store_prepare(store,
                              "SELECT id, role, tenant, label, created_at, revoked_at "
                              "FROM api_key ORDER BY id",
                              &stmt, err);
    while (st == PH_OK && (st = ph_stmt_step(stmt, err)) == PH_OK) {
        ph_apikey_info info;
        memset(&info, 0, sizeof(info));
        info.id = ph_stmt_column_int64(stmt, 0);
        st = read_info(stmt, 1, &info, err);
        if (st == PH_OK)
            st = fn(user, &info, err);
    }
    ph_stmt_free(stmt);
    return st == PH_DONE ? PH_OK : st;
}

/* --- Authenticating ----------------------------------------------------------------- */

static ph_status denied(ph_error *err)
{
    return ph_error_set(err, PH_EDENIED, "key", NULL, DENIED_MESSAGE);
}

#define AUTH_SQL                                                                         \
    "SELECT hash, role, tenant, label, created_at, revoked_at FROM api_key WHERE id = ?"

/* Check `key` (already parsed to `id`) against the row `stmt` reads; the
 * statement is left stepped (the caller resets or frees it). */
static ph_status check_key(ph_stmt *stmt, const char *key, size_t len, int64_t id,
                           ph_apikey_info *out, ph_error *err)
{
    ph_status st = ph_stmt_bind_int64(stmt, 1, id, err);
    if (st == PH_OK)
        st = ph_stmt_step(stmt, err);
    if (st == PH_DONE)
        st = denied(err);
    ph_apikey_info info;
    memset(&info, 0, sizeof(info));
    if (st == PH_OK) {
        char hash[HASH_HEX_LEN + 1];
        key_hash_hex(key, len, hash);
        const char *stored = ph_stmt_column_text(stmt, 0);
        /* compare in constant time, whatever the digits, and only then
         * look at revocation: no answer says which check failed */
        int same = stored != NULL && ph_stmt_column_bytes(stmt, 0) == HASH_HEX_LEN &&
                   sodium_memcmp(hash, stored, HASH_HEX_LEN) == 0;
        if (!same || !ph_stmt_column_is_null(stmt, 5))
            st = denied(err);
    }
    if (st == PH_OK) {
        info.id = id;
        st = read_info(stmt, 1, &info, err);
    }
    if (st == PH_OK)
        *out = info;
    return st;
}

ph_status ph_apikey_authenticate(ph_store *store, const char *key, size_t len,
                                 ph_apikey_info *out, ph_error *err)
{
    if (store == NULL || out == NULL || (key == NULL && len > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_apikey_authenticate: store, out and key must not be NULL");
    int64_t id = 0;
    if (!ph_apikey_parse(key, len, &id))
        return denied(err);
    ph_status st = sodium_ready(err);
    if (st != PH_OK)
        return st;
    ph_stmt *stmt = NULL;
    st = ph_store_prepare(store, AUTH_SQL, &stmt, err);
    if (st == PH_OK)
        st = check_key(stmt, key, len, id, out, err);
    ph_stmt_free(stmt);
    return st;
}

/* --- The authenticator: the same check with its statement kept --------------------- */

struct ph_apikey_authenticator {
    ph_store *store;
    ph_stmt *stmt; /* prepared at the first check */
};

ph_status ph_apikey_authenticator_new(ph_store *store, ph_apikey_authenticator **out,
                                      ph_error *err)
{
    if (store == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_apikey_authenticator_new: store and out must not be NULL");
    ph_apikey_authenticator *a = ph_calloc(ph_store_ctx(store), 1, sizeof(*a));
    if (a == NULL)
        return ph_error_set(err, PH_ENOMEM, NULL, NULL, "out of memory");
    a->store = store;
    *out = a;
    return PH_OK;
}

ph_status ph_apikey_authenticator_check(ph_apikey_authenticator *a, const char *key, size_t len,
                                        ph_apikey_info *out, ph_error *err)
{
    if (a == NULL || out == NULL || (key == NULL && len > 0))
        return ph_error_set(err, PH_EMISUSE, NULL, NULL,
                            "ph_apikey_authenticator_check: authenticator, out and key must "
                            "not be NULL");
    int64_t id = 0;
    if (!ph_apikey_parse(key, len, &id))
        return denied(err);
    ph_status st = sodium_ready(err);
    if (st == PH_OK && a->stmt == NULL)
        st = ph_store_prepare(a->store, AUTH_SQL, &a->stmt, err);
    if (st != PH_OK)
        return st;
    st = check_key(a->stmt, key, len, id, out, err);
    /* Reset now, so the statement holds no read transaction between requests
     * (a writer's checkpoint would otherwise wait on it). */
    ph_error ignored;
    if (ph_stmt_reset(a->stmt, &ignored) != PH_OK && st == PH_OK) {
        ph_stmt_free(a->stmt); /* prepared again at the next check */
        a->stmt = NULL;
    }
    return st;
}

void ph_apikey_authenticator_free(ph_apikey_authenticator *a)
{
    if (a == NULL)
        return;
    ph_stmt_free(a->stmt);
    ph_free(ph_store_ctx(a->store), a);
}
