/*
 * Shared helpers for the cmocka test programs.
 * Include this instead of <cmocka.h>: it pulls in what cmocka needs first.
 */
#ifndef PH_TEST_H
#define PH_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "puhui/puhui.h"

/* A fresh, empty directory for this test program, under $PUHUI_TEST_TMP
 * (or /tmp). The caller frees the returned path with free(). */
char *ph_test_tmpdir(const char *name);

/* The set-up most test programs share: a context with the default options
 * into *ctx and a fresh directory ph_test_tmpdir(name) into *dir. Fails the
 * test on error. */
void ph_test_env_open(const char *name, ph_ctx **ctx, char **dir);

/* Its tear-down: the directory removed (kept when PH_KEEP_TMP is set, to
 * look at after a failure), then the path and the context freed. */
void ph_test_env_close(ph_ctx *ctx, char *dir);

/* Join a directory and a file name; the caller frees the result. */
char *ph_test_path(const char *dir, const char *file);

/* Path of a file under the shared context ($PUHUI_SHARED_DIR, else ../shared),
 * or NULL when it is absent; the test should then skip() with a message. */
char *ph_test_shared_file(const char *relative);

/* Path of a committed fixture, tests/fixtures/RELATIVE ($PUHUI_FIXTURES set by
 * CTest). Fails the test when the file is absent. Free with free(). */
char *ph_test_fixture(const char *relative);

/* Remove a directory tree made by ph_test_tmpdir. */
void ph_test_rmtree(const char *dir);

/* Write `text` to `path` (truncating); fails the test on error. */
void ph_test_write_file(const char *path, const char *text);

/* A fresh database DIR/NAME (any old file removed), migrated to the latest
 * schema; fails the test on error. Free it with ph_store_free. */
ph_store *ph_test_open_db(const ph_ctx *ctx, const char *dir, const char *name);

/* The access tests' parties: two registered firms of Jinan (codes 1 and 2
 * generated for 370102) into firm and other, and the institutions BANK01 (a
 * commercial bank) and BANK02 (a village bank). Fails the test on error. */
void ph_test_add_parties(ph_store *store, char firm[PH_USCC_LEN + 1],
                         char other[PH_USCC_LEN + 1]);

/* Run parameterless SQL on a store; fails the test on error. */
void ph_test_exec(ph_store *store, const char *sql);

/* The single integer a query returns; fails the test on error. */
int64_t ph_test_query_int(ph_store *store, const char *sql);

/* Assert that a status is `expected` and that the error message contains
 * `needle` (NULL: do not check the message). Prints the message on failure. */
#define ph_assert_error(status, expected, err, needle) \
    ph_test_assert_error_((status), (expected), (err), (needle), __FILE__, __LINE__)
void ph_test_assert_error_(ph_status status, ph_status expected, const ph_error *err,
                           const char *needle, const char *file, int line);

/* Assert PH_OK, printing the error message otherwise. */
#define ph_assert_ok(status, err) ph_test_assert_error_((status), PH_OK, (err), NULL, __FILE__, __LINE__)

#endif
