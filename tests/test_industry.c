/* GB/T 4754-2017 industries and the 2011 SME size rule (src/ident/industry.c, smesize.c). */
#include "ph_test.h"

#include <string.h>

#define WAN(x) ((int64_t)(x) * 1000000) /* 万元 in fen */
#define CENT_WAN 10000                  /* 0.01 万元 = 100 yuan, in fen */
#define UNKNOWN (-1)

/* --- sections and divisions --------------------------------------------- */

static void test_sections_cover_divisions_in_order(void **state)
{
    (void)state;
    int next = 1;
    for (size_t i = 0; i < PH_INDUSTRY_SECTION_COUNT; i++) {
        const ph_industry_section *s = ph_industry_section_at(i);
        assert_non_null(s);
        assert_int_equal(s->letter, 'A' + (int)i);
        assert_ptr_equal(ph_industry_section_find(s->letter), s);
        assert_int_equal(s->first_division, next);
        assert_true(s->last_division >= s->first_division);
        next = s->last_division + 1;
    }
    assert_int_equal(next, 98);
    assert_null(ph_industry_section_at(PH_INDUSTRY_SECTION_COUNT));
    assert_null(ph_industry_section_find('U'));
    assert_null(ph_industry_section_find('c'));
    assert_null(ph_industry_section_find('\0'));

    const ph_industry_section *a = ph_industry_section_find('A');
    assert_string_equal(a->name_zh, "农、林、牧、渔业");
    assert_string_equal(a->name_en, "Agriculture, forestry, animal husbandry and fishery");
    assert_string_equal(ph_industry_section_find('C')->name_zh, "制造业");
    assert_string_equal(ph_industry_section_find('C')->name_en, "Manufacturing");
    assert_string_equal(ph_industry_section_find('D')->name_zh,
                        "电力、热力、燃气及水生产和供应业");
    assert_string_equal(ph_industry_section_find('I')->name_zh,
                        "信息传输、软件和信息技术服务业");
    assert_string_equal(ph_industry_section_find('J')->name_zh, "金融业");
    assert_string_equal(ph_industry_section_find('O')->name_zh, "居民服务、修理和其他服务业");
    assert_string_equal(ph_industry_section_find('S')->name_zh, "公共管理、社会保障和社会组织");
    assert_string_equal(ph_industry_section_find('T')->name_zh, "国际组织");
    assert_string_equal(ph_industry_section_find('T')->name_en, "International organisations");
}

static void test_section_of_division(void **state)
{
    (void)state;
    static const struct {
        int division;
        char section;
    } cases[] = {
        { 1, 'A' },  { 5, 'A' },  { 6, 'B' },  { 12, 'B' }, { 13, 'C' }, { 43, 'C' },
        { 44, 'D' }, { 46, 'D' }, { 47, 'E' }, { 50, 'E' }, { 51, 'F' }, { 52, 'F' },
        { 53, 'G' }, { 60, 'G' }, { 61, 'H' }, { 62, 'H' }, { 63, 'I' }, { 65, 'I' },
        { 66, 'J' }, { 69, 'J' }, { 70, 'K' }, { 71, 'L' }, { 72, 'L' }, { 73, 'M' },
        { 75, 'M' }, { 76, 'N' }, { 79, 'N' }, { 80, 'O' }, { 82, 'O' }, { 83, 'P' },
        { 84, 'Q' }, { 85, 'Q' }, { 86, 'R' }, { 90, 'R' }, { 91, 'S' }, { 96, 'S' },
        { 97, 'T' },
    };
    ph_error err;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char s = 0;
        ph_assert_ok(ph_industry_section_of_division(cases[i].division, &s, &err), &err);
        assert_int_equal(s, cases[i].section);
    }
    char s = '?';
    ph_assert_error(ph_industry_section_of_division(0, &s, &err), PH_EINVAL, &err,
                    "field industry_division, value '0': expected a division code from 01 to "
                    "97");
    ph_assert_error(ph_industry_section_of_division(98, &s, &err), PH_EINVAL, &err,
                    "value '98': expected a division code from 01 to 97");
    ph_assert_error(ph_industry_section_of_division(-13, &s, &err), PH_EINVAL, &err,
                    "value '-13'");
    ph_assert_error(ph_industry_section_of_division(13, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    assert_int_equal(s, '?');
}

static void test_division_names(void **state)
{
    (void)state;
    for (int d = 1; d <= 97; d++)
        assert_non_null(ph_industry_division_name(d));
    assert_string_equal(ph_industry_division_name(1), "农业");
    assert_string_equal(ph_industry_division_name(13), "农副食品加工业");
    assert_string_equal(ph_industry_division_name(39), "计算机、通信和其他电子设备制造业");
    assert_string_equal(ph_industry_division_name(51), "批发业");
    assert_string_equal(ph_industry_division_name(52), "零售业");
    assert_string_equal(ph_industry_division_name(59), "装卸搬运和仓储业");
    assert_string_equal(ph_industry_division_name(65), "软件和信息技术服务业");
    assert_string_equal(ph_industry_division_name(70), "房地产业");
    assert_string_equal(ph_industry_division_name(97), "国际组织");
    assert_null(ph_industry_division_name(0));
    assert_null(ph_industry_division_name(98));
}

static void test_section_parse(void **state)
{
    (void)state;
    const ph_industry_section *s = NULL;
    ph_error err;
    ph_assert_ok(ph_industry_section_parse("F", 1, &s, &err), &err);
    assert_int_equal(s->letter, 'F');
    ph_assert_ok(ph_industry_section_parse("Tx", 1, &s, &err), &err);
    assert_int_equal(s->letter, 'T');

    s = NULL;
    ph_assert_error(ph_industry_section_parse("U", 1, &s, &err), PH_EINVAL, &err,
                    "field industry_section, value 'U': 'U' is not a section letter (expected "
                    "A to T)");
    ph_assert_error(ph_industry_section_parse("c", 1, &s, &err), PH_EINVAL, &err,
                    "'c' is not a section letter (expected A to T, upper case)");
    ph_assert_error(ph_industry_section_parse("3", 1, &s, &err), PH_EINVAL, &err,
                    "'3' is not a section letter");
    ph_assert_error(ph_industry_section_parse("\x7f", 1, &s, &err), PH_EINVAL, &err,
                    "'\\x7f' is not a section letter");
    ph_assert_error(ph_industry_section_parse("CD", 2, &s, &err), PH_EINVAL, &err,
                    "value 'CD': expected one letter A to T, got 2 characters");
    ph_assert_error(ph_industry_section_parse("", 0, &s, &err), PH_EINVAL, &err,
                    "field industry_section: expected one letter A to T, got 0 characters");
    ph_assert_error(ph_industry_section_parse(NULL, 1, &s, &err), PH_EMISUSE, &err,
                    "the input string is NULL");
    ph_assert_error(ph_industry_section_parse("C", 1, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    assert_null(s);
}

static void expect_code(const char *text, char section, int division, int group, int class_code)
{
    ph_industry_code code;
    ph_error err;
    ph_assert_ok(ph_industry_code_parse(text, strlen(text), &code, &err), &err);
    assert_int_equal(code.section, section);
    assert_int_equal(code.division, division);
    assert_int_equal(code.group, group);
    assert_int_equal(code.class_code, class_code);
}

static void test_code_parse(void **state)
{
    (void)state;
    expect_code("C", 'C', 0, 0, 0);
    expect_code("C13", 'C', 13, 0, 0);
    expect_code("13", 'C', 13, 0, 0);
    expect_code("131", 'C', 13, 131, 0);
    expect_code("C1311", 'C', 13, 131, 1311);
    expect_code("K7020", 'K', 70, 702, 7020);
    expect_code("0511", 'A', 5, 51, 511);
    expect_code("97", 'T', 97, 0, 0);

    ph_industry_code code = { 'Z', -1, -1, -1 };
    ph_error err;
    ph_assert_error(ph_industry_code_parse("F13", 3, &code, &err), PH_EINVAL, &err,
                    "field industry_code, value 'F13': division 13 belongs to section C, not F");
    ph_assert_error(ph_industry_code_parse("98", 2, &code, &err), PH_EINVAL, &err,
                    "value '98': division 98 does not exist (expected 01 to 97)");
    ph_assert_error(ph_industry_code_parse("A00", 3, &code, &err), PH_EINVAL, &err,
                    "division 00 does not exist");
    ph_assert_error(ph_industry_code_parse("C1", 2, &code, &err), PH_EINVAL, &err,
                    "value 'C1': expected 2 to 4 digits (division, group, class), got 1");
    ph_assert_error(ph_industry_code_parse("C13111", 6, &code, &err), PH_EINVAL, &err,
                    "expected 2 to 4 digits (division, group, class), got 5");
    ph_assert_error(ph_industry_code_parse("C1a1", 4, &code, &err), PH_EINVAL, &err,
                    "value 'C1a1': position 3: 'a' is not a digit");
    ph_assert_error(ph_industry_code_parse("13-1", 4, &code, &err), PH_EINVAL, &err,
                    "position 3: '-' is not a digit");
    ph_assert_error(ph_industry_code_parse("CC", 2, &code, &err), PH_EINVAL, &err,
                    "position 2: 'C' is not a digit");
    ph_assert_error(ph_industry_code_parse("c13", 3, &code, &err), PH_EINVAL, &err,
                    "'c' is not a section letter (expected A to T, upper case)");
    ph_assert_error(ph_industry_code_parse("U", 1, &code, &err), PH_EINVAL, &err,
                    "value 'U': 'U' is not a section letter (expected A to T)");
    ph_assert_error(ph_industry_code_parse("", 0, &code, &err), PH_EINVAL, &err,
                    "field industry_code: empty (expected a section letter and/or 2 to 4 "
                    "digits)");
    ph_assert_error(ph_industry_code_parse(NULL, 1, &code, &err), PH_EMISUSE, &err,
                    "the input string is NULL");
    ph_assert_error(ph_industry_code_parse("C", 1, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    assert_int_equal(code.section, 'Z');
    assert_int_equal(code.division, -1);
}

/* --- size classes and sectors ----------------------------------------------- */

static void test_size_class_names(void **state)
{
    (void)state;
    static const char *const en[] = { "micro", "small", "medium", "large" };
    static const char *const zh[] = { "微型", "小型", "中型", "大型" };
    ph_error err;
    for (int i = 0; i < 4; i++) {
        assert_string_equal(ph_size_class_name((ph_size_class)i), en[i]);
        assert_string_equal(ph_size_class_name_zh((ph_size_class)i), zh[i]);
        ph_size_class c = PH_SIZE_LARGE;
        ph_assert_ok(ph_size_class_parse(en[i], strlen(en[i]), &c, &err), &err);
        assert_int_equal(c, i);
        c = PH_SIZE_LARGE;
        ph_assert_ok(ph_size_class_parse(zh[i], strlen(zh[i]), &c, &err), &err);
        assert_int_equal(c, i);
    }
    assert_int_equal(PH_SIZE_MICRO, 0);
    assert_int_equal(PH_SIZE_LARGE, 3);
    assert_string_equal(ph_size_class_name((ph_size_class)4), "unknown");
    assert_string_equal(ph_size_class_name_zh((ph_size_class)-1), "");
    ph_size_class c = PH_SIZE_SMALL;
    ph_assert_error(ph_size_class_parse("tiny", 4, &c, &err), PH_EINVAL, &err,
                    "field size_class, value 'tiny': expected micro, small, medium or large (or "
                    "微型, 小型, 中型, 大型)");
    /* Only `len` bytes are read. */
    ph_assert_ok(ph_size_class_parse("microscopic", 5, &c, &err), &err);
    assert_int_equal(c, PH_SIZE_MICRO);
    c = PH_SIZE_SMALL;
    ph_assert_error(ph_size_class_parse("Micro", 5, &c, &err), PH_EINVAL, &err,
                    "value 'Micro'");
    ph_assert_error(ph_size_class_parse(NULL, 0, &c, &err), PH_EMISUSE, &err,
                    "the input string is NULL");
    ph_assert_error(ph_size_class_parse("micro", 5, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    assert_int_equal(c, PH_SIZE_SMALL);
}

static void test_rule_table(void **state)
{
    (void)state;
    static const struct {
        const char *key, *zh;
        unsigned metrics;
    } expected[PH_SME_SECTOR_COUNT] = {
        { "agriculture", "农、林、牧、渔业", PH_SME_METRIC_REVENUE },
        { "industry", "工业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "construction", "建筑业", PH_SME_METRIC_REVENUE | PH_SME_METRIC_ASSETS },
        { "wholesale", "批发业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "retail", "零售业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "transport", "交通运输业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "warehousing", "仓储业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "postal", "邮政业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "accommodation", "住宿业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "catering", "餐饮业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "info_transmission", "信息传输业", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "software_it", "软件和信息技术服务业",
          PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "real_estate_dev", "房地产开发经营", PH_SME_METRIC_REVENUE | PH_SME_METRIC_ASSETS },
        { "property_mgmt", "物业管理", PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_REVENUE },
        { "leasing_business", "租赁和商务服务业",
          PH_SME_METRIC_EMPLOYEES | PH_SME_METRIC_ASSETS },
        { "other", "其他未列明行业", PH_SME_METRIC_EMPLOYEES },
    };
    ph_error err;
    for (int i = 0; i < PH_SME_SECTOR_COUNT; i++) {
        const ph_sme_rule *r = ph_sme_rule_of((ph_sme_sector)i);
        assert_non_null(r);
        assert_int_equal(r->sector, i);
        assert_string_equal(r->key, expected[i].key);
        assert_string_equal(r->name_zh, expected[i].zh);
        assert_int_equal(r->metrics, expected[i].metrics);
        /* Every used metric has bounds large > medium > small > 0. */
        const ph_sme_bounds *b[3] = { &r->employees, &r->revenue, &r->assets };
        for (int m = 0; m < 3; m++) {
            if (!(r->metrics & (1u << m)))
                continue;
            assert_true(b[m]->large > b[m]->medium);
            assert_true(b[m]->medium > b[m]->small);
            assert_true(b[m]->small > 0);
        }
        ph_sme_sector s = PH_SME_OTHER;
        ph_assert_ok(ph_sme_sector_parse(r->key, strlen(r->key), &s, &err), &err);
        assert_int_equal(s, i);
        s = PH_SME_OTHER;
        ph_assert_ok(ph_sme_sector_parse(r->name_zh, strlen(r->name_zh), &s, &err), &err);
        assert_int_equal(s, i);
    }
    assert_null(ph_sme_rule_of((ph_sme_sector)PH_SME_SECTOR_COUNT));
    assert_null(ph_sme_rule_of((ph_sme_sector)-1));

    /* 工业, as written: 1000 persons / 40000万; 300 / 2000万; 20 / 300万. */
    const ph_sme_rule *ind = ph_sme_rule_of(PH_SME_INDUSTRY);
    assert_int_equal(ind->employees.large, 1000);
    assert_int_equal(ind->employees.medium, 300);
    assert_int_equal(ind->employees.small, 20);
    assert_int_equal(ind->revenue.large, WAN(40000));
    assert_int_equal(ind->revenue.medium, WAN(2000));
    assert_int_equal(ind->revenue.small, 300000000); /* 300万元 = 3,000,000 yuan */

    ph_sme_sector s = PH_SME_RETAIL;
    ph_assert_error(ph_sme_sector_parse("manufacturing", 13, &s, &err), PH_EINVAL, &err,
                    "field sme_sector, value 'manufacturing': not a sector of the 2011 SME rule "
                    "(expected a key such as industry, retail, software_it, or the Chinese "
                    "name)");
    ph_assert_error(ph_sme_sector_parse("retai", 5, &s, &err), PH_EINVAL, &err,
                    "value 'retai'");
    ph_assert_error(ph_sme_sector_parse(NULL, 0, &s, &err), PH_EMISUSE, &err,
                    "the input string is NULL");
    ph_assert_error(ph_sme_sector_parse("retail", 6, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    assert_int_equal(s, PH_SME_RETAIL);
}

static void test_sector_of(void **state)
{
    (void)state;
    static const struct {
        char section;
        int division;
        ph_sme_sector sector;
    } cases[] = {
        { 'A', 1, PH_SME_AGRICULTURE },     { 'A', 0, PH_SME_AGRICULTURE },
        { 'A', 5, PH_SME_AGRICULTURE },     { 'B', 6, PH_SME_INDUSTRY },
        { 'B', 0, PH_SME_INDUSTRY },        { 'C', 13, PH_SME_INDUSTRY },
        { 'C', 43, PH_SME_INDUSTRY },       { 'D', 44, PH_SME_INDUSTRY },
        { 'E', 47, PH_SME_CONSTRUCTION },   { 'E', 0, PH_SME_CONSTRUCTION },
        { 'F', 51, PH_SME_WHOLESALE },      { 'F', 52, PH_SME_RETAIL },
        { 'G', 53, PH_SME_TRANSPORT },      { 'G', 58, PH_SME_TRANSPORT },
        { 'G', 59, PH_SME_WAREHOUSING },    { 'G', 60, PH_SME_POSTAL },
        { 'H', 61, PH_SME_ACCOMMODATION },  { 'H', 62, PH_SME_CATERING },
        { 'I', 63, PH_SME_INFO_TRANSMISSION }, { 'I', 64, PH_SME_INFO_TRANSMISSION },
        { 'I', 65, PH_SME_SOFTWARE_IT },    { 'K', 70, PH_SME_REAL_ESTATE_DEV },
        { 'K', 0, PH_SME_REAL_ESTATE_DEV }, { 'L', 71, PH_SME_LEASING_BUSINESS },
        { 'L', 72, PH_SME_LEASING_BUSINESS }, { 'L', 0, PH_SME_LEASING_BUSINESS },
        { 'J', 66, PH_SME_OTHER },          { 'M', 73, PH_SME_OTHER },
        { 'O', 80, PH_SME_OTHER },          { 'P', 0, PH_SME_OTHER },
        { 'T', 97, PH_SME_OTHER },
    };
    ph_error err;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_sme_sector s = (ph_sme_sector)99;
        ph_assert_ok(ph_sme_sector_of(cases[i].section, cases[i].division, &s, &err), &err);
        if (s != cases[i].sector)
            fail_msg("%c %d: got %d, expected %d", cases[i].section, cases[i].division, (int)s,
                     (int)cases[i].sector);
    }
    ph_sme_sector s = PH_SME_CATERING;
    ph_assert_error(ph_sme_sector_of('F', 0, &s, &err), PH_EINVAL, &err,
                    "field industry_division, value '0': section F needs the division to choose "
                    "the SME sector (51 wholesale, 52 retail)");
    ph_assert_error(ph_sme_sector_of('G', 0, &s, &err), PH_EINVAL, &err,
                    "section G needs the division to choose the SME sector (53-58 transport, 59 "
                    "warehousing, 60 postal)");
    ph_assert_error(ph_sme_sector_of('H', 0, &s, &err), PH_EINVAL, &err,
                    "(61 accommodation, 62 catering)");
    ph_assert_error(ph_sme_sector_of('I', 0, &s, &err), PH_EINVAL, &err,
                    "(63-64 info_transmission, 65 software_it)");
    ph_assert_error(ph_sme_sector_of('F', 13, &s, &err), PH_EINVAL, &err,
                    "field industry_division, value '13': division belongs to section C, not F");
    ph_assert_error(ph_sme_sector_of('C', 98, &s, &err), PH_EINVAL, &err,
                    "value '98': expected a division code from 01 to 97");
    ph_assert_error(ph_sme_sector_of('C', -1, &s, &err), PH_EINVAL, &err,
                    "value '-1': expected a division code from 01 to 97");
    ph_assert_error(ph_sme_sector_of('U', 0, &s, &err), PH_EINVAL, &err,
                    "field industry_section, value 'U': 'U' is not a section letter (expected A "
                    "to T)");
    ph_assert_error(ph_sme_sector_of('c', 13, &s, &err), PH_EINVAL, &err,
                    "'c' is not a section letter");
    ph_assert_error(ph_sme_sector_of('C', 13, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    assert_int_equal(s, PH_SME_CATERING);
}

/* --- classification --------------------------------------------------------- */

struct size_case {
    ph_sme_sector sector;
    int64_t employees, revenue, assets;
    ph_size_class expected;
};

static void run_cases(const struct size_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        ph_size_class got = (ph_size_class)-1;
        ph_error err;
        ph_error_clear(&err);
        ph_status st = ph_sme_classify(cases[i].sector, cases[i].employees, cases[i].revenue,
                                       cases[i].assets, &got, &err);
        if (st != PH_OK)
            fail_msg("case %zu: %s", i, err.message);
        if (got != cases[i].expected)
            fail_msg("case %zu (sector %s, %lld persons, %lld fen revenue, %lld fen assets): "
                     "got %s, expected %s",
                     i, ph_sme_rule_of(cases[i].sector)->key, (long long)cases[i].employees,
                     (long long)cases[i].revenue, (long long)cases[i].assets,
                     ph_size_class_name(got), ph_size_class_name(cases[i].expected));
    }
}

static void test_industry_boundaries(void **state)
{
    (void)state;
    /* docs/domain.md#data-hub-and-consent: micro < 20 employees or < 3M yuan; small 20-300 and 3M-20M. */
    static const struct size_case cases[] = {
        { PH_SME_INDUSTRY, 19, WAN(300), UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_INDUSTRY, 20, WAN(300) - CENT_WAN, UNKNOWN, PH_SIZE_MICRO }, /* 299.99万 */
        { PH_SME_INDUSTRY, 20, WAN(300) - 1, UNKNOWN, PH_SIZE_MICRO },        /* one fen short */
        { PH_SME_INDUSTRY, 20, WAN(300), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_INDUSTRY, 299, WAN(2000), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_INDUSTRY, 300, WAN(2000) - CENT_WAN, UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_INDUSTRY, 300, WAN(2000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_INDUSTRY, 999, WAN(40000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_INDUSTRY, 1000, WAN(40000) - CENT_WAN, UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_INDUSTRY, 1000, WAN(40000), UNKNOWN, PH_SIZE_LARGE },
        /* One metric below a bound is enough to drop a tier, however large the other. */
        { PH_SME_INDUSTRY, 5000, WAN(100), UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_INDUSTRY, 10, WAN(1000000), UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_INDUSTRY, 0, 0, UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_INDUSTRY, INT64_MAX, INT64_MAX, UNKNOWN, PH_SIZE_LARGE },
        /* Assets do not count for 工业, even when known. */
        { PH_SME_INDUSTRY, 20, WAN(300), 0, PH_SIZE_SMALL },
    };
    run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_retail_and_wholesale_boundaries(void **state)
{
    (void)state;
    /* docs/domain.md#data-hub-and-consent: retail micro < 10 employees or < 1M yuan, small 10-50 and 1M-5M;
     * wholesale micro < 5 or < 10M, small 5-20 and 10M-50M. */
    static const struct size_case cases[] = {
        { PH_SME_RETAIL, 9, WAN(100), UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_RETAIL, 10, WAN(100) - CENT_WAN, UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_RETAIL, 10, WAN(100), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_RETAIL, 49, WAN(500), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_RETAIL, 50, WAN(500) - CENT_WAN, UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_RETAIL, 50, WAN(500), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_RETAIL, 299, WAN(1000000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_RETAIL, 300, WAN(20000) - 1, UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_RETAIL, 300, WAN(20000), UNKNOWN, PH_SIZE_LARGE },
        { PH_SME_WHOLESALE, 4, WAN(1000), UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_WHOLESALE, 5, WAN(1000) - CENT_WAN, UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_WHOLESALE, 5, WAN(1000), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_WHOLESALE, 19, WAN(5000), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_WHOLESALE, 20, WAN(5000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_WHOLESALE, 199, WAN(40000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_WHOLESALE, 200, WAN(40000), UNKNOWN, PH_SIZE_LARGE },
    };
    run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_revenue_and_assets_sectors(void **state)
{
    (void)state;
    /* 建筑业 and 房地产开发经营 classify by revenue and assets; the employee
     * count may be unknown. 租赁和商务服务业 by employees and assets. */
    static const struct size_case cases[] = {
        { PH_SME_CONSTRUCTION, UNKNOWN, WAN(300) - CENT_WAN, WAN(1000000), PH_SIZE_MICRO },
        { PH_SME_CONSTRUCTION, UNKNOWN, WAN(300), WAN(300) - CENT_WAN, PH_SIZE_MICRO },
        { PH_SME_CONSTRUCTION, UNKNOWN, WAN(300), WAN(300), PH_SIZE_SMALL },
        { PH_SME_CONSTRUCTION, 5, WAN(6000), WAN(5000) - CENT_WAN, PH_SIZE_SMALL },
        { PH_SME_CONSTRUCTION, UNKNOWN, WAN(6000), WAN(5000), PH_SIZE_MEDIUM },
        { PH_SME_CONSTRUCTION, UNKNOWN, WAN(80000), WAN(80000) - CENT_WAN, PH_SIZE_MEDIUM },
        { PH_SME_CONSTRUCTION, UNKNOWN, WAN(80000), WAN(80000), PH_SIZE_LARGE },
        { PH_SME_REAL_ESTATE_DEV, UNKNOWN, WAN(100), WAN(2000) - CENT_WAN, PH_SIZE_MICRO },
        { PH_SME_REAL_ESTATE_DEV, UNKNOWN, WAN(100) - CENT_WAN, WAN(2000), PH_SIZE_MICRO },
        { PH_SME_REAL_ESTATE_DEV, UNKNOWN, WAN(100), WAN(2000), PH_SIZE_SMALL },
        { PH_SME_REAL_ESTATE_DEV, UNKNOWN, WAN(1000), WAN(5000), PH_SIZE_MEDIUM },
        { PH_SME_REAL_ESTATE_DEV, UNKNOWN, WAN(200000) - CENT_WAN, WAN(1000000),
          PH_SIZE_MEDIUM },
        { PH_SME_REAL_ESTATE_DEV, UNKNOWN, WAN(200000), WAN(10000), PH_SIZE_LARGE },
        { PH_SME_LEASING_BUSINESS, 9, UNKNOWN, WAN(1000000), PH_SIZE_MICRO },
        { PH_SME_LEASING_BUSINESS, 10, UNKNOWN, WAN(100) - CENT_WAN, PH_SIZE_MICRO },
        { PH_SME_LEASING_BUSINESS, 10, UNKNOWN, WAN(100), PH_SIZE_SMALL },
        { PH_SME_LEASING_BUSINESS, 100, UNKNOWN, WAN(8000), PH_SIZE_MEDIUM },
        { PH_SME_LEASING_BUSINESS, 300, UNKNOWN, WAN(120000) - CENT_WAN, PH_SIZE_MEDIUM },
        { PH_SME_LEASING_BUSINESS, 300, UNKNOWN, WAN(120000), PH_SIZE_LARGE },
    };
    run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_single_metric_sectors(void **state)
{
    (void)state;
    static const struct size_case cases[] = {
        /* 农、林、牧、渔业: revenue only, 50万 / 500万 / 20000万. */
        { PH_SME_AGRICULTURE, UNKNOWN, WAN(50) - CENT_WAN, UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_AGRICULTURE, UNKNOWN, WAN(50), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_AGRICULTURE, 0, WAN(500), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_AGRICULTURE, UNKNOWN, WAN(20000) - CENT_WAN, UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_AGRICULTURE, UNKNOWN, WAN(20000), UNKNOWN, PH_SIZE_LARGE },
        /* 其他未列明行业: employees only, 10 / 100 / 300. */
        { PH_SME_OTHER, 9, UNKNOWN, UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_OTHER, 10, UNKNOWN, UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_OTHER, 99, 0, 0, PH_SIZE_SMALL },
        { PH_SME_OTHER, 100, UNKNOWN, UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_OTHER, 299, UNKNOWN, UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_OTHER, 300, UNKNOWN, UNKNOWN, PH_SIZE_LARGE },
    };
    run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_service_sectors(void **state)
{
    (void)state;
    static const struct size_case cases[] = {
        { PH_SME_TRANSPORT, 20, WAN(200) - CENT_WAN, UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_TRANSPORT, 20, WAN(200), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_TRANSPORT, 300, WAN(3000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_TRANSPORT, 1000, WAN(30000), UNKNOWN, PH_SIZE_LARGE },
        { PH_SME_WAREHOUSING, 19, WAN(100), UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_WAREHOUSING, 20, WAN(100), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_WAREHOUSING, 100, WAN(1000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_WAREHOUSING, 200, WAN(30000), UNKNOWN, PH_SIZE_LARGE },
        { PH_SME_POSTAL, 20, WAN(100), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_POSTAL, 300, WAN(2000) - CENT_WAN, UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_POSTAL, 300, WAN(2000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_POSTAL, 1000, WAN(30000), UNKNOWN, PH_SIZE_LARGE },
        { PH_SME_ACCOMMODATION, 9, WAN(100), UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_ACCOMMODATION, 10, WAN(100), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_ACCOMMODATION, 100, WAN(2000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_ACCOMMODATION, 300, WAN(10000), UNKNOWN, PH_SIZE_LARGE },
        { PH_SME_CATERING, 10, WAN(100) - CENT_WAN, UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_CATERING, 10, WAN(100), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_CATERING, 100, WAN(2000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_CATERING, 300, WAN(10000), UNKNOWN, PH_SIZE_LARGE },
        { PH_SME_INFO_TRANSMISSION, 10, WAN(100), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_INFO_TRANSMISSION, 100, WAN(1000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_INFO_TRANSMISSION, 1999, WAN(100000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_INFO_TRANSMISSION, 2000, WAN(100000), UNKNOWN, PH_SIZE_LARGE },
        { PH_SME_SOFTWARE_IT, 10, WAN(50) - CENT_WAN, UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_SOFTWARE_IT, 10, WAN(50), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_SOFTWARE_IT, 100, WAN(1000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_SOFTWARE_IT, 300, WAN(10000), UNKNOWN, PH_SIZE_LARGE },
        { PH_SME_PROPERTY_MGMT, 99, WAN(500), UNKNOWN, PH_SIZE_MICRO },
        { PH_SME_PROPERTY_MGMT, 100, WAN(500), UNKNOWN, PH_SIZE_SMALL },
        { PH_SME_PROPERTY_MGMT, 300, WAN(1000), UNKNOWN, PH_SIZE_MEDIUM },
        { PH_SME_PROPERTY_MGMT, 1000, WAN(5000), UNKNOWN, PH_SIZE_LARGE },
    };
    run_cases(cases, sizeof(cases) / sizeof(cases[0]));
}

static void test_classify_errors(void **state)
{
    (void)state;
    ph_error err;
    ph_size_class c = PH_SIZE_MEDIUM;
    ph_assert_error(ph_sme_classify(PH_SME_INDUSTRY, -1, WAN(300), UNKNOWN, &c, &err),
                    PH_EINVAL, &err,
                    "field employees, value '-1': sector industry (工业) classifies by "
                    "employees; a negative value means unknown");
    ph_assert_error(ph_sme_classify(PH_SME_INDUSTRY, 20, -5, UNKNOWN, &c, &err), PH_EINVAL,
                    &err,
                    "field revenue, value '-5': sector industry (工业) classifies by revenue; a "
                    "negative value means unknown");
    ph_assert_error(ph_sme_classify(PH_SME_CONSTRUCTION, UNKNOWN, WAN(300), INT64_MIN, &c,
                                    &err),
                    PH_EINVAL, &err,
                    "field assets, value '-9223372036854775808': sector construction (建筑业) "
                    "classifies by assets");
    ph_assert_error(ph_sme_classify(PH_SME_AGRICULTURE, 3, UNKNOWN, UNKNOWN, &c, &err),
                    PH_EINVAL, &err,
                    "field revenue, value '-1': sector agriculture (农、林、牧、渔业) classifies "
                    "by revenue");
    ph_assert_error(ph_sme_classify(PH_SME_OTHER, -2, WAN(1), WAN(1), &c, &err), PH_EINVAL,
                    &err, "field employees, value '-2': sector other (其他未列明行业)");
    ph_assert_error(ph_sme_classify(PH_SME_LEASING_BUSINESS, 10, WAN(1), UNKNOWN, &c, &err),
                    PH_EINVAL, &err, "field assets, value '-1': sector leasing_business");
    ph_assert_error(ph_sme_classify((ph_sme_sector)PH_SME_SECTOR_COUNT, 1, 1, 1, &c, &err),
                    PH_EINVAL, &err,
                    "field sme_sector, value '16': expected a sector from 0 to 15");
    ph_assert_error(ph_sme_classify((ph_sme_sector)-1, 1, 1, 1, &c, &err), PH_EINVAL, &err,
                    "value '-1': expected a sector from 0 to 15");
    ph_assert_error(ph_sme_classify(PH_SME_OTHER, 1, 1, 1, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    assert_int_equal(c, PH_SIZE_MEDIUM);
}

static void test_section_to_size_end_to_end(void **state)
{
    (void)state;
    /* A restaurant (H 62) with 12 staff and 150万 revenue is small; a
     * hardware shop (F 52) with 8 staff is micro whatever its revenue. */
    ph_error err;
    ph_sme_sector s;
    ph_size_class c;
    ph_assert_ok(ph_sme_sector_of('H', 62, &s, &err), &err);
    ph_assert_ok(ph_sme_classify(s, 12, WAN(150), UNKNOWN, &c, &err), &err);
    assert_int_equal(c, PH_SIZE_SMALL);
    ph_assert_ok(ph_sme_sector_of('F', 52, &s, &err), &err);
    ph_assert_ok(ph_sme_classify(s, 8, WAN(5000), UNKNOWN, &c, &err), &err);
    assert_int_equal(c, PH_SIZE_MICRO);
    ph_industry_code code;
    ph_assert_ok(ph_industry_code_parse("C3511", 5, &code, &err), &err);
    ph_assert_ok(ph_sme_sector_of(code.section, code.division, &s, &err), &err);
    assert_int_equal(s, PH_SME_INDUSTRY);
    ph_assert_ok(ph_sme_classify(s, 320, WAN(2500), UNKNOWN, &c, &err), &err);
    assert_int_equal(c, PH_SIZE_MEDIUM);
}

static void test_sector_of_code_splits_real_estate(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        ph_sme_sector sector;
    } cases[] = {
        {"K7010", PH_SME_REAL_ESTATE_DEV}, {"K701", PH_SME_REAL_ESTATE_DEV},
        {"K7020", PH_SME_PROPERTY_MGMT},   {"702", PH_SME_PROPERTY_MGMT},
        {"K7030", PH_SME_OTHER},           {"K7040", PH_SME_OTHER},
        {"K7090", PH_SME_OTHER},           {"K70", PH_SME_REAL_ESTATE_DEV},
        {"K", PH_SME_REAL_ESTATE_DEV},     {"C1311", PH_SME_INDUSTRY},
        {"F5211", PH_SME_RETAIL},
    };
    ph_error err;
    ph_error_clear(&err);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ph_industry_code code;
        ph_sme_sector sector = PH_SME_SECTOR_COUNT;
        ph_assert_ok(ph_industry_code_parse(cases[i].code, strlen(cases[i].code), &code, &err),
                     &err);
        ph_assert_ok(ph_sme_sector_of_code(&code, &sector, &err), &err);
        if (sector != cases[i].sector)
            fail_msg("%s: sector %d, expected %d", cases[i].code, (int)sector,
                     (int)cases[i].sector);
    }
    ph_industry_code f = {'F', 0, 0, 0};
    ph_sme_sector sector;
    ph_assert_error(ph_sme_sector_of_code(&f, &sector, &err), PH_EINVAL, &err,
                    "section F needs the division");
    ph_assert_error(ph_sme_sector_of_code(NULL, &sector, &err), PH_EMISUSE, &err,
                    "is NULL");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sector_of_code_splits_real_estate),
        cmocka_unit_test(test_sections_cover_divisions_in_order),
        cmocka_unit_test(test_section_of_division),
        cmocka_unit_test(test_division_names),
        cmocka_unit_test(test_section_parse),
        cmocka_unit_test(test_code_parse),
        cmocka_unit_test(test_size_class_names),
        cmocka_unit_test(test_rule_table),
        cmocka_unit_test(test_sector_of),
        cmocka_unit_test(test_industry_boundaries),
        cmocka_unit_test(test_retail_and_wholesale_boundaries),
        cmocka_unit_test(test_revenue_and_assets_sectors),
        cmocka_unit_test(test_single_metric_sectors),
        cmocka_unit_test(test_service_sectors),
        cmocka_unit_test(test_classify_errors),
        cmocka_unit_test(test_section_to_size_end_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
