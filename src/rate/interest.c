/*
 * Money times rates: day-count conventions, simple interest, daily rates.
 * Every result is computed exactly in 128 bits and rounded once at the end,
 * so no intermediate rounding (of a daily rate, say) leaks into amounts.
 */
#include "puhui/rate.h"

#include "core/i128.h"

#include <inttypes.h>
#include <stdio.h>

static const struct {
    ph_daycount dc;
    const char *name;
    int64_t basis; /* days per year */
} daycounts[] = {
    {PH_DAYCOUNT_ACT_360, "ACT/360", 360},
    {PH_DAYCOUNT_ACT_365, "ACT/365", 365},
};

#define DAYCOUNT_COUNT (sizeof(daycounts) / sizeof(daycounts[0]))

int64_t ph_daycount_basis(ph_daycount dc)
{
    for (size_t i = 0; i < DAYCOUNT_COUNT; i++)
        if (daycounts[i].dc == dc)
            return daycounts[i].basis;
    return 0;
}

const char *ph_daycount_name(ph_daycount dc)
{
    for (size_t i = 0; i < DAYCOUNT_COUNT; i++)
        if (daycounts[i].dc == dc)
            return daycounts[i].name;
    return NULL;
}

static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

static int same_name(const char *name, const char *s, size_t len)
{
    size_t i = 0;
    for (; i < len && name[i] != '\0'; i++)
        if (upper(s[i]) != name[i])
            return 0;
    return i == len && name[i] == '\0';
}

ph_status ph_daycount_parse(const char *s, size_t len, ph_daycount *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_daycount_parse: %s is NULL",
                            s == NULL ? "s" : "out");
    for (size_t i = 0; i < DAYCOUNT_COUNT; i++) {
        if (same_name(daycounts[i].name, s, len)) {
            *out = daycounts[i].dc;
            return PH_OK;
        }
    }
    return ph_error_setn(err, PH_EINVAL, "daycount", s, len, "expected ACT/360 or ACT/365");
}

static ph_status check_daycount(ph_daycount dc, ph_error *err)
{
    if (ph_daycount_basis(dc) != 0)
        return PH_OK;
    return ph_error_set(err, PH_EINVAL, "daycount", NULL,
                        "expected PH_DAYCOUNT_ACT_360 or PH_DAYCOUNT_ACT_365, got %d", (int)dc);
}

ph_status ph_money_mul_rate(ph_money m, ph_rate rate, ph_rounding rounding, ph_money *out,
                            ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_money_mul_rate: out is NULL");
    ph_status st = rounding_check(rounding, err);
    if (st != PH_OK)
        return st;
    /* |m * rate| <= 2^126: exact. */
    i128 exact = i128_div_round((i128)m * rate, PH_RATE_ONE, rounding);
    if (!i128_to_i64(exact, out)) {
        char m_text[PH_MONEY_FORMAT_MAX], r_text[PH_RATE_FORMAT_MAX], op[96];
        ph_money_format(m, 0, m_text, sizeof(m_text), NULL);
        ph_rate_format_percent(rate, r_text, sizeof(r_text), NULL);
        snprintf(op, sizeof(op), "%s * %s", m_text, r_text);
        return ph_error_set(err, PH_ERANGE, "amount", op,
                            "the product does not fit in an amount");
    }
    return PH_OK;
}

static ph_status interest_overflow(ph_money principal, ph_rate annual, int64_t days,
                                   ph_daycount dc, ph_error *err)
{
    char p_text[PH_MONEY_FORMAT_MAX], r_text[PH_RATE_FORMAT_MAX], value[128];
    ph_money_format(principal, 0, p_text, sizeof(p_text), NULL);
    ph_rate_format_percent(annual, r_text, sizeof(r_text), NULL);
    snprintf(value, sizeof(value), "%s at %s for %" PRId64 " days %s", p_text, r_text, days,
             ph_daycount_name(dc));
    return ph_error_set(err, PH_ERANGE, "interest", value,
                        "the interest does not fit in an amount");
}

ph_status ph_interest(ph_money principal, ph_rate annual, int64_t days, ph_daycount dc,
                      ph_rounding rounding, ph_money *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_interest: out is NULL");
    ph_status st = check_daycount(dc, err);
    if (st == PH_OK)
        st = rounding_check(rounding, err);
    if (st != PH_OK)
        return st;
    if (days < 0) {
        char value[32];
        snprintf(value, sizeof(value), "%" PRId64, days);
        return ph_error_set(err, PH_EINVAL, "days", value, "expected a number of days >= 0");
    }
    /* principal * annual fits in 128 bits; times days it may not, but then
     * the interest (that over at most 365e8) could not fit in 64 bits either. */
    i128 numerator;
    if (__builtin_mul_overflow((i128)principal * annual, (i128)days, &numerator))
        return interest_overflow(principal, annual, days, dc, err);
    i128 denominator = (i128)ph_daycount_basis(dc) * PH_RATE_ONE;
    if (!i128_to_i64(i128_div_round(numerator, denominator, rounding), out))
        return interest_overflow(principal, annual, days, dc, err);
    return PH_OK;
}

static ph_status bad_date(ph_error *err, ph_status code, const char *field, ph_date d,
                          const char *expected)
{
    char text[16]; /* a date, or the day number of one that is not: "-2147483648" */
    if (ph_date_format(d, text, sizeof(text), NULL) != PH_OK)
        snprintf(text, sizeof(text), "%" PRId32, d);
    return ph_error_set(err, code, field, text, "%s", expected);
}

/* Counting the drawdown day and not the end day means a day's interest is
 * charged for each night the money is out: drawn and repaid the same day,
 * nothing; one night, one day. */
ph_status ph_interest_days(ph_date drawdown, ph_date end, int64_t *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_interest_days: out is NULL");
    if (!ph_date_is_valid(drawdown))
        return bad_date(err, PH_ERANGE, "from", drawdown,
                        "expected a date from 0001-01-01 to 9999-12-31");
    if (!ph_date_is_valid(end))
        return bad_date(err, PH_ERANGE, "to", end,
                        "expected a date from 0001-01-01 to 9999-12-31");
    if (end < drawdown)
        return bad_date(err, PH_EINVAL, "to", end,
                        "expected the end day on or after the drawdown day");
    *out = ph_date_diff_days(drawdown, end);
    return PH_OK;
}

ph_status ph_daily_rate(ph_rate annual, ph_daycount dc, ph_rounding rounding, ph_rate *out,
                        ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_daily_rate: out is NULL");
    ph_status st = check_daycount(dc, err);
    if (st == PH_OK)
        st = rounding_check(rounding, err);
    if (st != PH_OK)
        return st;
    *out = (ph_rate)i128_div_round(annual, ph_daycount_basis(dc), rounding);
    return PH_OK;
}
