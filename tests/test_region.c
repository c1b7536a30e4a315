/* GB/T 2260 administrative divisions (src/ident/region.c, region_data.c). */
#include "ph_test.h"

#include <string.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static void test_parse_accepts_codes_at_every_level(void **state)
{
    (void)state;
    ph_error err;
    int code = 0;
    ph_assert_ok(ph_division_parse("370102", 6, &code, &err), &err);
    assert_int_equal(code, 370102);
    ph_assert_ok(ph_division_parse("370100", 6, &code, &err), &err);
    assert_int_equal(code, 370100);
    ph_assert_ok(ph_division_parse("820000", 6, &code, &err), &err);
    assert_int_equal(code, 820000);
    /* 省直辖县级行政区划 use the city part 90; the form is all that is checked. */
    ph_assert_ok(ph_division_parse("429004", 6, &code, &err), &err);
    assert_int_equal(code, 429004);
    /* Only `len` bytes are read. */
    ph_assert_ok(ph_division_parse("110105 朝阳区", 6, &code, &err), &err);
    assert_int_equal(code, 110105);
}

static void test_parse_errors(void **state)
{
    (void)state;
    ph_error err;
    int code = -7;
    ph_assert_error(ph_division_parse(NULL, 6, &code, &err), PH_EMISUSE, &err,
                    "field division_code: the input string is NULL");
    ph_assert_error(ph_division_parse("370102", 6, NULL, &err), PH_EMISUSE, &err,
                    "the output pointer is NULL");
    ph_assert_error(ph_division_parse("37010", 5, &code, &err), PH_EINVAL, &err,
                    "field division_code, value '37010': expected 6 digits, got 5 characters");
    ph_assert_error(ph_division_parse("3701020", 7, &code, &err), PH_EINVAL, &err,
                    "expected 6 digits, got 7 characters");
    ph_assert_error(ph_division_parse("", 0, &code, &err), PH_EINVAL, &err,
                    "expected 6 digits, got 0 characters");
    ph_assert_error(ph_division_parse("37O102", 6, &code, &err), PH_EINVAL, &err,
                    "value '37O102': position 3: 'O' is not a digit");
    ph_assert_error(ph_division_parse("-37010", 6, &code, &err), PH_EINVAL, &err,
                    "position 1: '-' is not a digit");
    ph_assert_error(ph_division_parse("37010\n", 6, &code, &err), PH_EINVAL, &err,
                    "value '37010\\x0a': position 6: '\\x0a' is not a digit");
    ph_assert_error(ph_division_parse("990100", 6, &code, &err), PH_EINVAL, &err,
                    "field division_code, value '990100': unknown province prefix 99 (expected "
                    "one of the 34 provincial-level codes, 11 Beijing to 82 Macau)");
    ph_assert_error(ph_division_parse("012345", 6, &code, &err), PH_EINVAL, &err,
                    "value '012345': unknown province prefix 01");
    ph_assert_error(ph_division_parse("100000", 6, &code, &err), PH_EINVAL, &err,
                    "unknown province prefix 10");
    ph_assert_error(ph_division_parse("160000", 6, &code, &err), PH_EINVAL, &err,
                    "unknown province prefix 16");
    ph_assert_error(ph_division_parse("370001", 6, &code, &err), PH_EINVAL, &err,
                    "value '370001': county part 01 without a city part (positions 3-4 are "
                    "00)");
    assert_int_equal(code, -7);
}

static void test_check_integer_codes(void **state)
{
    (void)state;
    ph_error err;
    ph_assert_ok(ph_division_check(371722, &err), &err);
    ph_assert_ok(ph_division_check(110000, &err), &err);
    ph_assert_error(ph_division_check(37010, &err), PH_EINVAL, &err,
                    "field division_code, value '37010': expected a 6-digit code from 100000 to "
                    "999999");
    ph_assert_error(ph_division_check(-370102, &err), PH_EINVAL, &err,
                    "value '-370102': expected a 6-digit code");
    ph_assert_error(ph_division_check(1000000, &err), PH_EINVAL, &err,
                    "value '1000000': expected a 6-digit code");
    ph_assert_error(ph_division_check(720000, &err), PH_EINVAL, &err,
                    "value '720000': unknown province prefix 72");
    ph_assert_error(ph_division_check(370099, &err), PH_EINVAL, &err,
                    "county part 99 without a city part");
}

static void test_level_province_city(void **state)
{
    (void)state;
    assert_int_equal(ph_division_level(370000), PH_DIV_PROVINCE);
    assert_int_equal(ph_division_level(370100), PH_DIV_CITY);
    assert_int_equal(ph_division_level(370102), PH_DIV_COUNTY);
    assert_int_equal(ph_division_level(370001), PH_DIV_INVALID);
    assert_int_equal(ph_division_level(99999), PH_DIV_INVALID);
    assert_int_equal(ph_division_level(1000000), PH_DIV_INVALID);
    assert_int_equal(ph_division_level(-1), PH_DIV_INVALID);

    assert_int_equal(ph_division_province(371722), 370000);
    assert_int_equal(ph_division_province(370000), 370000);
    assert_int_equal(ph_division_province(370001), 0);
    assert_int_equal(ph_division_city(371722), 371700);
    assert_int_equal(ph_division_city(371700), 371700);
    assert_int_equal(ph_division_city(370000), 0);
    assert_int_equal(ph_division_city(12), 0);
}

static void test_provinces(void **state)
{
    (void)state;
    const ph_division *p = NULL;
    size_t n = 0;
    ph_error err;
    ph_assert_ok(ph_division_children(0, &p, &n, &err), &err);
    assert_int_equal(n, 34);
    int kinds[8] = { 0 };
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(p[i].level, PH_DIV_PROVINCE);
        assert_int_equal(p[i].code % 10000, 0);
        if (i > 0)
            assert_true(p[i - 1].code < p[i].code);
        kinds[p[i].kind]++;
        ph_assert_ok(ph_division_check(p[i].code, &err), &err);
    }
    assert_int_equal(kinds[PH_DIVK_MUNICIPALITY], 4);
    assert_int_equal(kinds[PH_DIVK_PROVINCE], 23);
    assert_int_equal(kinds[PH_DIVK_AUTONOMOUS_REGION], 5);
    assert_int_equal(kinds[PH_DIVK_SAR], 2);
    assert_int_equal(p[0].code, 110000);
    assert_string_equal(p[0].name_zh, "北京市");
    assert_string_equal(p[0].name_en, "Beijing");
    assert_int_equal(p[33].code, 820000);
    assert_string_equal(p[33].name_zh, "澳门特别行政区");
    assert_string_equal(p[33].name_en, "Macau");

    assert_string_equal(ph_division_name(370000), "山东省");
    assert_string_equal(ph_division_name_en(370000), "Shandong");
    assert_string_equal(ph_division_name(500000), "重庆市");
    assert_string_equal(ph_division_name(430000), "湖南省");
    assert_string_equal(ph_division_name(130000), "河北省");
    assert_string_equal(ph_division_name(650000), "新疆维吾尔自治区");
    assert_string_equal(ph_division_name_en(610000), "Shaanxi");
    assert_string_equal(ph_division_name_en(140000), "Shanxi");
    assert_null(ph_division_name(100000));
    assert_null(ph_division_name(0));
    assert_int_equal(ph_division_find(810000)->kind, PH_DIVK_SAR);
}

static void test_shandong_cities(void **state)
{
    (void)state;
    static const struct {
        int code;
        const char *zh, *en;
        size_t counties;
    } expected[] = {
        { 370100, "济南市", "Jinan", 12 },     { 370200, "青岛市", "Qingdao", 10 },
        { 370300, "淄博市", "Zibo", 8 },       { 370400, "枣庄市", "Zaozhuang", 6 },
        { 370500, "东营市", "Dongying", 5 },   { 370600, "烟台市", "Yantai", 11 },
        { 370700, "潍坊市", "Weifang", 12 },   { 370800, "济宁市", "Jining", 11 },
        { 370900, "泰安市", "Tai'an", 6 },     { 371000, "威海市", "Weihai", 4 },
        { 371100, "日照市", "Rizhao", 4 },     { 371300, "临沂市", "Linyi", 12 },
        { 371400, "德州市", "Dezhou", 11 },    { 371500, "聊城市", "Liaocheng", 8 },
        { 371600, "滨州市", "Binzhou", 7 },    { 371700, "菏泽市", "Heze", 9 },
    };
    const ph_division *c = NULL;
    size_t n = 0;
    ph_error err;
    ph_assert_ok(ph_division_children(PH_DIVISION_SHANDONG, &c, &n, &err), &err);
    assert_int_equal(n, 16);
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(c[i].code, expected[i].code);
        assert_string_equal(c[i].name_zh, expected[i].zh);
        assert_string_equal(c[i].name_en, expected[i].en);
        assert_int_equal(c[i].level, PH_DIV_CITY);
        assert_int_equal(c[i].kind, PH_DIVK_PREFECTURE_CITY);
        const ph_division *k = NULL;
        size_t kn = 0;
        ph_assert_ok(ph_division_children(c[i].code, &k, &kn, &err), &err);
        assert_int_equal(kn, expected[i].counties);
        for (size_t j = 0; j < kn; j++)
            assert_int_equal(ph_division_city(k[j].code), c[i].code);
        total += kn;
    }
    assert_int_equal(total, 136);
    /* Laiwu (371200) was merged into Jinan in 2019. */
    assert_null(ph_division_find(371200));
}

static void test_shandong_counties(void **state)
{
    (void)state;
    const ph_division *k = NULL;
    size_t n = 0;
    ph_error err;
    ph_assert_ok(ph_division_counties(PH_DIVISION_SHANDONG, &k, &n, &err), &err);
    assert_int_equal(n, 136);
    int kinds[8] = { 0 };
    for (size_t i = 0; i < n; i++) {
        const ph_division *d = &k[i];
        if (i > 0)
            assert_true(k[i - 1].code < d->code);
        assert_int_equal(d->level, PH_DIV_COUNTY);
        assert_int_equal(ph_division_province(d->code), 370000);
        assert_non_null(ph_division_find(ph_division_city(d->code)));
        assert_ptr_equal(ph_division_find(d->code), d);
        kinds[d->kind]++;
        /* The Chinese name ends in the kind's character, the English one in its word. */
        switch (d->kind) {
        case PH_DIVK_DISTRICT:
            assert_true(ends_with(d->name_zh, "区"));
            assert_true(ends_with(d->name_en, " District"));
            assert_true(ph_division_kind_is_urban(d->kind));
            break;
        case PH_DIVK_COUNTY_CITY:
            assert_true(ends_with(d->name_zh, "市"));
            assert_true(ends_with(d->name_en, " City"));
            assert_true(d->code % 100 >= 81);
            assert_false(ph_division_kind_is_urban(d->kind));
            break;
        case PH_DIVK_COUNTY:
            assert_true(ends_with(d->name_zh, "县"));
            assert_true(ends_with(d->name_en, " County"));
            assert_false(ph_division_kind_is_urban(d->kind));
            break;
        default:
            fail_msg("%d has kind %d", d->code, (int)d->kind);
        }
    }
    assert_int_equal(kinds[PH_DIVK_DISTRICT], 58);
    assert_int_equal(kinds[PH_DIVK_COUNTY_CITY], 26);
    assert_int_equal(kinds[PH_DIVK_COUNTY], 52);

    static const struct {
        int code;
        const char *zh, *en;
        ph_div_kind kind;
    } spot[] = {
        { 370102, "历下区", "Lixia District", PH_DIVK_DISTRICT },
        { 370112, "历城区", "Licheng District", PH_DIVK_DISTRICT },
        { 370116, "莱芜区", "Laiwu District", PH_DIVK_DISTRICT },
        { 370215, "即墨区", "Jimo District", PH_DIVK_DISTRICT },
        { 370614, "蓬莱区", "Penglai District", PH_DIVK_DISTRICT },
        { 370783, "寿光市", "Shouguang City", PH_DIVK_COUNTY_CITY },
        { 370881, "曲阜市", "Qufu City", PH_DIVK_COUNTY_CITY },
        { 371122, "莒县", "Ju County", PH_DIVK_COUNTY },
        { 371324, "兰陵县", "Lanling County", PH_DIVK_COUNTY },
        { 371424, "临邑县", "Linyi County", PH_DIVK_COUNTY },
        { 371503, "茌平区", "Chiping District", PH_DIVK_DISTRICT },
        { 371681, "邹平市", "Zouping City", PH_DIVK_COUNTY_CITY },
        { 371728, "东明县", "Dongming County", PH_DIVK_COUNTY },
    };
    for (size_t i = 0; i < sizeof(spot) / sizeof(spot[0]); i++) {
        const ph_division *d = ph_division_find(spot[i].code);
        assert_non_null(d);
        assert_string_equal(d->name_zh, spot[i].zh);
        assert_string_equal(d->name_en, spot[i].en);
        assert_int_equal(d->kind, spot[i].kind);
        assert_string_equal(ph_division_name(spot[i].code), spot[i].zh);
    }
    /* Codes retired by the changes the table records. */
    assert_null(ph_division_find(370181)); /* 章丘市 -> 章丘区 370114 */
    assert_null(ph_division_find(370684)); /* 蓬莱市 -> 蓬莱区 370614 */
    assert_null(ph_division_find(370634)); /* 长岛县, absorbed into 蓬莱区 */
    assert_null(ph_division_find(371626)); /* 邹平县 -> 邹平市 371681 */

    ph_assert_ok(ph_division_counties(370200, &k, &n, &err), &err);
    assert_int_equal(n, 10);
    assert_int_equal(k[0].code, 370202);
    assert_int_equal(k[9].code, 370285);
}

static void test_children_errors(void **state)
{
    (void)state;
    const ph_division *out = NULL;
    size_t n = 99;
    ph_error err;
    ph_assert_error(ph_division_children(110000, &out, &n, &err), PH_ENOTFOUND, &err,
                    "field division_code, value '110000': no tabulated subdivisions (only "
                    "Shandong, 370000, is tabulated below province level)");
    ph_assert_error(ph_division_children(110100, &out, &n, &err), PH_ENOTFOUND, &err,
                    "value '110100': no tabulated subdivisions");
    ph_assert_error(ph_division_children(371200, &out, &n, &err), PH_ENOTFOUND, &err,
                    "value '371200': not a prefecture-level city of Shandong (it has 16)");
    ph_assert_error(ph_division_children(370102, &out, &n, &err), PH_EINVAL, &err,
                    "value '370102': a county-level division has no subdivisions in GB/T 2260");
    ph_assert_error(ph_division_children(990000, &out, &n, &err), PH_EINVAL, &err,
                    "unknown province prefix 99");
    ph_assert_error(ph_division_children(-5, &out, &n, &err), PH_EINVAL, &err,
                    "value '-5': expected a 6-digit code");
    ph_assert_error(ph_division_children(370000, NULL, &n, &err), PH_EMISUSE, &err,
                    "output pointer is NULL");
    ph_assert_error(ph_division_children(370000, &out, NULL, &err), PH_EMISUSE, &err,
                    "output pointer is NULL");
    ph_assert_error(ph_division_counties(370102, &out, &n, &err), PH_EINVAL, &err,
                    "a county-level division has no subdivisions");
    ph_assert_error(ph_division_counties(0, &out, &n, &err), PH_EINVAL, &err,
                    "value '0': expected a 6-digit code");
    ph_assert_error(ph_division_counties(430000, &out, &n, &err), PH_ENOTFOUND, &err,
                    "no tabulated subdivisions");
    ph_assert_error(ph_division_counties(370000, NULL, &n, &err), PH_EMISUSE, &err,
                    "output pointer is NULL");
    assert_null(out);
    assert_int_equal(n, 99);
}

static void test_kind_names(void **state)
{
    (void)state;
    assert_string_equal(ph_division_kind_name(PH_DIVK_DISTRICT), "district");
    assert_string_equal(ph_division_kind_name_zh(PH_DIVK_DISTRICT), "市辖区");
    assert_string_equal(ph_division_kind_name(PH_DIVK_COUNTY_CITY), "county-level city");
    assert_string_equal(ph_division_kind_name_zh(PH_DIVK_COUNTY_CITY), "县级市");
    assert_string_equal(ph_division_kind_name(PH_DIVK_COUNTY), "county");
    assert_string_equal(ph_division_kind_name_zh(PH_DIVK_COUNTY), "县");
    assert_string_equal(ph_division_kind_name(PH_DIVK_MUNICIPALITY), "municipality");
    assert_string_equal(ph_division_kind_name_zh(PH_DIVK_SAR), "特别行政区");
    assert_string_equal(ph_division_kind_name((ph_div_kind)42), "unknown");
    assert_string_equal(ph_division_kind_name_zh((ph_div_kind)-1), "");
    assert_false(ph_division_kind_is_urban(PH_DIVK_PREFECTURE_CITY));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts_codes_at_every_level),
        cmocka_unit_test(test_parse_errors),
        cmocka_unit_test(test_check_integer_codes),
        cmocka_unit_test(test_level_province_city),
        cmocka_unit_test(test_provinces),
        cmocka_unit_test(test_shandong_cities),
        cmocka_unit_test(test_shandong_counties),
        cmocka_unit_test(test_children_errors),
        cmocka_unit_test(test_kind_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
