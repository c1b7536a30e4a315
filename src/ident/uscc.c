/*
 * The Unified Social Credit Code (GB 32100-2015): validation, parsing, check
 * characters and a deterministic generator for synthetic data.
 */
#include "puhui/uscc.h"

#include "puhui/region.h"

#include "core/i128.h"
#include "ident/ident_internal.h"

#include <stdio.h>
#include <string.h>

#define FIELD "uscc"
#define NATIONAL_DIVISION 100000 /* positions 3-8 of codes issued at national level */

/* The standard's table of registration authorities and their institution
 * categories (GB 32100-2015 with its amendment No. 1, adding A and N). */
static const ph_uscc_category categories[] = {
    { '1', '1', "机构编制", "public-sector establishment", "机关", "government organ" },
    { '1', '2', "机构编制", "public-sector establishment", "事业单位", "public institution" },
    { '1', '3', "机构编制", "public-sector establishment",
      "中央编办直接管理机构编制的群众团体",
      "mass organisation staffed by the central establishment office" },
    { '1', '9', "机构编制", "public-sector establishment", "其他", "other" },
    { '2', '1', "外交", "foreign affairs", "外国常驻新闻机构", "resident foreign news agency" },
    { '2', '9', "外交", "foreign affairs", "其他", "other" },
    { '3', '1', "司法行政", "judicial administration", "律师执业机构", "law firm" },
    { '3', '2', "司法行政", "judicial administration", "公证处", "notary office" },
    { '3', '3', "司法行政", "judicial administration", "基层法律服务所",
      "grassroots legal service office" },
    { '3', '4', "司法行政", "judicial administration", "司法鉴定机构",
      "forensic expertise institution" },
    { '3', '5', "司法行政", "judicial administration", "仲裁委员会", "arbitration commission" },
    { '3', '9', "司法行政", "judicial administration", "其他", "other" },
    { '4', '1', "文化", "culture", "外国在华文化中心", "foreign cultural centre in China" },
    { '4', '9', "文化", "culture", "其他", "other" },
    { '5', '1', "民政", "civil affairs", "社会团体", "social organisation" },
    { '5', '2', "民政", "civil affairs", "民办非企业单位", "private non-enterprise unit" },
    { '5', '3', "民政", "civil affairs", "基金会", "foundation" },
    { '5', '9', "民政", "civil affairs", "其他", "other" },
    { '6', '1', "旅游", "tourism", "外国旅游部门常驻代表机构",
      "resident office of a foreign tourism authority" },
    { '6', '2', "旅游", "tourism", "港澳台地区旅游部门常驻内地（大陆）代表机构",
      "resident office of a Hong Kong, Macau or Taiwan tourism authority" },
    { '6', '9', "旅游", "tourism", "其他", "other" },
    { '7', '1', "宗教", "religious affairs", "宗教活动场所", "place of religious activity" },
    { '7', '2', "宗教", "religious affairs", "宗教院校", "religious school" },
    { '7', '9', "宗教", "religious affairs", "其他", "other" },
    { '8', '1', "工会", "trade unions", "基层工会", "grassroots trade union" },
    { '8', '9', "工会", "trade unions", "其他", "other" },
    { '9', '1', "工商", "industry and commerce", "企业", "enterprise" },
    { '9', '2', "工商", "industry and commerce", "个体工商户", "individual business" },
    { '9', '3', "工商", "industry and commerce", "农民专业合作社",
      "farmers' specialised cooperative" },
    { 'A', '1', "中央军委改革和编制办公室", "CMC reform and establishment office",
      "军队事业单位", "military public institution" },
    { 'A', '9', "中央军委改革和编制办公室", "CMC reform and establishment office", "其他",
      "other" },
    { 'N', '1', "农业", "agriculture", "组级集体经济组织",
      "group-level collective economic organisation" },
    { 'N', '2', "农业", "agriculture", "村级集体经济组织",
      "village-level collective economic organisation" },
    { 'N', '3', "农业", "agriculture", "乡镇级集体经济组织",
      "township-level collective economic organisation" },
    { 'N', '9', "农业", "agriculture", "其他", "other" },
    { 'Y', '1', "其他", "other", "其他", "other (no categories)" },
};
#define CATEGORY_COUNT (sizeof(categories) / sizeof(categories[0]))

/* Value of each code character plus one; 0 marks a character outside the set. */
static const unsigned char char_value_plus1[128] = {
    ['0'] = 1,  ['1'] = 2,  ['2'] = 3,  ['3'] = 4,  ['4'] = 5,  ['5'] = 6,  ['6'] = 7,
    ['7'] = 8,  ['8'] = 9,  ['9'] = 10, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14,
    ['E'] = 15, ['F'] = 16, ['G'] = 17, ['H'] = 18, ['J'] = 19, ['K'] = 20, ['L'] = 21,
    ['M'] = 22, ['N'] = 23, ['P'] = 24, ['Q'] = 25, ['R'] = 26, ['T'] = 27, ['U'] = 28,
    ['W'] = 29, ['X'] = 30, ['Y'] = 31,
};

/* Position weights 3^(i-1) mod 31 for positions 1..17. */
static const int check_weights[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20,
                                       29, 25, 13, 8, 24, 10, 30, 28 };

/* GB 11714 weights for the 8 organisation-code body characters. */
static const int orgcode_weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };

/* Generator scramble: body = (serial * K + C) mod 31^8, a bijection since
 * gcd(K, 31) = 1. The constants are arbitrary. */
#define SCRAMBLE_MODULUS (PH_USCC_SERIAL_MAX + 1)
#define SCRAMBLE_K UINT64_C(6180339887)
#define SCRAMBLE_C UINT64_C(2718281828)


/* The value 0..30 of a code character, or -1. */
static int char_value(char c)
{
    unsigned char u = (unsigned char)c;
    return u < 128 ? (int)char_value_plus1[u] - 1 : -1;
}

/* GB 11714 value: digits 0-9, letters A..Z 10..35, or -1. */
static int orgcode_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return -1;
}

/* Both sums assume their inputs were checked. */
static char check_char_of(const char *first17)
{
    int sum = 0;
    for (int i = 0; i < 17; i++)
        sum += char_value(first17[i]) * check_weights[i];
    int c = 31 - sum % 31;
    return PH_USCC_CHARSET[c == 31 ? 0 : c];
}

static char orgcode_check_of(const char *body8)
{
    int sum = 0;
    for (int i = 0; i < 8; i++)
        sum += orgcode_value(body8[i]) * orgcode_weights[i];
    int c = 11 - sum % 11;
    return c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

const ph_uscc_category *ph_uscc_category_find(char authority, char category)
{
    for (size_t i = 0; i < CATEGORY_COUNT; i++)
        if (categories[i].authority == authority && categories[i].category == category)
            return &categories[i];
    return NULL;
}

size_t ph_uscc_category_count(void)
{
    return CATEGORY_COUNT;
}

const ph_uscc_category *ph_uscc_category_at(size_t index)
{
    return index < CATEGORY_COUNT ? &categories[index] : NULL;
}

static const ph_uscc_category *authority_entry(char authority)
{
    for (size_t i = 0; i < CATEGORY_COUNT; i++)
        if (categories[i].authority == authority)
            return &categories[i];
    return NULL;
}

/* "1, 2, 3" – the categories the table allows under `authority`. */
static void list_categories(char authority, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < CATEGORY_COUNT && used + 4 < size; i++) {
        if (categories[i].authority != authority)
            continue;
        used += (size_t)snprintf(buf + used, size - used, "%s%c", used ? ", " : "",
                                 categories[i].category);
    }
}

/* Explain why an authority/category pair is not in the table. `field` and
 * `value` say what to blame (the whole code, or a generator argument). */
static ph_status pair_error(ph_error *err, const char *field, const char *value,
                            size_t value_len, char authority, char category)
{
    char a[8], c[8];
    const ph_uscc_category *entry = authority_entry(authority);
    if (entry == NULL)
        return ph_error_setn(err, PH_EINVAL, field, value, value_len,
                             "position 1: unknown registration-authority code %s "
                             "(expected 1-9, A, N or Y)",
                             ident_char_repr(authority, a));
    char allowed[64];
    list_categories(authority, allowed, sizeof(allowed));
    return ph_error_setn(err, PH_EINVAL, field, value, value_len,
                         "position 2: registration authority %s (%s) has no institution "
                         "category %s (expected one of %s)",
                         ident_char_repr(authority, a), entry->authority_zh,
                         ident_char_repr(category, c), allowed);
}

/* Positions 3-8: six digits forming a division code with a known province,
 * or the national 100000. */
static ph_status check_division_part(const char *s, int *division, ph_error *err)
{
    int code = 0;
    for (int i = 2; i < 8; i++) {
        if (s[i] < '0' || s[i] > '9') {
            char repr[8];
            return ph_error_setn(err, PH_EINVAL, FIELD, s, PH_USCC_LEN,
                                 "position %d: %s is not a digit (positions 3-8 hold the "
                                 "administrative division code)",
                                 i + 1, ident_char_repr(s[i], repr));
        }
        code = code * 10 + (s[i] - '0');
    }
    if (code != NATIONAL_DIVISION) {
        ph_error inner; /* read only on failure, which sets it: clearing its 2 KB for
                         * every code showed in the ingest profile */
        if (ph_division_check(code, &inner) != PH_OK)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, PH_USCC_LEN,
                                 "positions 3-8: division code %06d: %s", code, inner.detail);
    }
    *division = code;
    return PH_OK;
}

ph_status ph_uscc_validate_ex(const char *s, size_t len, unsigned flags, ph_error *err)
{
    if (s == NULL)
        return ph_error_set(err, PH_EMISUSE, FIELD, NULL, "the code is NULL");
    if (flags & ~PH_USCC_SKIP_ORGCODE_CHECK)
        return ph_error_set(err, PH_EMISUSE, FIELD, NULL, "unknown flag bits 0x%x",
                            flags & ~PH_USCC_SKIP_ORGCODE_CHECK);
    if (len != PH_USCC_LEN)
        return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                             "expected 18 characters, got %zu", len);
    for (size_t i = 0; i < len; i++) {
        if (char_value(s[i]) < 0) {
            char repr[8];
            int lower = s[i] >= 'a' && s[i] <= 'z';
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                                 "position %zu: character %s is not allowed (expected 0-9 "
                                 "or A-Z except I, O, S, V, Z%s)",
                                 i + 1, ident_char_repr(s[i], repr),
                                 lower ? "; letters are upper case" : "");
        }
    }
    if (ph_uscc_category_find(s[0], s[1]) == NULL)
        return pair_error(err, FIELD, s, len, s[0], s[1]);
    int division;
    ph_status st = check_division_part(s, &division, err);
    if (st != PH_OK)
        return st;
    if (!(flags & PH_USCC_SKIP_ORGCODE_CHECK)) {
        char expected = orgcode_check_of(s + 8);
        if (s[16] != expected)
            return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                                 "organisation code check character (position 17) is '%c', "
                                 "expected '%c'",
                                 s[16], expected);
    }
    char expected = check_char_of(s);
    if (s[17] != expected)
        return ph_error_setn(err, PH_EINVAL, FIELD, s, len,
                             "check character is '%c', expected '%c'", s[17], expected);
    return PH_OK;
}

ph_status ph_uscc_validate(const char *s, size_t len, ph_error *err)
{
    return ph_uscc_validate_ex(s, len, 0, err);
}

ph_status ph_uscc_check_char(const char *first17, char *out, ph_error *err)
{
    if (first17 == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, FIELD, NULL, "%s is NULL",
                            first17 == NULL ? "the input" : "the output pointer");
    for (size_t i = 0; i < 17; i++) {
        if (first17[i] == '\0')
            return ph_error_setn(err, PH_EINVAL, FIELD, first17, i,
                                 "expected 17 characters before the check character, got %zu",
                                 i);
        if (char_value(first17[i]) < 0) {
            char repr[8];
            return ph_error_setn(err, PH_EINVAL, FIELD, first17, strnlen(first17, 17),
                                 "position %zu: character %s is not allowed (expected 0-9 "
                                 "or A-Z except I, O, S, V, Z)",
                                 i + 1, ident_char_repr(first17[i], repr));
        }
    }
    *out = check_char_of(first17);
    return PH_OK;
}

ph_status ph_uscc_orgcode_check_char(const char *body8, char *out, ph_error *err)
{
    if (body8 == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, "org_code", NULL, "%s is NULL",
                            body8 == NULL ? "the input" : "the output pointer");
    for (size_t i = 0; i < 8; i++) {
        if (body8[i] == '\0')
            return ph_error_setn(err, PH_EINVAL, "org_code", body8, i,
                                 "expected 8 body characters, got %zu", i);
        if (orgcode_value(body8[i]) < 0) {
            char repr[8];
            return ph_error_setn(err, PH_EINVAL, "org_code", body8, strnlen(body8, 8),
                                 "position %zu: character %s is not allowed (expected 0-9 "
                                 "or A-Z)",
                                 i + 1, ident_char_repr(body8[i], repr));
        }
    }
    *out = orgcode_check_of(body8);
    return PH_OK;
}

ph_status ph_uscc_parse(const char *s, size_t len, ph_uscc *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, FIELD, NULL, "the output pointer is NULL");
    ph_status st = ph_uscc_validate(s, len, err);
    if (st != PH_OK)
        return st;
    ph_uscc u;
    memcpy(u.code, s, PH_USCC_LEN);
    u.code[PH_USCC_LEN] = '\0';
    u.authority = s[0];
    u.category = s[1];
    u.division_code = 0;
    for (int i = 2; i < 8; i++)
        u.division_code = u.division_code * 10 + (s[i] - '0');
    memcpy(u.org_code, s + 8, 9);
    u.org_code[9] = '\0';
    u.check = s[17];
    u.kind = ph_uscc_category_find(s[0], s[1]);
    *out = u;
    return PH_OK;
}

ph_status ph_uscc_generate(char authority, char category, int division_code, uint64_t serial,
                           char out[PH_USCC_LEN + 1], ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, FIELD, NULL, "the output buffer is NULL");
    if (ph_uscc_category_find(authority, category) == NULL) {
        const char pair[2] = { authority, category };
        return pair_error(err, authority_entry(authority) ? "uscc_category" : "uscc_authority",
                          pair, 2, authority, category);
    }
    if (division_code != NATIONAL_DIVISION) {
        ph_status st = ph_division_check(division_code, err);
        if (st != PH_OK)
            return st;
    }
    if (serial > PH_USCC_SERIAL_MAX) {
        char value[24];
        snprintf(value, sizeof(value), "%llu", (unsigned long long)serial);
        return ph_error_set(err, PH_ERANGE, "serial", value, "expected at most %llu (31^8 - 1)",
                            (unsigned long long)PH_USCC_SERIAL_MAX);
    }

    char code[PH_USCC_LEN + 1];
    code[0] = authority;
    code[1] = category;
    for (int i = 7, rest = division_code; i >= 2; i--, rest /= 10)
        code[i] = (char)('0' + rest % 10);
    uint64_t body = (uint64_t)(((u128)serial * SCRAMBLE_K + SCRAMBLE_C) % SCRAMBLE_MODULUS);
    for (int i = 15; i >= 8; i--) {
        code[i] = PH_USCC_CHARSET[body % 31];
        body /= 31;
    }
    code[16] = orgcode_check_of(code + 8);
    code[17] = check_char_of(code);
    code[18] = '\0';
    memcpy(out, code, sizeof(code));
    return PH_OK;
}
