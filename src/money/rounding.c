/*
 * Rounding modes: names, validation, and the one exact rounding division
 * every money and rate computation ends with.
 */
#include "money/money_internal.h"

#include <string.h>

static const struct {
    ph_rounding mode;
    const char *name;
} rounding_names[] = {
    {PH_ROUND_HALF_UP, "half-up"}, {PH_ROUND_HALF_EVEN, "half-even"},
    {PH_ROUND_DOWN, "down"},       {PH_ROUND_UP, "up"},
    {PH_ROUND_FLOOR, "floor"},     {PH_ROUND_CEILING, "ceiling"},
};

#define ROUNDING_COUNT (sizeof(rounding_names) / sizeof(rounding_names[0]))

const char *ph_rounding_name(ph_rounding rounding)
{
    for (size_t i = 0; i < ROUNDING_COUNT; i++)
        if (rounding_names[i].mode == rounding)
            return rounding_names[i].name;
    return NULL;
}

/* ASCII case folding, with '_' read as '-' so C-style names match too. */
static char fold(char c)
{
    if (c >= 'A' && c <= 'Z')
        return (char)(c - 'A' + 'a');
    return c == '_' ? '-' : c;
}

static int name_matches(const char *name, const char *s, size_t len)
{
    if (strlen(name) != len)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (fold(s[i]) != name[i])
            return 0;
    return 1;
}

ph_status ph_rounding_parse(const char *s, size_t len, ph_rounding *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_rounding_parse: %s is NULL",
                            s == NULL ? "s" : "out");
    for (size_t i = 0; i < ROUNDING_COUNT; i++) {
        if (name_matches(rounding_names[i].name, s, len)) {
            *out = rounding_names[i].mode;
            return PH_OK;
        }
    }
    return ph_error_setn(err, PH_EINVAL, "rounding", s, len,
                         "expected one of half-up, half-even, down, up, floor, ceiling");
}

ph_status ph_rounding_check(ph_rounding rounding, ph_error *err)
{
    if (ph_rounding_name(rounding) != NULL)
        return PH_OK;
    return ph_error_set(err, PH_EINVAL, "rounding", NULL,
                        "expected a rounding mode from PH_ROUND_HALF_UP to PH_ROUND_CEILING, "
                        "got %d",
                        (int)rounding);
}

ph_i128 ph_i128_div_round(ph_i128 n, ph_i128 d, ph_rounding rounding)
{
    ph_i128 q = n / d; /* C truncates toward zero */
    ph_i128 rem = n % d;
    if (rem == 0)
        return q;

    int negative = (n < 0) != (d < 0);
    ph_i128 away = negative ? -1 : 1; /* one unit further from zero */
    /* The exact quotient lies between q and q + away; compare the distances
     * to each without forming 2 * rem, which could overflow. */
    ph_u128 to_q = ph_i128_abs(rem);
    ph_u128 to_away = ph_i128_abs(d) - to_q;

    switch (rounding) {
    case PH_ROUND_DOWN: return q;
    case PH_ROUND_UP: return q + away;
    case PH_ROUND_FLOOR: return negative ? q - 1 : q;
    case PH_ROUND_CEILING: return negative ? q : q + 1;
    case PH_ROUND_HALF_UP: return to_q >= to_away ? q + away : q;
    case PH_ROUND_HALF_EVEN:
        if (to_q != to_away)
            return to_q > to_away ? q + away : q;
        return q % 2 != 0 ? q + away : q;
    }
    return q; /* unreachable for a checked mode */
}
