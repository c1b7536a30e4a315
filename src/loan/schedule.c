/*
 * The loan book's schedules: due dates from the anchor, interest by actual
 * days, principal by method (include/puhui/schedule.h, docs/loans.md).
 *
 * The invariants kept here:
 * - the principals of instalments first_k..term_months sum exactly to
 *   terms.principal (the last instalment takes whatever is left);
 * - each instalment's interest is balance x rate x days / basis rounded
 *   half-up ONCE (loan_interest_round), the very value ph_accrual_day
 *   reaches on the due date at a constant balance;
 * - nothing is written to `out` unless the whole build succeeds: every
 *   check (dates included) is made before the first instalment is stored.
 */
#include "puhui/schedule.h"

#include <math.h>
#include <string.h>

#include "loan/schedule_interest.h"

/* Indexed by ph_schedule_method. */
static const char *const METHOD_NAMES[PH_SCHEDULE_METHOD_COUNT] = {
    "equal_installment", "equal_principal", "interest_only", "seasonal", "revolving"};

const char *ph_schedule_method_name(ph_schedule_method m)
{
    return (unsigned)m < PH_SCHEDULE_METHOD_COUNT ? METHOD_NAMES[m] : NULL;
}

ph_status ph_schedule_method_parse(const char *s, size_t len, ph_schedule_method *out,
                                   ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, "method", NULL,
                            "ph_schedule_method_parse: %s is NULL",
                            s == NULL ? "the input string" : "the output pointer");
    for (size_t i = 0; i < PH_SCHEDULE_METHOD_COUNT; i++)
        if (strlen(METHOD_NAMES[i]) == len && memcmp(METHOD_NAMES[i], s, len) == 0) {
            *out = (ph_schedule_method)i;
            return PH_OK;
        }
    return ph_error_setn(err, PH_EINVAL, "method", s, len,
                         "expected equal_installment, equal_principal, interest_only, seasonal "
                         "or revolving");
}

ph_status ph_schedule_due_date(ph_date anchor, int32_t k, ph_date *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_schedule_due_date: out is NULL");
    if (k < 0 || k > PH_SCHEDULE_MAX_TERM)
        return ph_error_set(err, PH_EINVAL, "k", NULL, "expected an instalment 0..%d, got %d",
                            PH_SCHEDULE_MAX_TERM, (int)k);
    /* Always from the anchor: 31 Jan + 2 months is 31 Mar, never 28 Mar. */
    return ph_date_add_months(anchor, k, PH_EOM_CLAMP, out, err);
}

/* ---- the level payment (equal instalments) ------------------------------------ */

/* A month's interest at rate / 12, rounded half-up (away from zero for the
 * negative balances a too-large trial payment leaves). */
static i128 monthly(i128 balance, ph_rate rate)
{
    const int64_t den = 12 * PH_RATE_ONE;
    i128 num = balance * rate;
    return num >= 0 ? (num + den / 2) / den : -((-num + den / 2) / den);
}

/* Beyond this a balance means "the payment is far too low"; it keeps
 * balance x rate inside 128 bits. */
#define BALANCE_CEILING (((i128)1) << 100)

/* Walk n months at rate / 12 paying p in months 1..n-1; return the last
 * payment minus p. Non-increasing in p. */
static i128 last_excess(ph_money amount, int32_t n, ph_rate rate, i128 p)
{
    i128 balance = amount;
    for (int32_t k = 1; k < n; k++) {
        balance += monthly(balance, rate) - p;
        if (balance > BALANCE_CEILING)
            return BALANCE_CEILING;
    }
    return balance + monthly(balance, rate) - p;
}

/*
 * The whole-fen payment h = the smallest with last_excess(h) <= 0, or h - 1
 * when that leaves the last month a smaller (or equal) adjustment, or when
 * h would make the last payment negative. The search starts from the
 * annuity formula in double precision and brackets h by doubling steps, so
 * a wrong guess costs walks, never a different answer.
 */
static ph_money level_payment(ph_money amount, int32_t n, ph_rate rate)
{
    const i128 top = (i128)amount + monthly(amount, rate) + 1; /* pays off in month 1 */
    double i = (double)rate / (double)PH_RATE_ONE / 12.0;
    double guess = i > 0 ? (double)amount * i / (1.0 - pow(1.0 + i, -(double)n))
                         : (double)amount / (double)n;
    i128 g = guess >= 1.0 && guess < (double)top ? (i128)guess : 1;
    i128 lo, hi; /* last_excess(lo) > 0 >= last_excess(hi) */
    if (last_excess(amount, n, rate, g) <= 0) {
        hi = g;
        for (i128 step = 1;; step *= 2) {
            lo = hi - step;
            if (lo <= 0) {
                lo = 0; /* pays nothing: the balance never falls, excess > 0 */
                break;
            }
            if (last_excess(amount, n, rate, lo) > 0)
                break;
            hi = lo;
        }
    } else {
        lo = g;
        for (i128 step = 1;; step *= 2) {
            hi = lo + step;
            if (hi >= top) {
                hi = top;
                break;
            }
            if (last_excess(amount, n, rate, hi) <= 0)
                break;
            lo = hi;
        }
    }
    while (hi - lo > 1) {
        i128 mid = lo + (hi - lo) / 2;
        if (last_excess(amount, n, rate, mid) > 0)
            lo = mid;
        else
            hi = mid;
    }
    i128 under = last_excess(amount, n, rate, lo);
    i128 over = -last_excess(amount, n, rate, hi);
    return (ph_money)(under <= over || over > hi ? lo : hi);
}

/* ---- checks -------------------------------------------------------------------------- */

static ph_status check_terms(const ph_schedule_terms *t, ph_error *err)
{
    if (t->principal <= 0)
        return ph_error_set(err, PH_EINVAL, "principal", NULL,
                            "expected a balance > 0 fen, got %lld", (long long)t->principal);
    if (t->term_months < 1 || t->term_months > PH_SCHEDULE_MAX_TERM)
        return ph_error_set(err, PH_EINVAL, "term_months", NULL,
                            "expected 1..%d months, got %d", PH_SCHEDULE_MAX_TERM,
                            (int)t->term_months);
    if (t->first_k < 1 || t->first_k > t->term_months)
        return ph_error_set(err, PH_EINVAL, "first_k", NULL,
                            "expected an instalment 1..%d (term_months), got %d",
                            (int)t->term_months, (int)t->first_k);
    if (ph_schedule_method_name(t->method) == NULL)
        return ph_error_set(err, PH_EINVAL, "method", NULL,
                            "expected a ph_schedule_method 0..%d, got %d",
                            PH_SCHEDULE_METHOD_COUNT - 1, (int)t->method);
    if (t->rate < 0 || t->rate > PH_RATE_ONE)
        return ph_error_set(err, PH_EINVAL, "rate", NULL,
                            "expected an annual rate 0..100%% (0..%lld in 1e-8), got %lld",
                            (long long)PH_RATE_ONE, (long long)t->rate);
    if (ph_daycount_name(t->daycount) == NULL)
        return ph_error_set(err, PH_EINVAL, "daycount", NULL,
                            "expected ACT/360 or ACT/365, got %d", (int)t->daycount);
    if (t->method == PH_METHOD_SEASONAL && (t->harvest_months == 0 || t->harvest_months > 0xfff))
        return ph_error_set(err, PH_EINVAL, "harvest_months", NULL,
                            "expected at least one harvest month: bits 0..11 for January.."
                            "December, got 0x%x",
                            (unsigned)t->harvest_months);
    if (t->accrued_before < 0)
        return ph_error_set(err, PH_EINVAL, "accrued_before", NULL,
                            "expected interest already accrued >= 0 fen, got %lld",
                            (long long)t->accrued_before);
    if (t->accrued_before > INT64_MAX - t->principal)
        return ph_error_set(err, PH_ERANGE, "accrued_before", NULL,
                            "principal plus interest accrued does not fit in int64 fen");
    return PH_OK;
}

static int in_harvest(const ph_schedule_terms *t, ph_date due)
{
    int month = 0;
    (void)ph_date_to_ymd(due, NULL, &month, NULL, NULL); /* due dates are checked valid */
    return (t->harvest_months >> (month - 1)) & 1u;
}

/* ---- the build ------------------------------------------------------------------------ */

ph_status ph_schedule_build(const ph_schedule_terms *t, ph_instalment *out, size_t cap,
                            size_t *n, ph_error *err)
{
    if (t == NULL || out == NULL || n == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_schedule_build: %s is NULL",
                            t == NULL ? "the terms" : out == NULL ? "out" : "n");
    ph_status st = check_terms(t, err);
    if (st != PH_OK)
        return st;
    const int32_t count = t->term_months - t->first_k + 1;
    if (cap < (size_t)count)
        return ph_error_set(err, PH_EMISUSE, "cap", NULL,
                            "room for %zu instalments, %d needed", cap, (int)count);

    /* Every date first: the first and last due dates bound all the others. */
    ph_date prev_due, last_due;
    st = ph_schedule_due_date(t->anchor, t->first_k - 1, &prev_due, err);
    if (st == PH_OK)
        st = ph_schedule_due_date(t->anchor, t->term_months, &last_due, err);
    if (st != PH_OK) {
        ph_error_set_field(err, "anchor");
        return st;
    }
    ph_date first_due;
    (void)ph_schedule_due_date(t->anchor, t->first_k, &first_due, NULL);
    if (t->period_start < prev_due || t->period_start > first_due) {
        char from[PH_DATE_FORMAT_MAX] = "?", to[PH_DATE_FORMAT_MAX] = "?",
             got[PH_DATE_FORMAT_MAX] = "?";
        (void)ph_date_format(prev_due, from, sizeof from, NULL);
        (void)ph_date_format(first_due, to, sizeof to, NULL);
        (void)ph_date_format(t->period_start, got, sizeof got, NULL);
        return ph_error_set(err, PH_EINVAL, "period_start", got,
                            "instalment %d's interest must start between %s (due date %d) and "
                            "%s (its due date)",
                            (int)t->first_k, from, (int)t->first_k - 1, to);
    }

    /* The principal shares that do not depend on interest. */
    ph_money shares[PH_SCHEDULE_MAX_TERM];
    size_t n_shares = 0;
    if (t->method == PH_METHOD_EQUAL_PRINCIPAL) {
        n_shares = (size_t)count;
    } else if (t->method == PH_METHOD_SEASONAL) {
        for (int32_t k = t->first_k; k <= t->term_months; k++) {
            ph_date due;
            (void)ph_schedule_due_date(t->anchor, k, &due, NULL);
            n_shares += (size_t)in_harvest(t, due);
        }
    }
    if (n_shares > 0)
        (void)ph_money_split(t->principal, n_shares, shares, NULL); /* n_shares >= 1 */
    ph_money level = t->method == PH_METHOD_EQUAL_INSTALLMENT
                         ? level_payment(t->principal, count, t->rate)
                         : 0;

    const int64_t den = loan_interest_den(t->daycount);
    ph_money balance = t->principal;
    ph_date start = t->period_start;
    size_t next_share = 0;
    for (int32_t i = 0; i < count; i++) {
        const int32_t k = t->first_k + i;
        ph_date due;
        (void)ph_schedule_due_date(t->anchor, k, &due, NULL);
        const int64_t days = (int64_t)due - start;
        ph_money interest = (ph_money)loan_interest_round((i128)balance * days, t->rate, den);
        if (i == 0)
            interest += t->accrued_before; /* checked: fits beside the principal */
        ph_money principal = 0;
        if (k == t->term_months) {
            principal = balance; /* absorbs every fen of residue (FINERACT-1540) */
        } else if (t->method == PH_METHOD_EQUAL_INSTALLMENT) {
            /* L - interest of the actual days, kept within 0..balance: a long
             * month at a high rate never grows the balance. */
            ph_money own = interest - (i == 0 ? t->accrued_before : 0);
            principal = level > own ? level - own : 0;
        } else if (t->method == PH_METHOD_EQUAL_PRINCIPAL) {
            principal = shares[next_share++];
        } else if (t->method == PH_METHOD_SEASONAL && in_harvest(t, due)) {
            principal = shares[next_share++];
        }
        if (principal > balance)
            principal = balance;
        balance -= principal;
        out[i] = (ph_instalment){.k = k,
                                 .due_on = due,
                                 .period_start = start,
                                 .principal = principal,
                                 .interest = interest,
                                 .balance_after = balance};
        start = due;
    }
    *n = (size_t)count;
    return PH_OK;
}
