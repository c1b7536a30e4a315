/*
 * puhui gen — the credit bureau (征信): loans and their monthly status.
 *
 * A firm with a history borrows in a chain of loans, each renewed at
 * maturity while the firm is healthy; a credit-white firm may take its first
 * loan during the window (and receives the first-loan award). Before a
 * default, weak months show as short arrears that are cured; at the first
 * uncured miss every loan open at that date starts counting days past due,
 * reaching 90 on the default date.
 */
#include <math.h>
#include <stdio.h>

#include "gen/gen_internal.h"

#define MAX_LOANS 24
#define LPR_1Y 0.03               /* 1-year LPR, docs/domain.md#decisions-and-the-marketplace */
#define FIRST_LOAN_AWARD 0.01     /* share of the first loan (0.5%-1%),
                                   * docs/domain.md#risk-sharing-guarantees-and-subsidies */

enum { PRODUCT_TERM, PRODUCT_REVOLVING, PRODUCT_BILL };
static const char *const product_names[] = {"term_loan", "revolving_line", "bill_discount"};
enum { GUARANTEE_CREDIT, GUARANTEE_GUARANTEED, GUARANTEE_SECURED };
static const char *const guarantee_names[] = {"credit", "guaranteed", "secured"};

typedef struct loan {
    ph_date opened, maturity;
    int64_t amount_fen;
    int term;         /* months */
    int product, guarantee, lender;
    double utilisation;
} loan;

static int pick_lender(gen_rng *r, const gen_run *run, const gen_firm *f)
{
    size_t idx = 0;
    for (int tries = 0; tries < 8; tries++) {
        idx = gen_pick_cumulative(r, run->lender_cum, run->lender_count);
        const gen_lender *l = &run->lenders[idx];
        int in_scope = l->scope % 10000 == 0 || l->scope == f->region / 100 * 100;
        if (in_scope && (!(f->flags & GEN_FIRM_COUNTY) || l->serves_counties))
            break;
    }
    return (int)idx;
}

static void new_loan(gen_rng *r, const gen_run *run, const gen_firm *f, ph_date opened, loan *out)
{
    static const int terms[] = {6, 12, 12, 12, 24, 36};
    out->lender = pick_lender(r, run, f);
    const gen_lender *l = &run->lenders[out->lender];
    double yuan = (double)f->revenue_fen / 100.0 * (0.05 + 0.25 * gen_uniform(r));
    yuan = floor(yuan / 10000.0 + 0.5) * 10000.0;
    yuan = fmax(yuan, fmax(10000.0, (double)l->min_amount_yuan));
    yuan = fmin(yuan, (double)l->max_amount_yuan);
    out->amount_fen = gen_fen(yuan);
    double u = gen_uniform(r);
    out->product = u < 0.55 ? PRODUCT_TERM : u < 0.92 ? PRODUCT_REVOLVING : PRODUCT_BILL;
    out->term = out->product == PRODUCT_BILL ? 6 : terms[gen_below(r, 6)];
    if (out->term > l->max_term_months)
        out->term = l->max_term_months;
    out->guarantee = gen_chance(r, l->credit_share) ? GUARANTEE_CREDIT
                     : gen_chance(r, 0.6)           ? GUARANTEE_GUARANTEED
                                                    : GUARANTEE_SECURED;
    out->opened = opened;
    ph_date maturity;
    if (ph_date_add_months(opened, out->term, PH_EOM_CLAMP, &maturity, NULL) != PH_OK)
        maturity = opened + 30 * out->term;
    out->maturity = maturity;
    out->utilisation = 0.4 + 0.5 * gen_uniform(r);
}

/* Health at a date: the month's value inside the simulated span, the firm's
 * normal before it. */
static double health_at(const gen_firm_ctx *fc, ph_date d)
{
    int t = (int)(ph_month_of(d) - fc->run->start);
    if (t < -GEN_LAG)
        return fc->firm->base_health;
    if (t >= fc->run->months)
        t = fc->run->months - 1;
    return fc->path->health[t + GEN_LAG];
}

/* The firm's loans, in order of opening. */
static int plan_loans(gen_firm_ctx *fc, gen_rng *r, loan *loans)
{
    const gen_run *run = fc->run;
    const gen_firm *f = fc->firm;
    const gen_path *p = fc->path;
    ph_date stop = p->miss_month >= -GEN_LAG && p->miss_date ? p->miss_date : run->window_last + 1;
    if (p->end < run->months) {
        ph_date end_day = run->month_first[p->end + GEN_LAG];
        if (end_day < stop)
            stop = end_day;
    }
    ph_date start;
    if (!(f->flags & GEN_FIRM_CREDIT_WHITE)) {
        start = run->window_first - 200 - (ph_date)gen_below(r, 1300);
        if (start < f->registered_on + 90)
            start = f->registered_on + 90;
    } else {
        /* a first loan, maybe, during the window (首贷户) */
        start = 0;
        for (int t = p->first; t < p->end && t < run->months; t++) {
            if (p->health[t + GEN_LAG] > -0.3 && gen_chance(r, 0.006)) {
                start = run->month_first[t + GEN_LAG] + (ph_date)gen_below(r, 28);
                break;
            }
        }
        if (!start)
            return 0;
    }
    int n = 0;
    ph_date opened = start;
    while (n < MAX_LOANS && opened < stop && opened <= run->window_last) {
        new_loan(r, run, f, opened, &loans[n]);
        n++;
        ph_date next = loans[n - 1].maturity;
        double h = health_at(fc, next);
        if (!gen_chance(r, h > -1.2 ? 0.88 : 0.45))
            break;
        opened = next;
    }
    return n;
}

/* LN<firm index>-<k>: unique, and the same in credit_loans and credit_status. */
static size_t loan_id(const gen_firm_ctx *fc, int k, char *out, size_t size)
{
    return (size_t)snprintf(out, size, "LN%010llu-%02d", (unsigned long long)fc->index, k);
}

static void put_loan(gen_firm_ctx *fc, const loan *l, int k)
{
    gen_buf *b = &fc->block->out[GEN_F_CREDIT_LOANS];
    char id[32];
    size_t len = loan_id(fc, k, id, sizeof(id));
    gen_put_raw(b, id, len);
    gen_put_raw(b, fc->firm->uscc, 18);
    gen_put_raw(b, fc->run->lender_uscc[l->lender], 18);
    gen_put_str(b, product_names[l->product]);
    gen_put_str(b, guarantee_names[l->guarantee]);
    gen_put_date(b, l->opened);
    gen_put_date(b, l->maturity);
    gen_put_money(b, l->amount_fen);
    gen_row_end(b, GEN_F_CREDIT_LOANS, fc->dirty);
}

/* Outstanding principal after `elapsed` whole months. */
static int64_t balance_of(const loan *l, int elapsed, gen_rng *r)
{
    switch (l->product) {
    case PRODUCT_TERM:
        if (elapsed >= l->term)
            return 0;
        return l->amount_fen - l->amount_fen / l->term * elapsed;
    case PRODUCT_REVOLVING: {
        double u = fmin(1.0, l->utilisation * gen_lognormal(r, 0.0, 0.1));
        return gen_fen(floor((double)l->amount_fen / 100.0 * u));
    }
    default:
        return l->amount_fen;
    }
}

static void put_status(gen_firm_ctx *fc, gen_rng *r, const loan *l, int k)
{
    const gen_run *run = fc->run;
    const gen_path *p = fc->path;
    int active_at_miss = p->miss_date && l->opened <= p->miss_date && l->maturity > p->miss_date;
    char id[32];
    size_t len = loan_id(fc, k, id, sizeof(id));
    int64_t frozen = -1;
    for (int t = 0; t < run->months; t++) {
        ph_date month_end = run->month_first[t + 1 + GEN_LAG] - 1;
        if (l->opened > month_end)
            continue;
        int in_arrears = active_at_miss && p->miss_date <= month_end;
        if (l->maturity <= month_end && !in_arrears)
            break;
        if (t >= p->end && !in_arrears)
            break;
        int elapsed = ph_months_between(l->opened, month_end);
        int64_t balance, overdue = 0, dpd = 0;
        if (in_arrears) {
            if (frozen < 0)
                frozen = balance_of(l, ph_months_between(l->opened, p->miss_date), r);
            balance = frozen;
            dpd = month_end - p->miss_date + 1;
            int64_t instalment = l->product == PRODUCT_TERM ? l->amount_fen / l->term : balance / 12;
            overdue = l->maturity <= month_end ? balance : instalment * (1 + dpd / 30);
            if (overdue > balance)
                overdue = balance;
        } else {
            balance = balance_of(l, elapsed, r);
            double h = p->health[t + GEN_LAG];
            if (gen_chance(r, 0.5 * erfc((2.6 + 0.8 * h) * GEN_SQRT1_2))) {
                dpd = 1 + (int64_t)gen_below(r, 29); /* a short arrear, cured next month */
                overdue = l->product == PRODUCT_TERM ? l->amount_fen / l->term : balance / 12;
            }
        }
        gen_buf *b = &fc->block->out[GEN_F_CREDIT_STATUS];
        gen_put_raw(b, id, len);
        gen_put_raw(b, fc->firm->uscc, 18);
        gen_put_month(b, run->start + t);
        gen_put_money(b, balance);
        gen_put_int(b, dpd);
        gen_put_money(b, overdue);
        gen_row_end(b, GEN_F_CREDIT_STATUS, fc->dirty);
    }
}

void gen_emit_credit(gen_firm_ctx *fc)
{
    gen_rng r;
    gen_rng_init(&r, fc->run->opt.seed, GEN_STREAM_CREDIT, fc->index);
    loan loans[MAX_LOANS];
    int n = plan_loans(fc, &r, loans);
    const gen_path *p = fc->path;
    const gen_run *run = fc->run;
    fc->had_loan_at_miss = 0;
    fc->has_credit_history = n > 0;
    for (int k = 0; k < n; k++) {
        const loan *l = &loans[k];
        put_loan(fc, l, k + 1);
        put_status(fc, &r, l, k + 1);
        if (p->miss_date && l->opened <= p->miss_date && l->maturity > p->miss_date)
            fc->had_loan_at_miss = 1;
    }
    /* the first-loan award, paid by the province a month after a first loan */
    if ((fc->firm->flags & GEN_FIRM_CREDIT_WHITE) && n > 0) {
        ph_date paid = loans[0].opened + 30;
        if (paid <= run->window_last)
            gen_put_subsidy(fc, paid, "first_loan_award",
                            (double)loans[0].amount_fen / 100.0 * FIRST_LOAN_AWARD,
                            GEN_PAYER_PROVINCE);
    }
    /* interest subsidies for green and technology firms, each quarter */
    if (!(fc->firm->flags & (GEN_FIRM_GREEN | GEN_FIRM_TECH)))
        return;
    for (int t = 2; t < run->months; t += 3) {
        ph_date q_end = run->month_first[t + 1 + GEN_LAG] - 1;
        ph_date paid = q_end + 20;
        if (paid > run->window_last || (p->miss_date && p->miss_date <= q_end))
            continue;
        double outstanding = 0.0;
        for (int k = 0; k < n; k++)
            if (loans[k].opened <= q_end && loans[k].maturity > q_end)
                outstanding += (double)loans[k].amount_fen / 100.0;
        if (outstanding > 0.0)
            gen_put_subsidy(fc, paid, "interest_subsidy", outstanding * LPR_1Y * 0.25 * 0.5,
                            GEN_PAYER_CITY);
    }
}
