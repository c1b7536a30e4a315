/*
 * The firm's cost of a loan offer: the monthly schedule in whole fen, the
 * totals, and the annualised rate of the cash flows.
 *
 * Balances, interest and subsidy are integers computed exactly in 128 bits
 * and rounded once per month. Only the IRR behind the APR is searched in
 * double precision, over cash flows that are already exact fen: an APR is
 * a rate to compare offers with, not an amount anyone pays.
 *
 * Nothing is allocated: the schedule is walked on the fly and the cash
 * flows kept in fixed arrays of PH_LOAN_MAX_TERM_MONTHS + 1.
 */
#include "puhui/pricing.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef __int128 lc_i128;

#define MONTHS_PER_YEAR 12

/* Indexed by ph_repayment. */
static const char *const REPAYMENT_NAMES[] = {"equal_installment", "equal_principal",
                                              "interest_only"};
#define N_REPAYMENTS (sizeof(REPAYMENT_NAMES) / sizeof(REPAYMENT_NAMES[0]))

const char *ph_repayment_name(ph_repayment repayment)
{
    return (unsigned)repayment < N_REPAYMENTS ? REPAYMENT_NAMES[repayment] : NULL;
}

ph_status ph_repayment_parse(const char *s, size_t len, ph_repayment *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, "repayment", NULL, "ph_repayment_parse: %s is NULL",
                            s == NULL ? "the input string" : "the output pointer");
    for (size_t i = 0; i < N_REPAYMENTS; i++)
        if (strlen(REPAYMENT_NAMES[i]) == len && memcmp(REPAYMENT_NAMES[i], s, len) == 0) {
            *out = (ph_repayment)i;
            return PH_OK;
        }
    return ph_error_setn(err, PH_EINVAL, "repayment", s, len,
                         "expected equal_installment, equal_principal or interest_only");
}

/* ---- monthly interest ------------------------------------------------------------ */

/* balance x annual / 12, rounded half-up (interest) or down (subsidy) to the
 * fen; both operands are non-negative here. |balance| < 2^100 keeps the
 * product inside 128 bits. */
static lc_i128 monthly(lc_i128 balance, ph_rate annual, int round_half_up)
{
    const lc_i128 den = (lc_i128)MONTHS_PER_YEAR * PH_RATE_ONE;
    /* The common case in 64 bits (a 128-bit division costs tens of ns, and
     * the level-payment search walks the schedule several times): the same
     * result whenever the product, rounding included, fits. Checked by an
     * overflowing multiply, not a division by the rate, which would cost as
     * much as the 128-bit path it avoids. */
    const int64_t den64 = MONTHS_PER_YEAR * PH_RATE_ONE;
    int64_t num64;
    if (balance >= 0 && balance <= INT64_MAX && annual >= 0 &&
        !__builtin_mul_overflow((int64_t)balance, annual, &num64) &&
        num64 <= INT64_MAX - den64 / 2)
        return round_half_up ? (num64 + den64 / 2) / den64 : num64 / den64;
    lc_i128 num = balance * annual;
    if (round_half_up)
        return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
    return num / den;
}

/* ---- equal instalments ------------------------------------------------------------ */

/* Beyond this a balance means "the payment is far too low"; it keeps
 * balance x rate inside 128 bits while the search probes low payments. */
#define BALANCE_CEILING (((lc_i128)1) << 100)

/*
 * Walk the schedule paying `payment` for months 1..n-1 and return the last
 * payment minus `payment` (what the last month must absorb). Non-increasing
 * in `payment`: a larger payment leaves a smaller balance every month.
 */
static lc_i128 last_payment_excess(ph_money amount, int64_t n, ph_rate rate, ph_money payment)
{
    lc_i128 balance = amount;
    for (int64_t k = 1; k < n; k++) {
        balance += monthly(balance, rate, 1) - payment;
        if (balance > BALANCE_CEILING)
            return BALANCE_CEILING;
    }
    return balance + monthly(balance, rate, 1) - payment;
}

/*
 * The level payment: the whole-fen payment whose schedule leaves the last
 * month the smallest adjustment (ties: the smaller payment). Bisection over
 * integer fen between
 *   lo = floor(amount / n): each month repays at most lo of principal, so
 *        at least lo is left for the last month: excess(lo) >= 0;
 *   hi = lo + the month's interest on the whole amount (rounded down) + 2:
 *        each month repays at least lo + 1 of principal, so at most
 *        amount - (n - 1)(lo + 1) <= lo is left: excess(hi) <= 0.
 */
static ph_money level_payment(ph_money amount, int64_t n, ph_rate rate)
{
    lc_i128 lo = amount / n;
    lc_i128 hi = lo + monthly(amount, rate, 0) + 2;
    /* Start from the annuity formula's payment: with the fen rounding of n
     * months the answer is within a few fen of it, so stepping from there
     * (the excess is monotone) finds the same pair as bisecting the whole
     * bracket, in two or three walks instead of twenty. Bounded: after
     * n + 2 steps the bisection below takes over. */
    double i = (double)rate / (double)PH_RATE_ONE / MONTHS_PER_YEAR;
    double guess = i > 0 ? (double)amount * i / (1.0 - pow(1.0 + i, -(double)n))
                         : (double)amount / (double)n;
    if (guess > (double)lo && guess < (double)hi) {
        lc_i128 p = (lc_i128)guess; /* find the smallest p with excess(p) <= 0 */
        int down = last_payment_excess(amount, n, rate, (ph_money)p) <= 0;
        for (int64_t step = 0; step < n + 2; step++) {
            lc_i128 q = down ? p - 1 : p + 1;
            if (q <= lo || q >= hi)
                break;
            int q_le = last_payment_excess(amount, n, rate, (ph_money)q) <= 0;
            if (down && !q_le) { /* p is the smallest: excess(p - 1) > 0 */
                lo = q;
                hi = p;
                break;
            }
            if (!down && q_le) { /* q is the smallest */
                lo = p;
                hi = q;
                break;
            }
            p = q;
        }
    }
    /* Invariant: excess(lo) >= 0 (or lo is the start), excess(hi) <= 0. */
    while (hi - lo > 1) {
        lc_i128 mid = lo + (hi - lo) / 2;
        if (last_payment_excess(amount, n, rate, (ph_money)mid) > 0)
            lo = mid;
        else
            hi = mid;
    }
    /* excess(lo) >= 0 >= excess(hi). The larger payment must not leave a
     * negative last payment (a loan of a few fen over many months). */
    lc_i128 under = last_payment_excess(amount, n, rate, (ph_money)lo);
    lc_i128 over = -last_payment_excess(amount, n, rate, (ph_money)hi);
    return (ph_money)(under <= over || over > hi ? lo : hi);
}

/* ---- the schedule ------------------------------------------------------------------ */

typedef struct schedule {
    ph_money total_interest;
    ph_money total_subsidy;
    ph_money gross[PH_LOAN_MAX_TERM_MONTHS + 1]; /* payment of month k (1-based) */
    ph_money net[PH_LOAN_MAX_TERM_MONTHS + 1];   /* payment less subsidy */
} schedule;

/* Principal due in month k (1-based) before the last month's adjustment. */
static lc_i128 principal_of(const ph_loan_terms *t, int64_t k, ph_money level, lc_i128 interest)
{
    switch (t->repayment) {
    case PH_REPAY_EQUAL_INSTALLMENT:
        return (lc_i128)level - interest;
    case PH_REPAY_EQUAL_PRINCIPAL:
        /* The leftover fen go one each to the first months. */
        return t->amount / t->term_months + (k <= t->amount % t->term_months ? 1 : 0);
    case PH_REPAY_INTEREST_ONLY:
        return 0;
    }
    return 0;
}

static ph_status fit(lc_i128 v, const char *field, ph_money *out, ph_error *err)
{
    if (v > INT64_MAX || v < INT64_MIN)
        return ph_error_set(err, PH_ERANGE, field, NULL, "does not fit in an amount (int64 fen)");
    *out = (ph_money)v;
    return PH_OK;
}

static ph_status build_schedule(const ph_loan_terms *t, schedule *s, ph_error *err)
{
    int64_t n = t->term_months;
    ph_money level = t->repayment == PH_REPAY_EQUAL_INSTALLMENT
                         ? level_payment(t->amount, n, t->rate)
                         : 0;
    lc_i128 balance = t->amount, total_interest = 0, total_subsidy = 0;
    for (int64_t k = 1; k <= n; k++) {
        lc_i128 interest = monthly(balance, t->rate, 1);
        lc_i128 subsidy = monthly(balance, t->subsidy_rate, 0);
        lc_i128 principal = k == n ? balance : principal_of(t, k, level, interest);
        balance -= principal;
        total_interest += interest;
        total_subsidy += subsidy;
        ph_status st = fit(principal + interest, "payment", &s->gross[k], err);
        if (st == PH_OK)
            st = fit(principal + interest - subsidy, "payment", &s->net[k], err);
        if (st != PH_OK)
            return st;
    }
    ph_status st = fit(total_interest, "total_interest", &s->total_interest, err);
    if (st == PH_OK)
        st = fit(total_subsidy, "total_subsidy", &s->total_subsidy, err);
    return st;
}

/* ---- the annualised rate ------------------------------------------------------------ */

/* Present value at monthly rate i of the payments, less what was received. */
static double npv(double i, double received, const ph_money *pay, int64_t n)
{
    double pv = 0.0, discount = 1.0, step = 1.0 / (1.0 + i);
    for (int64_t k = 1; k <= n; k++) {
        discount *= step; /* may reach +inf near i = -1: then so does pv */
        if (pay[k] != 0)  /* 0 x inf would be NaN */
            pv += (double)pay[k] * discount;
    }
    return pv - received;
}

/* The NPV as above and its derivative in i, in one pass. */
static double npv_slope(double i, double received, const ph_money *pay, int64_t n,
                        double *slope)
{
    double pv = 0.0, d = 0.0, discount = 1.0, step = 1.0 / (1.0 + i);
    for (int64_t k = 1; k <= n; k++) {
        discount *= step;
        if (pay[k] != 0) {
            pv += (double)pay[k] * discount;
            d -= (double)k * (double)pay[k] * discount * step;
        }
    }
    *slope = d;
    return pv - received;
}

/* Stop when a step moves the rate by less than this, relative to 1 + i:
 * the resolution of a double, far below the 1e-8 the APR is rounded to. */
#define IRR_RESOLUTION 1e-15

/*
 * The root by plain Newton steps from `x`, when that settles quickly: the
 * NPV is decreasing and convex in i (the payments are >= 0), so a tangent
 * never overshoots from the left, and from the right it lands to the left
 * in one step; from there the steps climb to the root. Started at the
 * quoted rate (the root itself when there is no fee, subsidy or award)
 * it settles in two to four passes over the flows. Returns 0, leaving the
 * root to the bracketing search, when a step leaves (-0.5, 1) — the
 * search's first bracket, inside which both find the same root — or the
 * steps have not settled after a few dozen.
 */
static int irr_newton(double x, double received, const ph_money *pay, int64_t n, double *root)
{
    for (int iter = 0; iter < 40; iter++) {
        double slope;
        double f = npv_slope(x, received, pay, n, &slope);
        if (f == 0.0) {
            *root = x;
            return 1;
        }
        if (!(slope < 0.0) || !isfinite(f))
            return 0;
        double next = x - f / slope;
        if (!(next > -0.5 && next < 1.0))
            return 0;
        if (fabs(next - x) <= IRR_RESOLUTION * (1.0 + fabs(x))) {
            *root = next;
            return 1;
        }
        x = next;
    }
    return 0;
}

/*
 * The monthly IRR when Newton's steps from the hint do not settle (a root
 * outside (-0.5, 1), flows a tangent handles badly): bracket the root, then
 * close in by safeguarded Newton steps to the resolution of a double.
 */
static ph_status irr_bracketed(double r, const ph_money *pay, int64_t n, double hint,
                               const char *field, double *root, ph_error *err)
{
    double lo = 0.0, hi = 1.0;
    if (npv(lo, r, pay, n) < 0.0) { /* paid back less than received: negative rate */
        hi = lo;
        lo = -0.5;
        while (npv(lo, r, pay, n) < 0.0 && lo > -1.0 + 1e-12)
            lo = -1.0 + (lo + 1.0) / 2.0;
    } else {
        while (npv(hi, r, pay, n) > 0.0 && hi < 1e9)
            hi *= 2.0;
    }
    if (npv(lo, r, pay, n) < 0.0 || npv(hi, r, pay, n) > 0.0)
        return ph_error_set(err, PH_ERANGE, field, NULL,
                            "the annualised rate is outside what can be computed");
    /* Newton steps from the hint (the quoted monthly rate: the root when
     * there are no fees), each kept inside the bracket (a
     * step that leaves it bisects instead); the bracket shrinks every step,
     * so this ends where pure bisection would, in a handful of steps. */
    double x = hint > lo && hint < hi ? hint : lo + (hi - lo) / 2.0;
    for (int iter = 0; iter < 200 && hi - lo > IRR_RESOLUTION * (1.0 + fabs(lo)); iter++) {
        double slope;
        double f = npv_slope(x, r, pay, n, &slope);
        if (f > 0.0)
            lo = x;
        else if (f < 0.0)
            hi = x;
        else
            break;
        double next = slope < 0.0 ? x - f / slope : lo + (hi - lo) / 2.0;
        if (!(next > lo && next < hi) || fabs(next - x) < 1e-16 * (1.0 + fabs(x)))
            next = lo + (hi - lo) / 2.0;
        if (fabs(next - x) <= IRR_RESOLUTION * (1.0 + fabs(x)))
            break;
        x = next;
    }
    *root = x;
    return PH_OK;
}

/*
 * 12 x the monthly IRR of: +received at month 0, -pay[k] at month k. The
 * payments are >= 0 and not all zero, received > 0, so the NPV falls
 * strictly as i rises from -1 and the root is unique. Newton's steps from
 * the hint find it in the ordinary case (irr_newton); otherwise bracket it,
 * then close in by safeguarded Newton steps to the resolution of a double.
 */
static ph_status annual_irr(ph_money received, const ph_money *pay, int64_t n, double hint,
                            const char *field, ph_rate *out, ph_error *err)
{
    double r = (double)received, x = 0.0;
    if (!(hint > -0.5 && hint < 1.0 && irr_newton(hint, r, pay, n, &x))) {
        ph_status st = irr_bracketed(r, pay, n, hint, field, &x, err);
        if (st != PH_OK)
            return st;
    }
    double annual = x * MONTHS_PER_YEAR * (double)PH_RATE_ONE;
    if (!(fabs(annual) < 9.2e18))
        return ph_error_set(err, PH_ERANGE, field, NULL,
                            "the annualised rate does not fit in a rate");
    *out = (ph_rate)llround(annual); /* nearest, whatever the FPU rounding mode */
    return PH_OK;
}

/* ---- inputs --------------------------------------------------------------------------- */

static ph_status bad_money(ph_error *err, const char *field, ph_money m, const char *what)
{
    char text[PH_MONEY_FORMAT_MAX];
    ph_money_format(m, PH_MONEY_GROUPING, text, sizeof(text), NULL);
    return ph_error_set(err, PH_EINVAL, field, text, "expected %s", what);
}

static ph_status bad_rate(ph_error *err, const char *field, ph_rate r, const char *what)
{
    char text[PH_RATE_FORMAT_MAX];
    ph_rate_format_percent(r, text, sizeof(text), NULL);
    return ph_error_set(err, PH_EINVAL, field, text, "expected %s", what);
}

static ph_status check_terms(const ph_loan_terms *t, ph_error *err)
{
    if (t->amount <= 0)
        return bad_money(err, "amount", t->amount, "an amount > 0");
    if (t->term_months < 1 || t->term_months > PH_LOAN_MAX_TERM_MONTHS) {
        char text[24];
        snprintf(text, sizeof(text), "%lld", (long long)t->term_months);
        return ph_error_set(err, PH_EINVAL, "term_months", text, "expected 1 to %d months",
                            PH_LOAN_MAX_TERM_MONTHS);
    }
    if (ph_repayment_name(t->repayment) == NULL) {
        char text[24];
        snprintf(text, sizeof(text), "%d", (int)t->repayment);
        return ph_error_set(err, PH_EINVAL, "repayment", text,
                            "expected equal_installment, equal_principal or interest_only");
    }
    if (t->rate < 0 || t->rate > PH_RATE_ONE)
        return bad_rate(err, "rate", t->rate, "an annual rate in [0, 100%]");
    if (t->upfront_fee < 0 || t->upfront_fee >= t->amount)
        return bad_money(err, "upfront_fee", t->upfront_fee, "a fee >= 0 and below the amount");
    if (t->subsidy_rate < 0 || t->subsidy_rate > t->rate)
        return bad_rate(err, "subsidy_rate", t->subsidy_rate,
                        "a rate >= 0 and at most the loan's rate");
    if (t->award < 0)
        return bad_money(err, "award", t->award, "an award >= 0");
    return PH_OK;
}

ph_status ph_loan_cost_compute(const ph_loan_terms *terms, ph_loan_cost *out, ph_error *err)
{
    if (terms == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_loan_cost_compute: NULL argument");
    ph_status st = check_terms(terms, err);
    if (st != PH_OK)
        return st;
    schedule s;
    st = build_schedule(terms, &s, err);
    if (st != PH_OK)
        return st;

    ph_loan_cost c;
    memset(&c, 0, sizeof(c));
    c.total_interest = s.total_interest;
    c.total_subsidy = s.total_subsidy;
    c.upfront_fee = terms->upfront_fee;
    c.award = terms->award;
    lc_i128 net = (lc_i128)c.total_interest + c.upfront_fee - c.total_subsidy - c.award;
    st = fit(net, "net_cost", &c.net_cost, err);
    if (st != PH_OK)
        return st;
    c.first_payment = s.net[1];
    c.max_payment = s.net[1];
    for (int64_t k = 2; k <= terms->term_months; k++)
        if (s.net[k] > c.max_payment)
            c.max_payment = s.net[k];

    ph_money received_net;
    if (__builtin_add_overflow(terms->amount - terms->upfront_fee, terms->award, &received_net))
        return bad_money(err, "award", terms->award, "an award that keeps amount + award in range");
    double hint = (double)terms->rate / (double)PH_RATE_ONE / MONTHS_PER_YEAR;
    double net_hint = (double)(terms->rate - terms->subsidy_rate) / (double)PH_RATE_ONE /
                      MONTHS_PER_YEAR;
    st = annual_irr(terms->amount - terms->upfront_fee, s.gross, terms->term_months, hint, "apr",
                    &c.apr, err);
    /* Without subsidy or award the firm's flows are the gross flows: the
     * same search on the same numbers, so the same rate. */
    if (st == PH_OK && terms->subsidy_rate == 0 && terms->award == 0)
        c.net_apr = c.apr;
    else if (st == PH_OK)
        st = annual_irr(received_net, s.net, terms->term_months, net_hint, "net_apr",
                        &c.net_apr, err);
    if (st != PH_OK)
        return st;
    *out = c;
    return PH_OK;
}
