/*
 * Repayment allocation: a payment split over what is owed, bucket by bucket
 * in the product's order (include/puhui/schedule.h). The order is data
 * ("penalty,fee,interest,principal"), set per product, never an if chain.
 *
 * The invariant: paid[] + excess == amount exactly, and paid[b] <= owed[b].
 */
#include "puhui/schedule.h"

#include <stdio.h>
#include <string.h>

/* Indexed by ph_bucket. */
static const char *const BUCKET_NAMES[PH_BUCKET_COUNT] = {"penalty", "fee", "interest",
                                                          "principal"};

const char *ph_bucket_name(ph_bucket b)
{
    return (unsigned)b < PH_BUCKET_COUNT ? BUCKET_NAMES[b] : NULL;
}

ph_allocation_order ph_allocation_order_default(void)
{
    return (ph_allocation_order){
        {PH_BUCKET_PENALTY, PH_BUCKET_FEE, PH_BUCKET_INTEREST, PH_BUCKET_PRINCIPAL}};
}

#define ORDER_FIELD "allocation_order"
#define ORDER_EXPECTED "penalty, fee, interest and principal, each once, separated by commas"

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

ph_status ph_allocation_order_parse(const char *s, size_t len, ph_allocation_order *out,
                                    ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, ORDER_FIELD, NULL,
                            "ph_allocation_order_parse: %s is NULL",
                            s == NULL ? "the input string" : "the output pointer");
    ph_allocation_order o;
    unsigned seen = 0;
    size_t count = 0, pos = 0;
    for (;;) {
        size_t end = pos;
        while (end < len && s[end] != ',')
            end++;
        size_t a = pos, b = end;
        while (a < b && is_space(s[a]))
            a++;
        while (b > a && is_space(s[b - 1]))
            b--;
        if (a == b)
            return ph_error_setn(err, PH_EINVAL, ORDER_FIELD, s, len,
                                 "empty bucket name at character %zu; expected " ORDER_EXPECTED,
                                 a + 1);
        int found = -1;
        for (int i = 0; i < PH_BUCKET_COUNT; i++)
            if (strlen(BUCKET_NAMES[i]) == b - a && memcmp(BUCKET_NAMES[i], s + a, b - a) == 0)
                found = i;
        if (found < 0)
            return ph_error_setn(err, PH_EINVAL, ORDER_FIELD, s + a, b - a,
                                 "unknown bucket; expected " ORDER_EXPECTED);
        if (seen & (1u << found))
            return ph_error_setn(err, PH_EINVAL, ORDER_FIELD, s + a, b - a,
                                 "bucket named twice; expected " ORDER_EXPECTED);
        if (count == PH_BUCKET_COUNT) /* unreachable: a fifth name repeats one */
            break;
        seen |= 1u << found;
        o.order[count++] = (ph_bucket)found;
        if (end >= len)
            break;
        pos = end + 1;
    }
    if (count < PH_BUCKET_COUNT) {
        char missing[64] = "";
        size_t used = 0;
        for (int i = 0; i < PH_BUCKET_COUNT; i++)
            if (!(seen & (1u << i))) {
                int w = snprintf(missing + used, sizeof missing - used, "%s%s",
                                 used ? ", " : "", BUCKET_NAMES[i]);
                used += (size_t)w;
            }
        return ph_error_setn(err, PH_EINVAL, ORDER_FIELD, s, len,
                             "missing %s; expected " ORDER_EXPECTED, missing);
    }
    *out = o;
    return PH_OK;
}

static int is_permutation(const ph_allocation_order *o)
{
    unsigned seen = 0;
    for (int i = 0; i < PH_BUCKET_COUNT; i++) {
        if ((unsigned)o->order[i] >= PH_BUCKET_COUNT)
            return 0;
        seen |= 1u << o->order[i];
    }
    return seen == (1u << PH_BUCKET_COUNT) - 1;
}

static ph_status not_permutation(ph_error *err)
{
    return ph_error_set(err, PH_EINVAL, ORDER_FIELD, NULL,
                        "the order must name every bucket exactly once");
}

ph_status ph_allocation_order_format(const ph_allocation_order *o, char *buf, size_t size,
                                     ph_error *err)
{
    if (o == NULL || buf == NULL || size < 40)
        return ph_error_set(err, PH_EMISUSE, ORDER_FIELD, NULL,
                            "ph_allocation_order_format: %s",
                            o == NULL     ? "the order is NULL"
                            : buf == NULL ? "buf is NULL"
                                          : "buf has fewer than 40 bytes");
    if (!is_permutation(o))
        return not_permutation(err);
    snprintf(buf, size, "%s,%s,%s,%s", BUCKET_NAMES[o->order[0]], BUCKET_NAMES[o->order[1]],
             BUCKET_NAMES[o->order[2]], BUCKET_NAMES[o->order[3]]);
    return PH_OK;
}

ph_status ph_allocate_payment(const ph_allocation_order *o, ph_money amount,
                              const ph_money owed[PH_BUCKET_COUNT],
                              ph_money paid[PH_BUCKET_COUNT], ph_money *excess, ph_error *err)
{
    if (o == NULL || owed == NULL || paid == NULL || excess == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_allocate_payment: %s is NULL",
                            o == NULL      ? "the order"
                            : owed == NULL ? "owed"
                            : paid == NULL ? "paid"
                                           : "excess");
    if (amount <= 0)
        return ph_error_set(err, PH_EINVAL, "amount", NULL,
                            "expected a repayment > 0 fen, got %lld", (long long)amount);
    if (!is_permutation(o))
        return not_permutation(err);
    ph_money total = 0;
    for (int b = 0; b < PH_BUCKET_COUNT; b++) {
        if (owed[b] < 0) {
            char field[32];
            snprintf(field, sizeof field, "owed.%s", BUCKET_NAMES[b]);
            return ph_error_set(err, PH_EINVAL, field, NULL,
                                "expected an amount owed >= 0 fen, got %lld",
                                (long long)owed[b]);
        }
        if (__builtin_add_overflow(total, owed[b], &total))
            return ph_error_set(err, PH_ERANGE, "owed", NULL,
                                "the amounts owed add up beyond int64 fen");
    }
    ph_money split[PH_BUCKET_COUNT] = {0};
    ph_money left = amount;
    for (int i = 0; i < PH_BUCKET_COUNT && left > 0; i++) {
        ph_bucket b = o->order[i];
        ph_money take = owed[b] < left ? owed[b] : left;
        split[b] = take;
        left -= take;
    }
    memcpy(paid, split, sizeof split);
    *excess = left;
    return PH_OK;
}
