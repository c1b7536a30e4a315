/*
 * GB/T 2260 administrative division codes: parsing, checking, levels and
 * lookups in the reference tables of region_data.c.
 */
#include "puhui/region.h"

#include "ident/ident_internal.h"
#include "ident/region_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#define FIELD "division_code"

static const char *const kind_names[][2] = {
    [PH_DIVK_MUNICIPALITY] = { "municipality", "直辖市" },
    [PH_DIVK_PROVINCE] = { "province", "省" },
    [PH_DIVK_AUTONOMOUS_REGION] = { "autonomous region", "自治区" },
    [PH_DIVK_SAR] = { "SAR", "特别行政区" },
    [PH_DIVK_PREFECTURE_CITY] = { "prefecture-level city", "地级市" },
    [PH_DIVK_DISTRICT] = { "district", "市辖区" },
    [PH_DIVK_COUNTY_CITY] = { "county-level city", "县级市" },
    [PH_DIVK_COUNTY] = { "county", "县" },
};

static int kind_known(ph_div_kind kind)
{
    return (int)kind >= 0 && (size_t)kind < sizeof(kind_names) / sizeof(kind_names[0]);
}

const char *ph_division_kind_name(ph_div_kind kind)
{
    return kind_known(kind) ? kind_names[kind][0] : "unknown";
}

const char *ph_division_kind_name_zh(ph_div_kind kind)
{
    return kind_known(kind) ? kind_names[kind][1] : "";
}

int ph_division_kind_is_urban(ph_div_kind kind)
{
    return kind == PH_DIVK_DISTRICT;
}

ph_div_level ph_division_level(int code)
{
    if (code < 100000 || code > 999999)
        return PH_DIV_INVALID;
    int city = code / 100 % 100;
    int county = code % 100;
    if (city == 0 && county != 0)
        return PH_DIV_INVALID;
    if (county != 0)
        return PH_DIV_COUNTY;
    return city != 0 ? PH_DIV_CITY : PH_DIV_PROVINCE;
}

int ph_division_province(int code)
{
    return ph_division_level(code) == PH_DIV_INVALID ? 0 : code - code % 10000;
}

int ph_division_city(int code)
{
    ph_div_level level = ph_division_level(code);
    if (level == PH_DIV_INVALID || level == PH_DIV_PROVINCE)
        return 0;
    return code - code % 100;
}

static int compare_code(const void *key, const void *entry)
{
    int a = *(const int *)key;
    int b = ((const ph_division *)entry)->code;
    return (a > b) - (a < b);
}

static const ph_division *search(const ph_division *table, size_t count, int code)
{
    return bsearch(&code, table, count, sizeof(*table), compare_code);
}

const ph_division *ph_division_find(int code)
{
    switch (ph_division_level(code)) {
    case PH_DIV_PROVINCE:
        return search(ph_region_provinces, ph_region_province_count, code);
    case PH_DIV_CITY:
        return search(ph_region_shandong_cities, ph_region_shandong_city_count, code);
    case PH_DIV_COUNTY:
        return search(ph_region_shandong_counties, ph_region_shandong_county_count, code);
    case PH_DIV_INVALID:
        break;
    }
    return NULL;
}

const char *ph_division_name(int code)
{
    const ph_division *d = ph_division_find(code);
    return d ? d->name_zh : NULL;
}

const char *ph_division_name_en(int code)
{
    const ph_division *d = ph_division_find(code);
    return d ? d->name_en : NULL;
}

/* Fail with the integer `code` as the offending value. */
static ph_status code_error(ph_error *err, ph_status status, int code, const char *fmt, ...)
    PH_PRINTF(4, 5);

static ph_status code_error(ph_error *err, ph_status status, int code, const char *fmt, ...)
{
    char value[16];
    int n = snprintf(value, sizeof(value), "%d", code);
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(err, status, FIELD, value, (size_t)n, fmt, ap);
    va_end(ap);
    return status;
}

/* The rules shared by the string and the integer forms, once the code is
 * known to be in 0..999999. `value` is what the caller gave, for messages. */
static ph_status check_rules(int code, const char *value, size_t value_len, ph_error *err)
{
    if (search(ph_region_provinces, ph_region_province_count, code - code % 10000) == NULL)
        return ph_error_setn(err, PH_EINVAL, FIELD, value, value_len,
                             "unknown province prefix %02d (expected one of the 34 "
                             "provincial-level codes, 11 Beijing to 82 Macau)",
                             code / 10000);
    if (ph_division_level(code) == PH_DIV_INVALID)
        return ph_error_setn(err, PH_EINVAL, FIELD, value, value_len,
                             "county part %02d without a city part (positions 3-4 are 00)",
                             code % 100);
    return PH_OK;
}

ph_status ph_division_check(int code, ph_error *err)
{
    char value[16];
    int n = snprintf(value, sizeof(value), "%d", code);
    if (code < 100000 || code > 999999)
        return code_error(err, PH_EINVAL, code,
                          "expected a 6-digit code from 100000 to 999999");
    return check_rules(code, value, (size_t)n, err);
}

ph_status ph_division_parse(const char *s, size_t len, int *code, ph_error *err)
{
    if (s == NULL || code == NULL)
        return ph_error_set(err, PH_EMISUSE, FIELD, NULL, "%s is NULL",
                            s == NULL ? "the input string" : "the output pointer");
    if (len != 6)
        return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                             "expected 6 digits, got %zu characters", len);
    int value = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            char repr[8];
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                                 "position %zu: %s is not a digit", i + 1,
                                 ident_char_repr(s[i], repr));
        }
        value = value * 10 + (s[i] - '0');
    }
    /* Six digits: a leading 0 shows up as an unknown province prefix 0x. */
    ph_status st = check_rules(value, s, len, err);
    if (st != PH_OK)
        return st;
    *code = value;
    return PH_OK;
}

/* The contiguous run of `table` whose codes lie in [lo, hi]. */
static void slice(const ph_division *table, size_t count, int lo, int hi,
                  const ph_division **out, size_t *out_count)
{
    size_t first = 0;
    while (first < count && table[first].code < lo)
        first++;
    size_t last = first;
    while (last < count && table[last].code <= hi)
        last++;
    *out = table + first;
    *out_count = last - first;
}

static ph_status not_tabulated(ph_error *err, int code)
{
    return code_error(err, PH_ENOTFOUND, code,
                      "no tabulated subdivisions (only Shandong, %d, is tabulated below "
                      "province level)",
                      PH_DIVISION_SHANDONG);
}

/* Check `code` as a parent that has county-level divisions below it
 * (a province or a city) and find the run of those counties. */
static ph_status counties_under(int code, const ph_division **out, size_t *count,
                                ph_error *err)
{
    ph_status st = ph_division_check(code, err);
    if (st != PH_OK)
        return st;
    ph_div_level level = ph_division_level(code);
    if (level == PH_DIV_COUNTY)
        return code_error(err, PH_EINVAL, code,
                          "a county-level division has no subdivisions in GB/T 2260");
    if (ph_division_province(code) != PH_DIVISION_SHANDONG)
        return not_tabulated(err, code);
    if (level == PH_DIV_CITY && ph_division_find(code) == NULL)
        return code_error(err, PH_ENOTFOUND, code,
                          "not a prefecture-level city of Shandong (it has %d)",
                          (int)ph_region_shandong_city_count);
    int span = level == PH_DIV_CITY ? 99 : 9999;
    slice(ph_region_shandong_counties, ph_region_shandong_county_count, code, code + span, out,
          count);
    return PH_OK;
}

ph_status ph_division_counties(int code, const ph_division **out, size_t *count, ph_error *err)
{
    if (out == NULL || count == NULL)
        return ph_error_set(err, PH_EMISUSE, FIELD, NULL, "output pointer is NULL");
    return counties_under(code, out, count, err);
}

ph_status ph_division_children(int parent_code, const ph_division **out, size_t *count,
                               ph_error *err)
{
    if (out == NULL || count == NULL)
        return ph_error_set(err, PH_EMISUSE, FIELD, NULL, "output pointer is NULL");
    if (parent_code == 0) {
        *out = ph_region_provinces;
        *count = ph_region_province_count;
        return PH_OK;
    }
    ph_status st = ph_division_check(parent_code, err);
    if (st != PH_OK)
        return st;
    if (ph_division_level(parent_code) == PH_DIV_PROVINCE) {
        if (parent_code != PH_DIVISION_SHANDONG)
            return not_tabulated(err, parent_code);
        *out = ph_region_shandong_cities;
        *count = ph_region_shandong_city_count;
        return PH_OK;
    }
    return counties_under(parent_code, out, count, err);
}
