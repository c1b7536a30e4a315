/*
 * Checking one field of a feed against its column: one checker per field
 * type, picked from a table. Each checker owns the text form of its type
 * (docs/formats/README.md) and reports, as PH_EINVAL on the column's name,
 * what it expected. Codes, dates and amounts are delegated to their own
 * modules, whose explanation ("day 30 does not exist: February 2024 has 29
 * days") is kept; only the field name and the status are the feed's.
 */
#include "puhui/feed.h"

#include "puhui/date.h"
#include "puhui/industry.h"
#include "puhui/money.h"
#include "puhui/region.h"
#include "puhui/uscc.h"

#include "core/i128.h"
#include "core/utf8.h"

#include <stdio.h>
#include <string.h>

/* Decimal places beyond this cannot be scaled into an int64 bound exactly. */
#define MAX_DECIMALS 18

typedef ph_status (*field_checker)(const ph_feed_column *col, const char *s, size_t len,
                                   ph_error *err);

/* The field does not conform: PH_EINVAL on the column, with the text. */
static ph_status bad(const ph_feed_column *col, const char *s, size_t len, ph_error *err,
                     const char *fmt, ...) PH_PRINTF(5, 6);

static ph_status bad(const ph_feed_column *col, const char *s, size_t len, ph_error *err,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(err, PH_EINVAL, col->name, s, len, fmt, ap);
    va_end(ap);
    return PH_EINVAL;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (!is_digit(s[i]))
            return 0;
    return len > 0;
}

/* --- codes, dates and months: their own modules decide ------------------------- */

static ph_status check_uscc(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    ph_error inner;
    if (ph_uscc_validate(s, len, &inner) != PH_OK)
        return bad(col, s, len, err, "expected a Unified Social Credit Code: %s", inner.detail);
    return PH_OK;
}

/* 1 when the four-digit year that starts S lies in the feeds' range. No feed
 * describes a firm before the People's Republic or after the century: such
 * dates and months are typing errors or placeholders (1899, 2099). */
static int feed_year(const char *s)
{
    return memcmp(s, PH_FEED_YEAR_MIN, 4) >= 0 && memcmp(s, PH_FEED_YEAR_MAX, 4) <= 0;
}

static ph_status check_date(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    /* The date module also reads the basic form YYYYMMDD; feeds use only the extended one. */
    if (len != 10 || s[4] != '-' || s[7] != '-')
        return bad(col, s, len, err, "expected a date as YYYY-MM-DD");
    ph_error inner;
    ph_date date;
    if (ph_date_parse(s, len, &date, &inner) != PH_OK)
        return bad(col, s, len, err, "expected a date as YYYY-MM-DD: %s", inner.detail);
    if (!feed_year(s))
        return bad(col, s, len, err, "expected a date from " PH_FEED_YEAR_MIN " to " PH_FEED_YEAR_MAX);
    return PH_OK;
}

static ph_status check_month(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    ph_error inner;
    ph_month month;
    if (ph_month_parse(s, len, &month, &inner) != PH_OK)
        return bad(col, s, len, err, "expected a month as YYYY-MM: %s", inner.detail);
    if (!feed_year(s))
        return bad(col, s, len, err, "expected a month from " PH_FEED_YEAR_MIN " to " PH_FEED_YEAR_MAX);
    return PH_OK;
}

static const char *level_name(ph_div_level level)
{
    static const char *const names[] = {
        [PH_DIV_INVALID] = "an invalid", [PH_DIV_PROVINCE] = "a province-level",
        [PH_DIV_CITY] = "a city-level", [PH_DIV_COUNTY] = "a county-level",
    };
    return (size_t)level < sizeof(names) / sizeof(names[0]) ? names[level] : "an unknown";
}

/* A GB/T 2260 code known to the region module, of the level `want`
 * (PH_DIV_INVALID: any level). */
static ph_status check_known_division(const ph_feed_column *col, const char *s, size_t len,
                                      ph_div_level want, const char *expected, ph_error *err)
{
    ph_error inner;
    int code;
    if (ph_division_parse(s, len, &code, &inner) != PH_OK)
        return bad(col, s, len, err, "expected %s: %s", expected, inner.detail);
    const ph_division *division = ph_division_find(code);
    if (division == NULL)
        return bad(col, s, len, err, "unknown division code; expected %s", expected);
    if (want != PH_DIV_INVALID && division->level != want)
        return bad(col, s, len, err, "%06d %s is %s division; expected %s", code,
                   division->name_zh, level_name(division->level), expected);
    return PH_OK;
}

static ph_status check_region(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    return check_known_division(col, s, len, PH_DIV_COUNTY,
                                "a county-level division code (GB/T 2260) such as 370102", err);
}

static ph_status check_division(const ph_feed_column *col, const char *s, size_t len,
                                ph_error *err)
{
    return check_known_division(col, s, len, PH_DIV_INVALID,
                                "a known division code (GB/T 2260): province 370000, city "
                                "370100 or county 370102",
                                err);
}

static ph_status check_industry(const ph_feed_column *col, const char *s, size_t len,
                                ph_error *err)
{
    /* The industry module reads every depth ("C", "13", "C1311"); a feed
     * names exactly a section and a division. */
    static const char expected[] =
        "expected a GB/T 4754-2017 section letter and 2-digit division such as C13";
    if (len != 3 || s[0] < 'A' || s[0] > 'Z' || !all_digits(s + 1, 2))
        return bad(col, s, len, err, "%s", expected);
    ph_error inner;
    ph_industry_code code;
    if (ph_industry_code_parse(s, len, &code, &inner) != PH_OK)
        return bad(col, s, len, err, "%s: %s", expected, inner.detail);
    return PH_OK;
}

/* --- text ------------------------------------------------------------------------- */

static int text_ascii(unsigned char c)
{
    return c >= 0x20 && c != 0x7f;
}

static int id_ascii(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           (c != 0 && strchr("-_().", c) != NULL);
}

/* Well-formed UTF-8 whose ASCII characters all pass `ascii_ok`; anything
 * else is named by its byte position. */
static ph_status check_chars(const ph_feed_column *col, const char *s, size_t len,
                             int (*ascii_ok)(unsigned char), const char *expected, ph_error *err)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        if (p[i] >= 0x80) {
            size_t n = utf8_sequence_len(p + i, len - i);
            if (n == 0)
                return bad(col, s, len, err, "byte %zu (0x%02x) is not valid UTF-8; expected %s",
                           i + 1, p[i], expected);
            i += n;
        } else if (!ascii_ok(p[i])) {
            if (p[i] < 0x20 || p[i] == 0x7f)
                return bad(col, s, len, err, "byte %zu is the control character 0x%02x; "
                           "expected %s", i + 1, p[i], expected);
            return bad(col, s, len, err, "byte %zu: '%c' is not allowed; expected %s", i + 1,
                       p[i], expected);
        } else {
            i++;
        }
    }
    return PH_OK;
}

static ph_status check_text(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    return check_chars(col, s, len, text_ascii, "UTF-8 text without control characters", err);
}

static ph_status check_id(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    return check_chars(col, s, len, id_ascii,
                       "an identifier of letters, digits, CJK characters and - _ ( ) .", err);
}

static ph_status check_enum(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    const char *member = col->values;
    while (*member != '\0') {
        size_t n = strcspn(member, "|");
        if (n == len && memcmp(member, s, len) == 0)
            return PH_OK;
        member += n + (member[n] == '|');
    }
    return bad(col, s, len, err, "expected one of %s", col->values);
}

/* --- numbers ---------------------------------------------------------------------- */

/* Whole number: digits, with a '-' only where the column's min is negative. */
static ph_status check_int(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    int64_t lo = col->min, hi = col->max;
    char expected[96];
    if (lo == 0 && hi == 0) {
        hi = INT64_MAX;
        snprintf(expected, sizeof(expected), "a whole number (digits only, no sign)");
    } else if (hi == INT64_MAX) {
        snprintf(expected, sizeof(expected), "a whole number of at least %lld", (long long)lo);
    } else {
        snprintf(expected, sizeof(expected), "a whole number from %lld to %lld",
                 (long long)lo, (long long)hi);
    }
    int negative = len > 0 && s[0] == '-' && lo < 0;
    const char *digits = s + negative;
    size_t n = len - (size_t)negative;
    if (!all_digits(digits, n))
        return bad(col, s, len, err, "expected %s", expected);
    int64_t value = 0;
    for (size_t i = 0; i < n; i++) {
        /* accumulate toward the sign so INT64_MIN itself is representable */
        int64_t d = digits[i] - '0';
        if (__builtin_mul_overflow(value, 10, &value) ||
            __builtin_add_overflow(value, negative ? -d : d, &value))
            return bad(col, s, len, err, "expected %s", expected);
    }
    if (value < lo || value > hi)
        return bad(col, s, len, err, "expected %s", expected);
    return PH_OK;
}

/* A decimal number in text, split into its parts. */
typedef struct decimal_text {
    int negative;
    const char *whole;   /* digits before the point */
    size_t whole_len;
    const char *fraction; /* digits after the point */
    size_t fraction_len;
} decimal_text;

/* digits ['.' digits] with an optional leading '-'; 1 if the form is right. */
static int split_decimal(const char *s, size_t len, decimal_text *out)
{
    out->negative = len > 0 && s[0] == '-';
    size_t i = (size_t)out->negative;
    out->whole = s + i;
    while (i < len && is_digit(s[i]))
        i++;
    out->whole_len = (size_t)(s + i - out->whole);
    out->fraction = s + i;
    out->fraction_len = 0;
    if (i < len && s[i] == '.') {
        out->fraction = s + ++i;
        while (i < len && is_digit(s[i]))
            i++;
        out->fraction_len = (size_t)(s + i - out->fraction);
        if (out->fraction_len == 0)
            return 0;
    }
    return i == len && out->whole_len > 0;
}

/* Is the value within [min, max]? Compared exactly, in units of 10^-decimals. */
static int decimal_within(const decimal_text *d, int decimals, int64_t min, int64_t max)
{
    size_t skip = 0;
    while (skip + 1 < d->whole_len && d->whole[skip] == '0')
        skip++;
    /* Past 20 significant digits a value exceeds every int64 bound; up to 20,
     * times 10^18 at most, fit the 128-bit arithmetic below. */
    if (d->whole_len - skip > 20)
        return 0;
    i128 scale = 1, value = 0;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    for (size_t i = skip; i < d->whole_len; i++)
        value = value * 10 + (d->whole[i] - '0');
    value *= scale;
    i128 place = scale;
    for (size_t i = 0; i < d->fraction_len; i++) {
        place /= 10;
        value += (d->fraction[i] - '0') * place;
    }
    if (d->negative)
        value = -value;
    return value >= (i128)min * scale && value <= (i128)max * scale;
}

static const char *plural(int n)
{
    return n == 1 ? "" : "s";
}

static ph_status check_share(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    decimal_text d;
    if (!split_decimal(s, len, &d) || d.negative || d.fraction_len > (size_t)col->decimals ||
        !decimal_within(&d, col->decimals, 0, 1))
        return bad(col, s, len, err,
                   "expected a share from 0 to 1 with at most %d decimal%s, such as 0.3125",
                   col->decimals, plural(col->decimals));
    return PH_OK;
}

static ph_status check_decimal(const ph_feed_column *col, const char *s, size_t len,
                               ph_error *err)
{
    decimal_text d;
    int bounded = col->min != 0 || col->max != 0;
    if (split_decimal(s, len, &d) && d.fraction_len <= (size_t)col->decimals &&
        (!bounded || decimal_within(&d, col->decimals, col->min, col->max)))
        return PH_OK;
    if (bounded)
        return bad(col, s, len, err, "expected a number from %lld to %lld with at most %d "
                   "decimal%s", (long long)col->min, (long long)col->max, col->decimals,
                   plural(col->decimals));
    return bad(col, s, len, err, "expected a number with at most %d decimal%s, such as -12.5",
               col->decimals, plural(col->decimals));
}

static ph_status check_money(const ph_feed_column *col, const char *s, size_t len, ph_error *err)
{
    decimal_text d;
    if (!split_decimal(s, len, &d) || d.fraction_len > 2)
        return bad(col, s, len, err, "expected yuan with at most 2 decimals and no sign or "
                   "thousands separators, such as 12345.67");
    if (d.negative)
        return bad(col, s, len, err, "expected an amount that is not negative, such as 12345.67");
    ph_money amount;
    if (ph_money_parse(s, len, &amount, NULL) != PH_OK)
        return bad(col, s, len, err, "expected an amount of at most 92233720368547758.07 yuan");
    return PH_OK;
}

/* --- dispatch --------------------------------------------------------------------- */

static const field_checker checkers[] = {
    [PH_FIELD_USCC] = check_uscc,         [PH_FIELD_TEXT] = check_text,
    [PH_FIELD_ID] = check_id,             [PH_FIELD_DATE] = check_date,
    [PH_FIELD_MONTH] = check_month,       [PH_FIELD_INT] = check_int,
    [PH_FIELD_MONEY] = check_money,       [PH_FIELD_SHARE] = check_share,
    [PH_FIELD_DECIMAL] = check_decimal,   [PH_FIELD_ENUM] = check_enum,
    [PH_FIELD_REGION] = check_region,     [PH_FIELD_DIVISION] = check_division,
    [PH_FIELD_INDUSTRY] = check_industry,
};

/* Columns come from the catalog, but a caller may build its own: refuse one
 * that cannot be checked rather than guess. */
static ph_status check_column(const ph_feed_column *col, ph_error *err)
{
    if (col == NULL)
        return ph_error_set(err, PH_EMISUSE, NULL, NULL, "ph_feed_check_field: col is NULL");
    const char *name = col->name ? col->name : "";
    if ((size_t)col->type >= sizeof(checkers) / sizeof(checkers[0]))
        return ph_error_set(err, PH_EMISUSE, name, NULL, "the column has the unknown type %d",
                            (int)col->type);
    if (col->type == PH_FIELD_ENUM && (col->values == NULL || col->values[0] == '\0'))
        return ph_error_set(err, PH_EMISUSE, name, NULL, "the enum column lists no values");
    if ((col->type == PH_FIELD_SHARE || col->type == PH_FIELD_DECIMAL) &&
        (col->decimals < 0 || col->decimals > MAX_DECIMALS))
        return ph_error_set(err, PH_EMISUSE, name, NULL,
                            "the column has %d decimals, expected 0 to %d", col->decimals,
                            MAX_DECIMALS);
    if (col->min > col->max && !(col->min == 0 && col->max == 0))
        return ph_error_set(err, PH_EMISUSE, name, NULL,
                            "the column's min %lld is above its max %lld",
                            (long long)col->min, (long long)col->max);
    return PH_OK;
}

ph_status ph_feed_check_field(const ph_feed_column *col, const char *s, size_t len,
                              ph_error *err)
{
    ph_status st = check_column(col, err);
    if (st != PH_OK)
        return st;
    if (s == NULL && len > 0)
        return ph_error_set(err, PH_EMISUSE, col->name, NULL,
                            "ph_feed_check_field: s is NULL but len is %zu", len);
    if (len == 0) {
        if (col->required)
            return bad(col, "", 0, err, "expected a value: the column is required");
        return PH_OK;
    }
    return checkers[col->type](col, s, len, err);
}
