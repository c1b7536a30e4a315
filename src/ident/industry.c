/*
 * GB/T 4754-2017 industry classification: the 20 sections, the division
 * ranges they cover, the 97 division names, and parsing of industry codes.
 */
#include "puhui/industry.h"

#include "ident/ident_internal.h"

#include <stdio.h>

static const ph_industry_section sections[PH_INDUSTRY_SECTION_COUNT] = {
    { 'A', "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery", 1, 5 },
    { 'B', "采矿业", "Mining", 6, 12 },
    { 'C', "制造业", "Manufacturing", 13, 43 },
    { 'D', "电力、热力、燃气及水生产和供应业",
      "Production and supply of electricity, heat, gas and water", 44, 46 },
    { 'E', "建筑业", "Construction", 47, 50 },
    { 'F', "批发和零售业", "Wholesale and retail trade", 51, 52 },
    { 'G', "交通运输、仓储和邮政业", "Transport, storage and postal services", 53, 60 },
    { 'H', "住宿和餐饮业", "Accommodation and catering", 61, 62 },
    { 'I', "信息传输、软件和信息技术服务业",
      "Information transmission, software and information technology services", 63, 65 },
    { 'J', "金融业", "Finance", 66, 69 },
    { 'K', "房地产业", "Real estate", 70, 70 },
    { 'L', "租赁和商务服务业", "Leasing and business services", 71, 72 },
    { 'M', "科学研究和技术服务业", "Scientific research and technical services", 73, 75 },
    { 'N', "水利、环境和公共设施管理业",
      "Management of water conservancy, environment and public facilities", 76, 79 },
    { 'O', "居民服务、修理和其他服务业", "Resident services, repairs and other services", 80,
      82 },
    { 'P', "教育", "Education", 83, 83 },
    { 'Q', "卫生和社会工作", "Health and social work", 84, 85 },
    { 'R', "文化、体育和娱乐业", "Culture, sports and entertainment", 86, 90 },
    { 'S', "公共管理、社会保障和社会组织",
      "Public administration, social security and social organisations", 91, 96 },
    { 'T', "国际组织", "International organisations", 97, 97 },
};

/* Division names, indexed by division code (index 0 unused). */
static const char *const division_names[PH_INDUSTRY_DIVISION_MAX + 1] = {
    [1] = "农业", [2] = "林业", [3] = "畜牧业", [4] = "渔业",
    [5] = "农、林、牧、渔专业及辅助性活动",
    [6] = "煤炭开采和洗选业", [7] = "石油和天然气开采业", [8] = "黑色金属矿采选业",
    [9] = "有色金属矿采选业", [10] = "非金属矿采选业", [11] = "开采专业及辅助性活动",
    [12] = "其他采矿业",
    [13] = "农副食品加工业", [14] = "食品制造业", [15] = "酒、饮料和精制茶制造业",
    [16] = "烟草制品业", [17] = "纺织业", [18] = "纺织服装、服饰业",
    [19] = "皮革、毛皮、羽毛及其制品和制鞋业",
    [20] = "木材加工和木、竹、藤、棕、草制品业", [21] = "家具制造业",
    [22] = "造纸和纸制品业", [23] = "印刷和记录媒介复制业",
    [24] = "文教、工美、体育和娱乐用品制造业", [25] = "石油、煤炭及其他燃料加工业",
    [26] = "化学原料和化学制品制造业", [27] = "医药制造业", [28] = "化学纤维制造业",
    [29] = "橡胶和塑料制品业", [30] = "非金属矿物制品业",
    [31] = "黑色金属冶炼和压延加工业", [32] = "有色金属冶炼和压延加工业",
    [33] = "金属制品业", [34] = "通用设备制造业", [35] = "专用设备制造业",
    [36] = "汽车制造业", [37] = "铁路、船舶、航空航天和其他运输设备制造业",
    [38] = "电气机械和器材制造业", [39] = "计算机、通信和其他电子设备制造业",
    [40] = "仪器仪表制造业", [41] = "其他制造业", [42] = "废弃资源综合利用业",
    [43] = "金属制品、机械和设备修理业",
    [44] = "电力、热力生产和供应业", [45] = "燃气生产和供应业", [46] = "水的生产和供应业",
    [47] = "房屋建筑业", [48] = "土木工程建筑业", [49] = "建筑安装业",
    [50] = "建筑装饰、装修和其他建筑业",
    [51] = "批发业", [52] = "零售业",
    [53] = "铁路运输业", [54] = "道路运输业", [55] = "水上运输业", [56] = "航空运输业",
    [57] = "管道运输业", [58] = "多式联运和运输代理业", [59] = "装卸搬运和仓储业",
    [60] = "邮政业",
    [61] = "住宿业", [62] = "餐饮业",
    [63] = "电信、广播电视和卫星传输服务", [64] = "互联网和相关服务",
    [65] = "软件和信息技术服务业",
    [66] = "货币金融服务", [67] = "资本市场服务", [68] = "保险业", [69] = "其他金融业",
    [70] = "房地产业",
    [71] = "租赁业", [72] = "商务服务业",
    [73] = "研究和试验发展", [74] = "专业技术服务业", [75] = "科技推广和应用服务业",
    [76] = "水利管理业", [77] = "生态保护和环境治理业", [78] = "公共设施管理业",
    [79] = "土地管理业",
    [80] = "居民服务业", [81] = "机动车、电子产品和日用产品修理业", [82] = "其他服务业",
    [83] = "教育",
    [84] = "卫生", [85] = "社会工作",
    [86] = "新闻和出版业", [87] = "广播、电视、电影和录音制作业", [88] = "文化艺术业",
    [89] = "体育", [90] = "娱乐业",
    [91] = "中国共产党机关", [92] = "国家机构", [93] = "人民政协、民主党派",
    [94] = "社会保障", [95] = "群众团体、社会团体和其他成员组织",
    [96] = "基层群众自治组织及其他组织",
    [97] = "国际组织",
};

const ph_industry_section *ph_industry_section_at(size_t index)
{
    return index < PH_INDUSTRY_SECTION_COUNT ? &sections[index] : NULL;
}

const ph_industry_section *ph_industry_section_find(char letter)
{
    if (letter < 'A' || letter > 'T')
        return NULL;
    return &sections[letter - 'A'];
}

static int division_known(int division)
{
    return division >= PH_INDUSTRY_DIVISION_MIN && division <= PH_INDUSTRY_DIVISION_MAX;
}

const char *ph_industry_division_name(int division)
{
    return division_known(division) ? division_names[division] : NULL;
}

/* The section covering a known division. */
static const ph_industry_section *section_of(int division)
{
    for (size_t i = 0; i < PH_INDUSTRY_SECTION_COUNT; i++)
        if (division >= sections[i].first_division && division <= sections[i].last_division)
            return &sections[i];
    return NULL;
}

ph_status ph_industry_section_of_division(int division, char *section, ph_error *err)
{
    if (section == NULL)
        return ph_error_set(err, PH_EMISUSE, "industry_division", NULL,
                            "the output pointer is NULL");
    if (!division_known(division)) {
        char value[16];
        snprintf(value, sizeof(value), "%d", division);
        return ph_error_set(err, PH_EINVAL, "industry_division", value,
                            "expected a division code from 01 to 97");
    }
    *section = section_of(division)->letter;
    return PH_OK;
}

/* Why `c` is not a section letter. */
static ph_status bad_letter(ph_error *err, const char *field, const char *s, size_t len, char c)
{
    char repr[8];
    return ph_error_setn(err, PH_EINVAL, field, s, len,
                         "%s is not a section letter (expected A to T%s)",
                         ident_char_repr(c, repr),
                         c >= 'a' && c <= 't' ? ", upper case" : "");
}

ph_status ph_industry_section_parse(const char *s, size_t len, const ph_industry_section **out,
                                    ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, "industry_section", NULL, "%s is NULL",
                            s == NULL ? "the input string" : "the output pointer");
    if (len != 1)
        return ph_error_setn(err, PH_EINVAL, "industry_section", s, len,
                             "expected one letter A to T, got %zu characters", len);
    const ph_industry_section *found = ph_industry_section_find(s[0]);
    if (found == NULL)
        return bad_letter(err, "industry_section", s, len, s[0]);
    *out = found;
    return PH_OK;
}

ph_status ph_industry_code_parse(const char *s, size_t len, ph_industry_code *out,
                                 ph_error *err)
{
    static const char field[] = "industry_code";
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, field, NULL, "%s is NULL",
                            s == NULL ? "the input string" : "the output pointer");
    if (len == 0)
        return ph_error_set(err, PH_EINVAL, field, NULL,
                            "empty (expected a section letter and/or 2 to 4 digits)");
    const ph_industry_section *letter = NULL;
    const char *digits = s;
    size_t ndigits = len;
    if (!(s[0] >= '0' && s[0] <= '9')) {
        letter = ph_industry_section_find(s[0]);
        if (letter == NULL)
            return bad_letter(err, field, s, len, s[0]);
        digits++;
        ndigits--;
    }
    ph_industry_code code = { letter ? letter->letter : 0, 0, 0, 0 };
    if (ndigits == 0) {
        *out = code;
        return PH_OK;
    }
    for (size_t i = 0; i < ndigits; i++) {
        if (digits[i] < '0' || digits[i] > '9') {
            char repr[8];
            return ph_error_setn(err, PH_EINVAL, field, s, len, "position %zu: %s is not a digit",
                                 (size_t)(digits - s) + i + 1,
                                 ident_char_repr(digits[i], repr));
        }
    }
    if (ndigits < 2 || ndigits > 4)
        return ph_error_setn(err, PH_EINVAL, field, s, len,
                             "expected 2 to 4 digits (division, group, class), got %zu",
                             ndigits);
    int value = 0;
    for (size_t i = 0; i < ndigits; i++)
        value = value * 10 + (digits[i] - '0');
    int division = (digits[0] - '0') * 10 + (digits[1] - '0');
    if (!division_known(division))
        return ph_error_setn(err, PH_EINVAL, field, s, len,
                             "division %02d does not exist (expected 01 to 97)", division);
    const ph_industry_section *own = section_of(division);
    if (letter != NULL && letter != own)
        return ph_error_setn(err, PH_EINVAL, field, s, len,
                             "division %02d belongs to section %c, not %c", division,
                             own->letter, letter->letter);
    code.section = own->letter;
    code.division = division;
    if (ndigits >= 3)
        code.group = ndigits == 3 ? value : value / 10;
    if (ndigits == 4)
        code.class_code = value;
    *out = code;
    return PH_OK;
}
