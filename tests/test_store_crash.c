/*
 * Crash safety of the store (SQLite backend, WAL, synchronous=NORMAL).
 *
 * A writer child commits numbered batches of rows, one transaction per
 * batch, and reports each batch through a pipe only after its commit has
 * returned. The parent kills it with SIGKILL while it is inside a batch,
 * then reopens the database and proves what the store promises:
 *   - every batch reported committed is there, every row intact (each row
 *     carries a checksum of its contents);
 *   - no batch is partly there: a batch has all its rows or none;
 *   - the database passes PRAGMA integrity_check.
 * The kill lands at a different point in each round, on the same database,
 * so each round also recovers from the previous round's crash.
 */
#include "ph_test.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define ROWS_PER_BATCH 2000
#define MAX_BATCHES 256

/* Where a round kills the writer. */
typedef struct kill_point {
    int batches_before; /* batches committed in this round before the killed one */
    int rows_inserted;  /* rows of the killed batch inserted when the child says so */
    int hold;           /* 1: the child stops there until killed, so the kill lands with
                         * exactly those rows in an open transaction; 0: it writes on
                         * and the kill lands wherever it has got to (even in COMMIT) */
} kill_point;

static const kill_point ROUNDS[] = {
    {2, 1, 1},              /* just begun */
    {3, 1000, 1},           /* half-way, pages of the batch already spilled to the log */
    {2, ROWS_PER_BATCH - 1, 1},
    {3, ROWS_PER_BATCH, 1}, /* every row in, COMMIT not yet called */
    {4, 1000, 0},
    {2, 1500, 0},
};

static const char CREATE_SQL[] =
    "CREATE TABLE IF NOT EXISTS batch_row ("
    " batch INTEGER NOT NULL,"
    " seq INTEGER NOT NULL CHECK (seq BETWEEN 0 AND 1999),"
    " payload TEXT NOT NULL,"
    " checksum INTEGER NOT NULL,"
    " PRIMARY KEY (batch, seq))";

/* --- rows that can prove they are intact ---------------------------------------- */

static uint64_t fnv1a(uint64_t hash, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        hash ^= p[i];
        hash *= 0x100000001b3ULL;
    }
    return hash;
}

/* The row's contents, different for every row and of varying length. */
static void make_payload(int64_t batch, int64_t seq, char *out, size_t size)
{
    uint64_t x = (uint64_t)(batch * 1000003 + seq) * 0x9e3779b97f4a7c15ULL;
    x ^= x >> 31;
    int pad = (int)(x % 40);
    /* 普惠 (inclusive finance) keeps multi-byte text in the mix */
    snprintf(out, size, "batch %lld row %lld \xe6\x99\xae\xe6\x83\xa0 %016llx %.*s",
             (long long)batch, (long long)seq, (unsigned long long)x, pad,
             "........................................");
}

static int64_t row_checksum(int64_t batch, int64_t seq, const char *payload)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, &batch, sizeof(batch));
    h = fnv1a(h, &seq, sizeof(seq));
    h = fnv1a(h, payload, strlen(payload));
    return (int64_t)(h & INT64_MAX);
}

/* --- the writer child --------------------------------------------------------------- */

static void report(int fd, const char *fmt, ...) PH_PRINTF(2, 3);

static void report(int fd, const char *fmt, ...)
{
    char line[PH_ERROR_MESSAGE_MAX + 16];
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (len < 0)
        _exit(3);
    size_t left = (size_t)len < sizeof(line) ? (size_t)len : sizeof(line) - 1;
    const char *p = line;
    while (left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(3);
        p += n;
        left -= (size_t)n;
    }
}

static void child_fail(int fd, const char *what, const ph_error *err)
{
    report(fd, "E %s: %s\n", what, err->message);
    _exit(2);
}

static ph_status insert_row(ph_stmt *ins, int64_t batch, int64_t seq, ph_error *err)
{
    char payload[160];
    make_payload(batch, seq, payload, sizeof(payload));
    ph_status st = ph_stmt_bind_int64(ins, 1, batch, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(ins, 2, seq, err);
    if (st == PH_OK)
        st = ph_stmt_bind_text(ins, 3, payload, -1, err);
    if (st == PH_OK)
        st = ph_stmt_bind_int64(ins, 4, row_checksum(batch, seq, payload), err);
    if (st == PH_OK)
        st = ph_stmt_step(ins, err);
    return st == PH_DONE ? PH_OK : st;
}

/*
 * Write batches first_batch, first_batch+1, ... for ever. Report "C n" after
 * batch n's commit returned, and "S n k" once k rows of the batch to be
 * killed are in. Never returns: it is killed, or leaves with _exit so that
 * nothing of the parent's (cmocka, atexit handlers) runs in the child.
 */
static void run_writer(const char *path, int64_t first_batch, const kill_point *kp, int fd)
{
    ph_error err;
    ph_error_clear(&err);
    ph_ctx *ctx = NULL;
    ph_store *store = NULL;
    ph_stmt *ins = NULL;
    ph_store_options opts = {.must_exist = 1};
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK)
        child_fail(fd, "context", &err);
    if (ph_store_open(ctx, path, &opts, &store, &err) != PH_OK)
        child_fail(fd, "open", &err);
    /* A tiny page cache makes SQLite spill the open transaction's pages into
     * the log before COMMIT, so the kill leaves uncommitted frames in the
     * WAL that recovery must ignore. */
    if (ph_store_exec(store, "PRAGMA cache_size = 16", &err) != PH_OK)
        child_fail(fd, "cache_size", &err);
    if (ph_store_prepare(store,
                         "INSERT INTO batch_row (batch, seq, payload, checksum) "
                         "VALUES (?, ?, ?, ?)",
                         &ins, &err) != PH_OK)
        child_fail(fd, "prepare", &err);

    const int64_t kill_batch = first_batch + kp->batches_before;
    for (int64_t batch = first_batch;; batch++) {
        if (ph_store_begin(store, &err) != PH_OK)
            child_fail(fd, "begin", &err);
        for (int64_t seq = 0; seq < ROWS_PER_BATCH; seq++) {
            if (insert_row(ins, batch, seq, &err) != PH_OK)
                child_fail(fd, "insert", &err);
            if (batch == kill_batch && seq + 1 == kp->rows_inserted) {
                report(fd, "S %lld %d\n", (long long)batch, kp->rows_inserted);
                while (kp->hold)
                    pause(); /* until SIGKILL */
            }
        }
        if (ph_store_commit(store, &err) != PH_OK)
            child_fail(fd, "commit", &err);
        report(fd, "C %lld\n", (long long)batch);
    }
}

/* --- the parent ------------------------------------------------------------------------ */

typedef struct history {
    char committed[MAX_BATCHES]; /* reported committed by a writer */
    int64_t next_batch;          /* first batch id of the next round */
} history;

/* Read the child's reports until it says it is at the kill point (returns
 * the batch being written then) or, after the kill, until the pipe ends
 * (returns -1). Every "C n" is recorded. */
static int64_t read_reports(FILE *in, history *h, int until_kill_point)
{
    char line[PH_ERROR_MESSAGE_MAX + 16];
    while (fgets(line, sizeof(line), in) != NULL) {
        long long batch = 0;
        int rows = 0;
        if (line[0] == 'E')
            fail_msg("writer child failed: %s", line + 2);
        if (sscanf(line, "C %lld", &batch) == 1) {
            assert_true(batch > 0 && batch < MAX_BATCHES);
            h->committed[batch] = 1;
        } else if (sscanf(line, "S %lld %d", &batch, &rows) == 2) {
            assert_true(until_kill_point);
            return batch;
        } else {
            fail_msg("unexpected report from the writer: %s", line);
        }
    }
    if (until_kill_point)
        fail_msg("the writer ended before reaching its kill point");
    return -1;
}

/* Check the whole database against what the writers reported. */
static void verify(const ph_ctx *ctx, const char *path, history *h, int64_t killed_batch,
                   const kill_point *kp)
{
    ph_error err;
    ph_error_clear(&err);
    ph_store *store = NULL;
    ph_store_options opts = {.must_exist = 1};
    ph_assert_ok(ph_store_open(ctx, path, &opts, &store, &err), &err);

    ph_stmt *stmt = NULL;
    ph_assert_ok(ph_store_prepare(store, "PRAGMA integrity_check", &stmt, &err), &err);
    ph_assert_ok(ph_stmt_step(stmt, &err), &err);
    assert_string_equal(ph_stmt_column_text(stmt, 0), "ok");
    assert_int_equal(ph_stmt_step(stmt, &err), PH_DONE);
    ph_stmt_free(stmt);

    static int64_t rows[MAX_BATCHES];
    memset(rows, 0, sizeof(rows));
    ph_assert_ok(ph_store_prepare(store,
                                  "SELECT batch, seq, payload, checksum FROM batch_row "
                                  "ORDER BY batch, seq",
                                  &stmt, &err),
                 &err);
    ph_status st;
    while ((st = ph_stmt_step(stmt, &err)) == PH_OK) {
        int64_t batch = ph_stmt_column_int64(stmt, 0);
        int64_t seq = ph_stmt_column_int64(stmt, 1);
        const char *payload = ph_stmt_column_text(stmt, 2);
        assert_true(batch > 0 && batch < MAX_BATCHES);
        assert_non_null(payload);
        char expected[160];
        make_payload(batch, seq, expected, sizeof(expected));
        if (strcmp(payload, expected) != 0 ||
            ph_stmt_column_int64(stmt, 3) != row_checksum(batch, seq, payload))
            fail_msg("batch %lld row %lld is damaged: '%s'", (long long)batch, (long long)seq,
                     payload);
        rows[batch]++;
    }
    assert_int_equal(st, PH_DONE);
    ph_stmt_free(stmt);
    ph_store_free(store);

    int unreported = 0;
    for (int64_t b = 1; b < MAX_BATCHES; b++) {
        if (h->committed[b] && rows[b] != ROWS_PER_BATCH)
            fail_msg("batch %lld was reported committed but has %lld of %d rows", (long long)b,
                     (long long)rows[b], ROWS_PER_BATCH);
        if (rows[b] != 0 && rows[b] != ROWS_PER_BATCH)
            fail_msg("batch %lld is partial: %lld of %d rows", (long long)b,
                     (long long)rows[b], ROWS_PER_BATCH);
        if (!h->committed[b] && rows[b] != 0)
            unreported++; /* its commit returned, the kill came before the report */
    }
    if (kp->hold) {
        /* killed inside an open transaction: nothing of that batch */
        assert_int_equal(rows[killed_batch], 0);
        assert_int_equal(unreported, 0);
    } else {
        assert_true(unreported <= 1);
    }
}

static void run_round(const ph_ctx *ctx, const char *path, history *h, const kill_point *kp)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    fflush(NULL); /* nothing buffered may be written twice */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        run_writer(path, h->next_batch, kp, fds[1]);
        _exit(4); /* not reached */
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "r");
    assert_non_null(in);

    int64_t killed_batch = read_reports(in, h, 1);
    assert_int_equal(kill(pid, SIGKILL), 0);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGKILL);
    read_reports(in, h, 0); /* commits reported between the kill point and the kill */
    fclose(in);

    /* The crash left a write-ahead log for the next open to recover. */
    char wal[1024];
    snprintf(wal, sizeof(wal), "%s-wal", path);
    struct stat sb;
    assert_int_equal(stat(wal, &sb), 0);
    assert_true(sb.st_size > 0);

    verify(ctx, path, h, killed_batch, kp);
    int64_t next = killed_batch + 1;
    for (int64_t b = next; b < MAX_BATCHES; b++)
        if (h->committed[b])
            next = b + 1;
    assert_true(next + 8 < MAX_BATCHES);
    h->next_batch = next;
}

static void test_kill_writer_mid_batch(void **state)
{
    (void)state;
    char *dir = ph_test_tmpdir("store-crash");
    char *path = ph_test_path(dir, "crash.db");
    ph_error err;
    ph_error_clear(&err);
    ph_ctx *ctx = NULL;
    ph_assert_ok(ph_ctx_new(NULL, &ctx, &err), &err);
    ph_store *store = NULL;
    ph_assert_ok(ph_store_open(ctx, path, NULL, &store, &err), &err);
    ph_assert_ok(ph_store_exec(store, CREATE_SQL, &err), &err);
    ph_store_free(store); /* no connection is open across fork */

    history h;
    memset(&h, 0, sizeof(h));
    h.next_batch = 1;
    int committed_total = 0;
    for (size_t r = 0; r < sizeof(ROUNDS) / sizeof(ROUNDS[0]); r++) {
        run_round(ctx, path, &h, &ROUNDS[r]);
        int committed = 0;
        for (int b = 0; b < MAX_BATCHES; b++)
            committed += h.committed[b];
        /* each round committed at least the batches before its kill point */
        assert_true(committed >= committed_total + ROUNDS[r].batches_before);
        committed_total = committed;
    }
    ph_ctx_free(ctx);
    ph_test_rmtree(dir);
    free(path);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_writer_mid_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
