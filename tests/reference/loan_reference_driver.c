/*
 * The C side of tests/reference/loan_reference.py: reads loans, their events
 * and allocations as CSV on stdin, runs them through include/puhui/schedule.h
 * and prints what it computed as CSV on stdout, for the Python reference to
 * recompute with exact fractions and compare to the fen.
 *
 * Input lines:
 *   L,id,principal,anchor,term,method,rate,daycount,harvest,days[,event...]
 *      event = p:offset:ppm  the balance becomes balance x ppm / 10^6 (floor,
 *                            at least 1 fen) on day anchor + offset
 *            | r:offset:rate the rate becomes `rate` that day (LPR repricing)
 *   A,id,order,amount,penalty,fee,interest,principal
 * Output lines:
 *   S,id,k,due,period_start,principal,interest,balance_after  (every build)
 *   B,id,k,due,billed,instalment_interest,sum_of_deltas,weighted_deltas
 *   P,id,paid_penalty,paid_fee,paid_interest,paid_principal,excess
 *   E,id,status  (an error the reference also expects)
 *
 * The scenario of a loan, day by day from the anchor for `days` days (or to
 * maturity): on a due date the period's accrual is billed first
 * (ph_accrual_period_end) and the instalment's principal leaves the balance;
 * then the day's events: each closes the accrual's open segment at the old
 * rate and rebuilds the schedule from that day (first_k = the current
 * instalment, accrued_before = the closed interest); then the day accrues.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "puhui/schedule.h"

#define MAX_EVENTS 16

typedef struct event {
    char kind;
    int64_t offset;
    int64_t value;
} event;

static ph_instalment sched[PH_SCHEDULE_MAX_TERM];

static void print_schedule(long long id, const ph_instalment *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("S,%lld,%d,%d,%d,%lld,%lld,%lld\n", id, (int)s[i].k, (int)s[i].due_on,
               (int)s[i].period_start, (long long)s[i].principal, (long long)s[i].interest,
               (long long)s[i].balance_after);
}

static int run_loan(char *line)
{
    long long id, principal, anchor, term, method, rate, dc, harvest, days;
    int used = 0;
    if (sscanf(line, "L,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld,%lld%n", &id, &principal, &anchor,
               &term, &method, &rate, &dc, &harvest, &days, &used) != 9)
        return -1;
    event ev[MAX_EVENTS];
    int n_ev = 0;
    for (char *p = line + used; *p == ',' && n_ev < MAX_EVENTS;) {
        long long off, val;
        char kind;
        int w = 0;
        if (sscanf(p, ",%c:%lld:%lld%n", &kind, &off, &val, &w) != 3)
            return -1;
        ev[n_ev++] = (event){kind, off, val};
        p += w;
    }

    ph_schedule_terms t = {0};
    t.principal = principal;
    t.anchor = (ph_date)anchor;
    t.first_k = 1;
    t.term_months = (int32_t)term;
    t.period_start = (ph_date)anchor;
    t.method = (ph_schedule_method)method;
    t.rate = rate;
    t.daycount = (ph_daycount)dc;
    t.harvest_months = (uint16_t)harvest;
    size_t n;
    ph_error err;
    ph_status st = ph_schedule_build(&t, sched, PH_SCHEDULE_MAX_TERM, &n, &err);
    if (st != PH_OK) {
        printf("E,%lld,%s\n", id, ph_status_name(st));
        return 0;
    }
    print_schedule(id, sched, n);

    ph_accrual acc = {0};
    ph_money balance = principal, sum = 0, weighted = 0;
    size_t cur = 0; /* index of the current instalment in sched */
    for (int64_t off = 0; off < days; off++) {
        ph_date d = (ph_date)(anchor + off);
        if (d == sched[cur].due_on) {
            ph_money billed = ph_accrual_period_end(&acc);
            printf("B,%lld,%d,%d,%lld,%lld,%lld,%lld\n", id, (int)sched[cur].k, (int)d,
                   (long long)billed, (long long)sched[cur].interest, (long long)sum,
                   (long long)weighted);
            sum = weighted = 0;
            balance -= sched[cur].principal;
            if (++cur == n)
                break;
        }
        for (int e = 0; e < n_ev; e++) {
            if (ev[e].offset != off || balance == 0)
                continue; /* nothing left to reprice or prepay (a seasonal loan after harvest) */
            if (ph_accrual_close_segment(&acc, t.rate, t.daycount, &err) != PH_OK)
                return -2;
            if (ev[e].kind == 'p') {
                ph_money nb = (ph_money)((__int128)balance * ev[e].value / 1000000);
                balance = nb > 0 ? nb : 1;
            } else {
                t.rate = ev[e].value;
            }
            t.principal = balance;
            t.first_k = sched[cur].k;
            t.period_start = d;
            t.accrued_before = acc.closed;
            st = ph_schedule_build(&t, sched, PH_SCHEDULE_MAX_TERM, &n, &err);
            if (st != PH_OK) {
                fprintf(stderr, "loan %lld: rebuild: %s\n", id, err.message);
                return -2;
            }
            print_schedule(id, sched, n);
            cur = 0;
        }
        ph_money delta;
        if (ph_accrual_day(&acc, balance, t.rate, t.daycount, &delta, &err) != PH_OK) {
            fprintf(stderr, "loan %lld: accrual: %s\n", id, err.message);
            return -2;
        }
        sum += delta;
        weighted += delta * (off + 1);
    }
    return 0;
}

static int run_allocation(const char *line)
{
    long long id, amount, owed[PH_BUCKET_COUNT];
    char order[64];
    if (sscanf(line, "A,%lld,%63[a-z;],%lld,%lld,%lld,%lld,%lld", &id, order, &amount, &owed[0],
               &owed[1], &owed[2], &owed[3]) != 7)
        return -1;
    for (char *c = order; *c; c++)
        if (*c == ';')
            *c = ','; /* the order's commas travel as ';' inside the CSV line */
    ph_allocation_order o;
    ph_money ow[PH_BUCKET_COUNT], paid[PH_BUCKET_COUNT], excess;
    for (int b = 0; b < PH_BUCKET_COUNT; b++)
        ow[b] = owed[b];
    ph_status st = ph_allocation_order_parse(order, strlen(order), &o, NULL);
    if (st == PH_OK)
        st = ph_allocate_payment(&o, amount, ow, paid, &excess, NULL);
    if (st != PH_OK) {
        printf("E,%lld,%s\n", id, ph_status_name(st));
        return 0;
    }
    printf("P,%lld,%lld,%lld,%lld,%lld,%lld\n", id, (long long)paid[0], (long long)paid[1],
           (long long)paid[2], (long long)paid[3], (long long)excess);
    return 0;
}

int main(void)
{
    static char line[4096];
    long long lineno = 0;
    while (fgets(line, sizeof line, stdin) != NULL) {
        lineno++;
        int rc = line[0] == 'L' ? run_loan(line) : line[0] == 'A' ? run_allocation(line) : -1;
        if (rc != 0) {
            fprintf(stderr, "loan_reference_driver: line %lld: %s\n", lineno,
                    rc == -1 ? "malformed input" : "unexpected failure");
            return 1;
        }
    }
    return fflush(stdout) == 0 ? 0 : 1;
}
