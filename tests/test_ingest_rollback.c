/*
 * Rolling back a file whose rows a later file has replaced since: a file F
 * corrects the rows of an earlier load P; while F is still running, another
 * file C of the same feed corrects some of F's rows; then F is taken back
 * (refused for bad rows, or replaced after a crash). The rollback must not
 * fail (P's old version put back next to C's row would duplicate the key),
 * must leave none of F's rows anywhere (not in history either), and must
 * chain P's version to C so a point-in-time read sees P's row until C's
 * row became known, and C's row from then on.
 */
#include "ph_ingest_test.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROWS 1200
#define P_ROWS 24 /* the earlier load: months 0..23 */
#define C_ROWS 48 /* the later file: months 0..47, half of them new in F */
#define P_KNOWN "2024-01-31"
#define F_KNOWN "2024-03-31"
#define C_KNOWN "2024-05-31"

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
    char *db;
    char *reg;
    char *p, *f, *c;
    int c_loaded;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_test_env_open("test_ingest_rollback", &f->ctx, &f->dir);
    f->db = ph_test_path(f->dir, "rollback.db");
    f->reg = ph_test_path(f->dir, "registration.csv");
    ph_test_write_file(f->reg, REG_HEADER REG_A);
    f->p = ph_ingest_test_vat_file(f->dir, "p", P_ROWS, 0, "100.00");
    f->f = ph_ingest_test_vat_file(f->dir, "f", ROWS, 700, "200.00"); /* 58% bad: refused at its end */
    f->c = ph_ingest_test_vat_file(f->dir, "c", C_ROWS, 0, "300.00");
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->c);
    free(f->f);
    free(f->p);
    free(f->reg);
    free(f->db);
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

static ph_status load(ph_store *store, const char *path, const char *known_on,
                      void (*progress)(void *, const char *, const ph_ingest_counts *),
                      void *user, ph_error *err)
{
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = known_on;
    opts.batch_rows = 100;
    opts.progress = progress;
    opts.progress_user = user;
    ph_ingest *ing = NULL;
    ph_status st = ph_ingest_new(store, &opts, &ing, err);
    if (st == PH_OK)
        st = ph_ingest_paths(ing, &path, 1, err);
    ph_ingest_free(ing);
    return st;
}

/* A second connection (another process, as far as SQLite is concerned)
 * loads C while F is between two batches. */
static void load_c_once(void *user, const char *path, const ph_ingest_counts *so_far)
{
    (void)path;
    fixture *f = user;
    if (f->c_loaded || so_far->rows < 100)
        return;
    f->c_loaded = 1;
    ph_store *other = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, f->db, NULL, &other, &err), &err);
    ph_assert_ok(load(other, f->c, C_KNOWN, NULL, NULL, &err), &err);
    ph_store_free(other);
}

/* P and the registration loaded into a fresh database. */
static ph_store *loaded_p(fixture *f)
{
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "rollback.db");
    ph_error err;
    ph_assert_ok(load(store, f->reg, P_KNOWN, NULL, NULL, &err), &err);
    ph_assert_ok(load(store, f->p, P_KNOWN, NULL, NULL, &err), &err);
    return store;
}

static int64_t file_id(ph_store *store, const char *sub, const char *state)
{
    char sql[256];
    snprintf(sql, sizeof(sql), "SELECT max(id) FROM ingest_file WHERE path LIKE '%%/%s/%%' "
                               "AND state = '%s'", sub, state);
    return ph_test_query_int(store, sql);
}

__attribute__((format(printf, 2, 3))) static int64_t count(ph_store *store, const char *fmt,
                                                           ...)
{
    char sql[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sql, sizeof(sql), fmt, ap);
    va_end(ap);
    return ph_test_query_int(store, sql);
}

/* sales_amount_fen of month 1950-01 as a point-in-time read on `day` sees
 * it: the current row or the history version valid on that day. */
static int64_t amount_on(ph_store *store, const char *day)
{
    char sql[600];
    snprintf(sql, sizeof(sql),
             "SELECT sales_amount_fen FROM feed_vat_invoices WHERE month = '1950-01' AND "
             "known_on <= '%s' UNION ALL SELECT sales_amount_fen FROM "
             "feed_vat_invoices_history WHERE month = '1950-01' AND known_on <= '%s' AND "
             "superseded_on > '%s'",
             day, day, day);
    return ph_test_query_int(store, sql);
}

/* After F's rollback: C's rows current, P's versions chained to C, nothing of F. */
static void assert_f_gone(ph_store *store, int64_t f_id, int64_t c_id)
{
    assert_int_equal(count(store, "SELECT count(*) FROM feed_vat_invoices_history WHERE "
                                  "file_id = %lld OR superseded_by = %lld", (long long)f_id, (long long)f_id),
                     0);
    assert_int_equal(count(store, "SELECT count(*) FROM feed_vat_invoices WHERE file_id = %lld "
                                  "OR file_id = %lld", (long long)f_id, (long long)f_id),
                     0);
    /* P's 24 versions: valid until C's row became known, superseded by C */
    assert_int_equal(count(store, "SELECT count(*) FROM feed_vat_invoices_history WHERE "
                                  "superseded_by = %lld AND superseded_on = '" C_KNOWN
                                  "' AND sales_amount_fen = 10000 AND file_id <> %lld",
                           (long long)c_id, (long long)c_id),
                     P_ROWS);
    assert_int_equal(amount_on(store, "2024-04-15"), 10000); /* P: F never happened */
    assert_int_equal(amount_on(store, "2024-06-15"), 30000); /* C */
}

static void test_refused_after_later_file(void **state)
{
    fixture *f = *state;
    ph_store *store = loaded_p(f);
    ph_error err;
    ph_assert_error(load(store, f->f, F_KNOWN, load_c_once, f, &err), PH_EINVAL, &err,
                    "refused: 700 of its 1200 records are bad");
    assert_true(f->c_loaded);
    int64_t c_id = file_id(store, "c", "done");
    int64_t f_id = file_id(store, "f", "failed");
    assert_true(c_id > 0 && f_id > 0);
    /* C's 48 rows are the current ones, nothing else */
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices"), C_ROWS);
    assert_int_equal(count(store, "SELECT count(*) FROM feed_vat_invoices WHERE file_id = %lld "
                                  "AND sales_amount_fen = 30000", (long long)c_id),
                     C_ROWS);
    assert_f_gone(store, f_id, c_id);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices_history"),
                     P_ROWS);
    /* a re-run is refused again, cleanly, and changes nothing of C */
    char *before = ph_ingest_test_dump(store, NULL);
    ph_assert_error(load(store, f->f, F_KNOWN, NULL, NULL, &err), PH_EINVAL, &err, "refused");
    char *after = ph_ingest_test_dump(store, NULL);
    assert_string_equal(after, before);
    free(after);
    free(before);
    ph_store_free(store);
}

/* The child loads F (all good now) and dies after its second batch. */
static void die_after_two(void *user, const char *path, const ph_ingest_counts *so_far)
{
    (void)user;
    (void)path;
    if (so_far->rows >= 200)
        _exit(0);
}

static void test_replaced_after_later_file(void **state)
{
    fixture *f = *state;
    ph_store *store = loaded_p(f);
    ph_error err;
    free(f->f);
    f->f = ph_ingest_test_vat_file(f->dir, "f", ROWS, 0, "200.00");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        ph_store *child = NULL;
        if (ph_store_open(f->ctx, f->db, NULL, &child, &err) != PH_OK)
            _exit(2);
        (void)load(child, f->f, F_KNOWN, die_after_two, NULL, &err);
        _exit(3);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    int64_t f_id = file_id(store, "f", "running");
    assert_true(f_id > 0);
    /* C is loaded after the crash, over F's committed rows */
    ph_assert_ok(load(store, f->c, C_KNOWN, NULL, NULL, &err), &err);
    int64_t c_id = file_id(store, "c", "done");
    /* F changes (fewer rows, none of C's months) and is loaded again: the
     * crashed run is taken back first */
    char text[2048];
    size_t len = (size_t)snprintf(text, sizeof(text), "%s", VAT_HEADER);
    for (int i = 0; i < 12; i++)
        len += (size_t)snprintf(text + len, sizeof(text) - len,
                                FIRM_A ",%04d-%02d,250.00,1,1.00,1,1,\n", 1990, i + 1);
    ph_test_write_file(f->f, text);
    ph_assert_ok(load(store, f->f, "2024-07-31", NULL, NULL, &err), &err);
    assert_int_equal(file_id(store, "f", "failed"), f_id);
    assert_f_gone(store, f_id, c_id);
    /* C's 48 rows and the new F's 12 */
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices"),
                     C_ROWS + 12);
    ph_store_free(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_refused_after_later_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaced_after_later_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
