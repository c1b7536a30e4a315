/*
 * Leases on running files, with real second processes: a child ingests a
 * file in small batches and stops after its first batch, either waiting
 * (a live run) or exiting without finishing (a crash). A run in the parent
 * must skip the live run's file with PH_EBUSY and a message naming the
 * holder, take over the crashed run's file, take over a lease whose
 * heartbeat is stale even from another host, and, when the file was
 * replaced after the crash, roll back and report the old record.
 */
#include "ph_ingest_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROWS 600
#define BATCH 100
#define KNOWN_ON "2024-06-30"

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
    char *db;
    char *vat;
} fixture;

/* vat_invoices.csv: ROWS months of FIRM_A, each with sales `amount`. */
static void write_vat(const fixture *f, const char *amount)
{
    size_t cap = ROWS * 96 + sizeof(VAT_HEADER);
    char *text = malloc(cap);
    assert_non_null(text);
    size_t len = (size_t)snprintf(text, cap, "%s", VAT_HEADER);
    for (int i = 0; i < ROWS; i++)
        len += (size_t)snprintf(text + len, cap - len, FIRM_A ",%04d-%02d,%s,1,1.00,1,1,\n",
                                1950 + i / 12, i % 12 + 1, amount);
    ph_test_write_file(f->vat, text);
    free(text);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    ph_error err;
    ph_test_env_open("test_ingest_lease", &f->ctx, &f->dir);
    char *reg = ph_test_path(f->dir, "registration.csv");
    ph_test_write_file(reg, REG_HEADER REG_A);
    f->vat = ph_test_path(f->dir, "vat_invoices.csv");
    write_vat(f, "100.00");
    f->db = ph_test_path(f->dir, "hub.db");
    ph_store *store = ph_test_open_db(f->ctx, f->dir, "hub.db");
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){reg}, 1, KNOWN_ON, 2, 0, NULL, &err),
                 &err);
    ph_store_free(store);
    free(reg);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    free(f->db);
    free(f->vat);
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

/* What the child does after its first committed batch. */
typedef struct child_plan {
    int report_fd; /* a byte written here: the batch is committed */
    int wait_fd;   /* -1: exit at once (a crash); else wait for a byte (live) */
} child_plan;

static void after_batch(void *user, const char *path, const ph_ingest_counts *so_far)
{
    (void)path;
    (void)so_far;
    child_plan *p = user;
    if (p->report_fd < 0)
        return; /* reported already */
    char one = 1;
    if (write(p->report_fd, &one, 1) != 1)
        _exit(3);
    p->report_fd = -1;
    if (p->wait_fd < 0)
        _exit(0); /* gone without finishing: its lease is left behind */
    if (read(p->wait_fd, &one, 1) != 1)
        _exit(4);
}

/* Fork a child ingesting the VAT file; returns once its first batch is
 * committed. *release (may be NULL: a crash) lets a live child go on. */
static pid_t start_child(const fixture *f, int live, int *release)
{
    int report[2], hold[2];
    assert_int_equal(pipe(report), 0);
    assert_int_equal(pipe(hold), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(report[0]);
        close(hold[1]);
        child_plan plan = {report[1], live ? hold[0] : -1};
        ph_store *store = NULL;
        ph_error err;
        if (ph_store_open(f->ctx, f->db, NULL, &store, &err) != PH_OK)
            _exit(2);
        ph_ingest_options opts;
        ph_ingest_options_init(&opts);
        opts.known_on = KNOWN_ON;
        opts.batch_rows = BATCH;
        opts.threads = 1;
        opts.progress = after_batch;
        opts.progress_user = &plan;
        ph_ingest *ing = NULL;
        const char *paths[] = {f->vat};
        if (ph_ingest_new(store, &opts, &ing, &err) != PH_OK ||
            ph_ingest_paths(ing, paths, 1, &err) != PH_OK)
            _exit(5);
        const ph_ingest_file_result *r = ph_ingest_result_at(ing, 0);
        int full = r != NULL && r->counts.rows == ROWS && r->counts.accepted == ROWS;
        ph_ingest_free(ing);
        ph_store_free(store);
        _exit(full ? 0 : 6);
    }
    close(report[1]);
    close(hold[0]);
    char c;
    assert_int_equal(read(report[0], &c, 1), 1);
    close(report[0]);
    if (release != NULL)
        *release = hold[1];
    else
        close(hold[1]);
    if (!live) {
        int status = 0;
        assert_int_equal(waitpid(pid, &status, 0), pid);
    }
    return pid;
}

static ph_status ingest_vat(const fixture *f, ph_store *store, ph_ingest **out, ph_error *err)
{
    return ph_ingest_test_run(store, (const char *[]){f->vat}, 1, KNOWN_ON, 2, BATCH, out, err);
}

static void assert_contains(const char *text, const char *part)
{
    if (strstr(text, part) == NULL)
        fail_msg("'%s'\n  does not contain '%s'", text, part);
}

static void test_live_lease_is_skipped(void **state)
{
    fixture *f = *state;
    int release = -1;
    pid_t child = start_child(f, 1, &release);
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, f->db, NULL, &store, &err), &err);
    ph_ingest *ing = NULL;
    ph_assert_error(ingest_vat(f, store, &ing, &err), PH_EBUSY, &err,
                    "skipped: another run is ingesting this file");
    char holder[64];
    snprintf(holder, sizeof(holder), "process %lld on host ", (long long)child);
    assert_contains(err.message, holder);
    assert_contains(err.message, "vat_invoices.csv");
    const ph_ingest_file_result *r = ph_ingest_result_at(ing, 0);
    assert_non_null(r);
    assert_int_equal(r->skipped, 1);
    assert_int_equal(r->counts.rows, 0);
    ph_ingest_free(ing);
    /* the live run finishes on its own, with the full counts */
    char go = 1;
    assert_int_equal(write(release, &go, 1), 1);
    close(release);
    int status = 0;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM ingest_file WHERE feed = "
                                              "'vat_invoices'"),
                     1);
    assert_int_equal(ph_test_query_int(store, "SELECT rows_read FROM ingest_file WHERE feed = "
                                              "'vat_invoices' AND state = 'done'"),
                     ROWS);
    ph_store_free(store);
}

static void test_stale_lease_is_taken_over(void **state)
{
    fixture *f = *state;
    start_child(f, 0, NULL); /* crashed after one batch: its process is gone */
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, f->db, NULL, &store, &err), &err);
    assert_int_equal(ph_test_query_int(store, "SELECT rows_read FROM ingest_file WHERE state = "
                                              "'running'"),
                     BATCH);
    /* a lease from another host with a fresh heartbeat is live */
    ph_test_exec(store, "UPDATE ingest_file SET lease_host = 'elsewhere', lease_heartbeat = "
                        "CAST(strftime('%s', 'now') AS INTEGER) WHERE state = 'running'");
    ph_assert_error(ingest_vat(f, store, NULL, &err), PH_EBUSY, &err, "on host elsewhere");
    /* stale: its heartbeat is an hour old */
    ph_test_exec(store, "UPDATE ingest_file SET lease_heartbeat = lease_heartbeat - 3600 WHERE "
                        "state = 'running'");
    ph_ingest *ing = NULL;
    ph_assert_ok(ingest_vat(f, store, &ing, &err), &err);
    const ph_ingest_file_result *r = ph_ingest_result_at(ing, 0);
    assert_int_equal(r->resumed, 1);
    assert_int_equal(r->counts.rows, ROWS);
    assert_int_equal(r->counts.accepted, ROWS);
    ph_ingest_free(ing);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices"), ROWS);
    ph_store_free(store);

    /* and on this host, a dead process's lease is taken over at once */
    ph_test_rmtree(f->dir);
    teardown(state);
    setup(state);
    f = *state;
    start_child(f, 0, NULL);
    ph_assert_ok(ph_store_open(f->ctx, f->db, NULL, &store, &err), &err);
    ing = NULL;
    ph_assert_ok(ingest_vat(f, store, &ing, &err), &err);
    assert_int_equal(ph_ingest_result_at(ing, 0)->resumed, 1);
    assert_int_equal(ph_ingest_result_at(ing, 0)->counts.rows, ROWS);
    ph_ingest_free(ing);
    ph_store_free(store);
}

static void test_replaced_file_is_rolled_back(void **state)
{
    fixture *f = *state;
    start_child(f, 0, NULL); /* crashed with 100 rows of the old file committed */
    write_vat(f, "250.00");  /* the file is replaced before the next run */
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, f->db, NULL, &store, &err), &err);
    ph_ingest *ing = NULL;
    ph_assert_ok(ingest_vat(f, store, &ing, &err), &err);
    const ph_ingest_file_result *r = ph_ingest_result_at(ing, 0);
    assert_int_equal(r->resumed, 0);
    assert_int_equal(r->counts.accepted, ROWS); /* all new: the old rows were taken back */
    assert_non_null(r->note);
    assert_contains(r->note, "replaced: the file changed after an interrupted ingestion");
    assert_contains(r->note, "the 100 rows it had committed were rolled back");
    ph_ingest_free(ing);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM ingest_file WHERE state = "
                                              "'running'"),
                     0);
    char *outcome = ph_ingest_test_text(store, "SELECT outcome FROM ingest_file WHERE state = "
                                               "'failed'");
    assert_contains(outcome, "replaced");
    free(outcome);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices WHERE "
                                              "sales_amount_fen = 25000"),
                     ROWS);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices"), ROWS);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices_history"),
                     0);
    ph_store_free(store);
}

/* --- two runs of one process, a clock far ahead -------------------------------------- */

typedef struct second_run {
    const fixture *f;
    int done;
    ph_status status;
    ph_error err;
    int skipped;
    const char *remove; /* a path to delete after the first batch, or NULL */
} second_run;

/* After the first batch of run A: run B, a second ph_ingest of this very
 * process on its own connection, on the same file. */
static void run_second(void *user, const char *path, const ph_ingest_counts *so_far)
{
    (void)path;
    (void)so_far;
    second_run *s = user;
    if (s->done)
        return;
    s->done = 1;
    if (s->remove != NULL) {
        assert_int_equal(remove(s->remove), 0);
        return;
    }
    ph_store *other = NULL;
    ph_assert_ok(ph_store_open(s->f->ctx, s->f->db, NULL, &other, &s->err), &s->err);
    ph_ingest *ing = NULL;
    s->status = ingest_vat(s->f, other, &ing, &s->err);
    s->skipped = ph_ingest_result_at(ing, 0) != NULL && ph_ingest_result_at(ing, 0)->skipped;
    ph_ingest_free(ing);
    ph_store_free(other);
}

static ph_status run_with(const fixture *f, ph_store *store, const char *const *paths,
                          size_t n, second_run *s, ph_ingest **out, ph_error *err)
{
    ph_ingest_options opts;
    ph_ingest_options_init(&opts);
    opts.known_on = KNOWN_ON;
    opts.batch_rows = BATCH;
    opts.threads = 1;
    opts.progress = run_second;
    opts.progress_user = s;
    (void)f;
    ph_ingest *ing = NULL;
    ph_status st = ph_ingest_new(store, &opts, &ing, err);
    if (st == PH_OK)
        st = ph_ingest_paths(ing, paths, n, err);
    *out = ing;
    return st;
}

static void test_two_runs_of_one_process(void **state)
{
    fixture *f = *state;
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, f->db, NULL, &store, &err), &err);
    second_run second = {f, 0, PH_OK, {0}, 0, NULL};
    ph_ingest *ing = NULL;
    ph_assert_ok(run_with(f, store, (const char *[]){f->vat}, 1, &second, &ing, &err), &err);
    /* B found A's lease live (same process, another run) and left the file */
    assert_true(second.done);
    assert_int_equal(second.status, PH_EBUSY);
    assert_true(second.skipped);
    assert_contains(second.err.message, "another run is ingesting this file");
    /* A loaded it alone, fully, under one record */
    const ph_ingest_file_result *r = ph_ingest_result_at(ing, 0);
    assert_int_equal(r->counts.rows, ROWS);
    assert_int_equal(r->counts.accepted, ROWS);
    ph_ingest_free(ing);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM ingest_file WHERE feed = "
                                              "'vat_invoices'"),
                     1);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM feed_vat_invoices"), ROWS);
    ph_store_free(store);
}

static void test_failed_run_releases_its_leases(void **state)
{
    fixture *f = *state;
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, f->db, NULL, &store, &err), &err);
    /* a second VAT file, gone when the run comes to read it */
    char *sub = ph_test_path(f->dir, "more");
    assert_int_equal(mkdir(sub, 0700), 0);
    char *more = ph_test_path(sub, "vat_invoices.csv");
    ph_test_write_file(more, VAT_HEADER FIRM_A ",2020-01,1.00,1,1.00,1,1,\n");
    second_run gone = {f, 0, PH_OK, {0}, 0, more};
    ph_ingest *ing = NULL;
    ph_assert_error(run_with(f, store, (const char *[]){f->vat, more}, 2, &gone, &ing, &err),
                    PH_EIO, &err, NULL);
    /* still running (resumable), but no longer held by the run that ended */
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM ingest_file WHERE state = "
                                              "'running' AND lease_pid IS NULL"),
                     1);
    assert_int_equal(ph_test_query_int(store, "SELECT count(*) FROM ingest_file WHERE state = "
                                              "'running'"),
                     1);
    ph_ingest_free(ing);
    /* another run of this process resumes it at once */
    ph_test_write_file(more, VAT_HEADER FIRM_A ",2020-01,1.00,1,1.00,1,1,\n");
    ing = NULL;
    ph_assert_ok(ph_ingest_test_run(store, (const char *[]){more}, 1, KNOWN_ON, 2, BATCH, &ing,
                                    &err),
                 &err);
    assert_int_equal(ph_ingest_result_at(ing, 0)->resumed, 1);
    ph_ingest_free(ing);
    free(more);
    free(sub);
    ph_store_free(store);
}

static void test_heartbeat_from_the_future(void **state)
{
    fixture *f = *state;
    start_child(f, 0, NULL); /* crashed after one batch */
    ph_store *store = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(f->ctx, f->db, NULL, &store, &err), &err);
    /* another host whose clock runs a minute ahead: live */
    ph_test_exec(store, "UPDATE ingest_file SET lease_host = 'ahead', lease_heartbeat = "
                        "CAST(strftime('%s', 'now') AS INTEGER) + 60 WHERE state = 'running'");
    ph_assert_error(ingest_vat(f, store, NULL, &err), PH_EBUSY, &err, "on host ahead");
    /* an hour ahead, then it crashed: its heartbeat would never grow old */
    ph_test_exec(store, "UPDATE ingest_file SET lease_heartbeat = lease_heartbeat + 3600 WHERE "
                        "state = 'running'");
    ph_ingest *ing = NULL;
    ph_assert_ok(ingest_vat(f, store, &ing, &err), &err);
    assert_int_equal(ph_ingest_result_at(ing, 0)->resumed, 1);
    assert_int_equal(ph_ingest_result_at(ing, 0)->counts.rows, ROWS);
    ph_ingest_free(ing);
    ph_store_free(store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_live_lease_is_skipped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stale_lease_is_taken_over, setup, teardown),
        cmocka_unit_test_setup_teardown(test_replaced_file_is_rolled_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_runs_of_one_process, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_run_releases_its_leases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_heartbeat_from_the_future, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
