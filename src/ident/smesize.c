/*
 * SME size classification by 《中小企业划型标准规定》(工信部联企业〔2011〕300号),
 * and the mapping from GB/T 4754-2017 industries to the rule's sectors.
 *
 * Each sector's rule reads, e.g. for 工业: "从业人员1000人以下或营业收入40000万元
 * 以下的为中小微型企业. 其中, 从业人员300人及以上, 且营业收入2000万元及以上的为
 * 中型企业; 从业人员20人及以上, 且营业收入300万元及以上的为小型企业; 从业人员20人
 * 以下或营业收入300万元以下的为微型企业." So every tier is a set of lower bounds
 * that must all be met ("及以上" includes the bound, "以下" excludes it), and
 * a firm that misses one bound drops to the next tier. The table below is
 * the rule text, transcribed in 万元 and persons.
 */
#include "puhui/industry.h"

#include "ident/ident_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define WAN(x) ((int64_t)(x) * 1000000) /* 万元 in fen */
#define EMP PH_SME_METRIC_EMPLOYEES
#define REV PH_SME_METRIC_REVENUE
#define AST PH_SME_METRIC_ASSETS
#define PERSONS(l, m, s) { l, m, s }
#define MONEY(l, m, s) { WAN(l), WAN(m), WAN(s) }
#define UNUSED { 0, 0, 0 }

static const ph_sme_rule rules[PH_SME_SECTOR_COUNT] = {
    { PH_SME_AGRICULTURE, "agriculture", "农、林、牧、渔业",
      "agriculture, forestry, animal husbandry and fishery", REV,
      UNUSED, MONEY(20000, 500, 50), UNUSED },
    { PH_SME_INDUSTRY, "industry", "工业", "industry", EMP | REV,
      PERSONS(1000, 300, 20), MONEY(40000, 2000, 300), UNUSED },
    { PH_SME_CONSTRUCTION, "construction", "建筑业", "construction", REV | AST,
      UNUSED, MONEY(80000, 6000, 300), MONEY(80000, 5000, 300) },
    { PH_SME_WHOLESALE, "wholesale", "批发业", "wholesale", EMP | REV,
      PERSONS(200, 20, 5), MONEY(40000, 5000, 1000), UNUSED },
    { PH_SME_RETAIL, "retail", "零售业", "retail", EMP | REV,
      PERSONS(300, 50, 10), MONEY(20000, 500, 100), UNUSED },
    { PH_SME_TRANSPORT, "transport", "交通运输业", "transport", EMP | REV,
      PERSONS(1000, 300, 20), MONEY(30000, 3000, 200), UNUSED },
    { PH_SME_WAREHOUSING, "warehousing", "仓储业", "warehousing", EMP | REV,
      PERSONS(200, 100, 20), MONEY(30000, 1000, 100), UNUSED },
    { PH_SME_POSTAL, "postal", "邮政业", "postal services", EMP | REV,
      PERSONS(1000, 300, 20), MONEY(30000, 2000, 100), UNUSED },
    { PH_SME_ACCOMMODATION, "accommodation", "住宿业", "accommodation", EMP | REV,
      PERSONS(300, 100, 10), MONEY(10000, 2000, 100), UNUSED },
    { PH_SME_CATERING, "catering", "餐饮业", "catering", EMP | REV,
      PERSONS(300, 100, 10), MONEY(10000, 2000, 100), UNUSED },
    { PH_SME_INFO_TRANSMISSION, "info_transmission", "信息传输业", "information transmission",
      EMP | REV, PERSONS(2000, 100, 10), MONEY(100000, 1000, 100), UNUSED },
    { PH_SME_SOFTWARE_IT, "software_it", "软件和信息技术服务业",
      "software and information technology services", EMP | REV,
      PERSONS(300, 100, 10), MONEY(10000, 1000, 50), UNUSED },
    { PH_SME_REAL_ESTATE_DEV, "real_estate_dev", "房地产开发经营",
      "real estate development", REV | AST,
      UNUSED, MONEY(200000, 1000, 100), MONEY(10000, 5000, 2000) },
    { PH_SME_PROPERTY_MGMT, "property_mgmt", "物业管理", "property management", EMP | REV,
      PERSONS(1000, 300, 100), MONEY(5000, 1000, 500), UNUSED },
    { PH_SME_LEASING_BUSINESS, "leasing_business", "租赁和商务服务业",
      "leasing and business services", EMP | AST,
      PERSONS(300, 100, 10), UNUSED, MONEY(120000, 8000, 100) },
    { PH_SME_OTHER, "other", "其他未列明行业", "other industries not listed", EMP,
      PERSONS(300, 100, 10), UNUSED, UNUSED },
};

/* GB/T 4754-2017 division ranges -> 2011 sectors. Sections absent here map
 * to PH_SME_OTHER; a section with several rows needs the division. */
static const struct {
    char section;
    int first_division, last_division;
    ph_sme_sector sector;
} sector_map[] = {
    { 'A', 1, 5, PH_SME_AGRICULTURE },
    { 'B', 6, 12, PH_SME_INDUSTRY },
    { 'C', 13, 43, PH_SME_INDUSTRY },
    { 'D', 44, 46, PH_SME_INDUSTRY },
    { 'E', 47, 50, PH_SME_CONSTRUCTION },
    { 'F', 51, 51, PH_SME_WHOLESALE },
    { 'F', 52, 52, PH_SME_RETAIL },
    { 'G', 53, 58, PH_SME_TRANSPORT },
    { 'G', 59, 59, PH_SME_WAREHOUSING },
    { 'G', 60, 60, PH_SME_POSTAL },
    { 'H', 61, 61, PH_SME_ACCOMMODATION },
    { 'H', 62, 62, PH_SME_CATERING },
    { 'I', 63, 64, PH_SME_INFO_TRANSMISSION },
    { 'I', 65, 65, PH_SME_SOFTWARE_IT },
    /* The rule splits K by class: 7010 development, 7020 property management. */
    { 'K', 70, 70, PH_SME_REAL_ESTATE_DEV },
    { 'L', 71, 72, PH_SME_LEASING_BUSINESS },
};
#define SECTOR_MAP_COUNT (sizeof(sector_map) / sizeof(sector_map[0]))

static const char *const size_names[][2] = {
    [PH_SIZE_MICRO] = { "micro", "微型" },
    [PH_SIZE_SMALL] = { "small", "小型" },
    [PH_SIZE_MEDIUM] = { "medium", "中型" },
    [PH_SIZE_LARGE] = { "large", "大型" },
};
#define SIZE_COUNT (sizeof(size_names) / sizeof(size_names[0]))

static int size_known(ph_size_class size)
{
    return (int)size >= 0 && (size_t)size < SIZE_COUNT;
}

const char *ph_size_class_name(ph_size_class size)
{
    return size_known(size) ? size_names[size][0] : "unknown";
}

const char *ph_size_class_name_zh(ph_size_class size)
{
    return size_known(size) ? size_names[size][1] : "";
}

/* Exactly `len` bytes of `s` equal the NUL-terminated `word`. */
static int equals(const char *s, size_t len, const char *word)
{
    return strlen(word) == len && memcmp(s, word, len) == 0;
}

ph_status ph_size_class_parse(const char *s, size_t len, ph_size_class *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, "size_class", NULL, "%s is NULL",
                            s == NULL ? "the input string" : "the output pointer");
    for (size_t i = 0; i < SIZE_COUNT; i++) {
        if (equals(s, len, size_names[i][0]) || equals(s, len, size_names[i][1])) {
            *out = (ph_size_class)i;
            return PH_OK;
        }
    }
    return ph_error_setn(err, PH_EINVAL, "size_class", s, len,
                         "expected micro, small, medium or large (or 微型, 小型, 中型, 大型)");
}

const ph_sme_rule *ph_sme_rule_of(ph_sme_sector sector)
{
    if ((int)sector < 0 || (int)sector >= PH_SME_SECTOR_COUNT)
        return NULL;
    return &rules[sector];
}

ph_status ph_sme_sector_parse(const char *s, size_t len, ph_sme_sector *out, ph_error *err)
{
    if (s == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, "sme_sector", NULL, "%s is NULL",
                            s == NULL ? "the input string" : "the output pointer");
    for (int i = 0; i < PH_SME_SECTOR_COUNT; i++) {
        if (equals(s, len, rules[i].key) || equals(s, len, rules[i].name_zh)) {
            *out = rules[i].sector;
            return PH_OK;
        }
    }
    return ph_error_setn(err, PH_EINVAL, "sme_sector", s, len,
                         "not a sector of the 2011 SME rule (expected a key such as "
                         "industry, retail, software_it, or the Chinese name)");
}

/* Fail naming the division as the offending value. */
static ph_status division_error(ph_error *err, int division, const char *fmt, ...)
    PH_PRINTF(3, 4);

static ph_status division_error(ph_error *err, int division, const char *fmt, ...)
{
    char value[16];
    int n = snprintf(value, sizeof(value), "%d", division);
    va_list ap;
    va_start(ap, fmt);
    ph_error_setv(err, PH_EINVAL, "industry_division", value, (size_t)n, fmt, ap);
    va_end(ap);
    return PH_EINVAL;
}

/* "51 wholesale, 52 retail": the division ranges of a section that map to
 * different sectors, for the message asking for a division. */
static void list_choices(char section, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < SECTOR_MAP_COUNT; i++) {
        if (sector_map[i].section != section)
            continue;
        int n;
        if (sector_map[i].first_division == sector_map[i].last_division)
            n = snprintf(buf + used, size - used, "%s%02d %s", used ? ", " : "",
                         sector_map[i].first_division, rules[sector_map[i].sector].key);
        else
            n = snprintf(buf + used, size - used, "%s%02d-%02d %s", used ? ", " : "",
                         sector_map[i].first_division, sector_map[i].last_division,
                         rules[sector_map[i].sector].key);
        if (n < 0 || (size_t)n >= size - used)
            return; /* cannot happen with this table; keep what fits */
        used += (size_t)n;
    }
}

ph_status ph_sme_sector_of(char section, int division, ph_sme_sector *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, "industry_section", NULL,
                            "the output pointer is NULL");
    if (ph_industry_section_find(section) == NULL) {
        char repr[8];
        const char value[1] = { section };
        return ph_error_setn(err, PH_EINVAL, "industry_section", value, 1,
                             "%s is not a section letter (expected A to T)",
                             ident_char_repr(section, repr));
    }
    if (division != 0) {
        char own;
        if (ph_industry_section_of_division(division, &own, err) != PH_OK)
            return PH_EINVAL;
        if (own != section)
            return division_error(err, division, "division belongs to section %c, not %c",
                                  own, section);
    }
    ph_sme_sector found = PH_SME_OTHER;
    int rows = 0;
    for (size_t i = 0; i < SECTOR_MAP_COUNT; i++) {
        if (sector_map[i].section != section)
            continue;
        rows++;
        if (division == 0 || (division >= sector_map[i].first_division &&
                              division <= sector_map[i].last_division))
            found = sector_map[i].sector;
    }
    if (division == 0 && rows > 1) {
        char choices[160];
        list_choices(section, choices, sizeof(choices));
        return division_error(err, division,
                              "section %c needs the division to choose the SME sector (%s)",
                              section, choices);
    }
    *out = found;
    return PH_OK;
}

/* A metric the rule uses must be known (not negative). */
static ph_status needed(const ph_sme_rule *rule, unsigned metric, const char *field,
                        int64_t value, ph_error *err)
{
    if (!(rule->metrics & metric) || value >= 0)
        return PH_OK;
    char text[24];
    snprintf(text, sizeof(text), "%lld", (long long)value);
    return ph_error_set(err, PH_EINVAL, field, text,
                        "sector %s (%s) classifies by %s; a negative value means unknown",
                        rule->key, rule->name_zh, field);
}

/* Tiers from the top; each one's bounds are picked by bound_at(). */
static const ph_size_class tiers[] = { PH_SIZE_LARGE, PH_SIZE_MEDIUM, PH_SIZE_SMALL };

static int64_t bound_at(const ph_sme_bounds *b, ph_size_class tier)
{
    return tier == PH_SIZE_LARGE ? b->large : tier == PH_SIZE_MEDIUM ? b->medium : b->small;
}

/* Every metric the rule uses is at or above the tier's bound. */
static int reaches(const ph_sme_rule *rule, const int64_t value[3], ph_size_class tier)
{
    const ph_sme_bounds *bounds[3] = { &rule->employees, &rule->revenue, &rule->assets };
    static const unsigned flags[3] = { EMP, REV, AST };
    for (int m = 0; m < 3; m++)
        if ((rule->metrics & flags[m]) && value[m] < bound_at(bounds[m], tier))
            return 0;
    return 1;
}

ph_status ph_sme_classify(ph_sme_sector sector, int64_t employees, int64_t revenue_fen,
                          int64_t assets_fen, ph_size_class *out, ph_error *err)
{
    if (out == NULL)
        return ph_error_set(err, PH_EMISUSE, "sme_sector", NULL, "the output pointer is NULL");
    const ph_sme_rule *rule = ph_sme_rule_of(sector);
    if (rule == NULL) {
        char text[16];
        snprintf(text, sizeof(text), "%d", (int)sector);
        return ph_error_set(err, PH_EINVAL, "sme_sector", text,
                            "expected a sector from 0 to %d", PH_SME_SECTOR_COUNT - 1);
    }
    ph_status st;
    if ((st = needed(rule, EMP, "employees", employees, err)) != PH_OK ||
        (st = needed(rule, REV, "revenue", revenue_fen, err)) != PH_OK ||
        (st = needed(rule, AST, "assets", assets_fen, err)) != PH_OK)
        return st;

    const int64_t value[3] = { employees, revenue_fen, assets_fen };
    ph_size_class size = PH_SIZE_MICRO;
    for (size_t i = 0; i < sizeof(tiers) / sizeof(tiers[0]); i++) {
        if (reaches(rule, value, tiers[i])) {
            size = tiers[i];
            break;
        }
    }
    *out = size;
    return PH_OK;
}

/*
 * Real estate (K 70) is the one division the 2011 rule splits below the
 * division: 701 房地产开发经营 and 702 物业管理 have rules of their own, and
 * the rest of 70 (703 agency, 704 leasing, 709 other) falls under "other".
 */
static const struct {
    int group;
    ph_sme_sector sector;
} group_map[] = {
    { 701, PH_SME_REAL_ESTATE_DEV },
    { 702, PH_SME_PROPERTY_MGMT },
};

ph_status ph_sme_sector_of_code(const ph_industry_code *code, ph_sme_sector *out,
                                ph_error *err)
{
    if (code == NULL || out == NULL)
        return ph_error_set(err, PH_EMISUSE, "industry_code", NULL,
                            "the industry code or the output pointer is NULL");
    ph_sme_sector sector;
    ph_status st = ph_sme_sector_of(code->section, code->division, &sector, err);
    if (st != PH_OK)
        return st;
    int group = code->group ? code->group : code->class_code / 10;
    if (code->division == 70 && group != 0) {
        sector = PH_SME_OTHER;
        for (size_t i = 0; i < sizeof(group_map) / sizeof(group_map[0]); i++)
            if (group_map[i].group == group)
                sector = group_map[i].sector;
    }
    *out = sector;
    return PH_OK;
}
