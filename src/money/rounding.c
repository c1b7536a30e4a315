/*
 * Rounding modes: names and parsing (the exact rounding division is
 * src/core/i128.c).
 */
#include "puhui/money.h"

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
