/* The Unified Social Credit Code (src/ident/uscc.c). */
#include "ph_test.h"

#include <stdlib.h>
#include <string.h>

/* The standard's own example, worked by hand:
 *   organisation code body M000100Y (GB 11714 values M=22, Y=34):
 *     22*3 + 1*5 + 34*2 = 139; 139 mod 11 = 7; 11 - 7 = 4 -> '4'
 *   check over 91350100M000100Y4 (code values M=21, Y=30):
 *     9*1 + 1*3 + 3*9 + 5*27 + 1*26 + 21*20 + 1*8 + 30*30 + 4*28 = 1640;
 *     1640 mod 31 = 28; 31 - 28 = 3 -> '3' */
#define STANDARD_EXAMPLE "91350100M000100Y43"

/* Codes that satisfy both checks: public registrations (a national-level
 * organ, 100000) and codes built for these tests, chosen to hit the edge
 * cases of both check computations. */
static const char *const valid_codes[] = {
    STANDARD_EXAMPLE,
    "91110000600037341L", /* public registration, Beijing */
    "91440300708461136T", /* public registration, Shenzhen */
    "11100000000013127D", /* government organ registered at national level */
    "92370102MA000004XL", /* individual business in Lixia; org-code check 10 -> 'X' */
    "93370781MA00000909", /* farmers' cooperative in Qingzhou; org-code check 11 -> '0' */
    "91370000MA00002770", /* enterprise, Shandong; check 31 -> '0' */
    "5237020000158380XX", /* private non-enterprise unit in Qingdao; both checks 'X' */
    "N2371722000000000G", /* village collective in Shan County */
};
#define VALID_COUNT (sizeof(valid_codes) / sizeof(valid_codes[0]))

static ph_status validate(const char *s, ph_error *err)
{
    return ph_uscc_validate(s, strlen(s), err);
}

static void test_weights_are_powers_of_three(void **state)
{
    (void)state;
    /* A 1 at position i and 0 elsewhere sums to the weight of i, so the check
     * character reveals the weight: it must be 3^(i-1) mod 31. */
    int power = 1;
    for (int i = 0; i < 17; i++) {
        char first17[18];
        memset(first17, '0', 17);
        first17[17] = '\0';
        first17[i] = '1';
        char c = 0;
        ph_error err;
        ph_assert_ok(ph_uscc_check_char(first17, &c, &err), &err);
        assert_int_equal(c, PH_USCC_CHARSET[(31 - power) % 31]);
        power = power * 3 % 31;
    }
}

static void test_charset_is_the_31_allowed(void **state)
{
    (void)state;
    assert_int_equal(strlen(PH_USCC_CHARSET), 31);
    for (const char *p = "IOSVZ"; *p; p++)
        assert_null(strchr(PH_USCC_CHARSET, *p));
    /* A letter's value is its index: 'Y' (30) alone at position 1 gives 31-30. */
    char c;
    ph_assert_ok(ph_uscc_check_char("Y0000000000000000", &c, NULL), NULL);
    assert_int_equal(c, '1');
}

static void test_known_codes_validate(void **state)
{
    (void)state;
    for (size_t i = 0; i < VALID_COUNT; i++) {
        ph_error err;
        ph_error_clear(&err);
        ph_assert_ok(validate(valid_codes[i], &err), &err);
        char c;
        ph_assert_ok(ph_uscc_check_char(valid_codes[i], &c, &err), &err);
        assert_int_equal(c, valid_codes[i][17]);
        ph_assert_ok(ph_uscc_orgcode_check_char(valid_codes[i] + 8, &c, &err), &err);
        assert_int_equal(c, valid_codes[i][16]);
    }
    /* Only the given length counts: a longer buffer is fine. */
    ph_assert_ok(ph_uscc_validate(STANDARD_EXAMPLE "trailing", 18, NULL), NULL);
}

static void test_parse_gives_the_parts(void **state)
{
    (void)state;
    ph_uscc u;
    ph_error err;
    ph_assert_ok(ph_uscc_parse(STANDARD_EXAMPLE, 18, &u, &err), &err);
    assert_string_equal(u.code, STANDARD_EXAMPLE);
    assert_int_equal(u.authority, '9');
    assert_int_equal(u.category, '1');
    assert_int_equal(u.division_code, 350100);
    assert_string_equal(u.org_code, "M000100Y4");
    assert_int_equal(u.check, '3');
    assert_non_null(u.kind);
    assert_string_equal(u.kind->authority_zh, "工商");
    assert_string_equal(u.kind->category_zh, "企业");

    ph_assert_ok(ph_uscc_parse("11100000000013127D", 18, &u, &err), &err);
    assert_int_equal(u.division_code, 100000);
    assert_string_equal(u.kind->authority_zh, "机构编制");
    assert_string_equal(u.kind->category_zh, "机关");

    ph_assert_ok(ph_uscc_parse("92370102MA000004XL", 18, &u, &err), &err);
    assert_string_equal(u.kind->category_zh, "个体工商户");
    assert_string_equal(u.kind->category_en, "individual business");

    /* On failure the output is untouched. */
    memset(&u, 0x5a, sizeof(u));
    ph_assert_error(ph_uscc_parse("91350100M000100Y44", 18, &u, &err), PH_EINVAL, &err,
                    "check character is '4', expected '3'");
    assert_int_equal(u.authority, 0x5a);
    ph_assert_error(ph_uscc_parse(STANDARD_EXAMPLE, 18, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
}

static void test_length_and_null(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_error(ph_uscc_validate(NULL, 18, &err), PH_EMISUSE, &err, "the code is NULL");
    ph_assert_error(ph_uscc_validate(STANDARD_EXAMPLE, 17, &err), PH_EINVAL, &err,
                    "field uscc, value '91350100M000100Y4': expected 18 characters, got 17");
    ph_assert_error(validate(STANDARD_EXAMPLE "0", &err), PH_EINVAL, &err,
                    "expected 18 characters, got 19");
    ph_assert_error(ph_uscc_validate("", 0, &err), PH_EINVAL, &err,
                    "field uscc: expected 18 characters, got 0");
    /* A NULL error record is allowed. */
    assert_int_equal(ph_uscc_validate("x", 1, NULL), PH_EINVAL);
}

static void test_charset_errors_name_position_and_character(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_error(validate("91350100I000100Y43", &err), PH_EINVAL, &err,
                    "field uscc, value '91350100I000100Y43': position 9: character 'I' is not "
                    "allowed (expected 0-9 or A-Z except I, O, S, V, Z)");
    ph_assert_error(validate("91350100M000100O43", &err), PH_EINVAL, &err,
                    "position 16: character 'O' is not allowed");
    ph_assert_error(validate("91350100M000100Z43", &err), PH_EINVAL, &err,
                    "position 16: character 'Z' is not allowed");
    ph_assert_error(validate("91350100m000100Y43", &err), PH_EINVAL, &err,
                    "position 9: character 'm' is not allowed (expected 0-9 or A-Z except I, "
                    "O, S, V, Z; letters are upper case)");
    ph_assert_error(validate("91350100M000100Y4 ", &err), PH_EINVAL, &err,
                    "position 18: character ' ' is not allowed");
    ph_assert_error(validate("9135\x01" "100M000100Y43", &err), PH_EINVAL, &err,
                    "position 5: character '\\x01' is not allowed");
    /* A Chinese character is 3 bytes: the length is wrong first. */
    ph_assert_error(validate("91350100M000100Y\xe5\x9b\x9b", &err), PH_EINVAL, &err,
                    "expected 18 characters, got 19");
    ph_assert_error(validate("91350100M000100Y\xe5\x9b", &err), PH_EINVAL, &err,
                    "position 17: character '\\xe5' is not allowed");
    /* An embedded NUL is a character like any other. */
    ph_assert_error(ph_uscc_validate("91350100M000\0" "00Y43", 18, &err), PH_EINVAL, &err,
                    "position 13: character '\\x00' is not allowed");
}

static void test_authority_and_category(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_error(validate("B1350100M000100Y43", &err), PH_EINVAL, &err,
                    "position 1: unknown registration-authority code 'B' (expected 1-9, A, N "
                    "or Y)");
    ph_assert_error(validate("01350100M000100Y43", &err), PH_EINVAL, &err,
                    "unknown registration-authority code '0'");
    ph_assert_error(validate("94350100M000100Y43", &err), PH_EINVAL, &err,
                    "position 2: registration authority '9' (工商) has no institution category "
                    "'4' (expected one of 1, 2, 3)");
    ph_assert_error(validate("99350100M000100Y43", &err), PH_EINVAL, &err,
                    "registration authority '9' (工商) has no institution category '9'");
    ph_assert_error(validate("54350100M000100Y43", &err), PH_EINVAL, &err,
                    "registration authority '5' (民政) has no institution category '4' "
                    "(expected one of 1, 2, 3, 9)");
    ph_assert_error(validate("Y2350100M000100Y43", &err), PH_EINVAL, &err,
                    "registration authority 'Y' (其他) has no institution category '2' "
                    "(expected one of 1)");
    ph_assert_error(validate("3A350100M000100Y43", &err), PH_EINVAL, &err,
                    "registration authority '3' (司法行政) has no institution category 'A' "
                    "(expected one of 1, 2, 3, 4, 5, 9)");
}

static void test_category_table(void **state)
{
    (void)state;
    assert_int_equal(ph_uscc_category_count(), 36);
    assert_null(ph_uscc_category_at(36));
    const ph_uscc_category *c = ph_uscc_category_find('5', '3');
    assert_non_null(c);
    assert_string_equal(c->authority_zh, "民政");
    assert_string_equal(c->category_zh, "基金会");
    assert_null(ph_uscc_category_find('9', '9'));
    assert_null(ph_uscc_category_find('Z', '1'));
    /* Every authority of the standard is present, and 工商 has exactly
     * three categories (no 9 "other"). */
    const char *authorities = "123456789ANY";
    for (const char *a = authorities; *a; a++) {
        int n = 0;
        for (size_t i = 0; i < ph_uscc_category_count(); i++)
            n += ph_uscc_category_at(i)->authority == *a;
        assert_true(n >= 1);
        if (*a == '9')
            assert_int_equal(n, 3);
    }
    assert_string_equal(ph_uscc_category_find('N', '2')->category_zh, "村级集体经济组织");
    assert_string_equal(ph_uscc_category_find('A', '1')->category_zh, "军队事业单位");
    assert_string_equal(ph_uscc_category_find('3', '5')->category_zh, "仲裁委员会");
}

static void test_division_part(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_error(validate("9135A100M000100Y43", &err), PH_EINVAL, &err,
                    "position 5: 'A' is not a digit (positions 3-8 hold the administrative "
                    "division code)");
    ph_assert_error(validate("91990100M000100Y43", &err), PH_EINVAL, &err,
                    "positions 3-8: division code 990100: unknown province prefix 99 (expected "
                    "one of the 34 provincial-level codes, 11 Beijing to 82 Macau)");
    ph_assert_error(validate("91370001M000100Y43", &err), PH_EINVAL, &err,
                    "positions 3-8: division code 370001: county part 01 without a city part");
    ph_assert_error(validate("91000000M000100Y43", &err), PH_EINVAL, &err,
                    "positions 3-8: division code 000000: expected a 6-digit code from 100000 "
                    "to 999999");
    ph_assert_error(validate("91100100M000100Y43", &err), PH_EINVAL, &err,
                    "division code 100100: unknown province prefix 10");
}

static void test_orgcode_check_and_lenient_mode(void **state)
{
    (void)state;
    ph_error err;
    /* 91350100M000100Y53: position 17 wrong, and position 18 recomputed so
     * that only the organisation-code check catches it. */
    char code[19] = "91350100M000100Y5";
    char c;
    ph_assert_ok(ph_uscc_check_char(code, &c, &err), &err);
    code[17] = c;
    code[18] = '\0';
    ph_assert_error(validate(code, &err), PH_EINVAL, &err,
                    "organisation code check character (position 17) is '5', expected '4'");
    ph_assert_ok(ph_uscc_validate_ex(code, 18, PH_USCC_SKIP_ORGCODE_CHECK, &err), &err);
    ph_assert_ok(ph_uscc_validate_ex(STANDARD_EXAMPLE, 18, PH_USCC_SKIP_ORGCODE_CHECK, &err),
                 &err);
    /* The lenient mode still checks everything else. */
    ph_assert_error(ph_uscc_validate_ex("91350100M000100Y44", 18, PH_USCC_SKIP_ORGCODE_CHECK,
                                        &err),
                    PH_EINVAL, &err, "check character is '4', expected '3'");
    ph_assert_error(ph_uscc_validate_ex(STANDARD_EXAMPLE, 18, 0x2, &err), PH_EMISUSE, &err,
                    "unknown flag bits 0x2");
    ph_assert_error(ph_uscc_validate_ex(NULL, 18, 0, &err), PH_EMISUSE, &err, NULL);
}

static void test_check_character_mismatch(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_error(validate("91350100M000100Y4X", &err), PH_EINVAL, &err,
                    "field uscc, value '91350100M000100Y4X': check character is 'X', expected "
                    "'3'");
    ph_assert_error(validate("91370000MA00002771", &err), PH_EINVAL, &err,
                    "check character is '1', expected '0'");
}

static void test_check_char_errors(void **state)
{
    (void)state;
    ph_error err;
    char c = '?';
    ph_assert_error(ph_uscc_check_char(NULL, &c, &err), PH_EMISUSE, &err, "the input is NULL");
    ph_assert_error(ph_uscc_check_char("9135", NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    ph_assert_error(ph_uscc_check_char("9135", &c, &err), PH_EINVAL, &err,
                    "value '9135': expected 17 characters before the check character, got 4");
    ph_assert_error(ph_uscc_check_char("91350100M0001S0Y4", &c, &err), PH_EINVAL, &err,
                    "position 14: character 'S' is not allowed");
    assert_int_equal(c, '?');
    /* A bad character before the end of a short string: the error quotes
     * the string, and reads no byte past its terminator (ASan would see). */
    char *short_code = malloc(3);
    assert_non_null(short_code);
    memcpy(short_code, "9#", 3);
    ph_assert_error(ph_uscc_check_char(short_code, &c, &err), PH_EINVAL, &err,
                    "value '9#': position 2: character '#' is not allowed");
    memcpy(short_code, "M#", 3);
    ph_assert_error(ph_uscc_orgcode_check_char(short_code, &c, &err), PH_EINVAL, &err,
                    "value 'M#': position 2: character '#' is not allowed");
    free(short_code);
    /* Reads no further than 17 characters: the 18th may be anything. */
    ph_assert_ok(ph_uscc_check_char("91350100M000100Y4\x01", &c, &err), &err);
    assert_int_equal(c, '3');
}

static void test_orgcode_check_char(void **state)
{
    (void)state;
    ph_error err;
    char c = '?';
    ph_assert_ok(ph_uscc_orgcode_check_char("M000100Y", &c, &err), &err);
    assert_int_equal(c, '4');
    ph_assert_ok(ph_uscc_orgcode_check_char("MA000004", &c, &err), &err);
    assert_int_equal(c, 'X');
    ph_assert_ok(ph_uscc_orgcode_check_char("MA000009", &c, &err), &err);
    assert_int_equal(c, '0');
    /* GB 11714 alone allows every letter: Z is 35. 35*3 = 105 = 11*9 + 6 -> '5'. */
    ph_assert_ok(ph_uscc_orgcode_check_char("Z0000000", &c, &err), &err);
    assert_int_equal(c, '5');
    ph_assert_error(ph_uscc_orgcode_check_char("M00010", &c, &err), PH_EINVAL, &err,
                    "field org_code, value 'M00010': expected 8 body characters, got 6");
    ph_assert_error(ph_uscc_orgcode_check_char("M00010y0", &c, &err), PH_EINVAL, &err,
                    "position 7: character 'y' is not allowed (expected 0-9 or A-Z)");
    ph_assert_error(ph_uscc_orgcode_check_char(NULL, &c, &err), PH_EMISUSE, &err,
                    "the input is NULL");
    ph_assert_error(ph_uscc_orgcode_check_char("M000100Y", NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
}

static void test_single_character_mutations_are_detected(void **state)
{
    (void)state;
    for (size_t k = 0; k < VALID_COUNT; k++) {
        const char *good = valid_codes[k];
        for (int pos = 0; pos < 18; pos++) {
            for (const char *r = PH_USCC_CHARSET; *r; r++) {
                if (*r == good[pos])
                    continue;
                char bad[19];
                memcpy(bad, good, 19);
                bad[pos] = *r;
                if (ph_uscc_validate(bad, 18, NULL) == PH_OK)
                    fail_msg("mutation %s of %s was accepted", bad, good);
                /* Even the lenient mode catches it: position 18 covers all. */
                if (ph_uscc_validate_ex(bad, 18, PH_USCC_SKIP_ORGCODE_CHECK, NULL) == PH_OK)
                    fail_msg("mutation %s of %s was accepted leniently", bad, good);
            }
        }
        /* Adjacent transpositions in positions 1-17 change the weighted sum. */
        for (int pos = 0; pos < 16; pos++) {
            if (good[pos] == good[pos + 1])
                continue;
            char bad[19];
            memcpy(bad, good, 19);
            bad[pos] = good[pos + 1];
            bad[pos + 1] = good[pos];
            if (ph_uscc_validate_ex(bad, 18, PH_USCC_SKIP_ORGCODE_CHECK, NULL) == PH_OK)
                fail_msg("transposition %s of %s was accepted", bad, good);
        }
    }
}

static int compare_codes(const void *a, const void *b)
{
    return memcmp(a, b, 19);
}

static void test_generated_codes_validate_and_are_distinct(void **state)
{
    (void)state;
    enum { N = 100000 };
    char(*codes)[19] = malloc(sizeof(*codes) * N);
    assert_non_null(codes);
    static const struct {
        char authority, category;
        int division;
    } who[] = { { '9', '1', 370102 }, { '9', '2', 371722 }, { '9', '3', 370781 },
                { '5', '1', 370000 }, { '1', '1', 100000 }, { 'N', '2', 371321 } };
    ph_error err;
    for (int i = 0; i < N; i++) {
        /* The same authority for every code would also be distinct; mixing
         * them tests that every kind of code comes out valid. */
        size_t w = (size_t)i % (sizeof(who) / sizeof(who[0]));
        ph_status st = ph_uscc_generate(who[w].authority, who[w].category, who[w].division,
                                        (uint64_t)i, codes[i], &err);
        if (st != PH_OK)
            fail_msg("serial %d: %s", i, err.message);
        if (strlen(codes[i]) != 18 || ph_uscc_validate(codes[i], 18, &err) != PH_OK)
            fail_msg("serial %d gave %s: %s", i, codes[i], err.message);
    }
    /* The organisation code alone is already distinct per serial. */
    char(*orgs)[19] = malloc(sizeof(*orgs) * N);
    assert_non_null(orgs);
    for (int i = 0; i < N; i++) {
        memset(orgs[i], 0, 19);
        memcpy(orgs[i], codes[i] + 8, 9);
    }
    qsort(codes, N, sizeof(*codes), compare_codes);
    qsort(orgs, N, sizeof(*orgs), compare_codes);
    for (int i = 1; i < N; i++) {
        if (memcmp(codes[i - 1], codes[i], 19) == 0)
            fail_msg("duplicate code %s", codes[i]);
        if (memcmp(orgs[i - 1], orgs[i], 19) == 0)
            fail_msg("duplicate organisation code %s", orgs[i]);
    }
    free(orgs);
    free(codes);
}

static void test_generate_is_deterministic_and_checked(void **state)
{
    (void)state;
    ph_error err;
    char a[19], b[19];
    ph_assert_ok(ph_uscc_generate('9', '1', 370102, 42, a, &err), &err);
    ph_assert_ok(ph_uscc_generate('9', '1', 370102, 42, b, &err), &err);
    assert_string_equal(a, b);
    assert_memory_equal(a, "91370102", 8);
    ph_uscc u;
    ph_assert_ok(ph_uscc_parse(a, 18, &u, &err), &err);
    assert_int_equal(u.division_code, 370102);
    /* Consecutive serials do not give consecutive-looking bodies. */
    ph_assert_ok(ph_uscc_generate('9', '1', 370102, 43, b, &err), &err);
    assert_memory_not_equal(a + 8, b + 8, 4);

    ph_assert_ok(ph_uscc_generate('9', '1', 370102, PH_USCC_SERIAL_MAX, a, &err), &err);
    ph_assert_ok(validate(a, &err), &err);
    memset(b, '#', sizeof(b));
    ph_assert_error(ph_uscc_generate('9', '1', 370102, PH_USCC_SERIAL_MAX + 1, b, &err),
                    PH_ERANGE, &err,
                    "field serial, value '852891037441': expected at most 852891037440 "
                    "(31^8 - 1)");
    assert_int_equal(b[0], '#');
    ph_assert_error(ph_uscc_generate('9', '4', 370102, 1, b, &err), PH_EINVAL, &err,
                    "field uscc_category, value '94': position 2: registration authority '9' "
                    "(工商) has no institution category '4' (expected one of 1, 2, 3)");
    ph_assert_error(ph_uscc_generate('B', '1', 370102, 1, b, &err), PH_EINVAL, &err,
                    "field uscc_authority, value 'B1': position 1: unknown "
                    "registration-authority code 'B'");
    ph_assert_error(ph_uscc_generate('9', '1', 990000, 1, b, &err), PH_EINVAL, &err,
                    "field division_code, value '990000': unknown province prefix 99");
    ph_assert_error(ph_uscc_generate('9', '1', 37010, 1, b, &err), PH_EINVAL, &err,
                    "field division_code, value '37010': expected a 6-digit code");
    ph_assert_error(ph_uscc_generate('9', '1', 370102, 1, NULL, &err), PH_EMISUSE, &err,
                    "the output buffer is NULL");
    assert_int_equal(b[0], '#');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weights_are_powers_of_three),
        cmocka_unit_test(test_charset_is_the_31_allowed),
        cmocka_unit_test(test_known_codes_validate),
        cmocka_unit_test(test_parse_gives_the_parts),
        cmocka_unit_test(test_length_and_null),
        cmocka_unit_test(test_charset_errors_name_position_and_character),
        cmocka_unit_test(test_authority_and_category),
        cmocka_unit_test(test_category_table),
        cmocka_unit_test(test_division_part),
        cmocka_unit_test(test_orgcode_check_and_lenient_mode),
        cmocka_unit_test(test_check_character_mismatch),
        cmocka_unit_test(test_check_char_errors),
        cmocka_unit_test(test_orgcode_check_char),
        cmocka_unit_test(test_single_character_mutations_are_detected),
        cmocka_unit_test(test_generated_codes_validate_and_are_distinct),
        cmocka_unit_test(test_generate_is_deterministic_and_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
