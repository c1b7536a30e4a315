/*
 * Crash safety of ingestion: a child process ingests a generated province
 * in small batches and reports each committed batch through a pipe; the
 * parent kills it with SIGKILL after a given number of batches (the child
 * writes on, so the kill lands inside a later batch, wherever it has got
 * to). Then the same ingestion runs again in the parent, to completion,
 * and the tables must equal those of an uninterrupted run: every feed
 * table and its history, enterprise, institution and the quarantine, row
 * for row, file_id and line included (every unfinished file of the killed
 * run is resumed under its own ingest_file id). Each round kills at a
 * different point.
 */
#include "ph_ingest_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BATCH_ROWS 500
#define KNOWN_ON "2024-04-30"
/* Each file's first ingest_file record: its counts, which for the resumed
 * file add up what both runs did. */
#define FIRST_RECORDS                                                                        \
    "SELECT group_concat(path || ':' || rows_read || ':' || accepted || ':' || unchanged || "  \
    "':' || superseded || ':' || rejected, ' ') FROM (SELECT * FROM ingest_file WHERE id IN "  \
    "(SELECT min(id) FROM ingest_file GROUP BY path) ORDER BY path)"

static const int KILL_AFTER[] = {1, 6, 17, 30};

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
    char *province;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_error err;
    ph_test_env_open("test_ingest_crash", &f->ctx, &f->dir);
    f->province = ph_test_path(f->dir, "province");
    ph_gen_options opts;
    ph_gen_options_init(&opts);
    opts.enterprises = 300;
    opts.months = 3;
    opts.dirty_rate = 0.01;
    opts.out_dir = f->province;
    opts.threads = 1;
    ph_assert_ok(ph_gen_run(f->ctx, &opts, NULL, &err), &err);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->province);
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

static void report_batch(void *user, const char *path, const ph_ingest_counts *so_far)
{
    (void)path;
    (void)so_far;
    int fd = *(int *)user;
    char one = 1;
    if (write(fd, &one, 1) != 1)
        _exit(3);
}

/* The child: ingest, reporting each committed batch; never returns. */
static void child_ingest(const fixture *f, const char *db, int fd)
{
    ph_store *store = NULL;
    ph_error err;
    if (ph_store_open(f->ctx, db, NULL, &store, &err) != PH_OK)
        _exit(2);
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = KNOWN_ON;
    opts.batch_rows = BATCH_ROWS;
    opts.progress = report_batch;
    opts.progress_user = &fd;
    ph_ingest *ing = NULL;
    const char *paths[] = {f->province};
    if (ph_ingest_new(store, &opts, &ing, &err) != PH_OK ||
        ph_ingest_paths(ing, paths, 1, &err) != PH_OK)
        _exit(2);
    _exit(0);
}

/* Run the child and kill it after `batches` committed batches. Returns 1
 * when the kill landed before it finished. */
static int crash_after(const fixture *f, const char *db, int batches)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        child_ingest(f, db, fds[1]);
    }
    close(fds[1]);
    int seen = 0;
    char c;
    while (seen < batches && read(fds[0], &c, 1) == 1)
        seen++;
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    close(fds[0]);
    return WIFSIGNALED(status);
}

static void test_kill_and_resume(void **state)
{
    fixture *f = *state;
    ph_error err;
    const char *paths[] = {f->province};
    ph_store *clean = ph_test_open_db(f->ctx, f->dir, "clean.db");
    ph_assert_ok(ph_ingest_test_run(clean, paths, 1, KNOWN_ON, 2, BATCH_ROWS, NULL, &err), &err);
    char *expected = ph_ingest_test_dump(clean, NULL);
    char *counts = ph_ingest_test_text(clean, FIRST_RECORDS);
    ph_store_free(clean);

    for (size_t round = 0; round < sizeof(KILL_AFTER) / sizeof(KILL_AFTER[0]); round++) {
        char name[32];
        snprintf(name, sizeof(name), "crash%zu.db", round);
        ph_store *store = ph_test_open_db(f->ctx, f->dir, name);
        char *db = ph_test_path(f->dir, name);
        ph_store_free(store);
        assert_true(crash_after(f, db, KILL_AFTER[round]));

        ph_assert_ok(ph_store_open(f->ctx, db, NULL, &store, &err), &err);
        /* the crash left the run's unfinished files 'running' */
        int64_t running = ph_test_query_int(store, "SELECT count(*) FROM ingest_file WHERE "
                                                   "state = 'running'");
        assert_true(running >= 1);
        assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM ingest_run WHERE "
                                                  "finished_at IS NULL"),
                         1);
        ph_ingest *ing = NULL;
        ph_assert_ok(ph_ingest_test_run(store, paths, 1, KNOWN_ON, 2, BATCH_ROWS, &ing, &err),
                     &err);
        int resumed = 0;
        for (size_t i = 0; i < ph_ingest_result_count(ing); i++)
            resumed += ph_ingest_result_at(ing, i)->resumed;
        assert_int_equal(resumed, running);
        ph_ingest_free(ing);
        char *got = ph_ingest_test_dump(store, NULL);
        if (strcmp(got, expected) != 0) {
            char *a = ph_test_path(f->dir, "expected.txt"), *b = ph_test_path(f->dir, "got.txt");
            ph_test_write_file(a, expected);
            ph_test_write_file(b, got);
            fprintf(stderr, "diff %s %s\n", a, b);
            free(a);
            free(b);
            fail_msg("round %zu (killed after %d batches): the tables differ from an "
                     "uninterrupted run", round, KILL_AFTER[round]);
        }
        /* the resumed file's counts cover the whole file */
        char *got_counts = ph_ingest_test_text(store, FIRST_RECORDS);
        assert_string_equal(got_counts, counts);
        free(got_counts);
        assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM ingest_file WHERE "
                                                  "state = 'running'"),
                         0);
        char *check = ph_ingest_test_text(store, "PRAGMA integrity_check");
        assert_string_equal(check, "ok");
        free(check);
        free(got);
        free(db);
        ph_store_free(store);
    }
    free(expected);
    free(counts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kill_and_resume, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
