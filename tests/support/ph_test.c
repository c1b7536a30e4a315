#define _XOPEN_SOURCE 700 /* nftw */
#include "ph_test.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *ph_test_path(const char *dir, const char *file)
{
    size_t len = strlen(dir) + strlen(file) + 2;
    char *path = malloc(len);
    assert_non_null(path);
    snprintf(path, len, "%s/%s", dir, file);
    return path;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void ph_test_rmtree(const char *dir)
{
    nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *ph_test_tmpdir(const char *name)
{
    const char *base = getenv("PUHUI_TEST_TMP");
    if (base == NULL || base[0] == '\0')
        base = "/tmp/puhui-test";
    mkdir(base, 0700);
    size_t len = strlen(base) + strlen(name) + 32;
    char *dir = malloc(len);
    assert_non_null(dir);
    snprintf(dir, len, "%s/%s-%ld", base, name, (long)getpid());
    ph_test_rmtree(dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        fail_msg("cannot create test directory %s: %s", dir, strerror(errno));
    return dir;
}

void ph_test_env_open(const char *name, ph_ctx **ctx, char **dir)
{
    ph_error err;
    ph_assert_ok(ph_ctx_new(NULL, ctx, &err), &err);
    *dir = ph_test_tmpdir(name);
}

void ph_test_env_close(ph_ctx *ctx, char *dir)
{
    if (dir != NULL && getenv("PH_KEEP_TMP") == NULL)
        ph_test_rmtree(dir);
    free(dir);
    ph_ctx_free(ctx);
}

void ph_test_add_parties(ph_store *store, char firm[PH_USCC_LEN + 1],
                         char other[PH_USCC_LEN + 1])
{
    ph_error err;
    ph_assert_ok(ph_uscc_generate('9', '1', 370102, 1, firm, &err), &err);
    ph_assert_ok(ph_uscc_generate('9', '1', 370102, 2, other, &err), &err);
    char sql[512];
    snprintf(sql, sizeof(sql),
             "INSERT INTO enterprise (uscc, name, region_code, industry_section) VALUES "
             "('%s', '济南甲公司', 370102, 'C'), ('%s', '济南乙公司', 370102, 'F');"
             "INSERT INTO institution (id, name, kind) VALUES "
             "('BANK01', '齐鲁银行', 'commercial_bank'), ('BANK02', '村镇银行', 'village_bank')",
             firm, other);
    ph_test_exec(store, sql);
}

char *ph_test_shared_file(const char *relative)
{
    const char *base = getenv("PUHUI_SHARED_DIR");
    if (base == NULL || base[0] == '\0')
        base = "../shared";
    char *path = ph_test_path(base, relative);
    if (access(path, R_OK) != 0) {
        free(path);
        return NULL;
    }
    return path;
}

char *ph_test_fixture(const char *relative)
{
    const char *base = getenv("PUHUI_FIXTURES");
    if (base == NULL || base[0] == '\0')
        base = "tests/fixtures";
    char *path = ph_test_path(base, relative);
    if (access(path, R_OK) != 0)
        fail_msg("fixture %s is missing (tests/fixtures is committed; PUHUI_FIXTURES=%s)", path,
                 base);
    return path;
}

void ph_test_write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        fail_msg("cannot write %s: %s", path, strerror(errno));
    size_t len = strlen(text);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void ph_test_assert_error_(ph_status status, ph_status expected, const ph_error *err,
                           const char *needle, const char *file, int line)
{
    if (status != expected) {
        fail_msg("%s:%d: expected %s, got %s (%s)", file, line, ph_status_name(expected),
                 ph_status_name(status), err ? err->message : "");
    }
    if (expected != PH_OK && err != NULL) {
        if (err->code != expected)
            fail_msg("%s:%d: err->code is %s, expected %s", file, line,
                     ph_status_name(err->code), ph_status_name(expected));
        if (needle != NULL && strstr(err->message, needle) == NULL)
            fail_msg("%s:%d: error message \"%s\" does not contain \"%s\"", file, line,
                     err->message, needle);
    }
}

ph_store *ph_test_open_db(const ph_ctx *ctx, const char *dir, const char *name)
{
    char *path = ph_test_path(dir, name);
    remove(path);
    ph_store *store = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_open(ctx, path, NULL, &store, &err), &err);
    ph_assert_ok(ph_schema_migrate(store, -1, NULL, &err), &err);
    free(path);
    return store;
}

void ph_test_exec(ph_store *store, const char *sql)
{
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_exec(store, sql, &err), &err);
}

int64_t ph_test_query_int(ph_store *store, const char *sql)
{
    ph_stmt *stmt = NULL;
    ph_error err;
    ph_error_clear(&err);
    ph_assert_ok(ph_store_prepare(store, sql, &stmt, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    int64_t value = ph_stmt_column_int64(stmt, 0);
    ph_stmt_free(stmt);
    return value;
}
