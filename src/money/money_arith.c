/*
 * Money arithmetic: checked sums and products, exact scaling with explicit
 * rounding, and splits whose parts always add up to the total.
 */
#include "puhui/money.h"

#include "core/i128.h"

#include <inttypes.h>
#include <stdio.h>

#define FIELD "amount"
#define RANGE_TEXT "-92233720368547758.08 to 92233720368547758.07"

/* The operation as text, for the error value: "1.00 + 2.00". */
static const char *describe(char *buf, size_t size, ph_money a, const char *op,
                            const char *rest)
{
    char amount[PH_MONEY_FORMAT_MAX];
    ph_money_format(a, 0, amount, sizeof(amount), NULL);
    snprintf(buf, size, "%s %s %s", amount, op, rest);
    return buf;
}

static ph_status overflow(ph_error *err, const char *operation, const char *what)
{
    return ph_error_set(err, PH_ERANGE, FIELD, operation,
                        "%s does not fit in an amount (" RANGE_TEXT ")", what);
}

static ph_status null_out(ph_error *err, const char *function)
{
    return ph_error_set(err, PH_EMISUSE, NULL, NULL, "%s: out is NULL", function);
}

ph_status ph_money_add(ph_money a, ph_money b, ph_money *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_money_add");
    ph_money sum;
    if (__builtin_add_overflow(a, b, &sum)) {
        char b_text[PH_MONEY_FORMAT_MAX], op[96];
        ph_money_format(b, 0, b_text, sizeof(b_text), NULL);
        return overflow(err, describe(op, sizeof(op), a, "+", b_text), "the sum");
    }
    *out = sum;
    return PH_OK;
}

ph_status ph_money_sub(ph_money a, ph_money b, ph_money *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_money_sub");
    ph_money difference;
    if (__builtin_sub_overflow(a, b, &difference)) {
        char b_text[PH_MONEY_FORMAT_MAX], op[96];
        ph_money_format(b, 0, b_text, sizeof(b_text), NULL);
        return overflow(err, describe(op, sizeof(op), a, "-", b_text), "the difference");
    }
    *out = difference;
    return PH_OK;
}

ph_status ph_money_mul_int(ph_money m, int64_t count, ph_money *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_money_mul_int");
    ph_money product;
    if (__builtin_mul_overflow(m, count, &product)) {
        char count_text[32], op[96];
        snprintf(count_text, sizeof(count_text), "%" PRId64, count);
        return overflow(err, describe(op, sizeof(op), m, "*", count_text), "the product");
    }
    *out = product;
    return PH_OK;
}

ph_status ph_money_muldiv(ph_money m, int64_t num, int64_t den, ph_rounding rounding,
                          ph_money *out, ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_money_muldiv");
    ph_status st = rounding_check(rounding, err);
    if (st != PH_OK)
        return st;
    char rest[64], op[128];
    snprintf(rest, sizeof(rest), "%" PRId64 " / %" PRId64, num, den);
    if (den == 0)
        return ph_error_set(err, PH_EINVAL, "denominator",
                            describe(op, sizeof(op), m, "*", rest), "division by zero");
    /* |m * num| <= 2^126: exact in 128 bits. */
    i128 exact = i128_div_round((i128)m * num, den, rounding);
    if (!i128_to_i64(exact, out))
        return overflow(err, describe(op, sizeof(op), m, "*", rest), "the result");
    return PH_OK;
}

ph_status ph_money_div_int(ph_money m, int64_t n, ph_rounding rounding, ph_money *out,
                           ph_error *err)
{
    if (out == NULL)
        return null_out(err, "ph_money_div_int");
    ph_status st = rounding_check(rounding, err);
    if (st != PH_OK)
        return st;
    char n_text[32], op[96];
    snprintf(n_text, sizeof(n_text), "%" PRId64, n);
    if (n == 0)
        return ph_error_set(err, PH_EINVAL, "denominator",
                            describe(op, sizeof(op), m, "/", n_text), "division by zero");
    /* Only PH_MONEY_MIN / -1 can leave the range. */
    if (!i128_to_i64(i128_div_round(m, n, rounding), out))
        return overflow(err, describe(op, sizeof(op), m, "/", n_text), "the quotient");
    return PH_OK;
}

ph_status ph_money_split(ph_money total, size_t n, ph_money *parts, ph_error *err)
{
    if (parts == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_money_split: parts is NULL");
    if (n == 0)
        return ph_error_set(err, PH_EINVAL, "parts", "0", "expected at least one part");
    /* Truncating division leaves a remainder with the sign of total and a
     * magnitude below n: one fen of it goes to each of the first parts. */
    i128 share = (i128)total / (i128)n;
    i128 rest = (i128)total % (i128)n;
    u128 extra = i128_abs(rest);
    i128 unit = total < 0 ? -1 : 1;
    for (size_t i = 0; i < n; i++)
        parts[i] = (ph_money)(share + ((u128)i < extra ? unit : 0));
    return PH_OK;
}

/* How many remainders are >= threshold. */
static size_t count_at_least(const ph_money *remainders, size_t n, int64_t threshold)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += remainders[i] >= threshold;
    return count;
}

static ph_status check_weights(const int64_t *weights, size_t n, int64_t *sum, ph_error *err)
{
    if (n == 0)
        return ph_error_set(err, PH_EINVAL, "weights", NULL, "expected at least one weight");
    int64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        int negative = weights[i] < 0;
        if (!negative && !__builtin_add_overflow(total, weights[i], &total))
            continue;
        char value[32];
        snprintf(value, sizeof(value), "%" PRId64, weights[i]);
        if (negative)
            return ph_error_set(err, PH_EINVAL, "weights", value,
                                "weights[%zu] is negative; expected every weight >= 0", i);
        return ph_error_set(err, PH_ERANGE, "weights", value,
                            "the sum of the weights overflows 64 bits at weights[%zu]", i);
    }
    if (total == 0)
        return ph_error_set(err, PH_EINVAL, "weights", NULL,
                            "the weights sum to 0; expected at least one weight > 0");
    *sum = total;
    return PH_OK;
}

ph_status ph_money_allocate(ph_money total, const int64_t *weights, size_t n, ph_money *parts,
                            ph_error *err)
{
    if (weights == NULL || parts == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_money_allocate: %s is NULL",
                            weights == NULL ? "weights" : "parts");
    int64_t sum = 0;
    ph_status st = check_weights(weights, n, &sum, err);
    if (st != PH_OK)
        return st;

    /* Work on the magnitude (2^63 at most) and give the parts total's sign
     * at the end. Nothing below can fail, so parts may serve as scratch
     * space: it first holds each share's remainder, which is below sum. */
    u128 magnitude = i64_abs(total);
    u128 floors = 0;
    for (size_t i = 0; i < n; i++) {
        u128 scaled = magnitude * (uint64_t)weights[i]; /* < 2^126 */
        floors += scaled / (uint64_t)sum;
        parts[i] = (ph_money)(scaled % (uint64_t)sum);
    }
    /* The fen the floors leave over: fewer than n, one per part. */
    size_t leftover = (size_t)(magnitude - floors);

    /* They go to the largest remainders. Find the smallest remainder that
     * still gets one (threshold) by binary search on its value, so no sorting
     * and no allocation: the largest t with count(remainder >= t) >= leftover.
     * Remainders equal to the threshold are served in index order. */
    int64_t threshold = sum; /* above every remainder: nobody gets one */
    size_t at_threshold = 0;
    if (leftover > 0) {
        int64_t lo = 1, hi = sum - 1; /* count(remainder >= 1) > leftover */
        while (lo < hi) {
            int64_t mid = lo + (hi - lo + 1) / 2;
            if (count_at_least(parts, n, mid) >= leftover)
                lo = mid;
            else
                hi = mid - 1;
        }
        threshold = lo;
        at_threshold = leftover - count_at_least(parts, n, threshold + 1);
    }

    for (size_t i = 0; i < n; i++) {
        u128 share = magnitude * (uint64_t)weights[i] / (uint64_t)sum;
        if (parts[i] > threshold) {
            share++;
        } else if (parts[i] == threshold && at_threshold > 0) {
            share++;
            at_threshold--;
        }
        parts[i] = total < 0 ? (ph_money)(-(i128)share) : (ph_money)share;
    }
    return PH_OK;
}
