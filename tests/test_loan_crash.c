/*
 * SIGKILL inside close of business and inside a repayment batch.
 *
 * (a) A book of imported loans is copied. On the copy, COB runs ~60 days
 *     uninterrupted. On the original, a child runs the same COB and the
 *     parent kills it with SIGKILL at a random moment, several rounds, each
 *     round resuming from the last; then the parent runs COB to the end.
 *     A canonical dump of both (the ledger's verification with its chain
 *     head, every journal line, every loan's sub-ledger rows, the trial
 *     balance, every loan's state) must be byte-identical.
 * (b) A batch of repayments, each with its reference, is applied on a copy
 *     uninterrupted; on the original a child applies it and is killed at
 *     random moments, then the parent runs the whole batch again: every
 *     repayment is applied once (cash and every loan equal the copy's).
 *
 * The moments are random (the seed is printed; PH_CRASH_SEED repeats one).
 */
#include "support/ph_loan_test.h"
#include "support/ph_test.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOANS 3000
#define ROUNDS 6

static ph_date day(const char *iso)
{
    ph_date d;
    ph_error err;
    ph_assert_ok(ph_date_parse(iso, strlen(iso), &d, &err), &err);
    return d;
}

static unsigned seed_once(void)
{
    static unsigned seed;
    if (seed == 0) {
        const char *env = getenv("PH_CRASH_SEED");
        seed = env != NULL ? (unsigned)strtoul(env, NULL, 10)
                           : (unsigned)time(NULL) ^ ((unsigned)getpid() << 8);
        if (seed == 0)
            seed = 1;
        print_message("test_loan_crash: seed %u (PH_CRASH_SEED repeats it)\n", seed);
        srand(seed);
    }
    return seed;
}

static void copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb");
    if (in == NULL) {
        remove(to);
        return; /* no -wal file: nothing to copy */
    }
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* Copy a closed database with its log, if one was left. */
static void copy_db(const char *dir, const char *from, const char *to)
{
    const char *suffix[] = {"", "-wal"};
    for (int k = 0; k < 2; k++) {
        char a[1024], b[1024];
        snprintf(a, sizeof(a), "%s/%s%s", dir, from, suffix[k]);
        snprintf(b, sizeof(b), "%s/%s%s", dir, to, suffix[k]);
        copy_file(a, b);
    }
}

static ph_store *open_db(const ph_ctx *ctx, const char *dir, const char *name)
{
    char *path = ph_test_path(dir, name);
    ph_store *s = NULL;
    ph_error err;
    ph_assert_ok(ph_store_open(ctx, path, NULL, &s, &err), &err);
    free(path);
    return s;
}

/* ---- the canonical dump, through the public API ------------------------------------------- */

typedef struct dump {
    FILE *f;
    ph_store *store;
} dump;

static int dump_journal(const ph_ledger_journal_line *l, void *user)
{
    fprintf(((dump *)user)->f, "J %lld %d %s %s %lld %s %s %s %lld %lld %lld\n",
            (long long)l->entry_id, (int)l->value_date, l->event, l->memo, (long long)l->reverses,
            l->account, l->product, l->party, (long long)l->loan_id, (long long)l->debit,
            (long long)l->credit);
    return 0;
}

static int dump_balance(const ph_ledger_balance *b, void *user)
{
    fprintf(((dump *)user)->f, "T %s %s %s %lld %lld\n", b->account, b->product, b->party,
            (long long)b->debit, (long long)b->credit);
    return 0;
}

static int dump_loan(const ph_loan_info *i, void *user)
{
    dump *d = user;
    const ph_loan_state *s = &i->state;
    fprintf(d->f,
            "L %lld %s %lld %lld %lld %lld %lld %lld %d %d %lld %d %d %lld %lld %lld %lld %lld "
            "%lld %d %d %d\n",
            (long long)i->id, i->status, (long long)s->principal, (long long)s->principal_due,
            (long long)s->interest_receivable, (long long)s->interest_due,
            (long long)s->penalty, (long long)i->fee_receivable, (int)s->dpd, (int)s->category,
            (long long)s->provision, (int)s->next_k, (int)s->last_cob,
            (long long)s->accrual.closed, (long long)s->accrual.balance_days,
            (long long)s->accrual.posted, (long long)s->penalty_accrual.posted,
            (long long)s->accrual_balance, (long long)s->penalty_base, (int)s->oldest_unpaid_due,
            (int)s->npl_since, (int)i->last_event_on);
    /* the loan's sub-ledger rows */
    ph_error err;
    ph_assert_ok(ph_ledger_journal(d->store, day("2020-01-01"), day("2030-12-31"), i->id,
                                   dump_journal, d, &err),
                 &err);
    return 0;
}

/* Everything COB and servicing write, as text; the caller frees it. */
static char *canonical_dump(ph_store *s)
{
    dump d = {NULL, s};
    char *text = NULL;
    size_t len = 0;
    d.f = open_memstream(&text, &len);
    assert_non_null(d.f);
    ph_error err;
    ph_ledger_verify_result v;
    ph_assert_ok(ph_ledger_verify(s, &v, &err), &err);
    assert_int_equal(v.bad_entry, 0);
    fprintf(d.f, "V %lld %lld %lld %s\n", (long long)v.entries, (long long)v.lines,
            (long long)v.subledger_rows, v.head);
    ph_date last = 0;
    ph_assert_ok(ph_cob_last_day(s, &last, &err), &err);
    fprintf(d.f, "C %d\n", (int)last);
    ph_assert_ok(ph_ledger_journal(s, day("2020-01-01"), day("2030-12-31"), 0, dump_journal, &d,
                                   &err),
                 &err);
    ph_assert_ok(ph_ledger_trial_balance(s, day("2030-12-31"), dump_balance, &d, &err), &err);
    ph_assert_ok(ph_loan_list(s, NULL, NULL, dump_loan, &d, &err), &err);
    fclose(d.f);
    return text;
}

static void assert_same_dump(const char *a, const char *b)
{
    if (strcmp(a, b) == 0)
        return;
    size_t i = 0, line = 1;
    while (a[i] && a[i] == b[i])
        line += a[i++] == '\n';
    print_error("dumps differ at line %zu:\n  interrupted:   %.160s\n  uninterrupted: %.160s\n",
                line, a + i, b + i);
    fail();
}

/* ---- the book -------------------------------------------------------------------------------- */

typedef struct fixture {
    ph_ctx *ctx;
    char *dir;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    ph_test_env_open("loan_crash", &f->ctx, &f->dir);
    seed_once();
    ph_store *s = ph_test_open_db(f->ctx, f->dir, "book.db");
    char *texts;
    ph_loan_import_row *rows = ph_test_loan_rows(LOANS, 11, day("2026-01-05"), "K", &texts);
    /* a fifth of the book on a second day, so COB also opens loans mid-run */
    for (size_t i = 0; i < LOANS; i += 5)
        rows[i].booked_on = day("2026-01-20");
    ph_error err;
    ph_assert_ok(ph_loan_import(s, rows, LOANS, NULL, &err), &err);
    ph_test_loan_rows_free(rows, texts);
    ph_store_free(s);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ph_test_env_close(f->ctx, f->dir);
    free(f);
    return 0;
}

/* Kill the child after a random delay in [min_us, max_us); 1 when it was
 * killed, 0 when it finished first (status 0 asserted). */
static int kill_later(pid_t pid, long min_us, long max_us)
{
    long us = min_us + (long)((double)rand() / ((double)RAND_MAX + 1) * (double)(max_us - min_us));
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        return 1;
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    return 0;
}

/* ---- (a) COB ---------------------------------------------------------------------------------- */

static void cob_child(const char *dir, ph_date through)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_store *s = NULL;
    char path[1024];
    snprintf(path, sizeof(path), "%s/book.db", dir);
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_store_open(ctx, path, NULL, &s, &err) != PH_OK)
        _exit(2);
    ph_status st = ph_cob_through(s, through, NULL, NULL, NULL, NULL, &err);
    if (st != PH_OK) {
        fprintf(stderr, "child: %s\n", err.message);
        _exit(3);
    }
    _exit(0);
}

static void test_cob_killed(void **state)
{
    fixture *f = *state;
    ph_date end = day("2026-03-05"); /* 60 days from 2026-01-05 */
    copy_db(f->dir, "book.db", "copy.db");

    ph_store *s = open_db(f->ctx, f->dir, "copy.db");
    ph_error err;
    ph_assert_ok(ph_cob_through(s, end, NULL, NULL, NULL, NULL, &err), &err);
    char *want = canonical_dump(s);
    ph_store_free(s);

    int killed = 0, mid_run = 0;
    ph_date first = day("2026-01-05");
    for (int round = 0; round < ROUNDS; round++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            cob_child(f->dir, end);
        killed += kill_later(pid, 20000, 400000);
        s = open_db(f->ctx, f->dir, "book.db");
        ph_date last = 0;
        ph_assert_ok(ph_cob_last_day(s, &last, &err), &err);
        ph_store_free(s);
        mid_run += last >= first && last < end;
        if (last >= end)
            break;
    }
    print_message("COB: %d kills, %d with the run part-way\n", killed, mid_run);
    assert_true(killed >= 1);

    s = open_db(f->ctx, f->dir, "book.db");
    ph_assert_ok(ph_cob_through(s, end, NULL, NULL, NULL, NULL, &err), &err);
    char *got = canonical_dump(s);
    ph_store_free(s);
    assert_same_dump(got, want);
    free(got);
    free(want);
}

/* ---- (b) a repayment batch ------------------------------------------------------------------ */

typedef struct payment {
    int64_t loan;
    ph_money amount;
    char reference[32];
} payment;

typedef struct pick {
    payment *p;
    size_t n;
} pick;

/* One small repayment for every loan with at least 1.00 yuan due. */
static int pick_due(const ph_loan_info *i, void *user)
{
    pick *k = user;
    if (i->state.interest_due + i->state.principal_due >= 100) {
        payment *p = &k->p[k->n++];
        p->loan = i->id;
        p->amount = 100;
        snprintf(p->reference, sizeof(p->reference), "PAY-%lld", (long long)i->id);
    }
    return 0;
}

/* Apply the batch; a repayment already applied is skipped. *applied counts
 * those this run applied. */
static void apply_batch(ph_store *s, const pick *k, ph_date on, int64_t *applied, int64_t *seen)
{
    for (size_t i = 0; i < k->n; i++) {
        ph_error err;
        ph_status st = ph_loan_repay_ref(s, k->p[i].loan, on, k->p[i].amount, k->p[i].reference,
                                         NULL, &err);
        if (st == PH_EEXISTS) {
            ++*seen;
            continue;
        }
        ph_assert_ok(st, &err);
        ++*applied;
    }
}

static void batch_child(const char *dir, const pick *k, ph_date on)
{
    ph_ctx *ctx = NULL;
    ph_error err;
    ph_store *s = NULL;
    char path[1024];
    snprintf(path, sizeof(path), "%s/book.db", dir);
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_store_open(ctx, path, NULL, &s, &err) != PH_OK)
        _exit(2);
    for (size_t i = 0; i < k->n; i++) {
        ph_status st = ph_loan_repay_ref(s, k->p[i].loan, on, k->p[i].amount, k->p[i].reference,
                                         NULL, &err);
        if (st != PH_OK && st != PH_EEXISTS)
            _exit(3);
    }
    _exit(0);
}

static int64_t repayments(ph_store *s)
{
    return ph_test_query_int(s, "SELECT COUNT(*) FROM loan_event WHERE kind = 'repay'");
}

static void test_batch_killed(void **state)
{
    fixture *f = *state;
    ph_error err;
    ph_store *s = open_db(f->ctx, f->dir, "book.db");
    ph_assert_ok(ph_cob_through(s, day("2026-02-05"), NULL, NULL, NULL, NULL, &err), &err);
    pick k = {calloc(LOANS, sizeof(payment)), 0};
    ph_assert_ok(ph_loan_list(s, NULL, NULL, pick_due, &k, &err), &err);
    ph_store_free(s);
    assert_true(k.n > LOANS / 2);
    ph_date on = day("2026-02-06");
    copy_db(f->dir, "book.db", "copy.db");

    s = open_db(f->ctx, f->dir, "copy.db");
    int64_t applied = 0, seen = 0;
    apply_batch(s, &k, on, &applied, &seen);
    assert_int_equal(applied, (int64_t)k.n);
    char *want = canonical_dump(s);
    ph_store_free(s);

    int killed = 0, mid_run = 0;
    for (int round = 0; round < ROUNDS; round++) {
        fflush(NULL);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            batch_child(f->dir, &k, on);
        killed += kill_later(pid, 10000, 250000);
        s = open_db(f->ctx, f->dir, "book.db");
        int64_t done = repayments(s);
        ph_store_free(s);
        mid_run += done > 0 && done < (int64_t)k.n;
        if (done == (int64_t)k.n)
            break;
    }
    print_message("batch: %d kills, %d with the batch part-way\n", killed, mid_run);
    assert_true(killed >= 1);

    s = open_db(f->ctx, f->dir, "book.db");
    int64_t before = repayments(s);
    applied = seen = 0;
    apply_batch(s, &k, on, &applied, &seen);
    assert_int_equal(seen, before);                     /* the ones in are reported */
    assert_int_equal(applied + seen, (int64_t)k.n);     /* the rest applied now */
    assert_int_equal(repayments(s), (int64_t)k.n);      /* each exactly once */
    char *got = canonical_dump(s);
    ph_store_free(s);
    assert_same_dump(got, want);
    free(got);
    free(want);
    free(k.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_cob_killed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_batch_killed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
