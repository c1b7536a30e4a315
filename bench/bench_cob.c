/*
 * The in-memory COB engine's speed (issue 17): loan-days per CPU second on
 * one core for a mixed book — equal instalment, equal principal and
 * revolving lines, about 5% overdue across every category, some
 * restructured, with grace days and penalty — run day after day through
 * ph_cob_run in chunks, as the persisted COB calls it. Each size runs on
 * its own book; the growth from the smallest to the largest says whether
 * the cost per loan-day stays flat (it should: O(1) per loan-day).
 *
 *   bench_cob [--loans N]... [--days D]     (default: 100000 and 1000000 loans, 10 days)
 *
 * The schedules are built here with integer arithmetic (no dependency on
 * the schedule module): templates shared by many loans, as a real book's
 * loans share products and terms, so a million loans do not need a
 * million schedules in memory.
 */
#include "bench_util.h"

#include "puhui/cob.h"
#include "puhui/puhui.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#define CHUNK 4096
#define MAX_SIZES 8
#define TERMS 4
#define ANCHORS 28
#define AMOUNTS 5
#define METHODS 3
#define MAX_TERM 36
#define TEMPLATES (METHODS * TERMS * ANCHORS * AMOUNTS)

static const int32_t TERM_MONTHS[TERMS] = {6, 12, 24, 36};
static const ph_money AMOUNT_FEN[AMOUNTS] = {5000000, 20000000, 50000000, 100000000, 300000000};
static const ph_rate RATE = 4350000; /* 4.35% */

typedef struct template {
    ph_instalment inst[MAX_TERM];
    int32_t n;
    ph_money principal;
    int method; /* 0 equal instalment, 1 equal principal, 2 revolving */
} template;

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static ph_money interest_of(ph_money balance, int64_t days)
{
    ph_money out = 0;
    ph_interest(balance, RATE, days, PH_DAYCOUNT_ACT_360, PH_ROUND_HALF_UP, &out, NULL);
    return out;
}

/* Fill t's instalments paying `payment` a month (equal instalment) and
 * return the balance left before the last one. */
static ph_money fill_annuity(template *t, ph_money payment)
{
    ph_money balance = t->principal;
    for (int k = 0; k < t->n; k++) {
        ph_instalment *in = &t->inst[k];
        in->interest = interest_of(balance, in->due_on - in->period_start);
        ph_money p = k == t->n - 1 ? balance : payment - in->interest;
        if (p > balance)
            p = balance;
        if (p < 0)
            p = 0;
        in->principal = p;
        balance -= p;
        in->balance_after = balance;
        if (k == t->n - 2 && balance > payment)
            return balance;
    }
    return 0;
}

static void build_template(template *t, int method, int32_t term, ph_date anchor, ph_money amount)
{
    memset(t, 0, sizeof(*t));
    t->method = method;
    t->n = term;
    t->principal = amount;
    ph_date prev = anchor;
    for (int k = 0; k < term; k++) {
        ph_date due;
        ph_date_add_months(anchor, k + 1, PH_EOM_CLAMP, &due, NULL);
        t->inst[k].k = k + 1;
        t->inst[k].period_start = prev;
        t->inst[k].due_on = due;
        prev = due;
    }
    if (method == 0) {
        /* The level payment: the least whole fen that repays the balance by
         * the last instalment, found by bisection (integers only). */
        ph_money lo = amount / term, hi = amount;
        while (lo < hi) {
            ph_money mid = lo + (hi - lo) / 2;
            if (fill_annuity(t, mid) > 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        fill_annuity(t, lo);
    } else {
        ph_money parts[MAX_TERM];
        ph_money_split(amount, (size_t)term, parts, NULL);
        ph_money balance = amount;
        for (int k = 0; k < term; k++) {
            ph_money p = method == 1 ? parts[k] : (k == term - 1 ? amount : 0);
            t->inst[k].interest = interest_of(balance, t->inst[k].due_on - t->inst[k].period_start);
            t->inst[k].principal = p;
            balance -= p;
            t->inst[k].balance_after = balance;
        }
    }
}

/* The book on `start`: loan i follows a random template, drawn 1 to 28
 * days before start; 5% are overdue by 1 to 400 days (so every category
 * appears), 1% restructured, a third with 3 grace days. */
static void build_book(const template *templates, ph_loan_state *book, unsigned char *pays,
                       size_t n, ph_date start)
{
    uint64_t seed = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < n; i++) {
        const template *t = &templates[next_random(&seed) % TEMPLATES];
        ph_loan_state *s = &book[i];
        memset(s, 0, sizeof(*s));
        s->loan_id = (int64_t)i + 1;
        s->rate = RATE;
        s->penalty_rate = RATE + RATE / 2;
        s->grace_days = i % 3 == 0 ? 3 : 0;
        s->principal = t->principal;
        s->schedule = t->inst;
        s->n_instalments = t->n;
        uint64_t r = next_random(&seed);
        pays[i] = 1;
        if (r % 100 < 5) {
            pays[i] = 0;
            ph_money part = t->principal / 10;
            s->principal -= part;
            s->principal_due = part;
            s->interest_due = interest_of(t->principal, 30);
            s->oldest_unpaid_due = start - 1 - (ph_date)((r >> 8) % 400);
        }
        if ((r >> 20) % 100 == 0)
            s->restructured_on = start - 30;
    }
}

typedef struct totals {
    ph_money interest, penalty, principal_billed, interest_billed, provision;
    int64_t defaults, by_category[PH_CATEGORY_COUNT];
} totals;

/* Sum the deltas; the performing loans (pays[i]) pay what was billed on
 * the due date, as the servicing code would, so the book stays ~5% overdue. */
static void settle(totals *sum, ph_loan_state *book, const unsigned char *pays,
                   const ph_cob_delta *d, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (pays[i] && d[i].instalments_billed > 0) {
            book[i].principal_due = 0;
            book[i].interest_due = 0;
        }
        sum->interest += d[i].interest_accrued;
        sum->penalty += d[i].penalty_accrued;
        sum->principal_billed += d[i].principal_billed;
        sum->interest_billed += d[i].interest_billed;
        sum->provision += d[i].provision_change;
        sum->defaults += d[i].defaulted_today;
    }
}

static int run_size(const ph_cob_rules *rules, const template *templates, size_t n, int days)
{
    ph_date start;
    ph_date_from_ymd(2026, 3, 1, &start, NULL);
    ph_loan_state *book = malloc(n * sizeof(*book));
    ph_cob_delta *deltas = malloc(CHUNK * sizeof(*deltas));
    unsigned char *pays = malloc(n);
    if (book == NULL || deltas == NULL || pays == NULL) {
        fprintf(stderr, "bench_cob: out of memory for %zu loans\n", n);
        free(book);
        free(deltas);
        free(pays);
        return -1;
    }
    build_book(templates, book, pays, n, start);
    totals sum;
    memset(&sum, 0, sizeof(sum));
    /* Only ph_cob_run is timed: two clock reads per chunk of 4096 loans. */
    double wall = 0, cpu = 0;
    for (int day = 0; day < days; day++) {
        for (size_t at = 0; at < n; at += CHUNK) {
            size_t m = n - at < CHUNK ? n - at : CHUNK;
            ph_error err;
            bench_clock t0 = bench_clock_now();
            ph_status st = ph_cob_run(rules, book + at, m, start + day, deltas, &err);
            bench_clock t1 = bench_clock_now();
            wall += t1.wall - t0.wall;
            cpu += t1.cpu - t0.cpu;
            if (st != PH_OK) {
                fprintf(stderr, "bench_cob: %s\n", err.message);
                free(book);
                free(deltas);
                free(pays);
                return -1;
            }
            settle(&sum, book + at, pays + at, deltas, m);
        }
    }
    for (size_t i = 0; i < n; i++)
        sum.by_category[book[i].category]++;
    double loan_days = (double)n * days;
    printf("%9zu loans x %d days: %12.0f loan-days in %.3f s wall, %.3f s CPU: "
           "%.2fM loan-days per CPU second (%.0f ns per loan-day)\n",
           n, days, loan_days, wall, cpu, loan_days / cpu / 1e6, cpu / loan_days * 1e9);
    printf("          accrued %" PRId64 " fen interest, %" PRId64 " fen penalty; billed %" PRId64
           " principal, %" PRId64 " interest; provisions %+" PRId64 "; %" PRId64 " defaults\n",
           sum.interest, sum.penalty, sum.principal_billed, sum.interest_billed, sum.provision,
           sum.defaults);
    printf("          book:");
    for (int c = 0; c < PH_CATEGORY_COUNT; c++)
        printf(" %s %" PRId64, ph_loan_category_name((ph_loan_category)c), sum.by_category[c]);
    printf("\n");
    free(book);
    free(deltas);
    free(pays);
    return 0;
}

int main(int argc, char **argv)
{
    size_t sizes[MAX_SIZES];
    int n_sizes = 0;
    long long days = 10;
    for (int i = 1; i < argc; i++) {
        long long v;
        if (strcmp(argv[i], "--loans") == 0 && i + 1 < argc && n_sizes < MAX_SIZES) {
            if (bench_number(argv[0], "--loans", argv[++i], 1, 100000000LL, &v) != 0)
                return 2;
            sizes[n_sizes++] = (size_t)v;
        } else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc) {
            if (bench_number(argv[0], "--days", argv[++i], 1, 3650, &days) != 0)
                return 2;
        } else {
            fprintf(stderr, "usage: %s [--loans N]... [--days D]\n", argv[0]);
            return 2;
        }
    }
    if (n_sizes == 0) {
        sizes[n_sizes++] = 100000;
        sizes[n_sizes++] = 1000000;
    }
    ph_ctx *ctx = NULL;
    ph_cob_rules *rules = NULL;
    ph_error err;
    if (ph_ctx_new(NULL, &ctx, &err) != PH_OK || ph_cob_rules_default(ctx, &rules, &err) != PH_OK) {
        fprintf(stderr, "bench_cob: %s\n", err.message);
        return 1;
    }
    template *templates = malloc(TEMPLATES * sizeof(*templates));
    if (templates == NULL)
        return 1;
    ph_date start;
    ph_date_from_ymd(2026, 3, 1, &start, NULL);
    int at = 0;
    for (int m = 0; m < METHODS; m++)
        for (int t = 0; t < TERMS; t++)
            for (int a = 0; a < ANCHORS; a++)
                for (int x = 0; x < AMOUNTS; x++)
                    build_template(&templates[at++], m, TERM_MONTHS[t], start - 1 - a,
                                   AMOUNT_FEN[x]);
    printf("bench_cob: mixed book (equal instalment, equal principal, revolving; ~5%% overdue), "
           "%lld days, one thread, sizeof(ph_loan_state) %zu\n",
           days, sizeof(ph_loan_state));
    int rc = 0;
    for (int i = 0; i < n_sizes && rc == 0; i++)
        rc = run_size(rules, templates, sizes[i], (int)days);
    printf("peak RSS %ld MB\n", bench_peak_rss_mb());
    free(templates);
    ph_cob_rules_free(rules);
    ph_ctx_free(ctx);
    return rc == 0 ? 0 : 1;
}
